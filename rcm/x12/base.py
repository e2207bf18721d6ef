"""What all of the X12 library shares: delimiters, code texts, the error that names its place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# ASCII only: `str.isdigit` and `\d` also accept '²' and Arabic-Indic digits, which `int()`
# then refuses (or reads) behind the guide's back.
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Delimiters:
    """The four separators of an interchange; the reader takes them from the ISA segment."""

    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"


DEFAULT_DELIMITERS = Delimiters()


def describe(codes: dict[str, str], code: str) -> str:
    """Plain-English text for a code, or a note that it is not in our list; '' for no code."""
    if not code:
        return ""
    return codes.get(code, f"code {shown(code)} (no description on file)")


_MESSAGE_LIMIT = 400


class X12Error(ValueError):
    """Bad X12, with the segment and its position so a person can find it in the file.

    `segment_index` counts segments from 1 in the file; `line` is the 1-based line of the file
    the segment starts on (files with one segment per line and files on one line both occur).
    """

    def __init__(
        self,
        message: str,
        *,
        segment_id: str | None = None,
        segment_index: int | None = None,
        line: int | None = None,
    ) -> None:
        if len(message) > _MESSAGE_LIMIT:  # a value quoted in full from a hostile file
            message = f"{message[: _MESSAGE_LIMIT // 2]} … {message[-_MESSAGE_LIMIT // 4 :]}"
        self.message = message
        self.segment_id = segment_id
        self.segment_index = segment_index
        self.line = line
        where = []
        if segment_id:
            where.append(f"segment {segment_id}")
        if segment_index is not None:
            where.append(f"#{segment_index}")
        if line is not None:
            where.append(f"line {line}")
        super().__init__(f"{message} ({' '.join(where)})" if where else message)


def shown(value: str, limit: int = 20) -> str:
    """`value` quoted for a message, cut to `limit` characters so a hostile value stays short."""
    return repr(value) if len(value) <= limit else f"{value[:limit]!r}… ({len(value)} characters)"


def is_digits(text: str, max_length: int) -> bool:
    """Only ASCII digits, at least one and at most `max_length` of them."""
    return len(text) <= max_length and _DIGITS.fullmatch(text) is not None


@dataclass(frozen=True)
class Person:
    """A subscriber or dependent patient in a 270 or 276; `member_id` only for the subscriber."""

    last_name: str
    first_name: str
    member_id: str = ""
    birth_date: date | None = None
    gender: str = ""


GENDERS = frozenset({"F", "M", "U"})


def check_provider_npi(npi: str) -> None:
    """NM109 of the provider: an NPI is 10 digits."""
    if len(npi) != 10 or _DIGITS.fullmatch(npi) is None:
        raise X12Error(f"provider NPI {npi!r} is not 10 digits", segment_id="NM1")


def check_genders(people: tuple[Person | None, ...]) -> None:
    """DMG03 of each person given is F, M, U or left out."""
    for person in people:
        if person is not None and person.gender and person.gender not in GENDERS:
            raise X12Error(f"gender {person.gender!r} is not F, M or U", segment_id="DMG")
