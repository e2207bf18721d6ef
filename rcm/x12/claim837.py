"""Professional claims (837P, 005010X222A1): the batch as dataclasses and `write_837p`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from rcm.x12 import pwk
from rcm.x12.base import DEFAULT_DELIMITERS, Delimiters, X12Error
from rcm.x12.writer import (
    Composite,
    FunctionalGroup,
    InterchangeHeader,
    SegmentWriter,
    format_amount,
    format_date,
    format_quantity,
)

VERSION = "005010X222A1"
MAX_DIAGNOSES = 12
MAX_LINES = 50
MAX_POINTERS = 4


@dataclass(frozen=True)
class Address:
    """A street address (N3/N4)."""

    line1: str
    city: str
    state: str
    postal_code: str
    line2: str = ""


@dataclass(frozen=True)
class Submitter:
    """Loop 1000A: who sends the file, and whom to call about it."""

    name: str
    identifier: str
    contact_name: str
    contact_phone: str


@dataclass(frozen=True)
class Receiver:
    """Loop 1000B: the clearinghouse or payer receiving the file."""

    name: str
    identifier: str


@dataclass(frozen=True)
class BillingProvider:
    """Loop 2000A/2010AA (an organization); 2010AB when payments go to another address."""

    name: str
    npi: str
    tin: str
    taxonomy: str
    address: Address
    pay_to_address: Address | None = None


@dataclass(frozen=True)
class Payer:
    """Loop 2010BB/2330B: the payer and its payer id."""

    name: str
    payer_id: str


@dataclass(frozen=True)
class Subscriber:
    """Loop 2010BA/2330A: the insured person and member id."""

    last_name: str
    first_name: str
    member_id: str
    birth_date: date | None = None
    gender: str = "U"
    address: Address | None = None
    middle_name: str = ""
    group_number: str = ""


@dataclass(frozen=True)
class Patient:
    """Loop 2000C/2010CA: a patient who is not the subscriber; `relationship` is PAT01."""

    last_name: str
    first_name: str
    birth_date: date
    gender: str
    address: Address
    relationship: str = "19"
    middle_name: str = ""


@dataclass(frozen=True)
class RenderingProvider:
    """Loop 2310B: the person who rendered the care."""

    last_name: str
    first_name: str
    npi: str
    taxonomy: str


@dataclass(frozen=True)
class ServiceFacility:
    """Loop 2310C: where the care took place, when not the billing provider's address."""

    name: str
    address: Address
    npi: str = ""


@dataclass(frozen=True)
class Attachment:
    """PWK (loop 2300): paperwork the payer gets with the claim, and how (rcm.x12.pwk)."""

    report_type: str  # PWK01
    transmission: str  # PWK02
    control_number: str = ""  # PWK06 (PWK05 = AC); required unless PWK02 is AA


@dataclass(frozen=True)
class Adjustment:
    """One CAS triple: group code (CO, PR, OA, PI, CR), reason code and amount."""

    group_code: str
    reason_code: str
    amount: Decimal


@dataclass(frozen=True)
class LineAdjudication:
    """Loop 2430: how the other payer adjudicated this line."""

    paid_amount: Decimal
    adjudication_date: date
    adjustments: tuple[Adjustment, ...] = ()
    paid_units: Decimal | None = None


@dataclass(frozen=True)
class OtherCoverage:
    """Loops 2320/2330A/2330B: another payer on the claim (the primary, on a secondary claim)."""

    payer: Payer
    subscriber: Subscriber
    paid_amount: Decimal
    responsibility: str = "P"
    relationship: str = "18"
    filing_indicator: str = "CI"
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class ServiceLine:
    """Loop 2400 (and 2430 when another payer adjudicated it)."""

    procedure_code: str
    charge: Decimal
    service_date: date
    units: Decimal = Decimal(1)
    modifiers: tuple[str, ...] = ()
    diagnosis_pointers: tuple[int, ...] = (1,)
    line_control_number: str = ""
    adjudication: LineAdjudication | None = None


@dataclass(frozen=True)
class Claim:
    """Loops 2000B/2000C/2300: one claim, its subscriber, payer and service lines."""

    control_number: str
    subscriber: Subscriber
    payer: Payer
    diagnoses: tuple[str, ...]
    lines: tuple[ServiceLine, ...]
    responsibility: str = "P"
    filing_indicator: str = "CI"
    place_of_service: str = "11"
    frequency: str = "1"
    patient: Patient | None = None
    prior_authorization: str = ""
    payer_claim_number: str = ""
    note: str = ""
    rendering_provider: RenderingProvider | None = None
    service_facility: ServiceFacility | None = None
    other_coverage: OtherCoverage | None = None
    attachments: tuple[Attachment, ...] = ()

    @property
    def total_charge(self) -> Decimal:
        """CLM02: the sum of the line charges."""
        return sum((line.charge for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Batch837P:
    """One interchange holding one group and one 837P transaction of claims."""

    interchange: InterchangeHeader
    group: FunctionalGroup
    transaction_control_number: int
    reference: str
    created: datetime
    submitter: Submitter
    receiver: Receiver
    billing_provider: BillingProvider
    claims: tuple[Claim, ...] = field(default_factory=tuple)


def write_837p(batch: Batch837P, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """The whole interchange as X12 text, one segment per line."""
    if not batch.claims:
        raise X12Error("an 837P batch needs at least one claim", segment_id="CLM")
    for claim in batch.claims:
        _check_claim(claim)
    w = SegmentWriter(delimiters)
    w.begin_single(batch.interchange, batch.group, "837", batch.transaction_control_number, VERSION)
    when = batch.created
    w.add("BHT", "0019", "00", batch.reference, format_date(when), when.strftime("%H%M"), "CH")
    _header_parties(w, batch)
    _billing_provider(w, batch.billing_provider)
    hl = 1
    for claim in batch.claims:
        hl = _claim_hierarchy(w, claim, hl)
    return w.end_single()


def _check_claim(claim: Claim) -> None:
    where = f"claim {claim.control_number}"
    if not 1 <= len(claim.diagnoses) <= MAX_DIAGNOSES:
        raise X12Error(f"{where}: 1 to {MAX_DIAGNOSES} diagnoses allowed", segment_id="HI")
    if not 1 <= len(claim.lines) <= MAX_LINES:
        raise X12Error(f"{where}: 1 to {MAX_LINES} service lines allowed", segment_id="LX")
    if claim.frequency in ("7", "8") and not claim.payer_claim_number:
        message = f"{where}: a replacement or void needs the payer claim number"
        raise X12Error(message, segment_id="REF")
    _check_attachments(claim, where)
    for line in claim.lines:
        pointers = line.diagnosis_pointers
        if not 1 <= len(pointers) <= MAX_POINTERS or not all(
            1 <= p <= len(claim.diagnoses) for p in pointers
        ):
            raise X12Error(f"{where}: bad diagnosis pointers {pointers}", segment_id="SV1")
        if line.adjudication and not claim.other_coverage:
            raise X12Error(f"{where}: line adjudication needs other coverage", segment_id="SVD")


def _check_attachments(claim: Claim, where: str) -> None:
    if len(claim.attachments) > pwk.MAX_PER_CLAIM:
        raise X12Error(f"{where}: at most {pwk.MAX_PER_CLAIM} attachments", segment_id="PWK")
    for attachment in claim.attachments:
        if attachment.report_type not in pwk.REPORT_TYPES:
            message = f"{where}: unknown attachment report type {attachment.report_type!r}"
            raise X12Error(message, segment_id="PWK")
        if attachment.transmission not in pwk.TRANSMISSIONS:
            message = f"{where}: unknown attachment transmission {attachment.transmission!r}"
            raise X12Error(message, segment_id="PWK")
        number = attachment.control_number
        if pwk.needs_control_number(attachment.transmission) and not number:
            message = f"{where}: an attachment sent {attachment.transmission} needs its number"
            raise X12Error(message, segment_id="PWK")
        if number and not pwk.CONTROL_NUMBER_MIN <= len(number) <= pwk.CONTROL_NUMBER_MAX:
            message = f"{where}: an attachment control number is 2 to 80 characters"
            raise X12Error(message, segment_id="PWK")


def _header_parties(w: SegmentWriter, batch: Batch837P) -> None:
    sub = batch.submitter
    w.add("NM1", "41", "2", sub.name, "", "", "", "", "46", sub.identifier)
    w.add("PER", "IC", sub.contact_name, "TE", sub.contact_phone)
    rec = batch.receiver
    w.add("NM1", "40", "2", rec.name, "", "", "", "", "46", rec.identifier)


def _billing_provider(w: SegmentWriter, bp: BillingProvider) -> None:
    w.add("HL", "1", "", "20", "1")
    w.add("PRV", "BI", "PXC", bp.taxonomy)
    w.add("NM1", "85", "2", bp.name, "", "", "", "", "XX", bp.npi)
    _address(w, bp.address)
    w.add("REF", "EI", bp.tin)
    if bp.pay_to_address and bp.pay_to_address != bp.address:
        w.add("NM1", "87", "2")
        _address(w, bp.pay_to_address)


def _address(w: SegmentWriter, address: Address) -> None:
    w.add("N3", address.line1, address.line2 or None)
    w.add("N4", address.city, address.state, address.postal_code)


def _demographics(w: SegmentWriter, birth_date: date | None, gender: str) -> None:
    if birth_date is not None:
        w.add("DMG", "D8", format_date(birth_date), gender)


def _claim_hierarchy(w: SegmentWriter, claim: Claim, last_hl: int) -> int:
    """2000B (and 2000C) then the claim; returns the last HL id used."""
    sub_hl = last_hl + 1
    has_patient = claim.patient is not None
    w.add("HL", str(sub_hl), "1", "22", "1" if has_patient else "0")
    s = claim.subscriber
    w.add(
        "SBR",
        claim.responsibility,
        "" if has_patient else "18",
        s.group_number,
        "",
        "",
        "",
        "",
        "",
        claim.filing_indicator,
    )
    _person(w, "IL", s.last_name, s.first_name, s.middle_name, ("MI", s.member_id))
    if s.address:
        _address(w, s.address)
    _demographics(w, s.birth_date, s.gender)
    w.add("NM1", "PR", "2", claim.payer.name, "", "", "", "", "PI", claim.payer.payer_id)
    last = sub_hl
    if claim.patient is not None:
        p = claim.patient
        last = sub_hl + 1
        w.add("HL", str(last), str(sub_hl), "23", "0")
        w.add("PAT", p.relationship)
        _person(w, "QC", p.last_name, p.first_name, p.middle_name, None)
        _address(w, p.address)
        _demographics(w, p.birth_date, p.gender)
    _claim(w, claim)
    return last


def _person(
    w: SegmentWriter, code: str, last: str, first: str, middle: str, ident: tuple[str, str] | None
) -> None:
    qualifier, value = ident if ident else ("", "")
    w.add("NM1", code, "1", last, first, middle, "", "", qualifier, value)


def _claim(w: SegmentWriter, claim: Claim) -> None:
    pos: Composite = (claim.place_of_service, "B", claim.frequency)
    total = format_amount(claim.total_charge)
    w.add("CLM", claim.control_number, total, "", "", pos, "Y", "A", "Y", "Y")
    # The guide's order in 2300: CLM, DTP (none written), PWK, CN1, AMT, REF, NTE, HI.
    for attachment in claim.attachments:
        if attachment.control_number:
            w.add("PWK", attachment.report_type, attachment.transmission, "", "", "AC",
                  attachment.control_number)  # fmt: skip
        else:
            w.add("PWK", attachment.report_type, attachment.transmission)
    if claim.prior_authorization:
        w.add("REF", "G1", claim.prior_authorization)
    if claim.frequency in ("7", "8"):
        w.add("REF", "F8", claim.payer_claim_number)
    if claim.note:
        w.add("NTE", "ADD", claim.note)
    codes = [code.replace(".", "").strip().upper() for code in claim.diagnoses]
    w.add("HI", *[("ABK" if i == 0 else "ABF", code) for i, code in enumerate(codes)])
    if claim.rendering_provider:
        rp = claim.rendering_provider
        _person(w, "82", rp.last_name, rp.first_name, "", ("XX", rp.npi))
        w.add("PRV", "PE", "PXC", rp.taxonomy)
    if claim.service_facility:
        sf = claim.service_facility
        npi = ("XX", sf.npi) if sf.npi else ("", "")
        w.add("NM1", "77", "2", sf.name, "", "", "", "", *npi)
        _address(w, sf.address)
    if claim.other_coverage:
        _other_coverage(w, claim.other_coverage)
    for number, line in enumerate(claim.lines, start=1):
        _service_line(w, number, line, claim.other_coverage)


def _adjustments(w: SegmentWriter, adjustments: tuple[Adjustment, ...]) -> None:
    w.add_adjustments((a.group_code, a.reason_code, a.amount) for a in adjustments)


def _other_coverage(w: SegmentWriter, oc: OtherCoverage) -> None:
    s = oc.subscriber
    w.add(
        "SBR",
        oc.responsibility,
        oc.relationship,
        s.group_number,
        "",
        "",
        "",
        "",
        "",
        oc.filing_indicator,
    )
    _adjustments(w, oc.adjustments)
    w.add("AMT", "D", format_amount(oc.paid_amount))
    w.add("OI", "", "", "Y", "", "", "Y")
    _person(w, "IL", s.last_name, s.first_name, s.middle_name, ("MI", s.member_id))
    if s.address:
        _address(w, s.address)
    w.add("NM1", "PR", "2", oc.payer.name, "", "", "", "", "PI", oc.payer.payer_id)


def _procedure(code: str, modifiers: tuple[str, ...]) -> Composite:
    if len(modifiers) > 4:
        raise X12Error(f"procedure {code}: at most 4 modifiers", segment_id="SV1")
    return ("HC", code, *modifiers)


def _service_line(
    w: SegmentWriter, number: int, line: ServiceLine, other: OtherCoverage | None
) -> None:
    w.add("LX", str(number))
    procedure = _procedure(line.procedure_code, line.modifiers)
    pointers: Composite = tuple(str(p) for p in line.diagnosis_pointers)
    charge = format_amount(line.charge)
    w.add("SV1", procedure, charge, "UN", format_quantity(line.units), "", "", pointers)
    w.add("DTP", "472", "D8", format_date(line.service_date))
    if line.line_control_number:
        w.add("REF", "6R", line.line_control_number)
    adj = line.adjudication
    if adj is not None and other is not None:
        units = format_quantity(adj.paid_units if adj.paid_units is not None else line.units)
        paid = format_amount(adj.paid_amount)
        w.add("SVD", other.payer.payer_id, paid, procedure, "", units)
        _adjustments(w, adj.adjustments)
        w.add("DTP", "573", "D8", format_date(adj.adjudication_date))
