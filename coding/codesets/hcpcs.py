"""The CMS HCPCS Level II file: the fixed-width ANWEB text, or its spreadsheet saved as CSV.

Fixed-width record layout (1-based columns, as in CMS's record layout document):
1-5 HCPCS code, 6-10 sequence number, 11 record identification code, 12-91 long description,
92-119 short description; later columns (pricing, coverage, dates …) are not read.
Record ids: 3 = first line of a procedure, 4 = continuation of its long description,
7 / 8 = the same for a modifier (modifiers are skipped: they are their own code system).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coding.codesets.records import CodeRecord, CodeSetFileError, is_code_of, shorten
from coding.codesets.tables import read_table, read_text

FIRST_LINE, CONTINUATION = "3", "4"
MODIFIER_LINES = ("7", "8")
CSV_ALIASES = {"hcpcs": "hcpc", "hcpcs_code": "hcpc", "code": "hcpc", "seq_num": "seqnum",
               "rec_id": "recid", "long_desc": "long_description",
               "short_desc": "short_description"}  # fmt: skip


@dataclass(frozen=True)
class HcpcsLine:
    """One physical record of the file, its long-description piece kept as written."""

    line_number: int
    code: str
    sequence: str
    record_id: str
    long_piece: str
    short_description: str


@dataclass
class _Procedure:
    code: str
    short_description: str
    last_sequence: int
    pieces: list[str] = field(default_factory=list)


def records(path: Path) -> list[CodeRecord]:
    """Every procedure code in a CMS HCPCS file, continuation lines joined into one description."""
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    if "," in first_line and "hcpc" in first_line.lower():
        lines: Iterable[HcpcsLine] = _csv_lines(path, text)
    else:
        lines = _fixed_width_lines(path, text)
    return _assemble(path, lines)


def _fixed_width_lines(path: Path, text: str) -> Iterator[HcpcsLine]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if len(raw) < 12:
            raise CodeSetFileError(
                f"{path.name}: line {number}: record too short ({len(raw)} characters); "
                "expected the CMS fixed-width layout (code, sequence, record id, description)."
            )
        yield HcpcsLine(
            line_number=number,
            code=raw[0:5].strip(),
            sequence=raw[5:10].strip(),
            record_id=raw[10],
            long_piece=raw[11:91],
            short_description=raw[91:119].strip(),
        )


def _csv_lines(path: Path, text: str) -> Iterator[HcpcsLine]:
    rows = read_table(
        path,
        text=text,
        required=("hcpc", "long_description"),
        optional=("seqnum", "recid", "short_description"),
        aliases=CSV_ALIASES,
    )
    for number, row in rows:
        yield HcpcsLine(
            line_number=number,
            code=row["hcpc"],
            sequence=row.get("seqnum") or "100",
            record_id=row.get("recid") or FIRST_LINE,
            long_piece=row["long_description"],
            short_description=row.get("short_description", ""),
        )


def _assemble(path: Path, lines: Iterable[HcpcsLine]) -> list[CodeRecord]:
    procedures: dict[str, _Procedure] = {}
    current: _Procedure | None = None
    for line in lines:
        where = f"{path.name}: line {line.line_number}"
        if line.record_id in MODIFIER_LINES:
            current = None
            continue
        sequence = _sequence(line, where)
        if not is_code_of("HCPCS", line.code.upper()):
            raise CodeSetFileError(f"{where}: {line.code!r} is not a HCPCS Level II code.")
        if line.record_id == FIRST_LINE:
            if line.code.upper() in procedures:
                raise CodeSetFileError(f"{where}: {line.code} appears twice.")
            current = _Procedure(line.code.upper(), line.short_description, sequence)
            current.pieces.append(line.long_piece)
            procedures[current.code] = current
        elif line.record_id == CONTINUATION:
            if current is None or current.code != line.code.upper():
                raise CodeSetFileError(
                    f"{where}: continuation of {line.code} without its first line."
                )
            if sequence <= current.last_sequence:
                raise CodeSetFileError(f"{where}: sequence {line.sequence} is out of order.")
            current.pieces.append(line.long_piece)
            current.last_sequence = sequence
        else:
            raise CodeSetFileError(
                f"{where}: record id {line.record_id!r} is not 3, 4, 7 or 8 (see the CMS layout)."
            )
    return [_record(procedure, path) for procedure in procedures.values()]


def _sequence(line: HcpcsLine, where: str) -> int:
    if not line.sequence.isdigit():
        raise CodeSetFileError(f"{where}: sequence number {line.sequence!r} is not a number.")
    return int(line.sequence)


def _record(procedure: _Procedure, path: Path) -> CodeRecord:
    description = join_pieces(procedure.pieces) or procedure.short_description
    if not description:
        raise CodeSetFileError(f"{path.name}: {procedure.code} has no description.")
    return CodeRecord(
        code=procedure.code,
        description=description,
        short_description=procedure.short_description or shorten(description),
    )


def join_pieces(pieces: list[str]) -> str:
    """The long description from its 80-column pieces; CMS wraps at word boundaries."""
    return " ".join(" ".join(pieces).split())
