"""Rules across candidate codes (BMI, drug therapy, combined hypertension) and their ranking."""

from __future__ import annotations

import re

from coding.suggest.candidates import Candidate
from coding.suggest.concepts import age_in
from coding.suggest.terms import DRUG_CONDITIONS

BMI_RE = re.compile(r"\bBMI(?:\s*(?:of|is|was|=|:))?\s*(\d{2}(?:\.\d+)?)", re.IGNORECASE)
WEIGHT_DIAGNOSES = ("E66",)


def _bmi_code(bmi: float) -> str:
    """The adult Z68 code for a body mass index."""
    if bmi < 20:
        return "Z68.1"
    if bmi < 40:
        return f"Z68.{int(bmi)}"
    for ceiling, code in ((45, "Z68.41"), (50, "Z68.42"), (60, "Z68.43"), (70, "Z68.44")):
        if bmi < ceiling:
            return code
    return "Z68.45"


def with_bmi(note: str, candidates: list[Candidate]) -> list[Candidate]:
    """A BMI is coded only alongside the weight diagnosis it supports, and for adults."""
    weight = [c for c in candidates if c.code.startswith(WEIGHT_DIAGNOSES)]
    found = BMI_RE.search(note)
    if not weight or found is None or (age_in(note) or 99) < 20:
        return candidates
    bmi = Candidate(_bmi_code(float(found.group(1))), weight[0].score * 0.9, found.span(), "bmi")
    return [*candidates, bmi]


def with_drug_conditions(candidates: list[Candidate]) -> list[Candidate]:
    """Long-term drug codes stay only when the condition they treat is among the candidates."""
    kept = []
    for candidate in candidates:
        if candidate.group.startswith("drug_") and candidate.code in DRUG_CONDITIONS:
            treated = [c for c in candidates if c.code.startswith(DRUG_CONDITIONS[candidate.code])]
            if not treated:
                continue
            # The drug code ranks with the condition it goes with.
            candidate.score = max(candidate.score, 0.5 * max(c.score for c in treated))
        kept.append(candidate)
    return kept


def combined_hypertension(candidates: list[Candidate]) -> list[Candidate]:
    """Hypertension with CKD or heart failure is coded as the combination (I12, I11, I13)."""
    codes = {c.code for c in candidates}
    ckd = any(c.startswith("N18") for c in codes)
    heart_failure = any(c.startswith("I50") for c in codes)
    if "I10" not in codes or not (ckd or heart_failure):
        return candidates
    late_ckd = bool(codes & {"N18.5", "N18.6"})
    if ckd and heart_failure:
        combined = "I13.2" if late_ckd else "I13.0"
    elif ckd:
        combined = "I12.0" if late_ckd else "I12.9"
    else:
        combined = "I11.0"
    for candidate in candidates:
        if candidate.code == "I10":
            candidate.code = combined
    return candidates


def ranked_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """One entry per code, one diagnosis group per category, symptoms after diagnoses."""
    definitive = any(c.in_assessment and c.code[0] not in "RZ" for c in candidates)
    by_code: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: -c.score):
        if definitive and candidate.symptom and not candidate.in_assessment:
            candidate.score *= 0.4
        known = by_code.get(candidate.code)
        if known is None:
            by_code[candidate.code] = candidate
        else:
            known.score += 0.2 * candidate.score
            known.in_assessment = known.in_assessment or candidate.in_assessment
    best_group: dict[str, tuple[float, bool, str]] = {}
    for candidate in by_code.values():
        category = candidate.code[:3]
        rank = (candidate.score, not candidate.group.startswith("words:"), candidate.group)
        if category[0] != "Z" and rank > best_group.get(category, (0.0, False, "")):
            best_group[category] = rank
    # Two diagnoses in one category are both kept only when the assessment states both.
    kept = [
        c
        for c in by_code.values()
        if c.code[0] == "Z" or best_group[c.code[:3]][2] == c.group or c.in_assessment
    ]
    return sorted(kept, key=lambda c: (-c.score, c.code))
