"""Edits of drafts are private writes (data_versions.private_write): only the agency's reporters
and the administrator see a draft (DESIGN §4a), and an auditor its review form, so a draft's save
renews their pages alone. Every other reader's pages stay served kept, and no reader is ever
served a page that differs from a fresh rendering."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from indicators import data_versions
from indicators.models import Agency, Evidence, QuarterReport, ReportStatus
from indicators.workflow import services
from tests.helpers import first_draft, raised_versions, report_url, standing_differences

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("staff_page_cache", "public_page_cache"),
]

A, B = "5030", "0100"  # the demo reporters' agencies
YEAR = 2570
READERS = [None, f"reporter{A}", f"reporter{B}", "auditor", "manager", "admin"]
# Those who see the draft of agency A, and the pages where they see it.
SEES_DRAFT = {f"reporter{A}": ("detail", "edit"), "auditor": ("review",), "admin": ("detail",)}
DRAFT_READERS = {f"reporter{A}", "admin"}  # every page of theirs may count A's drafts
NARRATIVE = "ร่างที่ยังไม่ส่ง ฉบับแก้ไข K-5521"


def _draft(prefix: str = A) -> QuarterReport:
    return first_draft(YEAR, prefix)


def _reporter(report: QuarterReport) -> User:
    return User.objects.get(username=f"reporter{report.indicator.agency.prefix}")


def _save(report: QuarterReport, narrative: str = NARRATIVE, files=()) -> None:
    services.report_save(
        report=report,
        by=_reporter(report),
        value=Decimal("41.5"),
        narrative=narrative,
        version=report.version,
        files=files,
    )
    report.refresh_from_db()


def _raised(commits, edit) -> dict[str, int]:
    return raised_versions(commits, edit)


def _agency(prefix: str) -> int:
    return Agency.objects.get(prefix=prefix).pk


def _private(prefix: str = A) -> dict[str, int]:
    return {"private": 1, f"private:{_agency(prefix)}": 1}


def _public(prefix: str = A) -> dict[str, int]:
    return {"all": 1, str(YEAR): 1, f"agency:{_agency(prefix)}": 1}


# --- What each edit raises ------------------------------------------------------------------


def test_an_edit_of_a_draft_raises_only_the_private_versions_of_its_agency(commits):
    report = _draft()
    assert _raised(commits, lambda: _save(report)) == _private()


def test_evidence_added_to_and_removed_from_a_draft_is_private(commits):
    report = _draft()
    upload = SimpleUploadedFile("หลักฐาน.pdf", b"%PDF-1.4 evidence", "application/pdf")
    assert _raised(commits, lambda: _save(report, files=[upload])) == _private()
    evidence = Evidence.objects.get(report=report)
    remove = lambda: services.evidence_remove(  # noqa: E731
        evidence=evidence, by=_reporter(report), version=report.version
    )
    assert _raised(commits, remove) == _private()
    assert not Evidence.objects.filter(report=report).exists()


def test_edits_that_change_what_staff_see_are_not_private(commits):
    report = _draft()
    submit = lambda: services.report_submit(  # noqa: E731
        report=report,
        by=_reporter(report),
        value=Decimal(3),
        narrative="ส่ง",
        version=report.version,
    )
    assert _raised(commits, submit) == _public()  # a draft sent: auditors see it now
    report.refresh_from_db()
    auditor = User.objects.get(username="auditor")
    commits(
        lambda: services.report_return(
            report=report, by=auditor, reason="แก้ตัวเลข", version=report.version
        )
    )
    report.refresh_from_db()
    # Returned, then saved: the report leaves "returned", which staff saw.
    assert _raised(commits, lambda: _save(report, "แก้แล้ว")) == _public()


def test_the_first_save_of_an_empty_quarter_is_not_private(commits):
    """It creates the row the workflow figures count."""
    report = _draft()
    commits(report.delete)  # the quarter as it was before anyone saved it
    empty = QuarterReport.of(report.indicator, report.quarter)
    raised = _raised(commits, lambda: _save(empty, "ไตรมาสแรกที่บันทึก"))
    assert raised == _public()


def test_writers_outside_the_services_raise_every_version(commits):
    """The admin, imports and shells write no declaration: the whole year is renewed."""
    report = _draft()
    report.narrative = "แก้ผ่านหน้าผู้ดูแลระบบ"
    assert _raised(commits, report.save) == _public()


def test_a_declared_private_write_left_unrefreshed_raises_every_version(commits):
    """A private write promises the stored standings are refreshed in the same transaction;
    when none was, readers are sent to refresh the year by its version instead."""
    report = _draft()

    def edit() -> None:
        data_versions.private_write(report.pk)
        report.narrative = "ไม่มีการคำนวณใหม่"
        report.save()

    assert _raised(commits, edit) == _public() | _private()
    assert standing_differences(YEAR) == []


def test_stored_standings_hold_the_private_edit(commits):
    commits(lambda: _save(_draft(), narrative="ค่าใหม่"))
    assert standing_differences(YEAR) == []


# --- What each reader is served ---------------------------------------------------------------


def _client(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def _pages(report: QuarterReport) -> dict[str, str]:
    return {
        "home": "/",
        "list": f"/indicators/?year={YEAR}",
        "status filter": f"/indicators/?year={YEAR}&status=on_track",
        "agency": f"/agencies/{A}/{YEAR}/",
        "strategy": f"/strategy/{YEAR}/",
        "dashboard": f"/dashboard/{YEAR}/",
        "detail": f"/indicators/{YEAR}/{report.indicator.code}/",
        "my work": "/my/",
        "review queue": "/review/",
        "edit": report_url(report, "report-edit"),
        "review": report_url(report, "report-review"),
    }


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r or "public")
def test_no_reader_is_served_a_page_older_than_a_private_edit(
    commits, django_assert_max_num_queries, reader
):
    report = _draft()
    client = _client(reader)
    pages = {
        name: url for name, url in _pages(report).items() if client.get(url).status_code == 200
    }
    assert {"home", "list", "detail"} <= set(pages)
    commits(lambda: _save(report))
    served = {}
    for name, url in pages.items():
        if name in SEES_DRAFT.get(reader, ()):
            served[name] = _text(client.get(url))
            assert NARRATIVE in served[name], (reader, name)
        elif reader in DRAFT_READERS or (name == "home" and reader is not None):
            # Renewed: their pages count the drafts; staff's home page is rendered each time.
            served[name] = _text(client.get(url))
        else:  # kept: one query, the data versions
            with django_assert_max_num_queries(1, info=f"{reader} {name}"):
                served[name] = _text(client.get(url))
    cache.clear()
    for name, url in pages.items():
        assert served[name] == _text(client.get(url)), (reader, name)


def test_the_draft_stays_out_of_the_pages_of_those_who_may_not_see_it(commits):
    report = _draft()
    commits(lambda: _save(report))
    for reader in (None, f"reporter{B}", "auditor", "manager"):
        client = _client(reader)
        for name, url in _pages(report).items():
            if name == "review" and reader == "auditor":
                continue  # the review form of a late draft, to unlock it
            response = client.get(url)
            assert NARRATIVE not in response.content.decode(), (reader, name)


# --- Pages of one indicator's line, for readers of drafts -------------------------------------


def _two_drafts() -> tuple[QuarterReport, QuarterReport]:
    drafts = QuarterReport.objects.filter(
        indicator__fiscal_year_id=YEAR,
        indicator__agency__prefix=A,
        status=ReportStatus.DRAFT,
        quarter=1,
    ).select_related("indicator__agency")
    first, other = drafts.order_by("indicator__number")[:2]
    return first, other


@pytest.mark.parametrize(
    ("reader", "page_name"),
    [
        (f"reporter{A}", "edit"),
        (f"reporter{A}", "detail"),
        ("auditor", "review"),
        ("admin", "detail"),
    ],
)
def test_a_page_of_one_line_outlives_the_edit_of_another_lines_draft(
    commits, django_assert_num_queries, reader, page_name
):
    """Kept while the agency's other drafts are edited (one query more, once: the line's
    stamp); rendered again when its own line's draft is."""
    report, other = _two_drafts()
    client = _client(reader)
    url = _pages(report)[page_name]
    kept = _text(client.get(url))
    commits(lambda: _save(other, "อีกตัวชี้วัดหนึ่ง"))
    with django_assert_num_queries(2):  # the versions, and the line's stamp
        assert _text(client.get(url)) == kept
    with django_assert_num_queries(1):  # checked once: kept at the new versions
        assert _text(client.get(url)) == kept
    commits(lambda: _save(report))
    renewed = _text(client.get(url))
    assert NARRATIVE in renewed
    cache.clear()
    assert _text(client.get(url)) == renewed
