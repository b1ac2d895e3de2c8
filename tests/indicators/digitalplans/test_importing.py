"""Bringing the pages in: the round trip of both seeds, idempotence, differences, oddities, the web."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from indicators.digitalplans.importer import digitalplans_import
from indicators.digitalplans.sources import read_pages
from indicators.models import (
    Agency,
    Direction,
    ImportBatch,
    ImportStatus,
    Indicator,
    Measure,
    QuarterReport,
    ReportStatus,
)
from indicators.quality import indicator_issues
from indicators.workflow.forms import ReportForm
from tests.indicators import test_seeds
from tests.indicators.digitalplans.pages import (
    INDEX_HTML,
    PAGE_2563,
    indicator_page,
    old_markup,
    seed_text,
)
from tests.indicators.pages import test_pages

pytestmark = pytest.mark.django_db
D = Decimal


def bring(name: str, content: str | bytes, *, dry_run: bool = False, **options):
    raw = content.encode() if isinstance(content, str) else content
    return digitalplans_import(pages=read_pages(name, raw), by=None, dry_run=dry_run, **options)


def load(code: str, year: int = 2564) -> Indicator:
    return (
        test_seeds.load(code)
        if year == 2564
        else Indicator.objects.get(fiscal_year=year, code=code)
    )


def issue_codes(code: str, year: int = 2564) -> list[str]:
    from indicators.access import FULL_SCOPE

    indicator = Indicator.objects.with_reports(visible=FULL_SCOPE.reports_q()).get(
        fiscal_year=year, code=code
    )
    return [issue.code for issue in indicator_issues(indicator)]


@pytest.mark.parametrize("as_html", [False, True])
def test_round_trip_seeds_into_an_empty_portal_give_the_seed_pages(client, as_html):
    Indicator.objects.filter(fiscal_year=2564, code__in=["5030-1052", "0100-814"]).delete()
    for code in ("5030-1052", "0100-814"):
        text = seed_text(code)
        report = bring(
            f"{code}.html" if as_html else f"{code}.txt",
            old_markup(text) if as_html else text,
            year=2564,
        )
        assert (report.created, report.skipped, report.missing) == (1, [], {})
    test_pages.test_seed_5030_1052_every_section_and_value_in_order(client)
    test_pages.test_seed_0100_814_every_section_and_value_in_order(client)
    test_seeds.test_5030_1052_bang_kho_laem_civic_networks()
    test_seeds.test_0100_814_council_secretariat_success_level()
    test_seeds.test_quality_check_flags_0100_814_out_of_scale_quarters()
    migrated = load("0100-814")
    assert (
        migrated.is_migrated and migrated.source_url == f"0100-814.{'html' if as_html else 'txt'}"
    )
    assert {r.status for r in migrated.reports.all()} == {ReportStatus.APPROVED}
    assert migrated.source_text["unlabeled"] == "0"


def test_importing_the_same_pages_again_changes_nothing():
    pages = {code: seed_text(code) for code in ("5030-1052", "0100-814")}
    bring("a.txt", pages["5030-1052"], year=2564)
    history = Indicator.history.count() + QuarterReport.history.count()
    again = bring("a.txt", pages["5030-1052"], year=2564)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Indicator.history.count() + QuarterReport.history.count() == history


def test_more_decimals_than_kept_and_scores_out_of_range_import_once_and_keep_their_text():
    rows = (("1", "0.12345", "120", "100 / 100"),)
    page = indicator_page(code="5030-9010", rows=rows)
    first = bring("p.txt", page, year=2565)
    assert any("120" in note for note in first.notes)
    report = QuarterReport.objects.get(indicator__code="5030-9010", quarter=1)
    assert (report.value, report.assessment.score) == (D("0.12"), None)
    assert load("5030-9010", 2565).source_text["q1"]["value"] == "0.12345"
    again = bring("p.txt", page, year=2565)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_page_of_an_indicator_in_the_portal_is_compared_and_the_differences_shown():
    changed = seed_text("5030-1052").replace(
        "ค่าเป้าหมาย เครือข่าย/สำนักงานเขต : 1", "ค่าเป้าหมาย เครือข่าย/สำนักงานเขต : 2"
    )
    changed = changed.replace("จำนวน 1 ครั้ง", "จำนวน 2 ครั้ง")
    preview = bring("p.txt", changed, year=2564, dry_run=True)
    assert preview.updated == 1
    differences = "\n".join(preview.differences["2564 5030-1052"])
    assert "ค่าเป้าหมาย: 1 → 2" in differences
    assert "ไตรมาสที่ 1 รายงานผลการดำเนินงาน" in differences
    assert load("5030-1052").target == D(1)  # a preview writes nothing
    bring("p.txt", changed, year=2564)
    assert load("5030-1052").target == D(2)


def test_oddities_are_kept_as_published_and_flagged_with_the_rule_they_break():
    rows = (("1", "80", "75", "75 / 50"), ("2", "", "", " / "))
    bring(
        "level.txt",
        indicator_page(code="5030-9001", unit="ระดับ", target="5", result="80", rows=rows),
        year=2565,
    )
    level = load("5030-9001", 2565)
    assert (level.measure, level.direction, level.target) == (Measure.LEVEL, Direction.LEVEL, D(5))
    assert [r.value for r in level.reports.order_by("quarter")] == [D(80), None]
    assert QuarterReport.objects.get(indicator=level, quarter=2).assessment.score is None
    assert {"level_out_of_scale", "result_other_scale"} <= set(issue_codes("5030-9001", 2565))

    bring(
        "zero.txt",
        indicator_page(code="5030-9002", unit="เล่ม", target="0", result="100"),
        year=2565,
    )
    assert "target_zero_with_result" in issue_codes("5030-9002", 2565)

    words = indicator_page(
        code="5030-9003", unit="ร้อยละ (ลดลง)", target="20 ของประชาชนที่ทำการสำรวจ", result="120"
    )
    bring("words.txt", words, year=2565)
    reduced = load("5030-9003", 2565)
    assert (reduced.measure, reduced.direction, reduced.target) == (
        Measure.PERCENT,
        Direction.LOWER,
        D(20),
    )
    assert reduced.source_text["target"] == "20 ของประชาชนที่ทำการสำรวจ"
    assert {"text_in_number", "published_result_differs"} <= set(issue_codes("5030-9003", 2565))

    audit = indicator_page(code="5030-9004", audit="*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 2 : 95")
    bring("audit.txt", audit, year=2565)
    assert "audit_score_differs" in issue_codes("5030-9004", 2565)


def test_the_detail_page_prints_the_old_page_s_own_words(client):
    page = indicator_page(code="5030-9003", target="20 ของประชาชนที่ทำการสำรวจ", result="1,407.52")
    bring("words.txt", page, year=2564)
    text = test_pages.text_of(test_pages.detail(client, "5030-9003"))
    test_pages.assert_in_order(
        text,
        [
            "ค่าเป้าหมาย ร้อยละ : 20 ของประชาชนที่ทำการสำรวจ",
            "ผลงานที่ทำได้ ร้อยละ : 1,407.52",
            "(ตัวชี้วัดระดับผลลัพธ์ (outcome))",
        ],
    )


def test_a_cut_short_page_imports_what_it_has_and_lists_what_is_missing():
    report = bring(
        "cut.txt", indicator_page(code="5030-9005", cut_after="ผลการดำเนินงานไตรมาส 2"), year=2565
    )
    assert report.created == 1
    assert "นิยาม" in report.missing["2565 5030-9005"]
    assert load("5030-9005", 2565).reports.count() == 2


def test_strategy_links_projects_and_datasets_as_the_page_lists_them():
    bring("p.txt", indicator_page(code="5030-9006"), year=2564)
    indicator = load("5030-9006")
    assert [n.code for n in indicator.strategy_nodes.all()] == ["5.2"]
    assert [p.code for p in indicator.projects.all()] == ["50300000-3561"]
    assert [d.code for d in indicator.datasets.all()] == ["stat_bma0026"]


def test_the_2563_page_and_the_index_page():
    url = "https://digitalplans.bangkok.go.th/mykpi2563.php?pid=27"
    report = bring("27.html", f"<!-- saved from url=({len(url):04d}){url} -->\n{PAGE_2563}")
    assert report.created == 1
    indicator = load("2100-27", 2563)
    assert indicator.source_url == url and indicator.source_text["data_nature"] == "ข้อมูลรายปี"
    assert [n.code for n in indicator.strategy_nodes.all()] == ["5.2.1"]

    index = bring("index.html", INDEX_HTML)
    assert (index.created, index.unchanged) == (2, 1)  # 5030-1052 is the seed, already equal
    assert "2564 5030-1052" not in index.missing and "2564 5030-9101" in index.missing
    assert load("5030-9101").target == D("1407.52")
    assert "target_zero_with_result" in issue_codes("5030-9102")


def test_unknown_agencies_are_listed_and_created_only_when_asked():
    page = indicator_page(code="5099-1")
    report = bring("p.txt", page, year=2564)
    assert report.unknown_agencies == ["5099"] and report.created == 0
    assert not Agency.objects.filter(prefix="5099").exists()
    report = bring("p.txt", page, year=2564, create_agencies=True)
    agency = Agency.objects.get(prefix="5099")
    assert (report.created_agencies, agency.code, agency.needs_name) == (["5099"], "50990000", True)


def test_a_page_without_a_year_is_skipped_with_a_clear_message():
    report = bring("p.txt", seed_text("5030-1052"))
    assert report.created == report.updated == 0
    assert "--year" in report.skipped[0]


def test_the_command_dry_run_writes_nothing_and_a_run_records_its_batch(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(indicator_page(code="5030-9007"), encoding="utf-8")
    call_command("import_digitalplans", str(path), "--year", "2565", "--dry-run")
    assert not Indicator.objects.filter(code="5030-9007").exists()
    call_command("import_digitalplans", str(path), "--year", "2565")
    indicator = Indicator.objects.get(fiscal_year=2565, code="5030-9007")
    assert indicator.import_batch.kind == "digitalplans"
    assert indicator.history.first().history_change_reason == indicator.import_batch.change_reason


def test_upload_preview_confirm_and_revert_on_the_imports_page(client, admin_user):
    client.force_login(admin_user)
    page = SimpleUploadedFile(
        "9008.txt", indicator_page(code="5030-9008", target="0", result="100").encode()
    )
    response = client.post(reverse("indicators:import-upload"), {"file": page, "year": "2565"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "หน้าเว็บระบบเดิม" in content and "ค่าเป้าหมายเป็น 0" in content
    assert not Indicator.objects.filter(code="5030-9008").exists()
    batch = ImportBatch.objects.get(status=ImportStatus.PREVIEWED, file_name="9008.txt")
    client.post(reverse("indicators:import-confirm", args=[batch.pk]))
    indicator = Indicator.objects.get(fiscal_year=2565, code="5030-9008")
    assert indicator.import_batch == batch
    client.post(reverse("indicators:import-revert", args=[batch.pk]))
    assert not Indicator.objects.filter(fiscal_year=2565, code="5030-9008").exists()


def test_the_2563_detail_page_shows_only_what_the_old_page_had(client):
    url = "https://digitalplans.bangkok.go.th/mykpi2563.php?pid=27"
    bring("27.html", f"<!-- saved from url=({len(url):04d}){url} -->\n{PAGE_2563}")
    text = test_pages.text_of(test_pages.detail(client, "2100-27", 2563))
    test_pages.assert_in_order(
        text,
        [
            "ร้อยละของประชาชนที่พึงพอใจต่อการให้บริการของสำนักงานเขต : 2100-27",
            "ค่าเป้าหมาย ร้อยละ : 20 ของประชาชนที่ทำการสำรวจ",
            "ลักษณะข้อมูล : ข้อมูลรายปี",
            "นิยาม หรือความหมายของตัวชี้วัด",
            "ความพึงพอใจ หมายถึง",
            "แบบสำรวจความพึงพอใจ",
            ":๕.๒.๑",
        ],
    )
    for absent in ("ผลงานที่ทำได้", "ประเภทตัวชี้วัด", "ผลงานเทียบกับเป้าหมายรายไตรมาส", "รายงานผลฯ"):
        assert absent not in text


def test_new_entries_through_the_form_still_obey_today_s_rules():
    bring(
        "p.txt", indicator_page(code="5030-9011", unit="ระดับ", target="5", result="80"), year=2565
    )
    report = QuarterReport.objects.get(
        indicator__fiscal_year=2565, indicator__code="5030-9011", quarter=1
    )
    assert report.value == D(20)  # kept as the old page published it
    form = ReportForm({"value": "80", "narrative": "ผล", "version": report.version}, report=report)
    assert not form.is_valid()
    assert form.has_error("value", "level_out_of_scale")


def test_an_import_renews_every_kept_page(commits):
    """Links are written in bulk, with no signal: the import raises the reference version, which
    every kept page's key holds (data_versions.fingerprint)."""
    from indicators.data_versions import versions

    before = versions()
    commits(lambda: bring("5030-1052.txt", seed_text("5030-1052"), year=2564))
    after = versions()
    assert after["reference"] == before.get("reference", 0) + 1
    commits(lambda: bring("5030-1052.txt", seed_text("5030-1052"), year=2564, dry_run=True))
    assert versions() == after  # a dry run wrote nothing
