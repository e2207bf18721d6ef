"""Reads for the coder's worklist: encounters waiting for coding, filtered and counted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from patients.models import Coverage, Encounter, EncounterStatus
from patients.visits.state import WAITING_FOR_CODING
from rcm.practice.models import Membership, Payer, Provider, User
from rcm.practice.permissions import ADMINISTRATION, CODING
from rcm.practice.selectors import Viewer, payer_list, practice_ids_for, provider_list

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
        practice_id__in=practice_ids_for(user=user, roles=CODING), status__in=WAITING
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
        practice_id__in=practice_ids_for(user=user, roles=CODING), status__in=WAITING
    )
    return base.aggregate(
        waiting=Count("id", filter=Q(status=EncounterStatus.AWAITING_CODING)),
        in_progress=Count("id", filter=Q(status=EncounterStatus.CODING_IN_PROGRESS)),
        mine=Count("id", filter=Q(assigned_coder=user.pk)),
        unassigned=Count("id", filter=Q(assigned_coder__isnull=True)),
    )


def coders_of(*, practice_id: int) -> QuerySet[User]:
    """Who may be given this practice's encounters to code (coders and administrators)."""
    ids = Membership.objects.filter(practice_id=practice_id, role__in=CODING).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name")


def coder_get(*, practice_id: int, pk: int) -> User | None:
    """The person `pk` if they may be given this practice's encounters, else None."""
    return coders_of(practice_id=practice_id).filter(pk=pk).first()


@dataclass(frozen=True)
class WorklistChoices:
    """What the worklist's filters and assign menus offer this user."""

    counts: dict[str, int]
    providers: QuerySet[Provider]
    payers: QuerySet[Payer]
    is_admin: bool


def worklist_choices(*, user: Viewer) -> WorklistChoices:
    """The counts, the filter choices, and whether the user assigns for others (administrator)."""
    return WorklistChoices(
        counts=worklist_counts(user=user),
        providers=provider_list(user=user),
        payers=payer_list(),
        is_admin=bool(practice_ids_for(user=user, roles=ADMINISTRATION)),
    )
