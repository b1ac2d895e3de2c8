"""API tokens: `Authorization: Bearer kpi_…`, checked against the stored hash."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from indicators.models import ApiToken, hash_token

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """The token's system acts as the token's user; `request.auth` is the ApiToken."""

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace") != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("รูปแบบโทเคนไม่ถูกต้อง"))
        token = (
            ApiToken.objects.active()
            .select_related("user", "agency")
            .filter(key_hash=hash_token(header[1].decode(errors="replace")))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("โทเคนไม่ถูกต้องหรือถูกยกเลิกแล้ว"))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token."""

    target_class = "indicators.api.authentication.ApiTokenAuthentication"
    name = "agencyToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
