"""Writes about the coded encounter: saving a coder's diagnoses and lines, and completing it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction

from coding.edits.fees import line_fee
from coding.encounter.completeness import coding_completeness_errors
from coding.models import EncounterDiagnosis, ProcedureLine
from patients.models import Encounter, EncounterStatus
from patients.visits.state import CODABLE, encounter_transition
from rcm.practice.models import User

MAX_DIAGNOSES = 12  # 837P HI segment
MAX_MODIFIERS = 4  # SV101-3 … SV101-6
MAX_POINTERS = 4  # SV107-1 … SV107-4
MAX_UNITS = Decimal("99999.99")
CENTS = Decimal("0.01")
# ICD-10-CM as written: a letter, two characters, then up to four after the dot.
_ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
# CPT (five digits; category II/III and PLA codes end in F, T or U) or HCPCS Level II.
_PROCEDURE = re.compile(r"^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
CODABLE_STATUSES = CODABLE


@dataclass(frozen=True)
class ProcedureLineInput:
    """One service line as a coder enters it; `charge` None means 'from the fee schedule'."""

    code: str
    modifiers: Sequence[str] = field(default_factory=tuple)
    units: Decimal = Decimal("1")
    diagnosis_pointers: Sequence[int] = (1,)
    charge: Decimal | None = None


def diagnosis_code_normalized(code: str) -> str:
    """'e119 ' → 'E11.9': upper case, no spaces, the dot after the third character."""
    compact = code.strip().upper().replace(" ", "").replace(".", "")
    return f"{compact[:3]}.{compact[3:]}" if len(compact) > 3 else compact


def _diagnoses_cleaned(diagnoses: Sequence[str]) -> tuple[list[str], list[str]]:
    given = [code.strip() for code in diagnoses if code.strip()]
    codes = [diagnosis_code_normalized(code) for code in given]
    errors = [
        f"'{typed}' is not an ICD-10-CM code."
        for typed, code in zip(given, codes, strict=True)
        if not _ICD10CM.match(code)
    ]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    errors += [f"{code} is listed twice." for code in duplicates]
    if len(codes) > MAX_DIAGNOSES:
        errors.append(f"A claim carries at most {MAX_DIAGNOSES} diagnoses; {len(codes)} given.")
    return codes, errors


def _line_errors(position: int, line: ProcedureLine) -> list[str]:
    label = f"Line {position} ({line.code or 'no code'})"
    errors = []
    if not _PROCEDURE.match(line.code):
        errors.append(f"Line {position}: '{line.code}' is not a CPT or HCPCS code.")
    if len(line.modifiers) > MAX_MODIFIERS:
        errors.append(f"{label}: at most {MAX_MODIFIERS} modifiers.")
    errors += [
        f"{label}: '{mod}' is not a modifier (two letters or digits)."
        for mod in line.modifiers
        if not _MODIFIER.match(mod)
    ]
    if not CENTS <= line.units <= MAX_UNITS:
        errors.append(f"{label}: units must be between 0.01 and {MAX_UNITS}.")
    if len(line.diagnosis_pointers) > MAX_POINTERS:
        errors.append(f"{label}: at most {MAX_POINTERS} diagnosis pointers.")
    if len(set(line.diagnosis_pointers)) != len(line.diagnosis_pointers):
        errors.append(f"{label}: a diagnosis pointer is repeated.")
    if any(not 1 <= pointer <= MAX_DIAGNOSES for pointer in line.diagnosis_pointers):
        errors.append(f"{label}: diagnosis pointers are between 1 and {MAX_DIAGNOSES}.")
    if line.charge is not None and line.charge < 0:
        errors.append(f"{label}: the charge cannot be negative.")
    return errors


def _line_built(encounter: Encounter, position: int, given: ProcedureLineInput) -> ProcedureLine:
    try:
        units = Decimal(str(given.units))
        charge = None if given.charge is None else Decimal(str(given.charge)).quantize(CENTS)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError(
            {"lines": [f"Line {position}: units and charge must be numbers."]}
        ) from error
    return ProcedureLine(
        practice_id=encounter.practice_id, encounter=encounter, position=position,
        code=given.code.strip().upper(),
        modifiers=[mod.strip().upper() for mod in given.modifiers if mod.strip()],
        units=units, diagnosis_pointers=list(given.diagnosis_pointers),
        **({} if charge is None else {"charge": charge}),
    )  # fmt: skip


def _charges_defaulted(encounter: Encounter, lines: list[ProcedureLine]) -> None:
    """Fill in missing charges from the fee schedule. A line with no fee keeps no charge: the
    draft saves what was typed, and the fee-missing edit blocks completion."""
    for line in lines:
        if line.charge is None:
            line.charge = line_fee(encounter=encounter, code=line.code, units=line.units)


def _locked_for_coding(encounter: Encounter) -> Encounter:
    locked = (
        Encounter.objects.select_for_update(of=("self",))
        .select_related("patient", "practice")
        .get(pk=encounter.pk)
    )
    if locked.status not in CODABLE_STATUSES:
        hint = {
            EncounterStatus.SCHEDULED: " Mark the visit ready for coding first.",
            EncounterStatus.BILLED: " Correct the claim instead.",
        }.get(EncounterStatus(locked.status), "")
        raise ValidationError(
            f"This encounter is {locked.get_status_display().lower()}; it cannot be coded.{hint}"
        )
    return locked


def encounter_coding_save(
    *,
    encounter: Encounter,
    diagnoses: list[str],
    lines: list[ProcedureLineInput],
    user: User | None,
) -> Encounter:
    """Replace the encounter's diagnoses (in order) and procedure lines; coding is in progress.

    Saving a coded encounter again reopens it: it must be completed again before billing.
    """
    with transaction.atomic():
        locked = _locked_for_coding(encounter)
        codes, diagnosis_errors = _diagnoses_cleaned(diagnoses)
        built = [_line_built(locked, n, given) for n, given in enumerate(lines, start=1)]
        line_errors = [error for line in built for error in _line_errors(line.position, line)]
        if not line_errors:
            _charges_defaulted(locked, built)
        if diagnosis_errors or line_errors:
            raise ValidationError(
                {key: errors for key, errors in
                 (("diagnoses", diagnosis_errors), ("lines", line_errors)) if errors}
            )  # fmt: skip
        locked.diagnoses.all().delete()
        locked.procedure_lines.all().delete()
        EncounterDiagnosis.objects.bulk_create(
            EncounterDiagnosis(practice_id=locked.practice_id, encounter=locked, position=n, code=c)
            for n, c in enumerate(codes, start=1)
        )
        ProcedureLine.objects.bulk_create(built)
        coder = locked.assigned_coder or user
        if locked.status == EncounterStatus.CODING_IN_PROGRESS:  # saved again: no move
            locked.assigned_coder = coder
            locked.save(update_fields=["assigned_coder", "updated_at"])
        else:
            encounter_transition(
                encounter=locked, to=EncounterStatus.CODING_IN_PROGRESS, user=user,
                fields={"assigned_coder": coder},
            )  # fmt: skip
    encounter.status, encounter.assigned_coder = locked.status, locked.assigned_coder
    return encounter


def encounter_coding_complete(*, encounter: Encounter, user: User | None) -> Encounter:
    """Declare the coding finished: the encounter becomes CODED, ready to be billed."""
    with transaction.atomic():
        locked = _locked_for_coding(encounter)
        if locked.status == EncounterStatus.CODED:
            raise ValidationError("This encounter is already coded.")
        uncharged = list(locked.procedure_lines.filter(charge=None))
        _charges_defaulted(locked, uncharged)  # a fee added to the schedule since the draft
        ProcedureLine.objects.bulk_update(
            [ln for ln in uncharged if ln.charge is not None], ["charge"]
        )
        errors = coding_completeness_errors(encounter=locked)
        if errors:
            raise ValidationError(errors)
        # Every error-level edit blocks completion; warnings and reminders do not.
        from coding.edits import encounter_edits

        blocking = [
            edit.message for edit in encounter_edits(encounter=locked) if edit.severity == "error"
        ]
        if blocking:
            raise ValidationError(blocking)
        encounter_transition(
            encounter=locked, to=EncounterStatus.CODED, user=user,
            fields={"assigned_coder": locked.assigned_coder or user},
        )  # fmt: skip
        # robust: with Redis down the visit stays CODED (committed) and billing's beat sweep
        # bills it; the coder is not shown an error for coding that did complete.
        transaction.on_commit(_billing_enqueuer(locked.pk), robust=True)
    encounter.status, encounter.assigned_coder = locked.status, locked.assigned_coder
    return encounter


# Billing (claims) is a higher layer than coding: coding may not import it (import-linter), so
# the task is named, not imported. The name is claims' contract, tested on both sides.
BILL_ENCOUNTER_TASK = "claims.tasks.bill_encounter_task"


def _billing_enqueuer(encounter_id: int) -> Callable[[], None]:
    """The on-commit callback that asks a worker to bill the coded visit."""

    def enqueue_billing() -> None:
        current_app.send_task(BILL_ENCOUNTER_TASK, args=[encounter_id])

    return enqueue_billing
