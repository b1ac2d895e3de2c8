"""The part of a page that is the same for every reader with the same role scope, kept rendered.

Signed-in staff read the same detail pages, lists and dashboards over and over. A page's title
and content (its `title` and `content` partials) depend only on what the reader may see
(`access.reader_key`: roles, and a reporter's own agencies), the address, language, day and the
data; they are rendered once per data version and reused. The header, the user menu and
messages come from base.html, rendered for each request. A form is kept too: its fragment holds
a slot where the CSRF token goes, and each request's own token is put in when it is served.
"""

from collections.abc import Callable, Collection

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from indicators import access
from indicators.cache import key_for

PARTS = ("title", "content")
SHELL = "fragment_page.html"
# What `{% csrf_token %}` renders in a kept fragment instead of the reader's token. Escaped user
# text cannot contain it: it has quotes.
_SLOT_VALUE = "kept-fragment"


def _token_input(token: str) -> str:
    """The CSRF input exactly as Django's `{% csrf_token %}` renders it."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


_SLOT_INPUT = _token_input(_SLOT_VALUE)


def fragment_key(
    request: HttpRequest,
    template: str,
    year: int | None,
    agencies: Collection[int] | None = None,
    *,
    shows_drafts: bool = False,
) -> str:
    """Everything that changes the fragment: who may see what, address (with its query string),
    language, day (pages show the current quarter) and the data's version of `year`, or of
    `agencies` when the page shows only theirs, as far as the reader sees it (edits of drafts
    renew only the pages of those who see them, or with `shows_drafts` of everyone allowed in:
    the page shows those agencies' drafts to every reader it lets in)."""
    scope = access.report_scope(request.user)
    if shows_drafts and agencies is not None:
        scope = access.with_drafts_of(scope, frozenset(agencies))
    parts = [
        template,
        access.reader_key(request.user),
        request.get_full_path(),
        get_language(),
        timezone.localdate().isoformat(),
    ]
    return key_for("fragment", "|".join(parts), year, agencies, scope)


def _render_parts(request: HttpRequest, template: str, context: dict) -> dict[str, str]:
    """The parts with the token slot in every form (the context overrides the processors')."""
    context = context | {"csrf_token": _SLOT_VALUE}
    return {
        name: render_to_string(f"{template}#{name}", context, request=request) for name in PARTS
    }


def _may_keep(parts: dict[str, str]) -> bool:
    """A CSRF token is the reader's own: a fragment holding one (not the slot) is never shared."""
    return not any(
        "csrfmiddlewaretoken" in text.replace(_SLOT_INPUT, "") for text in parts.values()
    )


def _with_token(text: str, token: SimpleLazyObject) -> str:
    """`text` with this request's own CSRF token in its slots (asked for only when needed:
    get_token sets the CSRF cookie)."""
    if _SLOT_INPUT not in text:
        return text
    return text.replace(_SLOT_INPUT, _token_input(str(token)))


def fragment_page(
    request: HttpRequest,
    template: str,
    build_context: Callable[[], dict],
    *,
    year: int | None = None,
    agencies: Callable[[], Collection[int] | None] | None = None,
    shows_drafts: bool = False,
) -> HttpResponse:
    """`template` rendered with build_context(), its title and content reused across readers
    of the same role scope while the data of fiscal year `year` (None: all data) stays the same,
    or with agencies() (asked only when the page is kept) while the data of those agencies'
    pages stays the same: writes in other agencies leave it kept. `shows_drafts`: the page
    shows those agencies' drafts to any reader it lets in (fragment_key).

    The caller has already refused (404) a reader who may not see the page, or relies on the
    key: a fragment is kept only after a reader of the same scope was allowed to see it.
    """
    seconds = settings.STAFF_PAGE_CACHE_SECONDS
    if not seconds or request.method != "GET":
        return render(request, template, build_context())
    shown = agencies() if agencies else None
    key = fragment_key(request, template, year, shown, shows_drafts=shows_drafts)
    parts = cache.get(key)
    if parts is None:
        parts = _render_parts(request, template, build_context())
        if _may_keep(parts):
            cache.set(key, parts, seconds)
    # One masked token for the header's forms and the fragment's: masking costs ~0.3 ms.
    token = SimpleLazyObject(lambda: get_token(request))
    fragment = {
        name: mark_safe(_with_token(text, token))  # noqa: S308 (our own HTML)
        for name, text in parts.items()
    }
    context = {"page_template": template, "fragment": fragment, "csrf_token": token}
    return render(request, SHELL, context)
