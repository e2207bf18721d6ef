"""Code-set look-ups: the release in force on a date, and a code's validity and description."""

from __future__ import annotations

from datetime import date

from coding.codesets.records import compact_code
from coding.models import Code, CodeSetRelease


def release_get(*, system: str, version: str) -> CodeSetRelease | None:
    """The release of `system` with exactly this version, if it has been loaded."""
    return CodeSetRelease.objects.filter(system=system, version=version).first()


def release_in_force(*, system: str, on: date | None = None) -> CodeSetRelease | None:
    """The release of `system` in force on `on` (the newest one when `on` is None).

    A release is in force from its effective date until the next release's; a date before the
    first loaded release has none.
    """
    releases = CodeSetRelease.objects.filter(system=system)
    if on is not None:
        releases = releases.filter(effective_date__lte=on)
    return releases.order_by("-effective_date").first()


def code_get(*, system: str, code: str, on: date | None = None) -> Code | None:
    """`code` (dotted or compact, any case) in the release of `system` in force on `on`."""
    release = release_in_force(system=system, on=on)
    if release is None:
        return None
    return Code.objects.filter(release=release, compact=compact_code(code)).first()


def code_is_valid(
    *, system: str, code: str, on: date | None = None, billable_only: bool = True
) -> bool:
    """Whether `code` exists on `on`; with `billable_only`, ICD-10-CM headers (E11) do not count."""
    found = code_get(system=system, code=code, on=on)
    return found is not None and (found.billable or not billable_only)


def code_description(*, system: str, code: str, on: date | None = None) -> str | None:
    """The description of `code` in the release in force on `on`, or None if it is not there."""
    found = code_get(system=system, code=code, on=on)
    return found.description if found is not None else None


def code_ancestors(*, code: Code) -> list[Code]:
    """The codes above `code` in its own release, nearest first (S52.501A -> S52.501 … S52)."""
    ancestors: list[Code] = []
    parent = code.parent
    while parent:
        above = Code.objects.filter(
            release_id=code.release_id, compact=compact_code(parent)
        ).first()
        if above is None:
            break
        ancestors.append(above)
        parent = above.parent
    return ancestors


def code_seventh_characters(*, code: Code) -> dict[str, str]:
    """The 7th characters that apply to `code`: its own, else those of its nearest ancestor."""
    for candidate in [code, *code_ancestors(code=code)]:
        seventh = candidate.notes.get("seventh_characters")
        if seventh:
            return dict(seventh)
    return {}


TABULAR_NOTE_LABELS = (
    ("excludes1", "Excludes1 (never together)"),
    ("excludes2", "Excludes2 (not included here)"),
    ("code_first", "Code first"),
    ("use_additional_code", "Use additional code"),
    ("code_also", "Code also"),
)


def code_tabular_notes(*, code: Code) -> list[tuple[str, str, list[str]]]:
    """The tabular notes that apply to `code`: (label, the code holding it, its text), own first."""
    notes: list[tuple[str, str, list[str]]] = []
    for holder in [code, *code_ancestors(code=code)]:
        for key, label in TABULAR_NOTE_LABELS:
            if holder.notes.get(key):
                notes.append((label, holder.code, list(holder.notes[key])))
    return notes
