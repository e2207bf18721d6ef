"""Candidate codes from the concepts a note mentions, scored by section and merged per concept."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from coding.suggest.clauses import Clause, inside
from coding.suggest.concepts import Mention, age_in, mentions_in, target_codes, with_episode
from coding.suggest.terms import CHILD_EQUIVALENT


@dataclass
class Candidate:
    code: str
    score: float
    evidence: tuple[int, int]
    group: str
    symptom: bool = False
    in_assessment: bool = False
    refined: bool = False
    mentions: int = 1


def _kind(mention: Mention) -> str:
    """'family', 'history', 'negated' or 'active' for this mention."""
    clause, concept = mention.clause, mention.concept
    if inside(mention.start, clause.family):
        return "family"
    if not concept.ignores_negation and inside(mention.start, clause.negated):
        return "negated"
    if inside(mention.start, clause.history):
        return "history"
    if clause.section == "pmh" and concept.history:
        return "history"
    return "active"


def concept_candidates(note: str, clauses: list[Clause]) -> list[Candidate]:
    """One candidate per concept (the most specific code it supports), history and family apart."""
    by_group: dict[str, list[Candidate]] = defaultdict(list)
    child = (age_in(note) or 99) < 18
    for mention in mentions_in(note, clauses):
        concept, kind = mention.concept, _kind(mention)
        weight = mention.clause.weight * concept.weight
        if kind in ("family", "history"):
            code = concept.family if kind == "family" else concept.history
            if code:
                by_group[f"{concept.key}:{kind}"].append(
                    Candidate(code, weight, (mention.start, mention.end), f"{concept.key}:{kind}")
                )
            continue
        if kind == "negated" or _just_started(note, mention):
            continue
        codes, refined, span = target_codes(note, mention, clauses)
        for code in codes:
            code = with_episode(note, code) if concept.episode else code
            code = CHILD_EQUIVALENT.get(code, code) if child else code
            by_group[concept.key].append(
                Candidate(code, weight, span, concept.key, concept.symptom,
                          mention.clause.section == "assessment", refined)
            )  # fmt: skip
    merged = [candidate for group in by_group.values() for candidate in _merge(group)]
    # A phrase that refines one concept ("lumbago with sciatica") is not another diagnosis too.
    return [
        c
        for c in merged
        if not any(
            o.group != c.group
            and o.evidence[0] <= c.evidence[0]
            and c.evidence[1] <= o.evidence[1]
            and o.evidence != c.evidence
            for o in merged
        )
    ]


STARTED = re.compile(r"\b(?:add|adding|start|starting|begin|initiate|trial of|consider)\s+$", re.I)


def _just_started(note: str, mention: Mention) -> bool:
    """A drug started today is not yet long-term use."""
    before = note[max(0, mention.start - 20) : mention.start]
    return mention.concept.key.startswith("drug_") and bool(STARTED.search(before))


def _merge(group: list[Candidate]) -> list[Candidate]:
    """The group's best code(s): refined codes beat the default; mentions add up, with a cap."""
    best_refined = max((c.refined for c in group), default=False)
    chosen = [c for c in group if c.refined == best_refined]
    top = max(chosen, key=lambda c: c.score)
    codes = {c.code for c in chosen if c.evidence == top.evidence} | {top.code}
    total = sum(c.score for c in group) - top.score
    merged = []
    for code in sorted(codes):
        merged.append(
            Candidate(code, top.score + min(0.6, 0.2 * total), top.evidence, top.group,
                      top.symptom, any(c.in_assessment for c in group), top.refined, len(group))
        )  # fmt: skip
    return merged
