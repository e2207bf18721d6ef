"""Writes for the coder's worklist: giving an encounter to a coder, and "next encounter"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from coding.worklist.selectors import WAITING, coders_of
from patients.models import Encounter
from rcm.practice.models import User
from rcm.practice.permissions import ADMINISTRATION, CODING
from rcm.practice.selectors import practice_ids_for


def encounter_assign(*, encounter: Encounter, coder: User | None, by: User) -> Encounter:
    """Give an encounter to a coder (or take it back). Coders may take only for themselves."""
    practice_id = encounter.practice_id
    if practice_id not in practice_ids_for(user=by, roles=CODING):
        raise PermissionDenied("You do not code for this practice.")
    is_admin = practice_id in practice_ids_for(user=by, roles=ADMINISTRATION)
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
    practice_ids = practice_ids_for(user=coder, roles=CODING)
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
