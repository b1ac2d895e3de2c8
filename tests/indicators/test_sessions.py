"""Sessions that cost no query a request (indicators/sessions.py): the reader kept in the
session while current, read again after a change of the user, their roles or agencies."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from indicators.models import Agency, AgencyMembership
from indicators.sessions import READER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_page_cache")]

DETAIL = "/indicators/2570/5030-2001/"
OTHER = "/indicators/2570/0100-2001/"
REVIEW_LINK = "รายการรอตรวจ"  # the header's link to the review queue
EDIT_LINK = "กรอก/ดูรายงานไตรมาสนี้"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_kept_page_for_a_signed_in_manager_costs_one_query(manager, django_assert_num_queries):
    client = _signed_in(manager)
    client.get(DETAIL)  # renders and keeps the fragment
    with django_assert_num_queries(1):  # the data's versions: no session, user, groups
        response = client.get(DETAIL)
    assert response.status_code == 200
    assert "manager" in response.content.decode() or manager.get_full_name() in (
        response.content.decode()
    )


def test_without_the_kept_reader_the_page_reads_session_user_and_groups(
    manager, django_assert_num_queries
):
    """What the kept reader saves: the session row, auth_user and the groups."""
    client = _signed_in(manager)
    client.get(DETAIL)
    session = client.session
    del session[READER]
    session.save()
    cache.delete(session.cache_key)  # as after a restart: the session read from the database
    with CaptureQueriesContext(connection) as queries:
        client.get(DETAIL)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("django_session", "auth_user", "auth_group"):
        assert table in tables
    with django_assert_num_queries(1):  # kept again
        client.get(DETAIL)


def test_a_removed_role_takes_effect_on_the_next_page(auditor, commits):
    client = _signed_in(auditor)
    assert REVIEW_LINK in client.get(DETAIL).content.decode()
    commits(lambda: auditor.groups.remove(Group.objects.get(name="auditor")))
    assert REVIEW_LINK not in client.get(DETAIL).content.decode()


def test_a_new_agency_takes_effect_on_the_next_page(reporter5030, commits):
    client = _signed_in(reporter5030)
    assert EDIT_LINK not in client.get(OTHER).content.decode()
    agency = Agency.objects.get(prefix="0100")
    commits(lambda: AgencyMembership.objects.create(user=reporter5030, agency=agency))
    assert EDIT_LINK in client.get(OTHER).content.decode()


def test_a_sign_out_ends_the_session_in_every_process(manager, commits):
    client = _signed_in(manager)
    client.get(DETAIL)
    stolen = client.cookies["sessionid"].value
    session = client.session
    kept = (session.cache_key, cache.get(session.cache_key))
    commits(lambda: client.post("/accounts/logout/"))
    cache.set(*kept)  # another process still holds the session in its memory
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert "csrfmiddlewaretoken" not in replay.get(DETAIL).content.decode()  # signed out


def test_a_password_changed_elsewhere_signs_the_session_out(manager, commits):
    client = _signed_in(manager)
    client.get(DETAIL)

    def change() -> None:
        manager.set_password("another-long-password")
        manager.save()

    commits(change)
    assert client.get("/my/").status_code == 302  # to the login page


def test_the_kept_user_saves_only_its_own_fields(manager):
    client = _signed_in(manager)
    client.get(DETAIL)
    password = User.objects.get(pk=manager.pk).password
    user = client.get(DETAIL).wsgi_request.user
    user.first_name = "ใหม่"
    user.save()
    saved = User.objects.get(pk=manager.pk)
    assert saved.first_name == "ใหม่"
    assert saved.password == password
