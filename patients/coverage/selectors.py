"""Reads of coverages: the primary one on a day, a patient's list, cards, eligibility checks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from patients.models import (
    CardSide,
    Coverage,
    CoverageCard,
    CoveragePriority,
    EligibilityCheck,
    Patient,
)
from rcm.audit.services import audit_record_view
from rcm.files.services import stored_file_read
from rcm.practice.permissions import COVERAGE_READERS, FRONT_DESK, scoped_get
from rcm.practice.selectors import Viewer, practice_ids_for, user_has_role


def coverage_primary_on(*, patient: Patient, day: datetime.date) -> Coverage | None:
    """The patient's primary coverage in force on `day`, the one a claim for that day bills."""
    return (
        Coverage.objects.in_force_on(day)
        .filter(patient=patient, priority=CoveragePriority.PRIMARY)
        .select_related("payer")
        .order_by("-effective_date", "-id")
        .first()
    )


def coverage_list_for_patient(*, patient: Patient) -> QuerySet[Coverage]:
    return patient.coverages.select_related("payer").order_by("priority", "-effective_date")


def card_may_view(*, user: Viewer, practice_id: int) -> bool:
    return user_has_role(user=user, practice_id=practice_id, roles=COVERAGE_READERS)


def coverage_card_get(*, user: Viewer, pk: int) -> CoverageCard:
    """A card of the user's practices (CoverageCard.DoesNotExist otherwise), role checked."""
    card = CoverageCard.objects.select_related("file", "coverage").get(
        pk=pk, practice_id__in=practice_ids_for(user=user)
    )
    if not card_may_view(user=user, practice_id=card.practice_id):
        raise PermissionDenied("Your role does not include insurance card images.")
    return card


def coverage_card_open(*, user: Viewer, pk: int) -> tuple[CoverageCard, bytes]:
    """A card's bytes for someone allowed to see them; the look is recorded as a chart access."""
    card = coverage_card_get(user=user, pk=pk)
    audit_record_view(
        table_name=CoverageCard._meta.db_table,
        object_pk=card.pk,
        practice_id=card.practice_id,
        actor_id=user.pk,
        detail=f"insurance card {card.side} of coverage {card.coverage_id}",
    )
    return card, stored_file_read(stored=card.file)


@dataclass(frozen=True)
class CardSet:
    """The newest front and back of one coverage's card, and how many earlier uploads exist."""

    front: CoverageCard | None
    back: CoverageCard | None
    earlier: int


def coverage_cards_current(*, coverages: Iterable[Coverage]) -> dict[int, CardSet]:
    """For each coverage id, its newest front and back (one query for them all)."""
    ids = [coverage.pk for coverage in coverages]
    newest: dict[tuple[int, str], CoverageCard] = {}
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    for card in CoverageCard.objects.filter(coverage_id__in=ids).order_by("-uploaded_at", "-id"):
        counts[card.coverage_id] += 1
        newest.setdefault((card.coverage_id, card.side), card)
    sets = {}
    for pk in ids:
        front, back = newest.get((pk, CardSide.FRONT)), newest.get((pk, CardSide.BACK))
        shown = (front is not None) + (back is not None)
        sets[pk] = CardSet(front=front, back=back, earlier=counts[pk] - shown)
    return sets


def coverage_card_history(*, coverage: Coverage) -> list[CoverageCard]:
    return list(coverage.cards.select_related("uploaded_by").order_by("-uploaded_at", "-id"))


def eligibility_latest(
    *, coverage: Coverage, service_date: datetime.date
) -> EligibilityCheck | None:
    """The newest check of `coverage` for `service_date`, else its newest check for any date."""
    checks = coverage.eligibility_checks.order_by("-requested_at", "-id")
    return checks.filter(service_date=service_date).first() or checks.first()


def eligibility_check_get(*, user: Viewer, pk: int) -> EligibilityCheck:
    """One check of the user's practices (front desk, administrators, billers): Http404 outside
    them, PermissionDenied for another role in the check's practice."""
    checks = EligibilityCheck.objects.select_related(
        "coverage__payer", "coverage__patient", "practice", "encounter", "requested_by",
        "request_file", "response_file",
    )  # fmt: skip
    return scoped_get(checks, user=user, pk=pk, roles=COVERAGE_READERS)


def coverage_for_check_get(*, user: Viewer, pk: int) -> Coverage:
    """A coverage the user may check eligibility for (front desk or administrator): Http404
    outside the user's practices, PermissionDenied for another role in its practice."""
    coverages = Coverage.objects.select_related("patient", "payer", "practice")
    return scoped_get(coverages, user=user, pk=pk, roles=FRONT_DESK)


def coverages_overlap(one: Coverage, other: Coverage) -> bool:
    """Whether two coverages are in force on at least one common day."""
    one_ends = one.termination_date or datetime.date.max
    other_ends = other.termination_date or datetime.date.max
    return one.effective_date <= other_ends and other.effective_date <= one_ends


def coverage_move_down_refusal(*, coverage: Coverage, coverages: Sequence[Coverage]) -> str:
    """Why `coverage` may not move down among the patient's `coverages`, in words; '' if it may.

    Moving down swaps it with the coverage one place below over the same dates; with none
    there, the move would leave its place (primary, say) empty.
    """
    place = CoveragePriority(coverage.priority).label.lower()
    if coverage.priority >= CoveragePriority.TERTIARY:
        return f"This coverage is already {place}; it cannot move down."
    below = [
        other
        for other in coverages
        if other.pk != coverage.pk
        and other.priority == coverage.priority + 1
        and coverages_overlap(coverage, other)
    ]
    if below:
        return ""
    return (
        f"{coverage.payer.name} is the only {place} coverage for its dates: moving it down "
        f"would leave no {place}. Add the coverage that comes first, then change the order."
    )
