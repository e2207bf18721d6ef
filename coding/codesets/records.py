"""The plain records every code-set parser produces and the loader writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

SHORT_DESCRIPTION_LENGTH = 100

# The shape of a code in each system, compact form (as X12 sends it); used to refuse bad rows.
CODE_PATTERNS = {
    "ICD10CM": re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}"),
    "CPT": re.compile(r"[0-9]{4}[0-9FTU]"),
    "HCPCS": re.compile(r"[A-V][0-9]{4}"),
    "MOD": re.compile(r"[A-Z0-9]{2}"),
    "POS": re.compile(r"[0-9]{2}"),
    "CARC": re.compile(r"[A-Z]?[0-9]{1,3}"),
    "RARC": re.compile(r"(M|MA|N)[0-9]{1,3}"),
    "CSC": re.compile(r"[A-Z][0-9]{0,2}[A-Z]?"),
    "CSCC": re.compile(r"[0-9]{1,3}"),
    "CAGC": re.compile(r"[A-Z]{2}"),
}


class CodeSetError(ValueError):
    """A code set that cannot be loaded as asked; the message says why."""


class CodeSetFileError(CodeSetError):
    """A code-set file that cannot be read as given; the message names the file and line."""


def compact_code(code: str) -> str:
    """The code as X12 carries it: upper case, no dot, no spaces (E11.9 -> E119)."""
    return code.replace(".", "").replace(" ", "").strip().upper()


def is_code_of(system: str, code: str) -> bool:
    """Whether `code` (compact) has the shape of a code of `system`."""
    pattern = CODE_PATTERNS.get(system)
    return pattern is not None and pattern.fullmatch(code) is not None


def shorten(text: str, *, limit: int = SHORT_DESCRIPTION_LENGTH) -> str:
    """`text` cut at a word boundary to fit `limit` characters, marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"


@dataclass(frozen=True)
class ReleaseSpec:
    """Which release a set of records is: the system, its version and when it takes effect."""

    system: str
    version: str
    effective_date: date
    source: str


@dataclass(frozen=True)
class CodeRecord:
    """One code of a release, before it is written."""

    code: str
    description: str
    short_description: str = ""
    billable: bool = True
    parent: str = ""
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def compact(self) -> str:
        return compact_code(self.code)
