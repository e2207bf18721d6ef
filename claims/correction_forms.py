"""Reading the claim edit form (diagnoses, lines, place of service …) into a `ClaimDraft`."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict

from claims.claim_drafts import MAX_DIAGNOSES, MAX_LINES, ClaimDraft, LineDraft
from claims.models import Claim
from coding.codesets.records import compact_code
from rcm.practice.validators import ascii_int

SLOTS = 4  # modifier and pointer boxes a line
MAX_BOX = 20
MAX_TEXT = 200
_AMOUNT = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass
class DraftForm:
    """The form as typed (to show it again), the draft it makes, and what could not be read."""

    rows: list[dict[str, object]] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    draft: ClaimDraft | None = None


def draft_form_of(claim: Claim) -> DraftForm:
    """The form filled from the claim as it is."""
    form = DraftForm(
        diagnoses=[_dotted(code) for code in claim.diagnoses.values_list("code", flat=True)],
        values={
            "place_of_service": claim.place_of_service,
            "prior_authorization": claim.prior_authorization,
            "note": claim.note,
        },
    )
    for line in claim.lines.order_by("position"):
        form.rows.append({
            "id": line.pk, "code": line.procedure_code,
            "modifiers": [*line.modifiers, "", "", "", ""][:SLOTS],
            "units": f"{line.units.normalize():f}",
            "pointers": [*map(str, line.diagnosis_pointers), "", "", "", ""][:SLOTS],
            "charge": f"{line.charge:.2f}", "date": line.service_date.isoformat(),
        })  # fmt: skip
    return form


def _dotted(compact: str) -> str:
    return f"{compact[:3]}.{compact[3:]}" if len(compact) > 3 else compact


def _box(data: QueryDict, name: str, errors: list[str], what: str, limit: int = MAX_BOX) -> str:
    text = data.get(name, "")
    if len(text) > limit:
        errors.append(f"{what} is too long ({len(text):,} characters): check what was pasted.")
        return ""
    if "\x00" in text:
        errors.append(f"{what} contains a NUL character.")
        return ""
    return text.strip()


def _amount(text: str, what: str, errors: list[str]) -> Decimal | None:
    cleaned = text.replace("$", "").replace(",", "")
    if not _AMOUNT.match(cleaned):
        errors.append(f"{what}: '{text[:20]}' is not an amount like 125.00.")
        return None
    return Decimal(cleaned)


def _date(text: str, what: str, errors: list[str]) -> datetime.date | None:
    try:
        if _ISO_DATE.match(text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    errors.append(f"{what}: '{text[:20]}' is not a date (YYYY-MM-DD).")
    return None


def _line(
    data: QueryDict, index: int, errors: list[str]
) -> tuple[dict[str, object], LineDraft | None]:
    prefix = f"line-{index}-"

    def box(name: str) -> str:
        return _box(data, prefix + name, errors, f"Line {index} {name}")

    row: dict[str, object] = {
        "id": box("id"), "code": box("code").upper(),
        "modifiers": [box(f"mod{n}").upper() for n in range(1, SLOTS + 1)],
        "units": box("units") or "1",
        "pointers": [box(f"ptr{n}") for n in range(1, SLOTS + 1)],
        "charge": box("charge"), "date": box("date"),
    }  # fmt: skip
    if data.get(prefix + "remove") or not row["code"]:
        return row, None
    where = f"Line {index} ({row['code']})"
    units = _amount(str(row["units"]), f"{where} units", errors)
    charge = _amount(str(row["charge"]), f"{where} charge", errors)
    service_date = _date(str(row["date"]), f"{where} date", errors)
    pointers = [ascii_int(text) for text in row["pointers"] if text]  # type: ignore[attr-defined]
    if any(pointer is None for pointer in pointers):
        errors.append(f"{where}: a diagnosis pointer is a number from 1 to {MAX_DIAGNOSES}.")
    line_id = ascii_int(str(row["id"])) if row["id"] else None
    if row["id"] and line_id is None:
        errors.append(f"{where}: the form's line is not a line of this claim: reload the page.")
    if units is None or charge is None or service_date is None or None in pointers:
        return row, None
    return row, LineDraft(
        procedure_code=str(row["code"]),
        modifiers=tuple(m for m in row["modifiers"] if m),  # type: ignore[attr-defined]
        units=units, diagnosis_pointers=tuple(p for p in pointers if p is not None),
        charge=charge, service_date=service_date, line_id=line_id,
    )  # fmt: skip


def draft_form_from(data: QueryDict) -> DraftForm:
    """Read the posted form: `dx` repeated in order, `line-N-…` for each line, and the rest.
    `draft` is None when something could not be read (the errors say what)."""
    form = DraftForm()
    errors = form.errors
    typed = data.getlist("dx")[: MAX_DIAGNOSES + 1]
    if len(data.getlist("dx")) > MAX_DIAGNOSES:
        errors.append(f"A claim carries at most {MAX_DIAGNOSES} diagnoses.")
    for text in typed:
        code = text.strip().upper()
        if len(code) > MAX_BOX or "\x00" in code:
            errors.append(f"'{code[:12]}…' is not an ICD-10-CM code.")
        elif code:
            form.diagnoses.append(code)
    for name in ("place_of_service", "prior_authorization", "note"):
        form.values[name] = _box(data, name, errors, name.replace("_", " ").capitalize(), MAX_TEXT)
    count = min(ascii_int(data.get("line-count", "0").strip()) or 0, MAX_LINES + 1)
    lines = []
    for index in range(1, count + 1):
        row, line = _line(data, index, errors)
        form.rows.append(row)
        if line is not None:
            lines.append(line)
    if errors:
        return form
    form.draft = ClaimDraft(
        diagnoses=tuple(compact_code(code) for code in form.diagnoses),
        lines=tuple(lines),
        place_of_service=form.values["place_of_service"],
        prior_authorization=form.values["prior_authorization"],
        note=form.values["note"],
    )
    return form
