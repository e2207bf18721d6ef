"""277CA claim acknowledgment (005010X214) -> per-claim accepted or rejected, codes explained."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rcm.x12.base import Delimiters, describe, shown
from rcm.x12.era835 import amount, ccyymmdd
from rcm.x12.reader import Segment, Transaction, gc_paused, read_transactions

# Claim status category codes (STC01-1, STC10-1, STC11-1), paraphrased.
CATEGORY_CODES = {
    "A0": "Acknowledgement/forwarded: the claim was forwarded to another entity",
    "A1": "Acknowledgement/receipt: received, not yet accepted for adjudication",
    "A2": "Acknowledgement/acceptance: accepted into the adjudication system",
    "A3": "Acknowledgement/returned as unprocessable: rejected, not entered for adjudication",
    "A4": "Acknowledgement/not found: the claim cannot be found in the adjudication system",
    "A5": "Acknowledgement/split claim: split upon acceptance into the adjudication system",
    "A6": "Acknowledgement/rejected for missing information",
    "A7": "Acknowledgement/rejected for invalid information",
    "A8": "Acknowledgement/rejected for a relational field in error",
    "D0": "Data search unsuccessful: no status for the claims matching the search criteria",
    "E0": "Response not possible: error in the submitted request data",
    "E1": "Response not possible: system status",
    "E2": "Information holder is not responding; resubmit later",
    "E3": "Correction required: relational fields in error",
    "E4": "Trading partner agreement requirement not met: data correction required",
    "F0": "Finalized: adjudication is complete and no more action will be taken",
    "F1": "Finalized/payment: the claim or line has been paid",
    "F2": "Finalized/denial: the claim or line has been denied",
    "F3": "Finalized/revised: adjudication information has been changed",
    "F3F": "Finalized/forwarded: forwarded to a subsequent payer named on the claim",
    "F3N": "Finalized/not forwarded to a subsequent payer",
    "F4": "Finalized/adjudication complete: no payment forthcoming",
    "F5": "Finalized/cannot process",
    "P0": "Pending: adjudication details not available",
    "P1": "Pending/in process: the claim is in the adjudication system",
    "P2": "Pending/payer review: suspended pending review",
    "P3": "Pending/provider requested information: information requested from the provider",
    "P4": "Pending/patient requested information: information requested from the patient",
    "P5": "Pending/payer administrative or system hold",
    "R0": "Request for additional information: general request",
    "R1": "Request for additional information: entity request",
    "R3": "Request for additional information: claim or line",
    "R4": "Request for additional information: documentation",
    "R5": "Request for additional information: more specific detail",
    "R6": "Request for additional information: regulatory requirements",
    "R7": "Request for additional information: confirm care is consistent with plan policy",
    "R8": "Request for additional information: confirm care is consistent with plan exceptions",
    "R9": "Request for additional information: determination of medical necessity",
    "R10": "Request for additional information: support a filed grievance or appeal",
    "R11": "Request for additional information: pre-payment review of claims",
    "R12": "Request for additional information: justify the codes used",
    "R13": "Request for additional information: original documents are not readable",
    "R14": "Request for additional information: documents received are not what was requested",
    "R15": "Request for additional information: workers' compensation coverage verification",
    "R16": "Request for additional information: eligibility determination",
}
ACCEPTED_CATEGORIES = frozenset({"A0", "A1", "A2", "A5"})
REJECTED_CATEGORIES = frozenset({"A3", "A4", "A6", "A7", "A8"})

# Claim status codes (STC01-2 ...): a common subset, paraphrased; others are reported as unknown.
STATUS_CODES = {
    "0": "Cannot provide further status electronically",
    "1": "For more detailed information, see the remittance advice",
    "2": "More detailed information in a letter",
    "3": "Claim has been adjudicated and is awaiting the payment cycle",
    "6": "Balance due from the subscriber",
    "12": "One or more submitted procedure codes have been combined",
    "15": "One or more submitted procedure codes have been modified",
    "16": "Claim forwarded to the entity",
    "17": "Claim forwarded by a third party to the entity",
    "18": "Entity received the claim but returned an invalid status",
    "19": "Entity acknowledges receipt of the claim",
    "20": "Accepted for processing",
    "21": "Missing or invalid information",
    "23": "Returned to the entity",
    "24": "Entity not approved as an electronic submitter",
    "25": "Entity not approved",
    "26": "Entity not found",
    "27": "Policy canceled",
    "29": "Subscriber and policy number/contract number mismatched",
    "30": "Subscriber and subscriber id mismatched",
    "31": "Subscriber and policyholder name mismatched",
    "32": "Subscriber and policy number/contract number not found",
    "33": "Subscriber and subscriber id not found",
    "35": "Claim not found",
    "65": "Claim or line has been paid",
    "88": "Entity not eligible for benefits for the submitted dates of service",
    "116": "Claim submitted to the incorrect payer",
    "145": "Entity's specialty/taxonomy code",
    "164": "Entity's contract/member number",
    "187": "Date(s) of service",
    "247": "Line information",
    "454": "Procedure code for services rendered",
    "481": "Claim/submission format is invalid",
    "562": "Entity's National Provider Identifier (NPI)",
}

# Entity identifier codes seen in STC composites and NM1 segments.
ENTITY_CODES = {
    "03": "Dependent",
    "1P": "Provider",
    "40": "Receiver",
    "41": "Submitter",
    "71": "Attending physician",
    "72": "Operating physician",
    "77": "Service location",
    "82": "Rendering provider",
    "85": "Billing provider",
    "87": "Pay-to provider",
    "AY": "Clearinghouse",
    "DK": "Ordering physician",
    "DN": "Referring provider",
    "DQ": "Supervising physician",
    "FA": "Facility",
    "IL": "Insured or subscriber",
    "PR": "Payer",
    "QC": "Patient",
    "PRP": "Primary payer",
    "SEP": "Secondary payer",
    "TTP": "Tertiary payer",
}
# What a new HL of each level makes us forget of the names seen so far.
_FORGET = {
    "20": ("payer", "PR", "AY", "41", "provider", "IL", "QC"),
    "21": ("41", "provider", "IL", "QC"),
    "19": ("provider", "IL", "QC"),
    "22": ("IL", "QC"),
    "PT": ("IL", "QC"),
    "23": ("QC",),
}
_KNOWN_LEVELS = frozenset(_FORGET)


@dataclass
class StatusDetail:
    """One status composite (STC01, STC10 or STC11): category, status and entity."""

    category: str
    status: str = ""
    entity: str = ""
    code_list: str = ""

    @property
    def category_description(self) -> str:
        return describe(CATEGORY_CODES, self.category)

    @property
    def status_description(self) -> str:
        return describe(STATUS_CODES, self.status)

    @property
    def entity_description(self) -> str:
        return describe(ENTITY_CODES, self.entity)


@dataclass
class StatusReport:
    """One STC segment with its dates, amounts and payment details."""

    details: list[StatusDetail]
    effective_date: date | None = None
    action_code: str = ""
    total_charge: Decimal | None = None
    paid_amount: Decimal | None = None
    adjudication_date: date | None = None
    payment_method: str = ""
    check_date: date | None = None
    check_number: str = ""
    message: str = ""


@dataclass
class ServiceLineStatus:
    """Loop 2220: SVC with its statuses, line control number (REF*FJ) and dates."""

    qualifier: str
    procedure_code: str
    modifiers: list[str]
    charge: Decimal
    paid: Decimal | None = None
    revenue_code: str = ""
    units: Decimal | None = None
    control_number: str = ""
    service_date: date | None = None
    service_date_end: date | None = None
    statuses: list[StatusReport] = field(default_factory=list)


@dataclass
class LevelStatus:
    """A status given above the claims: to the information receiver (21) or a provider (19)."""

    level: str
    entity_name: str
    entity_id: str
    trace_number: str
    statuses: list[StatusReport] = field(default_factory=list)


@dataclass
class ClaimAcknowledgment:
    """Loop 2200D of a 277CA (or 2200D/E of a 277): one claim's statuses and identifiers."""

    control_number: str
    payer_name: str = ""
    payer_id: str = ""
    provider_name: str = ""
    provider_npi: str = ""
    patient_last_name: str = ""
    patient_first_name: str = ""
    member_id: str = ""
    payer_claim_number: str = ""
    clearinghouse_trace: str = ""
    service_date: date | None = None
    service_date_end: date | None = None
    statuses: list[StatusReport] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)
    service_lines: list[ServiceLineStatus] = field(default_factory=list)

    @property
    def details(self) -> list[StatusDetail]:
        """Every status composite of the claim, in file order."""
        return [d for report in self.statuses for d in report.details]

    @property
    def categories(self) -> list[str]:
        return [d.category for d in self.details]

    @property
    def status_codes(self) -> list[str]:
        return [d.status for d in self.details if d.status]

    @property
    def entity_codes(self) -> list[str]:
        return [d.entity for d in self.details if d.entity]

    @property
    def rejected(self) -> bool:
        """Any rejection category (A3, A4, A6, A7, A8) at the claim level."""
        return any(c in REJECTED_CATEGORIES for c in self.categories)

    @property
    def accepted(self) -> bool:
        """Not rejected, and at least one accepted-for-processing category (A0, A1, A2, A5)."""
        return not self.rejected and any(c in ACCEPTED_CATEGORIES for c in self.categories)

    @property
    def total_charge(self) -> Decimal | None:
        """STC04 of the first status that carries it."""
        return next((r.total_charge for r in self.statuses if r.total_charge is not None), None)


def parse_277ca(data: bytes | str) -> list[ClaimAcknowledgment]:
    """Every claim acknowledged in the 277CA transactions of the data."""
    return [c for w in walk_277(data, _CA, ClaimAcknowledgment) for c in w.claims]


def parse_277ca_levels(data: bytes | str) -> list[LevelStatus]:
    """The receiver- and provider-level statuses of a 277CA (batch totals, batch rejections)."""
    return [s for w in walk_277(data, _CA, ClaimAcknowledgment) for s in w.levels]


@dataclass(frozen=True)
class Flavor:
    """Which 277 guide: its ST03/GS08 version prefix, a label and the HL levels holding claims."""

    version: str
    label: str
    claim_levels: frozenset[str]


_CA = Flavor("005010X214", "277CA", frozenset({"PT"}))


def walk_277(
    data: bytes | str, flavor: Flavor, factory: type[ClaimAcknowledgment]
) -> list[_Walker]:
    """Read the data and walk every 277 transaction in it; other types and versions fail."""
    with gc_paused():
        return [
            walk_277_transaction(transaction, delimiters, flavor, factory)
            for transaction, delimiters in read_transactions(data)
        ]


def walk_277_transaction(
    transaction: Transaction,
    delimiters: Delimiters,
    flavor: Flavor,
    factory: type[ClaimAcknowledgment],
) -> _Walker:
    """Walk one 277 ST..SE already read (its claims and levels are on the result)."""
    return _walk_transaction(transaction, _Walker(delimiters, flavor.claim_levels, factory), flavor)


def parse_277ca_transaction(
    transaction: Transaction, delimiters: Delimiters
) -> list[ClaimAcknowledgment]:
    """The claims acknowledged in one 277CA ST..SE."""
    return walk_277_transaction(transaction, delimiters, _CA, ClaimAcknowledgment).claims


def _walk_transaction(transaction: Transaction, walker: _Walker, flavor: Flavor) -> _Walker:
    st = transaction.segments[0]
    if transaction.type != "277":
        raise st.error(f"transaction type {shown(transaction.type)} is not a 277")
    if not transaction.version.startswith(flavor.version):
        raise st.error(
            f"version {shown(transaction.version)} is not {flavor.version} ({flavor.label})"
        )
    for seg in transaction.segments[1:-1]:
        walker.feed(seg)
    return walker


def parse_stc(seg: Segment, component: str) -> StatusReport:
    """STC -> StatusReport; STC01 needs at least a category code."""
    details = [_detail(seg, p, component) for p in (1, 10, 11) if seg.get(p)]
    if not seg.get(1) or not details[0].category:
        raise seg.error("STC01 status category code is empty")
    return StatusReport(
        details=details,
        effective_date=ccyymmdd(seg, 2),
        action_code=seg.get(3),
        total_charge=amount(seg, 4) if seg.get(4).strip() else None,
        paid_amount=amount(seg, 5) if seg.get(5).strip() else None,
        adjudication_date=ccyymmdd(seg, 6),
        payment_method=seg.get(7),
        check_date=ccyymmdd(seg, 8),
        check_number=seg.get(9),
        message=seg.get(12),
    )


def _detail(seg: Segment, position: int, component: str) -> StatusDetail:
    parts = [*seg.get(position).split(component), "", "", ""]
    if not parts[0]:
        raise seg.error(f"STC{position:02d} {shown(seg.get(position))} has no category code")
    return StatusDetail(parts[0], parts[1], parts[2], parts[3])


def date_or_range(seg: Segment) -> tuple[date | None, date | None]:
    """DTP with D8 (one date) or RD8 (CCYYMMDD-CCYYMMDD) -> (start, end)."""
    qualifier, value = seg.get(2), seg.get(3)
    if qualifier == "D8":
        day = ccyymmdd(seg, 3)
        return day, day
    if qualifier == "RD8":
        start, _, end = value.partition("-")
        probe = Segment(seg.id, [start, end], seg.index, seg.line)
        return _named(probe, 1, seg, 3), _named(probe, 2, seg, 3)
    raise seg.error(f"DTP02 {shown(qualifier)} is not D8 or RD8")


def _named(probe: Segment, position: int, seg: Segment, real: int) -> date | None:
    try:
        return ccyymmdd(probe, position)
    except ValueError:
        raise seg.error(f"{seg.id}{real:02d} is not a date range: {shown(seg.get(real))}") from None


class _Walker:
    """Walks the HL tree of one 277, making a claim record at each TRN of a claim level."""

    def __init__(
        self,
        delimiters: Delimiters,
        claim_levels: frozenset[str],
        factory: type[ClaimAcknowledgment],
    ) -> None:
        self.component = delimiters.component
        self.claim_levels = claim_levels
        self.factory = factory
        self.claims: list[ClaimAcknowledgment] = []
        self.levels: list[LevelStatus] = []
        self.hl_ids: set[str] = set()
        self.level = ""
        self.names: dict[str, tuple[str, str, str]] = {}  # NM101 -> (last, first, id)
        self.claim: ClaimAcknowledgment | None = None
        self.level_status: LevelStatus | None = None
        self.line: ServiceLineStatus | None = None

    def feed(self, seg: Segment) -> None:
        handler = _HANDLERS.get(seg.id)
        if handler is not None:
            handler(self, seg)

    def hl(self, seg: Segment) -> None:
        hl_id, parent, level = seg.get(1).strip(), seg.get(2).strip(), seg.get(3)
        if not hl_id or hl_id in self.hl_ids:
            raise seg.error(f"HL01 {shown(hl_id)} is empty or used twice")
        if parent and parent not in self.hl_ids:
            raise seg.error(f"HL02 parent {shown(parent)} is not an earlier HL")
        if level not in _KNOWN_LEVELS:
            raise seg.error(f"HL03 level code {shown(level)} is not used in a 277")
        if level == "20" and parent:
            raise seg.error("HL03 20 (information source) must not have a parent")
        if level != "20" and not parent:
            raise seg.error(f"HL03 {level} needs a parent HL02")
        self.hl_ids.add(hl_id)
        self.level = level
        for key in _FORGET[level]:
            self.names.pop(key, None)
        self.claim = None
        self.level_status = None
        self.line = None

    def nm1(self, seg: Segment) -> None:
        self.names[seg.get(1)] = (seg.get(3), seg.get(4), seg.get(9).strip())
        if seg.get(1) in ("PR", "AY"):
            self.names["payer"] = self.names[seg.get(1)]
        elif seg.get(1) in ("85", "1P"):
            npi = seg.get(9).strip() if seg.get(8) == "XX" else ""
            self.names["provider"] = (seg.get(3), seg.get(4), npi)

    def trn(self, seg: Segment) -> None:
        if not self.level:
            raise seg.error("TRN before any HL")
        if self.level in self.claim_levels:
            self._start_claim(seg)
        elif self.level in ("21", "19"):
            who = self.names.get("41" if self.level == "21" else "provider", ("", "", ""))
            self.level_status = LevelStatus(self.level, who[0], who[2], seg.get(2))
            self.levels.append(self.level_status)

    def _start_claim(self, seg: Segment) -> None:
        if seg.get(1) != "2" or not seg.get(2).strip():
            raise seg.error(
                f"claim TRN must be TRN*2 with a control number, got {shown(seg.get(1))}"
            )
        payer = self.names.get("payer", ("", "", ""))
        provider = self.names.get("provider", ("", "", ""))
        patient = self.names.get("QC") or self.names.get("IL") or ("", "", "")
        self.line = None
        self.claim = self.factory(
            control_number=seg.get(2).strip(),
            payer_name=payer[0],
            payer_id=payer[2],
            provider_name=provider[0],
            provider_npi=provider[2],
            patient_last_name=patient[0],
            patient_first_name=patient[1],
            member_id=patient[2],
        )
        self.claims.append(self.claim)

    def stc(self, seg: Segment) -> None:
        report = parse_stc(seg, self.component)
        if self.line is not None:
            self.line.statuses.append(report)
        elif self.claim is not None:
            self.claim.statuses.append(report)
        elif self.level_status is not None:
            self.level_status.statuses.append(report)
        else:
            raise seg.error("STC without a TRN before it")

    def ref(self, seg: Segment) -> None:
        qualifier, value = seg.get(1), seg.get(2).strip()
        if self.line is not None:
            if qualifier == "FJ":
                self.line.control_number = value
        elif self.claim is not None:
            self.claim.references[qualifier] = value
            if qualifier == "1K":
                self.claim.payer_claim_number = value
            elif qualifier == "D9":
                self.claim.clearinghouse_trace = value

    def dtp(self, seg: Segment) -> None:
        if seg.get(1) != "472":
            return
        if self.line is not None:
            self.line.service_date, self.line.service_date_end = date_or_range(seg)
        elif self.claim is not None:
            self.claim.service_date, self.claim.service_date_end = date_or_range(seg)

    def svc(self, seg: Segment) -> None:
        if self.claim is None:
            raise seg.error("SVC outside a claim")
        parts = seg.get(1).split(self.component)
        if len(parts) < 2 or not parts[1]:
            raise seg.error(f"SVC01 {shown(seg.get(1))} is not qualifier{self.component}code")
        self.line = ServiceLineStatus(
            qualifier=parts[0],
            procedure_code=parts[1],
            modifiers=[m for m in parts[2:6] if m],
            charge=amount(seg, 2),
            paid=amount(seg, 3) if seg.get(3).strip() else None,
            revenue_code=seg.get(4),
            units=amount(seg, 7) if seg.get(7).strip() else None,
        )
        self.claim.service_lines.append(self.line)


_HANDLERS = {
    "HL": _Walker.hl,
    "NM1": _Walker.nm1,
    "TRN": _Walker.trn,
    "STC": _Walker.stc,
    "REF": _Walker.ref,
    "DTP": _Walker.dtp,
    "SVC": _Walker.svc,
}
