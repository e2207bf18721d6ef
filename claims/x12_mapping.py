"""Our claims, as the rcm.x12 837P dataclasses: the one place models meet the 837P layout."""

from __future__ import annotations

import datetime
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    Case,
    F,
    JSONField,
    Q,
    QuerySet,
    Value,
    When,
)

from claims.models import Claim, ClaimAttachment, ClaimDiagnosis, ClaimLine
from patients.models import Coverage, Patient, Relationship
from rcm.bulk import among
from rcm.files.services import control_number_next
from rcm.practice.models import ClearinghouseConnection, Payer, Practice, Provider
from rcm.practice.validators import x12_text_unsafe
from rcm.x12 import claim837 as x12
from rcm.x12.base import X12Error
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

# The name and id a batch carries when a connection does not set its own.
DEFAULT_RECEIVER = ("RCM SANDBOX CLEARINGHOUSE", "RCMSANDBOX")
X12_RESERVED_WORDS = "* ~ : ^ | or line breaks"


LINE_FIELDS: tuple[str, ...] = (
    "claim_id",
    "procedure_code",
    "charge",
    "service_date",
    "units",
    "modifiers",
    "diagnosis_pointers",
    "control_number",
    "other_payer_paid",
)


@dataclass(slots=True)
class PatientRow:
    """The patient's part of a claim row (the fields an 837P carries)."""

    last_name: str
    first_name: str
    middle_name: str
    date_of_birth: datetime.date
    sex: str
    address1: str
    address2: str
    city: str
    state: str
    zip_code: str


@dataclass(slots=True)
class CoverageRow:
    """The coverage's part of a claim row (the subscriber, when not the patient)."""

    relationship: str
    member_id: str
    group_number: str
    priority: int
    subscriber_first_name: str
    subscriber_last_name: str
    subscriber_date_of_birth: datetime.date | None
    subscriber_sex: str
    subscriber_address1: str
    subscriber_city: str
    subscriber_state: str
    subscriber_zip_code: str


@dataclass(slots=True)
class ClaimRow:
    """One claim as its 837P needs it: plain values, with the few shared rows attached."""

    pk: int
    practice_id: int
    payer_id: int
    rendering_provider_id: int
    primary_claim_id: int | None
    other_coverage_id: int | None
    original_claim_id: int | None
    control_number: str
    place_of_service: str
    frequency_code: str
    prior_authorization: str
    payer_claim_number: str
    note: str
    other_payer_paid: Decimal | None
    other_payer_adjudicated_on: datetime.date | None
    service_date_to: datetime.date
    other_payer_adjustments: list[dict[str, str]]
    patient: PatientRow
    coverage: CoverageRow
    practice: Practice = field(init=False)
    payer: Payer = field(init=False)
    rendering_provider: Provider = field(init=False)
    primary_claim: Claim | None = field(init=False)
    other_coverage: Coverage | None = field(init=False)
    replaced_claim_number: str = field(init=False)
    lines: list[tuple[Any, ...]] = field(init=False)
    diagnoses: list[str] = field(init=False)
    attachments: list[x12.Attachment] = field(init=False)


_CLAIM_FIELDS = [f.name for f in fields(ClaimRow) if f.init][:-3]
_PATIENT_FIELDS = [f"patient__{f.name}" for f in fields(PatientRow)]
_COVERAGE_FIELDS = [f"coverage__{f.name}" for f in fields(CoverageRow)]


def _only_on_later_payer_claims(column: str, *, later: Q) -> Case:
    """A JSON column read only where another payer paid first (a primary's is always empty):
    10,000 claims would otherwise decode 10,000 empty lists only to skip them."""
    return Case(
        When(later, then=F(column)),
        default=Value(None),
        output_field=JSONField(),
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a batch is read or written.

    A 10,000-claim batch allocates some million small objects that hold no cycles; each
    allocation burst sets off collections that walk every object alive, and those walks cost
    as much as the work itself (bench/bench_write_837.py: 1.3 s with them, 0.75 s without).
    Collection resumes, as it was, when the block ends, error or not.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def claims_for_837(claim_ids: Sequence[int]) -> list[ClaimRow]:
    """Everything an 837P needs about these claims, in a fixed number of queries.

    Claims, their patients and coverages come as one query of plain values, not model
    instances (building 30,000 models for a 10,000-claim batch took longer than writing the
    file); the handful of practices, payers and providers a batch shares are read once each
    and attached; lines, diagnoses and attachments are read per table, keyed by claim
    (bench/bench_write_837.py).
    """
    with _collector_paused():
        return _claims_read(list(claim_ids))


def _claims_read(ids: list[int]) -> list[ClaimRow]:
    split = len(_CLAIM_FIELDS)
    middle = split + len(_PATIENT_FIELDS)
    # Positional, from the query's columns (mypy cannot count a slice's length).
    build = cast(Callable[..., ClaimRow], ClaimRow)
    claims = [
        build(
            *row[:split],
            row[split] or [],
            PatientRow(*row[split + 1 : middle + 1]),
            CoverageRow(*row[middle + 1 :]),
        )
        for row in Claim.objects.filter(among("id", ids))
        .annotate(
            later_payer_cas=_only_on_later_payer_claims(
                "other_payer_adjustments",
                later=Q(primary_claim_id__isnull=False) | Q(other_coverage_id__isnull=False),
            )
        )
        .order_by("id")
        .values_list(*_CLAIM_FIELDS, "later_payer_cas", *_PATIENT_FIELDS, *_COVERAGE_FIELDS)
    ]
    _shared_attach(claims, "practice", Practice.objects.all())
    _shared_attach(claims, "payer", Payer.objects.all())
    _shared_attach(claims, "rendering_provider", Provider.objects.all())
    _shared_attach(
        claims, "primary_claim", Claim.objects.select_related("payer", "coverage"), optional=True
    )
    _shared_attach(
        claims, "other_coverage", Coverage.objects.select_related("payer"), optional=True
    )
    replaced = [claim.original_claim_id for claim in claims if claim.original_claim_id]
    originals = (
        dict(Claim.objects.filter(among("id", replaced)).values_list("id", "payer_claim_number"))
        if replaced
        else {}
    )
    lines: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        ClaimLine.objects.filter(among("claim_id", ids))
        .order_by("claim_id", "position")
        .annotate(
            later_payer_cas=_only_on_later_payer_claims(
                "other_payer_adjustments", later=Q(other_payer_paid__isnull=False)
            )
        )
        .values_list(*LINE_FIELDS, "later_payer_cas")
    ):
        lines[row[0]].append((*row[:-1], row[-1] or []))
    diagnoses: dict[int, list[str]] = defaultdict(list)
    for claim_id, code in (
        ClaimDiagnosis.objects.filter(among("claim_id", ids))
        .order_by("claim_id", "position")
        .values_list("claim_id", "code")
    ):
        diagnoses[claim_id].append(code)
    attachments: dict[int, list[x12.Attachment]] = defaultdict(list)
    for claim_id, report_type, transmission, number in (
        ClaimAttachment.objects.filter(among("claim_id", ids))
        .order_by("claim_id", "id")
        .values_list("claim_id", "report_type", "transmission", "control_number")
    ):
        attachments[claim_id].append(x12.Attachment(report_type, transmission, number))
    for claim in claims:
        claim.lines = lines[claim.pk]
        claim.diagnoses = diagnoses[claim.pk]
        claim.attachments = attachments[claim.pk]
        claim.replaced_claim_number = originals.get(claim.original_claim_id or 0, "")
    return claims


def _shared_attach(
    claims: list[ClaimRow], name: str, rows: QuerySet[Any], *, optional: bool = False
) -> None:
    """Read the distinct rows `claims` point at through `<name>_id` in one query and attach
    each to its claims, as select_related would, without one copy per claim."""
    attname = f"{name}_id"
    wanted = {getattr(claim, attname) for claim in claims} - {None}
    found = {row.pk: row for row in rows.filter(among("id", list(wanted)))} if wanted else {}
    for claim in claims:
        key = getattr(claim, attname)
        setattr(claim, name, None if key is None and optional else found[key])


def _address(obj: Practice | Patient | PatientRow) -> x12.Address:
    return x12.Address(
        line1=obj.address1,
        line2=obj.address2,
        city=obj.city,
        state=obj.state,
        postal_code=obj.zip_code,
    )


def _subscriber(coverage: Coverage | CoverageRow, patient: Patient | PatientRow) -> x12.Subscriber:
    if coverage.relationship == Relationship.SELF:
        return x12.Subscriber(
            last_name=patient.last_name,
            first_name=patient.first_name,
            middle_name=patient.middle_name,
            member_id=coverage.member_id,
            birth_date=patient.date_of_birth,
            gender=patient.sex,
            address=_address(patient),
            group_number=coverage.group_number,
        )
    address = None
    if coverage.subscriber_address1:
        address = x12.Address(
            line1=coverage.subscriber_address1,
            city=coverage.subscriber_city,
            state=coverage.subscriber_state,
            postal_code=coverage.subscriber_zip_code,
        )
    return x12.Subscriber(
        last_name=coverage.subscriber_last_name,
        first_name=coverage.subscriber_first_name,
        member_id=coverage.member_id,
        birth_date=coverage.subscriber_date_of_birth,
        gender=coverage.subscriber_sex or "U",
        address=address,
        group_number=coverage.group_number,
    )


def _patient(coverage: CoverageRow, patient: PatientRow) -> x12.Patient | None:
    if coverage.relationship == Relationship.SELF:
        return None
    return x12.Patient(
        last_name=patient.last_name,
        first_name=patient.first_name,
        middle_name=patient.middle_name,
        birth_date=patient.date_of_birth,
        gender=patient.sex,
        address=_address(patient),
        relationship=coverage.relationship,
    )


def _adjustments(rows: list[dict[str, str]]) -> tuple[x12.Adjustment, ...]:
    return tuple(
        x12.Adjustment(group_code=r["group"], reason_code=r["reason"], amount=Decimal(r["amount"]))
        for r in rows
    )


def _other_coverage(claim: ClaimRow) -> x12.OtherCoverage | None:
    """Loops 2320/2330A/2330B: the payer before this one, and what it paid. That payer's
    coverage is our primary claim's, or, for a secondary claim imported from another system,
    the one its 2320/2330 named (`Claim.other_coverage`)."""
    if claim.primary_claim is not None:
        coverage, payer = claim.primary_claim.coverage, claim.primary_claim.payer
    elif claim.other_coverage is not None:
        coverage, payer = claim.other_coverage, claim.other_coverage.payer
    else:
        return None
    return x12.OtherCoverage(
        payer=x12.Payer(name=payer.name, payer_id=payer.payer_id),
        subscriber=_subscriber(coverage, claim.patient),
        paid_amount=claim.other_payer_paid or Decimal("0"),
        responsibility="PST"[coverage.priority - 1],
        relationship=coverage.relationship,
        filing_indicator=payer.claim_filing_indicator,
        adjustments=_adjustments(claim.other_payer_adjustments),
    )


def _line_adjudication(
    claim: ClaimRow, paid: Decimal | None, adjustments: list[dict[str, str]]
) -> x12.LineAdjudication | None:
    """Loop 2430: how the payer before this one decided this line."""
    if (claim.primary_claim_id is None and claim.other_coverage_id is None) or paid is None:
        return None
    return x12.LineAdjudication(
        paid_amount=paid,
        adjudication_date=claim.other_payer_adjudicated_on or claim.service_date_to,
        adjustments=_adjustments(adjustments),
    )


def replaced_claim_number(claim: ClaimRow) -> str:
    """REF*F8 of a replacement or void: the payer's number for the claim it corrects. The
    correction's own `payer_claim_number` is the one the payer gives it later, in its answers."""
    if claim.frequency_code in ("7", "8") and claim.original_claim_id is not None:
        return claim.replaced_claim_number
    return claim.payer_claim_number


def claim_as_x12(claim: ClaimRow) -> x12.Claim:
    """One claim (fetched with `claims_for_837`) as an 837P claim."""
    provider = claim.rendering_provider
    return x12.Claim(
        control_number=claim.control_number,
        subscriber=_subscriber(claim.coverage, claim.patient),
        patient=_patient(claim.coverage, claim.patient),
        payer=x12.Payer(name=claim.payer.name, payer_id=claim.payer.payer_id),
        diagnoses=tuple(claim.diagnoses),
        lines=tuple(
            x12.ServiceLine(
                procedure_code=code,
                charge=charge,
                service_date=service_date,
                units=units,
                modifiers=tuple(modifiers),
                diagnosis_pointers=tuple(pointers),
                line_control_number=control,
                adjudication=_line_adjudication(claim, other_paid, other_adjustments),
            )
            for (
                _claim,
                code,
                charge,
                service_date,
                units,
                modifiers,
                pointers,
                control,
                other_paid,
                other_adjustments,
            ) in claim.lines
        ),
        responsibility="PST"[claim.coverage.priority - 1],
        filing_indicator=claim.payer.claim_filing_indicator,
        place_of_service=claim.place_of_service,
        frequency=claim.frequency_code,
        prior_authorization=claim.prior_authorization,
        payer_claim_number=replaced_claim_number(claim),
        note=claim.note,
        other_coverage=_other_coverage(claim),
        attachments=tuple(claim.attachments),
        rendering_provider=x12.RenderingProvider(
            last_name=provider.last_name,
            first_name=provider.first_name,
            npi=provider.npi,
            taxonomy=provider.taxonomy,
        ),
    )


def billing_provider_as_x12(practice: Practice) -> x12.BillingProvider:
    """Loop 2000A/2010AA: the practice bills its own claims."""
    return x12.BillingProvider(
        name=practice.name,
        npi=practice.npi,
        tin=practice.tin,
        taxonomy=practice.taxonomy,
        address=_address(practice),
    )


def claim_on_wire(claim_id: int) -> tuple[x12.Claim, x12.BillingProvider]:
    """One claim as its 837P would carry it, with its billing provider: what the scrubber
    reads."""
    (row,) = claims_for_837([claim_id])
    return claim_as_x12(row), billing_provider_as_x12(row.practice)


def batch_as_x12(
    *,
    practice: Practice,
    claims: Sequence[ClaimRow],
    connection: ClearinghouseConnection | None,
    interchange: int,
    group: int,
    transaction: int,
    created: datetime.datetime,
    production: bool = False,
) -> x12.Batch837P:
    """A whole 837P interchange for one practice's claims, with the control numbers given."""
    sender = (connection.submitter_id if connection else "") or f"RCM{practice.pk:07d}"
    receiver_name, receiver_id = DEFAULT_RECEIVER
    if connection and connection.receiver_id:
        receiver_name, receiver_id = connection.receiver_id, connection.receiver_id
    return x12.Batch837P(
        interchange=InterchangeHeader(
            sender_id=sender,
            receiver_id=receiver_id,
            control_number=interchange,
            created=created,
            ack_requested=True,
            production=production,
        ),
        group=FunctionalGroup(
            sender_code=sender, receiver_code=receiver_id, control_number=group, created=created
        ),
        transaction_control_number=transaction,
        reference=f"{interchange:09d}",
        created=created,
        submitter=x12.Submitter(
            name=practice.name,
            identifier=sender,
            contact_name="BILLING OFFICE",
            contact_phone=practice.phone or "0000000000",
        ),
        receiver=x12.Receiver(name=receiver_name, identifier=receiver_id),
        billing_provider=billing_provider_as_x12(practice),
        claims=tuple(claim_as_x12(claim) for claim in claims),
    )


@dataclass(frozen=True)
class Rendered837:
    """An 837P interchange written for some claims, with the control numbers it took."""

    name: str
    text: str
    interchange: int
    group: int
    transaction: int


def claims_837_render(
    *,
    practice: Practice,
    connection: ClearinghouseConnection | None,
    claims: Sequence[ClaimRow],
    created: datetime.datetime,
) -> Rendered837:
    """One 837P for one practice's claims through one connection, under new control numbers
    (never reused): the one renderer behind sending a batch and `export_837`."""
    interchange, group, transaction = (
        control_number_next(kind=kind) for kind in ("interchange", "group", "transaction")
    )
    with _collector_paused():
        text = x12.write_837p(
            batch_as_x12(
                practice=practice,
                claims=claims,
                connection=connection,
                interchange=interchange,
                group=group,
                transaction=transaction,
                created=created,
            )
        )
    return Rendered837(
        name=f"837P-{practice.pk}-{interchange:09d}.x12",
        text=text,
        interchange=interchange,
        group=group,
        transaction=transaction,
    )


def _fields_in_words(claim: ClaimRow) -> list[tuple[str, str]]:
    """(what a person calls it, value) for the typed text of a claim that goes into its 837P."""
    patient, coverage, provider = claim.patient, claim.coverage, claim.rendering_provider
    fields = [
        ("the patient's first name", patient.first_name),
        ("the patient's middle name", patient.middle_name),
        ("the patient's last name", patient.last_name),
        ("the patient's address", patient.address1),
        ("the patient's address line 2", patient.address2),
        ("the patient's city", patient.city),
        ("the member ID", coverage.member_id),
        ("the group number", coverage.group_number),
        ("the subscriber's first name", coverage.subscriber_first_name),
        ("the subscriber's last name", coverage.subscriber_last_name),
        ("the subscriber's address", coverage.subscriber_address1),
        ("the subscriber's city", coverage.subscriber_city),
        ("the prior authorization number", claim.prior_authorization),
        ("the claim note", claim.note),
        ("the rendering provider's first name", provider.first_name),
        ("the rendering provider's last name", provider.last_name),
        ("the payer's name", claim.payer.name),
        ("the payer ID", claim.payer.payer_id),
        ("the practice's name", claim.practice.name),
        ("the practice's address", claim.practice.address1),
        ("the practice's address line 2", claim.practice.address2),
        ("the practice's city", claim.practice.city),
    ]
    fields += [
        (f"the control number of attachment {number}", attachment.control_number)
        for number, attachment in enumerate(claim.attachments, start=1)
    ]
    return fields


def claim_837_problem(
    *, practice: Practice, connection: ClearinghouseConnection | None, claim: ClaimRow
) -> str:
    """Why this claim (fetched with `claims_for_837`) cannot go into an 837P, in words; ''
    when it can. Tried on its own, so a batch can hold back just the claims that fail."""
    for label, value in _fields_in_words(claim):
        if value and x12_text_unsafe(value):
            return (
                f"{label[0].upper()}{label[1:]} ({value!r}) may not contain {X12_RESERVED_WORDS}"
                ": correct it, then mark the claim ready again."
            )
    try:
        x12.write_837p(
            batch_as_x12(
                practice=practice,
                claims=[claim],
                connection=connection,
                interchange=1,
                group=1,
                transaction=1,
                created=datetime.datetime.now(tz=datetime.UTC),
            )
        )
    except X12Error as error:
        return f"The 837P cannot carry this claim: {error}; correct it, then mark it ready again."
    return ""
