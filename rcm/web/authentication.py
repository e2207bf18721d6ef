"""API tokens: they expire, die at sign-out, and tell the audit trail who the caller is.

A token (issued by `rcm.web.tokens`) lives RCM_API_TOKEN_HOURS from its issue and is deleted by
a new sign-in, by `DELETE /api/auth/token/` and by signing out of the web.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from rcm.audit.context import audit_context_set
from rcm.audit.middleware import client_ip_of


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=float(getattr(settings, "RCM_API_TOKEN_HOURS", 8)))


class AuditedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - token_lifetime():
            token.delete()
            raise AuthenticationFailed("Token expired; sign in again for a new one.")
        return user, token

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            user, _token = result
            audit_context_set(actor_id=user.pk, client_ip=client_ip_of(request._request), via="api")
        return result


def tokens_revoke(*, user: Any) -> None:
    """Sign the user's API clients out: their token stops working now."""
    Token.objects.filter(user=user).delete()
