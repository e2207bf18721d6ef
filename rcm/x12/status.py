"""Claim status: 276 inquiry writer and 277 response parser (005010X212)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from rcm.x12.base import (
    DEFAULT_DELIMITERS,
    Delimiters,
    Person,
    X12Error,
    check_genders,
    check_provider_npi,
)
from rcm.x12.claimack277 import (
    ClaimAcknowledgment,
    Flavor,
    LevelStatus,
    StatusReport,
    walk_277,
    walk_277_transaction,
)
from rcm.x12.reader import Transaction
from rcm.x12.writer import (
    FunctionalGroup,
    InterchangeHeader,
    SegmentWriter,
    format_amount,
    format_date,
)

VERSION = "005010X212"
_X212 = Flavor(VERSION, "277 claim status", frozenset({"22", "23"}))


@dataclass(frozen=True)
class Party:
    """An organization named by NM1: the payer (PI id) or the information receiver (46 id)."""

    name: str
    identifier: str


@dataclass(frozen=True)
class StatusProvider:
    """The service provider asking (loop 2100C, NM1*1P with the NPI)."""

    name: str
    npi: str


@dataclass(frozen=True)
class ClaimInquiry:
    """One claim to ask about (loop 2200D/E)."""

    control_number: str
    total_charge: Decimal
    service_date_start: date
    service_date_end: date | None = None
    payer_claim_number: str = ""


@dataclass(frozen=True)
class StatusRequest:
    """One 276 transaction: who asks whom about which claims of one subscriber or dependent."""

    interchange: InterchangeHeader
    group: FunctionalGroup
    transaction_control_number: int
    reference: str
    created: datetime
    payer: Party
    receiver: Party
    provider: StatusProvider
    subscriber: Person
    claims: tuple[ClaimInquiry, ...]
    patient: Person | None = None  # None: the subscriber is the patient


@dataclass
class ClaimStatusAnswer(ClaimAcknowledgment):
    """One claim of a 277: the first STC is the current status."""

    @property
    def current(self) -> StatusReport | None:
        return self.statuses[0] if self.statuses else None

    @property
    def category(self) -> str:
        return self.details[0].category if self.details else ""

    @property
    def status(self) -> str:
        return self.details[0].status if self.details else ""

    @property
    def entity(self) -> str:
        return self.details[0].entity if self.details else ""

    @property
    def effective_date(self) -> date | None:
        return self.current.effective_date if self.current else None

    @property
    def paid_amount(self) -> Decimal | None:
        return self.current.paid_amount if self.current else None

    @property
    def adjudication_date(self) -> date | None:
        return self.current.adjudication_date if self.current else None

    @property
    def check_date(self) -> date | None:
        return self.current.check_date if self.current else None

    @property
    def check_number(self) -> str:
        return self.current.check_number if self.current else ""

    @property
    def finalized(self) -> bool:
        return self.category.startswith("F")


def parse_277(data: bytes | str) -> list[ClaimStatusAnswer]:
    """Every claim status in the 277 (X212) transactions of the data."""
    claims: list[ClaimStatusAnswer] = []
    for walker in walk_277(data, _X212, ClaimStatusAnswer):
        claims.extend(c for c in walker.claims if isinstance(c, ClaimStatusAnswer))
    return claims


def parse_277_transaction(
    transaction: Transaction, delimiters: Delimiters
) -> list[ClaimStatusAnswer]:
    """The claim statuses in one 277 (X212) ST..SE."""
    walker = walk_277_transaction(transaction, delimiters, _X212, ClaimStatusAnswer)
    return [c for c in walker.claims if isinstance(c, ClaimStatusAnswer)]


def parse_277_levels(data: bytes | str) -> list[LevelStatus]:
    """Statuses given to the information receiver or a provider rather than to a claim."""
    return [s for w in walk_277(data, _X212, ClaimStatusAnswer) for s in w.levels]


def write_276(request: StatusRequest, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """The whole interchange (one group, one 276) as X12 text, one segment per line."""
    _check(request)
    group = dataclasses.replace(request.group, functional_id="HR", version=VERSION)
    w = SegmentWriter(delimiters)
    w.begin_single(request.interchange, group, "276", request.transaction_control_number, VERSION)
    when = request.created
    w.add("BHT", "0010", "13", request.reference, format_date(when), when.strftime("%H%M"))
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", request.payer.name, "", "", "", "", "PI", request.payer.identifier)
    w.add("HL", "2", "1", "21", "1")
    w.add(
        "NM1", "41", "2", request.receiver.name, "", "", "", "", "46", request.receiver.identifier
    )
    w.add("HL", "3", "2", "19", "1")
    w.add("NM1", "1P", "2", request.provider.name, "", "", "", "", "XX", request.provider.npi)
    sub, patient = request.subscriber, request.patient
    w.add("HL", "4", "3", "22", "1" if patient else "0")
    if patient is None:
        _demographics(w, sub)
    w.add("NM1", "IL", "1", sub.last_name, sub.first_name, "", "", "", "MI", sub.member_id)
    if patient is not None:
        w.add("HL", "5", "4", "23")
        _demographics(w, patient)
        w.add("NM1", "QC", "1", patient.last_name, patient.first_name)
    for claim in request.claims:
        _claim(w, claim)
    return w.end_single()


def _check(request: StatusRequest) -> None:
    if not request.claims:
        raise X12Error("a 276 needs at least one claim", segment_id="TRN")
    if not request.subscriber.member_id:
        raise X12Error("the subscriber needs a member id", segment_id="NM1")
    check_provider_npi(request.provider.npi)
    check_genders((request.subscriber, request.patient))
    for claim in request.claims:
        if not claim.control_number:
            raise X12Error("claim control number is empty", segment_id="TRN")
        end = claim.service_date_end
        if end is not None and end < claim.service_date_start:
            message = f"claim {claim.control_number}: service end date before start date"
            raise X12Error(message, segment_id="DTP")


def _demographics(w: SegmentWriter, person: Person) -> None:
    if person.birth_date is not None:
        w.add("DMG", "D8", format_date(person.birth_date), person.gender or None)


def _claim(w: SegmentWriter, claim: ClaimInquiry) -> None:
    w.add("TRN", "1", claim.control_number)
    if claim.payer_claim_number:
        w.add("REF", "1K", claim.payer_claim_number)
    w.add("AMT", "T3", format_amount(claim.total_charge))
    end = claim.service_date_end or claim.service_date_start
    dates = f"{format_date(claim.service_date_start)}-{format_date(end)}"
    w.add("DTP", "472", "RD8", dates)
