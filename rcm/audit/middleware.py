"""Sets the audit context for each web request: the signed-in user and the client's address."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

from rcm.audit.context import audit_context_set


def client_ip_of(request: HttpRequest) -> str | None:
    if getattr(settings, "RCM_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor_id = user.pk if user is not None and user.is_authenticated else None
        # Set on every request, signed in or not, so a pooled connection never carries the
        # previous request's user into this one.
        # With the database down no connection is left to carry anyone's context: let the view
        # answer (the health check says 503; other views fail on their own queries).
        with contextlib.suppress(OperationalError):
            audit_context_set(actor_id=actor_id, client_ip=client_ip_of(request), via="web")
        return self.get_response(request)
