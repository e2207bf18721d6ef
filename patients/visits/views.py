"""Front-desk pages: schedule and edit visits, send them to coding, the visit page, the worklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from patients.models import Encounter, Patient
from patients.visits.estimate import visit_estimate
from patients.visits.forms import ReadyForCodingForm, VisitForm
from patients.visits.selectors import (
    eligibility_for_visit,
    eligibility_worklist,
    encounter_list,
    visit_timeline,
)
from patients.visits.services import (
    encounter_create,
    encounter_mark_ready_for_coding,
    encounter_update,
)
from patients.visits.state import DETAILS_EDITABLE
from rcm.practice.permissions import (
    COVERAGE_READERS,
    EVERYONE,
    FRONT_DESK,
    AuthenticatedRequest,
    role_required,
    scoped_get,
)
from rcm.practice.selectors import user_has_role


def form_errors_add(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _encounter(request: AuthenticatedRequest, pk: int, roles: tuple[str, ...]) -> Encounter:
    """A visit of the user's practices (404 otherwise), 403 unless they hold `roles` in its own."""
    encounters = encounter_list(user=request.user)
    return scoped_get(encounters, user=request.user, pk=pk, roles=roles)


@role_required(*FRONT_DESK)
def visit_new(request: AuthenticatedRequest, patient_id: int) -> HttpResponse:
    patients = Patient.objects.select_related("practice")
    patient = scoped_get(patients, user=request.user, pk=patient_id, roles=FRONT_DESK)
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


@role_required(*FRONT_DESK)
def visit_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = _encounter(request, pk, FRONT_DESK)
    initial = {
        name: getattr(encounter, name)
        for name in ("rendering_provider", "date_of_service", "place_of_service",
                     "clinical_note", "prior_authorization", "self_pay")
    }  # fmt: skip
    form = VisitForm(request.POST or None, patient=encounter.patient, initial=initial)
    if encounter.status not in DETAILS_EDITABLE:
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
    can_manage = user_has_role(user=user, practice_id=encounter.practice_id, roles=FRONT_DESK)
    return {
        "encounter": encounter,
        "patient": encounter.patient,
        "eligibility": eligibility_for_visit(encounter=encounter),
        "estimate": visit_estimate(encounter=encounter),
        "events": visit_timeline(encounter=encounter),
        "can_manage": can_manage,
        "can_read_checks": user_has_role(
            user=user, practice_id=encounter.practice_id, roles=COVERAGE_READERS
        ),
        "visit_happened": encounter.date_of_service <= timezone.localdate(),
        "ready_form": ReadyForCodingForm(initial={"clinical_note": encounter.clinical_note}),
    }


@require_GET
@role_required(*EVERYONE)
def visit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = _encounter(request, pk, EVERYONE)
    return render(request, "patients/visit_detail.html", _detail_context(request, encounter))


@require_POST
@role_required(*FRONT_DESK)
def visit_ready(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = _encounter(request, pk, FRONT_DESK)
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


@require_GET
@role_required(*FRONT_DESK)
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    """Upcoming visits whose insurance needs attention, each with its reason."""
    rows = eligibility_worklist(user=request.user)
    return render(request, "patients/worklist.html", {"rows": rows})
