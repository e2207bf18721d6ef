"""The rules that read the category table: key parsing and `denial_category`, in documented order.

Order (docs/DENIAL-CATEGORIES.md, "Rules"):
1. A patient-share CARC (deductible, coinsurance, co-payment ...) is patient responsibility under
   group PR, OA or CR, and contractual under CO or PI (the payer says the patient owes nothing).
2. A contractual CARC under group PR is patient responsibility (the payer assigned the patient
   the amount above the allowance, as out of network).
3. A CARC that only says "a remark code says what" (16, 125, A1, 96, 129) takes the category of
   its first RARC that has one.
4. Otherwise the CARC's own category; a well-formed CARC not in the table is `other`.
The next step is the deciding RARC's, else the first RARC's that agrees with the category, else
the CARC's own, else the category's; the group then adds who may be billed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from coding.codesets.shipped import DATA_DIR
from denials.categories.table import (
    CARC_CATEGORY,
    CARC_CORE_SCENARIO,
    CARC_NEXT_STEP,
    CARCS_DEFERRING_TO_RARC,
    CATEGORIES,
    CORE_DOCUMENTATION_RARCS,
    CORE_SCENARIOS,
    PATIENT_SHARE_CARCS,
    RARC_CATEGORY,
    RARC_NEXT_STEP,
    RARC_WHAT,
)

ADJUSTMENT_GROUPS = ("CO", "CR", "OA", "PI", "PR")
KEY_MAX_LENGTH = 100
MAX_RARCS = 10
CARC = re.compile(r"[A-Z]?[0-9]{1,3}", re.ASCII)
RARC = re.compile(r"(?:MA|M|N)[0-9]{1,3}", re.ASCII)
# CO-197, CO197, CO 197; the remark codes follow, each after a colon.
KEY = re.compile(r"(?P<group>[A-Z]{2})\s*-?\s*(?P<carc>[A-Z0-9]*)(?P<rarcs>(?:\s*:\s*[A-Z0-9]*)*)")
DENIAL_CATEGORIES = frozenset(CATEGORIES) - {"contractual", "patient_responsibility", "other"}


class BadAdjustmentKey(ValueError):
    """A key that is not GROUP-CARC[:RARC ...]; the message says what is wrong, in words."""


@dataclass(frozen=True)
class AdjustmentKey:
    group: str
    carc: str
    rarcs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    next_step: str
    core_scenario: int | None = None

    @property
    def core_scenario_name(self) -> str:
        return CORE_SCENARIOS.get(self.core_scenario or 0, "")

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "category": self.id,
            "label": self.label,
            "next_step": self.next_step,
            "core_scenario": self.core_scenario,
        }


def adjustment_key_parse(text: str) -> AdjustmentKey:
    """`CO-16:N290` -> AdjustmentKey("CO", "16", ("N290",)); refuses anything else in words."""
    if len(text) > KEY_MAX_LENGTH:
        raise BadAdjustmentKey(
            f"the key is {len(text):,} characters long; a key is at most "
            f"{KEY_MAX_LENGTH}, like CO-16:N290"
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise BadAdjustmentKey("the key has a control character (such as NUL) in it")
    if not text.isascii():
        raise BadAdjustmentKey(
            "the key has characters that are not plain ASCII; write codes with the letters A-Z "
            "and the digits 0-9, like CO-197"
        )
    key = text.strip().upper()
    if not key:
        raise BadAdjustmentKey("the key is empty; write it as group and reason, like CO-197")
    if CARC.fullmatch(key):
        raise BadAdjustmentKey(
            f"'{key}' has no group code; start with one of {', '.join(ADJUSTMENT_GROUPS)}, "
            f"like CO-{key}"
        )
    match = KEY.fullmatch(key)
    if match is None:
        raise BadAdjustmentKey(
            f"'{key}' is not an adjustment key; write the group, the reason code and any remark "
            "codes, like CO-197 or CO-16:N290"
        )
    group, carc = match["group"], match["carc"]
    if group not in ADJUSTMENT_GROUPS:
        raise BadAdjustmentKey(
            f"'{group}' is not an adjustment group code; it is one of "
            f"{', '.join(ADJUSTMENT_GROUPS)}"
        )
    if not carc:
        raise BadAdjustmentKey(f"there is no reason code after {group}; write it like {group}-197")
    if not CARC.fullmatch(carc):
        raise BadAdjustmentKey(
            f"'{carc}' is not a claim adjustment reason code (up to three digits, with an "
            "optional letter first, like 197 or B7)"
        )
    rarcs = tuple(part.strip() for part in match["rarcs"].split(":")[1:])
    for rarc in rarcs:
        if not RARC.fullmatch(rarc):
            shown = f"'{rarc}'" if rarc else "an empty remark code"
            raise BadAdjustmentKey(
                f"{shown} is not a remark code (M, MA or N and up to three digits, like N290)"
            )
    if len(rarcs) > MAX_RARCS:
        raise BadAdjustmentKey(f"the key has {len(rarcs)} remark codes; at most {MAX_RARCS}")
    return AdjustmentKey(group=group, carc=carc, rarcs=tuple(dict.fromkeys(rarcs)))


def denial_category(group: str, carc: str, rarc: str | Sequence[str] | None = None) -> Category:
    """The root-cause category of one adjustment, with what to do about it."""
    group, carc = group.strip().upper(), carc.strip().upper()
    rarcs = (rarc,) if isinstance(rarc, str) else tuple(rarc or ())
    rarcs = tuple(code.strip().upper() for code in rarcs if code and code.strip())
    category, deciding_rarc = _category_of(group=group, carc=carc, rarcs=rarcs)
    label = CATEGORIES[category][0]
    step = _next_step(category=category, carc=carc, rarcs=rarcs, deciding_rarc=deciding_rarc)
    return Category(
        id=category,
        label=label,
        next_step=_with_group(step, group=group, category=category),
        core_scenario=_core_scenario(category=category, carc=carc, deciding_rarc=deciding_rarc),
    )


def _category_of(*, group: str, carc: str, rarcs: tuple[str, ...]) -> tuple[str, str]:
    if carc in PATIENT_SHARE_CARCS:
        return ("contractual" if group in ("CO", "PI") else "patient_responsibility"), ""
    if group == "PR" and CARC_CATEGORY.get(carc) == "contractual":
        return "patient_responsibility", ""
    if carc in CARCS_DEFERRING_TO_RARC:
        for code in rarcs:
            if code in RARC_CATEGORY:
                return RARC_CATEGORY[code], code
    return CARC_CATEGORY.get(carc, "other"), ""


def _next_step(*, category: str, carc: str, rarcs: tuple[str, ...], deciding_rarc: str) -> str:
    if carc not in CARC_CATEGORY:
        return (
            f"CARC {carc} is not in the code list loaded here: look it up in the current X12 "
            "list and read the payer's remarks."
        )
    agreeing = [
        code for code in rarcs if RARC_CATEGORY.get(code, category) == category and _rarc_step(code)
    ]
    if deciding_rarc and _rarc_step(deciding_rarc):
        agreeing = [deciding_rarc, *(code for code in agreeing if code != deciding_rarc)]
    if agreeing:
        return " ".join(_rarc_step(code) for code in agreeing[:3])
    if category == "contractual" and carc in PATIENT_SHARE_CARCS:
        return (
            "The payer put a patient-share reason under a provider group (CO/PI): the patient may "
            "not be billed for it; post it as a contractual adjustment, or ask the payer to "
            "correct the group to PR."
        )
    if CARC_CATEGORY[carc] == category and carc in CARC_NEXT_STEP:
        return CARC_NEXT_STEP[carc]
    return CATEGORIES[category][1]


def _rarc_step(rarc: str) -> str:
    if rarc in RARC_NEXT_STEP:
        return RARC_NEXT_STEP[rarc]
    description = rarc_descriptions().get(rarc, "")
    for opening in (
        "Missing/incomplete/invalid/",
        "Missing/incomplete/invalid ",
        "Missing ",
        "Incomplete/invalid ",
    ):
        if description.startswith(opening):
            what = RARC_WHAT.get(rarc) or description[len(opening) :].rstrip(".")
            if rarc in CORE_DOCUMENTATION_RARCS:
                return (
                    f"Send the {what} the payer needs (PWK/275 attachment, or fax or upload with "
                    "the claim number)."
                )
            return f"Missing or invalid {what}: add or correct it and resubmit."
    return ""


def _with_group(step: str, *, group: str, category: str) -> str:
    if group == "CR":
        return f"A correction or reversal of an earlier adjudication. {step}"
    if category not in DENIAL_CATEGORIES:
        return step
    if group == "PR":
        return (
            f"{step} The payer put this on the patient (group PR): bill the patient if it stands."
        )
    if group == "CO" and category in ("non_covered", "medical_necessity") and "ABN" not in step:
        return (
            f"{step} Group CO: the patient may be billed only with a signed advance notice (ABN)."
        )
    return step


def _core_scenario(*, category: str, carc: str, deciding_rarc: str) -> int | None:
    if category in ("contractual", "patient_responsibility"):
        return None
    if deciding_rarc:
        if deciding_rarc in CORE_DOCUMENTATION_RARCS:
            return 1
        if category in ("missing_information", "coding"):
            return 2
        if category == "non_covered":
            return 3
    return CARC_CORE_SCENARIO.get(carc)


@cache
def rarc_descriptions() -> dict[str, str]:
    """The shipped RARC list (the one load_codesets loads), code -> description."""
    with (DATA_DIR / "remittance_advice_remark_codes.csv").open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["description"] for row in csv.DictReader(f)}
