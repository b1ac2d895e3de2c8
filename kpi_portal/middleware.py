from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Thai unless the user chose English with the language switch.

    The city's staff often run English-language browsers; their Accept-Language header must not
    turn a Thai system into a half-translated one, so only the switch's cookie counts.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulBytesMiddleware:
    """A NUL byte in the address or a parameter is refused with 400 before any view sees it.

    PostgreSQL cannot store or compare text holding NUL, so such a value reaching a query
    would end in a 500; no real page, filter or form ever needs one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            raise BadRequest(_("ที่อยู่หรือข้อมูลที่ส่งมามีอักขระ NUL ซึ่งระบบไม่รับ: ตรวจสอบลิงก์แล้วลองใหม่"))
        return self.get_response(request)


def has_nul(request: HttpRequest) -> bool:
    """Whether the path, the query or a form field (name or value) holds a NUL byte."""
    if "\x00" in request.path_info or "\x00" in request.META.get("QUERY_STRING", ""):
        return True
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False
