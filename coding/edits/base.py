"""The edit engine's inputs and outputs: a procedure line as entered, and one edit found."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ERROR = "error"  # blocks "Coding complete"
WARNING = "warning"
INFO = "info"  # reminders


@dataclass(frozen=True)
class LineInput:
    """One procedure line: CPT/HCPCS code, modifiers, units and diagnosis pointers (1-based)."""

    code: str
    modifiers: tuple[str, ...] = ()
    units: Decimal = Decimal(1)
    pointers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Edit:
    """One finding: how serious, which rule, a sentence for the coder, and where it points."""

    severity: str
    rule: str
    message: str
    target: str = ""


def dx_target(position: int) -> str:
    """The target of an edit about the diagnosis at `position` (1-based)."""
    return f"dx:{position}"


def line_target(position: int) -> str:
    """The target of an edit about the procedure line at `position` (1-based)."""
    return f"line:{position}"
