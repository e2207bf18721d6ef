"""Reads for the coder's home page: how much coding waits, and the oldest visits waiting."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from patients.models import Encounter, EncounterStatus
from rcm.practice.permissions import CODING
from rcm.practice.selectors import Viewer, practice_ids_for


@dataclass(frozen=True)
class CoderHome:
    waiting_count: int
    in_progress_count: int
    coded_count: int
    oldest: list[Encounter]


HOME_OLDEST = 15


def coder_home(*, user: Viewer) -> CoderHome:
    """The coder's home page: how many visits wait, are in progress or coded, and the oldest."""
    # Fenced, like the worklist, to the practices the user codes for: a role holds only there.
    encounters = Encounter.objects.filter(practice_id__in=practice_ids_for(user=user, roles=CODING))
    counts = encounters.aggregate(
        waiting=Count("id", filter=Q(status=EncounterStatus.AWAITING_CODING)),
        in_progress=Count("id", filter=Q(status=EncounterStatus.CODING_IN_PROGRESS)),
    )
    # "Coded, not yet billed": coded visits with no claim. The claim table is claims' (a higher
    # layer, not imported); its reverse relation `claims` is read (an anti-join on encounter).
    counts["coded"] = (
        encounters.filter(status=EncounterStatus.CODED).filter(claims__isnull=True).count()
    )
    oldest = (
        encounters.awaiting_coding()
        .select_related("patient", "rendering_provider", "practice")
        .order_by("date_of_service", "id")[:HOME_OLDEST]
    )
    return CoderHome(counts["waiting"], counts["in_progress"], counts["coded"], list(oldest))
