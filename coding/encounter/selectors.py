"""Reads for the coding form: the encounter to code, its saved coding, live edits, suggestions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coding.edits import Edit, coding_edits
from coding.encounter.completeness import coding_missing_pieces
from coding.encounter.doc_check import DocWarning, documentation_warnings
from coding.encounter.services import CODABLE_STATUSES, ProcedureLineInput
from coding.models import ProcedureLine
from coding.suggest import Suggestion, suggest_codes
from patients.coverage.selectors import coverage_primary_on
from patients.models import Coverage, Encounter
from rcm.practice.permissions import CODING, scoped_get
from rcm.practice.selectors import Viewer

SUGGESTIONS_SHOWN = 10


def encounter_for_coding(*, user: Viewer, pk: int) -> Encounter:
    """The encounter `pk` for a coder: 404 outside the user's practices, 403 if they don't code."""
    encounters = Encounter.objects.select_related(
        "patient", "rendering_provider", "practice", "assigned_coder"
    )
    return scoped_get(encounters, user=user, pk=pk, roles=CODING)


def coded_diagnoses(*, encounter: Encounter) -> list[str]:
    """The encounter's saved diagnosis codes, in claim order."""
    return list(encounter.diagnoses.order_by("position").values_list("code", flat=True))


def coded_lines(*, encounter: Encounter) -> list[ProcedureLine]:
    """The encounter's saved procedure lines, in claim order."""
    return list(encounter.procedure_lines.order_by("position"))


@dataclass(frozen=True)
class FormEdits:
    """The edits on what the form holds; `blocking` error-level ones stop "Coding complete"."""

    edits: list[Edit]

    @property
    def blocking(self) -> int:
        return sum(1 for edit in self.edits if edit.severity == "error")


def coding_form_edits(
    *, encounter: Encounter, diagnoses: Sequence[str], lines: Sequence[ProcedureLineInput]
) -> FormEdits:
    """The edits on what the form holds, led by what "Coding complete" would also refuse."""
    edits = coding_edits(encounter=encounter, diagnoses=diagnoses, lines=lines)
    for message in coding_missing_pieces(diagnosis_count=len(diagnoses), line_count=len(lines)):
        edits.insert(0, Edit("error", "incomplete", message))
    return FormEdits(edits)


@dataclass(frozen=True)
class CodingForm:
    """What the coding form shows beside what was typed: coverage, edits, whether it can change."""

    coverage: Coverage | None
    edits: FormEdits
    editable: bool


def coding_form(
    *, encounter: Encounter, diagnoses: Sequence[str], lines: Sequence[ProcedureLineInput]
) -> CodingForm:
    """The coding form's facts for this encounter and what the form holds."""
    return CodingForm(
        coverage=coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service),
        edits=coding_form_edits(encounter=encounter, diagnoses=diagnoses, lines=lines),
        editable=encounter.status in CODABLE_STATUSES,
    )


def coding_suggestions(
    *, encounter: Encounter, chosen: Sequence[str]
) -> tuple[list[Suggestion], list[DocWarning]]:
    """Codes the note suggests, and where the chosen diagnoses say more than the note does."""
    suggestions = suggest_codes(
        encounter.clinical_note, limit=SUGGESTIONS_SHOWN, on=encounter.date_of_service
    )
    warnings = (
        documentation_warnings(
            note=encounter.clinical_note, codes=chosen, on=encounter.date_of_service
        )
        if chosen
        else []
    )
    return suggestions, warnings
