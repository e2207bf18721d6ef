"""Coverage work at the front desk: adding with the subscriber rules, editing, and reordering."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from patients.models import Coverage, CoveragePriority, Patient, Relationship
from patients.services import (
    COVERAGE_DETAIL_FIELDS,
    _check_dates,
    _check_no_overlap,
    _normalized,
    _refuse_unknown,
    coverage_add,
)
from rcm.practice.models import Payer, Role, User
from rcm.practice.selectors import Viewer, practice_ids_for, user_has_role
from rcm.practice.validators import US_STATES, validate_zip

# Who may add, edit and reorder coverages and upload cards.
COVERAGE_EDIT_ROLES = (Role.FRONT_DESK, Role.ADMINISTRATOR)
SUBSCRIBER_REQUIRED = {
    "subscriber_first_name": "Enter the subscriber's first name.",
    "subscriber_last_name": "Enter the subscriber's last name.",
    "subscriber_date_of_birth": "Enter the subscriber's date of birth.",
    "subscriber_sex": "Choose the subscriber's sex.",
    "subscriber_address1": "Enter the subscriber's street address.",
    "subscriber_city": "Enter the subscriber's city.",
    "subscriber_state": "Enter the subscriber's state.",
    "subscriber_zip_code": "Enter the subscriber's ZIP code.",
}
SUBSCRIBER_BLANK: dict[str, Any] = {
    name: (None if name == "subscriber_date_of_birth" else "") for name in SUBSCRIBER_REQUIRED
}
COVERAGE_UPDATE_FIELDS = COVERAGE_DETAIL_FIELDS | {
    "payer", "priority", "member_id", "effective_date", "termination_date",
}  # fmt: skip


# Reads the coverage pages need (kept beside the writes they guard).


def patient_get_for_coverage(*, user: Viewer, pk: int) -> Patient:
    """A patient of the user's practices; PermissionDenied unless they may edit its coverages."""
    patient = Patient.objects.select_related("practice").get(
        pk=pk, practice_id__in=practice_ids_for(user=user)
    )
    coverage_edit_check(user=user, practice_id=patient.practice_id)
    return patient


def coverage_get(*, user: Viewer, pk: int) -> Coverage:
    """One coverage of the user's practices; Coverage.DoesNotExist for anyone else's."""
    return Coverage.objects.select_related("payer", "patient").get(
        pk=pk, practice_id__in=practice_ids_for(user=user)
    )


def coverage_edit_check(*, user: Viewer, practice_id: int) -> None:
    if not user_has_role(user=user, practice_id=practice_id, roles=COVERAGE_EDIT_ROLES):
        raise PermissionDenied("Only the front desk or an administrator can change coverages.")


# Writes. Role checks happen where the request comes in (coverage_edit_check).


def coverage_subscriber_problems(*, fields: dict[str, Any]) -> dict[str, str]:
    """What is missing or wrong about the subscriber, field by field (nothing when self)."""
    if fields.get("relationship", Relationship.SELF) == Relationship.SELF:
        return {}
    problems = {name: text for name, text in SUBSCRIBER_REQUIRED.items() if not fields.get(name)}
    state = str(fields.get("subscriber_state") or "").strip().upper()
    if state and state not in US_STATES:
        problems["subscriber_state"] = (
            f"'{state}' is not a US state code; use two letters, e.g. IL."
        )
    zip_code = "".join(ch for ch in str(fields.get("subscriber_zip_code") or "") if ch.isdigit())
    if zip_code:
        try:
            validate_zip(zip_code)
        except ValidationError as error:
            problems["subscriber_zip_code"] = error.messages[0]
    born = fields.get("subscriber_date_of_birth")
    if isinstance(born, datetime.date) and born > timezone.localdate():
        problems["subscriber_date_of_birth"] = "A date of birth cannot be in the future."
    return problems


def _with_subscriber_rules(fields: dict[str, Any]) -> dict[str, Any]:
    """Refuse an incomplete subscriber; when the patient is the subscriber, forget the rest."""
    problems = coverage_subscriber_problems(fields=fields)
    if problems:
        raise ValidationError(problems)
    if fields.get("relationship", Relationship.SELF) == Relationship.SELF:
        return {**fields, **SUBSCRIBER_BLANK}
    return fields


def coverage_create(*, patient: Patient, payer: Payer, priority: int, member_id: str,
                    effective_date: datetime.date, user: User | None,
                    termination_date: datetime.date | None = None,
                    **details: Any) -> Coverage:  # fmt: skip
    """Add a coverage with the whole subscriber checked (coverage_add checks dates and overlap)."""
    _refuse_unknown(details, COVERAGE_DETAIL_FIELDS, "coverage_create")
    return coverage_add(
        patient=patient, payer=payer, priority=priority, member_id=member_id,
        effective_date=effective_date, termination_date=termination_date, user=user,
        **_with_subscriber_rules(details),
    )  # fmt: skip


def coverage_update(*, coverage: Coverage, user: User | None, **fields: Any) -> Coverage:
    """Change a coverage; the same rules as adding one, checked under the patient's lock."""
    _refuse_unknown(fields, COVERAGE_UPDATE_FIELDS, "coverage_update")
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=coverage.patient_id).first()
        locked = Coverage.objects.select_related("patient", "payer").get(pk=coverage.pk)
        current = {name: getattr(locked, name) for name in COVERAGE_UPDATE_FIELDS}
        merged = _with_subscriber_rules({**current, **_normalized(fields)})
        if isinstance(merged.get("member_id"), str):
            merged["member_id"] = merged["member_id"].strip()
        changed = [name for name, value in merged.items() if current[name] != value]
        if not changed:
            return coverage
        if "payer" in changed and not merged["payer"].is_active:
            raise ValidationError(
                {"payer": f"{merged['payer']} is no longer active; choose another."}
            )
        _check_dates(merged["effective_date"], merged["termination_date"])
        for name in changed:
            setattr(locked, name, merged[name])
        locked.full_clean()
        _check_no_overlap(locked)
        locked.save(update_fields=[*changed, "updated_at"])
    coverage.refresh_from_db()
    return coverage


def _overlapping(coverage: Coverage, priority: int) -> Q:
    end = coverage.termination_date or datetime.date.max
    return Q(priority=priority, effective_date__lte=end) & (
        Q(termination_date__isnull=True) | Q(termination_date__gte=coverage.effective_date)
    )


def coverage_move(*, coverage: Coverage, direction: Literal["up", "down"],
                  user: User | None) -> Coverage:  # fmt: skip
    """Move a coverage up (toward primary) or down, swapping with the one(s) it overlaps there.

    All of the patient's coverages are locked, so a concurrent move or add waits; if the swap
    would make two coverages of one priority overlap, nothing changes.
    """
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=coverage.patient_id).first()
        siblings = Coverage.objects.select_for_update().filter(patient_id=coverage.patient_id)
        locked = siblings.select_related("patient", "payer").get(pk=coverage.pk)
        old = locked.priority
        new = old - 1 if direction == "up" else old + 1
        if new not in CoveragePriority.values:
            where = "primary" if direction == "up" else "tertiary"
            raise ValidationError(f"This coverage is already {where}; it cannot move {direction}.")
        swapped = list(
            siblings.filter(_overlapping(locked, new)).exclude(pk=locked.pk).select_related("payer")
        )
        locked.priority = new
        for other in swapped:
            other.priority = old
        for row in [locked, *swapped]:
            row.save(update_fields=["priority", "updated_at"])
        for row in [locked, *swapped]:
            row.patient = locked.patient
            _check_no_overlap(row)  # raising rolls the whole swap back
    coverage.refresh_from_db()
    return coverage
