"""The code sets the application ships: ICD-10-CM from its package, the rest from coding/data."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from coding.codesets import icd10cm
from coding.codesets.records import (
    CodeRecord,
    CodeSetFileError,
    ReleaseSpec,
    compact_code,
    is_code_of,
    shorten,
)
from coding.codesets.tables import read_table
from coding.models import CodeSystem

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST = DATA_DIR / "codesets.toml"


@dataclass(frozen=True)
class CodeSetSource:
    """A release that can be loaded: what it is, and how to read its codes when needed."""

    spec: ReleaseSpec
    read: Callable[[], list[CodeRecord]]


def shipped_sources(*, systems: Collection[str] | None = None) -> list[CodeSetSource]:
    """Every shipped release, ICD-10-CM first, optionally only those of `systems`."""
    sources = []
    if not systems or CodeSystem.ICD10CM in systems:
        sources += [icd10cm_source(files=files) for files in icd10cm.packaged_files()]
    sources += manifest_sources(MANIFEST)
    return [source for source in sources if not systems or source.spec.system in systems]


def icd10cm_source(
    *,
    files: icd10cm.Icd10cmFiles,
    effective_date: date | None = None,
    version: str | None = None,
) -> CodeSetSource:
    """An ICD-10-CM release from a tabular XML and its code list."""
    spec = icd10cm.release_spec(files=files, effective_date=effective_date, version=version)
    return CodeSetSource(spec=spec, read=partial(icd10cm.records, files=files))


def manifest_sources(manifest: Path) -> list[CodeSetSource]:
    """The releases a manifest lists: system, version, effective_date, file and source each."""
    try:
        entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("release", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CodeSetFileError(f"{manifest.name}: {error}") from error
    sources = []
    for number, entry in enumerate(entries, start=1):
        missing = {"system", "version", "effective_date", "file", "source"} - set(entry)
        if missing or entry["system"] not in CodeSystem.values:
            raise CodeSetFileError(
                f"{manifest.name}: release #{number}: needs a known system and "
                f"{', '.join(sorted(missing)) or 'nothing else'}."
            )
        spec = ReleaseSpec(
            system=entry["system"],
            version=entry["version"],
            effective_date=entry["effective_date"],
            source=entry["source"],
        )
        path = manifest.parent / entry["file"]
        sources.append(CodeSetSource(spec=spec, read=partial(table_records, path, spec.system)))
    return sources


def table_records(path: Path, system: str) -> list[CodeRecord]:
    """A shipped table: columns code, description and optionally short_description."""
    found = []
    rows = read_table(path, required=("code", "description"), optional=("short_description",))
    for line_number, row in rows:
        if not is_code_of(system, compact_code(row["code"])) or not row["description"]:
            raise CodeSetFileError(
                f"{path.name}: line {line_number}: {row['code']!r} is not a {system} code "
                "with a description."
            )
        found.append(
            CodeRecord(
                code=row["code"],
                description=row["description"],
                short_description=shorten(row.get("short_description") or row["description"]),
            )
        )
    return found
