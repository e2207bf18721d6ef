"""What an X12 file holds, for a person: envelopes, transaction types and what each carries.

Amounts in `holds` are Decimals (sums of BPR02 or CLM02); everything else counts.

`survey` reads every interchange, group and transaction and hands each transaction to the
parser of its type, so a file it returns for is one our readers accept whole; anything wrong
raises X12Error naming the segment and line. Used by `manage.py x12_check`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rcm.x12 import ack999, claimack277, eligibility, era835, status
from rcm.x12.base import Delimiters, X12Error
from rcm.x12.reader import (
    Interchange,
    Segment,
    Transaction,
    decoded,
    detect_delimiters,
    gc_paused,
    read_interchanges,
)

ZERO = Decimal("0")
CENTS = Decimal("0.01")


@dataclass
class TransactionSummary:
    """One ST..SE: its kind ("835", "277CA", "837P" …), control number, size and contents."""

    kind: str
    control: str
    segments: int
    holds: dict[str, Any]


@dataclass
class Survey:
    """A readable file: its interchanges with their summaries, and the 835s it holds."""

    interchanges: list[tuple[Interchange, list[list[TransactionSummary]]]]
    remittances: list[era835.Remittance] = field(default_factory=list)

    def kinds(self) -> Counter[str]:
        """How many transactions of each kind."""
        return Counter(t.kind for _, groups in self.interchanges for g in groups for t in g)

    def totals(self) -> dict[str, dict[str, Any]]:
        """The contents of every transaction of a kind added up (counts summed, money too)."""
        totals: dict[str, dict[str, Any]] = {}
        for _, groups in self.interchanges:
            for group in groups:
                for summary in group:
                    into = totals.setdefault(summary.kind, {})
                    for key, value in summary.holds.items():
                        into[key] = _added(into.get(key), value)
        return totals


def _added(before: Any, value: Any) -> Any:
    if before is None:
        return value
    if isinstance(value, int | Decimal) and isinstance(before, int | Decimal):
        return before + value
    return before if before == value else "various"


def money(value: Decimal) -> str:
    """A decimal string with two places: "512.40", "-3.10" (never "-0.00")."""
    cents = value.quantize(CENTS)
    return str(cents.copy_abs() if cents.is_zero() else cents)


def kind_of(transaction: Transaction) -> str:
    """ST01, told apart by the guide where one type serves several (277CA, 837P/I/D)."""
    if transaction.type == "277" and "X214" in transaction.version:
        return "277CA"
    if transaction.type == "837":
        for guide, kind in (("X222", "837P"), ("X223", "837I"), ("X224", "837D")):
            if guide in transaction.version:
                return kind
    return transaction.type


def survey(data: bytes | str) -> Survey:
    """Read the whole file and every transaction in it; X12Error at the first thing wrong."""
    with gc_paused():
        interchanges = read_interchanges(data)  # never empty: data must start with an ISA
        result = Survey(interchanges=[])
        for interchange in interchanges:
            if not interchange.groups:
                raise X12Error(
                    f"interchange {interchange.control} holds no functional group",
                    segment_id="ISA",
                )
            groups = []
            for group in interchange.groups:
                if not group.transactions:
                    raise X12Error(
                        f"functional group {group.control} holds no transaction", segment_id="GS"
                    )
                groups.append(
                    [_transaction(t, interchange.delimiters, result) for t in group.transactions]
                )
            result.interchanges.append((interchange, groups))
        return result


def _transaction(
    transaction: Transaction, delimiters: Delimiters, result: Survey
) -> TransactionSummary:
    kind = kind_of(transaction)
    holds: dict[str, Any]
    if kind not in _READERS:
        holds = {"note": "not a transaction this application reads"}
    elif kind == "835":
        remittance = era835.parse_transaction(transaction, delimiters)
        result.remittances.append(remittance)
        holds = _holds_835(remittance)
    else:
        holds = _READERS[kind](transaction, delimiters)
    return TransactionSummary(kind, transaction.st_control, len(transaction.segments), holds)


def _holds_835(remittance: era835.Remittance) -> dict[str, Any]:
    return {
        "payments": 1,
        "claims": len(remittance.claims),
        "service_lines": sum(len(c.service_lines) for c in remittance.claims),
        "provider_adjustments": len(remittance.provider_adjustments),
        "paid": remittance.payment_amount,
    }


def _holds_999(transaction: Transaction, delimiters: Delimiters) -> dict[str, Any]:
    ack = ack999.parse_transaction(transaction, delimiters)
    return {
        "acknowledgments": 1,
        "transactions_acknowledged": len(ack.transactions),
        "accepted": sum(t.accepted for t in ack.transactions),
        "rejected": sum(not t.accepted for t in ack.transactions),
    }


def _holds_277ca(transaction: Transaction, delimiters: Delimiters) -> dict[str, Any]:
    claims = claimack277.parse_277ca_transaction(transaction, delimiters)
    return {
        "claims": len(claims),
        "accepted": sum(c.accepted for c in claims),
        "rejected": sum(c.rejected for c in claims),
    }


def _holds_277(transaction: Transaction, delimiters: Delimiters) -> dict[str, Any]:
    answers = status.parse_277_transaction(transaction, delimiters)
    return {"claims": len(answers), "finalized": sum(a.finalized for a in answers)}


def _holds_271(transaction: Transaction, delimiters: Delimiters) -> dict[str, Any]:
    responses = eligibility.parse_transaction(transaction, delimiters)
    return {"responses": len(responses), "active": sum(r.active for r in responses)}


def _levels(transaction: Transaction) -> Counter[str]:
    return Counter(seg.get(3) for seg in transaction.segments if seg.id == "HL")


def _holds_837(transaction: Transaction, delimiters: Delimiters) -> dict[str, Any]:
    claims = [seg for seg in transaction.segments if seg.id == "CLM"]
    levels = _levels(transaction)
    charge = sum((_clm_charge(seg) for seg in claims), ZERO)
    return {
        "billing_providers": levels["20"],
        "claims": len(claims),
        "service_lines": sum(seg.id == "LX" for seg in transaction.segments),
        "charge": charge,
    }


def _clm_charge(seg: Segment) -> Decimal:
    if not seg.get(1):
        raise seg.error("CLM01 (the claim's control number) is empty")
    return era835.amount(seg, 2)


def _holds_270(transaction: Transaction, delimiters: Delimiters) -> dict[str, Any]:
    levels = _levels(transaction)
    return {"subscribers": levels["22"], "dependents": levels["23"]}


def _holds_276(transaction: Transaction, delimiters: Delimiters) -> dict[str, Any]:
    claims = sum(seg.id == "TRN" and seg.get(1) == "1" for seg in transaction.segments)
    return {"claims": claims}


_READERS: dict[str, Any] = {
    "835": None,  # read in `_transaction`: its remittance is kept for the balance check
    "999": _holds_999,
    "277CA": _holds_277ca,
    "277": _holds_277,
    "271": _holds_271,
    "837P": _holds_837,
    "837I": _holds_837,
    "837D": _holds_837,
    "837": _holds_837,
    "270": _holds_270,
    "276": _holds_276,
}


# --- who a file is for, read leniently (a quarantined file may be garbled) ------------------------

_SCANNED_SEGMENTS = 200_000  # enough for any real file's ids; a hostile one is not read to its end
_ID_LENGTH = 80
_IDS_KEPT = 5000  # per kind: more than any real file names, few enough for one query


@dataclass
class Identifiers:
    """Ids in a file that may tell whose it is, even when the file is garbled: receiver ids
    (ISA08, GS03), payee NPIs (835 N1*PE with XX) and claim control numbers (835 CLP01, 277 and
    277CA TRN*2)."""

    receivers: set[str] = field(default_factory=set)
    payee_npis: set[str] = field(default_factory=set)
    claim_numbers: set[str] = field(default_factory=set)


def identifiers_in(data: bytes | str) -> Identifiers:
    """The ids found in the data, segment by segment, whatever else is wrong; never raises."""
    found = Identifiers()
    try:
        text = decoded(data)
        delims = detect_delimiters(text)
    except X12Error:
        return found
    for number, piece in enumerate(text.split(delims.segment)):
        if number >= _SCANNED_SEGMENTS:
            break
        elements = [e.strip() for e in piece.strip().split(delims.element)]
        _note(found, elements)
    return found


def _note(found: Identifiers, elements: list[str]) -> None:
    def at(position: int) -> str:
        value = elements[position] if position < len(elements) else ""
        return value if len(value) <= _ID_LENGTH and value.isprintable() else ""

    sid = elements[0]
    if sid == "ISA" and len(found.receivers) < _IDS_KEPT:
        found.receivers.add(at(8))
    elif sid == "GS" and len(found.receivers) < _IDS_KEPT:
        found.receivers.add(at(3))
    elif sid == "N1" and at(1) == "PE" and at(3) == "XX" and len(found.payee_npis) < _IDS_KEPT:
        found.payee_npis.add(at(4))
    elif (sid == "CLP" or (sid == "TRN" and at(1) == "2")) and len(found.claim_numbers) < _IDS_KEPT:
        found.claim_numbers.add(at(1) if sid == "CLP" else at(2))
    for ids in (found.receivers, found.payee_npis, found.claim_numbers):
        ids.discard("")
