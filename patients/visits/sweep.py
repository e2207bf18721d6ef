"""The eligibility sweep of one upcoming visit: check its primary coverage unless checked lately."""

from __future__ import annotations

import datetime

from django.db import transaction

from patients.coverage.eligibility import eligibility_check
from patients.coverage.selectors import coverage_primary_on
from patients.models import EligibilityCheck, Encounter, EncounterStatus
from patients.visits.selectors import stale_days


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
