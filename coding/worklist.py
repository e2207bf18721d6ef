"""The coder's worklist: encounters waiting for coding, filtered, counted, assigned, next up."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from patients.models import Coverage, Encounter, EncounterStatus
from patients.visits.state import WAITING_FOR_CODING
from rcm.practice.models import Membership, Role, User
from rcm.practice.selectors import Viewer, practice_ids_for

CODING_ROLES = (Role.CODER, Role.ADMINISTRATOR)
WAITING = WAITING_FOR_CODING


@dataclass(frozen=True)
class WorklistFilter:
    provider_id: int | None = None
    payer_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    assigned: str = "all"  # "all", "me", "unassigned"


def worklist_encounters(*, user: Viewer, filters: WorklistFilter) -> QuerySet[Encounter]:
    """Encounters waiting for coding in the user's practices, oldest date of service first."""
    encounters = Encounter.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=CODING_ROLES), status__in=WAITING
    )
    if filters.provider_id:
        encounters = encounters.filter(rendering_provider_id=filters.provider_id)
    if filters.date_from:
        encounters = encounters.filter(date_of_service__gte=filters.date_from)
    if filters.date_to:
        encounters = encounters.filter(date_of_service__lte=filters.date_to)
    if filters.payer_id:
        # The payer a visit will be billed to: a coverage of that payer in force on the day.
        in_force = Coverage.objects.in_force_on(OuterRef("date_of_service")).filter(
            patient=OuterRef("patient"), payer_id=filters.payer_id, priority=1
        )
        encounters = encounters.filter(Exists(in_force))
    if filters.assigned == "me":
        encounters = encounters.filter(assigned_coder=user.pk)
    elif filters.assigned == "unassigned":
        encounters = encounters.filter(assigned_coder__isnull=True)
    return encounters.select_related(
        "patient", "rendering_provider", "practice", "assigned_coder"
    ).order_by("date_of_service", "id")


def worklist_counts(*, user: Viewer) -> dict[str, int]:
    """Waiting, in progress, mine and unassigned, over the user's practices."""
    base = Encounter.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=CODING_ROLES), status__in=WAITING
    )
    return base.aggregate(
        waiting=Count("id", filter=Q(status=EncounterStatus.AWAITING_CODING)),
        in_progress=Count("id", filter=Q(status=EncounterStatus.CODING_IN_PROGRESS)),
        mine=Count("id", filter=Q(assigned_coder=user.pk)),
        unassigned=Count("id", filter=Q(assigned_coder__isnull=True)),
    )


def coders_of(*, practice_id: int) -> QuerySet[User]:
    """Who may be given this practice's encounters to code (coders and administrators)."""
    ids = Membership.objects.filter(practice_id=practice_id, role__in=CODING_ROLES).values(
        "user_id"
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name")


def encounter_assign(*, encounter: Encounter, coder: User | None, by: User) -> Encounter:
    """Give an encounter to a coder (or take it back). Coders may take only for themselves."""
    practice_id = encounter.practice_id
    if practice_id not in practice_ids_for(user=by, roles=CODING_ROLES):
        raise PermissionDenied("You do not code for this practice.")
    is_admin = practice_id in practice_ids_for(user=by, roles=[Role.ADMINISTRATOR])
    if not is_admin and coder is not None and coder.pk != by.pk:
        raise PermissionDenied("Only an administrator assigns encounters to someone else.")
    if coder is not None and not coders_of(practice_id=practice_id).filter(pk=coder.pk).exists():
        raise PermissionDenied(f"{coder} does not code for this practice.")
    with transaction.atomic():
        locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
        locked.assigned_coder = coder
        locked.save(update_fields=["assigned_coder", "updated_at"])
    encounter.assigned_coder = coder
    return encounter


def encounter_next_for(*, coder: User) -> Encounter | None:
    """The next encounter for this coder: theirs first, then the oldest nobody has taken.

    Locked with SKIP LOCKED, so two coders pressing "Next" at once never get the same one.
    """
    practice_ids = practice_ids_for(user=coder, roles=CODING_ROLES)
    with transaction.atomic():
        waiting = Encounter.objects.filter(practice_id__in=practice_ids, status__in=WAITING)
        candidate = (
            waiting.filter(Q(assigned_coder=coder) | Q(assigned_coder__isnull=True))
            .order_by(
                # Mine before unassigned, then the oldest visit.
                "assigned_coder",
                "date_of_service",
                "id",
            )
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if candidate is None:
            return None
        if candidate.assigned_coder_id is None:
            candidate.assigned_coder = coder
            candidate.save(update_fields=["assigned_coder", "updated_at"])
    return candidate
