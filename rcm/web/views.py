"""The web shell: send each user to their role's home, the practice chooser, the health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from rcm.practice.permissions import AuthenticatedRequest
from rcm.practice.selectors import HEARTBEAT_KEY, practice_ids_for, roles_for
from rcm.practice.validators import ascii_int
from rcm.web.authentication import tokens_revoke
from rcm.web.context_processors import ROLE_HOMES
from rcm.web.hostile import safe_next_url
from rcm.web.middleware import SCOPE_SESSION_KEY

HOME_FOR_ROLE = {role: url_name for role, _label, url_name in ROLE_HOMES}


class SignOutView(auth_views.LogoutView):
    """Signing out of the web signs the user's API clients out too (their token is deleted)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            tokens_revoke(user=request.user)
        return super().post(request, *args, **kwargs)


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Send each user to the home page of their first role."""
    roles = roles_for(user=request.user)
    if not roles:
        return render(request, "web/no_membership.html", status=403)
    return redirect(HOME_FOR_ROLE[roles[0]])


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the IT person: is the database up, is Redis up, are workers alive."""
    report: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as error:  # any failure means unhealthy; say which
        report["database"] = f"error: {error.__class__.__name__}"
    try:
        report["worker_heartbeat"] = cache.get(HEARTBEAT_KEY)
        report["redis"] = "ok"
    except Exception as error:
        report["redis"] = f"error: {error.__class__.__name__}"
    healthy = report["database"] == "ok" and report["redis"] == "ok"
    report["status"] = "ok" if healthy else "unhealthy"
    return JsonResponse(report, status=200 if healthy else 503)


@require_POST
def practice_scope_set(request: AuthenticatedRequest) -> HttpResponse:
    """Work in one of my practices, or in all of them (an empty choice)."""
    choice = request.POST.get("practice", "")
    if choice == "":
        request.session.pop(SCOPE_SESSION_KEY, None)
    elif ascii_int(choice) in practice_ids_for(user=request.user, scoped=False):
        request.session[SCOPE_SESSION_KEY] = int(choice)
    else:
        return HttpResponseBadRequest("You are not a member of that practice.")
    return redirect(safe_next_url(request))
