"""Sandbox payer data: bundled code pairs, bypass modifiers, default prices and status codes."""

from __future__ import annotations

from decimal import Decimal

# Column 1 / column 2 pairs modelled on well-known NCCI procedure-to-procedure edits. The
# column-2 code is denied (CO-97) when billed on the same claim and date as its column-1 code,
# unless the column-2 line carries a bypass modifier. Simplification: every pair is treated as
# modifier indicator 1 (bypassable); the real CMS quarterly file marks some pairs 0.
BUNDLED_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {
        ("93000", "93005"),  # ECG complete / tracing only
        ("93000", "93010"),  # ECG complete / interpretation only
        ("85025", "85027"),  # CBC with automated differential / CBC without
        ("80053", "80048"),  # comprehensive / basic metabolic panel
        ("80061", "82465"),  # lipid panel / total cholesterol
        ("11721", "11720"),  # nail debridement 6 or more / 1 to 5
    }
)
BYPASS_MODIFIERS = frozenset({"59", "XE", "XS", "XP", "XU"})

# Without a fee schedule entry the sandbox allows this share of the charge.
DEFAULT_ALLOWED_PERCENT = Decimal("80")
DEFAULT_TIMELY_FILING_DAYS = 365

# Claim adjustment reason codes (CARC) the sandbox uses.
CARC_DEDUCTIBLE = "1"
CARC_COINSURANCE = "2"
CARC_COPAY = "3"
CARC_DUPLICATE = "18"
CARC_COVERAGE_INACTIVE = "27"
CARC_TIMELY_FILING = "29"
CARC_CONTRACTUAL = "45"
CARC_BUNDLED = "97"
CARC_NO_PRIOR_AUTH = "197"

# Claim status (category, code) pairs: 277CA and 277.
ACCEPTED = ("A2", "20")  # acknowledgement / accepted for processing
SUBSCRIBER_NOT_FOUND = ("A3", "33")  # returned as unprocessable / subscriber and id not found
ORIGINAL_NOT_FOUND = ("A3", "35")  # a void or replacement names an unknown payer claim number
PENDING = ("P1", "20")  # in process: accepted, remittance not yet issued
PAID = ("F1", "65")  # finalized / payment: claim has been paid
DENIED = ("F2", "1")  # finalized / denial: see the remittance advice
REVERSED = ("F4", "1")  # finalized / no payment forthcoming (voided): see the remittance
NOT_FOUND = ("A4", "35")  # not found: claim/encounter not found


def is_evaluation_and_management(code: str) -> bool:
    """Office and other E/M visits (99202-99499): the line a copay applies to."""
    return len(code) == 5 and code.isdigit() and 99202 <= int(code) <= 99499
