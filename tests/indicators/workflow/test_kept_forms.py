"""Entry and review forms, the reporter's inbox and the review queue kept per role scope (indicators/fragments.py):
the same for every reader of one scope, never another scope's, each served with its reader's own
CSRF token, and renewed by a save, whose new version the next reader's form carries."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from indicators import access
from indicators.models import AgencyMembership, CommentKind, QuarterReport, ReviewComment
from indicators.workflow import services
from tests.helpers import report_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_page_cache")]

DRAFT_NARRATIVE = "ร่างลับของเขตบางคอแหลม F-4402"
RETURN_REASON = "เหตุผลส่งกลับเฉพาะหน่วยงาน F-9913"
# Reporter of agency A, of agency B, auditor, manager, administrator, anonymous.
READERS = ["reporter5030", "reporter0100", "auditor", "manager", "admin", None]
# A kept page reads only the data versions (session and user are kept too: sessions.py).
SERVED_QUERIES = 1
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(username: str | None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def _main(response) -> str:
    """The page's <main> with its tokens blanked (they are masked anew for every request)."""
    match = re.search(r"<main\b.*</main>", response.content.decode(), re.S)
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', match.group(0)) if match else ""


def _tokens(response) -> list[str]:
    return TOKEN.findall(response.content.decode())


def _second_member(reporter5030: User) -> User:
    """Another reporter of 5030: the same scope as reporter5030, another person."""
    user = User.objects.create_user("reporter5030b")
    user.groups.set(reporter5030.groups.all())
    for agency_id in access.own_agency_ids(reporter5030):
        AgencyMembership.objects.create(user=user, agency_id=agency_id)
    return user


@pytest.fixture
def in_review(report, reporter5030, commits) -> QuarterReport:
    commits(
        lambda: services.report_submit(
            report=report,
            by=reporter5030,
            value=Decimal("44.1"),
            narrative=DRAFT_NARRATIVE,
            version=report.version,
            files=[],
        )
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def returned_draft(in_review, auditor, commits) -> QuarterReport:
    """5030-2001's current quarter submitted, then returned with a reason (it shows on /my/
    with the reason), its narrative the agency's own."""
    commits(
        lambda: services.report_return(
            report=in_review, by=auditor, version=in_review.version, reason=RETURN_REASON
        )
    )
    in_review.refresh_from_db()
    return in_review


def _urls(report: QuarterReport) -> list[str]:
    edit, review = report_url(report, "report-edit"), report_url(report, "report-review")
    return [edit, review, "/my/", "/review/"]


@pytest.mark.parametrize("first", READERS)
@pytest.mark.parametrize("page", [0, 1, 2, 3])
def test_every_reader_is_served_what_they_would_be_rendered(returned_draft, page, first):
    """`first` fills the cache; every reader then gets what a fresh render gives them."""
    url = _urls(returned_draft)[page]
    first_response = _client(first).get(url)
    first_tokens = set(_tokens(first_response))
    for second in READERS:
        served = _client(second).get(url)
        assert not first_tokens & set(_tokens(served)), (first, second)
        cache.clear()
        rendered = _client(second).get(url)
        assert (served.status_code, _main(served)) == (rendered.status_code, _main(rendered))
        _client(first).get(url)  # kept again for the next reader


@pytest.mark.parametrize("reader", ["reporter0100", "auditor", "manager", None])
def test_a_draft_form_never_reaches_another_scope(returned_draft, reporter5030, reader):
    url = report_url(returned_draft, "report-edit")
    assert DRAFT_NARRATIVE in _main(_client("reporter5030").get(url))
    served = _client(reader).get(url)
    assert served.status_code in (302, 403, 404)
    assert DRAFT_NARRATIVE not in served.content.decode()


@pytest.mark.parametrize("reader", ["reporter0100", "manager", None])
def test_a_review_form_never_reaches_another_scope(in_review, reader):
    url = report_url(in_review, "report-review")
    assert DRAFT_NARRATIVE in _main(_client("auditor").get(url))
    served = _client(reader).get(url)
    assert served.status_code in (302, 403, 404)
    assert DRAFT_NARRATIVE not in served.content.decode()


@pytest.mark.parametrize("reader", ["reporter0100", "auditor", "manager", "admin"])
def test_an_inbox_never_reaches_another_scope(returned_draft, reader):
    assert RETURN_REASON in _main(_client("reporter5030").get("/my/"))
    served = _client(reader).get("/my/")
    assert RETURN_REASON not in served.content.decode()
    assert returned_draft.indicator.code not in _main(served)


def test_the_inbox_is_shared_by_the_agencys_reporters(returned_draft, reporter5030):
    first = _client("reporter5030").get("/my/")
    assert first.context["items"]  # rendered
    served = _client(_second_member(reporter5030).username).get("/my/")
    assert "items" not in served.context  # kept
    assert _main(served) == _main(first)
    assert "reporter5030b" in served.content.decode()  # the header is the reader's own


def test_a_kept_form_carries_its_readers_token_and_posts(report, reporter5030):
    url = report_url(report, "report-edit")
    _client("reporter5030").get(url)
    other = _client(_second_member(reporter5030).username)
    served = other.get(url)
    assert "form" not in served.context  # kept, not rendered for this reader
    tokens = _tokens(served)
    assert len(tokens) > 1 and len(set(tokens)) == 1  # the header's and the form's, one masking
    answer = other.post(
        url,
        {
            "csrfmiddlewaretoken": tokens[0],
            "version": report.version,
            "value": "12",
            "narrative": "บันทึกจากแบบฟอร์มที่เก็บไว้",
            "action": "save",
        },
    )
    assert answer.status_code == 302, answer.content[:500]
    report.refresh_from_db()
    assert report.value == Decimal(12)


def test_a_kept_form_without_its_readers_token_is_refused(report, reporter5030):
    url = report_url(report, "report-edit")
    _client("reporter5030").get(url)
    other = _client(_second_member(reporter5030).username)
    other.get(url)
    answer = other.post(url, {"version": report.version, "value": "12", "action": "save"})
    assert answer.status_code == 403


def _version_in(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def test_a_save_changes_the_version_the_next_readers_form_carries(
    report, reporter5030, django_capture_on_commit_callbacks
):
    url = report_url(report, "report-edit")
    writer, reader = _client("reporter5030"), _client(_second_member(reporter5030).username)
    page = writer.get(url)
    before = _version_in(page)
    assert "form" not in reader.get(url).context  # the reader is served the kept form
    with django_capture_on_commit_callbacks(execute=True):
        writer.post(
            url,
            {
                "csrfmiddlewaretoken": _tokens(page)[0],
                "version": before,
                "value": "7",
                "narrative": "บันทึกครั้งแรก",
                "action": "save",
            },
        )
    served = reader.get(url)
    report.refresh_from_db()
    assert _version_in(served) == str(report.version) != before
    assert "บันทึกครั้งแรก" in served.content.decode()


def test_a_form_with_errors_is_rendered_for_its_request(report, reporter5030):
    url = report_url(report, "report-edit")
    client = _client("reporter5030")
    page = client.get(url)
    answer = client.post(
        url,
        {"csrfmiddlewaretoken": _tokens(page)[0], "version": report.version, "value": "abc"},
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors  # rendered for this POST
    assert 'value="abc"' in answer.content.decode()
    assert "abc" not in client.get(url).content.decode()  # never kept


@pytest.mark.parametrize("extra", [0, 6])
def test_served_forms_and_inbox_read_the_same_few_queries(
    returned_draft, auditor, reporter5030, extra, django_assert_num_queries, commits
):
    """Kept pages cost the versions' read whatever the data holds."""
    for n in range(extra):
        commits(
            lambda n=n: ReviewComment.objects.create(
                report=returned_draft, author=auditor, kind=CommentKind.COMMENT, body=f"note {n}"
            )
        )
    member = _client("reporter5030")
    reviewer = _client("auditor")
    pages = [(member, report_url(returned_draft, "report-edit")), (member, "/my/")]
    pages.append((reviewer, report_url(returned_draft, "report-review")))
    pages.append((reviewer, "/review/"))
    for client, url in pages:
        client.get(url)
        with django_assert_num_queries(SERVED_QUERIES):
            assert client.get(url).status_code == 200
