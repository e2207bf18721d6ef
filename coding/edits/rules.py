"""The data behind the edits: age and sex rules, E/M and procedure ranges, NCCI modifiers."""

from __future__ import annotations

from dataclasses import dataclass

from coding.edits.notes import CodeReference, references_in


@dataclass(frozen=True)
class DemographicRule:
    """Codes that fit only one sex or an age range (ages in whole years on the date of service).

    `severity` is "error" for definite conflicts; "warning" where the guidelines allow the code
    outside the range in some cases (perinatal conditions that persist, I.C.16.a.4).
    """

    name: str
    codes: tuple[CodeReference, ...]
    sex: str = ""
    min_age: int | None = None
    max_age: int | None = None
    severity: str = "error"


def _codes(*written: str) -> tuple[CodeReference, ...]:
    return tuple(reference for text in written for reference in references_in(f"({text})"))


# Conventions of the CMS Medicare Code Editor (MCE): maternity ages 9-64, newborn age 0,
# sex-specific categories. Documented with their sources in docs/CODING-EDITS.md.
DEMOGRAPHIC_RULES: tuple[DemographicRule, ...] = (
    DemographicRule(
        "a pregnancy, childbirth or puerperium code",
        _codes("O00-O9A", "Z3A.-", "Z33.1", "Z34.-", "Z36.-", "Z37.-", "Z39.-"),
        sex="F",
        min_age=9,
        max_age=64,
    ),
    DemographicRule("a liveborn-infant code", _codes("Z38.-"), max_age=0),
    DemographicRule(
        "a code for a newborn affected by maternal factors", _codes("P00-P04.-"), max_age=0
    ),
    DemographicRule("a perinatal code", _codes("P05-P96.-"), max_age=0, severity="warning"),
    DemographicRule(
        "a male-only code",
        _codes(
            "C60-C63.-",
            "D07.4-D07.6-",
            "D29.-",
            "D40.-",
            "N40-N53.-",
            "Q53-Q55.-",
            "R86.-",
            "R97.2-",
            "Z12.5",
        ),
        sex="M",
    ),
    DemographicRule(
        "a female-only code",
        _codes(
            "C51-C58.-",
            "D06.-",
            "D07.0-D07.3-",
            "D25-D28.-",
            "D39.-",
            "N70-N98.-",
            "Q50-Q52.-",
            "R87.-",
            "Z01.41-",
            "Z12.4",
            "Z32.-",
        ),
        sex="F",
    ),
)

SEX_LABELS = {"F": "female", "M": "male"}

# Evaluation and management codes checked for modifier 25: office/outpatient, hospital
# inpatient/observation, consultations, emergency department, nursing facility, home or
# residence, preventive medicine.
EM_RANGES: tuple[tuple[str, str], ...] = (
    ("99202", "99215"),
    ("99221", "99239"),
    ("99242", "99255"),
    ("99281", "99285"),
    ("99304", "99316"),
    ("99341", "99350"),
    ("99381", "99397"),
)
# Procedures that make a same-day E/M need modifier 25: the CPT surgery section.
PROCEDURE_RANGES: tuple[tuple[str, str], ...] = (("10004", "69990"),)

# NCCI-associated modifiers (NCCI Policy Manual, chapter I, section E): on either code of a
# pair whose modifier indicator is 1, they say the services were distinct.
NCCI_MODIFIERS = frozenset(
    {"E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"}
    | {"LC", "LD", "LM", "LT", "RC", "RI", "RT", "TA", "T1", "T2", "T3", "T4", "T5", "T6"}
    | {"T7", "T8", "T9", "24", "25", "27", "57", "58", "59", "78", "79", "91"}
    | {"XE", "XP", "XS", "XU"}
)


def in_ranges(code: str, ranges: tuple[tuple[str, str], ...]) -> bool:
    """Whether a five-digit CPT code falls in one of the inclusive `ranges`."""
    return code.isdigit() and any(low <= code <= high for low, high in ranges)
