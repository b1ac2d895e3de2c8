"""Every page of the reporting workflow as every persona, with the exact status code."""

import pytest
from django.urls import reverse

from indicators.models import Evidence
from indicators.workflow import services
from tests.helpers import client_for, pdf, target_appeal

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reporter5030", "reporter0100", "auditor", "manager", "admin_user"]

# page -> expected status per persona, in the order of PERSONAS.
MATRIX = {
    "my-work": (302, 200, 200, 403, 403, 403),
    "review-queue": (302, 403, 403, 200, 403, 200),
    "report-edit": (302, 200, 404, 403, 403, 403),
    "report-review": (302, 403, 404, 200, 403, 200),
    "evidence-download": (302, 200, 404, 200, 200, 200),
    "appeal-create": (302, 200, 404, 403, 403, 403),
    "appeal-decide": (302, 403, 403, 200, 403, 200),
    "appeal-evidence": (302, 200, 404, 200, 200, 200),
    "report-edit-missing": (302, 404, 404, 404, 404, 404),
    "password-change": (302, 200, 200, 200, 200, 200),
    "password-reset": (200, 200, 200, 200, 200, 200),
    "login": (200, 200, 200, 200, 200, 200),
}


@pytest.fixture
def urls(report, reporter5030) -> dict[str, str]:
    report = services.report_save(
        report=report,
        by=reporter5030,
        value=None,
        narrative="",
        version=report.version,
        files=[pdf()],
    )
    evidence = Evidence.objects.get(report=report)
    appeal = target_appeal(report.indicator, reporter5030)
    key = {"year": report.indicator.fiscal_year_id, "code": report.indicator.code}
    quarter = key | {"quarter": report.quarter}
    return {
        "my-work": reverse("indicators:my-work"),
        "review-queue": reverse("indicators:review-queue"),
        "report-edit": reverse("indicators:report-edit", kwargs=quarter),
        "report-review": reverse("indicators:report-review", kwargs=quarter),
        "evidence-download": reverse("indicators:evidence-download", kwargs={"pk": evidence.pk}),
        "appeal-create": reverse("indicators:appeal-create", kwargs=key),
        "appeal-decide": reverse("indicators:appeal-decide", kwargs={"pk": appeal.pk}),
        "appeal-evidence": reverse("indicators:appeal-evidence-download", kwargs={"pk": appeal.pk}),
        "report-edit-missing": reverse("indicators:report-edit", kwargs=key | {"quarter": 5}),
        "password-change": reverse("password_change"),
        "password-reset": reverse("password_reset"),
        "login": reverse("login"),
    }


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(request, urls, page, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).get(urls[page])
    expected = MATRIX[page][PERSONAS.index(persona)]
    assert response.status_code == expected, (page, persona)
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["reporter0100", "auditor", "manager"])
def test_posting_to_someone_elses_report_changes_nothing(request, report, persona):
    url = reverse(
        "indicators:report-edit",
        kwargs={
            "year": report.indicator.fiscal_year_id,
            "code": report.indicator.code,
            "quarter": report.quarter,
        },
    )
    data = {"value": "50", "narrative": "x", "version": report.version, "action": "submit"}
    response = client_for(request.getfixturevalue(persona)).post(url, data)
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.value is None


def test_anonymous_post_is_sent_to_login(report):
    url = reverse(
        "indicators:report-review",
        kwargs={
            "year": report.indicator.fiscal_year_id,
            "code": report.indicator.code,
            "quarter": report.quarter,
        },
    )
    response = client_for(None).post(url, {"action": "approve", "version": 1})
    assert response.status_code == 302


def test_review_queue_filters(submitted, auditor):
    client = client_for(auditor)
    url = reverse("indicators:review-queue")
    shown = client.get(url, {"agency": "5030", "quarter": submitted.quarter}).context["reports"]
    assert submitted in list(shown)
    assert submitted not in list(client.get(url, {"agency": "0100"}).context["reports"])
    group = submitted.indicator.agency.group
    if group is not None:
        assert submitted in list(client.get(url, {"group": group.code}).context["reports"])


def test_password_reset_sends_a_thai_email(reporter5030, mailoutbox):
    client_for(None).post(reverse("password_reset"), {"email": reporter5030.email})
    assert len(mailoutbox) == 1
    assert "ตั้งรหัสผ่านใหม่" in mailoutbox[0].subject
