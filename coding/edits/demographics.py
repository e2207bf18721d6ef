"""Age and sex edits: codes that do not fit the patient (pregnancy for a male, …)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from coding.edits.base import Edit, dx_target
from coding.edits.lookups import DiagnosisFacts
from coding.edits.notes import any_matches
from coding.edits.rules import DEMOGRAPHIC_RULES, SEX_LABELS, DemographicRule


def age_on(*, date_of_birth: date, on: date) -> int:
    """Age in whole years on `on`."""
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def demographic_edits(
    facts: Sequence[DiagnosisFacts], *, sex: str, date_of_birth: date, on: date
) -> list[Edit]:
    """Each chosen code that a documented age or sex rule says does not fit this patient."""
    age = age_on(date_of_birth=date_of_birth, on=on)
    edits = []
    for fact in facts:
        for rule in DEMOGRAPHIC_RULES:
            if any_matches(rule.codes, fact.compact):
                edits.extend(_rule_edits(rule, fact, sex=sex, age=age))
    return edits


def _rule_edits(rule: DemographicRule, fact: DiagnosisFacts, *, sex: str, age: int) -> list[Edit]:
    target = dx_target(fact.position)
    edits = []
    if rule.sex and sex in SEX_LABELS and sex != rule.sex:
        edits.append(Edit(rule.severity, "dx-sex-conflict", (
            f"{fact.written} is {rule.name} ({SEX_LABELS[rule.sex]} patients only) but the "
            f"patient is {SEX_LABELS[sex]}: check the code or the patient's sex."
        ), target))  # fmt: skip
    too_young = rule.min_age is not None and age < rule.min_age
    too_old = rule.max_age is not None and age > rule.max_age
    if too_young or too_old:
        edits.append(Edit(rule.severity, "dx-age-conflict", (
            f"{fact.written} is {rule.name} (ages {_age_range(rule)}) but the patient is {age} "
            "on the date of service: check the code or the date of birth."
        ), target))  # fmt: skip
    return edits


def _age_range(rule: DemographicRule) -> str:
    if rule.max_age == 0 and not rule.min_age:
        return "under 1 year, a newborn"
    return f"{rule.min_age or 0}\u2013{rule.max_age if rule.max_age is not None else 124}"
