"""Eligibility: 270 inquiry writer, 271 response parser (005010X279A1), front-desk summary."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from rcm.x12.base import (
    DEFAULT_DELIMITERS,
    Delimiters,
    Person,
    X12Error,
    check_genders,
    check_provider_npi,
    describe,
    shown,
)
from rcm.x12.era835 import amount, ccyymmdd
from rcm.x12.reader import Segment, Transaction, gc_paused, read_transactions
from rcm.x12.writer import FunctionalGroup, InterchangeHeader, SegmentWriter, format_date

VERSION = "005010X279A1"
HUNDRED = Decimal("100")

# EB01 eligibility or benefit information codes.
BENEFIT_CODES = {
    "1": "Active coverage",
    "2": "Active: full risk capitation",
    "3": "Active: services capitated",
    "4": "Active: services capitated to primary care physician",
    "5": "Active: pending investigation",
    "6": "Inactive",
    "7": "Inactive: pending eligibility update",
    "8": "Inactive: pending investigation",
    "A": "Co-insurance",
    "B": "Co-payment",
    "C": "Deductible",
    "CB": "Coverage basis",
    "D": "Benefit description",
    "E": "Exclusions",
    "F": "Limitations",
    "G": "Out of pocket (stop loss)",
    "H": "Unlimited",
    "I": "Non-covered",
    "J": "Cost containment",
    "K": "Reserve",
    "L": "Primary care provider",
    "M": "Pre-existing condition",
    "MC": "Managed care coordinator",
    "N": "Services restricted to the following provider",
    "O": "Not deemed a medical necessity",
    "P": "Benefit disclaimer",
    "Q": "Second surgical opinion required",
    "R": "Other or additional payer",
    "S": "Prior year(s) history",
    "T": "Card(s) reported lost or stolen",
    "U": "Contact the following entity for eligibility or benefit information",
    "V": "Cannot process",
    "W": "Other source of data",
    "X": "Health care facility",
    "Y": "Spend down",
}
ACTIVE_CODES = frozenset({"1", "2", "3", "4", "5"})
INACTIVE_CODES = frozenset({"6", "7", "8"})

COVERAGE_LEVELS = {
    "CHD": "Children only",
    "DEP": "Dependents only",
    "ECH": "Employee and children",
    "EMP": "Employee only",
    "ESP": "Employee and spouse",
    "FAM": "Family",
    "IND": "Individual",
    "SPC": "Spouse and children",
    "SPO": "Spouse only",
}

# EB06 time period qualifiers.
TIME_PERIODS = {
    "6": "Hour",
    "7": "Day",
    "13": "24 hours",
    "21": "Years",
    "22": "Service year",
    "23": "Calendar year",
    "24": "Year to date",
    "25": "Contract",
    "26": "Episode",
    "27": "Visit",
    "28": "Outlier",
    "29": "Remaining",
    "30": "Exceeded",
    "31": "Not exceeded",
    "32": "Lifetime",
    "33": "Lifetime remaining",
    "34": "Month",
    "35": "Week",
    "36": "Admission",
}
REMAINING = frozenset({"29", "33"})

# AAA03 reject reason codes, paraphrased.
REJECT_REASONS = {
    "15": "Required application data missing",
    "33": "Input errors",
    "41": "Authorization/access restrictions",
    "42": "Unable to respond at the current time",
    "43": "Invalid or missing provider identification",
    "44": "Invalid or missing provider name",
    "45": "Invalid or missing provider specialty",
    "46": "Invalid or missing provider phone number",
    "47": "Invalid or missing provider state",
    "48": "Invalid or missing referring provider identification number",
    "49": "Provider is not the primary care physician",
    "50": "Provider not eligible for inquiries",
    "51": "Provider not on file",
    "52": "Service dates not within the provider's plan enrollment",
    "53": "Inquired benefit inconsistent with the provider type",
    "54": "Inappropriate product/service id qualifier",
    "55": "Inappropriate product/service id",
    "56": "Inappropriate date",
    "57": "Invalid or missing date(s) of service",
    "58": "Invalid or missing date of birth",
    "60": "Date of birth follows the date(s) of service",
    "61": "Date of death precedes the date(s) of service",
    "62": "Date of service not within the allowable inquiry period",
    "63": "Date of service in the future",
    "64": "Invalid or missing patient id",
    "65": "Invalid or missing patient name",
    "66": "Invalid or missing patient gender",
    "67": "Patient not found",
    "68": "Duplicate patient id number",
    "69": "Inconsistent with the patient's age",
    "70": "Inconsistent with the patient's gender",
    "71": "Patient birth date does not match the payer's records",
    "72": "Invalid or missing subscriber/insured id",
    "73": "Invalid or missing subscriber/insured name",
    "74": "Invalid or missing subscriber/insured gender",
    "75": "Subscriber/insured not found",
    "76": "Duplicate subscriber/insured id number",
    "77": "Subscriber found, patient not found",
    "78": "Subscriber/insured not in the group/plan identified",
    "79": "Invalid participant identification",
    "80": "No response received: transaction terminated",
    "97": "Invalid or missing provider address",
    "T4": "Payer name or identifier missing",
}
FOLLOW_UP_ACTIONS = {
    "C": "Please correct and resubmit",
    "N": "Resubmission not allowed",
    "P": "Please resubmit the original transaction",
    "R": "Resubmission allowed",
    "S": "Do not resubmit; inquiry initiated to a third party",
    "W": "Please wait 30 days and resubmit",
    "X": "Please wait 10 days and resubmit",
    "Y": "Do not resubmit; the response will follow",
}


# 270 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityRequest:
    """One 270 transaction about one patient (the subscriber or a dependent)."""

    interchange: InterchangeHeader
    group: FunctionalGroup
    transaction_control_number: int
    reference: str
    created: datetime
    payer_name: str
    payer_id: str
    provider_name: str
    provider_npi: str
    subscriber: Person
    trace_number: str
    service_date: date
    service_types: tuple[str, ...] = ("30",)
    patient: Person | None = None  # None: the subscriber is the patient
    trace_originator: str = ""  # TRN03: "1" + EIN of the provider, when the payer wants it


def write_270(request: EligibilityRequest, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """The whole interchange (one group, one 270) as X12 text, one segment per line."""
    _check(request)
    group = dataclasses.replace(request.group, functional_id="HS", version=VERSION)
    w = SegmentWriter(delimiters)
    w.begin_single(request.interchange, group, "270", request.transaction_control_number, VERSION)
    when = request.created
    w.add("BHT", "0022", "13", request.reference, format_date(when), when.strftime("%H%M"))
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", request.payer_name, "", "", "", "", "PI", request.payer_id)
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "1P", "2", request.provider_name, "", "", "", "", "XX", request.provider_npi)
    sub, patient = request.subscriber, request.patient
    w.add("HL", "3", "2", "22", "1" if patient else "0")
    if patient is None:
        w.add("TRN", "1", request.trace_number, request.trace_originator or None)
    w.add("NM1", "IL", "1", sub.last_name, sub.first_name, "", "", "", "MI", sub.member_id)
    if patient is None:
        _inquiry(w, request, sub)
        return w.end_single()
    w.add("HL", "4", "3", "23", "0")
    w.add("TRN", "1", request.trace_number, request.trace_originator or None)
    w.add("NM1", "03", "1", patient.last_name, patient.first_name)
    _inquiry(w, request, patient)
    return w.end_single()


def _inquiry(w: SegmentWriter, request: EligibilityRequest, person: Person) -> None:
    if person.birth_date is not None:
        w.add("DMG", "D8", format_date(person.birth_date), person.gender or None)
    w.add("DTP", "291", "D8", format_date(request.service_date))
    for service_type in request.service_types:
        w.add("EQ", service_type)


def _check(request: EligibilityRequest) -> None:
    check_provider_npi(request.provider_npi)
    if not request.subscriber.member_id:
        raise X12Error("the subscriber needs a member id", segment_id="NM1")
    if not request.trace_number:
        raise X12Error("the trace number (TRN02) is empty", segment_id="TRN")
    if not 1 <= len(request.service_types) <= 99:
        raise X12Error("1 to 99 service type codes allowed", segment_id="EQ")
    check_genders((request.subscriber, request.patient))


# 271 -------------------------------------------------------------------------------------------


@dataclass
class Rejection:
    """AAA: the payer could not answer; `level` says where (payer, receiver, subscriber ...)."""

    level: str
    valid_request: str
    reason: str
    follow_up: str

    @property
    def reason_description(self) -> str:
        return describe(REJECT_REASONS, self.reason)

    @property
    def follow_up_description(self) -> str:
        return describe(FOLLOW_UP_ACTIONS, self.follow_up)


@dataclass
class Benefit:
    """One EB segment with the messages, dates and references that follow it."""

    info_code: str
    coverage_level: str = ""
    service_types: list[str] = field(default_factory=list)
    insurance_type: str = ""
    plan_description: str = ""
    time_period: str = ""
    amount: Decimal | None = None
    percent: Decimal | None = None
    quantity_qualifier: str = ""
    quantity: Decimal | None = None
    authorization_required: str = ""
    in_network: str = ""
    procedure: str = ""
    messages: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return describe(BENEFIT_CODES, self.info_code)

    @property
    def time_period_description(self) -> str:
        return describe(TIME_PERIODS, self.time_period)

    @property
    def coverage_level_description(self) -> str:
        return describe(COVERAGE_LEVELS, self.coverage_level)


@dataclass
class EligibilityResponse:
    """The 271 answer about one patient (subscriber loop 2000C or dependent loop 2000D)."""

    control_number: str
    trace_number: str = ""
    payer_name: str = ""
    payer_id: str = ""
    provider_name: str = ""
    provider_npi: str = ""
    subscriber_last_name: str = ""
    subscriber_first_name: str = ""
    member_id: str = ""
    patient_last_name: str = ""
    patient_first_name: str = ""
    birth_date: date | None = None
    gender: str = ""
    is_dependent: bool = False
    plan_number: str = ""
    group_number: str = ""
    group_name: str = ""
    dates: dict[str, str] = field(default_factory=dict)
    benefits: list[Benefit] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """Some EB01 1-5 and no AAA rejection; EB01 6-8 alone or any rejection -> False."""
        if self.rejections:
            return False
        return any(b.info_code in ACTIVE_CODES for b in self.benefits)

    @property
    def plan_description(self) -> str:
        return next((b.plan_description for b in self.benefits if b.plan_description), "")


_LEVELS = {"20": "information source", "21": "information receiver", "22": "subscriber"}
_LEVELS["23"] = "dependent"


def parse_271(data: bytes | str) -> list[EligibilityResponse]:
    """One EligibilityResponse per patient answered in the 271 transactions of the data."""
    with gc_paused():
        return [
            response
            for transaction, delimiters in read_transactions(data)
            for response in parse_transaction(transaction, delimiters)
        ]


def parse_transaction(
    transaction: Transaction, delimiters: Delimiters
) -> list[EligibilityResponse]:
    """One ST..SE of type 271 -> its responses (payer-level AAA copied into each)."""
    st = transaction.segments[0]
    if transaction.type != "271":
        raise st.error(f"transaction type {shown(transaction.type)} is not a 271")
    if not transaction.version.startswith("005010X279"):
        raise st.error(f"version {shown(transaction.version)} is not 005010X279A1 (271)")
    builder = _Builder(transaction.st_control, delimiters)
    for seg in transaction.segments[1:-1]:
        handler = _HANDLERS.get(seg.id)
        if handler is not None:
            handler(builder, seg)
    return builder.finish(st)


class _Builder:
    """Walks one 271: HL levels, the current patient and the current EB."""

    def __init__(self, control_number: str, delimiters: Delimiters) -> None:
        self.control_number = control_number
        self.repetition = delimiters.repetition or delimiters.component
        self.hl_ids: set[str] = set()
        self.level = ""
        self.payer = ("", "")
        self.provider = ("", "")
        self.upper: list[Rejection] = []
        self.responses: list[EligibilityResponse] = []
        self.with_dependents: set[int] = set()
        self.subscriber: EligibilityResponse | None = None
        self.current: EligibilityResponse | None = None
        self.benefit: Benefit | None = None
        self.in_ls = False

    def finish(self, st: Segment) -> list[EligibilityResponse]:
        kept = [
            r
            for r in self.responses
            if id(r) not in self.with_dependents or r.benefits or r.rejections
        ]
        if not kept:
            if not self.upper:
                raise st.error("271 has no subscriber loop and no AAA rejection")
            kept = [self._new()]
        for response in kept:
            response.rejections[:0] = self.upper
        return kept

    def _new(self) -> EligibilityResponse:
        """A subscriber's response (a dependent's is copied from its subscriber's)."""
        return EligibilityResponse(
            control_number=self.control_number,
            payer_name=self.payer[0],
            payer_id=self.payer[1],
            provider_name=self.provider[0],
            provider_npi=self.provider[1],
        )

    def need_current(self, seg: Segment) -> EligibilityResponse:
        if self.current is None:
            raise seg.error(f"{seg.id} outside a subscriber or dependent loop")
        return self.current

    def hl(self, seg: Segment) -> None:
        hl_id, parent, level = seg.get(1).strip(), seg.get(2).strip(), seg.get(3)
        if not hl_id or hl_id in self.hl_ids:
            raise seg.error(f"HL01 {shown(hl_id)} is empty or used twice")
        if parent and parent not in self.hl_ids:
            raise seg.error(f"HL02 parent {shown(parent)} is not an earlier HL")
        if level not in _LEVELS:
            raise seg.error(f"HL03 level code {shown(level)} is not used in a 271")
        if (level == "20") == bool(parent):
            raise seg.error(f"HL03 {level}: only the information source (20) has no parent")
        self.hl_ids.add(hl_id)
        self.level, self.benefit, self.in_ls = level, None, False
        self.current = None
        if level == "22":
            self.current = self.subscriber = self._new()
            self.responses.append(self.current)
        elif level == "23":
            self._dependent(seg)

    def _dependent(self, seg: Segment) -> None:
        sub = self.subscriber
        if sub is None:
            raise seg.error("dependent HL (23) without a subscriber HL (22)")
        self.with_dependents.add(id(sub))
        self.current = dataclasses.replace(
            sub, is_dependent=True, dates={}, benefits=[], rejections=[], birth_date=None
        )
        self.current.gender = ""
        self.responses.append(self.current)

    def nm1(self, seg: Segment) -> None:
        if self.in_ls:
            return
        qualifier, last, first, ident = seg.get(1), seg.get(3), seg.get(4), seg.get(9).strip()
        if self.level == "20":
            self.payer = (last, ident)
        elif self.level == "21":
            self.provider = (last, ident if seg.get(8) == "XX" else "")
        elif self.current is not None and qualifier == "IL":
            c = self.current
            c.subscriber_last_name, c.subscriber_first_name, c.member_id = last, first, ident
            c.patient_last_name, c.patient_first_name = last, first
        elif self.current is not None and qualifier == "03":
            self.current.patient_last_name, self.current.patient_first_name = last, first

    def trn(self, seg: Segment) -> None:
        self.need_current(seg).trace_number = seg.get(2)

    def dmg(self, seg: Segment) -> None:
        current = self.need_current(seg)
        if seg.get(1) == "D8":
            current.birth_date = ccyymmdd(seg, 2)
        current.gender = seg.get(3)

    def ref(self, seg: Segment) -> None:
        qualifier, value = seg.get(1), seg.get(2)
        if self.benefit is not None:
            self.benefit.references[qualifier] = value
        elif self.current is not None:
            if qualifier == "18":
                self.current.plan_number = value
            elif qualifier == "6P":
                self.current.group_number, self.current.group_name = value, seg.get(3)

    def dtp(self, seg: Segment) -> None:
        target = self.benefit.dates if self.benefit is not None else None
        if target is None and self.current is not None:
            target = self.current.dates
        if target is not None:
            target[seg.get(1)] = seg.get(3)

    def aaa(self, seg: Segment) -> None:
        if not seg.get(3):
            raise seg.error("AAA03 reject reason code is empty")
        rejection = Rejection(_LEVELS.get(self.level, ""), seg.get(1), seg.get(3), seg.get(4))
        if self.current is not None:
            self.current.rejections.append(rejection)
        else:
            self.upper.append(rejection)

    def eb(self, seg: Segment) -> None:
        current = self.need_current(seg)
        if not seg.get(1):
            raise seg.error("EB01 benefit information code is empty")
        self.in_ls = False
        self.benefit = Benefit(
            info_code=seg.get(1),
            coverage_level=seg.get(2),
            service_types=[t for t in seg.get(3).split(self.repetition) if t],
            insurance_type=seg.get(4),
            plan_description=seg.get(5),
            time_period=seg.get(6),
            amount=amount(seg, 7) if seg.get(7).strip() else None,
            percent=amount(seg, 8) if seg.get(8).strip() else None,
            quantity_qualifier=seg.get(9),
            quantity=amount(seg, 10) if seg.get(10).strip() else None,
            authorization_required=seg.get(11),
            in_network=seg.get(12),
            procedure=seg.get(13),
        )
        current.benefits.append(self.benefit)

    def msg(self, seg: Segment) -> None:
        if self.benefit is None:
            raise seg.error("MSG outside an EB benefit loop")
        self.benefit.messages.append(seg.get(1))

    def ls(self, seg: Segment) -> None:
        self.in_ls = True

    def le(self, seg: Segment) -> None:
        self.in_ls = False


_HANDLERS = {
    "HL": _Builder.hl,
    "NM1": _Builder.nm1,
    "TRN": _Builder.trn,
    "DMG": _Builder.dmg,
    "REF": _Builder.ref,
    "DTP": _Builder.dtp,
    "AAA": _Builder.aaa,
    "EB": _Builder.eb,
    "MSG": _Builder.msg,
    "LS": _Builder.ls,
    "LE": _Builder.le,
}


# Front desk ------------------------------------------------------------------------------------


@dataclass
class BenefitSummary:
    """What the front desk asks: active? copay, coinsurance, deductible and out-of-pocket."""

    active: bool
    service_type: str
    plan_description: str = ""
    copay: Decimal | None = None
    coinsurance_percent: Decimal | None = None
    deductible: Decimal | None = None
    deductible_remaining: Decimal | None = None
    out_of_pocket: Decimal | None = None
    out_of_pocket_remaining: Decimal | None = None
    rejection_reasons: list[str] = field(default_factory=list)


def benefit_summary(response: EligibilityResponse, service_type: str = "30") -> BenefitSummary:
    """Pick the individual, in-network figures for one service type (EB03 empty = plan-wide).

    Coinsurance is EB08 (a fraction, 0.2) shown as a percent (20); "remaining" amounts are the
    EB with time period 29 (remaining) or 33 (lifetime remaining).
    """
    relevant = [b for b in response.benefits if service_type in b.service_types]
    relevant += [b for b in response.benefits if not b.service_types and service_type == "30"]

    def pick(code: str, remaining: bool, percent: bool = False) -> Decimal | None:
        found = [
            b
            for b in relevant
            if b.info_code == code
            and (b.time_period in REMAINING) == remaining
            and (b.percent if percent else b.amount) is not None
        ]
        found.sort(key=lambda b: (b.in_network == "N", b.coverage_level not in ("", "IND")))
        if not found:
            return None
        return found[0].percent if percent else found[0].amount

    rate = pick("A", False, percent=True)
    return BenefitSummary(
        active=response.active,
        service_type=service_type,
        plan_description=response.plan_description,
        copay=pick("B", False),
        coinsurance_percent=None if rate is None else rate * HUNDRED,
        deductible=pick("C", False),
        deductible_remaining=pick("C", True),
        out_of_pocket=pick("G", False),
        out_of_pocket_remaining=pick("G", True),
        rejection_reasons=[r.reason_description for r in response.rejections],
    )
