"""Role checks for views: a page is for some roles, and data is fenced by practice elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from rcm.practice.models import User
from rcm.practice.selectors import roles_for


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let the view run only for users holding one of `roles` in at least one practice."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not set(roles) & set(roles_for(user=request.user)):
                raise PermissionDenied("Your role does not include this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class AuthenticatedRequest(HttpRequest):
    """A request behind the login wall: `user` is our User, never AnonymousUser."""

    user: User
