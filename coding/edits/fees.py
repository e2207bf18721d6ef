"""The fee edit: a line with no charge typed and none on the fee schedule cannot be billed.

It is an edit, not a failure: a draft keeps such a line (with no charge), the edit panel says
what is missing, and the error blocks "Coding complete" until the charge is typed or the
schedule has the fee.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from coding.edits.base import ERROR, Edit, line_target
from patients.coverage.selectors import coverage_primary_on
from patients.models import Encounter
from rcm.practice.selectors import fee_for

CENTS = Decimal("0.01")


class ChargedLine(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def units(self) -> Decimal: ...
    @property
    def charge(self) -> Decimal | None: ...


def line_fee(*, encounter: Encounter, code: str, units: Decimal) -> Decimal | None:
    """The charge the fee schedule gives a line (the unit fee times the units), if any."""
    coverage = coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service)
    fee = fee_for(
        practice=encounter.practice,
        code=code,
        on=encounter.date_of_service,
        payer=coverage.payer if coverage else None,
    )
    return None if fee is None else (fee * units).quantize(CENTS, rounding=ROUND_HALF_UP)


def fee_edits(*, encounter: Encounter, lines: Sequence[ChargedLine]) -> list[Edit]:
    """An error for each line that has no charge and no fee on the schedule."""
    edits = []
    for position, line in enumerate(lines, start=1):
        code = line.code.strip().upper()
        if not code or line.charge is not None:
            continue
        if line_fee(encounter=encounter, code=code, units=line.units) is None:
            message = (
                f"Line {position} ({code}): no fee on the schedule for "
                f"{encounter.date_of_service:%m/%d/%Y}; enter the charge."
            )
            edits.append(Edit(ERROR, "fee-missing", message, line_target(position)))
    return edits
