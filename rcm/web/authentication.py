"""Token authentication that also tells the audit trail who the API caller is."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from rcm.audit.context import audit_context_set
from rcm.audit.middleware import client_ip_of


class AuditedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            user, _token = result
            audit_context_set(actor_id=user.pk, client_ip=client_ip_of(request._request), via="api")
        return result
