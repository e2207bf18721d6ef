"""Patient pages: search, register, edit and merge. (The chart has its own sub-package.)"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from patients.models import Patient
from patients.registration.forms import MergeForm, PatientForm
from patients.registration.selectors import (
    patient_duplicates_find,
    patient_get_by_mrn,
    patient_list,
    registering_practices,
)
from patients.registration.services import (
    PossibleDuplicates,
    patient_merge,
    patient_register,
    patient_update,
)
from rcm.practice.permissions import (
    ADMINISTRATION,
    EVERYONE,
    FRONT_DESK,
    AuthenticatedRequest,
    role_required,
    scoped_get,
)
from rcm.practice.validators import ascii_int

PATIENTS = Patient.objects.select_related("practice")


@require_GET
@role_required(*EVERYONE)
def patient_search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    patients = patient_list(user=request.user, query=query)
    page = Paginator(patients, 50).get_page(request.GET.get("page"))
    return render(request, "patients/list.html", {"page_obj": page, "q": query})


def _posted(request: AuthenticatedRequest) -> Any:
    """The submitted data, or None on GET (an empty POST still shows its "required" errors)."""
    return request.POST if request.method == "POST" else None


def _add_service_errors(form: PatientForm, error: ValidationError) -> None:
    """Put a service's errors on the form: on their field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@role_required(*FRONT_DESK)
def patient_register_view(request: AuthenticatedRequest) -> HttpResponse:
    """Register a patient; likely duplicates are shown first and need "Create anyway"."""
    practices = registering_practices(user=request.user)
    if not practices:
        raise PermissionDenied("You register patients in none of your current practices.")
    form = PatientForm(_posted(request), practices=practices)
    context: dict[str, Any] = {"form": form, "duplicates": []}
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["practice"] or practices[0].pk
        practice = next(p for p in practices if p.pk == chosen)
        try:
            patient = patient_register(
                practice=practice,
                user=request.user,
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                **form.demographics(),
            )
        except PossibleDuplicates as found:
            context["duplicates"] = found.candidates
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"{patient.full_name} registered with MRN {patient.mrn}.")
            return redirect("patient-detail", patient.pk)
    status = 400 if form.errors else 200
    return render(request, "patients/form.html", context, status=status)


@role_required(*FRONT_DESK)
def patient_edit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Change a patient's demographics."""
    patient = scoped_get(PATIENTS, user=request.user, pk=pk, roles=FRONT_DESK)
    if patient.merged_into_id:
        messages.info(request, f"MRN {patient.mrn} was merged; edit the chart it was merged into.")
        return redirect("patient-detail", patient.merged_into_id)
    initial = {name: getattr(patient, name, None) for name in PatientForm.base_fields}
    form = PatientForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            patient_update(patient=patient, user=request.user, **form.demographics())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"{patient.full_name}'s details saved.")
            return redirect("patient-detail", patient.pk)
    status = 400 if form.errors else 200
    return render(request, "patients/form.html", {"form": form, "patient": patient}, status=status)


def _other_chart(request: AuthenticatedRequest, patient: Patient) -> Patient | None:
    """The chart the administrator wants to merge with: by id (POST) or by MRN (GET)."""
    if request.method == "POST":
        other = request.POST.get("other", "")
        if ascii_int(other) is None:
            raise Http404("No such patient.")
        return scoped_get(PATIENTS, user=request.user, pk=int(other))
    mrn = request.GET.get("mrn", "").strip()[:20]
    if not mrn:
        return None
    try:
        return patient_get_by_mrn(user=request.user, practice_id=patient.practice_id, mrn=mrn)
    except Patient.DoesNotExist:
        messages.warning(request, f"No chart in {patient.practice} has MRN {mrn}.")
        return None


@role_required(*ADMINISTRATION)
def patient_merge_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Merge two charts of one person: pick the other chart, compare, choose the one to keep."""
    patient = scoped_get(PATIENTS, user=request.user, pk=pk, roles=ADMINISTRATION)
    other = _other_chart(request, patient)
    context: dict[str, Any] = {"patient": patient, "other": other, "form": None}
    if other is None:
        context["suggestions"] = patient_duplicates_find(
            practice=patient.practice,
            first_name=patient.first_name,
            last_name=patient.last_name,
            date_of_birth=patient.date_of_birth,
            exclude_pk=patient.pk,
        )
        return render(request, "patients/merge.html", context)
    choices = [(chart.pk, f"Keep MRN {chart.mrn}") for chart in (patient, other)]
    form = MergeForm(_posted(request), choices=choices, initial={"keep": patient.pk})
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        keep, duplicate = patient, other
        if form.cleaned_data["keep"] == other.pk:
            keep, duplicate = other, patient
        try:
            result = patient_merge(keep=keep, duplicate=duplicate, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"MRN {duplicate.mrn} merged into MRN {keep.mrn}.")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("patient-detail", keep.pk)
    status = 400 if form.errors else 200
    return render(request, "patients/merge.html", context, status=status)
