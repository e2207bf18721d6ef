"""A claim as a biller edits it: the typed draft, its validation against the code sets, the
changes it makes in words, and writing it onto a claim."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from claims.models import Claim, ClaimDiagnosis, ClaimLine
from coding.codesets.records import compact_code
from coding.codesets.selectors import code_get, release_in_force
from coding.edits.lookups import diagnosis_facts
from coding.models import CodeSystem
from rcm.practice.validators import x12_text_unsafe

MAX_DIAGNOSES = 12  # HI segment
MAX_LINES = 50  # the 837P allows 50 service lines a claim
MAX_MODIFIERS = 4  # SV101-3 … SV101-6
MAX_POINTERS = 4  # SV107-1 … SV107-4
MAX_UNITS = Decimal("99999.99")
# One line of a physician's claim above this is a typo (and near the DecimalField's limit).
MAX_CHARGE = Decimal("999999.99")
CENTS = Decimal("0.01")
# ICD-10-CM took effect on 10/01/2015: no claim we write has a service date before it.
FIRST_SERVICE_DATE = datetime.date(2015, 10, 1)
MAX_AUTHORIZATION = 50
MAX_NOTE = 80

_ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z]{1,5}$")
_CPT = re.compile(r"^[0-9]{4}[0-9FTU]$")
_HCPCS = re.compile(r"^[A-V][0-9]{4}$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
_PLACE_OF_SERVICE = re.compile(r"^[0-9]{2}$")


@dataclass(frozen=True)
class LineDraft:
    """One service line as the biller wants it; `line_id` is the claim line it edits (None: new)."""

    procedure_code: str
    modifiers: tuple[str, ...]
    units: Decimal
    diagnosis_pointers: tuple[int, ...]
    charge: Decimal
    service_date: datetime.date
    line_id: int | None = None


@dataclass(frozen=True)
class ClaimDraft:
    """What a biller may change on a claim: diagnoses (compact, in order), lines, and the rest."""

    diagnoses: tuple[str, ...]
    lines: tuple[LineDraft, ...]
    place_of_service: str
    prior_authorization: str = ""
    note: str = ""
    # Lines' adjudication by an earlier payer (secondary claims), kept for the lines kept.
    carried: dict[int, tuple[Decimal | None, list[dict[str, str]]]] = field(
        default_factory=dict, compare=False
    )


def claim_draft_of(claim: Claim) -> ClaimDraft:
    """The claim as it is now, as a draft: the starting point of an edit or a correction."""
    lines = list(claim.lines.order_by("position"))
    return ClaimDraft(
        diagnoses=tuple(claim.diagnoses.order_by("position").values_list("code", flat=True)),
        lines=tuple(
            LineDraft(
                procedure_code=line.procedure_code,
                modifiers=tuple(line.modifiers),
                units=line.units,
                diagnosis_pointers=tuple(line.diagnosis_pointers),
                charge=line.charge,
                service_date=line.service_date,
                line_id=line.pk,
            )
            for line in lines
        ),
        place_of_service=claim.place_of_service,
        prior_authorization=claim.prior_authorization,
        note=claim.note,
        carried={line.pk: (line.other_payer_paid, line.other_payer_adjustments) for line in lines},
    )


# --- validation ----------------------------------------------------------------------------------


def _diagnosis_errors(diagnoses: Sequence[str], on: datetime.date) -> list[str]:
    if not diagnoses:
        return ["A claim needs at least one diagnosis."]
    if len(diagnoses) > MAX_DIAGNOSES:
        return [f"A claim carries at most {MAX_DIAGNOSES} diagnoses; {len(diagnoses)} given."]
    errors = [
        f"'{code[:10]}' is not an ICD-10-CM code." for code in diagnoses if not _ICD10CM.match(code)
    ]
    errors += [f"{code} is listed twice." for code in sorted(set(diagnoses)) if
               diagnoses.count(code) > 1]  # fmt: skip
    if errors:
        return errors
    for fact in diagnosis_facts(compacts=list(diagnoses), on=on):
        if fact.code is None:
            errors.append(
                f"{fact.written} is not a valid ICD-10-CM code on {on:%m/%d/%Y}, the date of "
                "service: check the code or the date."
            )
        elif not fact.code.billable:
            errors.append(f"{fact.written} is a category, not a billable code: add characters.")
    return errors


def _procedure_system(code: str) -> str | None:
    if _CPT.match(code):
        return CodeSystem.CPT
    if _HCPCS.match(code):
        return CodeSystem.HCPCS
    return None


def _procedure_error(label: str, code: str, on: datetime.date) -> str | None:
    system = _procedure_system(code)
    if system is None:
        return f"{label}: '{code[:10]}' is not a CPT or HCPCS code."
    # CPT is licensed: a practice may load none. Where a release is loaded, the code must be in
    # the one in force on the line's date; where none is, the shape is all we can check.
    if release_in_force(system=system, on=on) and code_get(system=system, code=code, on=on) is None:
        return f"{label}: {code} is not in the {system} code set in force on {on:%m/%d/%Y}."
    return None


def _line_errors(position: int, line: LineDraft, diagnosis_count: int) -> list[str]:
    label = f"Line {position} ({line.procedure_code[:10] or 'no code'})"
    errors = []
    today = timezone.localdate()
    if not FIRST_SERVICE_DATE <= line.service_date <= today:
        errors.append(
            f"{label}: the service date {line.service_date:%m/%d/%Y} must be between "
            f"{FIRST_SERVICE_DATE:%m/%d/%Y} and today."
        )
    else:
        problem = _procedure_error(label, line.procedure_code, line.service_date)
        errors += [problem] if problem else []
    if len(line.modifiers) > MAX_MODIFIERS:
        errors.append(f"{label}: at most {MAX_MODIFIERS} modifiers.")
    errors += [
        f"{label}: '{mod[:10]}' is not a modifier (two letters or digits)."
        for mod in line.modifiers
        if not _MODIFIER.match(mod)
    ]
    if len(set(line.modifiers)) != len(line.modifiers):
        errors.append(f"{label}: a modifier is repeated.")
    if not CENTS <= line.units <= MAX_UNITS or line.units != line.units.quantize(CENTS):
        errors.append(f"{label}: units are between 0.01 and {MAX_UNITS:,}, to the cent.")
    if not 1 <= len(line.diagnosis_pointers) <= MAX_POINTERS:
        errors.append(f"{label}: point at 1 to {MAX_POINTERS} diagnoses.")
    if len(set(line.diagnosis_pointers)) != len(line.diagnosis_pointers):
        errors.append(f"{label}: a diagnosis pointer is repeated.")
    errors += [
        f"{label}: diagnosis pointer {pointer} is past the {diagnosis_count} diagnoses listed."
        for pointer in line.diagnosis_pointers
        if not 1 <= pointer <= diagnosis_count
    ]
    if not Decimal("0") < line.charge <= MAX_CHARGE or line.charge != line.charge.quantize(CENTS):
        errors.append(
            f"{label}: the charge must be more than $0.00 and at most ${MAX_CHARGE:,}, to the cent."
        )
    return errors


def _text_errors(draft: ClaimDraft) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not _PLACE_OF_SERVICE.match(draft.place_of_service):
        errors["place_of_service"] = ["The place of service is a two-digit code, e.g. 11 (office)."]
    elif release_in_force(system=CodeSystem.POS) and not code_get(
        system=CodeSystem.POS, code=draft.place_of_service
    ):
        errors["place_of_service"] = [f"{draft.place_of_service} is not a place-of-service code."]
    for name, label, value, limit in (
        ("prior_authorization", "The prior authorization number", draft.prior_authorization,
         MAX_AUTHORIZATION),
        ("note", "The note to the payer", draft.note, MAX_NOTE),
    ):  # fmt: skip
        if len(value) > limit:
            errors[name] = [f"{label} is at most {limit} characters ({len(value):,} given)."]
        elif x12_text_unsafe(value) or not value.isprintable():
            errors[name] = [f"{label} may not contain * ~ : ^ | or control characters."]
    return errors


def _lines_errors(claim: Claim, draft: ClaimDraft) -> list[str]:
    if not draft.lines:
        return ["A claim needs at least one service line."]
    if len(draft.lines) > MAX_LINES:
        return [f"A claim carries at most {MAX_LINES} service lines."]
    errors = []
    known = set(claim.lines.values_list("id", flat=True))
    ids = [line.line_id for line in draft.lines if line.line_id is not None]
    if set(ids) - known or len(set(ids)) != len(ids):
        errors.append("A line of the form is not a line of this claim: reload the page.")
    for position, line in enumerate(draft.lines, start=1):
        errors += _line_errors(position, line, len(draft.diagnoses))
    return errors


def claim_draft_field_errors(*, claim: Claim, draft: ClaimDraft) -> dict[str, list[str]]:
    """What is wrong with `draft` as an edit of `claim`, in words, by the draft's field
    (place_of_service, prior_authorization, note, diagnoses, lines); {} when it can be saved."""
    errors = _text_errors(draft)
    first_date = min((line.service_date for line in draft.lines), default=claim.service_date_from)
    if FIRST_SERVICE_DATE <= first_date <= timezone.localdate():
        diagnosis_errors = _diagnosis_errors(draft.diagnoses, first_date)
        if diagnosis_errors:
            errors["diagnoses"] = diagnosis_errors
    lines_errors = _lines_errors(claim, draft)
    if lines_errors:
        errors["lines"] = lines_errors
    return errors


# --- the changes in words ------------------------------------------------------------------------


def _line_words(line: LineDraft) -> str:
    modifiers = f"-{'-'.join(line.modifiers)}" if line.modifiers else ""
    return f"{line.procedure_code}{modifiers} x {line.units.normalize():f} ${line.charge}"


LINE_FIELD_WORDS = (
    ("procedure_code", "procedure"),
    ("modifiers", "modifiers"),
    ("units", "units"),
    ("diagnosis_pointers", "pointers"),
    ("charge", "charge"),
    ("service_date", "date"),
)


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime.date):
        return f"{value:%m/%d/%Y}"
    return str(value) or "none"


def claim_draft_changes(before: ClaimDraft, after: ClaimDraft) -> list[str]:
    """Each change from `before` to `after` as 'what: old → new', for the timeline."""
    changes = []
    if before.diagnoses != after.diagnoses:
        changes.append(f"diagnoses: {_shown(before.diagnoses)} → {_shown(after.diagnoses)}")
    for name, words in (
        ("place_of_service", "place of service"),
        ("prior_authorization", "prior authorization"),
        ("note", "note"),
    ):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append(f"{words}: {_shown(old)} → {_shown(new)}")
    old_lines = {line.line_id: line for line in before.lines}
    kept = {line.line_id for line in after.lines if line.line_id is not None}
    for position, line in enumerate(after.lines, start=1):
        old = old_lines.get(line.line_id) if line.line_id is not None else None
        if old is None:
            changes.append(f"line {position} added: {_line_words(line)}")
            continue
        for name, words in LINE_FIELD_WORDS:
            if getattr(old, name) != getattr(line, name):
                changes.append(
                    f"line {position} {words}: {_shown(getattr(old, name))} → "
                    f"{_shown(getattr(line, name))}"
                )
    changes += [
        f"line {position} removed: {_line_words(line)}"
        for position, line in enumerate(before.lines, start=1)
        if line.line_id not in kept
    ]
    before_order = [line.line_id for line in before.lines if line.line_id in kept]
    after_order = [line.line_id for line in after.lines if line.line_id is not None]
    if before_order != after_order:
        changes.append("line order changed")
    return changes


# --- writing a draft onto a claim ----------------------------------------------------------------


def _new_line_control_numbers(claim: Claim, count: int) -> list[str]:
    """Line control numbers (REF*6R) never used by this claim's lines: CLM01-n, n past the last."""
    used = set(ClaimLine.objects.filter(claim=claim).values_list("control_number", flat=True))
    prefix = f"{claim.control_number}-"
    suffixes = [int(n[len(prefix):]) for n in used if n.startswith(prefix) and
                n[len(prefix):].isascii() and n[len(prefix):].isdigit()]  # fmt: skip
    start = max([len(used), *suffixes]) + 1
    numbers: list[str] = []
    candidate = start
    while len(numbers) < count:
        number = f"{prefix}{candidate}"
        if not ClaimLine.objects.filter(control_number=number).exists():
            numbers.append(number)
        candidate += 1
    return numbers


def claim_draft_apply(*, claim: Claim, draft: ClaimDraft) -> None:
    """Write `draft` (validated) onto `claim`, which the caller holds locked."""
    ClaimDiagnosis.objects.filter(claim=claim).delete()
    ClaimDiagnosis.objects.bulk_create(
        ClaimDiagnosis(claim=claim, position=position, code=code)
        for position, code in enumerate(draft.diagnoses, start=1)
    )
    kept = {line.line_id for line in draft.lines if line.line_id is not None}
    ClaimLine.objects.filter(claim=claim).exclude(pk__in=kept).delete()
    # Out of the way first: positions are unique per claim, and lines may swap places.
    ClaimLine.objects.filter(claim=claim).update(position=F("position") + 1000)
    existing = {line.pk: line for line in ClaimLine.objects.filter(claim=claim)}
    numbers = iter(_new_line_control_numbers(claim, len(draft.lines) - len(kept)))
    updated, created = [], []
    for position, line in enumerate(draft.lines, start=1):
        values = {
            "position": position, "procedure_code": line.procedure_code,
            "modifiers": list(line.modifiers), "units": line.units,
            "diagnosis_pointers": list(line.diagnosis_pointers), "charge": line.charge,
            "service_date": line.service_date,
        }  # fmt: skip
        if line.line_id is None:
            created.append(ClaimLine(claim=claim, control_number=next(numbers), **values))
            continue
        row = existing[line.line_id]
        for name, value in values.items():
            setattr(row, name, value)
        updated.append(row)
    ClaimLine.objects.bulk_update(updated, ["position", *LINE_WRITABLE])
    ClaimLine.objects.bulk_create(created)
    dates = [line.service_date for line in draft.lines]
    claim.place_of_service = draft.place_of_service
    claim.prior_authorization = draft.prior_authorization
    claim.note = draft.note
    claim.service_date_from, claim.service_date_to = min(dates), max(dates)
    claim.total_charge = sum((line.charge for line in draft.lines), Decimal("0.00"))
    claim.save(update_fields=CLAIM_WRITABLE)


LINE_WRITABLE = [
    "procedure_code", "modifiers", "units", "diagnosis_pointers", "charge", "service_date",
]  # fmt: skip
CLAIM_WRITABLE = [
    "place_of_service", "prior_authorization", "note", "service_date_from", "service_date_to",
    "total_charge",
]  # fmt: skip


def draft_normalised_code(text: str) -> str:
    """A diagnosis as the claim stores it: compact, upper case (E11.9 → E119)."""
    return compact_code(text)
