"""Reading the code references in ICD-10-CM tabular notes: '(E11.-)', '(E08-E13 with .42)'."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
# One reference inside parentheses: a code, a code with a '-' or '.-' wildcard, a range of them,
# optionally restricted by 'with .42' (the characters after the category).
_REFERENCE = re.compile(
    rf"^(?P<low>{_CODE})(?:\.?-)?(?:-(?P<high>{_CODE})(?:\.?-)?)?"
    r"(?:\s+with\s+\.(?P<tail>[0-9A-Z]{1,4}))?$"
)
_PARENTHESES = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class CodeReference:
    """Codes a note names: those starting `low` (or between `low` and `high`), with `tail`."""

    low: str
    high: str = ""
    tail: str = ""

    def matches(self, compact: str) -> bool:
        """Whether a chosen code (compact form) is one of the codes this reference names."""
        if self.tail and compact[3 : 3 + len(self.tail)] != self.tail:
            return False
        if not self.high:
            return compact.startswith(self.low)
        return compact[: len(self.low)] >= self.low and compact[: len(self.high)] <= self.high


def _compact(code: str) -> str:
    return code.replace(".", "")


def references_in(note: str) -> list[CodeReference]:
    """The code references in the parentheses of one note; words and odd forms are skipped.

    'with fifth character 1' and other prose qualifiers are skipped rather than guessed: a
    reference read too widely would raise a false Excludes1 error.
    """
    found = []
    for group in _PARENTHESES.findall(note):
        for token in group.split(","):
            match = _REFERENCE.match(token.strip())
            if match is None:
                continue
            found.append(
                CodeReference(
                    low=_compact(match["low"]),
                    high=_compact(match["high"] or ""),
                    tail=match["tail"] or "",
                )
            )
    return found


def references_in_notes(notes: Iterable[str]) -> list[CodeReference]:
    """The code references in several notes, in order."""
    return [reference for note in notes for reference in references_in(note)]


def any_matches(references: Iterable[CodeReference], compact: str) -> bool:
    """Whether any of `references` names the code `compact`."""
    return any(reference.matches(compact) for reference in references)
