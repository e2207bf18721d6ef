"""Writes about patients: register (after the duplicate check), edit demographics, merge charts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone

from patients.models import Coverage, Encounter, Patient
from patients.normalize import normalized, refuse_unknown
from patients.registration.selectors import patient_duplicates_find
from rcm.practice.models import Practice, User
from rcm.practice.permissions import ADMINISTRATION, FRONT_DESK
from rcm.practice.selectors import user_has_role

PATIENT_FIELDS = frozenset(
    {
        "mrn", "first_name", "middle_name", "last_name", "date_of_birth", "sex", "address1",
        "address2", "city", "state", "zip_code", "phone", "email", "is_active",
    }
)  # fmt: skip
MRN_WIDTH = 6


def _check_birth_date(patient: Patient) -> None:
    if patient.date_of_birth and patient.date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": "A date of birth cannot be in the future."})


def patient_next_mrn(*, practice: Practice) -> str:
    """The next automatic MRN in `practice`: one more than the largest all-digit MRN in use.

    Call it inside a transaction that has locked the practice row, or two registrations may
    race for the same number (the unique constraint would then refuse the second).
    """
    largest = (
        Patient.objects.filter(practice=practice, mrn__regex=r"^[0-9]{1,18}$")
        .annotate(number=Cast("mrn", BigIntegerField()))
        .aggregate(largest=Max("number"))["largest"]
    )
    return f"{(largest or 0) + 1:0{MRN_WIDTH}d}"


def patient_create(*, practice: Practice, user: User | None, **fields: Any) -> Patient:
    """Register a patient in `practice`; an MRN is assigned when none is given."""
    refuse_unknown(fields, PATIENT_FIELDS, "patient_create")
    fields = normalized(fields)
    with transaction.atomic():
        # Serialises automatic MRNs within the practice.
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        if not fields.get("mrn"):
            fields["mrn"] = patient_next_mrn(practice=practice)
        patient = Patient(practice=practice, **fields)
        patient.full_clean()
        _check_birth_date(patient)
        patient.save()
    return patient


def patient_update(*, patient: Patient, user: User | None, **fields: Any) -> Patient:
    """Change a patient's demographics; the practice never changes."""
    refuse_unknown(fields, PATIENT_FIELDS, "patient_update")
    fields = normalized(fields)
    changed = [name for name, value in fields.items() if getattr(patient, name) != value]
    if not changed:
        return patient
    before = {name: getattr(patient, name) for name in changed}
    for name in changed:
        setattr(patient, name, fields[name])
    try:
        patient.full_clean()
        _check_birth_date(patient)
    except ValidationError:
        for name, value in before.items():  # the caller keeps the row as it is in the database
            setattr(patient, name, value)
        raise
    patient.save(update_fields=[*changed, "updated_at"])
    return patient


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


def patient_register(
    *, practice: Practice, user: User, confirm_not_duplicate: bool = False, **fields: Any
) -> Patient:
    """Register a patient after the duplicate check; PossibleDuplicates unless confirmed."""
    if not user_has_role(user=user, practice_id=practice.pk, roles=FRONT_DESK):
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
    if not user_has_role(user=user, practice_id=keep.practice_id, roles=ADMINISTRATION):
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
