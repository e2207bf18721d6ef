"""Delimited code tables: a header row naming the columns, then one code a row, lines counted."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from coding.codesets.records import CodeSetFileError

DELIMITERS = ("\t", "|", ",")


def read_text(path: Path) -> str:
    """The file's text (UTF-8, or Windows-1252 as CMS files often are), or a clear error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise CodeSetFileError(f"{path}: no such file.") from error
    except OSError as error:
        raise CodeSetFileError(f"{path}: cannot be read ({error.strerror}).") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def column_name(header: str) -> str:
    """'Long Description' -> 'long_description': how a header cell is matched to a column."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def read_table(
    path: Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
    text: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row by column name) for each non-blank row after the header.

    The delimiter is a tab, a bar or a comma, whichever the header line uses. Columns outside
    `required` and `optional` are ignored; a missing required column or a row with the wrong
    number of fields is a CodeSetFileError naming the line.
    """
    text = read_text(path) if text is None else text
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in DELIMITERS if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise CodeSetFileError(f"{path.name}: line 1: empty file, expected a header row.")
        columns = _columns(path=path, header=header, required=required, aliases=aliases or {})
        wanted = {*required, *optional}
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise CodeSetFileError(
                    f"{path.name}: line {reader.line_num}: expected {len(header)} fields, "
                    f"found {len(row)}."
                )
            yield (
                reader.line_num,
                {name: row[index].strip() for index, name in enumerate(columns) if name in wanted},
            )
    except csv.Error as error:
        raise CodeSetFileError(f"{path.name}: line {reader.line_num}: {error}.") from error


def _columns(
    *, path: Path, header: list[str], required: Sequence[str], aliases: Mapping[str, str]
) -> list[str]:
    columns = [aliases.get(column_name(cell), column_name(cell)) for cell in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise CodeSetFileError(
            f"{path.name}: line 1: expected columns {', '.join(required)}; "
            f"missing {', '.join(missing)} (found {', '.join(cell.strip() for cell in header)})."
        )
    return columns
