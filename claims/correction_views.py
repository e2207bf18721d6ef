"""Biller pages that change a claim: edit and re-scrub, replace, void, split lines to a payer."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from claims.claim_drafts import ClaimDraft
from claims.correction_forms import DraftForm, draft_form_from, draft_form_of
from claims.corrections import (
    EditOutcome,
    claim_edit,
    claim_replace,
    claim_split_lines,
    claim_void,
    correction_refusal,
    edit_refusal,
    reason_cleaned,
)
from claims.models import Claim
from claims.selectors import claim_get
from patients.models import Coverage
from rcm.practice.models import User
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required
from rcm.practice.validators import ascii_int

MODES = {
    "edit": ("Edit claim", "Save and scrub again"),
    "replace": ("Correct claim (replacement, frequency 7)", "Create the replacement"),
}


def _outcome_message(request: AuthenticatedRequest, outcome: EditOutcome, done: str) -> None:
    if outcome.held:
        messages.warning(
            request,
            f"{done} The scrubber holds claim {outcome.claim.control_number}: "
            + " ".join(edit.message for edit in outcome.edits if edit.severity == "error"),
        )
    else:
        messages.success(request, f"{done} Claim {outcome.claim.control_number} is ready.")


def _form_page(
    request: AuthenticatedRequest, claim: Claim, form: DraftForm, mode: str, status: int = 200
) -> HttpResponse:
    title, button = MODES[mode]
    blank = {"id": "", "code": "", "modifiers": [""] * 4, "units": "1", "pointers": [""] * 4,
             "charge": "", "date": ""}  # fmt: skip
    rows = [*(row for row in form.rows if row["code"] or row["id"]), blank]
    context = {
        "claim": claim, "form": form, "rows": rows, "mode": mode, "title": title,
        "button": button, "diagnoses": [*form.diagnoses, *[""] * (12 - len(form.diagnoses))],
    }  # fmt: skip
    return render(request, "claims/edit.html", context, status=status)


def _draft_page(
    request: AuthenticatedRequest,
    pk: int,
    mode: str,
    refusal_of: Callable[[Claim], str | None],
    save: Callable[[Claim, ClaimDraft, User], EditOutcome],
    done: str,
) -> HttpResponse:
    """The edit form and the replacement form share everything but the service they call."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    refusal = refusal_of(claim)
    if refusal:
        if request.method == "POST":
            return _form_page(request, claim, _with_error(draft_form_of(claim), refusal), mode, 400)
        messages.error(request, refusal)
        return redirect("claim-detail", pk=pk)
    if request.method != "POST":
        return _form_page(request, claim, draft_form_of(claim), mode)
    form = draft_form_from(request.POST)
    if form.draft is None:
        return _form_page(request, claim, form, mode, 400)
    try:
        outcome = save(claim, form.draft, request.user)
    except ValidationError as error:
        return _form_page(request, claim, _with_error(form, *error.messages), mode, 400)
    _outcome_message(request, outcome, done)
    return redirect("claim-detail", pk=outcome.claim.pk)


def _with_error(form: DraftForm, *errors: str) -> DraftForm:
    form.errors.extend(errors)
    return form


@require_http_methods(["GET", "POST"])
@role_required(*BILLING)
def claim_edit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edit a claim the payer has not adjudicated; saving scrubs it again."""
    return _draft_page(
        request, pk, "edit", edit_refusal,
        lambda claim, draft, user: claim_edit(claim=claim, draft=draft, user=user),
        "Claim saved and scrubbed again.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*BILLING)
def claim_correct_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct an adjudicated claim: a replacement claim (frequency 7) with the changes."""
    return _draft_page(
        request, pk, "replace", correction_refusal,
        lambda claim, draft, user: claim_replace(original=claim, draft=draft, user=user),
        "Replacement claim created (frequency 7).",
    )  # fmt: skip


@require_POST
@role_required(*BILLING)
def claim_void_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Void a claim: unsent ones simply, adjudicated ones by a void claim (frequency 8)."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    try:
        reason = reason_cleaned(request.POST.get("reason", ""))
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    try:
        outcome = claim_void(claim=claim, user=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("claim-detail", pk=pk)
    if outcome.claim.pk == claim.pk:
        messages.success(request, f"Claim {claim.control_number} voided.")
    else:
        _outcome_message(request, outcome, "Void claim created (frequency 8).")
    return redirect("claim-detail", pk=outcome.claim.pk)


def _split_page(
    request: AuthenticatedRequest, claim: Claim, errors: list[str], status: int = 200
) -> HttpResponse:
    coverages = (
        Coverage.objects.in_force_on(claim.service_date_from)
        .filter(patient_id=claim.patient_id)
        .exclude(payer_id=claim.payer_id)
        .select_related("payer")
    )
    context = {"claim": claim, "lines": claim.lines.order_by("position"),
               "coverages": coverages, "errors": errors}  # fmt: skip
    return render(request, "claims/split.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(*BILLING)
def claim_split_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move chosen lines of a claim to a new claim to another of the patient's payers."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    if request.method != "POST":
        return _split_page(request, claim, [])
    line_ids = [ascii_int(text) for text in request.POST.getlist("line")[:60]]
    coverage_id = ascii_int(request.POST.get("coverage", ""))
    if not line_ids or None in line_ids or coverage_id is None:
        return _split_page(request, claim, ["Choose the lines to move and the payer."], 400)
    try:
        outcome = claim_split_lines(
            claim=claim,
            line_ids=[line_id for line_id in line_ids if line_id is not None],
            coverage_id=coverage_id,
            user=request.user,
        )
    except ValidationError as error:
        return _split_page(request, claim, list(error.messages), 400)
    _outcome_message(request, outcome, f"Lines moved to {outcome.claim.payer.name}.")
    return redirect("claim-detail", pk=outcome.claim.pk)
