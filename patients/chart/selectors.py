"""What each part of the patient chart shows: its coverages with their cards, its visits."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from patients.coverage.selectors import (
    card_may_view,
    coverage_cards_current,
    coverage_list_for_patient,
    coverage_move_down_refusal,
)
from patients.models import CoveragePriority, EncounterStatus, Patient, Relationship
from patients.visits.selectors import eligibility_for_visit
from rcm.practice.models import User
from rcm.practice.permissions import COVERAGE_READERS, FRONT_DESK
from rcm.practice.selectors import user_has_role


def coverage_chart_context(*, patient: Patient, user: User) -> dict[str, Any]:
    """For templates/patients/_coverages.html: the coverages in order, their cards, the buttons."""
    today = timezone.localdate()
    coverages = list(coverage_list_for_patient(patient=patient))
    can_view_cards = card_may_view(user=user, practice_id=patient.practice_id)
    cards = coverage_cards_current(coverages=coverages) if can_view_cards else {}
    rows = [
        {
            "coverage": coverage,
            "active_today": coverage.is_active_on(today),
            "subscriber_is_patient": coverage.relationship == Relationship.SELF,
            "cards": cards.get(coverage.pk),
            "can_move_up": coverage.priority > CoveragePriority.PRIMARY,
            "can_move_down": not coverage_move_down_refusal(coverage=coverage, coverages=coverages),
        }
        for coverage in coverages
    ]
    return {
        "coverage_rows": rows,
        "coverage_today": today,
        "can_edit_coverage": user_has_role(
            user=user, practice_id=patient.practice_id, roles=FRONT_DESK
        ),
        "can_view_cards": can_view_cards,
    }


def visit_chart_context(*, patient: Patient, user: User) -> dict[str, Any]:
    """For templates/patients/_visits.html: visits with their eligibility, and checks by coverage.

    Only scheduled visits get an eligibility verdict: the others have happened already.
    """
    now = timezone.now()
    encounters = patient.encounters.select_related("rendering_provider", "patient")
    rows = [
        (e, eligibility_for_visit(encounter=e, now=now) if e.status == EncounterStatus.SCHEDULED
         else None)
        for e in encounters
    ]  # fmt: skip
    can_read = user_has_role(user=user, practice_id=patient.practice_id, roles=COVERAGE_READERS)
    coverages = [
        (coverage, coverage.eligibility_checks.order_by("-requested_at", "-id").first())
        for coverage in patient.coverages.select_related("payer").order_by("priority")
        if coverage.termination_date is None or coverage.termination_date >= timezone.localdate()
    ]
    return {
        "visit_rows": rows,
        "can_manage_visits": user_has_role(
            user=user, practice_id=patient.practice_id, roles=FRONT_DESK
        ),
        "can_read_checks": can_read,
        "eligibility_coverages": coverages if can_read else [],
    }
