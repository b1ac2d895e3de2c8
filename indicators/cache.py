"""Caching keyed by a fingerprint of the data: year-wide figures and the pages the public reads.

The home page, the strategy tree and the dashboard count thousands of indicators; they reuse a
result while the fingerprint stays the same, and never longer than CACHE_SECONDS. Anonymous
readers get the public pages as rendered for the same address, language, day and data.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from indicators.models import DataVersion

CACHE_SECONDS = 10 * 60  # a safety net for writes no one is told of (QuerySet.update())


def fingerprint() -> str:
    """The data's version: one primary-key read, raised after every committed write.

    Saves, deletes and link changes of this app's models raise it through signals
    (`data_changed`); bulk writers, which send none, call `raise_after_commit` themselves
    (imports in spreadsheets.base.KpiResource.after_import, generate_city_data). Reading the highest ids of
    nine tables instead cost 2.4 ms a page on the city's data, a cached page's whole budget.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {DataVersion._meta.db_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return str(row[0]) if row else "0"


def raise_data_version() -> None:
    """Count one more edit; the single row is made on first use (a flushed database has none)."""
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


class _OwedRaise:
    """The raise one transaction owes: done by its first commit callback, skipped by the rest."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            raise_data_version()


def raise_after_commit(using: str | None = None) -> None:
    """Raise the version once the current transaction commits (at once outside one).

    After the commit, not inside the transaction: the row would otherwise stay locked, and every
    concurrent save of the city would queue behind it. Every edit registers a callback (a rolled
    back savepoint takes its own away), and all of a transaction's share one raise.
    """
    database = transaction.get_connection(using)
    owed = getattr(database, "data_version_raise", None)
    if owed is None or owed.done:
        owed = database.data_version_raise = _OwedRaise()
    # Robust: the edit is committed already; a failed raise is logged, the page expires anyway.
    transaction.on_commit(owed, using=using, robust=True)


def data_changed(sender, **kwargs) -> None:
    """Signal receiver (indicators.apps) for saves, deletes and link changes of this app."""
    if sender is not DataVersion:
        raise_after_commit(kwargs.get("using"))


def key_for(prefix: str, key_text: str) -> str:
    """A cache key of `prefix` and the data's fingerprint (hashed: keys have a length limit)."""
    text = f"{key_text}:{fingerprint()}"
    return f"{prefix}:{hashlib.sha256(text.encode()).hexdigest()}"


def remember[T](prefix: str, key_text: str, compute: Callable[[], T]) -> T:
    """compute(), reused while the data's fingerprint stays the same."""
    key = key_for(prefix, key_text)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _is_public_reader(request: HttpRequest) -> bool:
    """A GET without a session or pending messages: what it is shown is the same for everyone.

    Deciding from the cookies alone spares a session query on every hit.
    """
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a whole, ordinary page that gave this reader nothing of their own."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
    )


def public_page[**P](
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Serve anonymous readers the page rendered for the same address, language, day and data.

    The public reads the same indicator pages over and over; a hit costs the one fingerprint
    query instead of the page's queries and template. The key holds the day because pages show
    the current fiscal year and quarter.
    """

    @wraps(view)
    def cached_view(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _is_public_reader(request):
            return view(request, *args, **kwargs)
        parts = [request.get_full_path(), get_language(), timezone.localdate().isoformat()]
        key = key_for("page", "|".join(parts))
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if _may_keep(request, response):
                cache.set(key, (response.content, response["Content-Type"]), seconds)
        # What a page says depends on the language and session cookies.
        patch_vary_headers(response, ["Cookie"])
        return response

    return cached_view
