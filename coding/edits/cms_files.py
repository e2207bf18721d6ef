"""Readers for CMS's quarterly NCCI practitioner files: PTP pairs and MUE limits."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from coding.models import MedicallyUnlikelyEdit, NcciPtpEdit

_CODE = re.compile(r"[0-9A-Z]{5}")
PTP_FIELDS = 7
MUE_FIELDS = 4
RATIONALE_LENGTH = 200


class NcciFileError(ValueError):
    """A CMS file that cannot be read as given; the message names the file and line."""


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _records(path: Path, is_header: re.Pattern[str]) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header (CMS puts a copyright notice above it), with line numbers."""
    text = _text(path)
    delimiter = "\t" if "\t" in text[:20000] else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_seen = False
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not header_seen:
            header_seen = bool(cells) and is_header.match(" ".join(cells[0].split())) is not None
            continue
        if any(cells):
            yield reader.line_num, cells
    if not header_seen:
        raise NcciFileError(f"{path.name}: no header row found; is this the right CMS file?")


def _day(value: str, where: str, what: str) -> date:
    try:
        return datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 - a calendar date
    except ValueError as error:
        raise NcciFileError(f"{where}: {what} '{value}' is not a date (YYYYMMDD).") from error


def _code(value: str, where: str, what: str) -> str:
    if not _CODE.fullmatch(value.upper()):
        raise NcciFileError(f"{where}: {what} '{value}' is not a CPT/HCPCS code.")
    return value.upper()


def ptp_rows(path: Path, *, source: str) -> list[NcciPtpEdit]:
    """Every pair in a practitioner PTP file (tab or comma text, as CMS publishes it)."""
    rows, seen = [], set()
    for line, cells in _records(path, re.compile(r"(?i)column\s*1\b")):
        where = f"{path.name}, line {line}"
        if len(cells) < PTP_FIELDS - 1 or any(cells[PTP_FIELDS:]):
            raise NcciFileError(f"{where}: expected {PTP_FIELDS} fields, found {len(cells)}.")
        cells += [""] * (PTP_FIELDS - len(cells))
        column1 = _code(cells[0], where, "column 1")
        column2 = _code(cells[1], where, "column 2")
        if cells[2] not in ("", "*"):
            raise NcciFileError(f"{where}: the pre-1996 flag must be '*' or empty.")
        effective = _day(cells[3], where, "effective date")
        deleted = None if cells[4] in ("", "*") else _day(cells[4], where, "deletion date")
        if cells[5] not in ("0", "1", "9"):
            raise NcciFileError(f"{where}: modifier indicator '{cells[5]}' is not 0, 1 or 9.")
        if (key := (column1, column2, effective)) in seen:
            raise NcciFileError(f"{where}: {column1}/{column2} from {effective} is repeated.")
        seen.add(key)
        rows.append(NcciPtpEdit(
            column1=column1, column2=column2, modifier_indicator=cells[5],
            effective_date=effective, deletion_date=deleted,
            rationale=cells[6][:RATIONALE_LENGTH], source=source,
        ))  # fmt: skip
    return rows


def mue_rows(path: Path, *, effective_date: date, source: str) -> list[MedicallyUnlikelyEdit]:
    """Every limit in a practitioner MUE file (CSV or tab text, as CMS publishes it)."""
    rows, seen = [], set()
    for line, cells in _records(path, re.compile(r"(?i)hcpcs\s*/\s*cpt")):
        where = f"{path.name}, line {line}"
        if len(cells) < MUE_FIELDS - 1 or any(cells[MUE_FIELDS:]):
            raise NcciFileError(f"{where}: expected {MUE_FIELDS} fields, found {len(cells)}.")
        cells += [""] * (MUE_FIELDS - len(cells))
        code = _code(cells[0], where, "code")
        if not cells[1].isdigit():
            raise NcciFileError(f"{where}: MUE value '{cells[1]}' is not a whole number.")
        indicator = cells[2][:1]
        if indicator not in ("1", "2", "3"):
            raise NcciFileError(f"{where}: adjudication indicator '{cells[2]}' is not 1, 2 or 3.")
        if code in seen:
            raise NcciFileError(f"{where}: {code} is repeated.")
        seen.add(code)
        rows.append(MedicallyUnlikelyEdit(
            code=code, max_units=int(cells[1]), adjudication_indicator=indicator,
            rationale=cells[3][:RATIONALE_LENGTH], effective_date=effective_date, source=source,
        ))  # fmt: skip
    return rows


def effective_date_in_name(path: Path) -> date | None:
    """The date in a CMS MUE file name such as 'MCR_MUE_PractitionerServices_Eff_04-01-2026'."""
    match = re.search(r"Eff_(\d{2})-(\d{2})-(\d{4})", path.name, re.IGNORECASE)
    if match is None:
        return None
    month, day, year = (int(part) for part in match.groups())
    return date(year, month, day)
