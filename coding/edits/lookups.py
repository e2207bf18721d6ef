"""The batched database reads the edits need: diagnosis codes, NCCI pairs and MUEs on a date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Subquery
from django.db.models.functions import Length

from coding.models import (
    Code,
    CodeSetRelease,
    CodeSystem,
    MedicallyUnlikelyEdit,
    NcciPtpEdit,
)

SUGGESTION_SAMPLE = 40
# The longest ICD-10-CM code without its dot (S72001A). Longer input is not a code, and
# building its prefixes would be quadratic in its length.
MAX_ICD10_LENGTH = 7


@dataclass(frozen=True)
class DiagnosisFacts:
    """A chosen diagnosis as the release in force has it: the code, its ancestors, nearest first."""

    position: int
    written: str
    compact: str
    code: Code | None
    ancestors: tuple[Code, ...] = field(default=())

    def lineage(self) -> list[Code]:
        """The code and its ancestors (empty when the code is not in the release)."""
        return [] if self.code is None else [self.code, *self.ancestors]

    def notes(self, kind: str) -> list[str]:
        """The notes of one kind on the code and its ancestors, without repeats."""
        seen: dict[str, None] = {}
        for code in self.lineage():
            for note in code.notes.get(kind, []):
                seen.setdefault(note, None)
        return list(seen)


def _release_in_force(system: str, on: date) -> Subquery:
    releases = CodeSetRelease.objects.filter(system=system, effective_date__lte=on)
    return Subquery(releases.order_by("-effective_date").values("id")[:1])


def diagnosis_facts(*, compacts: Sequence[str], on: date) -> list[DiagnosisFacts]:
    """Each code with its ancestors in the ICD-10-CM release in force on `on`: one query."""
    prefixes = diagnosis_prefixes(compacts)
    rows = (
        Code.objects.filter(
            system=CodeSystem.ICD10CM, release_id=_release_in_force(CodeSystem.ICD10CM, on),
            compact__in=prefixes,
        ).only("code", "compact", "billable", "parent", "notes", "description", "release_id")
    )  # fmt: skip
    by_compact = {row.compact: row for row in rows} if prefixes else {}
    facts = []
    for position, compact in enumerate(compacts, start=1):
        found = by_compact.get(compact)
        ancestors: list[Code] = []
        parent = found.parent if found else ""
        while parent and (above := by_compact.get(parent.replace(".", ""))) is not None:
            ancestors.append(above)
            parent = above.parent
        written = found.code if found else _dotted(compact)
        facts.append(DiagnosisFacts(position, written, compact, found, tuple(ancestors)))
    return facts


def diagnosis_prefixes(compacts: Sequence[str]) -> set[str]:
    """The code and each ancestor (3 characters and up) of every code-shaped compact."""
    return {
        code[:length]
        for code in compacts
        if len(code) <= MAX_ICD10_LENGTH
        for length in range(3, len(code) + 1)
    }


def _dotted(compact: str) -> str:
    return f"{compact[:3]}.{compact[3:]}" if len(compact) > 3 else compact


def billable_child(*, header: Code) -> Code | None:
    """A billable code under `header` to suggest: the shortest, preferring 'unspecified' (…9)."""
    children = list(
        Code.objects.filter(
            release_id=header.release_id, compact__startswith=header.compact, billable=True
        )
        .annotate(size=Length("compact"))
        .order_by("size", "compact")
        .only("code", "compact", "description")[:SUGGESTION_SAMPLE]
    )
    if not children:
        return None
    shortest = [child for child in children if len(child.compact) == len(children[0].compact)]
    unspecified = [child for child in shortest if child.compact.endswith("9")]
    return (unspecified or shortest)[0]


def ptp_pairs(*, codes: Iterable[str], on: date) -> dict[tuple[str, str], NcciPtpEdit]:
    """The NCCI pairs in force on `on` among `codes`, newest row per pair: one query."""
    wanted = set(codes)
    if len(wanted) < 2:
        return {}
    rows = (
        NcciPtpEdit.objects.filter(column1__in=wanted, column2__in=wanted, effective_date__lte=on)
        .filter(Q(deletion_date__isnull=True) | Q(deletion_date__gt=on))
        .exclude(modifier_indicator="9")
        .order_by("column1", "column2", "effective_date")
    )
    return {(row.column1, row.column2): row for row in rows if row.column1 != row.column2}


def mues(*, codes: Iterable[str], on: date) -> dict[str, MedicallyUnlikelyEdit]:
    """The MUE in force on `on` for each of `codes` that has one: one query."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = (
        MedicallyUnlikelyEdit.objects.filter(code__in=wanted, effective_date__lte=on)
        .order_by("code", "-effective_date")
        .distinct("code")
    )
    return {row.code: row for row in rows}
