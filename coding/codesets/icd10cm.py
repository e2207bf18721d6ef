"""ICD-10-CM from the CDC tabular XML and its code list, as shipped by simple-icd-10-cm."""

from __future__ import annotations

import calendar
import importlib.metadata
import importlib.util
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coding.codesets.records import CodeRecord, CodeSetFileError, ReleaseSpec, compact_code, shorten
from coding.models import CodeSystem

PACKAGE = "simple_icd_10_cm"

# Tabular elements whose <note> children become Code.notes lists, by the key they are kept under.
NOTE_KEYS = {
    "includes": "includes",
    "inclusionTerm": "inclusion_terms",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "notes",
    "sevenChrNote": "seventh_character_note",
}

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
# "icd10c-tabular-April-1-2026.xml", "code-list-April-2026.txt"
_MONTH_DAY_YEAR = re.compile(r"(?P<month>[A-Za-z]+)[-_](?:(?P<day>\d{1,2})[-_])?(?P<year>\d{4})")
# "icd10cm-tabular-2027.xml": the October release opening fiscal year 2027
_FISCAL_YEAR_ONLY = re.compile(r"[-_](?P<year>20\d\d)\.\w+$")


@dataclass(frozen=True)
class Icd10cmFiles:
    """One ICD-10-CM release: the tabular XML and the list of every valid code."""

    tabular: Path
    code_list: Path


def effective_date_from_name(name: str) -> date | None:
    """The date a release takes effect, read from a file name such as the CDC's; None if absent."""
    for match in _MONTH_DAY_YEAR.finditer(name):
        month = _MONTHS.get(match["month"].lower())
        if month:
            return date(int(match["year"]), month, int(match["day"] or 1))
    fiscal = _FISCAL_YEAR_ONLY.search(name)
    if fiscal:
        return date(int(fiscal["year"]) - 1, 10, 1)
    return None


def version_for(effective_date: date) -> str:
    """'FY2026' for the October release opening a fiscal year, 'FY2026-April' for an update."""
    fiscal_year = effective_date.year + 1 if effective_date.month >= 10 else effective_date.year
    if effective_date.month == 10:
        return f"FY{fiscal_year}"
    return f"FY{fiscal_year}-{calendar.month_name[effective_date.month]}"


def packaged_files() -> list[Icd10cmFiles]:
    """The releases inside the installed simple-icd-10-cm package (found without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise CodeSetFileError(f"The {PACKAGE} package is not installed.")
    data_dir = Path(next(iter(spec.submodule_search_locations))) / "data"
    releases = []
    for tabular in sorted(data_dir.glob("icd10c*-tabular-*.xml")):
        when = effective_date_from_name(tabular.name)
        matching = [
            code_list
            for code_list in sorted(data_dir.glob("code-list-*.txt"))
            if when and _same_month(effective_date_from_name(code_list.name), when)
        ]
        if not matching:
            raise CodeSetFileError(f"{tabular.name}: no code list of the same release beside it.")
        releases.append(Icd10cmFiles(tabular=tabular, code_list=matching[0]))
    return releases


def _same_month(one: date | None, other: date) -> bool:
    return one is not None and (one.year, one.month) == (other.year, other.month)


def release_spec(
    *, files: Icd10cmFiles, effective_date: date | None = None, version: str | None = None
) -> ReleaseSpec:
    """The release the files make; unless given, date and version come from the file name."""
    when = effective_date or effective_date_from_name(files.tabular.name)
    if when is None:
        raise CodeSetFileError(
            f"{files.tabular.name}: cannot tell the effective date from the name; give it."
        )
    try:
        package = f" (simple-icd-10-cm {importlib.metadata.version(PACKAGE)})"
    except importlib.metadata.PackageNotFoundError:
        package = ""
    return ReleaseSpec(
        system=CodeSystem.ICD10CM.value,
        version=version or version_for(when),
        effective_date=when,
        source=f"CDC/NCHS ICD-10-CM {files.tabular.name} + {files.code_list.name}{package}",
    )


def read_code_list(path: Path) -> set[str]:
    """Every code in the list, compact; the first word of each line (descriptions may follow)."""
    try:
        with path.open(encoding="utf-8") as lines:
            return {compact_code(line.split()[0]) for line in lines if line.strip()}
    except (OSError, UnicodeDecodeError) as error:
        raise CodeSetFileError(f"{path.name}: {error}") from error


def parse_tabular(path: Path) -> ET.Element:
    """The tabular's root element, or a CodeSetFileError naming the line at fault."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - a trusted CDC file, not user input
    except ET.ParseError as error:
        raise CodeSetFileError(f"{path.name}: line {error.position[0]}: {error}") from error
    except OSError as error:
        raise CodeSetFileError(f"{path.name}: {error}") from error
    if root.tag != "ICD10CM.tabular":
        raise CodeSetFileError(f"{path.name}: not an ICD-10-CM tabular (root is <{root.tag}>).")
    return root


def records(*, files: Icd10cmFiles) -> list[CodeRecord]:
    """Every category, subcategory and full code of the release, with its tabular notes."""
    listed = read_code_list(files.code_list)
    root = parse_tabular(files.tabular)
    walker = _TabularWalker(listed=listed)
    for chapter in root.iter("chapter"):
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                walker.walk(diag, parent="", seventh=None)
    _check_every_listed_code_found(files=files, root=root, listed=listed, walker=walker)
    return walker.records


def _check_every_listed_code_found(
    *, files: Icd10cmFiles, root: ET.Element, listed: set[str], walker: _TabularWalker
) -> None:
    headings = {section.get("id", "") for section in root.iter("section")}
    headings |= {chapter.findtext("name", "") for chapter in root.iter("chapter")}
    missing = listed - {record.compact for record in walker.records} - headings
    if missing:
        example = ", ".join(sorted(missing)[:5])
        raise CodeSetFileError(
            f"{files.code_list.name}: {len(missing)} codes are not in {files.tabular.name} "
            f"(e.g. {example})."
        )


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _notes_of(diag: ET.Element) -> dict[str, Any]:
    notes: dict[str, Any] = {}
    for child in diag:
        key = NOTE_KEYS.get(child.tag)
        if key:
            texts = [_clean(note.text) for note in child.findall("note") if _clean(note.text)]
            if texts:
                notes.setdefault(key, []).extend(texts)
        elif child.tag == "sevenChrDef":
            notes["seventh_characters"] = _seventh_characters(child)
    return notes


def _seventh_characters(definition: ET.Element) -> dict[str, str]:
    """7th character -> meaning; a <note> after an <extension> is added to that meaning."""
    meanings: dict[str, str] = {}
    last = None
    for item in definition:
        if item.tag == "extension":
            last = item.get("char", "")
            meanings[last] = _clean(item.text)
        elif item.tag == "note" and last is not None and _clean(item.text):
            meanings[last] = f"{meanings[last]}; {_clean(item.text)}"
    return meanings


def _seventh_meanings(definition: ET.Element) -> dict[str, str]:
    """7th character -> the words added to a full code's description (the extension alone)."""
    return {
        item.get("char", ""): _clean(item.text)
        for item in definition.findall("extension")
        if item.get("char")
    }


class _TabularWalker:
    """Walks the <diag> tree, turning each into a record and adding the 7th-character codes."""

    def __init__(self, *, listed: set[str]) -> None:
        self.listed = listed
        self.records: list[CodeRecord] = []

    def walk(self, diag: ET.Element, *, parent: str, seventh: dict[str, str] | None) -> None:
        name = _clean(diag.findtext("name"))
        description = _clean(diag.findtext("desc"))
        definition = diag.find("sevenChrDef")
        if definition is not None:
            seventh = _seventh_meanings(definition)
        children = diag.findall("diag")
        self.records.append(
            CodeRecord(
                code=name,
                description=description,
                short_description=shorten(description),
                billable=not children and not seventh,
                parent=parent,
                notes=_notes_of(diag),
            )
        )
        for child in children:
            self.walk(child, parent=name, seventh=seventh)
        if not children and seventh:
            self._add_full_codes(name=name, description=description, seventh=seventh)

    def _add_full_codes(self, *, name: str, description: str, seventh: dict[str, str]) -> None:
        """S52.501 + A -> S52.501A; S02.0 + A -> S02.0XXA (placeholder X), if the list has it."""
        stem = (name if "." in name else f"{name}.").ljust(7, "X")
        for character, meaning in seventh.items():
            full = f"{stem}{character}"
            if compact_code(full) not in self.listed:
                continue
            full_description = f"{description}, {meaning}"
            self.records.append(
                CodeRecord(
                    code=full,
                    description=full_description,
                    short_description=shorten(full_description),
                    billable=True,
                    parent=name,
                )
            )
