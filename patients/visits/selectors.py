"""Reads of visits: lists, the coder's and front desk's queues, the timeline, eligibility."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from patients.coverage.selectors import coverage_primary_on, eligibility_latest
from patients.models import (
    Coverage,
    CoveragePriority,
    EligibilityCheck,
    Encounter,
    EncounterEvent,
    EncounterStatus,
    Patient,
)
from rcm.practice.permissions import FRONT_DESK
from rcm.practice.selectors import Viewer, practice_ids_for


def encounter_list(*, user: Viewer, statuses: list[str] | None = None) -> QuerySet[Encounter]:
    encounters = Encounter.objects.filter(
        practice_id__in=practice_ids_for(user=user)
    ).select_related("patient", "rendering_provider", "practice")
    if statuses:
        encounters = encounters.filter(status__in=statuses)
    return encounters


def encounter_get(*, user: Viewer, pk: int) -> Encounter:
    return encounter_list(user=user).get(pk=pk)


def encounters_upcoming(
    *, user: Viewer, today: datetime.date, days: int = 7
) -> QuerySet[Encounter]:
    """Scheduled visits from today for `days` days: the front desk's eligibility horizon."""
    return (
        encounter_list(user=user, statuses=[EncounterStatus.SCHEDULED])
        .filter(
            date_of_service__gte=today, date_of_service__lt=today + datetime.timedelta(days=days)
        )
        .order_by("date_of_service", "id")
    )


def visit_timeline(*, encounter: Encounter) -> QuerySet[EncounterEvent]:
    """The visit's status changes, oldest first, with who made them."""
    return encounter.events.select_related("user").order_by("at", "id")


def patients_for_front_desk(*, user: Viewer) -> QuerySet[Patient]:
    """Patients of the practices where the user schedules visits (front desk, administrators)."""
    return Patient.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=FRONT_DESK)
    ).select_related("practice")


def encounters_for(*, user: Viewer, roles: tuple[str, ...]) -> QuerySet[Encounter]:
    """Visits of the practices where the user holds one of `roles`."""
    return Encounter.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=roles)
    ).select_related("patient", "rendering_provider", "practice")


def stale_days() -> int:
    """A check older than this many days no longer vouches for a visit."""
    return int(getattr(settings, "RCM_ELIGIBILITY_STALE_DAYS", 7))


def sweep_days() -> int:
    """How many days ahead the sweep and the worklist look (today included)."""
    return int(getattr(settings, "RCM_ELIGIBILITY_SWEEP_DAYS", 3))


@dataclass
class VisitEligibility:
    """A visit's primary coverage, the check that speaks for it, and what is wrong, in words."""

    encounter: Encounter
    coverage: Coverage | None
    check: EligibilityCheck | None
    problem: str = ""
    level: str = "success"  # Bootstrap colour: success, warning or danger

    @property
    def ok(self) -> bool:
        return not self.problem


def _problem(
    check: EligibilityCheck | None, day: datetime.date, now: datetime.datetime
) -> tuple[str, str]:
    status = EligibilityCheck.Status
    if check is None:
        return "Eligibility has not been checked for this visit.", "warning"
    if check.status == status.ERROR:
        return f"The last eligibility check failed. {check.error}", "danger"
    if check.status == status.PENDING:
        return "The last eligibility check got no answer; check again.", "warning"
    if check.service_date != day:
        return (
            f"The last check was for {check.service_date:%m/%d/%Y}, not the visit date "
            f"{day:%m/%d/%Y}; check again.",
            "warning",
        )
    if check.status == status.INACTIVE:
        return f"The payer says this coverage is not active on {day:%m/%d/%Y}.", "danger"
    if check.requested_at < now - datetime.timedelta(days=stale_days()):
        return (
            f"Last checked on {timezone.localtime(check.requested_at):%m/%d/%Y}, more than "
            f"{stale_days()} days ago; check again.",
            "warning",
        )
    return "", "success"


def _uncovered(encounter: Encounter) -> VisitEligibility:
    day = encounter.date_of_service
    return VisitEligibility(
        encounter,
        None,
        None,
        f"No primary insurance covers {day:%m/%d/%Y}: add the coverage, or the visit is self-pay.",
        "danger",
    )


def eligibility_for_visit(
    *, encounter: Encounter, now: datetime.datetime | None = None
) -> VisitEligibility:
    """What the front desk needs to know about a visit's insurance before it happens."""
    now = now or timezone.now()
    day = encounter.date_of_service
    coverage = coverage_primary_on(patient=encounter.patient, day=day)
    if coverage is None:
        return _uncovered(encounter)
    check = eligibility_latest(coverage=coverage, service_date=day)
    problem, level = _problem(check, day, now)
    return VisitEligibility(encounter, coverage, check, problem, level)


def encounters_in_sweep_window(
    *, today: datetime.date, practice_ids: list[int] | None = None
) -> QuerySet[Encounter]:
    """Scheduled visits from today through `sweep_days()` days ahead, soonest first."""
    encounters = Encounter.objects.filter(
        status=EncounterStatus.SCHEDULED,
        date_of_service__gte=today,
        date_of_service__lte=today + datetime.timedelta(days=sweep_days()),
    )
    if practice_ids is not None:
        encounters = encounters.filter(practice_id__in=practice_ids)
    return encounters.select_related("patient", "rendering_provider", "practice").order_by(
        "date_of_service", "id"
    )


def eligibility_worklist(
    *, user: Viewer, today: datetime.date | None = None
) -> list[VisitEligibility]:
    """The front desk's worklist: upcoming visits whose insurance needs a person's attention."""
    today = today or timezone.localdate()
    practice_ids = practice_ids_for(user=user, roles=FRONT_DESK)
    encounters = list(encounters_in_sweep_window(today=today, practice_ids=practice_ids))
    rows = visits_eligibility(encounters=encounters, now=timezone.now())
    return [row for row in rows if not row.ok]


def visits_eligibility(
    *, encounters: list[Encounter], now: datetime.datetime
) -> list[VisitEligibility]:
    """`eligibility_for_visit` for many visits in four queries, whatever their number."""
    coverages: dict[int, list[Coverage]] = defaultdict(list)
    for each in (
        Coverage.objects.filter(
            patient_id__in={e.patient_id for e in encounters}, priority=CoveragePriority.PRIMARY
        )
        .select_related("payer")
        .order_by("-effective_date", "-id")
    ):
        coverages[each.patient_id].append(each)
    coverage_ids = [c.pk for group in coverages.values() for c in group]
    for_date = {
        (check.coverage_id, check.service_date): check
        for check in EligibilityCheck.objects.filter(
            coverage_id__in=coverage_ids, service_date__in={e.date_of_service for e in encounters}
        ).order_by("requested_at", "id")  # the newest wins in the dict
    }
    newest = {
        check.coverage_id: check
        for check in EligibilityCheck.objects.filter(coverage_id__in=coverage_ids)
        .order_by("coverage_id", "-requested_at", "-id")
        .distinct("coverage_id")
    }
    rows = []
    for encounter in encounters:
        day = encounter.date_of_service
        coverage = next((c for c in coverages[encounter.patient_id] if c.is_active_on(day)), None)
        if coverage is None:
            rows.append(_uncovered(encounter))
            continue
        check = for_date.get((coverage.pk, day)) or newest.get(coverage.pk)
        problem, level = _problem(check, day, now)
        rows.append(VisitEligibility(encounter, coverage, check, problem, level))
    return rows
