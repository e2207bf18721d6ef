"""Computer-assisted coding: ranked ICD-10-CM suggestions from a note, with their evidence.

The note is cut into clauses with their sections and scopes (`clauses`); the clinical terms'
concepts are found in it (`concepts`, over the table in `clinical_terms.toml` read by `terms`)
and become candidate codes (`candidates`), beside codes whose description the note says word
for word (`descriptions`); rules across codes and the ranking (`ranking`) give the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coding.codesets.selectors import release_in_force
from coding.models import CodeSystem
from coding.suggest.candidates import concept_candidates
from coding.suggest.clauses import clauses_in
from coding.suggest.descriptions import description_candidates, description_index
from coding.suggest.ranking import (
    combined_hypertension,
    ranked_candidates,
    with_bmi,
    with_drug_conditions,
)
from patients.models import CLINICAL_NOTE_MAX_LENGTH


@dataclass(frozen=True)
class Suggestion:
    code: str
    description: str
    score: float
    evidence: str


MIN_SCORE = 0.55
MIN_SHARE_OF_TOP = 0.25
SCORE_SCALE = 4.0


def suggest_codes(note: str, *, limit: int = 10, on: date | None = None) -> list[Suggestion]:
    """ICD-10-CM codes the note supports, best first, each with the phrase of the note behind it."""
    # The note's own limit (the visit forms refuse longer): past it the work is not worth it,
    # and a note pasted through another path must not take a worker for minutes.
    note = note[:CLINICAL_NOTE_MAX_LENGTH]
    release = release_in_force(system=CodeSystem.ICD10CM, on=on)
    if release is None or not note.strip():
        return []
    index = description_index(release.pk)
    clauses = clauses_in(note)
    from_terms = [c for c in concept_candidates(note, clauses) if c.code in index.descriptions]
    covered = [c.evidence for c in from_terms]
    # Words a clinical term already explains do not also count as a description match.
    from_words = [
        c
        for c in description_candidates(note, clauses, index)
        if not any(c.evidence[0] < end and start < c.evidence[1] for start, end in covered)
    ]
    candidates = from_terms + from_words
    candidates = combined_hypertension(with_drug_conditions(with_bmi(note, candidates)))
    ranked = [c for c in ranked_candidates(candidates) if c.code in index.descriptions]
    if not ranked:
        return []
    floor = max(MIN_SCORE, ranked[0].score * MIN_SHARE_OF_TOP)
    return [
        Suggestion(
            code=c.code,
            description=index.descriptions[c.code],
            score=round(min(1.0, c.score / SCORE_SCALE), 3),
            evidence=note[c.evidence[0] : c.evidence[1]],
        )
        for c in ranked
        if c.score >= floor
    ][:limit]
