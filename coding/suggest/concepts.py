"""Finding the clinical terms' concepts in a note and the specific code each mention supports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from coding.suggest.clauses import NEGATION_PRE, Clause, inside
from coding.suggest.terms import CONCEPTS, DRUG_CONCEPTS, Concept, Sides, Target

# Abbreviations that are also words or common syllables (ADD, PAD, CAP, DOE, MI, DM) count only
# when written in capitals.
CAPITALS_ONLY = frozenset(
    {
        "add",
        "af",
        "cap",
        "doe",
        "pad",
        "rad",
        "mi",
        "dm",
        "ida",
        "cad",
        "sob",
        "tia",
        "gad",
        "ome",
        "cts",
        "cva",
        "aom",
        "awv",
        "wcc",
        "osa",
        "pci",
    }
)


def _is_abbreviation(term: str) -> bool:
    return term in CAPITALS_ONLY


def _compile(terms: Sequence[str], *, abbreviations: bool) -> re.Pattern[str] | None:
    chosen = [t for t in terms if _is_abbreviation(t) == abbreviations]
    if not chosen:
        return None
    if abbreviations:
        return re.compile(r"(?<![\w-])(?:" + "|".join(t.upper() for t in chosen) + r")(?!\w|-free)")
    return re.compile(r"(?<![\w-])(?:" + "|".join(chosen) + r")(?!\w|-free)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _concept_patterns() -> list[tuple[Concept, list[re.Pattern[str]]]]:
    compiled = []
    for concept in (*CONCEPTS, *DRUG_CONCEPTS):
        patterns = [_compile(concept.terms, abbreviations=flag) for flag in (False, True)]
        compiled.append((concept, [p for p in patterns if p is not None]))
    return compiled


@dataclass(frozen=True)
class Mention:
    concept: Concept
    start: int
    end: int
    clause: Clause


def mentions_in(note: str, clauses: list[Clause]) -> list[Mention]:
    """Every concept phrase in the note, without those inside a longer phrase of another."""
    found: list[Mention] = []
    for concept, patterns in _concept_patterns():
        for pattern in patterns:
            for clause in clauses:
                for match in pattern.finditer(note, clause.start, clause.end):
                    found.append(Mention(concept, match.start(), match.end(), clause))
    return [
        m
        for m in found
        if not any(
            o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
            for o in found
        )
    ]


SIDE_RE = re.compile(r"\b(right|left|bilateral(?:ly)?|both|b/l)\b", re.IGNORECASE)


SIDE_LETTER_RE = re.compile(r"\b([RL])\b(?![/'])")


def _side_in(note: str, start: int, end: int, clause: Clause) -> str:
    found = [*SIDE_RE.finditer(note, start, end), *SIDE_LETTER_RE.finditer(note, start, end)]
    letters = {"r": "right", "l": "left"}
    sides = {
        letters.get(s.group(1).lower(), s.group(1).lower()[:5])
        for s in found
        if not inside(s.start(), clause.negated)
    }
    if sides & {"bilat", "both", "b/l"} or {"right", "left"} <= sides:
        return "bilateral"
    return next(iter(sides), "")


def _resolve_sides(note: str, sides: Sides, mention: Mention, clauses: list[Clause]) -> str:
    """The code of the side the note gives: near the phrase, else where the note names the site."""
    start, end = _window(mention)
    side = _side_in(note, start, end, mention.clause)
    site = mention.concept.site
    if not side and site:
        site_re = re.compile(rf"\b(?:{site})", re.IGNORECASE)
        for clause in clauses:
            if site_re.search(note, clause.start, clause.end):
                side = _side_in(note, clause.start, clause.end, clause)
                if side:
                    break
    return {"right": sides.right, "left": sides.left, "bilateral": sides.bilateral}.get(
        side, sides.unspecified
    )


def _cue_negated(found: re.Match[str], clause: Clause) -> bool:
    """A cue is negated at its start or its end, unless it states the negation itself."""
    if NEGATION_PRE.match(found.group()):
        return False
    return inside(found.start(), clause.negated) or inside(found.end() - 1, clause.negated)


def _word_end(note: str, position: int) -> int:
    while position < len(note) and note[position].isalnum():
        position += 1
    return position


def _window(mention: Mention) -> tuple[int, int]:
    return max(mention.clause.start, mention.start - 60), min(mention.clause.end, mention.end + 80)


def target_codes(
    note: str, mention: Mention, clauses: list[Clause]
) -> tuple[list[str], bool, tuple[int, int]]:
    """The codes this mention supports, whether a cue refined them, and the evidence span."""
    concept = mention.concept
    target: Target = concept.target
    refined = False
    span = (mention.start, mention.end)
    start, end = _window(mention)
    for cue, cue_target in concept.cues:
        found = re.compile(cue, re.IGNORECASE | re.DOTALL).search(note, start, end)
        if found and not _cue_negated(found, mention.clause):
            target, refined = cue_target, True
            if found.end() - found.start() < 60:
                span = (min(span[0], found.start()), _word_end(note, max(span[1], found.end())))
            break
    if isinstance(target, Sides):
        code = _resolve_sides(note, target, mention, clauses)
        refined = refined or code != target.unspecified
        return code.split(), refined, span
    return [target], refined, span


EPISODE_LATER = re.compile(r"subsequent encounter|follow[- ]?up|recheck|routine healing", re.I)
SEQUELA = re.compile(r"sequela|late effect", re.IGNORECASE)


def with_episode(note: str, code: str) -> str:
    seventh = "S" if SEQUELA.search(note) else "D" if EPISODE_LATER.search(note) else "A"
    return code + seventh


AGE_RE = re.compile(r"\b(\d{1,3})[- ]?(?:year|yr|y/?o\b|yo\b)|\b(\d{1,2})[- ]?(?:month|mo)\b", re.I)


def age_in(note: str) -> int | None:
    found = AGE_RE.search(note)
    if found is None:
        return None
    return int(found.group(1)) if found.group(1) else 0
