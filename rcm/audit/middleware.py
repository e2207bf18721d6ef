"""Sets the audit context for each web request: the signed-in user and the client's address."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

from rcm.audit.context import audit_context_set


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip_of(request: HttpRequest) -> str | None:
    """The client's address: behind our proxy (RCM_BEHIND_PROXY), the X-Forwarded-For entry the
    proxy appended, which is the rightmost (anything left of it the client may have written);
    otherwise, or when that entry is not an address, the connection's own address."""
    if getattr(settings, "RCM_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            appended = _address(forwarded.split(",")[-1])
            if appended is not None:
                return appended
    return _address(request.META.get("REMOTE_ADDR") or "")


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
