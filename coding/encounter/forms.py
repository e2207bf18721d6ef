"""Reading the coding form: ordered diagnoses and procedure lines, with what is wrong in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.http import QueryDict

from coding.encounter.services import ProcedureLineInput
from coding.models import ProcedureLine
from rcm.practice.validators import ascii_int

MAX_DIAGNOSES = 12
MAX_LINES = 50
MODIFIER_SLOTS = 4
POINTER_SLOTS = 4
# What a box of the form can hold; longer is a paste gone wrong (or an attack) and is refused
# before any lookup, so the work per request stays bounded.
MAX_DIAGNOSIS_LENGTH = 8  # S72.001A
MAX_BOX_LENGTH = 20


@dataclass
class CodingInput:
    """What the coder typed, as the service wants it, plus the problems found while reading."""

    diagnoses: list[str] = field(default_factory=list)
    lines: list[ProcedureLineInput] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)  # to re-render the form as typed
    errors: list[str] = field(default_factory=list)


# What one line of a practice's claim can charge; more is a typo, and past 10**10 it would not
# fit the database's DecimalField(max_digits=12) at all.
MAX_CHARGE = Decimal("999999.99")


def _decimal(
    text: str, what: str, errors: list[str], maximum: Decimal | None = None
) -> Decimal | None:
    if not text.strip():
        return None
    try:
        value = Decimal(text.strip().replace("$", "").replace(",", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():  # NaN, sNaN, Infinity: Decimal reads them, people never mean them
        errors.append(f"{what}: '{text[:20]}' is not a number.")
        return None
    if value < 0:
        errors.append(f"{what} can't be negative.")
        return None
    if maximum is not None and value > maximum:
        errors.append(f"{what}: charges are at most ${maximum:,}.")
        return None
    return value


def _bounded(text: str, what: str, errors: list[str]) -> str:
    """The box's text, or '' with an error when it is far too long to be what was asked."""
    if len(text) <= MAX_BOX_LENGTH:
        return text
    errors.append(f"{what} is too long ({len(text):,} characters): check what was pasted.")
    return ""


def _pointers(values: list[str], where: str, errors: list[str]) -> tuple[int, ...]:
    pointers = []
    for text in (v.strip() for v in values):
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_DIAGNOSES:
            errors.append(f"{where}: a diagnosis pointer is a number from 1 to {MAX_DIAGNOSES}.")
            continue
        pointers.append(int(text))
    return tuple(pointers)


def _line(
    data: QueryDict, index: int, errors: list[str]
) -> tuple[dict[str, object], ProcedureLineInput | None]:
    prefix = f"line-{index}-"

    def box(name: str, default: str = "") -> str:
        return _bounded(data.get(prefix + name, default), f"Line {index} {name}", errors)

    code = box("code").strip().upper()
    modifiers = [box(f"mod{n}").strip().upper() for n in range(1, 5)]
    pointer_texts = [box(f"ptr{n}") for n in range(1, 5)]
    row: dict[str, object] = {
        "code": code,
        "modifiers": modifiers,
        "units": box("units", "1"),
        "pointers": pointer_texts,
        "charge": box("charge"),
    }
    if not code:
        return row, None
    where = f"Line {index} ({code})"
    units = _decimal(str(row["units"]), f"{where} units", errors) or Decimal(1)
    charge = _decimal(str(row["charge"]), f"{where} charge", errors, MAX_CHARGE)
    pointers = _pointers(pointer_texts, where, errors)
    return row, ProcedureLineInput(
        code=code,
        modifiers=tuple(m for m in modifiers if m),
        units=units,
        diagnosis_pointers=pointers,
        charge=charge,
    )


def coding_input_from(data: QueryDict) -> CodingInput:
    """Read the posted form: `dx` repeated in order, and `line-N-…` fields for each line."""
    result = CodingInput()
    typed = [c.strip().upper() for c in data.getlist("dx") if c.strip()]
    for code in typed:
        if len(code) > MAX_DIAGNOSIS_LENGTH:
            result.errors.append(
                f"'{code[:12]}…' is not an ICD-10-CM code: codes are at most "
                f"{MAX_DIAGNOSIS_LENGTH} characters, e.g. S72.001A."
            )
    result.diagnoses = [code for code in typed if len(code) <= MAX_DIAGNOSIS_LENGTH]
    if len(typed) > MAX_DIAGNOSES:
        result.errors.append(f"A claim carries at most {MAX_DIAGNOSES} diagnoses.")
    count = min(ascii_int(data.get("line-count", "0").strip()) or 0, MAX_LINES)
    for index in range(1, count + 1):
        row, line = _line(data, index, result.errors)
        if line is not None:
            result.rows.append(row)
            result.lines.append(line)
    return result


def coding_input_saved(*, diagnoses: list[str], lines: list[ProcedureLine]) -> CodingInput:
    """The form as the saved coding fills it: four modifier and four pointer boxes a line."""
    result = CodingInput()
    result.diagnoses = diagnoses
    for line in lines:
        result.lines.append(
            ProcedureLineInput(
                code=line.code,
                modifiers=tuple(line.modifiers),
                units=line.units,
                diagnosis_pointers=tuple(line.diagnosis_pointers),
                charge=line.charge,
            )
        )
        result.rows.append(
            {
                "code": line.code,
                "modifiers": [*line.modifiers, "", "", "", ""][:MODIFIER_SLOTS],
                "units": f"{line.units.normalize():f}",
                "pointers": [*map(str, line.diagnosis_pointers), "", "", "", ""][:POINTER_SLOTS],
                "charge": "" if line.charge is None else f"{line.charge:.2f}",
            }
        )
    return result
