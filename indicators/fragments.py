"""The part of a page that is the same for every reader with the same role scope, kept rendered.

Signed-in staff read the same detail pages, lists and dashboards over and over. A page's title
and content (its `title` and `content` partials) depend only on what the reader may see
(`access.reader_key`: roles, and a reporter's own agencies), the address, language, day and the
data; they are rendered once per data version and reused. The header and the user menu come
from base.html, kept per user, address, language and day with slots where the parts go (and
rendered for each request while a message waits to be shown). A form is kept too: its fragment
holds a slot where the CSRF token goes, and each request's own token is put in when it is served.
"""

import hashlib
from collections.abc import Callable, Collection

from django.conf import settings
from django.contrib.messages import get_messages
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

from indicators import access, data_versions
from indicators.cache import key_for
from indicators.models.versions import USERS

PARTS = ("title", "content")
SHELL = "fragment_page.html"
# What `{% csrf_token %}` renders in a kept fragment instead of the reader's token. Escaped user
# text cannot contain it: it has quotes.
_SLOT_VALUE = "kept-fragment"


def _token_input(token: str) -> str:
    """The CSRF input exactly as Django's `{% csrf_token %}` renders it."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


_SLOT_INPUT = _token_input(_SLOT_VALUE)
# Where a kept shell holds the fragment's parts: escaped text cannot contain them.
_PART_SLOTS = {name: f"<!--kept-fragment-{name}-->" for name in PARTS}


def key_scope(
    request: HttpRequest, agencies: Collection[int] | None, *, shows_drafts: bool
) -> access.ReportScope:
    """The reader's report scope, widened with `shows_drafts` to the drafts of `agencies`: the
    page shows those agencies' drafts to every reader it lets in."""
    scope = access.report_scope(request.user)
    if shows_drafts and agencies is not None:
        scope = access.with_drafts_of(scope, frozenset(agencies))
    return scope


def fragment_key(
    request: HttpRequest,
    template: str,
    year: int | None,
    agencies: Collection[int] | None = None,
    *,
    shows_drafts: bool = False,
    with_private: bool = True,
) -> str:
    """Everything that changes the fragment: who may see what, address (with its query string),
    language, day (pages show the current quarter) and the data's version of `year`, or of
    `agencies` when the page shows only theirs, as far as the reader sees it (edits of drafts
    renew only the pages of those who see them: key_scope), unless `with_private` is False."""
    scope = key_scope(request, agencies, shows_drafts=shows_drafts)
    parts = [
        template,
        access.reader_key(request.user),
        request.get_full_path(),
        get_language(),
        timezone.localdate().isoformat(),
    ]
    return key_for("fragment", "|".join(parts), year, agencies, scope, with_private=with_private)


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


def kept_for_line(
    request: HttpRequest,
    template: str,
    build_context: Callable[[], dict],
    year: int | None,
    agencies: Collection[int] | None,
    shows_drafts: bool,
    line: tuple[int, str],
) -> dict[str, str]:
    """The parts of a page of one indicator's line, kept under a key without the versions of
    the edits of drafts; beside them, the private versions and the line's stamp they were
    rendered at. When the private versions moved on (a draft of the agency was edited) and the
    stamp did not (not one of this line), the parts are still current: kept again, not rendered.
    Both are read before rendering, so what is rendered is never older than what it is kept at.
    """
    seconds = settings.STAFF_PAGE_CACHE_SECONDS
    key = fragment_key(request, template, year, agencies, with_private=False)
    private = data_versions.private_fingerprint(
        key_scope(request, agencies, shows_drafts=shows_drafts)
    )
    kept = cache.get(key)
    if kept is not None and kept["private"] == private:
        return kept["parts"]
    stamp = data_versions.line_stamp(*line) if private else ""
    if kept is not None and kept["stamp"] == stamp:
        cache.set(key, kept | {"private": private}, seconds)
        return kept["parts"]
    parts = _render_parts(request, template, build_context())
    if _may_keep(parts):
        cache.set(key, {"parts": parts, "private": private, "stamp": stamp}, seconds)
    return parts


def fragment_page(
    request: HttpRequest,
    template: str,
    build_context: Callable[[], dict],
    *,
    year: int | None = None,
    agencies: Callable[[], Collection[int] | None] | None = None,
    shows_drafts: bool = False,
    line: tuple[int, str] | None = None,
) -> HttpResponse:
    """`template` rendered with build_context(), its title and content reused across readers
    of the same role scope while the data of fiscal year `year` (None: all data) stays the same,
    or with agencies() (asked only when the page is kept) while the data of those agencies'
    pages stays the same: writes in other agencies leave it kept. `shows_drafts`: the page
    shows those agencies' drafts to any reader it lets in (fragment_key). `line`: the year and
    code of the one indicator whose line the page shows; an edit of another indicator's draft
    then costs a reader of drafts one query (kept_for_line), not the page.

    The caller has already refused (404) a reader who may not see the page, or relies on the
    key: a fragment is kept only after a reader of the same scope was allowed to see it.
    """
    seconds = settings.STAFF_PAGE_CACHE_SECONDS
    if not seconds or request.method != "GET":
        return render(request, template, build_context())
    shown = agencies() if agencies else None
    if line is not None:
        parts = kept_for_line(request, template, build_context, year, shown, shows_drafts, line)
    else:
        key = fragment_key(request, template, year, shown, shows_drafts=shows_drafts)
        parts = cache.get(key)
        if parts is None:
            parts = _render_parts(request, template, build_context())
            if _may_keep(parts):
                cache.set(key, parts, seconds)
    return _served(request, template, parts)


def _shell_key(request: HttpRequest, template: str) -> str:
    """What changes the header and menu: the user (name, roles), the address (the language
    form's way back), language, day (the current year's links) and the users' version."""
    parts = [
        template,
        str(request.user.pk),
        access.reader_key(request.user),
        request.get_full_path(),
        get_language(),
        timezone.localdate().isoformat(),
        str(data_versions.versions().get(USERS, 0)),
    ]
    return "shell:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _served(request: HttpRequest, template: str, parts: dict[str, str]) -> HttpResponse:
    """The page: the shell around the parts, with this request's CSRF token in every slot (one
    masked token for the header's forms and the fragment's: masking costs ~0.3 ms)."""
    token = SimpleLazyObject(lambda: get_token(request))
    if len(get_messages(request)):  # shown once, so never kept (counting does not use them)
        fragment = {
            name: mark_safe(_with_token(text, token))  # noqa: S308 (our own HTML)
            for name, text in parts.items()
        }
        context = {"page_template": template, "fragment": fragment, "csrf_token": token}
        return render(request, SHELL, context)
    key = _shell_key(request, template)
    shell = cache.get(key)
    if shell is None:
        slots = {name: mark_safe(slot) for name, slot in _PART_SLOTS.items()}  # noqa: S308
        context = {"page_template": template, "fragment": slots, "csrf_token": _SLOT_VALUE}
        shell = render_to_string(SHELL, context, request=request)
        cache.set(key, shell, settings.STAFF_PAGE_CACHE_SECONDS)
    for name, slot in _PART_SLOTS.items():
        shell = shell.replace(slot, parts[name], 1)
    return HttpResponse(_with_token(shell, token))
