"""Edits on the procedure lines: diagnosis pointers, and an E/M beside a procedure without 25."""

from __future__ import annotations

from collections.abc import Sequence

from coding.edits.base import ERROR, WARNING, Edit, LineInput, dx_target, line_target
from coding.edits.rules import EM_RANGES, PROCEDURE_RANGES, in_ranges

OFFICE_EM = (("99202", "99215"),)
# Venipuncture and capillary draws have no global period (XXX in the physician fee schedule):
# an E/M beside them needs no modifier 25.
NO_GLOBAL_PROCEDURES = frozenset({"36415", "36416"})
PREVENTIVE_EM = (("99381", "99397"),)


def pointer_edits(diagnoses: Sequence[str], lines: Sequence[LineInput]) -> list[Edit]:
    """Lines that point at no diagnosis or past the list; diagnoses no line points at."""
    edits = []
    for position, line in enumerate(lines, start=1):
        target = line_target(position)
        if not line.pointers:
            edits.append(Edit(ERROR, "line-no-pointer", (
                f"Line {position} ({line.code}) points at no diagnosis: add a diagnosis pointer."
            ), target))  # fmt: skip
        for pointer in line.pointers:
            if not 1 <= pointer <= len(diagnoses):
                edits.append(Edit(ERROR, "line-pointer-invalid", (
                    f"Line {position} ({line.code}) points at diagnosis {pointer}, but the "
                    f"encounter lists {len(diagnoses)}: point it at a listed diagnosis."
                ), target))  # fmt: skip
    if lines:
        pointed = {pointer for line in lines for pointer in line.pointers}
        edits += [
            Edit(WARNING, "dx-not-pointed", (
                f"{code} (diagnosis {position}) is not pointed at by any line: point a line at "
                "it, or remove it if it does not support a service."
            ), dx_target(position))
            for position, code in enumerate(diagnoses, start=1) if position not in pointed
        ]  # fmt: skip
    return edits


def modifier_25_edits(lines: Sequence[LineInput]) -> list[Edit]:
    """An E/M with a same-day procedure (or preventive visit) needs modifier 25."""
    procedures = [
        line.code
        for line in lines
        if in_ranges(line.code, PROCEDURE_RANGES) and line.code not in NO_GLOBAL_PROCEDURES
    ]
    preventive = [line.code for line in lines if in_ranges(line.code, PREVENTIVE_EM)]
    edits = []
    for position, line in enumerate(lines, start=1):
        if not in_ranges(line.code, EM_RANGES) or "25" in line.modifiers:
            continue
        if procedures:
            reason = f"procedure {procedures[0]}"
        elif preventive and in_ranges(line.code, OFFICE_EM):
            reason = f"preventive visit {preventive[0]}"
        else:
            continue
        edits.append(Edit(ERROR, "em-needs-25", (
            f"Add modifier 25 to {line.code} if the E/M was significant and separately "
            f"identifiable from the {reason} on the same day; otherwise remove {line.code}."
        ), line_target(position)))  # fmt: skip
    return edits
