"""Coder pages: the worklist, the coding form beside the note, live edits, notes, suggestions."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from coding.forms import CodingInput, coding_input_from
from coding.models import CodeSystem
from coding.selectors import code_ancestors, code_get
from coding.services import encounter_coding_complete, encounter_coding_save
from coding.worklist import (
    CODING_ROLES,
    WorklistFilter,
    coders_of,
    encounter_assign,
    encounter_next_for,
    worklist_counts,
    worklist_encounters,
)
from patients.coverage.selectors import coverage_primary_on
from patients.models import Encounter, EncounterStatus
from rcm.practice.models import Role, User
from rcm.practice.permissions import AuthenticatedRequest, role_required
from rcm.practice.selectors import payer_list, practice_ids_for, provider_list

NOTE_KEYS = (
    ("excludes1", "Excludes1 (never together)"),
    ("excludes2", "Excludes2 (not included here)"),
    ("code_first", "Code first"),
    ("use_additional_code", "Use additional code"),
    ("code_also", "Code also"),
)


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@role_required(*CODING_ROLES)
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    """Encounters waiting for coding, with filters by provider, date and payer."""
    filters = WorklistFilter(
        provider_id=_int(request.GET.get("provider")),
        payer_id=_int(request.GET.get("payer")),
        date_from=_date(request.GET.get("from")),
        date_to=_date(request.GET.get("to")),
        assigned=request.GET.get("assigned", "all"),
    )
    encounters = worklist_encounters(user=request.user, filters=filters)
    page = Paginator(encounters, 50).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "filters": filters,
        "counts": worklist_counts(user=request.user),
        "providers": provider_list(user=request.user),
        "payers": payer_list(),
        "is_admin": bool(practice_ids_for(user=request.user, roles=[Role.ADMINISTRATOR])),
    }
    return render(request, "coding/worklist.html", context)


@require_POST
@role_required(*CODING_ROLES)
def worklist_next(request: AuthenticatedRequest) -> HttpResponse:
    encounter = encounter_next_for(coder=request.user)
    if encounter is None:
        messages.info(request, "Nothing is waiting for coding. Well done.")
        return redirect("coding-worklist")
    return redirect("coding-encounter", pk=encounter.pk)


def _encounter(request: AuthenticatedRequest, pk: int) -> Encounter:
    encounter = (
        Encounter.objects.filter(
            practice_id__in=practice_ids_for(user=request.user, roles=CODING_ROLES)
        )
        .select_related("patient", "rendering_provider", "practice", "assigned_coder")
        .filter(pk=pk)
        .first()
    )
    if encounter is None:
        raise Http404("No such encounter.")
    return encounter


@require_POST
@role_required(*CODING_ROLES)
def worklist_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = _encounter(request, pk)
    target = request.POST.get("coder", "")
    coder: User | None = None
    if target == "me":
        coder = request.user
    elif target.isdigit():
        coder = coders_of(practice_id=encounter.practice_id).filter(pk=int(target)).first()
        if coder is None:
            messages.error(request, "That person does not code for this practice.")
            return redirect("coding-worklist")
    try:
        encounter_assign(encounter=encounter, coder=coder, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(request.POST.get("next") or "coding-worklist")


def _saved_input(encounter: Encounter) -> CodingInput:
    result = CodingInput()
    result.diagnoses = list(encounter.diagnoses.order_by("position").values_list("code", flat=True))
    for line in encounter.procedure_lines.order_by("position"):
        result.rows.append(
            {
                "code": line.code,
                "modifiers": [*line.modifiers, "", "", "", ""][:4],
                "units": f"{line.units.normalize():f}",
                "pointers": [*map(str, line.diagnosis_pointers), "", "", "", ""][:4],
                "charge": f"{line.charge:.2f}",
            }
        )
    return result


def _edits_for(encounter: Encounter, given: CodingInput) -> list[Any]:
    from coding.edits import LineInput, run_edits

    return run_edits(
        date_of_service=encounter.date_of_service,
        sex=encounter.patient.sex,
        date_of_birth=encounter.patient.date_of_birth,
        diagnoses=given.diagnoses,
        lines=[
            LineInput(
                code=line.code,
                modifiers=tuple(line.modifiers),
                units=line.units,
                pointers=tuple(line.diagnosis_pointers),
            )
            for line in given.lines
        ],
    )


def _edits_context(encounter: Encounter, given: CodingInput) -> dict[str, Any]:
    from coding.edits import Edit

    edits = _edits_for(encounter, given)
    # What "Coding complete" also needs (coding_completeness_errors), said before it is pressed.
    if not given.diagnoses:
        edits.insert(0, Edit("error", "incomplete", "Add at least one diagnosis."))
    if not given.lines:
        edits.insert(0, Edit("error", "incomplete", "Add at least one procedure line."))
    return {"edits": edits, "blocking": sum(1 for e in edits if e.severity == "error")}


def _form_context(encounter: Encounter, given: CodingInput, errors: list[str]) -> dict[str, Any]:
    coverage = coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service)
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
        "coverage": coverage,
        "diagnoses": given.diagnoses or [""],
        "rows": rows,
        "errors": errors,
        **_edits_context(encounter, given),
        "editable": encounter.status
        in (
            EncounterStatus.AWAITING_CODING,
            EncounterStatus.CODING_IN_PROGRESS,
            EncounterStatus.CODED,
        ),
    }


@role_required(*CODING_ROLES)
def coding_encounter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The coding form beside the note; POST saves a draft or completes the coding."""
    encounter = _encounter(request, pk)
    if request.method != "POST":
        return render(
            request, "coding/encounter.html", _form_context(encounter, _saved_input(encounter), [])
        )
    given = coding_input_from(request.POST)
    if given.errors:
        return render(
            request,
            "coding/encounter.html",
            _form_context(encounter, given, given.errors),
            status=400,
        )
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
        return render(
            request,
            "coding/encounter.html",
            _form_context(encounter, given, error.messages),
            status=400,
        )
    messages.success(request, "Draft saved.")
    return redirect("coding-encounter", pk=pk)


@require_POST
@role_required(*CODING_ROLES)
def coding_edits_fragment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The live edits for what the form holds right now (htmx, on every change)."""
    encounter = _encounter(request, pk)
    given = coding_input_from(request.POST)
    context = {**_edits_context(encounter, given), "errors": given.errors, "encounter": encounter}
    return render(request, "coding/_edits.html", context)


@require_GET
@role_required(*CODING_ROLES, Role.BILLER)
def code_notes_fragment(request: AuthenticatedRequest) -> HttpResponse:
    """A chosen diagnosis code's tabular notes (its own and its ancestors'), for the form."""
    day = _date(request.GET.get("date"))
    code = code_get(system=CodeSystem.ICD10CM, code=request.GET.get("code", ""), on=day)
    notes: list[tuple[str, str, list[str]]] = []
    if code is not None:
        for holder in [code, *code_ancestors(code=code)]:
            for key, label in NOTE_KEYS:
                if holder.notes.get(key):
                    notes.append((label, holder.code, list(holder.notes[key])))
        seventh = {}
        for holder in [code, *code_ancestors(code=code)]:
            if holder.notes.get("seventh_characters"):
                seventh = holder.notes["seventh_characters"]
                break
    else:
        seventh = {}
    return render(
        request, "coding/_code_notes.html", {"code": code, "notes": notes, "seventh": seventh}
    )


@require_GET
@role_required(*CODING_ROLES)
def suggestions_fragment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Codes suggested by the clinical note, each with the phrase that supports it."""
    from coding.doc_check import documentation_warnings
    from coding.suggest import suggest_codes

    encounter = _encounter(request, pk)
    suggestions = suggest_codes(encounter.clinical_note, limit=10, on=encounter.date_of_service)
    chosen = [c for c in request.GET.getlist("dx") if c]
    warnings = (
        documentation_warnings(
            note=encounter.clinical_note, codes=chosen, on=encounter.date_of_service
        )
        if chosen
        else []
    )
    return render(
        request, "coding/_suggestions.html", {"suggestions": suggestions, "doc_warnings": warnings}
    )
