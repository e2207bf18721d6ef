"""When is an encounter's coding complete: the rules "Coding complete" enforces, in words."""

from __future__ import annotations

from patients.models import Encounter


def coding_missing_pieces(*, diagnosis_count: int, line_count: int) -> list[str]:
    """What coding lacks before anything else matters: a diagnosis and a procedure line.

    The coding form's edits panel says these too, from what the form holds, before "Coding
    complete" is pressed; pointers are checked there by the pointer edits.
    """
    errors = []
    if not diagnosis_count:
        errors.append("Add at least one diagnosis.")
    if not line_count:
        errors.append("Add at least one procedure line.")
    return errors


def coding_completeness_errors(*, encounter: Encounter) -> list[str]:
    """What stops this encounter's coding from being complete, in words; empty when complete."""
    positions = set(encounter.diagnoses.values_list("position", flat=True))
    lines = list(encounter.procedure_lines.order_by("position"))
    errors = coding_missing_pieces(diagnosis_count=len(positions), line_count=len(lines))
    for line in lines:
        if not line.diagnosis_pointers:
            errors.append(f"Line {line.position} ({line.code}): point it at a diagnosis.")
        missing = [p for p in line.diagnosis_pointers if p not in positions]
        if missing:
            listed = ", ".join(str(p) for p in missing)
            errors.append(
                f"Line {line.position} ({line.code}): diagnosis pointer {listed} points at no "
                f"diagnosis (the encounter has {len(positions)})."
            )
    return errors
