"""Sign-in with a lock after repeated failures, so a password cannot be guessed at speed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _failures_key(username: str) -> str:
    return f"login-failures:{username.strip().lower()}"


class ThrottledAuthenticationForm(AuthenticationForm):
    """After MAX_FAILURES wrong passwords for one username, refuse it for LOCK_SECONDS."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        key = _failures_key(username)
        if username and (cache.get(key) or 0) >= MAX_FAILURES:
            raise ValidationError(
                "Too many failed sign-ins for this account. Wait 15 minutes, "
                "or ask your administrator to reset your password.",
                code="locked",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                cache.add(key, 0, timeout=LOCK_SECONDS)
                cache.incr(key)
            raise
        cache.delete(key)
        return cleaned
