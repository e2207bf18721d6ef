"""Fuzzing the X12 readers: random bytes and mutated real files raise only X12Error (a clear,
short message), never anything else; and what our writers write reads back the same.

Runs in a few seconds with the suite. For a long run by hand, raise the example count:

    RCM_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/x12/test_fuzz.py -q

(`RCM_FUZZ_EXAMPLES` is the number of examples per test; the default is modest.)
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcm.clearinghouse.sandbox.adjudication import SubmittedBatch, read_837p
from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error
from rcm.x12.claim837 import write_837p
from rcm.x12.claimack277 import parse_277ca
from rcm.x12.eligibility import parse_271
from rcm.x12.era835 import check_balance, parse_835
from rcm.x12.reader import read_interchanges
from rcm.x12.responses import (
    Ack277CA,
    Ack999,
    Benefit,
    ClaimAck,
    ClaimStatusReply,
    EligibilityAnswer,
    RemitAdjustment,
    RemitClaim,
    RemitLine,
    Remittance835,
    ResponseHeader,
    StatusReply,
    TransactionAck,
    write_271,
    write_277,
    write_277ca,
    write_835,
    write_999,
)
from rcm.x12.status import parse_277
from rcm.x12.survey import identifiers_in, survey
from tests.x12 import test_claim837 as c837
from tests.x12 import test_responses as responses

EXAMPLES = int(os.environ.get("RCM_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FIXTURES = Path(__file__).parent / "fixtures"
NORTHWIND = Path(__file__).parents[1] / "denials" / "fixtures" / "northwind_t48213.835"


def _read_837p(data: bytes) -> list[SubmittedBatch]:
    return [batch for ic in read_interchanges(data) for batch in read_837p(ic)]


READERS: dict[str, Callable[[bytes], object]] = {
    "read_interchanges": read_interchanges,
    "parse_835": parse_835,
    "parse_999": parse_999,
    "parse_277ca": parse_277ca,
    "parse_277": parse_277,
    "parse_271": parse_271,
    "read_837p": _read_837p,
    "survey": survey,
}


def assert_only_x12_errors(data: bytes) -> None:
    """Every reader returns or raises X12Error with a message a person can use; any other
    exception escapes and fails the test with its traceback."""
    for name, reader in READERS.items():
        try:
            reader(data)
        except X12Error as error:
            assert error.message.strip(), name
            assert len(str(error)) < 800, (name, str(error)[:300])
    identifiers_in(data)  # reads leniently: never raises at all


# --- seeds: real files and our writers' output ---------------------------------------------------


def _seeds() -> list[str]:
    texts = [p.read_text() for p in sorted(FIXTURES.glob("*.txt"))] + [NORTHWIND.read_text()]
    header = responses.HEADER
    texts += [
        write_999(header, responses.ack_999(accepted=False)),
        write_835(header, responses.remit(responses.PAID, responses.REVERSAL)),
        write_837p(c837.batch(c837.claim(), c837.secondary_claim())),
    ]
    return texts


SEEDS = _seeds()
HOSTILE_VALUES = [
    "", "²", "\u0661\u0662", "\u0662\u0660\u0662\u0664\u0660\u0661\u0660\u0661", "9" * 4301,
    "1" * 25, "-", ".", "-.", "1e5", "NaN", "Infinity", "\x00", "A" * 500, "-0", "+5", " 12",
    "1 2", "20240230", "99999999", "00000000", "HC", "HC:", ":", "::::", "^", "10000000000",
    "-10000000000", "0.000001", "\ufeff", "\u200b", "é", "\r", "1.2.3",
]  # fmt: skip


# What a number or date may be replaced by: other scripts' digits, too many digits, signs, NaN.
HOSTILE_NUMBERS = [
    "²", "\u0661", "\u0663\u0662", "\u0966\u0967", "9" * 4301, "1" * 19, "1" * 11, "-1", "+1",
    "1e3", "NaN", "Infinity", "", " ", "0x1F", "1_000", "1.2.3", "-", "10000000000",
    "99999999999.99", "-10000000000", "٢٠٢٤٠١٠١", "2024013²",
]  # fmt: skip
# Segments whose numbers are counts or positions (read as int): the envelope trailers, 999 and
# HL/LX numbering.
COUNTED = {"SE", "GE", "IEA", "AK9", "IK3", "IK4", "IK5", "AK2", "HL", "LX", "QTY"}
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]*)?")


def _segments(text: str) -> list[str]:
    return [s.strip() for s in text.split("~") if s.strip()]


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    """A seed with a few segments deleted, duplicated, swapped or altered, delimiters changed,
    hostile values put in, and maybe truncated."""
    segments = _segments(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(segments) - 1))
        operation = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "element", "component", "delimiter", "number"]
            )
        )
        if operation == "delete" and len(segments) > 1:
            del segments[index]
        elif operation == "duplicate":
            segments.insert(index, segments[index])
        elif operation == "swap":
            other = draw(st.integers(0, len(segments) - 1))
            segments[index], segments[other] = segments[other], segments[index]
        elif operation in ("element", "component"):
            elements = segments[index].split("*")
            if index == 0 and elements[0] == "ISA":
                continue  # ISA is fixed width; its own fuzzing is the delimiter case
            position = draw(st.integers(1, max(1, len(elements) - 1)))
            value = draw(st.sampled_from(HOSTILE_VALUES) | st.text(max_size=12))
            value = value.replace("~", "")
            if position < len(elements):
                if operation == "component" and ":" in elements[position]:
                    parts = elements[position].split(":")
                    parts[draw(st.integers(0, len(parts) - 1))] = value
                    elements[position] = ":".join(parts)
                else:
                    elements[position] = value
            else:
                elements.append(value)
            segments[index] = "*".join(elements)
        elif operation == "number":
            numbers = [
                (i, k)
                for i, segment in enumerate(segments)
                for k, value in enumerate(segment.split("*"))
                if k and i and NUMBER.fullmatch(value)
            ]
            counts = [(i, k) for i, k in numbers if segments[i].split("*")[0] in COUNTED]
            if numbers:
                i, k = draw(
                    st.sampled_from(counts)
                    if counts and draw(st.booleans())
                    else st.sampled_from(numbers)
                )
                elements = segments[i].split("*")
                elements[k] = draw(st.sampled_from(HOSTILE_NUMBERS))
                segments[i] = "*".join(elements)
        elif operation == "delimiter":
            new = draw(st.sampled_from(["|", "^", ":", "~", "\x1d", "A", " ", "\x00"]))
            segments[index] = segments[index].replace("*", new)
    ending = draw(st.sampled_from(["~", "~\n", "~\r\n", "~\r", "\n"]))
    text = ending.join(segments) + ending
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at] + draw(st.sampled_from(["\x00", "²", "\ufeff", "\r", "~", "*"])) + text[at:]
        )
    data = text.encode(draw(st.sampled_from(["utf-8", "latin-1"])), errors="replace")
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_raise_only_x12_errors(data):
    assert_only_x12_errors(data)


@FUZZ
@given(st.binary(max_size=1500))
def test_random_bytes_after_an_isa_raise_only_x12_errors(tail):
    isa = SEEDS[0].split("~", 1)[0].encode() + b"~"
    assert_only_x12_errors(isa + tail)


X12ISH = st.text(alphabet="ISAGESTCLPNM1*:~^\n0123456789 ", max_size=400)


@FUZZ
@given(X12ISH)
def test_x12_looking_text_raises_only_x12_errors(text):
    assert_only_x12_errors(SEEDS[0].split("~", 1)[0].encode() + b"~" + text.encode())


@settings(FUZZ, max_examples=EXAMPLES * 4)
@given(mutated_files())
def test_mutated_real_files_raise_only_x12_errors(data):
    assert_only_x12_errors(data)


def test_each_seed_reads_as_itself():
    """The seeds are good files: mutations start from something readable."""
    for seed in SEEDS:
        survey(seed)


# --- round trips: what we write reads back the same ----------------------------------------------

LETTERS = string.ascii_uppercase
names = st.builds(
    lambda first, rest: (first + rest).strip(),
    st.sampled_from(LETTERS),
    st.text(alphabet=LETTERS + " '-", max_size=20),
)
ids = st.text(alphabet=LETTERS + string.digits, min_size=1, max_size=15)
codes = st.text(alphabet=string.digits, min_size=4, max_size=9)
money = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
procedures = st.sampled_from(["99213", "99214", "85025", "J7613", "94640", "G0439"])
HEADER = ResponseHeader("SANDBOX", "CLINIC01", 42, datetime(2026, 3, 14, 9, 30, tzinfo=UTC))


@st.composite
def remit_lines(draw: st.DrawFn) -> RemitLine:
    charge = draw(money)
    paid = draw(st.decimals(min_value=0, max_value=charge, places=2))
    adjustments = (RemitAdjustment("CO", "45", charge - paid),) if charge != paid else ()
    return RemitLine(
        draw(procedures),
        charge,
        paid,
        draw(days),
        control_number=draw(ids),
        adjustments=adjustments,
    )


@st.composite
def remit_claims(draw: st.DrawFn) -> RemitClaim:
    lines = tuple(draw(st.lists(remit_lines(), min_size=1, max_size=3)))
    return RemitClaim(
        draw(ids),
        "1",
        sum((line.charge for line in lines), Decimal(0)),
        sum((line.paid for line in lines), Decimal(0)),
        Decimal(0),
        draw(ids),
        draw(ids),
        draw(names),
        draw(names),
        lines=lines,
    )


@FUZZ
@given(
    st.lists(remit_claims(), max_size=4),
    names,
    names,
    ids,
    days,
)
def test_an_835_we_write_reads_back_the_same(claims, payer, payee, trace, paid_on):
    remit = Remittance835(
        payer, "SBX01", "999999999", payee, "1234567893", trace, paid_on, paid_on, tuple(claims)
    )

    [read] = parse_835(write_835(HEADER, remit))

    assert check_balance(read) == []
    assert (read.payer_name, read.payee_name, read.payee_npi) == (payer, payee, "1234567893")
    assert (read.trace_number, read.payment_date) == (trace, paid_on)
    assert len(read.claims) == len(claims)
    for got, sent in zip(read.claims, claims, strict=True):
        assert (got.control_number, got.status_code) == (sent.control_number, "1")
        assert (got.charge, got.paid, got.patient_responsibility) == (sent.charge, sent.paid, 0)
        assert (got.payer_claim_number, got.patient_id) == (sent.payer_claim_number, sent.member_id)
        assert (got.patient_last_name, got.patient_first_name) == (sent.last_name, sent.first_name)
        for line, sent_line in zip(got.service_lines, sent.lines, strict=True):
            assert (line.procedure_code, line.charge, line.paid) == (
                sent_line.procedure_code,
                sent_line.charge,
                sent_line.paid,
            )
            assert (line.service_date, line.control_number) == (
                sent_line.service_date,
                sent_line.control_number,
            )
            assert [(a.group, a.reason, a.amount) for a in line.adjustments] == [
                (a.group, a.reason, a.amount) for a in sent_line.adjustments
            ]


@FUZZ
@given(st.lists(st.tuples(codes, st.booleans()), min_size=1, max_size=5), codes)
def test_a_999_we_write_reads_back_the_same(transactions, group_control):
    sent = Ack999(
        "HC",
        group_control,
        "005010X222A1",
        tuple(
            TransactionAck("837", control, "005010X222A1", accepted, (), () if accepted else ("5",))
            for control, accepted in transactions
        ),
    )

    [ack] = parse_999(write_999(HEADER, sent))

    assert (ack.functional_id, ack.group_control_number) == ("HC", group_control)
    assert [(t.set_id, t.control_number, t.accepted) for t in ack.transactions] == [
        ("837", control, accepted) for control, accepted in transactions
    ]


@st.composite
def claim_acks(draw: st.DrawFn) -> ClaimAck:
    accepted = draw(st.booleans())
    category, status = ("A2", "20") if accepted else ("A3", "33")
    return ClaimAck(
        draw(ids), accepted, category, status, draw(money), draw(ids), draw(names), draw(names),
        draw(days), payer_claim_number=draw(ids) if accepted else "",
    )  # fmt: skip


@FUZZ
@given(st.lists(claim_acks(), min_size=1, max_size=4), names, days)
def test_a_277ca_we_write_reads_back_the_same(claims, payer, day):
    sent = Ack277CA(
        "ACK1", day, day, payer, "SBX01", "CLINIC", "CLINIC01", "TEST CLINIC", "1234567893",
        "BATCH1", tuple(claims),
    )  # fmt: skip

    read = parse_277ca(write_277ca(HEADER, sent))

    assert [(c.control_number, c.accepted, c.rejected) for c in read] == [
        (c.control_number, c.accepted, not c.accepted) for c in claims
    ]
    for got, want in zip(read, claims, strict=True):
        assert (got.member_id, got.patient_last_name, got.patient_first_name) == (
            want.member_id,
            want.last_name,
            want.first_name,
        )
        assert got.total_charge == want.charge
        assert got.payer_claim_number == want.payer_claim_number
        assert got.service_date == want.service_start


@FUZZ
@given(ids, names, names, days, st.booleans(), money)
def test_a_271_we_write_reads_back_the_same(member, last, first, day, found, deductible):
    benefits = (Benefit("1", plan_name="GOLD"), Benefit("C", time_period="23", amount=deductible))
    sent = EligibilityAnswer(
        "REF1", "SANDBOX PAYER", "SBX01", "TEST CLINIC", "1234567893", "TRACE1", "9SANDBOX01",
        member, last, first, day, found, benefits,
    )  # fmt: skip

    [response] = parse_271(write_271(HEADER, sent))

    assert (response.member_id, response.subscriber_last_name) == (member, last)
    assert response.subscriber_first_name == first
    assert response.active is found
    if found:
        assert [b.amount for b in response.benefits if b.info_code == "C"] == [deductible]


@st.composite
def status_replies(draw: st.DrawFn) -> ClaimStatusReply:
    paid = draw(st.none() | money)
    return ClaimStatusReply(
        draw(ids), draw(names), draw(names), draw(ids), "F1", "65", draw(days), draw(money),
        paid, control_number=draw(ids), payer_claim_number=draw(ids),
    )  # fmt: skip


@FUZZ
@given(st.lists(status_replies(), min_size=1, max_size=4))
def test_a_277_we_write_reads_back_the_same(claims):
    sent = StatusReply(
        "REF1", "SANDBOX PAYER", "SBX01", "CLINIC", "CLINIC01", "TEST CLINIC", "1234567893",
        tuple(claims),
    )  # fmt: skip

    read = parse_277(write_277(HEADER, sent))

    assert len(read) == len(claims)
    for got, want in zip(read, claims, strict=True):
        assert (got.member_id, got.patient_last_name, got.patient_first_name) == (
            want.member_id,
            want.last_name,
            want.first_name,
        )
        assert (got.category, got.status) == ("F1", "65")
        assert got.paid_amount == want.paid
        assert got.effective_date == want.status_date
        assert got.payer_claim_number == want.payer_claim_number


@st.composite
def claims_837(draw: st.DrawFn) -> Any:
    lines = tuple(
        c837.line(
            draw(procedures), str(draw(money.filter(lambda m: m > 0))), line_control_number=f"L{n}"
        )
        for n in range(1, draw(st.integers(1, 3)) + 1)
    )
    subscriber = c837.Subscriber(
        draw(names), draw(names), draw(ids), date(1980, 1, 2), "F", c837.ADDRESS
    )
    return c837.claim(control_number=draw(ids), subscriber=subscriber, lines=lines)


@FUZZ
@given(st.lists(claims_837(), min_size=1, max_size=3, unique_by=lambda c: c.control_number))
def test_an_837p_we_write_reads_back_the_same(claims):
    text = write_837p(c837.batch(*claims))

    [submitted] = _read_837p(text.encode())

    assert [c.control_number for c in submitted.claims] == [c.control_number for c in claims]
    for got, want in zip(submitted.claims, claims, strict=True):
        assert (got.member_id, got.last_name, got.first_name) == (
            want.subscriber.member_id,
            want.subscriber.last_name,
            want.subscriber.first_name,
        )
        assert got.charge == want.total_charge
        assert [(line.procedure_code, line.charge) for line in got.lines] == [
            (line.procedure_code, line.charge) for line in want.lines
        ]
