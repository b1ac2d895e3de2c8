"""Login throttling behind a proxy: the client's real address, and a limit per address.

django-axes locks a username tried from one address; `AddressLimitHandler` also locks an
address that fails across many usernames (password spraying). Both need the client's address,
which behind PROXY_COUNT trusted proxies is that many entries from the right of
X-Forwarded-For: entries further left were written by the client and can be forged.
"""

import ipaddress
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request, trusting only the configured proxies."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # reached without passing every proxy
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_failures(ip_address: str | None) -> int:
    """Failed logins from one address across all usernames within the cool-off time."""
    if not ip_address:
        return 0
    since = timezone.now() - get_cool_off()
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    """Axes' own rule (username + address), and LOGIN_ADDRESS_FAILURE_LIMIT per address."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self.address_locked(request):
            request.axes_locked_out = True  # the middleware answers with lockout_response

    def address_locked(self, request) -> bool:
        ip_address = getattr(request, "axes_ip_address", None) or client_ip(request)
        return address_failures(ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def retry_at(request: HttpRequest) -> datetime:
    """When the newest failure from the address stops counting (the latest any lock can end)."""
    ip_address = getattr(request, "axes_ip_address", None) or client_ip(request)
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + get_cool_off()


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """429 with the time the user may try again, in the page and in Retry-After."""
    until = retry_at(request)
    seconds = max(1, int((until - timezone.now()).total_seconds()))
    context = {"retry_at": timezone.localtime(until), "minutes": (seconds + 59) // 60}
    response: HttpResponse = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
