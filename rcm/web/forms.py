"""Sign-in, locked by django-axes after repeated failures for one username from one address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

LOCKED_MESSAGE = (
    "Too many failed sign-ins for this account from this computer. Wait 15 minutes, "
    "or ask your administrator to reset your password."
)


def sign_in_locked(request: HttpRequest | None) -> bool:
    """Did django-axes refuse this request's sign-in (username and address locked)?"""
    return bool(getattr(request, "axes_locked_out", False))


class LockedAuthenticationForm(AuthenticationForm):
    """The sign-in form; when axes has locked the username at this address it says so."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if sign_in_locked(self.request):
                raise ValidationError(LOCKED_MESSAGE, code="locked") from None
            raise


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page and the token endpoint answer a lock themselves
    (the form with its message; a 429), so keep their answer."""
    if original_response is not None:
        return original_response
    return HttpResponse(LOCKED_MESSAGE, status=429, content_type="text/plain")
