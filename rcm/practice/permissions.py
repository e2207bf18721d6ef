"""Who may do what: the named groups of roles, the page decorator, and the fenced get.

Every page, API view and selector names one of these groups rather than spelling roles out, so
"who may register a patient" is answered in one place. Data is fenced by practice in the
selectors (`practice_ids_for`); `scoped_get` is the one way a view or API view fetches a single
row: 404 when the row is in none of the user's practices (as for an id that does not exist),
403 when it is visible but the user's role in that practice does not allow the action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from rcm.practice.models import Role, User
from rcm.practice.selectors import Viewer, practice_ids_for

# --- role groups ---------------------------------------------------------------------------------
EVERYONE: tuple[str, ...] = tuple(Role.values)
FRONT_DESK: tuple[str, ...] = (Role.FRONT_DESK, Role.ADMINISTRATOR)  # patients, coverage, visits
CODING: tuple[str, ...] = (Role.CODER, Role.ADMINISTRATOR)
BILLING: tuple[str, ...] = (Role.BILLER, Role.ADMINISTRATOR)
ADMINISTRATION: tuple[str, ...] = (Role.ADMINISTRATOR,)
# Claims and their timelines: billers work them, coders answer for the codes on them.
CLAIM_READERS: tuple[str, ...] = (Role.CODER, Role.BILLER, Role.ADMINISTRATOR)
# Insurance cards and eligibility answers: the front desk took them, billers work claims with them.
COVERAGE_READERS: tuple[str, ...] = (Role.FRONT_DESK, Role.BILLER, Role.ADMINISTRATOR)

M = TypeVar("M", bound=Model)


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let the view run only for users holding one of `roles` in a practice they work in now.

    This is the page's door, not its fence: the page still lists only the practices where the
    user holds the page's roles (`practice_ids_for(roles=...)`) and fetches single rows with
    `scoped_get(..., roles=...)`, since a role holds only in its own practice.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not practice_ids_for(user=request.user, roles=roles):
                raise PermissionDenied("Your role does not include this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def scoped_get(
    queryset: QuerySet[M],
    *,
    user: Viewer,
    pk: object,
    roles: Iterable[str] | None = None,
    practice_field: str = "practice_id",
) -> M:
    """The row `pk` of `queryset` if it is in one of `user`'s practices, else Http404.

    With `roles`, a row the user can see but whose practice they hold none of `roles` in raises
    PermissionDenied (403). Django and DRF both turn these into their 404 and 403 answers.
    """
    visible = practice_ids_for(user=user)
    found = queryset.filter(pk=pk, **{f"{practice_field}__in": visible}).first()
    if found is None:
        raise Http404("Not found.")
    if roles is not None:
        practice_id = _practice_of(found, practice_field)
        if practice_id not in practice_ids_for(user=user, roles=roles):
            raise PermissionDenied("Your role in this practice does not allow this.")
    return found


def _practice_of(row: Model, practice_field: str) -> int:
    value: Any = row
    for part in practice_field.split("__"):
        value = getattr(value, part)
    return int(value)


class AuthenticatedRequest(HttpRequest):
    """A request behind the login wall: `user` is our User, never AnonymousUser."""

    user: User
