"""Page fragments kept for signed-in readers (indicators/fragments.py): reused within one role
scope, never shown to a reader of another scope, renewed when that year's data changes."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from indicators.models import Indicator, QuarterReport, ReportStatus, ReviewComment
from indicators.workflow import services
from tests.helpers import rendered_context

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_page_cache")]

DETAIL = "/indicators/2570/5030-2001/"
AGENCY = "/agencies/5030/2570/"
PAGES = [
    DETAIL,
    AGENCY,
    "/indicators/?year=2570&agency=5030",
    "/strategy/2570/",
    "/dashboard/2570/",
]
DRAFT_NARRATIVE = "ร่างลับของเขตบางคอแหลม A-7731"
DRAFT_VALUE = Decimal("61.37")
RETURN_REASON = "เหตุผลส่งกลับเฉพาะผู้ตรวจ R-5519"
# Who sees what (README "Who sees what"): a draft only the agency's reporters (and the
# administrator); a returned report's reason also auditors and managers.
READERS = ["reporter5030", "reporter0100", "auditor", "manager", "nobody", None]
SEES_DRAFT = {"reporter5030"}
SEES_RETURN = {"reporter5030", "auditor", "manager"}


def _main(response) -> str:
    """The page's <main>: what a fragment holds (the header carries the reader's own token)."""
    match = re.search(r"<main\b.*</main>", response.content.decode(), re.S)
    assert match, response.content[:300]
    return match.group(0)


def _client(username: str | None) -> Client:
    client = Client()
    if username == "nobody":
        user, _ = User.objects.get_or_create(username="nobody")  # signed in, no role
        client.force_login(user)
    elif username is not None:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def private_data(report, reporter5030, auditor, django_capture_on_commit_callbacks):
    """A draft of 5030-2001 Q1 and a returned report (with its reason) of 5030-2001 Q1's
    sibling quarter of another 5030 indicator."""
    with django_capture_on_commit_callbacks(execute=True):
        services.report_save(
            report=report,
            by=reporter5030,
            value=DRAFT_VALUE,
            narrative=DRAFT_NARRATIVE,
            version=report.version,
        )
    returned = (
        QuarterReport.objects.filter(
            indicator__fiscal_year_id=2570, indicator__agency__prefix="5030", quarter=1
        )
        .exclude(pk=report.pk)
        .first()
    )
    with django_capture_on_commit_callbacks(execute=True):
        QuarterReport.objects.filter(pk=returned.pk).update(status=ReportStatus.RETURNED)
        ReviewComment.objects.create(
            report=returned, author=auditor, kind="return", body=RETURN_REASON
        )
    return returned


def _pairs(sees: set[str]) -> list[tuple[str | None, str | None]]:
    return [(a, b) for a in READERS for b in READERS if a in sees and b not in sees]


@pytest.mark.parametrize(("first", "second"), _pairs(SEES_DRAFT))
@pytest.mark.parametrize("url", [DETAIL, AGENCY])
def test_a_draft_never_reaches_a_reader_of_another_scope(private_data, url, first, second):
    seen = _main(_client(first).get(url))
    assert DRAFT_NARRATIVE in seen or "61.37" in seen
    other = _main(_client(second).get(url))
    assert DRAFT_NARRATIVE not in other
    assert "61.37" not in other


@pytest.mark.parametrize(("first", "second"), _pairs(SEES_RETURN))
def test_a_return_reason_never_reaches_a_reader_of_another_scope(private_data, first, second):
    url = f"/indicators/2570/{private_data.indicator.code}/"
    assert RETURN_REASON in _main(_client(first).get(url))
    assert RETURN_REASON not in _main(_client(second).get(url))


@pytest.mark.parametrize("url", PAGES)
def test_every_reader_is_served_what_they_would_be_rendered(private_data, url):
    """Each reader in turn after all the others: the kept fragment equals a fresh render."""
    served = {}
    for username in READERS:
        served[username] = _main(_client(username).get(url))
    for username in READERS:
        cache.clear()
        assert _main(_client(username).get(url)) == served[username], username


def test_readers_of_one_scope_share_the_fragment(manager, django_assert_max_num_queries):
    first = _client("manager").get(DETAIL)
    assert first.context["summary"]  # rendered
    other_manager = User.objects.create_user("manager2")
    other_manager.groups.set(manager.groups.all())
    client = _client("manager2")
    served = client.get(DETAIL)
    assert "summary" not in rendered_context(served)  # only the page's frame was rendered
    assert _main(served) == _main(first)
    assert "manager2" in served.content.decode()  # the header is the reader's own


def test_the_header_and_its_token_are_rendered_per_request():
    client = _client("manager")
    first = client.get(DETAIL).content.decode()
    second = client.get(DETAIL).content.decode()
    tokens = [
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in (first, second)
    ]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]  # masked anew for each request


def test_a_page_served_again_renders_no_template_and_equals_a_rendered_one():
    """The shell (header, menu) is kept per user and address too, with slots for the parts."""
    client = _client("manager")
    first = client.get(DETAIL)
    served = client.get(DETAIL)
    assert served.templates == []  # neither the parts nor the shell were rendered
    assert _tokenless(served) == _tokenless(first)
    cache.clear()
    assert _tokenless(client.get(DETAIL)) == _tokenless(served)


def test_the_kept_shell_is_the_users_own_and_follows_their_name(commits):
    client, other = _client("manager"), _client("auditor")
    client.get(DETAIL)
    auditor = User.objects.get(username="auditor")
    page = other.get(DETAIL).content.decode()
    assert f'<span class="user-name">{auditor.get_full_name() or "auditor"}</span>' in page
    user = User.objects.get(username="manager")
    user.first_name, user.last_name = "สมศรี", "ใจดี"
    commits(user.save)
    assert "สมศรี ใจดี" in client.get(DETAIL).content.decode()


def test_a_message_is_shown_once_on_a_kept_page(report, reporter5030):
    """A message waiting for the reader is rendered into the page, not kept with it."""
    client = _client("reporter5030")
    url = f"/indicators/2570/{report.indicator.code}/q{report.quarter}/edit/"
    client.get(url)
    client.get(url)  # parts and shell kept
    data = {"value": "12", "narrative": "บันทึกร่าง", "version": report.version}
    assert client.post(url, data).status_code == 302
    shown = client.get(url).content.decode()
    assert "บันทึกร่างแล้ว" in shown
    assert "บันทึกร่างแล้ว" not in client.get(url).content.decode()


def _tokenless(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_write_renews_that_year_only(report, reporter5030, django_capture_on_commit_callbacks):
    """Agency pages are keyed by their year; an indicator's page draws every year's line."""
    client = _client("manager")
    client.get(AGENCY)
    old_year = "/agencies/5030/2569/"
    assert client.get(old_year).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # sent: a manager sees it now
        services.report_submit(
            report=report, by=reporter5030, value=Decimal(1), narrative="x", version=report.version
        )
    assert "groups" in rendered_context(client.get(AGENCY))  # 2570 rendered again
    kept = client.get(old_year)
    assert kept.status_code == 200
    assert "groups" not in rendered_context(kept)  # 2569 still kept


def test_an_indicators_page_follows_every_year_it_draws(commits):
    """The detail page's year line shows 2569 too: a 2569 write of its line renews the 2570
    page; one of another agency's indicator leaves it kept."""
    client = _client("manager")
    client.get(DETAIL)
    assert "summary" not in rendered_context(client.get(DETAIL))
    line = Indicator.objects.get(fiscal_year_id=2570, code="5030-2001").continues
    elsewhere = QuarterReport.objects.filter(indicator__fiscal_year_id=2569).exclude(
        indicator__agency__prefix="5030"
    )
    commits(elsewhere.first().save)
    assert "summary" not in rendered_context(client.get(DETAIL))
    commits(line.reports.first().save)
    assert "summary" in rendered_context(client.get(DETAIL))
