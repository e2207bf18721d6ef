"""Front-desk pages for coverages: add, edit, reorder, and insurance card upload and viewing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from patients.cards import (
    CARD_VIEW_ROLES,
    card_download_name,
    card_may_view,
    card_size_check,
    coverage_card_history,
    coverage_card_open,
    coverage_card_upload,
)
from patients.coverage_forms import CardUploadForm, CoverageForm
from patients.coverage_services import (
    COVERAGE_EDIT_ROLES,
    coverage_create,
    coverage_edit_check,
    coverage_get,
    coverage_move,
    coverage_update,
    patient_get_for_coverage,
)
from patients.models import Coverage, CoverageCard, Patient
from rcm.practice.permissions import AuthenticatedRequest, role_required


def _to_chart(patient_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("patient-detail", args=[patient_id]) + "#coverages")


def _editable_coverage(request: AuthenticatedRequest, pk: int) -> Coverage:
    try:
        coverage = coverage_get(user=request.user, pk=pk)
    except Coverage.DoesNotExist:
        raise Http404("No such coverage.") from None
    coverage_edit_check(user=request.user, practice_id=coverage.practice_id)
    return coverage


@role_required(*COVERAGE_EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def coverage_create_view(request: AuthenticatedRequest, patient_id: int) -> HttpResponse:
    try:
        patient = patient_get_for_coverage(user=request.user, pk=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient.") from None
    form = CoverageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            coverage = coverage_create(patient=patient, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Added {coverage.get_priority_display().lower()} coverage.")
            return _to_chart(patient.pk)
    context = {"form": form, "patient": patient, "coverage": None}
    return render(request, "patients/coverage_form.html", context)


@role_required(*COVERAGE_EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def coverage_update_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    coverage = _editable_coverage(request, pk)
    if request.method == "POST":
        form = CoverageForm(request.POST)
        if form.is_valid():
            try:
                coverage_update(coverage=coverage, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "Coverage saved.")
                return _to_chart(coverage.patient_id)
    else:
        form = CoverageForm.for_coverage(coverage)
    context = {"form": form, "patient": coverage.patient, "coverage": coverage}
    return render(request, "patients/coverage_form.html", context)


@role_required(*COVERAGE_EDIT_ROLES)
@require_POST
def coverage_move_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move a coverage up (toward primary) or down; the one it meets there takes its place."""
    coverage = _editable_coverage(request, pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        messages.error(request, "Choose whether to move the coverage up or down.")
        return _to_chart(coverage.patient_id)
    try:
        coverage_move(coverage=coverage, direction=direction, user=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = coverage.get_priority_display().lower()
        messages.success(request, f"{coverage.payer} is now the {label} coverage.")
    return _to_chart(coverage.patient_id)


@role_required(*COVERAGE_EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def coverage_card_upload_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Upload the front or back of the card; earlier uploads are listed as history."""
    coverage = _editable_coverage(request, pk)
    form = CardUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            card_size_check(size=uploaded.size)  # before reading a huge file into memory
            card = coverage_card_upload(
                coverage=coverage, side=form.cleaned_data["side"], name=uploaded.name or "",
                content=uploaded.read(), user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Saved the {card.get_side_display().lower()} of the card.")
            return _to_chart(coverage.patient_id)
    context = {
        "form": form,
        "coverage": coverage,
        "patient": coverage.patient,
        "history": coverage_card_history(coverage=coverage),
        "can_view_cards": card_may_view(user=request.user, practice_id=coverage.practice_id),
    }
    return render(request, "patients/coverage_card_form.html", context)


@role_required(*CARD_VIEW_ROLES)
@require_http_methods(["GET"])
def coverage_card_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The card image itself, never cached, for the roles that may see it; each look is audited."""
    try:
        card, content = coverage_card_open(user=request.user, pk=pk)
    except CoverageCard.DoesNotExist:
        raise Http404("No such card.") from None
    response = HttpResponse(content, content_type=card.content_type)
    response["Content-Disposition"] = f'inline; filename="{card_download_name(card=card)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
