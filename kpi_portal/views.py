import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

# The language switch carries no CSRF token, so that a page cached for anonymous readers works
# for all of them: a forged request could only change the visitor's interface language.
set_language = csrf_exempt(i18n.set_language)


# One database check at a time per process: while the database is frozen the stuck check keeps
# its thread, and later probes answer 503 without piling up threads.
_health_checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
# The checker thread's own connection, kept between probes: opening one per probe forks a
# PostgreSQL backend each time and capped /healthz far below what a cached page serves.
# Only the checker thread touches it (Django's connections are bound to their thread).
_probe: dict[str, BaseDatabaseWrapper] = {}
# Set by a request whose probe timed out: the checker thread drops the connection when the
# stuck probe returns, so a connection that once hung is never trusted again.
_probe_abandoned = threading.Event()


def database_answers() -> bool:
    """SELECT 1 on the checker thread's kept connection, so a stuck check never holds a request's
    one. A kept connection that fails (the server restarted) is replaced and tried once more."""
    try:
        if "wrapper" in _probe:
            try:
                return _select_one(_probe["wrapper"])
            except DatabaseError:
                drop_probe_connection()
        _probe["wrapper"] = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            return _select_one(_probe["wrapper"])
        except BaseException:
            drop_probe_connection()
            raise
    finally:
        if _probe_abandoned.is_set():
            _probe_abandoned.clear()
            drop_probe_connection()


def _select_one(wrapper: BaseDatabaseWrapper) -> bool:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def drop_probe_connection() -> None:
    """Close and forget the kept connection; only on the checker thread."""
    wrapper = _probe.pop("wrapper", None)
    if wrapper is not None:
        with contextlib.suppress(DatabaseError):
            wrapper.close()


def close_probe_connection(timeout: float = 5) -> None:
    """Close the kept connection from any thread (tests, before their database is dropped).

    A checker stuck on a hung server is abandoned: its connection is not to a database anyone
    drops, and it is dropped when the stuck probe returns."""
    try:
        _health_checker.submit(drop_probe_connection).result(timeout=timeout)
    except FutureTimeout:
        _probe_abandoned.set()


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check; 503 within HEALTHZ_TIMEOUT_SECONDS when the database hangs."""
    check = _health_checker.submit(database_answers)
    try:
        healthy = check.result(timeout=settings.HEALTHZ_TIMEOUT_SECONDS)
    except DatabaseError:
        healthy = False
    except FutureTimeout:
        if not check.cancel():  # a probe still queued behind a stuck one never runs
            _probe_abandoned.set()  # this one is running and stuck: never reuse its connection
        healthy = False
    if not healthy:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The portal's own 400 page, in the reader's language, saying what was refused."""
    if not hasattr(request, "user"):
        request.user = AnonymousUser()  # refused before authentication ran
    return render(request, "400.html", {"message": refusal_message(exception)}, status=400)


def refusal_message(exception: Exception) -> str:
    """What the reader is told about a refused request; nothing of it was saved."""
    if isinstance(exception, TooManyFilesSent):
        return _(
            "แนบไฟล์มาเกิน %(limit)d ไฟล์ในครั้งเดียว ระบบจึงไม่ได้บันทึกสิ่งใด: กดย้อนกลับ แล้วแนบไฟล์ให้น้อยลง"
        ) % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return _(
            "ข้อมูลที่ส่งมีขนาดเกิน %(limit).1f MB ระบบจึงไม่ได้บันทึกสิ่งใด: กดย้อนกลับ ทำข้อความให้สั้นลง แล้วส่งใหม่"
        ) % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024}
    if isinstance(exception, BadRequest) and exception.args:
        return str(exception.args[0])
    return _("คำขอไม่ถูกต้อง ระบบจึงไม่ได้บันทึกสิ่งใด")


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))
