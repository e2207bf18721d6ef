"""Writes about insurance coverages: add, edit, end, reorder, and upload the card's images."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from patients.coverage.cards import card_content_type, card_size_check
from patients.coverage.selectors import coverage_move_down_refusal
from patients.models import (
    CardSide,
    Coverage,
    CoverageCard,
    CoveragePriority,
    Patient,
    Relationship,
)
from patients.normalize import normalized, refuse_unknown
from rcm.files.models import Direction, FileKind, StoredFile
from rcm.files.services import sha256_of, stored_file_save
from rcm.practice.models import Payer, User
from rcm.practice.validators import US_STATES, validate_zip

COVERAGE_DETAIL_FIELDS = frozenset(
    {
        "group_number", "plan_name", "relationship", "subscriber_first_name",
        "subscriber_last_name", "subscriber_date_of_birth", "subscriber_sex",
        "subscriber_address1", "subscriber_city", "subscriber_state", "subscriber_zip_code",
    }
)  # fmt: skip
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


def _check_subscriber(coverage: Coverage) -> None:
    """When the patient is not the subscriber, the claim must name the subscriber (2010BA)."""
    if coverage.relationship == Relationship.SELF:
        return
    required = {
        "subscriber_first_name": coverage.subscriber_first_name,
        "subscriber_last_name": coverage.subscriber_last_name,
        "subscriber_date_of_birth": coverage.subscriber_date_of_birth,
    }
    missing = {
        name: "Required when the patient is not the subscriber."
        for name, value in required.items()
        if not value
    }
    if missing:
        raise ValidationError(missing)


def _overlapping(coverage: Coverage, priority: int) -> Q:
    """Coverages of `priority` whose dates overlap those of `coverage`."""
    end = coverage.termination_date or datetime.date.max
    return Q(priority=priority, effective_date__lte=end) & (
        Q(termination_date__isnull=True) | Q(termination_date__gte=coverage.effective_date)
    )


def _check_no_overlap(coverage: Coverage) -> None:
    """One coverage per priority at a time, so 'the primary coverage on a date' is one row."""
    clash = (
        Coverage.objects.filter(_overlapping(coverage, coverage.priority), patient=coverage.patient)
        .exclude(pk=coverage.pk)
        .select_related("payer")
        .first()
    )
    if clash is not None:
        ends = "with no end"
        if clash.termination_date:
            ends = f"until {clash.termination_date:%m/%d/%Y}"
        priority = CoveragePriority(coverage.priority).label.lower()
        raise ValidationError(
            f"{coverage.patient.full_name} already has {priority} coverage with {clash.payer} "
            f"from {clash.effective_date:%m/%d/%Y} {ends}; end that coverage first."
        )


def _check_dates(effective_date: datetime.date, termination_date: datetime.date | None) -> None:
    if termination_date is not None and termination_date < effective_date:
        raise ValidationError(
            {"termination_date": "A coverage cannot end before it starts "
             f"({effective_date:%m/%d/%Y})."}
        )  # fmt: skip


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
    """Add an insurance coverage; `details` are the group, plan and subscriber fields.

    The one way a coverage is created (the front-desk form, the API, the demo): the whole
    subscriber is checked when the patient is not the subscriber (and forgotten when they are),
    the payer must be active, the dates in order, and no coverage of the same priority may
    overlap it (checked under the patient's lock).
    """
    refuse_unknown(details, COVERAGE_DETAIL_FIELDS, "coverage_create")
    details = _with_subscriber_rules(details)
    if not payer.is_active:
        raise ValidationError({"payer": f"{payer} is no longer active; choose another payer."})
    _check_dates(effective_date, termination_date)
    coverage = Coverage(
        practice_id=patient.practice_id, patient=patient, payer=payer, priority=priority,
        member_id=member_id.strip(), effective_date=effective_date,
        termination_date=termination_date, **normalized(details),
    )  # fmt: skip
    coverage.full_clean()
    _check_subscriber(coverage)
    with transaction.atomic():
        # Two front-desk clerks adding coverage for one patient must not both pass the check.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        _check_no_overlap(coverage)
        coverage.save()
    return coverage


def coverage_update(*, coverage: Coverage, user: User | None, **fields: Any) -> Coverage:
    """Change a coverage; the same rules as adding one, checked under the patient's lock."""
    refuse_unknown(fields, COVERAGE_UPDATE_FIELDS, "coverage_update")
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=coverage.patient_id).first()
        locked = Coverage.objects.select_related("patient", "payer").get(pk=coverage.pk)
        current = {name: getattr(locked, name) for name in COVERAGE_UPDATE_FIELDS}
        merged = _with_subscriber_rules({**current, **normalized(fields)})
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


def coverage_terminate(*, coverage: Coverage, termination_date: datetime.date,
                       user: User | None) -> Coverage:  # fmt: skip
    """End a coverage on `termination_date` (the last day it covers)."""
    _check_dates(coverage.effective_date, termination_date)
    coverage.termination_date = termination_date
    coverage.save(update_fields=["termination_date", "updated_at"])
    return coverage


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
        if direction == "down":
            refusal = coverage_move_down_refusal(coverage=locked, coverages=list(siblings))
            if refusal:
                raise ValidationError(refusal)
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


def _stored_card_file(*, name: str, content: bytes, practice_id: int) -> StoredFile:
    """Keep the bytes once: a received file is unique by checksum, so reuse an earlier copy."""
    checksum = sha256_of(content)
    existing = StoredFile.objects.filter(direction=Direction.INBOUND, sha256=checksum).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a savepoint: a racing twin upload must not break ours
            return stored_file_save(
                kind=FileKind.CARD, direction=Direction.INBOUND, name=name, content=content,
                practice_id=practice_id, transport="upload",
            )  # fmt: skip
    except IntegrityError:
        return StoredFile.objects.get(direction=Direction.INBOUND, sha256=checksum)


def coverage_card_upload(*, coverage: Coverage, side: str, name: str, content: bytes,
                         user: User | None) -> CoverageCard:  # fmt: skip
    """Attach the front or back of the card; an earlier upload of that side stays as history."""
    if side not in CardSide.values:
        raise ValidationError({"side": "Choose the front or the back of the card."})
    card_size_check(size=len(content))
    content_type = card_content_type(content=content)
    with transaction.atomic():
        stored = _stored_card_file(
            name=name or f"card-{side}", content=content, practice_id=coverage.practice_id
        )
        newest = coverage.cards.filter(side=side).order_by("-uploaded_at", "-id").first()
        if newest is not None and newest.file_id == stored.pk:
            return newest  # the same picture again: nothing new to keep
        return CoverageCard.objects.create(
            practice_id=coverage.practice_id, coverage=coverage, side=side, file=stored,
            content_type=content_type, uploaded_by=user,
        )  # fmt: skip
