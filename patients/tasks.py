"""Celery tasks of the front desk: the eligibility sweep of upcoming visits (beat)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from patients.eligibility import eligibility_check
from patients.models import EligibilityCheck, Encounter, EncounterStatus
from patients.services import coverage_primary_on
from patients.worklist import encounters_in_sweep_window, stale_days
from rcm.audit.context import audit_context


def _checked_recently(encounter: Encounter, coverage_id: int, now: datetime.datetime) -> bool:
    return EligibilityCheck.objects.filter(
        coverage_id=coverage_id,
        service_date=encounter.date_of_service,
        requested_at__gte=now - datetime.timedelta(days=stale_days()),
    ).exists()


def eligibility_sweep_one(*, encounter_id: int, now: datetime.datetime) -> bool:
    """Check one visit's primary coverage unless a recent check for its date exists.

    The encounter row is locked (skip_locked) so two sweeps running at once check it once.
    """
    with transaction.atomic():
        encounter = (
            Encounter.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("patient")
            .filter(pk=encounter_id, status=EncounterStatus.SCHEDULED)
            .first()
        )
        if encounter is None:
            return False
        coverage = coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service)
        if coverage is None or _checked_recently(encounter, coverage.pk, now):
            return False
        eligibility_check(
            coverage=coverage,
            service_date=encounter.date_of_service,
            user=None,
            encounter=encounter,
        )
    return True


@shared_task(name="patients.tasks.eligibility_sweep_task", acks_late=True)
def eligibility_sweep_task() -> int:
    """Beat: check every visit scheduled in the next few days that has no recent check."""
    now = timezone.now()
    encounter_ids = list(
        encounters_in_sweep_window(today=timezone.localdate()).values_list("id", flat=True)
    )
    checked = 0
    with audit_context(via="task:eligibility_sweep"):
        for encounter_id in encounter_ids:
            checked += eligibility_sweep_one(encounter_id=encounter_id, now=now)
    return checked
