"""Front-desk pages for coverages: add, edit, reorder, the card, and eligibility checks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patients.coverage.cards import card_download_name, card_size_check
from patients.coverage.eligibility import eligibility_check
from patients.coverage.forms import CardUploadForm, CoverageForm, EligibilityCheckForm
from patients.coverage.selectors import (
    card_may_view,
    coverage_card_history,
    coverage_card_open,
    coverage_for_check_get,
    eligibility_check_get,
)
from patients.coverage.services import (
    coverage_card_upload,
    coverage_create,
    coverage_move,
    coverage_update,
)
from patients.models import Coverage, CoverageCard, EligibilityCheck, Patient
from patients.visits.selectors import encounters_for
from rcm.files.services import stored_file_read
from rcm.practice.permissions import (
    ADMINISTRATION,
    COVERAGE_READERS,
    FRONT_DESK,
    AuthenticatedRequest,
    role_required,
    scoped_get,
)
from rcm.practice.selectors import user_has_role

COVERAGES = Coverage.objects.select_related("payer", "patient")


def _to_chart(patient_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("patient-detail", args=[patient_id]) + "#coverages")


def _editable_coverage(request: AuthenticatedRequest, pk: int) -> Coverage:
    return scoped_get(COVERAGES, user=request.user, pk=pk, roles=FRONT_DESK)


@role_required(*FRONT_DESK)
@require_http_methods(["GET", "POST"])
def coverage_create_view(request: AuthenticatedRequest, patient_id: int) -> HttpResponse:
    patients = Patient.objects.select_related("practice")
    patient = scoped_get(patients, user=request.user, pk=patient_id, roles=FRONT_DESK)
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


@role_required(*FRONT_DESK)
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


@role_required(*FRONT_DESK)
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


@role_required(*FRONT_DESK)
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


@role_required(*COVERAGE_READERS)
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


@require_POST
@role_required(*FRONT_DESK)
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
            encounters_for(user=request.user, roles=FRONT_DESK)
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
@role_required(*COVERAGE_READERS)
def eligibility_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    check = _check_for(request, pk)
    context = {
        "check": check,
        "summary": check.summary,
        "is_administrator": user_has_role(
            user=request.user, practice_id=check.practice_id, roles=ADMINISTRATION
        ),
        "can_check": user_has_role(
            user=request.user, practice_id=check.practice_id, roles=FRONT_DESK
        ),
    }
    return render(request, "patients/eligibility_detail.html", context)


@require_GET
@role_required(*ADMINISTRATION)
def eligibility_file(request: AuthenticatedRequest, pk: int, which: str) -> HttpResponse:
    """The kept 270 (`request`) or 271 (`response`) as sent or received: administrators only."""
    check = _check_for(request, pk)
    if not user_has_role(user=request.user, practice_id=check.practice_id, roles=ADMINISTRATION):
        raise PermissionDenied("Only an administrator of the practice reads the kept files.")
    stored = {"request": check.request_file, "response": check.response_file}.get(which)
    if stored is None:
        raise Http404("No such file.")
    response = HttpResponse(stored_file_read(stored=stored), content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="{stored.name}"'
    return response
