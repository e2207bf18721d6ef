"""835 remittance advice (005010X221A1) -> dataclasses with Decimal amounts, plus balance checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rcm.x12.base import Delimiters, is_digits, shown
from rcm.x12.reader import Segment, Transaction, gc_paused, read_transactions

ZERO = Decimal("0")
ONE = Decimal("1")
# CR (corrections and reversals) left the code list in 5010 but still appears in real files.
CAS_GROUP_CODES = frozenset({"CO", "OA", "PI", "PR", "CR"})
REVERSAL_STATUS = "22"
_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)")  # ASCII digits: `\d` takes any script
_NUMBER_DIGITS = 18  # an X12 R element has at most 18 digits, sign and point not counted


@dataclass
class Adjustment:
    """One CAS triplet: group code, reason code, amount and optional quantity."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass
class ServiceLine:
    """Loop 2110 (SVC) with its dates, adjustments, control number and remark codes."""

    qualifier: str
    procedure_code: str
    modifiers: list[str]
    charge: Decimal
    paid: Decimal
    units: Decimal = ONE
    revenue_code: str = ""
    service_date: date | None = None
    service_date_end: date | None = None
    control_number: str = ""
    adjustments: list[Adjustment] = field(default_factory=list)
    remark_codes: list[str] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)


@dataclass
class ClaimPayment:
    """Loop 2100 (CLP): the claim's amounts, adjustments, remarks, patient and service lines."""

    control_number: str
    status_code: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal = ZERO
    filing_indicator: str = ""
    payer_claim_number: str = ""
    facility_type: str = ""
    frequency: str = ""
    patient_last_name: str = ""
    patient_first_name: str = ""
    patient_id: str = ""
    service_date_start: date | None = None
    service_date_end: date | None = None
    # NM1*TT: the payer crossed the claim over to this carrier (the next payer) itself.
    crossover_carrier: str = ""
    adjustments: list[Adjustment] = field(default_factory=list)
    remark_codes: list[str] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)
    service_lines: list[ServiceLine] = field(default_factory=list)

    @property
    def is_reversal(self) -> bool:
        """CLP02 = 22: the payer takes back an earlier payment (amounts are negative)."""
        return self.status_code == REVERSAL_STATUS


@dataclass
class ProviderAdjustment:
    """One PLB reason/amount pair; a positive amount reduces the payment."""

    provider_id: str
    fiscal_period_date: date | None
    reason: str
    reference: str
    amount: Decimal


@dataclass
class Remittance:
    """One 835 transaction (ST..SE): the payment, the parties, claims and provider adjustments."""

    control_number: str
    handling_code: str = ""
    payment_amount: Decimal = ZERO
    credit_debit: str = ""
    payment_method: str = ""
    payment_date: date | None = None
    trace_number: str = ""
    payer_id: str = ""
    production_date: date | None = None
    payer_name: str = ""
    payer_identifier: str = ""
    payer_references: dict[str, str] = field(default_factory=dict)
    payee_name: str = ""
    payee_npi: str = ""
    payee_id_qualifier: str = ""
    payee_id: str = ""
    claims: list[ClaimPayment] = field(default_factory=list)
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)


def amount(seg: Segment, position: int, default: Decimal | None = None) -> Decimal:
    """Element `position` as a Decimal; empty -> `default` (an error when there is none)."""
    text = seg.get(position).strip()
    if not text:
        if default is None:
            raise seg.error(f"{seg.id}{position:02d} is required and empty")
        return default
    digits = len(text) - text.startswith("-") - ("." in text)
    if digits > _NUMBER_DIGITS or not _NUMBER.fullmatch(text):
        raise seg.error(f"{seg.id}{position:02d} is not a number: {shown(text)}")
    return Decimal(text)


def ccyymmdd(seg: Segment, position: int) -> date | None:
    """Element `position` as a date (CCYYMMDD); empty -> None."""
    text = seg.get(position).strip()
    if not text:
        return None
    try:
        if len(text) != 8 or not is_digits(text, 8):
            raise ValueError(text)
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise seg.error(f"{seg.id}{position:02d} is not a date CCYYMMDD: {shown(text)}") from None


def parse_835(data: bytes | str) -> list[Remittance]:
    """Every 835 transaction in the data, one Remittance per ST; other transaction types fail."""
    with gc_paused():
        return [parse_transaction(t, delimiters) for t, delimiters in read_transactions(data)]


def parse_transaction(transaction: Transaction, delimiters: Delimiters) -> Remittance:
    """One ST..SE of type 835 -> Remittance."""
    st = transaction.segments[0]
    if transaction.type != "835":
        raise st.error(f"transaction type {shown(transaction.type)} is not an 835")
    builder = _Builder(Remittance(control_number=transaction.st_control), delimiters)
    for seg in transaction.segments[1:-1]:
        builder.feed(seg)
    return builder.remittance


class _Builder:
    """Walks the segments of one 835, keeping track of the loop it is in."""

    def __init__(self, remittance: Remittance, delimiters: Delimiters) -> None:
        self.remittance = remittance
        self.component = delimiters.component
        self.party = ""  # "PR" or "PE" after the N1 of loop 1000A / 1000B
        self.claim: ClaimPayment | None = None
        self.line: ServiceLine | None = None

    def feed(self, seg: Segment) -> None:
        handler = _HANDLERS.get(seg.id)
        if handler is not None:
            handler(self, seg)

    def need_claim(self, seg: Segment) -> ClaimPayment:
        if self.claim is None:
            raise seg.error(f"{seg.id} before any CLP")
        return self.claim

    def bpr(self, seg: Segment) -> None:
        r = self.remittance
        r.handling_code = seg.get(1)
        r.payment_amount = amount(seg, 2)
        r.credit_debit = seg.get(3)
        r.payment_method = seg.get(4)
        r.payment_date = ccyymmdd(seg, 16)

    def trn(self, seg: Segment) -> None:
        self.remittance.trace_number = seg.get(2)
        self.remittance.payer_id = seg.get(3)

    def dtm(self, seg: Segment) -> None:
        qualifier = seg.get(1)
        if qualifier == "405" and self.claim is None:
            self.remittance.production_date = ccyymmdd(seg, 2)
        elif self.line is not None and qualifier in ("472", "150", "151"):
            when = ccyymmdd(seg, 2)
            if qualifier == "151":
                self.line.service_date_end = when
            else:
                self.line.service_date = when
        elif self.claim is not None and qualifier in ("232", "233"):
            when = ccyymmdd(seg, 2)
            if qualifier == "232":
                self.claim.service_date_start = when
            else:
                self.claim.service_date_end = when

    def n1(self, seg: Segment) -> None:
        self.party = seg.get(1)
        r = self.remittance
        if self.party == "PR":
            r.payer_name = seg.get(2)
            r.payer_identifier = seg.get(4) or r.payer_identifier
        elif self.party == "PE":
            r.payee_name = seg.get(2)
            r.payee_id_qualifier = seg.get(3)
            r.payee_id = seg.get(4)
            if seg.get(3) == "XX":
                r.payee_npi = seg.get(4)

    def ref(self, seg: Segment) -> None:
        qualifier, value = seg.get(1), seg.get(2)
        if self.line is not None:
            self.line.references[qualifier] = value
            if qualifier == "6R":
                self.line.control_number = value
        elif self.claim is not None:
            self.claim.references[qualifier] = value
        elif self.party == "PR":
            self.remittance.payer_references[qualifier] = value
            if qualifier == "2U" and not self.remittance.payer_identifier:
                self.remittance.payer_identifier = value

    def lx(self, seg: Segment) -> None:
        self.party = ""
        self.claim = None
        self.line = None

    def clp(self, seg: Segment) -> None:
        self.party = ""
        self.line = None
        self.claim = ClaimPayment(
            control_number=seg.get(1),
            status_code=seg.get(2),
            charge=amount(seg, 3),
            paid=amount(seg, 4),
            patient_responsibility=amount(seg, 5, ZERO),
            filing_indicator=seg.get(6),
            payer_claim_number=seg.get(7),
            facility_type=seg.get(8),
            frequency=seg.get(9),
        )
        if not self.claim.control_number:
            raise seg.error("CLP01 claim control number is empty")
        self.remittance.claims.append(self.claim)

    def cas(self, seg: Segment) -> None:
        claim = self.need_claim(seg)
        group = seg.get(1)
        if group not in CAS_GROUP_CODES:
            raise seg.error(f"CAS01 {shown(group)} is not an adjustment group code")
        target = self.line.adjustments if self.line is not None else claim.adjustments
        for first in range(2, 20, 3):
            reason = seg.get(first)
            if not reason:
                continue
            quantity = amount(seg, first + 2, ZERO) if seg.get(first + 2).strip() else None
            target.append(Adjustment(group, reason, amount(seg, first + 1), quantity))

    def nm1(self, seg: Segment) -> None:
        if self.claim is not None and self.line is None and seg.get(1) == "QC":
            self.claim.patient_last_name = seg.get(3)
            self.claim.patient_first_name = seg.get(4)
            self.claim.patient_id = seg.get(9).strip()
        elif self.claim is not None and self.line is None and seg.get(1) == "TT":
            # The crossover carrier: its name, or its id (NM109) when the name is empty.
            self.claim.crossover_carrier = (seg.get(3) or seg.get(9)).strip() or "TT"

    def moa(self, seg: Segment) -> None:
        claim = self.need_claim(seg)
        claim.remark_codes.extend(c for c in (seg.get(p) for p in range(3, 8)) if c)

    def mia(self, seg: Segment) -> None:
        claim = self.need_claim(seg)
        claim.remark_codes.extend(c for c in (seg.get(p) for p in (5, 20, 21, 22, 23)) if c)

    def svc(self, seg: Segment) -> None:
        claim = self.need_claim(seg)
        parts = seg.get(1).split(self.component)
        if len(parts) < 2 or not parts[1]:
            raise seg.error(
                f"SVC01 {shown(seg.get(1))} is not qualifier{self.component}procedure code "
                f"(the ISA16 component separator is {self.component!r})"
            )
        self.line = ServiceLine(
            qualifier=parts[0],
            procedure_code=parts[1],
            modifiers=[m for m in parts[2:6] if m],
            charge=amount(seg, 2),
            paid=amount(seg, 3),
            revenue_code=seg.get(4),
            units=amount(seg, 5, ONE),
        )
        claim.service_lines.append(self.line)

    def lq(self, seg: Segment) -> None:
        if self.line is None:
            raise seg.error("LQ outside a service line")
        if seg.get(1) == "HE" and seg.get(2):
            self.line.remark_codes.append(seg.get(2))

    def plb(self, seg: Segment) -> None:
        self.claim = None
        self.line = None
        provider, period = seg.get(1), ccyymmdd(seg, 2)
        for first in range(3, 15, 2):
            composite = seg.get(first)
            if not composite:
                continue
            reason, _, reference = composite.partition(self.component)
            adjustment = ProviderAdjustment(
                provider, period, reason, reference, amount(seg, first + 1)
            )
            self.remittance.provider_adjustments.append(adjustment)


_HANDLERS = {
    "BPR": _Builder.bpr,
    "TRN": _Builder.trn,
    "DTM": _Builder.dtm,
    "N1": _Builder.n1,
    "REF": _Builder.ref,
    "LX": _Builder.lx,
    "CLP": _Builder.clp,
    "CAS": _Builder.cas,
    "NM1": _Builder.nm1,
    "MOA": _Builder.moa,
    "MIA": _Builder.mia,
    "SVC": _Builder.svc,
    "LQ": _Builder.lq,
    "PLB": _Builder.plb,
}


def check_balance(remittance: Remittance) -> list[str]:
    """Problems with the 835 balancing rules; an empty list means the remittance balances.

    Claim: CLP03 - all CAS (claim and line) = CLP04. Line: SVC02 - line CAS = SVC03.
    Payment: BPR02 = sum CLP04 - sum PLB. Reversals (CLP02 = 22) carry negative charge, paid
    and adjustment amounts, so the same equations hold and are applied to every status code.
    """
    problems: list[str] = []
    for claim in remittance.claims:
        problems.extend(claim_balance_problems(claim))
    total = payment_balance_problem(remittance)
    if total:
        problems.append(total)
    return problems


def payment_balance_problem(remittance: Remittance) -> str:
    """Why BPR02 is not the claims paid less the PLB amounts; '' when it is."""
    paid = sum((c.paid for c in remittance.claims), ZERO)
    plb = sum((p.amount for p in remittance.provider_adjustments), ZERO)
    if paid - plb == remittance.payment_amount:
        return ""
    return (
        f"remittance {remittance.control_number}: BPR02 {remittance.payment_amount} != "
        f"claims paid {paid} - provider adjustments {plb} = {paid - plb}"
    )


def claim_balance_problems(claim: ClaimPayment) -> list[str]:
    """Why one CLP's lines and adjustments do not add up to its paid amount; [] when they do."""
    problems: list[str] = []
    total = sum((a.amount for a in claim.adjustments), ZERO)
    for number, line in enumerate(claim.service_lines, start=1):
        line_adjusted = sum((a.amount for a in line.adjustments), ZERO)
        total += line_adjusted
        if line.charge - line_adjusted != line.paid:
            problems.append(
                f"claim {claim.control_number} line {number} ({line.procedure_code}): charge "
                f"{line.charge} - adjustments {line_adjusted} = {line.charge - line_adjusted}, "
                f"paid {line.paid}"
            )
    if claim.charge - total != claim.paid:
        problems.append(
            f"claim {claim.control_number}: charge {claim.charge} - adjustments {total} = "
            f"{claim.charge - total}, paid {claim.paid}"
        )
    return problems
