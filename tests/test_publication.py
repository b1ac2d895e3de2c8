"""Who sees which figures (DESIGN §4a): one rule in access.py, applied on every surface.

A reporter's draft, a submission awaiting review and the auditors' review notes stay with staff;
the public sees a quarter's value and narrative once approved, and its score once recorded.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import access, rollups
from indicators.access import PUBLIC_SCOPE, STAFF_SCOPE
from indicators.history import indicator_history
from indicators.models import Assessment, CommentKind, Indicator, ReportStatus, ReviewComment
from indicators.opendata.rows import indicator_rows, result_rows
from indicators.summaries import detail_queryset, one_indicator_queryset
from reports import book_pdf
from reports.dashboard import figures as dashboard
from tests.helpers import client_for, put
from tests.reports import pdftools

pytestmark = pytest.mark.django_db

DRAFT_VALUE = "7777.77"
DRAFT_NARRATIVE = "DRAFTSECRET ร่างที่ยังไม่ส่ง"
RETURN_REASON = "RETURNSECRET ตัวเลขดูเหมือนแต่งขึ้น"
APPROVED_NARRATIVE = "APPROVEDTEXT ดำเนินการครบตามแผน"


@pytest.fixture
def unpublished(report, auditor) -> Indicator:
    """Quarter 1 (the demo's current quarter) holds a draft; a return reason is on file."""
    put(report, ReportStatus.DRAFT, DRAFT_VALUE)
    report.narrative = DRAFT_NARRATIVE
    report.save()
    ReviewComment.objects.create(
        report=report, author=auditor, kind=CommentKind.RETURN, body=RETURN_REASON
    )
    return report.indicator


def _page(user, name: str, **kwargs) -> str:
    response = client_for(user).get(reverse(name, kwargs=kwargs) + kwargs.pop("query", ""))
    assert response.status_code == 200
    return response.content.decode()


def _secrets_in(text: str) -> list[str]:
    return [s for s in (DRAFT_VALUE, "7,777.77", "DRAFTSECRET", "RETURNSECRET") if s in text]


def test_the_rule_in_its_three_forms_agrees():
    """ReportScope.shows (objects), reports_q (ORM) and sql (layered SQL) are one rule."""
    from django.db import connection

    from indicators.models import QuarterReport

    for scope in (
        PUBLIC_SCOPE,
        STAFF_SCOPE,
        access.ReportScope(PUBLIC_SCOPE.statuses, frozenset({1})),
    ):
        reports = list(QuarterReport.objects.select_related("indicator")[:400])
        by_python = {r.pk for r in reports if scope.shows(r)}
        by_orm = set(
            QuarterReport.objects.filter(
                scope.reports_q(), pk__in=[r.pk for r in reports]
            ).values_list("pk", flat=True)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.id FROM {QuarterReport._meta.db_table} r JOIN "  # noqa: S608
                f"{Indicator._meta.db_table} i ON i.id = r.indicator_id WHERE {scope.sql()}"
            )
            by_sql = {pk for (pk,) in cursor.fetchall()} & {r.pk for r in reports}
        assert by_python == by_orm == by_sql


def test_scope_of_each_role(reporter5030, auditor, manager, admin_user, unpublished):
    from django.contrib.auth.models import AnonymousUser

    report = unpublished.reports.get(quarter=1)
    assert not access.report_scope(AnonymousUser()).shows(report)
    assert access.report_scope(reporter5030).shows(report)  # the agency's own draft
    assert not access.report_scope(auditor).shows(report)  # drafts stay with the agency
    assert not access.report_scope(manager).shows(report)
    assert access.report_scope(admin_user).shows(report)
    put(report, ReportStatus.SUBMITTED, DRAFT_VALUE)
    assert access.report_scope(auditor).shows(report)
    assert access.report_scope(manager).shows(report)
    assert not access.report_scope(AnonymousUser()).shows(report)


@pytest.mark.parametrize("who", [None, "reporter0100", "auditor"])
def test_detail_page_and_its_history_hide_the_draft_and_review_notes(unpublished, who, request):
    user = request.getfixturevalue(who) if who else None
    html = _page(
        user, "indicators:indicator-detail", year=unpublished.fiscal_year_id, code=unpublished.code
    )
    leaked = _secrets_in(html)
    if who == "auditor":
        # Auditors see review notes but not an unsubmitted draft.
        assert leaked == ["RETURNSECRET"]
    else:
        assert leaked == []


def test_the_agency_sees_its_own_draft(unpublished, reporter5030):
    html = _page(
        reporter5030,
        "indicators:indicator-detail",
        year=unpublished.fiscal_year_id,
        code=unpublished.code,
    )
    assert "DRAFTSECRET" in html and "RETURNSECRET" in html


def test_a_submitted_quarter_reads_awaiting_review_to_the_public(unpublished):
    put(unpublished.reports.get(quarter=1), ReportStatus.SUBMITTED, DRAFT_VALUE)
    html = _page(
        None, "indicators:indicator-detail", year=unpublished.fiscal_year_id, code=unpublished.code
    )
    assert _secrets_in(html) == []
    assert "รอการตรวจสอบ" in html


@pytest.mark.parametrize("who", ["auditor", "manager", "admin_user"])
def test_a_submitted_quarter_reads_its_value_to_staff(request, unpublished, who):
    """Staff see every report in review, so their pages skip the "awaiting review" flags
    (access.ReportScope.sees_reviews) and show the quarter itself."""
    put(unpublished.reports.get(quarter=1), ReportStatus.SUBMITTED, DRAFT_VALUE)
    user = request.getfixturevalue(who)
    assert access.report_scope(user).sees_reviews
    html = _page(
        user, "indicators:indicator-detail", year=unpublished.fiscal_year_id, code=unpublished.code
    )
    assert "7,777.77" in html or DRAFT_VALUE in html
    assert "รอการตรวจสอบ" not in html


def test_only_readers_who_may_miss_a_review_are_asked_for_its_flags(reporter5030):
    """The four in-review subqueries are asked for the public and reporters, not for staff."""
    reporter = access.report_scope(reporter5030)
    for scope, asked in ((PUBLIC_SCOPE, True), (reporter, True), (STAFF_SCOPE, False)):
        assert scope.sees_reviews is not asked
        annotations = one_indicator_queryset(scope).query.annotations
        assert ("in_review_q1" in annotations) is asked


def test_list_and_agency_pages_hide_the_draft(unpublished):
    year = unpublished.fiscal_year_id
    listing = client_for(None).get(
        reverse("indicators:indicator-list"), {"year": year, "q": unpublished.code}
    )
    assert unpublished.code in listing.content.decode()
    assert _secrets_in(listing.content.decode()) == []
    agency = _page(None, "indicators:agency-detail", prefix="5030", year=year)
    assert _secrets_in(agency) == []


def test_statuses_behind_strategy_home_and_list_filter_ignore_the_draft(unpublished):
    """The strategy tree, home counts and the status filter read rollups' statuses."""
    year = unpublished.fiscal_year_id
    in_year = Indicator.objects.in_year(year)
    public = rollups.status_map(in_year, PUBLIC_SCOPE)[unpublished.pk]
    own = rollups.status_map(
        in_year, access.ReportScope(PUBLIC_SCOPE.statuses, frozenset({unpublished.agency_id}))
    )[unpublished.pk]
    assert public[1] is None or public[1] != own[1]
    assert own[1] is not None  # the agency's own view counts its draft of 7,777.77


def test_dashboard_counts_only_what_the_reader_may_see(unpublished):
    fiscal_year = unpublished.fiscal_year
    public = dashboard.build(fiscal_year, 1, scope=PUBLIC_SCOPE).total
    everything = dashboard.build(fiscal_year, 1, scope=access.FULL_SCOPE).total
    assert public.reported < everything.reported


def test_open_data_holds_approved_values_only(unpublished):
    year = unpublished.fiscal_year_id
    rows = [*indicator_rows(year), *result_rows(year)]
    assert all(Decimal(DRAFT_VALUE) not in row for row in rows)


def test_sheet_pdf_hides_the_draft(unpublished):
    response = client_for(None).get(
        reverse(
            "reports:indicator-sheet",
            kwargs={"year": unpublished.fiscal_year_id, "code": unpublished.code},
        )
    )
    text = pdftools.text(response.content)
    assert "DRAFTSECRET" not in text and "7777.77" not in text and "7,777.77" not in text


def test_book_holds_what_the_public_sees(unpublished):
    text = pdftools.text(book_pdf.agency_book_pdf(unpublished.agency, unpublished.fiscal_year_id))
    assert "DRAFTSECRET" not in text and "7,777.77" not in text


def test_approved_quarter_is_public_with_its_score(report, auditor):
    from indicators.workflow import services

    put(report, ReportStatus.SUBMITTED, "30")
    report.narrative = APPROVED_NARRATIVE
    report.save()
    services.report_approve(
        report=report, by=auditor, version=report.version, score=Decimal(90), reason="ครบถ้วน"
    )
    indicator = report.indicator
    html = _page(
        None, "indicators:indicator-detail", year=indicator.fiscal_year_id, code=indicator.code
    )
    assert "APPROVEDTEXT" in html
    assessment = Assessment.objects.get(report=report)
    assert assessment.score == 90 and assessment.assessed_by == auditor
    history = indicator_history(
        detail_queryset(PUBLIC_SCOPE).get(pk=indicator.pk),
        scope=PUBLIC_SCOPE,
        with_review_notes=False,
    )
    assert any(entry.quarter == report.quarter for entry in history)
    assert all("ครบถ้วน" not in (entry.note or "") for entry in history)
