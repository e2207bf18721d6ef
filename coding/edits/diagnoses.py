"""Edits on the chosen diagnoses: validity, Excludes1, manifestation order, code-first reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from coding.edits.base import ERROR, INFO, WARNING, Edit, dx_target
from coding.edits.lookups import DiagnosisFacts, billable_child
from coding.edits.notes import any_matches, references_in, references_in_notes

MANIFESTATION_TITLE = "in diseases classified elsewhere"
CONDITIONAL_WORDS = ("if applicable", "any associated", "if known")
REMINDER_LENGTH = 160


def validity_edits(facts: Sequence[DiagnosisFacts], on: date) -> list[Edit]:
    """Codes not in the release in force on the date, and headers that need more characters."""
    edits = []
    for fact in facts:
        target = dx_target(fact.position)
        if fact.code is None:
            edits.append(Edit(ERROR, "dx-invalid", (
                f"{fact.written} is not a valid ICD-10-CM code on {on:%m/%d/%Y}, the date of "
                "service: check the code or the date."
            ), target))  # fmt: skip
        elif not fact.code.billable:
            edits.append(_header_edit(fact, target))
    return edits


def _header_edit(fact: DiagnosisFacts, target: str) -> Edit:
    assert fact.code is not None
    child = billable_child(header=fact.code)
    example = f" such as {child.code} ({child.description})" if child else ""
    seventh = next(
        (code.notes["seventh_characters"] for code in fact.lineage()
         if code.notes.get("seventh_characters")), None,
    )  # fmt: skip
    if seventh:
        choices = ", ".join(f"{key} {meaning}" for key, meaning in list(seventh.items())[:3])
        return Edit(ERROR, "dx-seventh-character", (
            f"{fact.written} needs a 7th character ({choices} …): choose the full code{example}."
        ), target)  # fmt: skip
    return Edit(ERROR, "dx-not-billable", (
        f"{fact.written} is a category, not a billable code: choose a more specific code{example}."
    ), target)  # fmt: skip


def excludes1_edits(facts: Sequence[DiagnosisFacts]) -> list[Edit]:
    """Pairs of chosen codes that an Excludes1 note (on a code or its ancestors) keeps apart."""
    edits, reported = [], set()
    for fact in facts:
        for note in fact.notes("excludes1"):
            references = references_in(note)
            for other in facts:
                pair = frozenset((fact.position, other.position))
                if other is fact or pair in reported or not any_matches(references, other.compact):
                    continue
                reported.add(pair)
                later = max(fact.position, other.position)
                edits.append(Edit(ERROR, "dx-excludes1", (
                    f"{fact.written} and {other.written} cannot be coded together (Excludes1: "
                    f"\u201c{note}\u201d): keep the one the record supports."
                ), dx_target(later)))  # fmt: skip
    return edits


def is_manifestation(fact: DiagnosisFacts) -> bool:
    """A manifestation code: titled 'in diseases classified elsewhere', or whose code-first note
    asks for the underlying disease first (the italic codes of the tabular)."""
    if any(MANIFESTATION_TITLE in code.description.lower() for code in fact.lineage()):
        return True
    first_notes = [code.notes["code_first"][0] for code in fact.lineage()
                   if code.notes.get("code_first")]  # fmt: skip
    return any(note.lower().startswith("underlying") for note in first_notes)


def sequencing_edits(facts: Sequence[DiagnosisFacts]) -> list[Edit]:
    """A manifestation listed first; code-first notes whose underlying condition is missing."""
    edits = []
    for fact in facts:
        notes = fact.notes("code_first")
        target = dx_target(fact.position)
        if fact.position == 1 and fact.code is not None and is_manifestation(fact):
            edits.append(Edit(ERROR, "dx-manifestation-first", (
                f"{fact.written} is a manifestation code and cannot be listed first: list the "
                f"underlying condition first ({_shortened(notes) or 'see the tabular'})."
            ), target))  # fmt: skip
        elif notes:
            edits.extend(_code_first_edit(fact, facts, notes))
    return edits


def _code_first_edit(
    fact: DiagnosisFacts, facts: Sequence[DiagnosisFacts], notes: list[str]
) -> list[Edit]:
    references = references_in_notes(notes)
    earlier = [other for other in facts if other.position < fact.position]
    if any(any_matches(references, other.compact) for other in earlier):
        return []
    target = dx_target(fact.position)
    later = [other for other in facts if other.position > fact.position]
    coded_later = [other for other in later if any_matches(references, other.compact)]
    if coded_later:
        return [Edit(WARNING, "dx-code-first", (
            f"{fact.written} says code first {coded_later[0].written}: list "
            f"{coded_later[0].written} before {fact.written}."
        ), target)]  # fmt: skip
    text = _shortened(notes)
    if any(word in " ".join(notes).lower() for word in CONDITIONAL_WORDS):
        return [Edit(INFO, "dx-code-first-if-applicable", (
            f"{fact.written}: code first {text}, if the record shows it."
        ), target)]  # fmt: skip
    return [Edit(WARNING, "dx-code-first", (
        f"{fact.written} says code first {text}: add that condition before {fact.written}."
    ), target)]  # fmt: skip


def use_additional_edits(facts: Sequence[DiagnosisFacts]) -> list[Edit]:
    """Reminders of 'use additional code' notes that no chosen code answers yet."""
    edits = []
    for fact in facts:
        notes = fact.notes("use_additional_code")
        if not notes:
            continue
        references = references_in_notes(notes)
        if references and any(any_matches(references, other.compact) for other in facts):
            continue
        edits.append(Edit(INFO, "dx-use-additional", (
            f"{fact.written}: use additional {_with_code(_shortened(notes))}, if it applies."
        ), dx_target(fact.position)))  # fmt: skip
    return edits


def _shortened(notes: list[str]) -> str:
    text = " ".join(note.rstrip(":") + (":" if note.endswith(":") else ";") for note in notes)
    text = text.rstrip(";:")
    return text if len(text) <= REMINDER_LENGTH else text[: REMINDER_LENGTH - 1].rstrip() + "…"


def _with_code(text: str) -> str:
    return text if text.lower().startswith("code") else f"code {text}"
