"""What the scrubber's edits take and give: a finding, a claim's findings, and the context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rcm.practice.payer_rules import PayerRuleSpec

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class ScrubEdit:
    """One finding: a stable id, how serious, a sentence a biller understands, and where."""

    edit: str
    severity: str  # "error" holds the claim; a "warning" can be overridden with a reason
    message: str
    target: str = ""


@dataclass(frozen=True)
class ScrubResult:
    """Every finding on a claim; `held` while any error remains."""

    edits: list[ScrubEdit]

    @property
    def held(self) -> bool:
        return any(edit.severity == ERROR for edit in self.edits)

    @property
    def counts(self) -> str:
        """'2 errors, 1 warning' for the timeline."""
        errors = sum(edit.severity == ERROR for edit in self.edits)
        warnings = len(self.edits) - errors
        return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class ScrubContext:
    """What the wire does not carry: today, and facts a database knows (None/empty: unknown)."""

    today: date
    stated_total: Decimal | None = None  # CLM02 as sent, or the claim row's total
    coverage_start: date | None = None
    coverage_end: date | None = None
    timely_filing_days: int | None = None
    prior_auth_codes: frozenset[str] = frozenset()
    payer_rules: tuple[PayerRuleSpec, ...] = ()
    duplicates: tuple[str, ...] = ()  # control numbers of other claims for the same service
    attachments: tuple[str, ...] = ()  # PWK report types on the claim
    line_authorizations: tuple[str, ...] = ()
    line_rendering_npis: tuple[tuple[int, str], ...] = ()
    diagnosis_code_system: str = "ICD10"
    defects: tuple[str, ...] = ()  # what a file left out that the guide requires


def line_label(number: int) -> str:
    return f"line {number}"


def finding(edit: str, severity: str, message: str, target: str = "") -> ScrubEdit:
    return ScrubEdit(edit=edit, severity=severity, message=message, target=target)


def in_ranges(code: str, ranges: tuple[tuple[str, str], ...]) -> bool:
    return any(len(low) == len(code) and low <= code <= high for low, high in ranges)
