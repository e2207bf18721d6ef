"""The X12 reader at its edges: line endings, unusable terminators, missing trailers, versions.

Each refusal is checked by the message a person reads, with the segment and line it names.
"""

from __future__ import annotations

import pytest

from rcm.x12.base import X12Error
from rcm.x12.reader import read_interchanges, read_transactions, tokenize
from tests.x12.test_reader import group, interchange, isa, render, transaction


def _refusal(data: str) -> str:
    with pytest.raises(X12Error) as caught:
        read_interchanges(data)
    return str(caught.value)


def _shape(data: str | bytes) -> list[tuple[str, int]]:
    [ic] = read_interchanges(data)
    return [(s.id, s.index) for s in ic.groups[0].transactions[0].segments]


EXPECTED_SHAPE = [("ST", 3), ("BHT", 4), ("NM1", 5), ("SE", 6)]
# Plain test ids (mutmut passes ids back to pytest and loses escaped characters).
ENDING_IDS = {"~\n": "tilde-LF", "~\r\n": "tilde-CRLF", "~\r": "tilde-CR", "~": "tilde",
              "\n": "LF", "\r\n": "CRLF", "\r": "CR"}  # fmt: skip


def ending_id(ending: str) -> str:
    return ENDING_IDS[ending]


@pytest.mark.parametrize("ending", ["~\n", "~\r\n", "~\r", "~", "\n", "\r\n", "\r"], ids=ending_id)
def test_every_line_ending_reads_the_same_segments(ending):
    data = ending.join(interchange()) + ending
    assert _shape(data) == EXPECTED_SHAPE
    assert _shape(data.encode()) == EXPECTED_SHAPE


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=ending_id)
def test_a_line_break_as_terminator_is_read_as_newline(ending):
    [ic] = read_interchanges(ending.join(interchange()) + ending)
    assert ic.delimiters.segment == "\n"
    assert ic.groups[0].transactions[0].segments[-1].get(1) == "4"


@pytest.mark.parametrize("ending", ["~\n", "~\r\n"], ids=ending_id)
def test_line_numbers_follow_the_lines(ending):
    _, segments = tokenize(ending.join(interchange()) + ending)
    assert [s.line for s in segments] == list(range(1, 9))


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "~\r"], ids=ending_id)
def test_line_numbers_when_the_line_break_is_the_terminator(ending):
    _, segments = tokenize(ending.join(interchange()) + ending)
    assert [s.line for s in segments] == list(range(1, 9))


@pytest.mark.parametrize(
    "terminator", ["*", ":", " ", "A", "7"], ids=["star", "colon", "space", "letter", "digit"]
)
def test_a_terminator_that_is_a_delimiter_or_data_is_refused(terminator):
    data = terminator.join(interchange()) + terminator
    assert _refusal(data) == (
        f"ISA segment terminator {terminator!r} is not usable (segment ISA #1 line 1)"
    )


def test_a_terminator_equal_to_the_repetition_separator_is_refused():
    data = "^".join(interchange()) + "^"
    assert _refusal(data) == (
        "ISA11 repetition separator '^' is also the element or segment separator "
        "(segment ISA #1 line 1)"
    )


def test_an_isa_without_terminator_is_refused():
    assert _refusal(isa()) == "ISA segment has no terminator (segment ISA #1 line 1)"


def test_a_missing_iea_at_the_end_of_the_file_is_named():
    assert _refusal(render(interchange()[:-1])) == (
        "file ends inside interchange 000000001: missing IEA (truncated?) (segment GE #7 line 7)"
    )


def test_an_isa_before_the_iea_is_named():
    assert _refusal(render(interchange()[:7] + interchange("000000002"))) == (
        "ISA before the IEA of interchange 000000001 (segment ISA #8 line 8)"
    )


def test_a_gs_before_the_ge_is_named():
    assert _refusal(render(interchange()[:6] + interchange()[1:])) == (
        "GS before the GE of group 1: missing GE (segment GS #7 line 7)"
    )


def test_a_segment_after_the_last_iea_is_named():
    assert _refusal(render([*interchange(), "GS*HC*1"])) == (
        "GS outside an interchange (expected ISA) (segment GS #9 line 9)"
    )


def test_a_segment_between_groups_is_named():
    segs = interchange()
    segs.insert(7, "NM1*41")
    assert _refusal(render(segs)) == (
        "NM1 outside a functional group (expected GS or IEA) (segment NM1 #8 line 8)"
    )


def test_an_envelope_segment_inside_a_transaction_means_a_missing_se():
    segs = interchange()
    segs.insert(4, "GE*1*1")
    assert _refusal(render(segs)) == (
        "GE before the SE of transaction 0001: missing SE (segment GE #5 line 5)"
    )


def test_st03_absent_takes_the_version_from_gs08():
    no_st03 = [s.replace("*005010X222A1", "") if s.startswith("ST") else s for s in transaction()]
    segs = interchange(groups=[group(transactions=[no_st03])])
    gs = segs[1].replace("005010X222A1", "005010X999")
    [(st, _)] = read_transactions(render([segs[0], gs, *segs[2:]]))
    assert st.version == "005010X999"


def test_st03_present_wins_over_gs08():
    segs = interchange()
    gs = segs[1].replace("005010X222A1", "005010X999")
    [(st, _)] = read_transactions(render([segs[0], gs, *segs[2:]]))
    assert st.version == "005010X222A1"


def test_counts_and_controls_may_carry_padding():
    segs = [s.replace("SE*4*0001", "SE* 4 *0001 ") for s in interchange()]
    assert _shape(render(segs)) == EXPECTED_SHAPE


def test_read_transactions_lists_every_transaction_in_file_order():
    first = interchange("000000001", [group("1", [transaction("0001"), transaction("0002")])])
    second = interchange("000000002", [group("2", [transaction("0003")])], component="}")
    pairs = read_transactions(render(first) + render(second))
    assert [(t.st_control, d.component) for t, d in pairs] == [
        ("0001", ":"),
        ("0002", ":"),
        ("0003", ":"),  # the delimiters are the file's, from its first ISA
    ]


def test_segment_get_counts_from_one():
    _, segments = tokenize(render(interchange()))
    st = segments[2]
    assert (st.get(0), st.get(1), st.get(3), st.get(4)) == ("", "837", "005010X222A1", "")


def test_trailer_counts_name_what_they_count():
    assert _refusal(render([s.replace("GE*1*1", "GE*2*1") for s in interchange()])) == (
        "GE01 says 2 ST, found 1 (segment GE #7 line 7)"
    )
    assert _refusal(render([*interchange()[:-1], "IEA*2*000000001"])) == (
        "IEA01 says 2 GS, found 1 (segment IEA #8 line 8)"
    )


def test_an_isa_inside_a_group_means_a_missing_ge():
    assert _refusal(render(interchange()[:6] + interchange("000000002"))) == (
        "ISA before the GE of group 1: missing GE (segment ISA #7 line 7)"
    )


def test_interchange_qualifiers_and_version():
    [ic] = read_interchanges(render(interchange()).replace("*ZZ*RECEIVER", "*01*RECEIVER", 1))
    assert (ic.sender_qualifier, ic.receiver_qualifier, ic.version) == ("ZZ", "01", "00501")


def test_a_transaction_of_only_st_and_se():
    [(st, _)] = read_transactions(
        render(interchange(groups=[group(transactions=[transaction(body=[])])]))
    )
    assert [s.id for s in st.segments] == ["ST", "SE"]
