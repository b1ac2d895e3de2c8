"""Login throttling behind the TLS proxy: per user and address, per address, told when to retry."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kpi_portal.throttle import client_ip

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
PROXY = "10.0.0.2"  # the TLS proxy, REMOTE_ADDR of every request behind it


def via_proxy(client_address: str, forged: str = "") -> Client:
    """A browser at client_address whose requests reach the app through the proxy."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def fail(client: Client, username: str, times: int) -> list[int]:
    url = reverse("login")
    return [
        client.post(url, {"username": username, "password": "wrong"}).status_code
        for _ in range(times)
    ]


@pytest.fixture
def behind_proxy(settings):
    settings.PROXY_COUNT = 1
    return settings


def test_client_address_comes_from_the_trusted_proxy_entry(rf, behind_proxy):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"  # the left entry was written by the client
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY  # reached without the proxy
    junk = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(junk) == PROXY
    behind_proxy.PROXY_COUNT = 0
    assert client_ip(request) == PROXY  # no proxy configured: the header is ignored


def test_a_lockout_behind_the_proxy_locks_the_guesser_only(auditor, behind_proxy):
    guesser = via_proxy("203.0.113.7")
    assert fail(guesser, "auditor", 5)[-1] == 429
    office = via_proxy("198.51.100.20")
    response = office.post(reverse("login"), {"username": "auditor", "password": "demo"})
    assert response.status_code == 302
    assert office.session["_auth_user_id"] == str(auditor.pk)


def test_forging_the_forwarded_header_does_not_escape_the_lock(auditor, behind_proxy):
    assert fail(via_proxy("203.0.113.7", forged="1.1.1.1"), "auditor", 5)[-1] == 429
    again = via_proxy("203.0.113.7", forged="2.2.2.2")
    response = again.post(reverse("login"), {"username": "auditor", "password": "demo"})
    assert response.status_code == 429


def test_spraying_many_usernames_from_one_address_is_locked(manager, behind_proxy):
    behind_proxy.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    sprayer = via_proxy("203.0.113.9")
    codes = [fail(sprayer, f"user{n}", 1)[0] for n in range(8)]
    assert codes[:7] == [200] * 7
    assert codes[7] == 429
    response = sprayer.post(reverse("login"), {"username": "manager", "password": "demo"})
    assert response.status_code == 429
    assert "_auth_user_id" not in sprayer.session
    other = via_proxy("203.0.113.10")
    assert (
        other.post(reverse("login"), {"username": "manager", "password": "demo"}).status_code == 302
    )


def test_a_locked_user_is_told_when_to_try_again(auditor):
    client = Client()
    fail(client, "auditor", 5)
    response = client.post(reverse("login"), {"username": "auditor", "password": "demo"})
    assert response.status_code == 429
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60
    assert "ลองใหม่ได้เวลา" in response.text
    assert "(อีกประมาณ 15 นาที)" in response.text


@pytest.mark.parametrize(
    ("proxies", "header"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_proxy_ssl_header_is_trusted_only_behind_a_proxy(proxies, header):
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": "x", "PROXY_COUNT": proxies}
    code = (
        "from kpi_portal import settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == header


def test_the_lockout_page_speaks_english_when_chosen(auditor):
    client = Client()
    client.cookies["django_language"] = "en"
    fail(client, "auditor", 5)
    response = client.post(reverse("login"), {"username": "auditor", "password": "demo"})
    assert "Try again at" in response.text
