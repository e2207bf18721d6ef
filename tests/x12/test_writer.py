"""The segment writer: number formats, element checks, envelopes and their counts, CAS."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcm.x12.base import Delimiters, X12Error
from rcm.x12.writer import (
    FunctionalGroup,
    InterchangeHeader,
    SegmentWriter,
    format_amount,
    format_date,
    format_quantity,
)

WHEN = datetime(2026, 3, 14, 9, 5)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("125.00", "125"), ("125.50", "125.5"), ("0", "0"), ("0.00", "0"), ("-3.25", "-3.25"),
        ("0.005", "0.01"), ("0.004", "0"), ("-0.005", "-0.01"), ("2.675", "2.68"), ("1E+3", "1000"),
    ],
)  # fmt: skip
def test_format_amount(value, text):
    assert format_amount(Decimal(value)) == text


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("1.50"), "1.5"), (2, "2"), (Decimal("0.000"), "0"), (0, "0")]
)
def test_format_quantity(value, text):
    assert format_quantity(value) == text


def test_format_date():
    assert format_date(date(2026, 1, 2)) == "20260102"
    assert format_date(WHEN) == "20260314"


def test_render_drops_trailing_empty_elements_and_components():
    w = SegmentWriter()
    assert w.render("NM1", ["IL", "", None, "X", "", None]) == "NM1*IL***X"
    assert w.render("SVC", [("HC", "99213", "", None), "1"]) == "SVC*HC:99213*1"
    assert w.render("HI", [[("ABK", "E119"), ("ABF", "I10")]]) == "HI*ABK:E119^ABF:I10"
    assert w.render("EB", [["30"]]) == "EB*30"
    assert w.render("X", []) == "X"


@pytest.mark.parametrize(
    ("element", "message"),
    [
        ("A*B", "element value 'A*B' contains the delimiter '*'"),
        ("A:B", "element value 'A:B' contains the delimiter ':'"),
        ("A^B", "element value 'A^B' contains the delimiter '^'"),
        ("A~B", "element value 'A~B' contains the delimiter '~'"),
        ("A\nB", "element value 'A\\nB' contains a line break"),
        ("A\rB", "element value 'A\\rB' contains a line break"),
        (("HC", "9*9"), "element value '9*9' contains the delimiter '*'"),
        ([("HC", "9~9")], "element value '9~9' contains the delimiter '~'"),
    ],
)
def test_a_value_holding_a_delimiter_is_refused(element, message):
    with pytest.raises(X12Error) as error:
        SegmentWriter().add("NM1", "IL", element)
    assert (error.value.message, error.value.segment_id) == (message, "NM1")


def test_values_are_checked_against_the_writers_own_delimiters():
    w = SegmentWriter(Delimiters("|", ">", "!", "'"), newline=False)
    w.add("NM1", "A*B:C^D~E", ("X", "Y"), ["1", "2"])
    assert w.text() == "NM1|A*B:C^D~E|X>Y|1!2'"
    with pytest.raises(X12Error, match=r"^element value 'A\|B' contains the delimiter '\|'"):
        w.add("NM1", "A|B")


def envelope(w: SegmentWriter, **header: object) -> str:
    values: dict[str, object] = {"sender_id": "SENDER", "receiver_id": "RECEIVER"}
    values.update(header)
    interchange = InterchangeHeader(
        values.pop("sender_id"), values.pop("receiver_id"), 7, WHEN, **values
    )
    w.begin_interchange(interchange)
    return w.segments[0]


def test_isa_fields():
    assert envelope(SegmentWriter()) == (
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260314*0905*^"
        "*00501*000000007*0*T*:"
    )
    isa = envelope(
        SegmentWriter(Delimiters("|", ">", "!", "'")),
        sender_qualifier="30", receiver_qualifier="01", ack_requested=True, production=True,
    )  # fmt: skip
    assert isa == (
        "ISA|00|          |00|          |30|SENDER         |01|RECEIVER       |260314|0905|!"
        "|00501|000000007|1|P|>"
    )


@pytest.mark.parametrize(
    ("field", "message", "segment_id"),
    [
        ("sender_id", "ISA06 'ABCDEFGHIJKLMNOP' is longer than 15", "ISA"),
        ("receiver_id", "ISA08 'ABCDEFGHIJKLMNOP' is longer than 15", "ISA"),
    ],
)
def test_isa_ids_longer_than_15_are_refused(field, message, segment_id):
    with pytest.raises(X12Error) as error:
        envelope(SegmentWriter(), **{field: "ABCDEFGHIJKLMNOP"})
    assert (error.value.message, error.value.segment_id) == (message, segment_id)
    envelope(SegmentWriter(), **{field: "ABCDEFGHIJKLMNO"})  # 15 fit


def two_transactions(w: SegmentWriter) -> str:
    w.begin_interchange(InterchangeHeader("S", "R", 999_999_999, WHEN))
    w.begin_group(FunctionalGroup("S", "R", 1, WHEN))
    w.begin_transaction("837", 1, "005010X222A1")
    w.add("BHT", "0019")
    w.end_transaction()
    w.begin_transaction("837", 123_456_789, "005010X222A1")
    w.end_transaction()
    w.end_group()
    w.begin_group(FunctionalGroup("S", "R", 22, WHEN, "HS", "005010X279A1"))
    w.end_group()
    w.end_interchange()
    return w.text()


def test_envelope_counts_and_control_numbers():
    text = two_transactions(SegmentWriter())
    assert text.splitlines()[1:] == [
        "GS*HC*S*R*20260314*0905*1*X*005010X222A1~",
        "ST*837*0001*005010X222A1~",
        "BHT*0019~",
        "SE*3*0001~",
        "ST*837*123456789*005010X222A1~",
        "SE*2*123456789~",
        "GE*2*1~",
        "GS*HS*S*R*20260314*0905*22*X*005010X279A1~",
        "GE*0*22~",
        "IEA*2*999999999~",
    ]
    assert "\n" not in two_transactions(SegmentWriter(newline=False))


RANGE = "must be 1 to 999999999"
GROUP_TOO_BIG = FunctionalGroup("S", "R", 1_000_000_000, WHEN)
ISA_NEGATIVE = InterchangeHeader("S", "R", -1, WHEN)


@pytest.mark.parametrize(
    ("call", "message", "segment_id"),
    [
        (lambda w: w.begin_transaction("837", 0, "V"), f"ST02 control number 0 {RANGE}", "ST02"),
        (lambda w: w.begin_group(GROUP_TOO_BIG), f"GS06 control number 1000000000 {RANGE}", "GS06"),
        (lambda w: w.begin_interchange(ISA_NEGATIVE), f"ISA13 control number -1 {RANGE}", "ISA13"),
        (lambda w: w.end_transaction(), "SE without ST", "SE"),
    ],
)  # fmt: skip
def test_envelope_refusals(call, message, segment_id):
    w = SegmentWriter()
    with pytest.raises(X12Error) as error:
        call(w)
    assert (error.value.message, error.value.segment_id) == (message, segment_id)


def test_se_closes_its_st_once():
    w = SegmentWriter()
    w.begin_transaction("837", 5, "V")
    w.end_transaction()
    with pytest.raises(X12Error, match=r"^SE without ST"):
        w.end_transaction()


def test_cas_groups_by_code_six_pairs_each():
    w = SegmentWriter(newline=False)
    pairs = [("CO", str(n), Decimal(n)) for n in range(1, 8)]
    w.add_adjustments([("PR", "1", Decimal("10.50")), *pairs, ("PR", "2", Decimal("0"))])
    assert w.segments == [
        "CAS*PR*1*10.5**2*0",
        "CAS*CO*1*1**2*2**3*3**4*4**5*5**6*6",
        "CAS*CO*7*7",
    ]
    w.add_adjustments([])
    assert len(w.segments) == 3


@pytest.mark.parametrize(
    "field", ["sender_id", "receiver_id", "sender_qualifier", "receiver_qualifier"]
)
def test_an_isa_value_holding_a_delimiter_names_the_isa(field):
    with pytest.raises(X12Error) as error:
        envelope(SegmentWriter(), **{field: "A*B"})
    assert (error.value.message, error.value.segment_id) == (
        "element value 'A*B' contains the delimiter '*'", "ISA",
    )  # fmt: skip


def test_a_repeated_plain_value_holding_a_delimiter_names_its_segment():
    with pytest.raises(X12Error) as error:
        SegmentWriter().add("EB", "1", ["30", "9~8"])
    assert (error.value.message, error.value.segment_id) == (
        "element value '9~8' contains the delimiter '~'", "EB",
    )  # fmt: skip


_PIECE = st.text(alphabet="AB9 *:^~\r\n", max_size=4)
_ELEMENT = st.one_of(
    st.none(),
    _PIECE,
    st.tuples(_PIECE, st.one_of(st.none(), _PIECE), st.one_of(st.none(), _PIECE)),
)


def _careful(segment_id, elements):
    try:
        return SegmentWriter()._render_elements(segment_id, elements)
    except X12Error as error:
        return ("refused", error.message)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ELEMENT, max_size=8))
def test_the_fast_path_writes_and_refuses_exactly_as_the_careful_one(elements):
    """`render` joins plain segments in C and counts separators; whatever the values hold,
    it must give the text, or the refusal naming the value, that the element-by-element
    path gives."""
    try:
        fast = SegmentWriter().render("NM1", elements)
    except X12Error as error:
        fast = ("refused", error.message)
    assert fast == _careful("NM1", elements)
