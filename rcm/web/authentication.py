"""API tokens: stored hashed, they expire, die at sign-out, and tell the audit trail who calls.

A token (issued by `api_token_issue`, from `rcm.web.tokens`) lives RCM_API_TOKEN_HOURS from its
issue and is deleted by a new sign-in, by `DELETE /api/auth/token/` and by signing out of the
web. Only the SHA-256 of its key is kept (`ApiToken.digest`); the key is shown once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from rcm.audit.context import audit_context_set
from rcm.audit.middleware import client_ip_of
from rcm.web.models import ApiToken

_KEY_MAX_LENGTH = 100  # ours are 43 characters; a longer one is not ours and is not hashed


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=float(getattr(settings, "RCM_API_TOKEN_HOURS", 8)))


def token_digest(key: str) -> str:
    """What is stored for a key: its SHA-256, hex."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `key` goes to the client once and is kept nowhere."""

    key: str
    expires_at: datetime.datetime
    token: ApiToken


def api_token_issue(*, user: Any) -> IssuedToken:
    """A fresh token for `user`, ending any earlier one (one API sign-in per user)."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        tokens_revoke(user=user)
        token = ApiToken.objects.create(user=user, digest=token_digest(key))
    return IssuedToken(key=key, expires_at=token.created + token_lifetime(), token=token)


class AuditedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, found by the key's digest; `request.auth` is the ApiToken."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if len(key) > _KEY_MAX_LENGTH:
            raise AuthenticationFailed("Invalid token.")
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        if token.created < timezone.now() - token_lifetime():
            token.delete()
            raise AuthenticationFailed("Token expired; sign in again for a new one.")
        return token.user, token

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            user, _token = result
            audit_context_set(actor_id=user.pk, client_ip=client_ip_of(request._request), via="api")
        return result


def tokens_revoke(*, user: Any) -> None:
    """Sign the user's API clients out: their token stops working now."""
    ApiToken.objects.filter(user=user).delete()
