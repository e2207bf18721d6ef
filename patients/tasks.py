"""Celery tasks of the front desk: the eligibility sweep of upcoming visits (beat)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from patients.visits.selectors import encounters_in_sweep_window
from patients.visits.sweep import eligibility_sweep_one
from rcm.audit.context import audit_context


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
