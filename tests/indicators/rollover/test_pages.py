"""/years/<year>/prepare/: preview, edited targets, confirm once; and the query count."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from indicators.models import Indicator
from tests.helpers import client_for
from tests.indicators.rollover.conftest import SOURCE_YEAR, TARGET_YEAR

pytestmark = pytest.mark.django_db

URL = reverse("indicators:year-prepare", kwargs={"year": TARGET_YEAR})
# Session, user, groups; the form's years, agencies and groups; the plan's sources and holders.
QUERIES = 6  # the session and user come from the session cache (indicators/sessions.py)


def confirm_data(source, target: str) -> dict:
    others = Indicator.objects.filter(fiscal_year_id=SOURCE_YEAR, agency__prefix="5030")
    data: dict = {"source": SOURCE_YEAR, "agency": ["5030"], "indicator": []}
    for indicator in others:
        data["indicator"].append(indicator.pk)
        data[f"target-{indicator.pk}"] = f"{indicator.target:,}"
    data[f"target-{source.pk}"] = target
    return data


def test_the_page_offers_earlier_years_agencies_and_groups(auditor):
    page = client_for(auditor).get(URL).content.decode()
    assert 'value="2570" selected' in page  # the year before, proposed
    assert 'value="5030"' in page
    assert 'name="group"' in page
    assert "preview-title" not in page  # nothing chosen yet: no preview


def test_preview_shows_rows_with_proposed_targets_and_writes_nothing(source, auditor):
    count = Indicator.objects.count()
    response = client_for(auditor).get(URL, {"source": SOURCE_YEAR, "agency": "5030"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="target-{source.pk}" value="5"' in page
    assert page.count('name="indicator"') == 6
    assert "จะคัดลอก" in page
    assert Indicator.objects.count() == count


def test_preview_needs_an_agency_or_a_group(auditor):
    page = client_for(auditor).get(URL, {"source": SOURCE_YEAR}).content.decode()
    assert "เลือกหน่วยงานหรือกลุ่มเขตอย่างน้อยหนึ่งรายการ" in page


def test_confirm_copies_with_the_edited_target_and_a_second_confirm_creates_nothing(
    source, auditor
):
    client = client_for(auditor)
    response = client.post(URL, confirm_data(source, "๔"))  # Thai digits, as staff type them
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?source=2570&agency=5030"
    copy = Indicator.objects.get(fiscal_year_id=TARGET_YEAR, code="5030-3901")
    assert (copy.target, copy.continues_id) == (Decimal(4), source.pk)
    assert Indicator.objects.filter(fiscal_year_id=TARGET_YEAR).count() == 6
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == ["สร้างตัวชี้วัดปี 2571 แล้ว 6 ตัวชี้วัด (มีอยู่แล้ว 0)"]

    again = client.post(URL, confirm_data(source, "3"), follow=True)
    page = again.content.decode()
    assert "ไม่มีสิ่งใดสร้างใหม่: ตัวชี้วัดที่เลือกมีอยู่ในปี 2571 แล้ว" in page
    assert Indicator.objects.filter(fiscal_year_id=TARGET_YEAR).count() == 6
    assert Indicator.objects.get(pk=copy.pk).target == Decimal(4)
    assert 'href="/indicators/2571/5030-3901/"' in page  # the preview now links what exists


def test_an_unreadable_target_refuses_the_whole_confirmation(source, auditor):
    response = client_for(auditor).post(URL, confirm_data(source, "ห้า"))
    assert response.status_code == 400
    assert "5030-3901" in response.content.decode()
    assert not Indicator.objects.filter(fiscal_year_id=TARGET_YEAR).exists()


def test_nothing_ticked_is_refused_not_taken_as_everything(auditor):
    data = {"source": SOURCE_YEAR, "agency": ["5030"]}
    response = client_for(auditor).post(URL, data)
    assert response.status_code == 400
    assert "ยังไม่ได้เลือกตัวชี้วัดที่จะยกยอด" in response.content.decode()
    assert not Indicator.objects.filter(fiscal_year_id=TARGET_YEAR).exists()


def test_a_year_out_of_range_is_not_found(auditor):
    url = reverse("indicators:year-prepare", kwargs={"year": 9999})
    assert client_for(auditor).get(url).status_code == 404


GROUPS = ["central", "south", "north", "east", "thonburi-north", "thonburi-south"]


def test_the_preview_costs_the_same_queries_for_one_agency_or_every_group(
    auditor, django_assert_max_num_queries
):
    client = client_for(auditor)
    client.get(URL)  # the session and user are read once before counting
    counts = []
    for choice in ({"agency": "5030"}, {"group": GROUPS}):
        with django_assert_max_num_queries(QUERIES) as queries:
            response = client.get(URL, {"source": SOURCE_YEAR} | choice)
        counts.append((len(queries), response.content.decode().count('name="indicator"')))
    # Every district's own indicators can be ticked; their shares of city indicators cannot.
    districts = Indicator.objects.filter(
        fiscal_year_id=SOURCE_YEAR, agency__group__isnull=False, city_indicator__isnull=True
    )
    assert districts.count() > 20  # the six demo districts' indicators
    assert counts == [(QUERIES, 5), (QUERIES, districts.count())]
