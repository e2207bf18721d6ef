"""Candidate codes whose description (or an inclusion term) the note says word for word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from coding.models import Code
from coding.suggest.candidates import Candidate
from coding.suggest.clauses import Clause, inside

FILLER = frozenset(
    {
        "unspecified",
        "nos",
        "of",
        "the",
        "a",
        "an",
        "and",
        "in",
        "other",
        "site",
        "specified",
        "elsewhere",
        "classified",
        "nec",
        "s",
        "or",
        "to",
        "on",
        "at",
        "by",
    }
)
TOKEN_RE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class DescriptionIndex:
    """Billable codes of one release and the word sets of their descriptions and inclusion terms."""

    descriptions: dict[str, str]
    phrases: dict[frozenset[str], str]
    longest: int


def _words(text: str) -> list[str]:
    return [w for w in TOKEN_RE.findall(text.lower()) if w not in FILLER]


@lru_cache(maxsize=4)
def description_index(release_id: int) -> DescriptionIndex:
    descriptions: dict[str, str] = {}
    phrases: dict[frozenset[str], str] = {}
    rows = Code.objects.filter(release_id=release_id, billable=True).values_list(
        "code", "description", "notes"
    )
    for code, description, notes in rows.iterator(chunk_size=5000):
        descriptions[code] = description
        for text in [description, *(notes or {}).get("inclusion_terms", [])]:
            key = frozenset(_words(text))
            known = phrases.get(key)
            # Equal word sets: keep the unspecified (or else the shorter) description.
            if key and (known is None or _plainer(description, descriptions[known])):
                phrases[key] = code
    longest = max((len(k) for k in phrases), default=0)
    return DescriptionIndex(descriptions, phrases, min(longest, 10))


def _plainer(description: str, other: str) -> bool:
    def rank(text: str) -> tuple[bool, int]:
        return "unspecified" not in text.lower(), len(text)

    return rank(description) < rank(other)


def _tokens(note: str, clause: Clause) -> list[tuple[str, int, int]]:
    lowered = note.lower()
    return [
        (m.group(), m.start(), m.end())
        for m in TOKEN_RE.finditer(lowered, clause.start, clause.end)
        if m.group() not in FILLER
    ]


def description_candidates(
    note: str, clauses: list[Clause], index: DescriptionIndex
) -> list[Candidate]:
    """Codes whose description (or an inclusion term) the note says word for word, any order."""
    found = []
    for clause in clauses:
        tokens = _tokens(note, clause)
        position = 0
        while position < len(tokens):
            step = 1
            for size in range(min(index.longest, len(tokens) - position), 0, -1):
                window = tokens[position : position + size]
                code = index.phrases.get(frozenset(t[0] for t in window))
                if code is None or not _generic_allowed(window, clause):
                    continue
                weight = clause.weight * (0.8 if clause.section == "assessment" else 0.5)
                found.append(
                    Candidate(code, weight, (window[0][1], window[-1][2]), f"words:{code}",
                              code.startswith("R"), clause.section == "assessment")
                )  # fmt: skip
                step = size
                break
            position += step
    return found


def _generic_allowed(window: list[tuple[str, int, int]], clause: Clause) -> bool:
    start = window[0][1]
    if any(inside(start, spans) for spans in (clause.negated, clause.history, clause.family)):
        return False
    if len(window) == 1:
        return clause.section == "assessment" and len(window[0][0]) >= 6
    return True
