"""The sandbox payer's brain: read 837P claims, know members (Roster), adjudicate by rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from rcm.clearinghouse.sandbox import rules
from rcm.x12.base import is_digits, shown
from rcm.x12.era835 import amount
from rcm.x12.reader import Interchange, Segment
from rcm.x12.responses import ClaimAck, RemitAdjustment, RemitClaim, RemitLine

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MemberFacts:
    """What the payer knows of a member on a date; amounts are what the roster says remains."""

    active: bool
    plan_name: str
    deductible_remaining: Decimal
    coinsurance_percent: Decimal
    copay: Decimal
    last_name: str = ""
    first_name: str = ""
    deductible: Decimal | None = None
    out_of_pocket_max: Decimal | None = None
    out_of_pocket_remaining: Decimal | None = None


class Roster(Protocol):
    """The payer's member and fee data; the app implements it from its database."""

    def member(self, payer_id: str, member_id: str, service_date: date) -> MemberFacts | None: ...

    def allowed_amount(self, payer_id: str, procedure_code: str) -> Decimal | None: ...

    def requires_prior_auth(self, payer_id: str, procedure_code: str) -> bool: ...

    def timely_filing_days(self, payer_id: str) -> int: ...


@dataclass
class InMemoryRoster:
    """A Roster from dictionaries, for tests and demos; `coverage` bounds a member's dates."""

    members: dict[tuple[str, str], MemberFacts] = field(default_factory=dict)
    fees: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    prior_auth: set[tuple[str, str]] = field(default_factory=set)
    filing_days: dict[str, int] = field(default_factory=dict)
    coverage: dict[tuple[str, str], tuple[date | None, date | None]] = field(default_factory=dict)

    def member(self, payer_id: str, member_id: str, service_date: date) -> MemberFacts | None:
        facts = self.members.get((payer_id, member_id))
        if facts is None:
            return None
        start, end = self.coverage.get((payer_id, member_id), (None, None))
        if (start and service_date < start) or (end and service_date > end):
            return dataclasses.replace(facts, active=False)
        return facts

    def allowed_amount(self, payer_id: str, procedure_code: str) -> Decimal | None:
        return self.fees.get((payer_id, procedure_code))

    def requires_prior_auth(self, payer_id: str, procedure_code: str) -> bool:
        return (payer_id, procedure_code) in self.prior_auth

    def timely_filing_days(self, payer_id: str) -> int:
        return self.filing_days.get(payer_id, rules.DEFAULT_TIMELY_FILING_DAYS)


# Reading the 837P -----------------------------------------------------------------------------


@dataclass
class SubmittedLine:
    """One SV1 line as the payer reads it."""

    procedure_code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: Decimal
    service_date: date | None = None
    control_number: str = ""


@dataclass
class SubmittedClaim:
    """One CLM with its subscriber and payer."""

    control_number: str
    charge: Decimal
    frequency: str
    member_id: str
    last_name: str
    first_name: str
    payer_id: str
    payer_name: str
    prior_authorization: str = ""
    original_claim_number: str = ""
    lines: list[SubmittedLine] = field(default_factory=list)

    @property
    def service_start(self) -> date:
        return min(line.service_date for line in self.lines if line.service_date)

    @property
    def service_end(self) -> date:
        return max(line.service_date for line in self.lines if line.service_date)


@dataclass
class SubmittedBatch:
    """An 837P transaction: who sent it, for which provider, and its claims."""

    reference: str = ""
    submitter_name: str = ""
    submitter_id: str = ""
    provider_name: str = ""
    provider_npi: str = ""
    claims: list[SubmittedClaim] = field(default_factory=list)


def _decimal(seg: Segment, position: int) -> Decimal:
    # The 835 reader's rule: ASCII digits only, at most 18, so NaN, Infinity and other
    # scripts' digits (which Decimal() takes) are an X12Error, answered with a rejection.
    return amount(seg, position, default=ZERO)


def _date(seg: Segment, position: int) -> date:
    text = seg.get(position)[:8]
    try:
        if not is_digits(text, 8) or len(text) != 8:  # int() takes other scripts' digits
            raise ValueError(text)
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise seg.error(f"{seg.id}{position:02d} is not a date: {shown(text)}") from None


def read_837p(interchange: Interchange) -> list[SubmittedBatch]:
    """Every 837 transaction of the interchange as batches; raises X12Error when unusable."""
    batches = []
    component = interchange.delimiters.component
    for group in interchange.groups:
        for transaction in group.transactions:
            if transaction.type != "837":
                raise transaction.segments[0].error(f"transaction set {transaction.type} sent")
            reader = _Reader(component)
            for seg in transaction.segments[1:-1]:
                reader.feed(seg)
            reader.finish(transaction.segments[-1])
            batches.append(reader.batch)
    return batches


class _Reader:
    """Walks one 837P, keeping the subscriber and payer of the current HL."""

    def __init__(self, component: str) -> None:
        self.component = component
        self.batch = SubmittedBatch()
        self.member: tuple[str, str, str] = ("", "", "")
        self.payer: tuple[str, str] = ("", "")
        self.claim: SubmittedClaim | None = None
        self.line: SubmittedLine | None = None
        self.other_payer = False

    def feed(self, seg: Segment) -> None:
        handler = getattr(self, "on_" + seg.id.lower(), None)
        if handler is not None:
            handler(seg)

    def on_bht(self, seg: Segment) -> None:
        self.batch.reference = seg.get(3)

    def on_hl(self, seg: Segment) -> None:
        self.claim, self.line, self.other_payer = None, None, False
        if seg.get(3) == "22":
            self.member, self.payer = ("", "", ""), ("", "")

    def on_sbr(self, seg: Segment) -> None:
        self.other_payer = self.claim is not None

    def on_nm1(self, seg: Segment) -> None:
        code, name, ident = seg.get(1), seg.get(3), seg.get(9)
        if code == "41":
            self.batch.submitter_name, self.batch.submitter_id = name, ident
        elif code == "85":
            self.batch.provider_name, self.batch.provider_npi = name, ident
        elif self.claim is None and code == "IL":
            self.member = (ident, name, seg.get(4))
        elif self.claim is None and code == "PR":
            self.payer = (ident, name)

    def on_clm(self, seg: Segment) -> None:
        composite = seg.get(5).split(self.component)
        member_id, last, first = self.member
        if not member_id or not self.payer[0]:
            raise seg.error("claim without subscriber member id or payer id")
        self.claim = SubmittedClaim(
            control_number=seg.get(1),
            charge=_decimal(seg, 2),
            frequency=composite[2] if len(composite) > 2 else "1",
            member_id=member_id,
            last_name=last,
            first_name=first,
            payer_id=self.payer[0],
            payer_name=self.payer[1],
        )
        self.line = None
        self.batch.claims.append(self.claim)

    def on_ref(self, seg: Segment) -> None:
        if self.line is not None:
            if seg.get(1) == "6R":
                self.line.control_number = seg.get(2)
        elif self.claim is not None and seg.get(1) == "G1":
            self.claim.prior_authorization = seg.get(2)
        elif self.claim is not None and seg.get(1) == "F8":
            self.claim.original_claim_number = seg.get(2)

    def on_sv1(self, seg: Segment) -> None:
        if self.claim is None:
            raise seg.error("SV1 outside a claim")
        parts = seg.get(1).split(self.component)
        if len(parts) < 2 or not parts[1]:
            raise seg.error("SV101 has no procedure code")
        self.line = SubmittedLine(
            parts[1], tuple(m for m in parts[2:6] if m), _decimal(seg, 2), _decimal(seg, 4)
        )
        self.claim.lines.append(self.line)

    def on_dtp(self, seg: Segment) -> None:
        if self.line is not None and seg.get(1) == "472":
            self.line.service_date = _date(seg, 3)

    def finish(self, se: Segment) -> None:
        if not self.batch.claims:
            raise se.error("an 837P without claims")
        for claim in self.batch.claims:
            if not claim.lines or any(line.service_date is None for line in claim.lines):
                raise se.error(f"claim {claim.control_number}: lines need a date of service")


# Adjudication ---------------------------------------------------------------------------------


class Ledger:
    """The payer's memory (a JSON-ready dict): claims, duplicate index, deductible used."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        for key in ("claims", "lines", "deductible", "out_of_pocket", "files"):
            data.setdefault(key, {})
        data.setdefault("counter", 0)

    def next_number(self) -> int:
        self.data["counter"] += 1
        return int(self.data["counter"])

    def claim(self, payer_claim_number: str) -> dict[str, Any] | None:
        found = self.data["claims"].get(payer_claim_number)
        return found if isinstance(found, dict) else None

    def used(self, kind: str, key: str) -> Decimal:
        return Decimal(self.data[kind].get(key, "0"))

    def add_used(self, kind: str, key: str, amount: Decimal) -> None:
        self.data[kind][key] = str(self.used(kind, key) + amount)


def year_key(payer_id: str, member_id: str, when: date) -> str:
    return f"{payer_id}|{member_id}|{when.year}"


def line_key(payer_id: str, member_id: str, line: SubmittedLine) -> str:
    when = line.service_date.isoformat() if line.service_date else ""
    return f"{payer_id}|{member_id}|{when}|{line.procedure_code}"


@dataclass
class Outcome:
    """What adjudicating one batch produced: a 277CA entry per claim, 835 claims by payer."""

    acks: list[ClaimAck] = field(default_factory=list)
    remits: dict[str, list[RemitClaim]] = field(default_factory=dict)
    payer_names: dict[str, str] = field(default_factory=dict)


def adjudicate(
    batch: SubmittedBatch, roster: Roster, ledger: Ledger, today: date, remit_at: datetime
) -> Outcome:
    """Apply the rules to every claim of the batch, recording results in the ledger."""
    outcome = Outcome()
    for claim in batch.claims:
        _adjudicate_claim(claim, roster, ledger, today, remit_at, outcome)
    return outcome


def _ack(claim: SubmittedClaim, status: tuple[str, str], number: str = "") -> ClaimAck:
    accepted = status == rules.ACCEPTED
    return ClaimAck(
        claim.control_number, accepted, status[0], status[1], claim.charge, claim.member_id,
        claim.last_name, claim.first_name, claim.service_start, claim.service_end, number,
        "" if accepted else "IL" if status == rules.SUBSCRIBER_NOT_FOUND else "",
    )  # fmt: skip


def _adjudicate_claim(
    claim: SubmittedClaim,
    roster: Roster,
    ledger: Ledger,
    today: date,
    remit_at: datetime,
    outcome: Outcome,
) -> None:
    facts = roster.member(claim.payer_id, claim.member_id, claim.service_start)
    if facts is None:
        outcome.acks.append(_ack(claim, rules.SUBSCRIBER_NOT_FOUND))
        return
    remits = outcome.remits.setdefault(claim.payer_id, [])
    outcome.payer_names[claim.payer_id] = claim.payer_name
    original = None
    if claim.frequency in ("7", "8"):
        original = ledger.claim(claim.original_claim_number)
        if original is None or original.get("voided"):
            outcome.acks.append(_ack(claim, rules.ORIGINAL_NOT_FOUND))
            return
        reversal = _reverse(original, ledger)
        if reversal is not None:
            remits.append(reversal)
        if claim.frequency == "8":
            outcome.acks.append(_ack(claim, rules.ACCEPTED, claim.original_claim_number))
            return
    number = f"SBX{ledger.next_number():08d}"
    outcome.acks.append(_ack(claim, rules.ACCEPTED, number))
    remit = _price_claim(claim, number, roster, ledger, today)
    remits.append(remit)
    _record(claim, remit, ledger, remit_at)


def _reverse(original: dict[str, Any], ledger: Ledger) -> RemitClaim | None:
    """Mark the original voided, give back its deductible, and reverse it if it was paid."""
    original["voided"] = True
    for key in original["line_keys"]:
        ledger.data["lines"].pop(key, None)
    year = original["year_key"]
    ledger.add_used("deductible", year, -Decimal(original["deductible"]))
    ledger.add_used("out_of_pocket", year, -Decimal(original["patient_responsibility"]))
    if Decimal(original["paid"]) == 0:
        return None
    lines = tuple(_reversed_line(item) for item in original["lines"])
    return RemitClaim(
        original["control_number"], "22", -Decimal(original["charge"]),
        -Decimal(original["paid"]), -Decimal(original["patient_responsibility"]),
        original["payer_claim_number"], original["member_id"], original["last_name"],
        original["first_name"], frequency="8", lines=lines,
    )  # fmt: skip


def _reversed_line(item: dict[str, Any]) -> RemitLine:
    adjustments = tuple(RemitAdjustment(g, r, -Decimal(a)) for g, r, a in item["adjustments"])
    return RemitLine(
        item["code"], -Decimal(item["charge"]), -Decimal(item["paid"]),
        date.fromisoformat(item["date"]), Decimal(item["units"]), tuple(item["modifiers"]),
        item["control"], None, adjustments,
    )  # fmt: skip


def _denial_reason(
    claim: SubmittedClaim, line: SubmittedLine, roster: Roster, ledger: Ledger, today: date
) -> str | None:
    """The CARC that denies the whole line, by the documented rule order; None when payable."""
    assert line.service_date is not None
    facts = roster.member(claim.payer_id, claim.member_id, line.service_date)
    if facts is None or not facts.active:
        return rules.CARC_COVERAGE_INACTIVE
    needs_auth = roster.requires_prior_auth(claim.payer_id, line.procedure_code)
    if needs_auth and not claim.prior_authorization:
        return rules.CARC_NO_PRIOR_AUTH
    if line_key(claim.payer_id, claim.member_id, line) in ledger.data["lines"]:
        return rules.CARC_DUPLICATE
    if _bundled(claim, line):
        return rules.CARC_BUNDLED
    if (today - line.service_date).days > roster.timely_filing_days(claim.payer_id):
        return rules.CARC_TIMELY_FILING
    return None


def _bundled(claim: SubmittedClaim, line: SubmittedLine) -> bool:
    if rules.BYPASS_MODIFIERS.intersection(line.modifiers):
        return False
    return any(
        (other.procedure_code, line.procedure_code) in rules.BUNDLED_PAIRS
        and other.service_date == line.service_date
        for other in claim.lines
        if other is not line
    )


@dataclass
class _Money:
    """Patient-share state while pricing one claim."""

    deductible_left: Decimal
    copay_due: bool = True
    deductible_taken: Decimal = ZERO


def _price_claim(
    claim: SubmittedClaim, number: str, roster: Roster, ledger: Ledger, today: date
) -> RemitClaim:
    facts = roster.member(claim.payer_id, claim.member_id, claim.service_start)
    assert facts is not None
    year = year_key(claim.payer_id, claim.member_id, claim.service_start)
    left = max(facts.deductible_remaining - ledger.used("deductible", year), ZERO)
    money = _Money(left)
    lines = []
    for line in claim.lines:
        reason = _denial_reason(claim, line, roster, ledger, today)
        if reason is not None:
            adjustment = RemitAdjustment("CO", reason, line.charge)
            lines.append(_remit_line(line, ZERO, None, (adjustment,)))
        else:
            lines.append(_price_line(claim, line, roster, facts, money))
    paid = sum((item.paid for item in lines), ZERO)
    patient = sum((a.amount for item in lines for a in item.adjustments if a.group == "PR"), ZERO)
    denied = all(item.allowed is None for item in lines)
    return RemitClaim(
        claim.control_number, "4" if denied else "1", claim.charge, paid, patient, number,
        claim.member_id, claim.last_name, claim.first_name, frequency=claim.frequency,
        lines=tuple(lines),
    )  # fmt: skip


def _remit_line(
    line: SubmittedLine,
    paid: Decimal,
    allowed: Decimal | None,
    adjustments: tuple[RemitAdjustment, ...],
) -> RemitLine:
    assert line.service_date is not None
    return RemitLine(
        line.procedure_code, line.charge, paid, line.service_date, line.units, line.modifiers,
        line.control_number, allowed, adjustments,
    )  # fmt: skip


def _price_line(
    claim: SubmittedClaim, line: SubmittedLine, roster: Roster, facts: MemberFacts, money: _Money
) -> RemitLine:
    fee = roster.allowed_amount(claim.payer_id, line.procedure_code)
    default = line.charge * rules.DEFAULT_ALLOWED_PERCENT / 100
    allowed = default if fee is None else fee * line.units
    allowed = min(allowed.quantize(CENT, rounding=ROUND_HALF_UP), line.charge)
    adjustments = []
    if line.charge > allowed:
        adjustments.append(RemitAdjustment("CO", rules.CARC_CONTRACTUAL, line.charge - allowed))
    rest = allowed
    if money.copay_due and rules.is_evaluation_and_management(line.procedure_code):
        money.copay_due = False
        copay = min(facts.copay, rest)
        if copay > 0:
            adjustments.append(RemitAdjustment("PR", rules.CARC_COPAY, copay))
            rest -= copay
    deductible = min(money.deductible_left, rest)
    if deductible > 0:
        adjustments.append(RemitAdjustment("PR", rules.CARC_DEDUCTIBLE, deductible))
        money.deductible_left -= deductible
        money.deductible_taken += deductible
        rest -= deductible
    coinsurance = (rest * facts.coinsurance_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    if coinsurance > 0:
        adjustments.append(RemitAdjustment("PR", rules.CARC_COINSURANCE, coinsurance))
        rest -= coinsurance
    return _remit_line(line, rest, allowed, tuple(adjustments))


def _record(claim: SubmittedClaim, remit: RemitClaim, ledger: Ledger, remit_at: datetime) -> None:
    year = year_key(claim.payer_id, claim.member_id, claim.service_start)
    deductible = sum(
        (a.amount for ln in remit.lines for a in ln.adjustments if a.reason == "1"), ZERO
    )
    keys = [
        line_key(claim.payer_id, claim.member_id, sub)
        for sub, line in zip(claim.lines, remit.lines, strict=True)
        if line.allowed is not None
    ]
    for key in keys:
        ledger.data["lines"][key] = remit.payer_claim_number
    ledger.add_used("deductible", year, deductible)
    ledger.add_used("out_of_pocket", year, remit.patient_responsibility)
    ledger.data["claims"][remit.payer_claim_number] = {
        "payer_claim_number": remit.payer_claim_number,
        "control_number": claim.control_number,
        "payer_id": claim.payer_id,
        "member_id": claim.member_id,
        "last_name": claim.last_name,
        "first_name": claim.first_name,
        "charge": str(remit.charge),
        "paid": str(remit.paid),
        "patient_responsibility": str(remit.patient_responsibility),
        "status": remit.status,
        "deductible": str(deductible),
        "year_key": year,
        "line_keys": keys,
        "service_start": claim.service_start.isoformat(),
        "service_end": claim.service_end.isoformat(),
        "remit_at": remit_at.isoformat(),
        "voided": False,
        "lines": [_line_record(line) for line in remit.lines],
    }


def _line_record(line: RemitLine) -> dict[str, Any]:
    return {
        "code": line.procedure_code,
        "charge": str(line.charge),
        "paid": str(line.paid),
        "date": line.service_date.isoformat(),
        "units": str(line.units),
        "modifiers": list(line.modifiers),
        "control": line.control_number,
        "adjustments": [[a.group, a.reason, str(a.amount)] for a in line.adjustments],
    }
