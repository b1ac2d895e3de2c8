"""Caching keyed by a fingerprint of the data: year-wide figures and the pages the public reads.

The home page, the strategy tree and the dashboard count thousands of indicators; they reuse a
result while the fingerprint stays the same, and never longer than CACHE_SECONDS. Anonymous
readers get the public pages as rendered for the same address, language, day and data.
"""

import hashlib
from collections.abc import Callable, Collection
from functools import wraps
from typing import Concatenate

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from indicators.access import PUBLIC_SCOPE, ReportScope
from indicators.data_versions import (
    data_changed,
    fingerprint,
    raise_after_commit,
    raise_data_version,
)
from indicators.models import Indicator

__all__ = [
    "data_changed",
    "fingerprint",
    "key_for",
    "public_page",
    "raise_after_commit",
    "raise_data_version",
    "remember",
]

CACHE_SECONDS = 10 * 60  # a safety net for writes no one is told of (QuerySet.update())


def key_for(
    prefix: str,
    key_text: str,
    year: int | None = None,
    agencies: Collection[int] | None = None,
    scope: ReportScope | None = None,
    *,
    with_private: bool = True,
) -> str:
    """A cache key of `prefix` and the data's fingerprint, of fiscal year `year` or of the
    `agencies` if given, for a reader of `scope` (None: of any scope, so renewed by every
    edit of a draft too); hashed: keys have a length limit."""
    text = f"{key_text}:{fingerprint(year, agencies, scope, with_private=with_private)}"
    return f"{prefix}:{hashlib.sha256(text.encode()).hexdigest()}"


def indicator_agency(year: int, code: str) -> int | None:
    """The agency of indicator `code` of `year`, None when there is none; kept while no
    indicator or reference data changes (what moves an indicator raises one of them), so a
    kept page's key costs no query."""
    key = key_for("indicator-agency", f"{year}|{code}", agencies=(), scope=PUBLIC_SCOPE)
    agency_id = cache.get(key)
    if agency_id is None:
        rows = Indicator.objects.filter(fiscal_year_id=year, code=code)
        agency_id = rows.values_list("agency_id", flat=True).first()
        if agency_id is not None:
            cache.set(key, agency_id, CACHE_SECONDS)
    return agency_id


def indicator_agencies(year: int, code: str) -> frozenset[int] | None:
    """The agency of an indicator's page, as the agencies its kept page is keyed by."""
    agency_id = indicator_agency(year, code)
    return None if agency_id is None else frozenset({agency_id})


def page_agencies(kwargs: dict) -> frozenset[int] | None:
    """The agency of an indicator's page (its address's year and code), else None."""
    if "code" not in kwargs or "year" not in kwargs:
        return None
    return indicator_agencies(kwargs["year"], kwargs["code"])


def remember[T](
    prefix: str,
    key_text: str,
    compute: Callable[[], T],
    *,
    year: int | None = None,
    scope: ReportScope | None = None,
) -> T:
    """compute(), reused while the data's fingerprint (of fiscal year `year`, as a reader of
    `scope` sees it: key_for) stays the same."""
    key = key_for(prefix, key_text, year, scope=scope)
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


def page_year(request: HttpRequest, kwargs: dict) -> int | None:
    """The one fiscal year a page shows (its address's, or the list's chosen year), else None.

    None for an indicator's page: it draws the indicator's line over every year (year_line).
    """
    if "code" in kwargs:
        return None
    year = kwargs.get("year") or request.GET.get("year", "")
    if isinstance(year, int):
        return year
    return int(year) if year.isdigit() and len(request.GET.getlist("year")) == 1 else None


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
        year, agencies = page_year(request, kwargs), page_agencies(kwargs)
        key = key_for("page", "|".join(parts), year, agencies, PUBLIC_SCOPE)
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
