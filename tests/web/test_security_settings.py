"""Passwords, the idle timeout, the security headers, and secure settings by default."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from rcm.web.middleware import IDLE_SESSION_KEY


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("804919273645", "This password is entirely numeric."),
        ("dana.whitaker1", "The password is too similar to the username."),
    ],
)
def test_the_password_policy(db, password, message):
    from rcm.practice.models import User

    user = User(username="dana.whitaker", first_name="Dana", last_name="Whitaker")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=user)
    assert message in refused.value.messages


def test_a_good_password_passes(db):
    validate_password("correct horse battery staple")


def test_an_idle_session_is_signed_out_with_a_message(settings, client, biller):
    settings.RCM_IDLE_MINUTES = 15
    client.force_login(biller)
    assert client.get(reverse("home-biller")).status_code == 200
    session = client.session
    session[IDLE_SESSION_KEY] = time.time() - 16 * 60
    session.save()

    response = client.get(reverse("home-biller"), follow=True)

    assert response.redirect_chain[0][0].startswith("/login/?next=/billing/")
    assert "signed out after 15 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_active_session_stays(settings, client, biller):
    client.force_login(biller)
    client.get(reverse("home-biller"))
    session = client.session
    session[IDLE_SESSION_KEY] = time.time() - 14 * 60
    session.save()
    assert client.get(reverse("home-biller")).status_code == 200


def test_pages_carry_the_security_headers(client, biller):
    client.force_login(biller)
    response = client.get(reverse("home-biller"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "onchange=" not in response.content.decode()
    assert " style=" not in response.content.decode()


def test_cookies_are_secure_httponly_and_samesite_by_default():
    # tests/conftest.py switches the Secure flag off for the plain-HTTP test server; the
    # settings module's own values are what a deployment gets.
    assert django_settings.SESSION_COOKIE_HTTPONLY
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.CSRF_COOKIE_HTTPONLY


DEPLOY_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#kP2!vQ9zL4@mN8^rT1&wY6*bH3$jF5%cD0(eG_aS-uI+oE=",
    "DJANGO_ALLOWED_HOSTS": "rcm.example.org",
    "RCM_BEHIND_PROXY": "1",
}


def _manage(*args: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RCM_"))}
    env.update(extra)
    env["RCM_VAR_DIR"] = str(django_settings.VAR_DIR)  # the same embedded servers
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=django_settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_with_only_the_four_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", extra=DEPLOY_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_plain_http_trial_is_an_explicit_opt_out():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    secure = _manage("shell", "-v", "0", "-c", code, extra=DEPLOY_ENV)
    trial = _manage("shell", "-v", "0", "-c", code, extra={**DEPLOY_ENV, "RCM_INSECURE_HTTP": "1"})
    assert secure.stdout.split() == ["True", "True", "31536000"], secure.stderr
    assert trial.stdout.split() == ["False", "False", "0"], trial.stderr


def test_no_template_has_inline_style_or_script():
    """The CSP (style-src and script-src 'self') refuses them; the browser test
    tests/browser/test_no_console_errors.py sees the pages, this every template."""
    inline = re.compile(r"\sstyle\s*=|<style\b|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=", re.I)
    templates = Path(django_settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(templates)}: {match.group().strip()}"
        for path in sorted(templates.rglob("*.html"))
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
