"""A practice's licensed CPT file: delimited text (comma, tab or bar) with code and description."""

from __future__ import annotations

from pathlib import Path

from coding.codesets.records import CodeRecord, CodeSetFileError, is_code_of, shorten
from coding.codesets.tables import read_table

ALIASES = {
    "cpt": "code",
    "cpt_code": "code",
    "hcpcs": "code",
    "procedure_code": "code",
    "long_description": "description",
    "descriptor": "description",
    "long_descriptor": "description",
    "short_descriptor": "short_description",
}


def records(path: Path) -> list[CodeRecord]:
    """One record per row; a row that is not a CPT code with a description stops the import."""
    found: list[CodeRecord] = []
    seen: dict[str, int] = {}
    rows = read_table(
        path, required=("code", "description"), optional=("short_description",), aliases=ALIASES
    )
    for line_number, row in rows:
        where = f"{path.name}: line {line_number}"
        code = row["code"].upper()
        if not is_code_of("CPT", code):
            raise CodeSetFileError(f"{where}: {row['code']!r} is not a CPT code (5 characters).")
        if not row["description"]:
            raise CodeSetFileError(f"{where}: {code} has no description.")
        if code in seen:
            raise CodeSetFileError(f"{where}: {code} already given on line {seen[code]}.")
        seen[code] = line_number
        found.append(
            CodeRecord(
                code=code,
                description=row["description"],
                short_description=shorten(row.get("short_description") or row["description"]),
            )
        )
    if not found:
        raise CodeSetFileError(f"{path.name}: no codes after the header row.")
    return found
