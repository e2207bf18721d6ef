"""What a payer sends back (999, 277CA, 835, 271, 277): small dataclasses and their writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from rcm.x12.base import DEFAULT_DELIMITERS, Delimiters
from rcm.x12.writer import (
    Composite,
    FunctionalGroup,
    InterchangeHeader,
    SegmentWriter,
    format_amount,
    format_date,
    format_quantity,
)

ZERO = Decimal("0")
VERSION_999 = "005010X231A1"
VERSION_277CA = "005010X214"
VERSION_835 = "005010X221A1"
VERSION_271 = "005010X279A1"
VERSION_277 = "005010X212"


@dataclass(frozen=True)
class ResponseHeader:
    """Who sends the response to whom, when, and the one control number used for ISA, GS, ST."""

    sender_id: str
    receiver_id: str
    control_number: int
    created: datetime


def _open(
    header: ResponseHeader,
    functional_id: str,
    set_id: str,
    version: str,
    delims: Delimiters,
    st03: bool = True,
) -> SegmentWriter:
    w = SegmentWriter(delims)
    n, when = header.control_number, header.created
    interchange = InterchangeHeader(header.sender_id, header.receiver_id, n, when)
    group = FunctionalGroup(header.sender_id, header.receiver_id, n, when, functional_id, version)
    w.begin_single(interchange, group, set_id, n, version if st03 else "")
    return w


def _dates(start: date, end: date | None) -> tuple[str, str]:
    if end is None or end == start:
        return "D8", format_date(start)
    return "RD8", f"{format_date(start)}-{format_date(end)}"


# 999 implementation acknowledgment ----------------------------------------------------------


@dataclass(frozen=True)
class SegmentError:
    """IK3 (and IK4 when `element_position` is set): a segment the receiver could not accept.

    `code` is IK304 (1 unrecognized segment, 2 unexpected, 3 required missing, 8 has data
    element errors …); `element_code` is IK403 (1 required missing, 7 invalid code value …).
    """

    segment_id: str
    position: int
    code: str
    loop_id: str = ""
    element_position: int | None = None
    element_code: str = ""


@dataclass(frozen=True)
class TransactionAck:
    """AK2..IK5 for one transaction set; `syntax_codes` are IK502.. when it is rejected."""

    set_id: str
    control_number: str
    version: str
    accepted: bool
    errors: tuple[SegmentError, ...] = ()
    syntax_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ack999:
    """The acknowledgment of one received functional group (AK1..AK9)."""

    functional_id: str
    group_control: str
    group_version: str
    transactions: tuple[TransactionAck, ...] = ()
    received_count: int | None = None
    group_codes: tuple[str, ...] = ()


def write_999(
    header: ResponseHeader, ack: Ack999, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> str:
    """A 999 (005010X231A1) accepting or rejecting the transaction sets of one group."""
    w = _open(header, "FA", "999", VERSION_999, delimiters)
    w.add("AK1", ack.functional_id, ack.group_control, ack.group_version)
    for t in ack.transactions:
        w.add("AK2", t.set_id, t.control_number, t.version)
        for e in t.errors:
            w.add("IK3", e.segment_id, str(e.position), e.loop_id, e.code)
            if e.element_position is not None:
                w.add("IK4", str(e.element_position), "", e.element_code or "8")
        codes = t.syntax_codes[:5] if not t.accepted else ()
        w.add("IK5", "A" if t.accepted else "R", *codes)
    accepted = sum(1 for t in ack.transactions if t.accepted)
    included = len(ack.transactions)
    received = included if ack.received_count is None else ack.received_count
    status = "A" if accepted == included else "P"
    if ack.group_codes or accepted == 0:
        status = "R"
    w.add("AK9", status, str(included), str(received), str(accepted), *ack.group_codes[:5])
    return w.end_single()


# 277CA claim acknowledgment -----------------------------------------------------------------


@dataclass(frozen=True)
class ClaimAck:
    """One claim's status in a 277CA: `category`:`status` e.g. A2:20 accepted, A3:33 rejected."""

    control_number: str
    accepted: bool
    category: str
    status: str
    charge: Decimal
    member_id: str
    last_name: str
    first_name: str
    service_start: date
    service_end: date | None = None
    payer_claim_number: str = ""
    entity: str = ""


@dataclass(frozen=True)
class Ack277CA:
    """A claim acknowledgment for one received batch, from one payer to one provider."""

    reference: str
    received: date
    processed: date
    payer_name: str
    payer_id: str
    receiver_name: str
    receiver_id: str
    provider_name: str
    provider_npi: str
    batch_reference: str
    claims: tuple[ClaimAck, ...] = ()


def _accept_totals(claims: tuple[ClaimAck, ...]) -> tuple[int, int, Decimal, Decimal]:
    accepted = [c for c in claims if c.accepted]
    rejected = [c for c in claims if not c.accepted]
    return (
        len(accepted),
        len(rejected),
        sum((c.charge for c in accepted), ZERO),
        sum((c.charge for c in rejected), ZERO),
    )


def _totals(w: SegmentWriter, claims: tuple[ClaimAck, ...], qty: tuple[str, str]) -> None:
    n_ok, n_bad, amount_ok, amount_bad = _accept_totals(claims)
    if n_ok:
        w.add("QTY", qty[0], str(n_ok))
    if n_bad:
        w.add("QTY", qty[1], str(n_bad))
    if n_ok:
        w.add("AMT", "YU", format_amount(amount_ok))
    if n_bad:
        w.add("AMT", "YY", format_amount(amount_bad))


def write_277ca(
    header: ResponseHeader, ack: Ack277CA, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> str:
    """A 277CA (005010X214): receipt of the batch and one STC per claim."""
    w = _open(header, "HN", "277", VERSION_277CA, delimiters)
    when = header.created
    w.add("BHT", "0085", "08", ack.reference, format_date(when), when.strftime("%H%M"), "TH")
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", ack.payer_name, "", "", "", "", "PI", ack.payer_id)
    w.add("TRN", "1", ack.reference)
    w.add("DTP", "050", "D8", format_date(ack.received))
    w.add("DTP", "009", "D8", format_date(ack.processed))
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "41", "2", ack.receiver_name, "", "", "", "", "46", ack.receiver_id)
    total = sum((c.charge for c in ack.claims), ZERO)
    w.add("TRN", "2", ack.batch_reference)
    processed = format_date(ack.processed)
    w.add("STC", ("A1", "19", "PR"), processed, "WQ", format_amount(total))
    _totals(w, ack.claims, ("90", "AA"))
    w.add("HL", "3", "2", "19", "1")
    w.add("NM1", "85", "2", ack.provider_name, "", "", "", "", "XX", ack.provider_npi)
    w.add("TRN", "1", "0")
    w.add("STC", ("A1", "19", "PR"), "", "WQ", format_amount(total))
    _totals(w, ack.claims, ("QA", "QC"))
    for number, claim in enumerate(ack.claims, start=4):
        _claim_ack(w, number, claim, processed)
    return w.end_single()


def _claim_ack(w: SegmentWriter, hl: int, claim: ClaimAck, processed: str) -> None:
    w.add("HL", str(hl), "3", "PT")
    w.add("NM1", "QC", "1", claim.last_name, claim.first_name, "", "", "", "MI", claim.member_id)
    w.add("TRN", "2", claim.control_number)
    status: Composite = (claim.category, claim.status, claim.entity or None)
    action = "WQ" if claim.accepted else "U"
    w.add("STC", status, processed, action, format_amount(claim.charge))
    if claim.payer_claim_number:
        w.add("REF", "1K", claim.payer_claim_number)
    w.add("DTP", "472", *_dates(claim.service_start, claim.service_end))


# 835 remittance advice ----------------------------------------------------------------------


@dataclass(frozen=True)
class RemitAdjustment:
    """One CAS triple."""

    group: str
    reason: str
    amount: Decimal


@dataclass(frozen=True)
class RemitLine:
    """Loop 2110: one adjudicated service line; charge - adjustments must equal paid."""

    procedure_code: str
    charge: Decimal
    paid: Decimal
    service_date: date
    units: Decimal = Decimal(1)
    modifiers: tuple[str, ...] = ()
    control_number: str = ""
    allowed: Decimal | None = None
    adjustments: tuple[RemitAdjustment, ...] = ()
    remark_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemitClaim:
    """Loop 2100: CLP02 is 1 (processed as primary), 4 (denied) or 22 (reversal)."""

    control_number: str
    status: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    payer_claim_number: str
    member_id: str
    last_name: str
    first_name: str
    frequency: str = "1"
    filing_indicator: str = "12"
    place_of_service: str = "11"
    lines: tuple[RemitLine, ...] = ()


@dataclass(frozen=True)
class Remittance835:
    """One 835 payment. A negative claims total is carried forward with PLB FB, BPR02 = 0."""

    payer_name: str
    payer_id: str
    payer_tin: str
    payee_name: str
    payee_npi: str
    trace_number: str
    payment_date: date
    production_date: date
    claims: tuple[RemitClaim, ...] = ()
    payer_address: tuple[str, str, str, str] = ("1 SANDBOX WAY", "TESTVILLE", "IL", "62701")
    payer_phone: str = "8005550100"


def remittance_total(remit: Remittance835) -> Decimal:
    """BPR02: the claims paid, or zero when reversals outweigh payments (carried forward)."""
    paid = sum((c.paid for c in remit.claims), ZERO)
    return max(paid, ZERO)


def write_835(
    header: ResponseHeader, remit: Remittance835, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> str:
    """An 835 (005010X221A1), balanced: claim, line and payment equations all hold."""
    w = _open(header, "HP", "835", VERSION_835, delimiters, st03=False)  # ST03 not used
    total = remittance_total(remit)
    paid_on = format_date(remit.payment_date)
    gap = [""] * 11
    if total > 0:
        w.add("BPR", "I", format_amount(total), "C", "CHK", *gap, paid_on)
    else:
        w.add("BPR", "H", "0", "C", "NON", *gap, paid_on)
    w.add("TRN", "1", remit.trace_number, "1" + remit.payer_tin)
    w.add("DTM", "405", format_date(remit.production_date))
    w.add("N1", "PR", remit.payer_name)
    street, city, state, postal = remit.payer_address
    w.add("N3", street)
    w.add("N4", city, state, postal)
    w.add("REF", "2U", remit.payer_id)
    w.add("PER", "BL", "SANDBOX SUPPORT", "TE", remit.payer_phone)
    w.add("N1", "PE", remit.payee_name, "XX", remit.payee_npi)
    if remit.claims:
        w.add("LX", "1")
    for claim in remit.claims:
        _remit_claim(w, claim)
    paid = sum((c.paid for c in remit.claims), ZERO)
    if paid < 0:
        period = date(remit.payment_date.year, 12, 31)
        w.add(
            "PLB",
            remit.payee_npi,
            format_date(period),
            ("FB", remit.trace_number),
            format_amount(paid),
        )
    return w.end_single()


def _remit_claim(w: SegmentWriter, c: RemitClaim) -> None:
    w.add(
        "CLP",
        c.control_number,
        c.status,
        format_amount(c.charge),
        format_amount(c.paid),
        format_amount(c.patient_responsibility),
        c.filing_indicator,
        c.payer_claim_number,
        c.place_of_service,
        c.frequency,
    )
    w.add("NM1", "QC", "1", c.last_name, c.first_name, "", "", "", "MI", c.member_id)
    for line in c.lines:
        _remit_line(w, line)


def _remit_line(w: SegmentWriter, line: RemitLine) -> None:
    procedure: Composite = ("HC", line.procedure_code, *line.modifiers[:4])
    charge, paid = format_amount(line.charge), format_amount(line.paid)
    w.add("SVC", procedure, charge, paid, "", format_quantity(abs(line.units)))
    w.add("DTM", "472", format_date(line.service_date))
    w.add_adjustments((a.group, a.reason, a.amount) for a in line.adjustments)
    if line.control_number:
        w.add("REF", "6R", line.control_number)
    if line.allowed is not None:
        w.add("AMT", "B6", format_amount(line.allowed))
    for code in line.remark_codes:
        w.add("LQ", "HE", code)


# 271 eligibility response -------------------------------------------------------------------


@dataclass(frozen=True)
class Benefit:
    """One EB: code (1 active, 6 inactive, A coinsurance, B copay, C deductible, G out of
    pocket), service types, time period (23 calendar year, 27 visit, 29 remaining)."""

    code: str
    service_types: tuple[str, ...] = ("30",)
    plan_name: str = ""
    time_period: str = ""
    amount: Decimal | None = None
    percent: Decimal | None = None
    in_network: str = ""


@dataclass(frozen=True)
class EligibilityAnswer:
    """A 271 for one subscriber; `found` False writes AAA*N**75 (subscriber not found)."""

    reference: str
    payer_name: str
    payer_id: str
    provider_name: str
    provider_npi: str
    trace_number: str
    trace_originator: str
    member_id: str
    last_name: str
    first_name: str
    service_date: date
    found: bool = True
    benefits: tuple[Benefit, ...] = ()


def write_271(
    header: ResponseHeader, answer: EligibilityAnswer, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> str:
    """A 271 (005010X279A1) answering one subscriber's eligibility inquiry."""
    w = _open(header, "HB", "271", VERSION_271, delimiters)
    when = header.created
    w.add("BHT", "0022", "11", answer.reference, format_date(when), when.strftime("%H%M"))
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", answer.payer_name, "", "", "", "", "PI", answer.payer_id)
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "1P", "2", answer.provider_name, "", "", "", "", "XX", answer.provider_npi)
    w.add("HL", "3", "2", "22", "0")
    if answer.trace_number:
        w.add("TRN", "2", answer.trace_number, answer.trace_originator or "9SANDBOX01")
    last, first = answer.last_name, answer.first_name
    w.add("NM1", "IL", "1", last, first or None, "", "", "", "MI", answer.member_id)
    if not answer.found:
        w.add("AAA", "N", "", "75", "C")
        return w.end_single()
    w.add("DTP", "291", "D8", format_date(answer.service_date))
    for b in answer.benefits:
        _benefit(w, b)
    return w.end_single()


def _benefit(w: SegmentWriter, b: Benefit) -> None:
    types: list[str | Composite | None] = list(b.service_types)  # one type: no repetition
    w.add(
        "EB",
        b.code,
        "IND",
        types,
        "",
        b.plan_name,
        b.time_period,
        format_amount(b.amount) if b.amount is not None else "",
        _plain_percent(b.percent),
        "",
        "",
        "",
        b.in_network,
    )


def _plain_percent(percent: Decimal | None) -> str:
    if percent is None:
        return ""
    return format_quantity(percent / 100)


# 277 claim status response ------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimStatusReply:
    """One claim's status in a 277: e.g. F1:65 paid, F2:… denied, A4:35 not found."""

    member_id: str
    last_name: str
    first_name: str
    trace_number: str
    category: str
    status: str
    status_date: date
    charge: Decimal = ZERO
    paid: Decimal | None = None
    control_number: str = ""
    payer_claim_number: str = ""
    adjudicated: date | None = None
    check_number: str = ""
    check_date: date | None = None
    service_start: date | None = None
    service_end: date | None = None


@dataclass(frozen=True)
class StatusReply:
    """A 277 answering one 276: the payer, the provider and one entry per claim asked about."""

    reference: str
    payer_name: str
    payer_id: str
    receiver_name: str
    receiver_id: str
    provider_name: str
    provider_npi: str
    claims: tuple[ClaimStatusReply, ...] = field(default_factory=tuple)


def write_277(
    header: ResponseHeader, answer: StatusReply, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> str:
    """A 277 (005010X212) with one STC per claim asked about."""
    w = _open(header, "HN", "277", VERSION_277, delimiters)
    when = header.created
    w.add("BHT", "0010", "08", answer.reference, format_date(when), when.strftime("%H%M"), "DG")
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", answer.payer_name, "", "", "", "", "PI", answer.payer_id)
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "41", "2", answer.receiver_name, "", "", "", "", "46", answer.receiver_id)
    w.add("HL", "3", "2", "19", "1")
    w.add("NM1", "1P", "2", answer.provider_name, "", "", "", "", "XX", answer.provider_npi)
    for number, claim in enumerate(answer.claims, start=4):
        _claim_status(w, number, claim)
    return w.end_single()


def _claim_status(w: SegmentWriter, hl: int, c: ClaimStatusReply) -> None:
    w.add("HL", str(hl), "3", "22", "0")
    w.add("NM1", "IL", "1", c.last_name, c.first_name or None, "", "", "", "MI", c.member_id)
    w.add("TRN", "2", c.trace_number)
    w.add(
        "STC",
        (c.category, c.status),
        format_date(c.status_date),
        "",
        format_amount(c.charge),
        format_amount(c.paid) if c.paid is not None else "",
        format_date(c.adjudicated) if c.adjudicated else "",
        "",  # STC07 payment method is not used in 005010X212
        format_date(c.check_date) if c.check_date else "",
        c.check_number,
    )
    if c.payer_claim_number:
        w.add("REF", "1K", c.payer_claim_number)
    if c.control_number:
        w.add("REF", "EJ", c.control_number)
    if c.service_start is not None:
        w.add("DTP", "472", *_dates(c.service_start, c.service_end))
