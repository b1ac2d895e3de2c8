"""Production settings, headers and login throttling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_deploy_check_with_production_settings_reports_nothing():
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "x" * 10 + "production-like-secret-key-of-sufficient-length-and-variety-123",
        "ALLOWED_HOSTS": "kpi.bangkok.go.th",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_http_only_and_expires():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_password_validators_are_on():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


def test_login_is_throttled_after_five_failures(client, auditor):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "auditor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    fifth = client.post(url, {"username": "auditor", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(url, {"username": "auditor", "password": "demo"})
    assert locked.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_logs_in(client, auditor):
    response = client.post(reverse("login"), {"username": "auditor", "password": "demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(auditor.pk)


def test_password_reset_sends_a_thai_email(reporter5030, client, mailoutbox):
    client.post(reverse("password_reset"), {"email": reporter5030.email})
    assert len(mailoutbox) == 1
    assert "ตั้งรหัสผ่านใหม่" in mailoutbox[0].subject


def test_login_cookies_do_not_depend_on_the_servers_clock(client, reporter5030):
    """A browser whose clock differs from the server's (the suite's Chromium) keeps them."""
    client.get(reverse("login"))
    response = client.post(
        reverse("login"), {"username": reporter5030.username, "password": "demo"}
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert response.status_code == 302
    assert not session["expires"] and not session["max-age"]  # ends with the browser
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["max-age"] == settings.CSRF_COOKIE_AGE
