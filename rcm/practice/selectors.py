"""Reads about tenancy: which practices a user belongs to, and in which roles."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from rcm.practice.models import (
    FeeScheduleEntry,
    Membership,
    Payer,
    Practice,
    Provider,
    Role,
    User,
)

# Selectors take whoever made the request; an anonymous or inactive user sees nothing.
Viewer = User | AnonymousUser


def practice_ids_for(
    *, user: Viewer, roles: Iterable[str] | None = None, scoped: bool = True
) -> list[int]:
    """Ids of the active practices `user` is a member of (in one of `roles`, when given).

    Every selector that touches patient data filters by this list: it is the tenancy fence.
    A user working in many practices may narrow it to one for the session (`practice_scope`,
    set by the web shell); the scope can only narrow the fence, never widen it.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    memberships = Membership.objects.filter(user=user, practice__is_active=True)
    scope = getattr(user, "practice_scope", None) if scoped else None
    if scope is not None:
        memberships = memberships.filter(practice_id=scope)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return sorted(set(memberships.values_list("practice_id", flat=True)))


def practice_list(
    *, user: Viewer, roles: Iterable[str] | None = None, scoped: bool = True
) -> QuerySet[Practice]:
    return Practice.objects.filter(pk__in=practice_ids_for(user=user, roles=roles, scoped=scoped))


def roles_for(*, user: Viewer) -> list[str]:
    """The distinct roles a user holds, in the order of `Role` (front desk first)."""
    if not user.is_authenticated:
        return []
    held = set(
        Membership.objects.filter(user=user, practice__is_active=True).values_list(
            "role", flat=True
        )
    )
    return [role.value for role in Role if role.value in held]


def membership_summary(*, user: Viewer) -> tuple[list[str], list[tuple[int, str]]]:
    """(roles held, [(practice id, name)]) in one query: what the navigation needs."""
    if not user.is_authenticated:
        return [], []
    rows = Membership.objects.filter(user=user, practice__is_active=True).values_list(
        "role", "practice_id", "practice__name"
    )
    held = {role for role, _id, _name in rows}
    practices = sorted({(pk, name) for _role, pk, name in rows}, key=lambda p: p[1])
    return [role.value for role in Role if role.value in held], practices


def user_has_role(*, user: Viewer, practice_id: int, roles: Iterable[str]) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, practice_id=practice_id, role__in=list(roles), practice__is_active=True
    ).exists()


def provider_list(*, user: Viewer) -> QuerySet[Provider]:
    return Provider.objects.filter(practice_id__in=practice_ids_for(user=user))


def payer_list() -> QuerySet[Payer]:
    return Payer.objects.filter(is_active=True)


def fee_for(
    *, practice: Practice, code: str, on: datetime.date, payer: Payer | None = None
) -> Decimal | None:
    """The practice's charge for `code` on a date: the payer's schedule first, then the standard."""
    for schedule_payer in ([payer] if payer else []) + [None]:
        entry = (
            FeeScheduleEntry.objects.filter(
                schedule__practice=practice,
                schedule__payer=schedule_payer,
                schedule__effective_from__lte=on,
                code=code,
            )
            .order_by("-schedule__effective_from")
            .first()
        )
        if entry is not None:
            return entry.charge
    return None


HEARTBEAT_KEY = "worker-heartbeat"


def worker_heartbeat_last() -> datetime.datetime | None:
    """When a worker last ran beat's heartbeat task: are workers and beat alive?"""
    stamp = cache.get(HEARTBEAT_KEY)
    return datetime.datetime.fromisoformat(stamp) if stamp else None


RowT = TypeVar("RowT", bound=Model)


def selected_rows_lock(
    rows: QuerySet[RowT],
    ids: Sequence[int],
    *,
    user: Any,
    roles: Iterable[str],
    noun: str,
    limit: int,
) -> list[RowT]:
    """The rows a person ticked (`ids`), row-locked in id order, every one in a practice where
    `user` holds one of `roles`; ValidationError in words otherwise (none ticked, more than
    `limit`, or one outside their practices). For the bulk actions of the work queues."""
    if not ids:
        raise ValidationError(f"Select at least one {noun}.")
    if len(ids) > limit:
        raise ValidationError(f"Select at most {limit} {noun}s at once.")
    fence = practice_ids_for(user=user, roles=roles)
    found = list(
        rows.select_for_update().filter(pk__in=list(ids), practice_id__in=fence).order_by("id")
    )
    if len(found) != len(set(ids)):
        raise ValidationError(f"Some of the selected {noun}s are not yours to work.")
    return found
