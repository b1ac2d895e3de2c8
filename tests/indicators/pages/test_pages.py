"""The pages everyone reads: the two seed pages section by section, the list, agency and tree."""

import re
from html import unescape

import pytest
from django.urls import reverse

from indicators import access, summaries
from indicators.models import Agency, FiscalYear, Indicator, QuarterReport, ReviewComment
from tests.indicators.factories import make_year_of

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found + len(part)


def detail(client, code: str, year: int = 2564):
    return client.get(reverse("indicators:indicator-detail", args=[year, code]))


SECTION_LABELS = [
    "รายละเอียดตัวชี้วัด",
    "ค่าเป้าหมาย",
    "ผลงานที่ทำได้",
    "ประเภทตัวชี้วัด :",
    "รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล",
    "*** สยป. ตรวจประเมินตัวชี้วัด :",
    "ผลงานเทียบกับเป้าหมายรายไตรมาส",
    "รายงานผลฯ ไตรมาสที่ 1",
    "รายงานผลฯ ไตรมาสที่ 2",
    "รายงานผลฯ ไตรมาสที่ 3",
    "รายงานผลฯ ไตรมาสที่ 4",
    "** สรุปผลการดำเนินงาน **",
    "นิยาม หรือความหมายของตัวชี้วัด",
    "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
    "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
    "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
    "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
    "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
]


def test_section_labels_follow_the_seed_order_on_both_pages(client):
    for code in ("5030-1052", "0100-814"):
        assert_in_order(text_of(detail(client, code)), SECTION_LABELS)


def test_seed_5030_1052_every_section_and_value_in_order(client):
    response = detail(client, "5030-1052")
    assert response.status_code == 200
    text = text_of(response)
    assert_in_order(
        text,
        [
            "รายละเอียดตัวชี้วัด",
            "จำนวนเครือข่ายประชาคมที่เป็นทางการเพื่อให้ประชาชนเข้ามามีส่วนร่วมในการวางแผน"
            " ตัดสินใจ และติดตามตรวจสอบการทำงานของกรุงเทพมหานคร : 5030-1052",
            "ค่าเป้าหมาย เครือข่าย/สำนักงานเขต : 1",
            "ผลงานที่ทำได้ เครือข่าย/สำนักงานเขต : 1",
            "บรรลุเป้าหมาย",
            "ประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์ (ตัวชี้วัดระดับผลผลิต (output))",
            "รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล",
            "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 3: 0",
            "ผลงานเทียบกับเป้าหมายรายไตรมาส",
            "(เครือข่าย/สำนักงานเขต)",
            "1 1.00 1.00 100% 100 100 / 100",
            "2 1.00 1.00 100% 0 0 / 0",
            "3 1.00 1.00 100% 0 0 / 0",
            "4 1.00 1.00 100% 0 100 / 100",
            "รายงานผลฯ ไตรมาสที่ 1",
            "จัดการประชุมคณะบริหารสภาเด็กและเยาวชนเขตบางคอแหลม จำนวน 1 ครั้ง",
            "รายงานผลฯ ไตรมาสที่ 2",
            "คาดว่าจัดกิจกรรมในเดือนเมษายน 2564",
            "รายงานผลฯ ไตรมาสที่ 3",
            "คาดว่าจัดกิจกรรมในเดือนกรกฎาคม 2564",
            "รายงานผลฯ ไตรมาสที่ 4",
            "งดจัดกิจกรรม เนื่องจากการแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 (โควิด-19)",
            "** สรุปผลการดำเนินงาน **",
            "นิยาม หรือความหมายของตัวชี้วัด",
            "การมีส่วนร่วมของประชาชน หมายถึง",
            "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
            "กรุงเทพมหานครคูณ 100 หาร 1",
            "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
            "1. เอกสารประกอบการดำเนินการ 2. ระบบการบริหารจัดการแผนพัฒนากรุงเทพมหานคร (BMA digitalplans)",
            "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
            ":ด้านที่ ๕ - มหานครประชาธิปไตย : Bangkok as a Democratic City",
            ":๕.๒ - เมืองธรรมาภิบาล",
            ":๕.๒.๑ ประชาชนมีส่วนร่วมในการเสนอนโยบายและตรวจสอบ",
            ":๕.๒.๑.๑ รับฟังความคิดเห็นของประชาชนผ่าน “สภาประชาชนกรุงเทพมหานคร”",
            "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
            "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
        ],
    )
    assert "ภารกิจงานประจำ" not in text
    html = response.content.decode()
    assert 'href="/indicators/2564/5030-1052/sheet.pdf"' in html
    assert 'id="chart-data" type="application/json"' in html


def test_seed_0100_814_every_section_and_value_in_order(client):
    text = text_of(detail(client, "0100-814"))
    assert_in_order(
        text,
        [
            "รายละเอียดตัวชี้วัด",
            "อ.2/2ระดับความสำเร็จในการนำข้อมูลความต้องการจากเครือข่ายประชาคมเขตเสนอ"
            "สภากรุงเทพมหานครเพื่อนำไปสู่การแก้ไข : 0100-814",
            "ค่าเป้าหมาย ระดับ : 5",
            "ผลงานที่ทำได้ ระดับ : 3",
            "ต่ำกว่าแผน",
            "ความสำเร็จ 60%",
            "ประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์ (ตัวชี้วัดระดับผลผลิต (output))",
            "รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล",
            "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1: 100",
            "ผลงานเทียบกับเป้าหมายรายไตรมาส",
            "(ระดับ)",
            "1 5.00 15.00 300% 100 100 / 100",
            "2 5.00 20.00 400% 100 100 / 100",
            "3 5.00 20.00 400% 0 0 / 0",
            "4 5.00 3.00 60% 100 100 / 100",
            "รายงานผลฯ ไตรมาสที่ 1",
            "ดำเนินการจัดทำแนวทางในการสร้างกระบวนการมีส่วนร่วม",
            "รายงานผลฯ ไตรมาสที่ 2",
            "กำหนดจำนวนผู้เข้าร่วมโครงการจำนวน 200 คน",
            "รายงานผลฯ ไตรมาสที่ 3",
            "ชลอการดำเนินการ เนื่องจากยังคงมีสถานการณ์การแพร่ระบาดของโควิด 19",
            "รายงานผลฯ ไตรมาสที่ 4",
            "กท 0100/1512 ลงวันที่ 14 กันยายน 2564",
            "** สรุปผลการดำเนินงาน **",
            "นิยาม หรือความหมายของตัวชี้วัด",
            "เครือข่ายประชาคม หมายถึง ตัวแทนภาคประชาชน",
            "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
            "ผลการดำเนินงานที่ทำได้ตามเกณฑ์ที่กำหนด",
            "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
            "1. แนวทางการสร้างกระบวนการมีส่วนร่วม",
            "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
            ": **** ภารกิจงานประจำของหน่วยงาน ****",
            "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
            "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
            "ข้อมูลประกอบที่ 1 : (stat_bma0026 : ข้อมูลค่า DO ของคู คลองในพื้นที่ จำแนกตามจุดตรวจวัด)",
            "ข้อมูลประกอบที่ 2 : (stat_bma0028 : ข้อมูลจุดตรวจวัดคุณภาพน้ำจำแนกตามแม่น้ำคูคลอง)",
        ],
    )


def test_not_reported_and_not_assessed_are_words_not_blanks(client):
    indicator = Indicator.objects.get(fiscal_year=2564, code="5030-1052")
    report = indicator.reports.get(quarter=4)
    report.assessment.delete()
    report.value = None
    report.save()
    text = text_of(detail(client, "5030-1052"))
    assert_in_order(text, ["4 1.00 ยังไม่รายงาน – ยังไม่ประเมิน ยังไม่ประเมิน"])


@pytest.mark.parametrize(
    ("persona", "sees"),
    [(None, False), ("reporter5030", False), ("auditor", True), ("manager", True)],
)
def test_quality_flags_only_for_auditors_and_managers(client, request, persona, sees):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    text = text_of(detail(client, "0100-814"))
    assert ("ข้อสังเกตคุณภาพข้อมูล" in text) is sees
    assert ("ซึ่งไม่ใช่ระดับ 0–5" in text) is sees


def test_history_timeline_shows_who_when_what(client, auditor):
    indicator = Indicator.objects.get(fiscal_year=2564, code="5030-1052")
    report = indicator.reports.get(quarter=2)
    report._history_user = auditor
    report.narrative = "แก้ไขรายงานใหม่"
    report.save()
    ReviewComment.objects.create(report=report, author=auditor, kind="return", body="ขอหลักฐาน")
    client.force_login(auditor)
    text = text_of(detail(client, "5030-1052"))
    # The change and the comment the same person wrote at the same moment are one event.
    assert_in_order(
        text,
        ["ประวัติการเปลี่ยนแปลง", "ส่งกลับแก้ไข การตรวจ ไตรมาสที่ 2", "ขอหลักฐาน", "→ แก้ไขรายงานใหม่"],
    )
    assert "แก้ไข รายงานผล ไตรมาสที่ 2" not in text
    assert auditor.get_full_name() in text
    client.logout()
    assert auditor.get_full_name() not in text_of(detail(client, "5030-1052"))


def test_unknown_year_or_code_is_a_404_page(client):
    for year, code in ((2599, "5030-1052"), (2564, "9999-1")):
        response = detail(client, code, year)
        assert response.status_code == 404
        assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_unpublished_year_is_hidden_from_the_public_not_from_staff(client, manager):
    FiscalYear.objects.filter(year=2564).update(is_published=False)
    assert detail(client, "5030-1052").status_code == 404
    assert client.get("/agencies/5030/2564/").status_code == 404
    assert client.get("/strategy/2564/").status_code == 404
    assert codes(list_page(client, q="5030-1052")) == []
    client.force_login(manager)
    assert detail(client, "5030-1052").status_code == 200


def test_detail_page_in_english(client):
    client.cookies["django_language"] = "en"
    response = detail(client, "5030-1052")
    assert response["Content-Language"] == "en"
    text = text_of(response)
    assert_in_order(
        text,
        ["Indicator details", "Target", "Result", "Quarterly results against targets"],
    )
    assert "Bang Kho Laem" in text


def list_page(client, **params):
    return client.get(reverse("indicators:indicator-list"), params)


def codes(response) -> list[str]:
    return [s.indicator.code for s in response.context["summaries"]]


def test_list_filters_by_every_contract_parameter(client):
    assert codes(list_page(client, year=2564, agency="5030")) == [
        "5030-1052",
        *codes(list_page(client, year=2564, agency="5030"))[1:],
    ]
    assert all(c.startswith("5030-") for c in codes(list_page(client, year=2564, agency="5030")))
    south = codes(list_page(client, year=2564, group="south"))
    # Every south district measures the demo's city indicators (issue 18), not only 5030, 5004.
    south_prefixes = set(Agency.objects.in_group("south").values_list("prefix", flat=True))
    assert {"5030", "5004"} <= south_prefixes
    assert south and all(c[:4] in south_prefixes for c in south)
    democratic = codes(list_page(client, year=2564, dimension="5"))
    assert "5030-1052" in democratic and "0100-814" not in democratic
    assert "0100-814" in codes(list_page(client, year=2564, type="strategic", level="output"))
    assert codes(list_page(client, year=2564, level="outcome", q="0100-814")) == []
    assert codes(list_page(client, year=2564, status="achieved", q="5030-1052")) == ["5030-1052"]
    assert codes(list_page(client, year=2564, status="off_track", q="0100-814")) == ["0100-814"]


def test_list_statuses_agree_with_each_row(client):
    for status in ("achieved", "on_track", "off_track", "not_reported"):
        response = list_page(client, status=status)
        assert all(s.status.value == status for s in response.context["summaries"])


def test_thai_search_on_name_and_code(client):
    assert "5030-1052" in codes(list_page(client, q="เครือข่ายประชาคมที่เป็นทางการ"))
    assert codes(list_page(client, q="๕๐๓๐-๑๐๕๒")) == ["5030-1052"]


def test_list_shows_the_count_and_keeps_filters_in_paging_links(client):
    response = list_page(client, year=2564)
    total = Indicator.objects.filter(fiscal_year=2564).count()
    assert f"พบ {total} ตัวชี้วัด" in text_of(response)
    assert response.context["page"].paginator.count == total
    assert "year=2564&amp;page=2" in response.content.decode()
    assert list_page(client, year=2564, page=2).context["page"].number == 2


def test_bare_list_opens_on_one_year_with_a_way_to_every_year(client):
    response = list_page(client)
    year = response.context["default_year"]
    assert year is not None
    assert (
        response.context["page"].paginator.count
        == Indicator.objects.filter(fiscal_year=year).count()
    )
    assert "?year=" in response.content.decode()
    every_year = list_page(client, year="")
    assert every_year.context["default_year"] is None
    assert (
        every_year.context["page"].paginator.count
        == Indicator.objects.filter(fiscal_year__is_published=True).count()
    )


def test_list_sorts_by_name(client):
    names = [
        s.indicator.name_th for s in list_page(client, year=2564, sort="name").context["summaries"]
    ]
    assert names == sorted(names)


def test_rows_with_the_same_name_show_once_across_the_pages(client):
    year = make_year_of(60)  # its names repeat: a handful of templates
    indicators = Indicator.objects.filter(fiscal_year=year)
    assert indicators.values("name_th").distinct().count() < indicators.count()
    for sort in ("name", "-name", "agency", "year"):
        first = list_page(client, year=year.year, sort=sort)
        pages = range(1, first.context["page"].paginator.num_pages + 1)
        shown = [
            c for n in pages for c in codes(list_page(client, year=year.year, sort=sort, page=n))
        ]
        assert sorted(shown) == sorted(indicators.values_list("code", flat=True)), sort


def test_every_year_lists_the_newest_year_first(client):
    shown = [s.indicator.fiscal_year_id for s in list_page(client, year="").context["summaries"]]
    newest = Indicator.objects.filter(fiscal_year__is_published=True).order_by("-fiscal_year_id")
    assert shown[0] == newest.first().fiscal_year_id
    assert shown == sorted(shown, reverse=True)


def test_sort_choices_are_in_the_reader_s_language(client):
    thai = list_page(client, year=2564).content.decode()
    for label in ("ปีงบประมาณ", "ชื่อตัวชี้วัด", "หน่วยงาน", "ชื่อตัวชี้วัด (เรียงย้อนกลับ)"):
        assert f">{label}</option>" in thai
    assert "descending" not in thai and ">Name</option>" not in thai
    client.cookies["django_language"] = "en"
    english = list_page(client, year=2564).content.decode()
    assert ">Indicator name (descending)</option>" in english


def test_agency_page_groups_by_dimension_with_a_quarter_grid(client):
    text = text_of(client.get("/agencies/5030/2564/"))
    assert_in_order(text, ["สำนักงานเขตบางคอแหลม", "ด้านที่ ๕ - มหานครประชาธิปไตย", "5030-1052"])
    assert "ไตรมาส 4" in text
    assert client.get("/agencies/9999/2564/").status_code == 404


def test_routine_indicators_come_last_on_the_agency_page(client):
    text = text_of(client.get("/agencies/0100/2564/"))
    assert text.rfind("ภารกิจงานประจำของหน่วยงาน") > text.find("ด้านที่")
    assert "0100-814" in text


def test_strategy_tree_shows_nodes_indicators_and_achievement(client):
    text = text_of(client.get("/strategy/2564/"))
    assert_in_order(
        text, ["ด้านที่ ๕ - มหานครประชาธิปไตย", "๕.๒ - เมืองธรรมาภิบาล", "5030-1052", "บรรลุเป้าหมาย"]
    )
    assert "ความสำเร็จเฉลี่ย" in text


def test_home_shows_the_year_at_a_glance_and_the_ways_in(client):
    text = text_of(client.get("/"))
    assert "ตัวชี้วัดกรุงเทพมหานคร" in text
    assert "บรรลุเป้าหมาย" in text
    assert "ตามยุทธศาสตร์" in text and "ตามกลุ่มเขต" in text


@pytest.fixture
def scale_year(request):
    return make_year_of(request.param)


PAGES = [
    "/indicators/?year={y}",
    "/indicators/?year={y}&status=achieved&sort=name",
    "/indicators/?year={y}&q=ถนน&dimension=2",
    "/agencies/5030/{y}/",
    "/strategy/{y}/",
    "/",
]


@pytest.mark.parametrize("scale_year", [10, 200], indirect=True)
@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, scale_year, url):
    assert Indicator.objects.filter(fiscal_year=scale_year).exists()
    with django_assert_max_num_queries(12):
        assert client.get(url.format(y=scale_year.year)).status_code == 200


@pytest.mark.parametrize("scale_year", [200], indirect=True)
def test_the_detail_page_costs_a_fixed_number_of_queries(
    client, auditor, django_assert_max_num_queries, scale_year
):
    client.force_login(auditor)
    indicator = Indicator.objects.filter(fiscal_year=scale_year).first()
    QuarterReport.objects.filter(indicator=indicator).update(narrative="ใหม่")
    with django_assert_max_num_queries(6):
        assert detail(client, indicator.code, scale_year.year).status_code == 200


def test_the_detail_query_is_built_once_per_scope_and_only_its_copies_run(client, auditor):
    """summaries.page_queryset is kept per report scope (its nine subqueries are built once)
    and filtered per request: each page still shows its own indicator."""
    kept = summaries.page_queryset(access.report_scope(auditor))
    assert summaries.page_queryset(access.report_scope(auditor)) is kept
    assert summaries.page_queryset(access.PUBLIC_SCOPE) is not kept
    client.force_login(auditor)
    for indicator in Indicator.objects.filter(fiscal_year_id=2564).order_by("code")[:2]:
        page = detail(client, indicator.code).content.decode()
        assert f'<span class="code">{indicator.code}</span>' in page
    assert kept._result_cache is None
