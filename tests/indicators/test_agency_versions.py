"""A version per agency (data_versions.owner_of): a save in agency A leaves the kept pages of
agency B's indicators served (the reporter's work list, entry and review forms, the indicator's
page for staff and the public) and renews A's with the new data; what no one agency owns
(indicators, windows, reference data, bulk writers) renews every agency's."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from indicators.cache import fingerprint, raise_after_commit
from indicators.models import (
    Agency,
    Indicator,
    LevelCriterion,
    QuarterReport,
    QuarterWindow,
    ReviewComment,
    StrategyNode,
)
from indicators.workflow import services
from tests.helpers import first_draft, raised_versions, rendered_context, report_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_page_cache")]

A, B = "5030", "0100"  # the demo reporters' agencies
YEAR = 2570
# A kept page reads only the data versions (session and user are kept: sessions.py; the
# indicator's agency is kept too: cache.indicator_agency).
SERVED_QUERIES = 1


def _agency(prefix: str) -> int:
    return Agency.objects.get(prefix=prefix).pk


def _draft(prefix: str) -> QuarterReport:
    return first_draft(YEAR, prefix)


def _raised(commits, edit) -> dict[str, int]:
    return raised_versions(commits, edit)


def _client(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def _save(report: QuarterReport, narrative: str, value: str = "41.5") -> None:
    by = User.objects.get(username=f"reporter{report.indicator.agency.prefix}")
    services.report_save(
        report=report, by=by, value=Decimal(value), narrative=narrative, version=report.version
    )


def _submit(report: QuarterReport, narrative: str, value: str = "41.5") -> None:
    by = User.objects.get(username=f"reporter{report.indicator.agency.prefix}")
    services.report_submit(
        report=report, by=by, value=Decimal(value), narrative=narrative, version=report.version
    )
    report.refresh_from_db()


# --- What each writer raises --------------------------------------------------------------


def test_a_save_raises_its_agency_and_no_other(commits):
    report = _draft(A)
    raised = _raised(commits, lambda: _submit(report, "ok"))
    assert raised == {"all": 1, str(YEAR): 1, f"agency:{_agency(A)}": 1}
    # A draft's save is private: only its agency's private versions (test_private_writes.py).


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: ReviewComment.objects.create(report=r, kind="comment", body="ok"),
        lambda r: LevelCriterion.objects.create(indicator=r.indicator, level=1, description="x"),
        lambda r: ReviewComment.objects.filter(report=r).delete(),
        lambda r: QuarterReport.objects.get(pk=r.pk).delete(),
    ],
    ids=["comment", "criterion", "comment-delete", "report-delete"],
)
def test_rows_of_one_agencys_indicator_raise_that_agency(commits, edit):
    report = _draft(A)
    ReviewComment.objects.create(report=report, kind="comment", body="set up")
    raised = _raised(commits, lambda: edit(report))
    assert raised == {"all": 1, str(YEAR): 1, f"agency:{_agency(A)}": 1}


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r.indicator.save(),  # may move it to another agency or line
        lambda r: r.indicator.strategy_nodes.add(StrategyNode.objects.first()),
        lambda r: QuarterWindow.objects.filter(fiscal_year_id=YEAR).first().save(),
    ],
    ids=["indicator", "strategy-link", "window"],
)
def test_what_no_one_agency_owns_raises_the_shared_version(commits, edit):
    report = _draft(A)
    assert _raised(commits, lambda: edit(report)) == {"all": 1, str(YEAR): 1, "shared": 1}


def test_a_save_raises_every_agency_on_the_indicators_line(commits):
    """B's indicator continues A's: B's page draws A's numbers (its year line)."""
    older = Indicator.objects.filter(fiscal_year_id=YEAR - 1, agency__prefix=A).first()
    newer = _draft(B).indicator
    Indicator.objects.filter(pk=newer.pk).update(continues=older)  # no signal: set up only
    report = older.reports.first()
    raised = _raised(commits, report.save)
    assert raised == {
        "all": 1,
        str(YEAR - 1): 1,
        f"agency:{_agency(A)}": 1,
        f"agency:{_agency(B)}": 1,
    }


@pytest.mark.parametrize(
    "writer",
    [raise_after_commit, lambda: Agency.objects.get(prefix=B).save()],
    ids=["bulk-writer", "reference"],
)
def test_bulk_writers_and_reference_data_renew_every_agency(commits, writer):
    """Imports, generate_city_data, rollover and digital-plan imports call raise_after_commit()."""
    before = fingerprint(agencies={_agency(A)})
    assert _raised(commits, writer) == {"all": 1, "reference": 1}
    assert fingerprint(agencies={_agency(A)}) != before


# --- Kept pages ---------------------------------------------------------------------------


def _served(client: Client, url: str, django_assert_num_queries) -> str:
    with django_assert_num_queries(SERVED_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _kept_and_renewed(commits, django_assert_num_queries, pages, edit, renewed_text):
    """pages: {prefix: (client, url)}. A's page shows renewed_text after edit(); B's is served
    kept, as it was."""
    (a_client, a_url), (b_client, b_url) = pages[A], pages[B]
    a_client.get(a_url)
    b_before = b_client.get(b_url).content.decode()
    _served(b_client, b_url, django_assert_num_queries)  # kept before the write, too
    commits(edit)
    assert renewed_text in a_client.get(a_url).content.decode()
    b_after = _served(b_client, b_url, django_assert_num_queries)
    assert renewed_text not in b_after
    assert _without_tokens(b_after) == _without_tokens(b_before)


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_work_list_of_another_agency_stays_kept(commits, django_assert_num_queries):
    reports = {prefix: _draft(prefix) for prefix in (A, B)}
    pages = {prefix: (_client(f"reporter{prefix}"), "/my/") for prefix in (A, B)}
    auditor = User.objects.get(username="auditor")
    reason = "เปิดให้แก้ไขเฉพาะ 5030 U-2261"
    unlock = lambda: services.report_unlock(  # noqa: E731
        report=reports[A], by=auditor, reason=reason, version=reports[A].version
    )
    _kept_and_renewed(commits, django_assert_num_queries, pages, unlock, reason)


def test_the_entry_form_of_another_agency_stays_kept(commits, django_assert_num_queries):
    reports = {prefix: _draft(prefix) for prefix in (A, B)}
    pages = {
        prefix: (_client(f"reporter{prefix}"), report_url(reports[prefix], "report-edit"))
        for prefix in (A, B)
    }
    narrative = "ร่างใหม่ของ 5030 E-5120"
    _kept_and_renewed(
        commits, django_assert_num_queries, pages, lambda: _save(reports[A], narrative), narrative
    )


def test_the_review_form_of_another_agency_stays_kept(commits, django_assert_num_queries):
    reports = {prefix: _draft(prefix) for prefix in (A, B)}
    for report in reports.values():
        commits(lambda report=report: _submit(report, "ส่งแล้ว"))
    auditor = User.objects.get(username="auditor")
    pages = {
        prefix: (_client("auditor"), report_url(reports[prefix], "report-review"))
        for prefix in (A, B)
    }
    reason = "คะแนนของ 5030 R-7710"
    score = lambda: services.assessment_record(  # noqa: E731
        report=reports[A],
        by=auditor,
        score=Decimal(77),
        score_2_1=Decimal(77),
        score_2_2=Decimal(77),
        reason=reason,
        version=reports[A].version,
    )
    _kept_and_renewed(commits, django_assert_num_queries, pages, score, reason)


def _detail(report: QuarterReport) -> str:
    return f"/indicators/{YEAR}/{report.indicator.code}/"


def test_the_indicator_page_of_another_agency_stays_kept(commits, django_assert_num_queries):
    reports = {prefix: _draft(prefix) for prefix in (A, B)}
    pages = {prefix: (_client("manager"), _detail(reports[prefix])) for prefix in (A, B)}
    narrative = "ผลที่ส่งของ 5030 D-3387"
    _kept_and_renewed(
        commits, django_assert_num_queries, pages, lambda: _submit(reports[A], narrative), narrative
    )


def test_the_public_indicator_page_of_another_agency_stays_kept(
    commits, django_assert_num_queries, public_page_cache
):
    reports = {prefix: _draft(prefix) for prefix in (A, B)}
    pages = {prefix: (Client(), _detail(reports[prefix])) for prefix in (A, B)}
    auditor = User.objects.get(username="auditor")
    narrative = "ผลที่อนุมัติของ 5030 P-4409"

    def approve() -> None:
        _submit(reports[A], narrative)
        services.report_approve(report=reports[A], by=auditor, version=reports[A].version)

    _kept_and_renewed(commits, django_assert_num_queries, pages, approve, narrative)


def test_a_save_on_the_line_renews_the_other_agencys_page(commits):
    """B's indicator continues A's: a save of A's older quarter renews B's page too."""
    newer = _draft(B).indicator
    older = Indicator.objects.filter(fiscal_year_id=YEAR - 1, agency__prefix=A).first()
    Indicator.objects.filter(pk=newer.pk).update(continues=older)
    commits(raise_after_commit)  # update() sends no signal: the test's own setting up
    client = _client("manager")
    url = f"/indicators/{YEAR}/{newer.code}/"
    client.get(url)
    assert "summary" not in rendered_context(client.get(url))  # kept
    commits(older.reports.first().save)
    assert "summary" in rendered_context(client.get(url))  # renewed


@pytest.mark.parametrize(
    "writer",
    [
        lambda r: r.indicator.save(),
        lambda r: QuarterWindow.objects.filter(fiscal_year_id=YEAR).first().save(),
        lambda r: raise_after_commit(),
    ],
    ids=["indicator", "window", "bulk-writer"],
)
def test_writes_no_agency_owns_renew_every_agencys_pages(commits, writer):
    report = _draft(B)
    pages = [
        (_client(f"reporter{B}"), "/my/"),
        (_client(f"reporter{B}"), report_url(report, "report-edit")),
        (_client("manager"), _detail(report)),
    ]
    for client, url in pages:
        client.get(url)
        assert not _rendered(client.get(url)), url  # kept
    commits(lambda: writer(_draft(A)))
    for client, url in pages:
        assert _rendered(client.get(url)), url  # renewed


def _rendered(response) -> bool:
    """The page's content was rendered for this request, not served kept."""
    return any(key in rendered_context(response) for key in ("items", "form", "summary"))
