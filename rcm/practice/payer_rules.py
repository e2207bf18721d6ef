"""Payer rules as the scrubber reads them, and the parsing of their procedure codes and ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_CODE_ITEMS = 100
_CODE = re.compile(r"^[0-9A-Z][0-9]{3}[0-9A-Z]$")
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class PayerRuleSpec:
    """One active payer rule: for these codes (and place of service), do `action`."""

    rule_id: int
    code_ranges: tuple[tuple[str, str], ...]
    action: str  # modifier | prior_auth | attachment | hold
    severity: str  # error | warning
    modifier: str = ""
    place_of_service: str = ""
    message: str = ""


def code_ranges_parse(text: str) -> tuple[tuple[str, str], ...]:
    """'97110, 97140 97010-97028' -> ((low, high), ...); ValidationError naming the bad item."""
    items = [item for item in _SEPARATORS.split(text.strip().upper()) if item]
    if not items:
        raise ValidationError(
            "Enter at least one procedure code or range, like 97110 or 97010-97799."
        )
    if len(items) > MAX_CODE_ITEMS:
        raise ValidationError(f"Enter at most {MAX_CODE_ITEMS} codes or ranges.")
    ranges = []
    for item in items:
        low, _, high = item.partition("-")
        high = high or low
        if not (_CODE.match(low) and _CODE.match(high)):
            raise ValidationError(
                f"{item[:20]!r} is not a procedure code (5 characters, like 97110 or J1100) or a "
                "range of them (97010-97799)."
            )
        if low > high:
            raise ValidationError(f"The range {item} runs backwards: write {high}-{low}.")
        ranges.append((low, high))
    return tuple(ranges)


def code_ranges_text(ranges: tuple[tuple[str, str], ...]) -> str:
    """The ranges as an administrator types them: '97110, 97010-97799'."""
    return ", ".join(low if low == high else f"{low}-{high}" for low, high in ranges)


def codes_match(ranges: tuple[tuple[str, str], ...], code: str) -> bool:
    """Whether `code` is one of the codes or inside one of the ranges (same length only)."""
    code = code.strip().upper()
    return any(len(low) == len(code) and low <= code <= high for low, high in ranges)
