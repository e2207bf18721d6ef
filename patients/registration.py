"""Front-desk registration: the duplicate check before a new chart, and merging duplicates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from patients.models import Coverage, Encounter, Patient
from patients.services import patient_create
from rcm.practice.models import Practice, Role, User
from rcm.practice.selectors import user_has_role

# pg_trgm compares words as sets of trigrams, so "Smith John" is as close to "John Smith" as the
# name itself: transposed first and last names need no rule of their own. 0.4 catches one or two
# typos ("Jon Smyth") without matching unrelated people born on the same day.
DUPLICATE_NAME_SIMILARITY = 0.4
REGISTERING_ROLES = (Role.FRONT_DESK, Role.ADMINISTRATOR)
MERGING_ROLES = (Role.ADMINISTRATOR,)


class PossibleDuplicates(Exception):
    """The practice already has charts that look like this patient; confirm to go ahead."""

    def __init__(self, candidates: list[Patient]) -> None:
        super().__init__(f"{len(candidates)} possible duplicate(s)")
        self.candidates = candidates


@dataclass
class MergeResult:
    kept: Patient
    duplicate: Patient
    coverages_moved: int
    encounters_moved: int
    warnings: list[str] = field(default_factory=list)


def patient_duplicates_find(
    *,
    practice: Practice,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    exclude_pk: int | None = None,
) -> list[Patient]:
    """Active charts in `practice` born the same day whose name is alike, closest first."""
    typed = f"{first_name.strip()} {last_name.strip()}".upper()
    candidates = (
        Patient.objects.filter(
            practice=practice, date_of_birth=date_of_birth, merged_into__isnull=True
        )
        .annotate(
            name_similarity=TrigramSimilarity(
                Concat(F("first_name"), Value(" "), F("last_name")), typed
            )
        )
        .filter(name_similarity__gte=DUPLICATE_NAME_SIMILARITY)
        .order_by("-name_similarity", "pk")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(candidates[:10])


def patient_register(
    *, practice: Practice, user: User, confirm_not_duplicate: bool = False, **fields: Any
) -> Patient:
    """Register a patient after the duplicate check; PossibleDuplicates unless confirmed."""
    if not user_has_role(user=user, practice_id=practice.pk, roles=REGISTERING_ROLES):
        raise PermissionDenied("Only the front desk or an administrator registers patients.")
    if not confirm_not_duplicate and fields.get("date_of_birth"):
        candidates = patient_duplicates_find(
            practice=practice,
            first_name=fields.get("first_name", ""),
            last_name=fields.get("last_name", ""),
            date_of_birth=fields["date_of_birth"],
        )
        if candidates:
            raise PossibleDuplicates(candidates)
    return patient_create(practice=practice, user=user, **fields)


def _check_mergeable(keep: Patient, duplicate: Patient, user: User) -> None:
    if keep.pk == duplicate.pk:
        raise ValidationError("A chart cannot be merged into itself.")
    if keep.practice_id != duplicate.practice_id:
        raise ValidationError("Charts of different practices cannot be merged.")
    if keep.merged_into_id or duplicate.merged_into_id:
        merged = duplicate if duplicate.merged_into_id else keep
        raise ValidationError(f"MRN {merged.mrn} has already been merged into another chart.")
    if not user_has_role(user=user, practice_id=keep.practice_id, roles=MERGING_ROLES):
        raise PermissionDenied("Only an administrator of the practice merges charts.")


def _overlap_warnings(keep: Patient) -> list[str]:
    """Coverages of one priority now in force at once on the kept chart: a person must end one."""
    warnings = []
    coverages = list(Coverage.objects.filter(patient=keep).select_related("payer"))
    for index, first in enumerate(coverages):
        for second in coverages[index + 1 :]:
            if first.priority != second.priority:
                continue
            first_end = first.termination_date or datetime.date.max
            second_end = second.termination_date or datetime.date.max
            if first.effective_date <= second_end and second.effective_date <= first_end:
                warnings.append(
                    f"{first} and {second} overlap: end the one that no longer applies."
                )
    return warnings


def patient_merge(*, keep: Patient, duplicate: Patient, user: User) -> MergeResult:
    """Merge `duplicate` into `keep` in one transaction; the duplicate stays, inactive.

    The duplicate's coverages (with their cards and eligibility checks) and encounters move to
    the kept chart. Rows of higher layers (claims and what hangs off them) keep pointing at the
    duplicate: a claim is a snapshot of what was sent under that chart, and `merged_into` leads
    from it to the kept one. Every row changed here is captured by the audit triggers.
    """
    _check_mergeable(keep, duplicate, user)
    now = timezone.now()
    with transaction.atomic():
        rows = Patient.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
        locked = {row.pk: row for row in rows.order_by("pk")}  # always in one order: no deadlock
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        _check_mergeable(keep, duplicate, user)  # again, now that nobody else can change them
        coverages = Coverage.objects.filter(patient=duplicate).update(patient=keep, updated_at=now)
        encounters = Encounter.objects.filter(patient=duplicate).update(
            patient=keep, updated_at=now
        )
        # Charts merged into the duplicate earlier now lead straight to the kept one.
        Patient.objects.filter(merged_into=duplicate).update(merged_into=keep, updated_at=now)
        duplicate.merged_into = keep
        duplicate.is_active = False
        duplicate.save(update_fields=["merged_into", "is_active", "updated_at"])
        warnings = _overlap_warnings(keep)
    return MergeResult(keep, duplicate, coverages, encounters, warnings)
