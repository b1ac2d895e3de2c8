"""The API: schema, read scope by persona, and the agency token write endpoints."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from indicators.models import (
    Agency,
    ApiToken,
    CommentKind,
    FiscalYear,
    Indicator,
    QuarterReport,
    ReportStatus,
    ReviewComment,
)
from tests.helpers import client_for, put

pytestmark = pytest.mark.django_db

YEAR = 2564


def issue(user: User, prefix: str = "5030") -> str:
    token = ApiToken(name="complaints system", agency=Agency.objects.get(prefix=prefix), user=user)
    secret = token.issue()
    token.save()
    return secret


def token_client(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def write_url(report: QuarterReport, submit: bool = False) -> str:
    kwargs = {
        "year": report.indicator.fiscal_year_id,
        "code": report.indicator.code,
        "quarter": report.quarter,
    }
    return reverse("api:result-submit" if submit else "api:result-write", kwargs=kwargs)


def test_the_openapi_schema_validates(client):
    import yaml
    from openapi_spec_validator import validate

    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    paths = schema["paths"]
    for path in (
        "/api/v1/indicators/",
        "/api/v1/results/",
        "/api/v1/agencies/",
        "/api/v1/strategy-nodes/",
        "/api/v1/years/",
    ):
        assert "get" in paths[path]
    assert "put" in paths["/api/v1/results/{year}/{code}/q{quarter}/"]


def test_the_docs_page_loads_without_inline_scripts(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert b"<script>" not in response.content.replace(b" ", b"")


def test_lists_are_paged_and_filtered(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        data = client.get("/api/v1/indicators/", {"year": YEAR, "agency": "5030"}).json()
    expected = Indicator.objects.filter(fiscal_year_id=YEAR, agency__prefix="5030").count()
    assert data["count"] == expected
    assert {row["code"][:4] for row in data["results"]} == {"5030"}
    page = client.get("/api/v1/indicators/", {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    with django_assert_max_num_queries(4):
        results = client.get("/api/v1/results/", {"year": YEAR, "page_size": 200}).json()
    assert results["count"] > 0
    agency = client.get("/api/v1/agencies/", {"prefix": "0100"}).json()["results"][0]
    assert agency["code"] == Agency.objects.get(prefix="0100").code and agency["code"][0] == "0"


def test_numbers_are_numbers(client):
    row = client.get("/api/v1/indicators/", {"year": YEAR}).json()["results"][0]
    assert isinstance(row["target"], (int, float)) and isinstance(row["year"], int)


@pytest.fixture
def draft(report, auditor) -> QuarterReport:
    """A draft with a review comment, in a year the public may read."""
    FiscalYear.objects.filter(year=report.indicator.fiscal_year_id).update(is_published=True)
    put(report, ReportStatus.DRAFT, "7777.77")
    ReviewComment.objects.create(
        report=report, author=auditor, kind=CommentKind.RETURN, body="RETURNSECRET"
    )
    return report


def results_for(user, report) -> list[dict]:
    query = {"indicator": report.indicator.code, "year": report.indicator.fiscal_year_id}
    return client_for(user).get("/api/v1/results/", query).json()["results"]


@pytest.mark.parametrize(
    "persona, sees_draft",
    [
        (None, False),
        ("reporter5030", True),
        ("reporter0100", False),
        ("auditor", False),
        ("manager", False),
        ("admin_user", True),
    ],
)
def test_results_follow_the_publication_rule(request, draft, persona, sees_draft):
    user = request.getfixturevalue(persona) if persona else None
    quarters = [row["quarter"] for row in results_for(user, draft)]
    assert (draft.quarter in quarters) is sees_draft
    text = str(results_for(user, draft))
    assert "RETURNSECRET" not in text


def test_anonymous_callers_do_not_see_unpublished_years(client):
    FiscalYear.objects.filter(year=YEAR).update(is_published=False)
    assert client.get("/api/v1/indicators/", {"year": YEAR}).json()["count"] == 0
    assert YEAR not in [y["year"] for y in client.get("/api/v1/years/").json()["results"]]


def test_anonymous_callers_are_rate_limited(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/v1/years/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_token_saves_and_submits_through_the_services(report, reporter5030):
    secret = issue(reporter5030)
    client = token_client(secret)
    saved = client.put(
        write_url(report),
        {"value": "26.5", "narrative": "จากระบบร้องเรียน", "version": report.version},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["value"] == 26.5 and saved.json()["status"] == ReportStatus.DRAFT
    report.refresh_from_db()
    assert report.value == Decimal("26.5")
    assert report.history.first().history_user == reporter5030
    submitted = client.post(
        write_url(report, submit=True),
        {"value": 27, "narrative": "ส่งจากระบบ", "version": report.version},
        content_type="application/json",
    )
    assert submitted.status_code == 200, submitted.json()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == reporter5030


def test_a_stale_version_is_a_conflict_and_writes_nothing(report, reporter5030):
    client = token_client(issue(reporter5030))
    response = client.put(
        write_url(report),
        {"value": 1, "narrative": "x", "version": report.version + 5},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["current"]["version"] == report.version
    assert QuarterReport.objects.get(pk=report.pk).value == report.value


def test_bad_input_gets_the_forms_message(report, reporter5030):
    client = token_client(issue(reporter5030))
    response = client.put(
        write_url(report),
        {"value": "ไม่ใช่ตัวเลข", "narrative": "", "version": report.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["value"][0]["message"]
    empty = client.post(
        write_url(report, submit=True),
        {"value": None, "narrative": "", "version": report.version},
        content_type="application/json",
    )
    assert empty.status_code == 400
    assert empty.json()["errors"]["value"][0]["message"] == "กรุณากรอกผลการดำเนินงานก่อนส่ง"
    listed = client.put(write_url(report), [1, 2], content_type="application/json")
    assert listed.status_code == 400 and listed.json()["detail"]
    assert QuarterReport.objects.get(pk=report.pk).status == report.status


def test_a_token_cannot_write_another_agencys_results(reporter0100, report):
    secret = issue(reporter0100, prefix="0100")
    response = token_client(secret).put(
        write_url(report),
        {"value": 1, "narrative": "x", "version": report.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert QuarterReport.objects.get(pk=report.pk).version == report.version


def test_a_revoked_or_unknown_token_is_refused(report, reporter5030):
    secret = issue(reporter5030)
    ApiToken.objects.get().revoke()
    for value in (secret, "kpi_unknown"):
        response = token_client(value).put(
            write_url(report),
            {"value": 1, "narrative": "x", "version": report.version},
            content_type="application/json",
        )
        assert response.status_code == 401


def test_a_signed_in_reporter_cannot_write_through_the_api(report, reporter5030):
    response = client_for(reporter5030).put(
        write_url(report),
        {"value": 1, "narrative": "x", "version": report.version},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_only_the_hash_is_stored(reporter5030):
    secret = issue(reporter5030)
    token = ApiToken.objects.get()
    assert secret not in (token.key_hash, token.hint) and len(token.key_hash) == 64


def test_the_admin_shows_a_new_token_once(admin_user, reporter5030):
    client = client_for(admin_user)
    agency = Agency.objects.get(prefix="5030")
    response = client.post(
        reverse("admin:indicators_apitoken_add"),
        {"name": "ระบบงบประมาณ", "agency": agency.pk, "user": reporter5030.pk},
        follow=True,
    )
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    secret = next(word for m in shown for word in m.split() if word.startswith("kpi_"))
    assert token.key_hash == __import__("indicators.models", fromlist=["hash_token"]).hash_token(
        secret
    )
    refused = client.post(
        reverse("admin:indicators_apitoken_add"),
        {"name": "x", "agency": Agency.objects.get(prefix="0100").pk, "user": reporter5030.pk},
    )
    assert refused.status_code == 200 and ApiToken.objects.count() == 1


def test_a_submitted_report_is_refused_with_the_forms_reason(report, reporter5030):
    put(report, ReportStatus.SUBMITTED, "20")
    response = token_client(issue(reporter5030)).put(
        write_url(report),
        {"value": 1, "narrative": "x", "version": report.version},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "ส่งรายงานแล้ว รอผู้ตรวจประเมินพิจารณา จึงแก้ไขไม่ได้"
    assert QuarterReport.objects.get(pk=report.pk).value == Decimal("20")
