"""Import an 837P from another system (a client's EHR) into a practice: its claims, scrubbed.

The whole file is one transaction. A file that cannot be read (truncated, a bad envelope, not an
837P) raises `X12Error` naming the segment and line before anything is written. A readable file
is stored (kind 837P, received) and each claim is imported in a savepoint of its own: a claim
whose data cannot be stored as the file has it (no date of birth, an NPI that fails its check
digit, a name longer than X12 allows ...) is left out and listed with the reason, and the rest
go in; importing the file again, fixed, adds only what is missing, because a claim already
imported (same practice, CLM01 there, patient and date of service) is skipped as a duplicate.

Each imported claim gets its own CLM01 (`claim_control_number_next`, unique for ever); the
file's CLM01 is kept as `Claim.source_control_number`, the number the client knows it by.

A secondary (or tertiary) claim keeps what the payer before decided, as the file says it: the
prior payer (2330B, matched or added by payer id), the patient's coverage with it (2330A, by
member id; priority from SBR01 of 2320) as `Claim.other_coverage`, its paid amount, CAS and
adjudication date (2320 AMT*D, CAS; 2330B DTP*573, else the latest 2430 DTP*573), and per line
2430's SVD02 and CAS. The browser's import runs this in a task (claims/import837_jobs.py).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.attachments import attachment_fields_clean
from claims.import837_parties import (
    PRIORITIES,
    ImportRefusal,
    Person,
    coverage_add,
    coverage_by_member_id,
    patient_add,
    patient_by_name,
    payer_by_id_find_or_create,
    payer_find_or_create,
    person_of,
    prior_coverage_find_or_add,
    provider_find_or_create,
)
from claims.models import Claim, ClaimAttachment, ClaimStatus
from claims.scrubber import claim_scrub
from claims.services import LineSnapshot, _claim_snapshot_create
from patients.models import Coverage, Encounter, EncounterEvent, EncounterStatus, Patient
from rcm.files.models import Direction, FileKind, FileStatus, StoredFile
from rcm.files.services import sha256_of, stored_file_mark, stored_file_save
from rcm.practice.models import Payer, Practice, Provider, User
from rcm.x12 import claim837 as x12
from rcm.x12 import pwk
from rcm.x12.read837 import ClaimRead, OtherPayerRead, read_837p

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MAX_CHARGE = Decimal("9999999999.99")
_MAX_UNITS = Decimal("99999.99")
_CAS_GROUPS = frozenset({"CO", "CR", "OA", "PI", "PR"})


@dataclass(frozen=True)
class ImportedClaim:
    claim_id: int
    control_number: str
    source_control_number: str
    patient_name: str
    status: str
    held: bool


@dataclass
class ImportResult:
    """What an import did, in counts and in words; `claims` are the claims it created."""

    file_name: str
    stored_file_id: int | None = None
    claims: list[ImportedClaim] = field(default_factory=list)
    patients_created: set[int] = field(default_factory=set)
    patients_matched: set[int] = field(default_factory=set)
    coverages_created: int = 0
    providers_created: list[str] = field(default_factory=list)
    payers_created: list[str] = field(default_factory=list)
    duplicates_skipped: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def held(self) -> int:
        return sum(claim.held for claim in self.claims)

    @property
    def ready(self) -> int:
        return sum(claim.status == ClaimStatus.READY for claim in self.claims)

    def summary(self) -> dict[str, Any]:
        """The counts and messages, as `manage.py import_837 --json` prints them."""
        return {
            "file": self.file_name,
            "claims": len(self.claims),
            "held": self.held,
            "ready": self.ready,
            "patients_created": len(self.patients_created),
            "patients_matched": len(self.patients_matched - self.patients_created),
            "coverages_created": self.coverages_created,
            "providers_created": len(self.providers_created),
            "payers_created": list(self.payers_created),
            "duplicates_skipped": list(self.duplicates_skipped),
            "not_imported": list(self.not_imported),
            "warnings": list(self.warnings),
            "imported": [
                {"claim": c.control_number, "source_control_number": c.source_control_number,
                 "status": c.status, "held": c.held}
                for c in self.claims
            ],
        }  # fmt: skip


def file_name_clean(name: str) -> str:
    """A file name fit for notes and the page: no control characters, at most 100 characters."""
    return _UNSAFE_NAME.sub("", name).strip()[:100] or "unnamed.837"


def claims_import_837(
    *, practice: Practice, data: bytes, file_name: str, user: User | None
) -> ImportResult:
    """Import every claim of an 837P into `practice`; X12Error (nothing written) if unreadable."""
    file_name = file_name_clean(file_name)
    reads = [read for transaction_ in read_837p(data) for read in transaction_.claims]
    result = ImportResult(file_name=file_name)
    with transaction.atomic():
        # One import at a time per practice: two uploads of one file must not both find no
        # duplicate. (patient_create takes the same lock for its MRNs.)
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        stored = import_file_store(practice=practice, data=data, file_name=file_name)
        result.stored_file_id = stored.pk
        _billing_npis_check(practice, reads, result)
        importer = _Importer(practice, stored, user, result, _coverage_starts(reads))
        for read in reads:
            importer.claim(read)
        stored_file_mark(stored=stored, status=FileStatus.PROCESSED, summary=result.summary())
    return result


def import_file_store(*, practice: Practice, data: bytes, file_name: str) -> StoredFile:
    """The file as received, once: importing it again links the same stored copy."""
    seen = StoredFile.objects.filter(direction=Direction.INBOUND, sha256=sha256_of(data))
    existing = seen.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return stored_file_save(
                kind=FileKind.CLAIM_837P, direction=Direction.INBOUND, name=file_name,
                content=data, practice_id=practice.pk, transport="import",
            )  # fmt: skip
    except IntegrityError:  # the same bytes stored by another process meanwhile
        return seen.get()


def _billing_npis_check(practice: Practice, reads: list[ClaimRead], result: ImportResult) -> None:
    """A file billed by another NPI is imported (its claims are billed as ours) but said so."""
    others = sorted({read.billing_provider.npi for read in reads} - {practice.npi})
    for npi in others:
        result.warnings.append(
            f"The file's billing provider NPI {npi!r} (loop 2010AA) is not {practice.name}'s "
            f"({practice.npi}): its claims are imported as billed by {practice.name}."
        )


def _service_dates(claim: x12.Claim) -> tuple[datetime.date, datetime.date] | None:
    dates = [line.service_date for line in claim.lines if line.service_date != datetime.date.min]
    return (min(dates), max(dates)) if dates else None


def _coverage_starts(reads: list[ClaimRead]) -> dict[tuple[str, str], datetime.date]:
    """For each payer id and member id: the first date of service billed to it in the file,
    the start of a coverage the import adds."""
    starts: dict[tuple[str, str], datetime.date] = {}
    for read in reads:
        dates = _service_dates(read.claim)
        if dates is not None:
            key = (read.claim.payer.payer_id.strip(), read.claim.subscriber.member_id.strip())
            starts[key] = min(starts.get(key, dates[0]), dates[0])
    return starts


def _claim_refusal(claim: x12.Claim) -> str | None:
    """What in the claim itself cannot be stored as sent (the scrubber judges the rest)."""
    if not claim.control_number or len(claim.control_number) > 38:
        return "its claim number (CLM01) is empty or longer than 38 characters"
    if claim.frequency in ("7", "8"):
        return (
            f"it is a replacement or void (frequency {claim.frequency}): import the original "
            "claim and correct it here"
        )
    if claim.frequency not in ("", "1"):
        return (
            f"its frequency code (CLM05-3) {claim.frequency[:10]!r} is not 1 (original), 7 "
            "(replacement) or 8 (void)"
        )
    if not claim.lines:
        return "it has no service line"
    if _service_dates(claim) is None or any(
        line.service_date == datetime.date.min for line in claim.lines
    ):
        return "a service line has no date of service (DTP*472)"
    if len(claim.place_of_service) > 2:
        return (
            f"its place of service (CLM05-1) {claim.place_of_service!r} is not a 2-digit code "
            "(are its components separated by another character than the file's ISA16?)"
        )
    if len(claim.prior_authorization) > 50:
        return "its prior authorization (REF*G1) is longer than 50 characters"
    if any(len(code) > 10 for code in claim.diagnoses):
        return "a diagnosis code is longer than 10 characters"
    for number, line in enumerate(claim.lines, start=1):
        problem = _line_refusal(line)
        if problem:
            return f"line {number} {problem}"
    return _attachments_refusal(claim)


def _prior_payer_refusal(read: ClaimRead) -> str | None:
    """What the payer before this one decided (2320 AMT*D and CAS, 2430 SVD and CAS), when it
    cannot be kept as sent."""
    prior = prior_payer_of(read)
    if prior is None:
        return None
    decided = [(prior.coverage.paid_amount, prior.coverage.adjustments)] + [
        (line.adjudication.paid_amount, line.adjudication.adjustments)
        for line in read.claim.lines
        if line.adjudication is not None
    ]
    for paid, adjustments in decided:
        if not -_MAX_CHARGE <= paid <= _MAX_CHARGE:
            return f"the prior payer's paid amount ({paid}) is out of range"
        for adjustment in adjustments:
            group, reason = adjustment.group_code, adjustment.reason_code
            if group not in _CAS_GROUPS or not 1 <= len(reason) <= 5 or not reason.isascii():
                return (
                    f"the prior payer's adjustment (CAS) {group[:5]!r} {reason[:10]!r} is no "
                    "group and reason code"
                )
            if not -_MAX_CHARGE <= adjustment.amount <= _MAX_CHARGE:
                return f"the prior payer's adjustment amount ({adjustment.amount}) is out of range"
    return None


def prior_payer_of(read: ClaimRead) -> OtherPayerRead | None:
    """The loop 2320 of the payer that decided the claim just before the one it is sent to: of
    the other payers that adjudicated it (sent AMT*D), the latest in order of responsibility
    (on a tertiary claim, the secondary payer). None when no other payer has decided it (a
    primary claim may name the secondary coverage in 2320 for information)."""
    decided = [other for other in read.other_payers if other.paid_sent]
    if not decided:
        return None
    return max(decided, key=lambda other: PRIORITIES.get(other.coverage.responsibility, 0))


def _adjustment_rows(adjustments: tuple[x12.Adjustment, ...]) -> list[dict[str, str]]:
    """CAS triples as the claim keeps them (as posting an 835 does): amounts in cents."""
    cent = Decimal("0.01")
    return [
        {"group": a.group_code, "reason": a.reason_code, "amount": str(a.amount.quantize(cent))}
        for a in adjustments
    ]


def _attachment_row(attachment: x12.Attachment) -> dict[str, str]:
    """One PWK segment as an attachment row's fields; ValidationError when it cannot be kept."""
    return attachment_fields_clean(
        report_type=attachment.report_type, transmission=attachment.transmission,
        control_number=attachment.control_number, description="",
    )  # fmt: skip


def _attachments_refusal(claim: x12.Claim) -> str | None:
    if len(claim.attachments) > pwk.MAX_PER_CLAIM:
        return f"it has more than {pwk.MAX_PER_CLAIM} attachments (PWK)"
    for number, attachment in enumerate(claim.attachments, start=1):
        try:
            _attachment_row(attachment)
        except ValidationError as error:
            words = " ".join(error.messages).rstrip(".")
            return f"its attachment {number} (PWK*{attachment.report_type}) is refused: {words}"
    return None


def _line_refusal(line: x12.ServiceLine) -> str | None:
    if not line.procedure_code or len(line.procedure_code) > 5:
        return f"has procedure code {line.procedure_code!r}: a CPT or HCPCS code has 5 characters"
    if any(len(modifier) > 2 for modifier in line.modifiers) or len(line.modifiers) > 4:
        return "has a modifier of more than 2 characters, or more than 4 modifiers"
    if len(line.diagnosis_pointers) > 4:
        return "points to more than 4 diagnoses"
    if not Decimal(0) <= line.charge <= _MAX_CHARGE or not Decimal(0) < line.units <= _MAX_UNITS:
        return f"has a charge ({line.charge}) or units ({line.units}) out of range"
    return None


@dataclass(frozen=True)
class _Prior:
    """The payer before this one: the patient's coverage with it, and what the file says it
    decided."""

    coverage: Coverage
    read: OtherPayerRead
    adjudicated_on: datetime.date | None
    new_payer: Payer | None
    coverage_created: bool


@dataclass
class _Parties:
    patient: Patient
    coverage: Coverage
    provider: Provider
    patient_created: bool
    coverage_created: bool
    provider_created: bool


class _Importer:
    """Imports the claims of one file, one savepoint each, and tallies what it did."""

    def __init__(
        self,
        practice: Practice,
        stored: StoredFile,
        user: User | None,
        result: ImportResult,
        coverage_starts: dict[tuple[str, str], datetime.date],
    ) -> None:
        self.practice, self.stored, self.user, self.result = practice, stored, user, result
        self.coverage_starts = coverage_starts

    def claim(self, read: ClaimRead) -> None:
        number = read.claim.control_number
        label = f"Claim {number!r} (line {read.line})"
        problem = _claim_refusal(read.claim) or _prior_payer_refusal(read)
        if problem:
            self.result.not_imported.append(f"{label} was not imported: {problem}.")
            return
        try:
            with transaction.atomic():
                self._claim(read, label)
        except ImportRefusal as refusal:
            self.result.not_imported.append(f"{label} was not imported: {refusal}.")

    def _claim(self, read: ClaimRead, label: str) -> None:
        claim = read.claim
        payer, payer_created = payer_find_or_create(claim)
        person = person_of(claim)
        dates = _service_dates(claim)
        assert dates is not None  # checked by _claim_refusal
        matched = self._patient_match(payer=payer, claim=claim, person=person)
        if matched is not None and self._already_imported(claim, matched[0], dates[0]):
            self.result.duplicates_skipped.append(f"{label} was imported before: skipped.")
            return
        parties = self._parties(read, payer, person, matched)
        prior = self._prior(read, parties, person, dates[0])
        created = self._claim_write(read, parties, dates, prior)
        ClaimAttachment.objects.bulk_create(
            ClaimAttachment(claim=created, created_by=self.user, **_attachment_row(attachment))
            for attachment in claim.attachments
        )
        scrub = claim_scrub(claim=created, user=self.user)
        created.refresh_from_db(fields=["status"])
        self._tally(read, parties, payer if payer_created else None, created, scrub.held)
        if prior is not None:
            self._tally_prior(prior)

    def _patient_match(
        self, *, payer: Payer, claim: x12.Claim, person: Person
    ) -> tuple[Patient, Coverage | None] | None:
        """The practice's patient (and coverage) for this claim: by member id, then by name and
        date of birth; None when unknown."""
        coverage = coverage_by_member_id(
            practice=self.practice, payer=payer,
            member_id=claim.subscriber.member_id.strip(), person=person,
        )  # fmt: skip
        if coverage is not None:
            return coverage.patient, coverage
        patient = patient_by_name(practice=self.practice, person=person)
        return (patient, None) if patient is not None else None

    def _already_imported(self, claim: x12.Claim, patient: Patient, day: datetime.date) -> bool:
        return Claim.objects.filter(
            practice=self.practice, source_control_number=claim.control_number,
            patient=patient, service_date_from=day,
        ).exists()  # fmt: skip

    def _parties(
        self,
        read: ClaimRead,
        payer: Payer,
        person: Person,
        matched: tuple[Patient, Coverage | None] | None,
    ) -> _Parties:
        claim = read.claim
        patient_created = matched is None
        if matched is None:
            patient = patient_add(practice=self.practice, person=person, user=self.user)
            coverage = None
        else:
            patient, coverage = matched
        coverage_created = coverage is None
        if coverage is None:
            key = (claim.payer.payer_id.strip(), claim.subscriber.member_id.strip())
            coverage = coverage_add(
                patient=patient, payer=payer, claim=claim, person=person,
                effective_date=self.coverage_starts[key], user=self.user,
            )  # fmt: skip
        provider, provider_created = provider_find_or_create(practice=self.practice, read=read)
        return _Parties(
            patient, coverage, provider, patient_created, coverage_created, provider_created
        )

    def _prior(
        self, read: ClaimRead, parties: _Parties, person: Person, day: datetime.date
    ) -> _Prior | None:
        """The payer before this one (2320/2330B) and the patient's coverage with it (2330A)."""
        other = prior_payer_of(read)
        if other is None:
            return None
        payer, payer_created = payer_by_id_find_or_create(
            sent=other.coverage.payer, filing_indicator=other.coverage.filing_indicator,
            loop="2330B",
        )  # fmt: skip
        coverage, coverage_created = prior_coverage_find_or_add(
            patient=parties.patient, payer=payer, claim=read.claim, other=other.coverage,
            person=person, effective_date=day, user=self.user,
        )  # fmt: skip
        if coverage.pk == parties.coverage.pk:
            raise ImportRefusal(
                "its prior payer (loop 2330B) and member id (2330A) are those of the coverage "
                "it bills (2010BB, 2010BA)"
            )
        decided = [line.adjudication for line in read.claim.lines if line.adjudication]
        line_dates = [a.adjudication_date for a in decided if a.adjudication_date > day.min]
        return _Prior(
            coverage=coverage, read=other,
            adjudicated_on=other.adjudicated_on or max(line_dates, default=None),
            new_payer=payer if payer_created else None, coverage_created=coverage_created,
        )  # fmt: skip

    def _claim_write(
        self,
        read: ClaimRead,
        parties: _Parties,
        dates: tuple[datetime.date, datetime.date],
        prior: _Prior | None,
    ) -> Claim:
        claim = read.claim
        note = (
            f"Imported from 837P {self.result.file_name} (its claim number {claim.control_number})."
        )
        encounter = _encounter_imported(
            parties=parties, claim=claim, day=dates[0], note=note, user=self.user
        )
        return _claim_snapshot_create(
            fields={
                "practice_id": self.practice.pk, "encounter": encounter,
                "patient": parties.patient, "coverage": parties.coverage,
                "payer": parties.coverage.payer, "rendering_provider": parties.provider,
                "place_of_service": claim.place_of_service,
                "service_date_from": dates[0], "service_date_to": dates[1],
                "prior_authorization": claim.prior_authorization,
                "total_charge": claim.total_charge, "note": claim.note[:80],
                "source_control_number": claim.control_number, "source_file": self.stored,
                **_prior_fields(prior),
            },
            diagnoses=list(enumerate(claim.diagnoses, start=1)),
            lines=[
                LineSnapshot(
                    position=position, procedure_code=line.procedure_code,
                    modifiers=list(line.modifiers), units=line.units,
                    diagnosis_pointers=list(line.diagnosis_pointers), charge=line.charge,
                    service_date=line.service_date,
                    **_prior_line_fields(prior, line),
                )
                for position, line in enumerate(claim.lines, start=1)
            ],
            user=self.user,
            note=note,
        )  # fmt: skip

    def _tally(
        self, read: ClaimRead, parties: _Parties, new_payer: Payer | None, claim: Claim, held: bool
    ) -> None:
        result = self.result
        (result.patients_created if parties.patient_created else result.patients_matched).add(
            parties.patient.pk
        )
        result.coverages_created += parties.coverage_created
        if parties.provider_created:
            provider = parties.provider
            result.providers_created.append(
                f"{provider.first_name} {provider.last_name} (NPI {provider.npi})"
            )
        if new_payer is not None:
            result.payers_created.append(f"{new_payer.name} ({new_payer.payer_id})")
            result.warnings.append(
                f"Payer {new_payer.name} ({new_payer.payer_id}) was unknown: it was added for "
                f"every practice, filed as {new_payer.get_claim_filing_indicator_display()}, "
                "with the default filing limit and turnaround; check its settings."
            )
        if read.stated_total != claim.total_charge:
            result.warnings.append(
                f"Claim {read.claim.control_number!r} states a total of {read.stated_total} "
                f"(CLM02) but its lines add to {claim.total_charge}: imported with its lines."
            )
        result.claims.append(
            ImportedClaim(
                claim_id=claim.pk, control_number=claim.control_number,
                source_control_number=claim.source_control_number,
                patient_name=parties.patient.full_name, status=claim.status, held=held,
            )
        )  # fmt: skip

    def _tally_prior(self, prior: _Prior) -> None:
        self.result.coverages_created += prior.coverage_created
        payer = prior.new_payer
        if payer is not None:
            self.result.payers_created.append(f"{payer.name} ({payer.payer_id})")
            self.result.warnings.append(
                f"Payer {payer.name} ({payer.payer_id}), the prior payer of a secondary claim, "
                f"was unknown: it was added for every practice, filed as "
                f"{payer.get_claim_filing_indicator_display()}; check its settings."
            )


def _prior_fields(prior: _Prior | None) -> dict[str, Any]:
    """What the payer before this one decided on the claim (2320 AMT*D, CAS; 2330B DTP*573)."""
    if prior is None:
        return {}
    return {
        "other_coverage": prior.coverage,
        "other_payer_paid": prior.read.coverage.paid_amount,
        "other_payer_adjudicated_on": prior.adjudicated_on,
        "other_payer_adjustments": _adjustment_rows(prior.read.coverage.adjustments),
    }


def _prior_line_fields(prior: _Prior | None, line: x12.ServiceLine) -> dict[str, Any]:
    """What the payer before this one decided on the line (2430 SVD02 and CAS)."""
    if prior is None or line.adjudication is None:
        return {}
    return {
        "other_payer_paid": line.adjudication.paid_amount,
        "other_payer_adjustments": _adjustment_rows(line.adjudication.adjustments),
    }


def _encounter_imported(
    *, parties: _Parties, claim: x12.Claim, day: datetime.date, note: str, user: User | None
) -> Encounter:
    """The visit an imported claim bills, created already billed.

    The visit happened and was coded and billed in the client's system: walking it through our
    visit state machine (scheduled, sent to coding, coded) would tell a history that never
    happened here. So it is created in its final status, BILLED, with one timeline event saying
    where it came from (source "import"); from then on only `encounter_transition` moves it, and
    a billed visit has no move left. Its codes are on the claim, not in coding.
    """
    encounter = Encounter.objects.create(
        practice_id=parties.patient.practice_id, patient=parties.patient,
        rendering_provider=parties.provider, date_of_service=day,
        place_of_service=claim.place_of_service, prior_authorization=claim.prior_authorization,
        clinical_note=note, status=EncounterStatus.BILLED,
    )  # fmt: skip
    EncounterEvent.objects.create(
        encounter=encounter, from_status="", to_status=EncounterStatus.BILLED, user=user,
        source="import", note=note,
    )  # fmt: skip
    return encounter
