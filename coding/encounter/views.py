"""The coding form beside the note: saving and completing, live edits, suggestions (htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from coding.encounter.forms import CodingInput, coding_input_from, coding_input_saved
from coding.encounter.selectors import (
    coded_diagnoses,
    coded_lines,
    coding_form,
    coding_form_edits,
    coding_suggestions,
    encounter_for_coding,
)
from coding.encounter.services import encounter_coding_complete, encounter_coding_save
from patients.models import Encounter
from rcm.practice.permissions import CODING, AuthenticatedRequest, role_required


def _form_context(encounter: Encounter, given: CodingInput, errors: list[str]) -> dict[str, Any]:
    form = coding_form(encounter=encounter, diagnoses=given.diagnoses, lines=given.lines)
    rows = given.rows or [
        {
            "code": "",
            "modifiers": [""] * 4,
            "units": "1",
            "pointers": ["1", "", "", ""],
            "charge": "",
        }
    ]
    return {
        "encounter": encounter,
        "patient": encounter.patient,
        "coverage": form.coverage,
        "diagnoses": given.diagnoses or [""],
        "rows": rows,
        "errors": errors,
        "edits": form.edits.edits,
        "blocking": form.edits.blocking,
        "editable": form.editable,
    }


def _form(
    request: AuthenticatedRequest,
    encounter: Encounter,
    given: CodingInput,
    errors: list[str],
    status: int = 200,
) -> HttpResponse:
    context = _form_context(encounter, given, errors)
    return render(request, "coding/encounter.html", context, status=status)


@role_required(*CODING)
def coding_encounter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The coding form beside the note; POST saves a draft or completes the coding."""
    encounter = encounter_for_coding(user=request.user, pk=pk)
    if request.method != "POST":
        saved = coding_input_saved(
            diagnoses=coded_diagnoses(encounter=encounter), lines=coded_lines(encounter=encounter)
        )
        return _form(request, encounter, saved, [])
    given = coding_input_from(request.POST)
    if given.errors:
        return _form(request, encounter, given, given.errors, status=400)
    try:
        encounter_coding_save(
            encounter=encounter, diagnoses=given.diagnoses, lines=given.lines, user=request.user
        )
        if request.POST.get("action") == "complete":
            encounter_coding_complete(encounter=encounter, user=request.user)
            messages.success(
                request, f"Coding of {encounter.patient.full_name}'s visit is complete."
            )
            return redirect("coding-worklist")
    except ValidationError as error:
        return _form(request, encounter, given, error.messages, status=400)
    messages.success(request, "Draft saved.")
    return redirect("coding-encounter", pk=pk)


@require_POST
@role_required(*CODING)
def coding_edits_fragment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The live edits for what the form holds right now (htmx, on every change)."""
    encounter = encounter_for_coding(user=request.user, pk=pk)
    given = coding_input_from(request.POST)
    found = coding_form_edits(encounter=encounter, diagnoses=given.diagnoses, lines=given.lines)
    context = {
        "edits": found.edits,
        "blocking": found.blocking,
        "errors": given.errors,
        "encounter": encounter,
    }
    return render(request, "coding/_edits_body.html", context)


@require_GET
@role_required(*CODING)
def suggestions_fragment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Codes suggested by the clinical note, each with the phrase that supports it."""
    encounter = encounter_for_coding(user=request.user, pk=pk)
    chosen = [code for code in request.GET.getlist("dx") if code]
    suggestions, warnings = coding_suggestions(encounter=encounter, chosen=chosen)
    return render(
        request, "coding/_suggestions.html", {"suggestions": suggestions, "doc_warnings": warnings}
    )
