"""SandboxTransport: an embedded payer on disk that answers 837P, 270 and 276 like a real one."""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from rcm.clearinghouse.gateway import (
    INBOUND_HEAD_BYTES,
    InboundFile,
    OutboundFile,
    SubmitReceipt,
    inbound_max_bytes,
)
from rcm.clearinghouse.sandbox import rules
from rcm.clearinghouse.sandbox.adjudication import (
    Ledger,
    Outcome,
    Roster,
    SubmittedBatch,
    adjudicate,
    read_837p,
    year_key,
)
from rcm.x12.base import X12Error
from rcm.x12.reader import Interchange, Segment, read_interchanges, tokenize
from rcm.x12.responses import (
    Ack277CA,
    Ack999,
    Benefit,
    ClaimStatusReply,
    EligibilityAnswer,
    Remittance835,
    ResponseHeader,
    SegmentError,
    StatusReply,
    TransactionAck,
    write_271,
    write_277,
    write_277ca,
    write_835,
    write_999,
)

PAYER_TIN = "999999999"
SANDBOX_ID = "SANDBOX"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def utc_now() -> datetime:
    return datetime.now(UTC)


class SandboxTransport:
    """A payer and clearinghouse in a directory: inbox/, pending/, archive/ and state.json."""

    name = "sandbox"

    def __init__(
        self,
        base_dir: Path,
        remit_delay_seconds: float,
        roster: Roster,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.base_dir = Path(base_dir)
        self.remit_delay = timedelta(seconds=remit_delay_seconds)
        self.roster = roster
        self.clock = clock
        for sub in ("inbox", "pending", "archive"):
            (self.base_dir / sub).mkdir(parents=True, exist_ok=True)

    # State ------------------------------------------------------------------------------------

    @contextmanager
    def _ledger(self) -> Iterator[Ledger]:
        """The shared state under an exclusive fcntl lock, written back atomically."""
        with open(self.base_dir / "state.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                path = self.base_dir / "state.json"
                data = json.loads(path.read_text()) if path.exists() else {}
                for key in ("inbox", "pending"):
                    data.setdefault(key, {})
                ledger = Ledger(data)
                yield ledger
                _write_atomic(path, json.dumps(data, indent=1, sort_keys=True).encode())
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _header(self, ledger: Ledger, sender: str, receiver: str) -> ResponseHeader:
        now = self.clock()
        return ResponseHeader(
            sender or SANDBOX_ID, receiver or "UNKNOWN", ledger.next_number(), now
        )

    def _deliver(self, ledger: Ledger, name: str, text: str, at: datetime | None = None) -> None:
        """Put a response in the inbox now, or in pending/ until `at`."""
        if at is None:
            _write_atomic(self.base_dir / "inbox" / name, text.encode())
            ledger.data["inbox"][name] = self.clock().isoformat()
        else:
            _write_atomic(self.base_dir / "pending" / name, text.encode())
            ledger.data["pending"][name] = at.isoformat()

    # Batch transactions -----------------------------------------------------------------------

    def submit(self, file: OutboundFile) -> SubmitReceipt:
        """Answer an 837P: 999 and 277CA now, 835 after the remittance delay; once per name."""
        now = self.clock()
        with self._ledger() as ledger:
            seen = ledger.data["files"].get(file.name)
            if seen is not None:
                when = datetime.fromisoformat(seen["submitted_at"])
                return SubmitReceipt(seen["reference"], when, {"duplicate": "true"})
            reference = f"SBX-{ledger.next_number():09d}"
            details = self._answer(file, ledger, now)
            ledger.data["files"][file.name] = {
                "submitted_at": now.isoformat(),
                "reference": reference,
                **details,
            }
        return SubmitReceipt(reference, now, details)

    def _answer(self, file: OutboundFile, ledger: Ledger, now: datetime) -> dict[str, str]:
        stem = _UNSAFE.sub("_", file.name)
        try:
            interchanges = read_interchanges(file.content)
            batches = [(ic, read_837p(ic)) for ic in interchanges]
        except X12Error as error:
            sender, receiver = _parties(file.content)
            header = self._header(ledger, receiver, sender)
            self._deliver(ledger, f"{stem}.999", write_999(header, _rejection(file.content, error)))
            return {"accepted": "false", "error": str(error)}
        claims = 0
        for ic_number, (interchange, transactions) in enumerate(batches):
            for g_number, group in enumerate(interchange.groups):
                suffix = _suffix(ic_number, g_number)
                ack = Ack999(
                    group.functional_id, group.control, group.version,
                    tuple(TransactionAck(t.type, t.st_control, t.version, True)
                          for t in group.transactions),
                )  # fmt: skip
                header = self._header(ledger, interchange.receiver_id, interchange.sender_id)
                self._deliver(ledger, f"{stem}{suffix}.999", write_999(header, ack))
            for t_number, batch in enumerate(transactions):
                suffix = _suffix(ic_number, t_number)
                self._adjudicate(ledger, interchange, batch, f"{stem}{suffix}", now)
                claims += len(batch.claims)
        return {"accepted": "true", "claims": str(claims)}

    def _adjudicate(
        self, ledger: Ledger, ic: Interchange, batch: SubmittedBatch, stem: str, now: datetime
    ) -> None:
        remit_at = now + self.remit_delay
        outcome = adjudicate(batch, self.roster, ledger, now.date(), remit_at)
        payer_id, payer_name = _first_payer(batch, outcome)
        header = self._header(ledger, ic.receiver_id, ic.sender_id)
        ack = Ack277CA(
            f"SBX{header.control_number:09d}", now.date(), now.date(), payer_name, payer_id,
            batch.submitter_name, batch.submitter_id, batch.provider_name, batch.provider_npi,
            batch.reference or "0", tuple(outcome.acks),
        )  # fmt: skip
        self._deliver(ledger, f"{stem}.277ca", write_277ca(header, ack))
        for payer, claims in outcome.remits.items():
            if not claims:
                continue
            header = self._header(ledger, ic.receiver_id, ic.sender_id)
            trace = f"SBX{header.control_number:09d}"
            remit = Remittance835(
                outcome.payer_names.get(payer, payer), payer, PAYER_TIN, batch.provider_name,
                batch.provider_npi, trace, remit_at.date(), now.date(), tuple(claims),
            )  # fmt: skip
            for claim in claims:
                record = ledger.claim(claim.payer_claim_number)
                if record is not None and claim.status != "22":
                    record["trace_number"] = trace
            self._deliver(ledger, f"{stem}.{_UNSAFE.sub('_', payer)}.835",
                          write_835(header, remit), remit_at)  # fmt: skip

    def fetch(self) -> list[InboundFile]:
        """Inbox files not yet acknowledged, after moving due remittances into the inbox."""
        now = self.clock()
        with self._ledger() as ledger:
            for name, at in sorted(ledger.data["pending"].items()):
                if datetime.fromisoformat(at) <= now:
                    os.replace(self.base_dir / "pending" / name, self.base_dir / "inbox" / name)
                    ledger.data["inbox"][name] = at
                    del ledger.data["pending"][name]
            files = [
                _inbound(name, self.base_dir / "inbox" / name, datetime.fromisoformat(at))
                for name, at in sorted(ledger.data["inbox"].items(), key=lambda kv: kv[::-1])
            ]
        return files

    def acknowledge(self, names: list[str]) -> None:
        """Move the named inbox files to archive/; unknown names are ignored."""
        with self._ledger() as ledger:
            for name in names:
                if ledger.data["inbox"].pop(name, None) is not None:
                    source = self.base_dir / "inbox" / name
                    if source.exists():
                        os.replace(source, self.base_dir / "archive" / name)

    # Real-time transactions -------------------------------------------------------------------

    def eligibility(self, request_270: bytes) -> bytes:
        """Answer a 270 from the roster with a 271 (AAA 75 when the subscriber is unknown)."""
        try:
            interchange = read_interchanges(request_270)[0]
            segments = interchange.groups[0].transactions[0].segments
        except (X12Error, IndexError) as error:
            raise X12Error(f"unreadable 270: {error}") from None
        ask = _Inquiry.read(segments, self.clock().date())
        facts = self.roster.member(ask.payer_id, ask.member_id, ask.when)
        with self._ledger() as ledger:
            benefits = _benefits(facts, ledger, year_key(ask.payer_id, ask.member_id, ask.when))
            header = self._header(ledger, interchange.receiver_id, interchange.sender_id)
        answer = EligibilityAnswer(
            f"SBX{header.control_number:09d}", ask.payer_name, ask.payer_id, ask.provider_name,
            ask.provider_npi, ask.trace, ask.originator, ask.member_id, ask.last_name,
            ask.first_name, ask.when, facts is not None, benefits,
        )  # fmt: skip
        return write_271(header, answer).encode()

    def claim_status(self, request_276: bytes) -> bytes:
        """Answer a 276 with a 277: one STC per claim asked about, from the sandbox state."""
        try:
            interchange = read_interchanges(request_276)[0]
            segments = interchange.groups[0].transactions[0].segments
        except (X12Error, IndexError) as error:
            raise X12Error(f"unreadable 276: {error}") from None
        now = self.clock()
        ask = _Inquiry.read(segments, now.date())
        with self._ledger() as ledger:
            statuses = tuple(_status(q, ledger, now) for q in ask.claims)
            header = self._header(ledger, interchange.receiver_id, interchange.sender_id)
        answer = StatusReply(
            f"SBX{header.control_number:09d}", ask.payer_name, ask.payer_id, ask.receiver_name,
            ask.receiver_id, ask.provider_name, ask.provider_npi, statuses,
        )  # fmt: skip
        return write_277(header, answer).encode()


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _suffix(first: int, second: int) -> str:
    return "" if first == second == 0 else f".{first + 1}-{second + 1}"


def _first_payer(batch: SubmittedBatch, outcome: Outcome) -> tuple[str, str]:
    claim = batch.claims[0]
    return claim.payer_id, claim.payer_name or outcome.payer_names.get(claim.payer_id, "")


def _inbound(name: str, path: Path, received_at: datetime) -> InboundFile:
    """The inbox file as fetched: only its head when it is over the inbound limit."""
    size = path.stat().st_size
    if size <= inbound_max_bytes():
        return InboundFile(name, path.read_bytes(), received_at)
    with path.open("rb") as handle:
        return InboundFile(name, handle.read(INBOUND_HEAD_BYTES), received_at, size=size)


def _parties(content: bytes) -> tuple[str, str]:
    """ISA06 and ISA08 of a file that could not be read, when its ISA at least can be."""
    try:
        _, segments = tokenize(content)
    except X12Error:
        return "", ""
    isa = segments[0]
    return isa.get(6).strip(), isa.get(8).strip()


_SE_CODES = {"SE01": "4", "SE02": "3", "missing SE": "2"}
_GE_CODES = {"GE01": "5", "GE02": "4", "missing GE": "3"}


def _rejection(content: bytes, error: X12Error) -> Ack999:
    """A 999 naming the error: IK3 for the segment, IK5 R, AK9 R with GE codes if any."""
    try:
        _, segments = tokenize(content)
    except X12Error:
        segments = []
    gs = next((s for s in segments if s.id == "GS"), None)
    sts = [s for s in segments if s.id == "ST"]
    message = error.message
    group_codes = tuple(code for key, code in _GE_CODES.items() if key in message)
    set_codes = tuple(code for key, code in _SE_CODES.items() if key in message) or ("5",)
    transactions = []
    for st in sts:  # the whole file is refused: every transaction set is rejected
        errors: tuple[SegmentError, ...] = ()
        if error.segment_index is not None and not group_codes:
            errors = _segment_error(st, segments, error)
        ack = TransactionAck(st.get(1), st.get(2), st.get(3), False, errors, set_codes)
        transactions.append(ack)
    gs_id = gs.get(1) if gs else "HC"
    gs_control = gs.get(6) if gs else "0"
    version = gs.get(8) if gs else "005010X222A1"
    return Ack999(gs_id, gs_control, version, tuple(transactions), len(sts), group_codes or ())


def _segment_error(
    st: Segment, segments: list[Segment], error: X12Error
) -> tuple[SegmentError, ...]:
    """IK3 when the error lies inside this transaction set (after its ST, before the next)."""
    index = error.segment_index or 0
    following = [s.index for s in segments if s.id == "ST" and s.index > st.index]
    end = following[0] if following else len(segments) + 1
    if not st.index < index < end or error.segment_id in ("SE", "GE", "IEA"):
        return ()
    code = "1" if "segment id" in error.message else "2" if "outside" in error.message else "8"
    return (SegmentError(error.segment_id or "UNK", index - st.index + 1, code),)


# 270 / 276 -----------------------------------------------------------------------------------


class _Inquiry:
    """What a 270 or 276 asks: the parties, the subscriber, a date, and the claims (276)."""

    def __init__(self, today: date) -> None:
        self.payer_id = self.payer_name = self.provider_name = self.provider_npi = ""
        self.receiver_name = self.receiver_id = ""
        self.member_id = self.last_name = self.first_name = ""
        self.trace = self.originator = ""
        self.when = today
        self.claims: list[dict[str, str]] = []

    @classmethod
    def read(cls, segments: list[Segment], today: date) -> _Inquiry:
        ask = cls(today)
        subscriber: dict[str, str] = {}
        for seg in segments:
            if seg.id == "NM1":
                subscriber = ask._nm1(seg, subscriber)
            elif seg.id == "TRN":
                ask.trace, ask.originator = ask.trace or seg.get(2), ask.originator or seg.get(3)
                if ask.member_id:  # 276: a claim's trace follows its subscriber
                    ask.claims.append({**subscriber, "trace": seg.get(2)})
            elif seg.id == "REF" and ask.claims:
                ask.claims[-1][seg.get(1)] = seg.get(2)
            elif seg.id == "DTP" and seg.get(1) in ("291", "472"):
                ask._date(seg)
        return ask

    def _nm1(self, seg: Segment, subscriber: dict[str, str]) -> dict[str, str]:
        code, name, ident = seg.get(1), seg.get(3), seg.get(9)
        if code == "PR":
            self.payer_name, self.payer_id = name, ident
        elif code == "41":
            self.receiver_name, self.receiver_id = name, ident
        elif code == "1P":
            self.provider_name, self.provider_npi = name, ident
        elif code == "IL":
            self.member_id, self.last_name, self.first_name = ident, name, seg.get(4)
            return {"member_id": ident, "last_name": name, "first_name": seg.get(4)}
        return subscriber

    def _date(self, seg: Segment) -> None:
        try:
            text = seg.get(3)[:8]
            when = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            raise seg.error(f"DTP03 is not a date: {seg.get(3)!r}") from None
        if seg.get(1) == "291":
            self.when = when
        elif self.claims:
            self.claims[-1]["date"] = when.isoformat()


def _benefits(facts: Any, ledger: Ledger, year: str) -> tuple[Benefit, ...]:
    if facts is None:
        return ()
    if not facts.active:
        return (Benefit("6", ("30",), plan_name=facts.plan_name),)
    types = ("30", "98")
    out = [
        Benefit("1", ("30",), plan_name=facts.plan_name),
        Benefit("B", types, time_period="27", amount=facts.copay),
        Benefit("A", types, time_period="27", percent=facts.coinsurance_percent),
    ]
    if facts.deductible is not None:
        out.append(Benefit("C", types, time_period="23", amount=facts.deductible))
    left = max(facts.deductible_remaining - ledger.used("deductible", year), Decimal(0))
    out.append(Benefit("C", types, time_period="29", amount=left))
    if facts.out_of_pocket_max is not None:
        out.append(Benefit("G", types, time_period="23", amount=facts.out_of_pocket_max))
    if facts.out_of_pocket_remaining is not None:
        spent = ledger.used("out_of_pocket", year)
        remaining = max(facts.out_of_pocket_remaining - spent, Decimal(0))
        out.append(Benefit("G", types, time_period="29", amount=remaining))
    return tuple(out)


def _find_claim(query: dict[str, str], ledger: Ledger) -> dict[str, Any] | None:
    record = ledger.claim(query.get("1K", ""))
    if record is not None:
        return record
    wanted = query.get("EJ") or query.get("trace", "")
    matches = [
        r
        for r in ledger.data["claims"].values()
        if r["control_number"] == wanted and r["member_id"] == query.get("member_id")
    ]
    return matches[-1] if matches else None


def _status(query: dict[str, str], ledger: Ledger, now: datetime) -> ClaimStatusReply:
    record = _find_claim(query, ledger)
    base = (query.get("member_id", ""), query.get("last_name", ""), query.get("first_name", ""))
    if record is None:
        return ClaimStatusReply(*base, query.get("trace", ""), *rules.NOT_FOUND, now.date())
    remit_at = datetime.fromisoformat(record["remit_at"])
    paid = Decimal(record["paid"])
    if record.get("voided"):
        category, code = rules.REVERSED
    elif remit_at > now:
        category, code = rules.PENDING
    else:
        category, code = rules.PAID if paid > 0 else rules.DENIED
    finalized = category.startswith("F")
    return ClaimStatusReply(
        *base, query.get("trace", ""), category, code, now.date(), Decimal(record["charge"]),
        paid if finalized else None, record["control_number"], record["payer_claim_number"],
        remit_at.date() if finalized else None,
        record.get("trace_number", "") if finalized and paid > 0 else "",
        remit_at.date() if finalized and paid > 0 else None,
        date.fromisoformat(record["service_start"]), date.fromisoformat(record["service_end"]),
    )  # fmt: skip
