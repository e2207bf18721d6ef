"""Login everywhere: every page but the login page, static files and the API needs a session."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

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
