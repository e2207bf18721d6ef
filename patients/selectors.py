"""Reads of patients, coverages and encounters, always fenced to the user's practices."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from patients.models import Coverage, Encounter, EncounterStatus, Patient
from rcm.audit.services import audit_record_view
from rcm.practice.selectors import Viewer, practice_ids_for


def patient_list(*, user: Viewer, query: str = "") -> QuerySet[Patient]:
    """Patients of the user's practices; `query` matches name, MRN, date of birth or member id."""
    patients = Patient.objects.filter(practice_id__in=practice_ids_for(user=user)).select_related(
        "practice"
    )
    for term in query.split():
        condition = (
            Q(last_name__istartswith=term)
            | Q(first_name__istartswith=term)
            | Q(mrn__iexact=term)
            | Q(coverages__member_id__iexact=term)
        )
        day = _parse_date(term)
        if day is not None:
            condition |= Q(date_of_birth=day)
        patients = patients.filter(condition)
    return patients.distinct() if query.strip() else patients


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, not a time)
        except ValueError:
            continue
    return None


def patient_get(*, user: Viewer, pk: int) -> Patient:
    """One patient of the user's practices; Patient.DoesNotExist for anyone else's."""
    return Patient.objects.select_related("practice").get(
        pk=pk, practice_id__in=practice_ids_for(user=user)
    )


def patient_chart(*, user: Viewer, pk: int) -> Patient:
    """A patient opened for reading: the view is recorded in the audit trail (HIPAA access log)."""
    patient = patient_get(user=user, pk=pk)
    audit_record_view(
        table_name=Patient._meta.db_table,
        object_pk=patient.pk,
        practice_id=patient.practice_id,
        actor_id=user.pk,
        detail="chart",
    )
    return patient


def coverage_list_for_patient(*, patient: Patient) -> QuerySet[Coverage]:
    return patient.coverages.select_related("payer").order_by("priority", "-effective_date")


def encounter_list(*, user: Viewer, statuses: list[str] | None = None) -> QuerySet[Encounter]:
    encounters = Encounter.objects.filter(
        practice_id__in=practice_ids_for(user=user)
    ).select_related("patient", "rendering_provider", "practice")
    if statuses:
        encounters = encounters.filter(status__in=statuses)
    return encounters


def encounter_get(*, user: Viewer, pk: int) -> Encounter:
    return encounter_list(user=user).get(pk=pk)


def encounters_awaiting_coding(*, user: Viewer) -> QuerySet[Encounter]:
    """The coder's worklist, oldest date of service first."""
    return (
        Encounter.objects.awaiting_coding()
        .filter(practice_id__in=practice_ids_for(user=user))
        .select_related("patient", "rendering_provider", "practice")
        .order_by("date_of_service", "id")
    )


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
