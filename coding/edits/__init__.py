"""Coding edits run live as the coder works and before a claim: `run_edits`, `encounter_edits`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Protocol

from coding.codesets.records import compact_code
from coding.edits import diagnoses as diagnosis_rules
from coding.edits import lookups
from coding.edits.base import ERROR, INFO, WARNING, Edit, LineInput
from coding.edits.demographics import demographic_edits
from coding.edits.fees import fee_edits
from coding.edits.ncci import mue_edits, ptp_edits
from coding.edits.procedures import modifier_25_edits, pointer_edits
from patients.models import Encounter

__all__ = [
    "ERROR", "INFO", "WARNING", "CodedLine", "Edit", "LineInput",
    "coding_edits", "encounter_edits", "run_edits",
]  # fmt: skip


def _line_cleaned(line: LineInput) -> LineInput:
    return replace(
        line,
        code=line.code.strip().upper(),
        modifiers=tuple(mod.strip().upper() for mod in line.modifiers if mod.strip()),
    )


def run_edits(
    *,
    date_of_service: date,
    sex: str,
    date_of_birth: date,
    diagnoses: Sequence[str],
    lines: Sequence[LineInput],
) -> list[Edit]:
    """Every edit that applies to this coding, diagnoses first, then lines.

    Reads the database in at most four batched queries (diagnosis codes with their ancestors,
    NCCI pairs, MUEs) plus one per header code, to suggest a billable child.
    """
    compacts = [compact_code(code) for code in diagnoses]
    facts = [
        fact
        for fact in lookups.diagnosis_facts(compacts=compacts, on=date_of_service)
        if fact.compact
    ]
    written = [fact.written for fact in facts]
    cleaned = [_line_cleaned(line) for line in lines]
    codes = [line.code for line in cleaned]
    return [
        *diagnosis_rules.validity_edits(facts, date_of_service),
        *diagnosis_rules.excludes1_edits(facts),
        *demographic_edits(facts, sex=sex, date_of_birth=date_of_birth, on=date_of_service),
        *diagnosis_rules.sequencing_edits(facts),
        *diagnosis_rules.use_additional_edits(facts),
        *pointer_edits(written, cleaned),
        *modifier_25_edits(cleaned),
        *ptp_edits(cleaned, lookups.ptp_pairs(codes=codes, on=date_of_service)),
        *mue_edits(cleaned, lookups.mues(codes=codes, on=date_of_service)),
    ]


class CodedLine(Protocol):
    """A procedure line as saved (ProcedureLine) or as typed (ProcedureLineInput)."""

    @property
    def code(self) -> str: ...
    @property
    def modifiers(self) -> Sequence[str]: ...
    @property
    def units(self) -> Decimal: ...
    @property
    def diagnosis_pointers(self) -> Sequence[int]: ...


def coding_edits(
    *, encounter: Encounter, diagnoses: Sequence[str], lines: Sequence[CodedLine]
) -> list[Edit]:
    """The edits on this coding (saved, or as the form holds it) for the encounter's patient."""
    patient = encounter.patient
    found = run_edits(
        date_of_service=encounter.date_of_service,
        sex=patient.sex,
        date_of_birth=patient.date_of_birth,
        diagnoses=diagnoses,
        lines=[
            LineInput(
                code=line.code,
                modifiers=tuple(line.modifiers),
                units=line.units,
                pointers=tuple(line.diagnosis_pointers),
            )
            for line in lines
        ],
    )
    if not all(hasattr(line, "charge") for line in lines):
        return found
    return [*found, *fee_edits(encounter=encounter, lines=lines)]  # type: ignore[arg-type]


def encounter_edits(*, encounter: Encounter) -> list[Edit]:
    """The edits on an encounter's saved coding, for its patient and date of service."""
    return coding_edits(
        encounter=encounter,
        diagnoses=list(encounter.diagnoses.order_by("position").values_list("code", flat=True)),
        lines=list(encounter.procedure_lines.order_by("position")),
    )
