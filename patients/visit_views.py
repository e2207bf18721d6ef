"""Front-desk pages: schedule and edit visits, send them to coding, check eligibility, worklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from patients.eligibility import eligibility_check
from patients.estimate import visit_estimate
from patients.models import Coverage, EligibilityCheck, Encounter, Patient
from patients.selectors import visit_timeline
from patients.services import (
    ENCOUNTER_EDITABLE_STATUSES,
    encounter_create,
    encounter_mark_ready_for_coding,
    encounter_update,
)
from patients.visit_forms import EligibilityCheckForm, ReadyForCodingForm, VisitForm
from patients.worklist import (
    CHECK_READER_ROLES,
    FRONT_DESK_ROLES,
    coverage_for_check_get,
    eligibility_check_get,
    eligibility_for_visit,
    eligibility_worklist,
)
from rcm.files.services import stored_file_read
from rcm.practice.models import Role
from rcm.practice.permissions import AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for, user_has_role

ALL_ROLES = tuple(Role.values)


def form_errors_add(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _patient_for_front_desk(request: AuthenticatedRequest, patient_id: int) -> Patient:
    ids = practice_ids_for(user=request.user, roles=FRONT_DESK_ROLES)
    try:
        return Patient.objects.select_related("practice").get(pk=patient_id, practice_id__in=ids)
    except Patient.DoesNotExist:
        raise Http404("No such patient.") from None


def _encounters(request: AuthenticatedRequest, roles: tuple[str, ...]) -> QuerySet[Encounter]:
    ids = practice_ids_for(user=request.user, roles=roles)
    return Encounter.objects.filter(practice_id__in=ids).select_related(
        "patient", "rendering_provider", "practice"
    )


def _encounter(request: AuthenticatedRequest, pk: int, roles: tuple[str, ...]) -> Encounter:
    try:
        return _encounters(request, roles).get(pk=pk)
    except Encounter.DoesNotExist:
        raise Http404("No such visit.") from None


@role_required(*FRONT_DESK_ROLES)
def visit_new(request: AuthenticatedRequest, patient_id: int) -> HttpResponse:
    patient = _patient_for_front_desk(request, patient_id)
    form = VisitForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            encounter = encounter_create(patient=patient, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, f"Visit on {encounter.date_of_service:%m/%d/%Y} scheduled.")
            return redirect("visit-detail", pk=encounter.pk)
    return render(request, "patients/visit_form.html", {"form": form, "patient": patient})


@role_required(*FRONT_DESK_ROLES)
def visit_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = _encounter(request, pk, FRONT_DESK_ROLES)
    initial = {
        name: getattr(encounter, name)
        for name in ("rendering_provider", "date_of_service", "place_of_service",
                     "clinical_note", "prior_authorization")
    }  # fmt: skip
    form = VisitForm(request.POST or None, patient=encounter.patient, initial=initial)
    if encounter.status not in ENCOUNTER_EDITABLE_STATUSES:
        form.add_error(None, "This visit has been coded; its details can no longer change.")
    elif request.method == "POST" and form.is_valid():
        try:
            encounter_update(encounter=encounter, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Visit saved.")
            return redirect("visit-detail", pk=encounter.pk)
    context = {"form": form, "patient": encounter.patient, "encounter": encounter}
    return render(request, "patients/visit_form.html", context)


def _detail_context(request: AuthenticatedRequest, encounter: Encounter) -> dict[str, Any]:
    user = request.user
    can_manage = user_has_role(user=user, practice_id=encounter.practice_id, roles=FRONT_DESK_ROLES)
    return {
        "encounter": encounter,
        "patient": encounter.patient,
        "eligibility": eligibility_for_visit(encounter=encounter),
        "estimate": visit_estimate(encounter=encounter),
        "events": visit_timeline(encounter=encounter),
        "can_manage": can_manage,
        "can_read_checks": user_has_role(
            user=user, practice_id=encounter.practice_id, roles=CHECK_READER_ROLES
        ),
        "visit_happened": encounter.date_of_service <= timezone.localdate(),
        "ready_form": ReadyForCodingForm(initial={"clinical_note": encounter.clinical_note}),
    }


@require_GET
@role_required(*ALL_ROLES)
def visit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = _encounter(request, pk, ALL_ROLES)
    return render(request, "patients/visit_detail.html", _detail_context(request, encounter))


@require_POST
@role_required(*FRONT_DESK_ROLES)
def visit_ready(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = _encounter(request, pk, FRONT_DESK_ROLES)
    form = ReadyForCodingForm(request.POST)
    if form.is_valid():
        try:
            encounter_mark_ready_for_coding(
                encounter=encounter, user=request.user,
                clinical_note=form.cleaned_data["clinical_note"],
            )  # fmt: skip
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "The visit is waiting for coding.")
            return redirect("visit-detail", pk=encounter.pk)
    context = {**_detail_context(request, encounter), "ready_form": form}
    return render(request, "patients/visit_detail.html", context, status=400)


@require_POST
@role_required(*FRONT_DESK_ROLES)
def coverage_eligibility_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Check now: send the 270 and show the answer (or why none came)."""
    try:
        coverage = coverage_for_check_get(user=request.user, pk=pk)
    except Coverage.DoesNotExist:
        raise Http404("No such coverage.") from None
    form = EligibilityCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the date of service as MM/DD/YYYY.")
        return redirect("patient-detail", pk=coverage.patient_id)
    encounter = None
    if form.cleaned_data["encounter"]:
        encounter = (
            _encounters(request, FRONT_DESK_ROLES)
            .filter(pk=form.cleaned_data["encounter"], patient_id=coverage.patient_id)
            .first()
        )
    day = form.cleaned_data["service_date"] or (
        encounter.date_of_service if encounter else timezone.localdate()
    )
    check = eligibility_check(coverage=coverage, service_date=day, user=request.user,
                              encounter=encounter)  # fmt: skip
    return redirect("eligibility-detail", pk=check.pk)


def _check_for(request: AuthenticatedRequest, pk: int) -> EligibilityCheck:
    try:
        return eligibility_check_get(user=request.user, pk=pk)
    except EligibilityCheck.DoesNotExist:
        raise Http404("No such eligibility check.") from None


@require_GET
@role_required(*CHECK_READER_ROLES)
def eligibility_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    check = _check_for(request, pk)
    context = {
        "check": check,
        "summary": check.summary,
        "is_administrator": user_has_role(
            user=request.user, practice_id=check.practice_id, roles=[Role.ADMINISTRATOR]
        ),
        "can_check": user_has_role(
            user=request.user, practice_id=check.practice_id, roles=FRONT_DESK_ROLES
        ),
    }
    return render(request, "patients/eligibility_detail.html", context)


@require_GET
@role_required(Role.ADMINISTRATOR)
def eligibility_file(request: AuthenticatedRequest, pk: int, which: str) -> HttpResponse:
    """The kept 270 (`request`) or 271 (`response`) as sent or received: administrators only."""
    check = _check_for(request, pk)
    admin = user_has_role(user=request.user, practice_id=check.practice_id,
                          roles=[Role.ADMINISTRATOR])  # fmt: skip
    stored = {"request": check.request_file, "response": check.response_file}.get(which)
    if not admin or stored is None:
        raise Http404("No such file.")
    response = HttpResponse(stored_file_read(stored=stored), content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="{stored.name}"'
    return response


@require_GET
@role_required(*FRONT_DESK_ROLES)
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    """Upcoming visits whose insurance needs attention, each with its reason."""
    rows = eligibility_worklist(user=request.user)
    return render(request, "patients/worklist.html", {"rows": rows})
