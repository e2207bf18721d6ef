"""The X12 reader: delimiters, envelopes, counts and the errors that name their segment."""

from __future__ import annotations

import pytest

from rcm.x12.base import Delimiters, X12Error
from rcm.x12.reader import read_interchanges, tokenize

BODY = ["BHT*0019*00*1*20240101*1200*CH", "NM1*41*2*CLINIC*****46*A:B"]


def isa(control: str = "000000001", element: str = "*", component: str = ":", rep: str = "^"):
    fields = [
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", "SENDER".ljust(15), "ZZ",
        "RECEIVER".ljust(15), "240101", "1200", rep, "00501", control, "0", "T", component,
    ]  # fmt: skip
    return element.join(fields)


def transaction(control: str = "0001", body: list[str] | None = None, count: int | None = None):
    body = BODY if body is None else body
    total = len(body) + 2 if count is None else count
    return [f"ST*837*{control}*005010X222A1", *body, f"SE*{total}*{control}"]


def group(control: str = "1", transactions: list[list[str]] | None = None):
    transactions = [transaction()] if transactions is None else transactions
    segs = [f"GS*HC*SEND*RECV*20240101*1200*{control}*X*005010X222A1"]
    for t in transactions:
        segs.extend(t)
    return [*segs, f"GE*{len(transactions)}*{control}"]


def interchange(control: str = "000000001", groups: list[list[str]] | None = None, **kw):
    groups = [group()] if groups is None else groups
    segs = [isa(control, **kw)]
    for g in groups:
        segs.extend(g)
    return [*segs, f"IEA*{len(groups)}*{control}"]


def render(segs: list[str], terminator: str = "~", after: str = "\n", **kw) -> str:
    element = kw.get("element", "*")
    component = kw.get("component", ":")
    out = [segs[0]] + [s.replace("*", element).replace(":", component) for s in segs[1:]]
    return "".join(s + terminator + after for s in out)


def test_default_delimiters_and_envelope_fields():
    [ic] = read_interchanges(render(interchange()))
    assert ic.delimiters == Delimiters("*", ":", "^", "~")
    assert (ic.sender_qualifier, ic.sender_id, ic.receiver_id) == ("ZZ", "SENDER", "RECEIVER")
    assert (ic.date, ic.time, ic.control, ic.usage_indicator) == (
        "240101",
        "1200",
        "000000001",
        "T",
    )
    [gs] = ic.groups
    assert (gs.functional_id, gs.sender, gs.receiver, gs.control) == ("HC", "SEND", "RECV", "1")
    assert (gs.date, gs.time, gs.version) == ("20240101", "1200", "005010X222A1")
    [st] = gs.transactions
    assert (st.st_control, st.type, st.version) == ("0001", "837", "005010X222A1")
    assert [s.id for s in st.segments] == ["ST", "BHT", "NM1", "SE"]
    assert st.segments[2].get(9) == "A:B"
    assert st.segments[2].get(99) == ""
    assert [(s.index, s.line) for s in st.segments] == [(3, 3), (4, 4), (5, 5), (6, 6)]


def test_non_default_separators():
    segs = interchange(element="|", component="}", rep="!")
    text = render(segs, terminator="\x1c", after="", element="|", component="}")
    [ic] = read_interchanges(text)
    assert ic.delimiters == Delimiters("|", "}", "!", "\x1c")
    nm1 = ic.groups[0].transactions[0].segments[2]
    assert nm1.elements[-1] == "A}B"


def test_one_line_file():
    [ic] = read_interchanges(render(interchange(), after=""))
    st = ic.groups[0].transactions[0]
    assert {s.line for s in st.segments} == {1}
    assert [s.index for s in st.segments] == [3, 4, 5, 6]


def test_crlf_bom_indentation_and_trailing_blank_lines():
    text = "".join("    " + s + "~\r\n" for s in interchange())
    data = ("\ufeff" + text + "\r\n\r\n  \r\n").encode()
    [ic] = read_interchanges(data)
    assert ic.groups[0].transactions[0].segments[1].line == 4
    assert ic.delimiters.segment == "~"


def test_newline_is_the_terminator():
    text = "\n".join(interchange()) + "\n\n"
    [ic] = read_interchanges(text)
    assert ic.delimiters.segment == "\n"
    assert ic.groups[0].transactions[0].segments[-1].id == "SE"


def test_crlf_is_the_terminator():
    [ic] = read_interchanges("\r\n".join(interchange()) + "\r\n")
    assert ic.delimiters.segment == "\n"
    assert len(ic.groups[0].transactions[0].segments) == 4


def test_leading_blank_lines_still_count_for_line_numbers():
    _, segments = tokenize("\n\n" + render(interchange()))
    assert segments[0].line == 3


def test_4010_has_no_repetition_separator():
    text = render(interchange()).replace("*^*00501*", "*U*00401*", 1)
    [ic] = read_interchanges(text)
    assert ic.delimiters.repetition == ""


def test_several_interchanges_groups_and_transactions():
    two = group("7", [transaction("0001"), transaction("0002")])
    first = interchange("000000001", [group("5"), two])
    second = interchange("000000002")
    ics = read_interchanges(render(first + second))
    assert [ic.control for ic in ics] == ["000000001", "000000002"]
    assert [g.control for g in ics[0].groups] == ["5", "7"]
    assert [t.st_control for t in ics[0].groups[1].transactions] == ["0001", "0002"]


def test_ta1_is_allowed_between_groups():
    segs = interchange()
    segs.insert(1, "TA1*000000001*240101*1200*A*000")
    [ic] = read_interchanges(render(segs))
    assert len(ic.groups) == 1


def _error(segs: list[str]) -> X12Error:
    with pytest.raises(X12Error) as caught:
        read_interchanges(render(segs))
    return caught.value


@pytest.mark.parametrize(
    ("segs", "segment_id", "index", "fragment"),
    [
        (interchange(groups=[group(transactions=[transaction(count=5)])]), "SE", 6, "SE01 says 5"),
        (interchange(groups=[group(transactions=[transaction(count=0)])]), "SE", 6, "SE01 says 0"),
        (
            [s.replace("SE*4*0001", "SE*4*0002") for s in interchange()],
            "SE",
            6,
            "does not match ST02",
        ),
        ([s.replace("GE*1*1", "GE*2*1") for s in interchange()], "GE", 7, "GE01 says 2"),
        ([s.replace("GE*1*1", "GE*1*9") for s in interchange()], "GE", 7, "match GS06"),
        ([*interchange()[:-1], "IEA*2*000000001"], "IEA", 8, "IEA01 says 2"),
        ([*interchange()[:-1], "IEA*1*000000009"], "IEA", 8, "match ISA13"),
        ([*interchange()[:-1], "IEA*x*000000001"], "IEA", 8, "not a count"),
    ],
)
def test_envelope_count_errors(segs, segment_id, index, fragment):
    error = _error(segs)
    assert fragment in error.message
    assert (error.segment_id, error.segment_index, error.line) == (segment_id, index, index)


def test_missing_se():
    segs = [s for s in interchange() if not s.startswith("SE")]
    error = _error(segs)
    assert "missing SE" in str(error)
    assert (error.segment_id, error.segment_index) == ("GE", 6)


def test_missing_ge():
    segs = [s for s in interchange() if not s.startswith("GE")]
    error = _error(segs)
    assert "missing GE" in str(error)
    assert error.segment_id == "IEA"


def test_missing_iea_between_interchanges():
    segs = interchange()[:-1] + interchange("000000002")
    error = _error(segs)
    assert error.segment_id == "ISA"
    assert error.segment_index == 8


def test_segment_outside_a_transaction():
    segs = interchange()
    segs.insert(2, "BHT*0019")
    error = _error(segs)
    assert (error.segment_id, error.segment_index, error.line) == ("BHT", 3, 3)
    assert "outside a transaction" in error.message


def test_segment_outside_a_group():
    segs = interchange()
    segs.insert(1, "BHT*0019")
    assert _error(segs).segment_id == "BHT"


def test_truncated_file():
    segs = interchange()[:4]
    error = _error(segs)
    assert "truncated" in error.message
    assert (error.segment_id, error.segment_index, error.line) == ("BHT", 4, 4)


def test_truncated_after_se_names_missing_ge():
    error = _error(interchange()[:6])
    assert "missing GE" in error.message


@pytest.mark.parametrize(
    "text", ["", "   \n", "ST*835*1~SE*2*1~", "\ufeffGS*HP~", b"\xef\xbb\xbfNM1"]
)
def test_not_an_interchange(text):
    with pytest.raises(X12Error, match="not an X12 interchange"):
        read_interchanges(text)


def test_incomplete_isa():
    with pytest.raises(X12Error, match="ISA segment is incomplete"):
        read_interchanges("ISA*00*x~")


def test_bad_segment_id():
    segs = interchange()
    segs.insert(3, "  !!*1")
    with pytest.raises(X12Error, match="bad segment id") as caught:
        read_interchanges(render(segs))
    assert caught.value.line == 4


def test_latin1_bytes_are_read():
    text = render(interchange()).replace("CLINIC", "CLÍNICA")
    [ic] = read_interchanges(text.encode("latin-1"))
    assert ic.groups[0].transactions[0].segments[2].get(3) == "CLÍNICA"
