"""The shell's middleware: login everywhere, the idle timeout, the second factor, the scope."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

# The API authenticates by token in DRF itself; health is for load balancers.
PUBLIC_PREFIXES = ("/login/", "/static/", "/api/", "/health/")


SCOPE_SESSION_KEY = "practice_scope"


class PracticeScopeMiddleware:
    """Narrow every selector to the one practice the user chose for this session, if any."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = request.session.get(SCOPE_SESSION_KEY)
        if scope is not None and request.user.is_authenticated:
            request.user.practice_scope = scope  # type: ignore[attr-defined]
        return self.get_response(request)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/admin/"):
            return self.get_response(request)  # the admin has its own login
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


def session_stamp_at_sign_in(
    sender: object, request: HttpRequest, user: object, **_: object
) -> None:
    """At sign-in, note the activity (idle timeout) and whether a second factor is needed, so
    that the session's first page pays for neither."""
    from rcm.web.two_factor import two_factor_step

    if request is None or not hasattr(request, "session"):
        return
    request.session[IDLE_SESSION_KEY] = time.time()
    if two_factor_step(user=user) is None:  # type: ignore[arg-type]
        request.session[TWO_FACTOR_SESSION_KEY] = "none"


class ApiNoStoreMiddleware:
    """API answers hold patient data: no browser or proxy may keep a copy (no-store)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True)
        return response


IDLE_SESSION_KEY = "last_activity"
# The session is written at most this often just to note activity (every write is a query).
IDLE_NOTE_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Sign out a session left idle for RCM_IDLE_MINUTES; the next request goes to the login
    page with a message (an API call signed in by session is then refused as signed out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(IDLE_SESSION_KEY)
            idle_seconds = float(getattr(settings, "RCM_IDLE_MINUTES", 15)) * 60
            if isinstance(last, int | float) and now - last > idle_seconds:
                logout(request)
                minutes = int(idle_seconds // 60)
                messages.info(
                    request, f"You were signed out after {minutes} minutes without activity."
                )
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            elif not isinstance(last, int | float) or now - last > IDLE_NOTE_EVERY_SECONDS:
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


TWO_FACTOR_SESSION_KEY = "two_factor"
# Pages an unverified user may still reach: signing in and out, the second step itself.
TWO_FACTOR_OPEN_PREFIXES = ("/login/", "/logout/", "/static/", "/health/", "/security/")


class TwoFactorMiddleware:
    """After the password: an enrolled user enters their code; an administrator who has not
    enrolled must enrol first. Until then nothing else opens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from rcm.web.two_factor import two_factor_step

        user = request.user
        if (
            not user.is_authenticated
            or user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            or request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
            or request.path.startswith("/admin/")  # the operator's admin: see DEPLOYMENT.md
        ):
            return self.get_response(request)
        # Asked once per session (two queries): a user with no device and no duty needs nothing.
        # Enrolling verifies the session; a role granted later counts from the next sign-in.
        if request.session.get(TWO_FACTOR_SESSION_KEY) == "none":
            return self.get_response(request)
        needed = two_factor_step(user=user)
        if needed is None:
            request.session[TWO_FACTOR_SESSION_KEY] = "none"
            return self.get_response(request)
        step = {"verify": "two-factor-verify", "enrol": "two-factor-enrol"}[needed]
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Finish signing in with your two-factor code in the web app."},
                status=403,
            )
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
