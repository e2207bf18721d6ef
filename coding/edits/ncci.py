"""NCCI edits: procedure-to-procedure pairs with their modifier indicator, and MUE unit limits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from coding.edits.base import ERROR, WARNING, Edit, LineInput, line_target
from coding.edits.rules import NCCI_MODIFIERS
from coding.models import MedicallyUnlikelyEdit, NcciPtpEdit

MUE_EXPLANATIONS = {
    "2": "a CMS policy limit per day; units above it are denied",
    "3": "a clinical limit per day; units above it are denied unless the record supports them "
    "on appeal",
}


def ptp_edits(lines: Sequence[LineInput], pairs: dict[tuple[str, str], NcciPtpEdit]) -> list[Edit]:
    """Column 2 lines billed with their column 1 code, unless indicator 1 and a modifier says
    the services were distinct."""
    edits = []
    for second_position, second in enumerate(lines, start=1):
        for first_position, first in enumerate(lines, start=1):
            pair = pairs.get((first.code, second.code))
            if pair is None or first_position == second_position:
                continue
            if pair.modifier_indicator == "1" and (
                NCCI_MODIFIERS & {*first.modifiers, *second.modifiers}
            ):
                continue
            edits.append(_ptp_edit(pair, first.code, first_position, second.code, second_position))
    return edits


def _ptp_edit(pair: NcciPtpEdit, first: str, first_at: int, second: str, second_at: int) -> Edit:
    said = f"NCCI pairs {second} (line {second_at}) with {first} (line {first_at})"
    if pair.modifier_indicator == "0":
        message = (
            f"{said} and never pays them together, even with a modifier: remove {second} "
            f"or {first}."
        )
    else:
        message = (
            f"{said}: append 59 or an X modifier (XE, XS, XP, XU) to {second} if the services "
            "were distinct, otherwise remove it."
        )
    return Edit(ERROR, "ncci-ptp", message, line_target(second_at))


def mue_edits(lines: Sequence[LineInput], limits: dict[str, MedicallyUnlikelyEdit]) -> list[Edit]:
    """Units above the MUE: per line (indicator 1), or per day across lines (indicators 2, 3)."""
    edits = []
    positions: dict[str, list[int]] = defaultdict(list)
    for position, line in enumerate(lines, start=1):
        positions[line.code].append(position)
    for code, at in positions.items():
        limit = limits.get(code)
        if limit is None:
            continue
        if limit.adjudication_indicator == "1":
            edits += [
                Edit(ERROR, "mue-units", (
                    f"Line {position} bills {_units(lines[position - 1].units)} units of {code}; "
                    f"the most a line may carry is {limit.max_units} (MUE): correct the units, or "
                    "split them with modifiers (e.g. RT/LT, 59) if they were distinct."
                ), line_target(position))
                for position in at if lines[position - 1].units > limit.max_units
            ]  # fmt: skip
            continue
        total = sum((lines[position - 1].units for position in at), Decimal(0))
        if total > limit.max_units:
            explanation = MUE_EXPLANATIONS.get(limit.adjudication_indicator, "a daily limit")
            edits.append(Edit(WARNING, "mue-units", (
                f"{_units(total)} units of {code} on one day exceed its MUE of "
                f"{limit.max_units} ({explanation}): check the units."
            ), line_target(at[0])))  # fmt: skip
    return edits


def _units(units: Decimal) -> str:
    return f"{units.normalize():f}"
