"""Signed-in pages without a query for the session, the user, their groups and agencies.

Sessions are `cached_db`: read from the cache, written through to the database. What the pages
need of the reader (the user's own fields, role names, a reporter's agency ids) is kept in the
session at sign-in and used while the "users" version stays the same; any change of a user,
their groups or agencies raises it, and the next request reads the user again (and checks the
password hash as Django does). A sign-out raises "sessions" when the cache is each process's
own, so that no other process keeps serving a session it still holds in memory. The data's
versions are read once per GET request, for all of this and the page's cache keys together.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import User
from django.contrib.sessions.backends import cached_db
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from indicators import access
from indicators.data_versions import raise_keys_after_commit, versions, versions_read_once
from indicators.models.versions import SESSIONS, USERS

READER = "_kpi_reader"
# The fields of auth_user a page may read; the password hash is never kept. Any other field is
# loaded on first access, and save() writes only these (Django's deferred fields).
USER_FIELDS = ["id", "username", "first_name", "last_name", "email", "is_active"]
USER_FIELDS += ["is_staff", "is_superuser"]


class SessionStore(cached_db.SessionStore):
    """cached_db whose cache keys hold the "sessions" version: after a sign-out every process
    reads its sessions from the database once."""

    @property
    def cache_key_prefix(self) -> str:
        return f"{cached_db.KEY_PREFIX}{versions().get(SESSIONS, 0)}:"


def remember_reader(request: HttpRequest, user: User) -> None:
    """Keep what the pages need of `user` in their session (at sign-in, after a change)."""
    request.session[READER] = {
        "version": versions().get(USERS, 0),
        "fields": [getattr(user, name) for name in USER_FIELDS],
        "roles": sorted(access.role_names(user)),
        "agencies": sorted(access.own_agency_ids(user)),
    }


def _kept_reader(request: HttpRequest) -> User | None:
    kept = request.session.get(READER)
    if not kept or kept["version"] != versions().get(USERS, 0):
        return None
    if str(kept["fields"][0]) != str(request.session.get(auth.SESSION_KEY)):
        return None
    fields = dict(zip(USER_FIELDS, kept["fields"], strict=True))
    # from_db takes the loaded values in the model's field order and defers the rest.
    names = [f.attname for f in User._meta.concrete_fields if f.attname in fields]
    user = User.from_db(router.db_for_read(User), names, [fields[name] for name in names])
    user._role_names = set(kept["roles"])  # type: ignore[attr-defined]
    user._agency_ids = frozenset(kept["agencies"])  # type: ignore[attr-defined]
    return user


def reader(request: HttpRequest) -> access.AnyUser:
    """The signed-in user as kept in the session, else as Django reads it (then kept)."""
    kept = _kept_reader(request)
    if kept is not None:
        return kept
    user = auth.get_user(request)
    if isinstance(user, User):
        remember_reader(request, user)
    return user


class ReaderMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware with the user taken from the session when current."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: reader(request))  # type: ignore[assignment]


class VersionsPerRequestMiddleware:
    """A GET or HEAD request reads the data's versions once (a GET never writes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with versions_read_once():
            return self.get_response(request)


def signed_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    """user_logged_in receiver: the session keeps the reader from its first page on."""
    if hasattr(request, "session"):
        remember_reader(request, user)


def signed_out(sender, **kwargs) -> None:
    """user_logged_out receiver: per-process caches may still hold the session."""
    if not settings.CACHE_URL:
        raise_keys_after_commit({SESSIONS})


def user_changed(sender, **kwargs) -> None:
    """A user, their groups or a group changed: sessions read their reader again."""
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # every sign-in saves it; nothing a page shows
    raise_keys_after_commit({USERS}, kwargs.get("using"))
