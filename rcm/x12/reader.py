"""Fast X12 reader: bytes or text -> interchanges, groups and transactions, envelopes checked."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rcm.x12.base import Delimiters, X12Error, is_digits, shown

_BOM = "\ufeff"
_BLANKS = " \t\r\n\v\f"  # not str.isspace: that takes \x1c-\x1f, good delimiters
_ISA_ELEMENTS = 16
_ENVELOPE_IDS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"})
# IEA01, GE01 and SE01 are at most 5, 6 and 10 digits in the guides.
_COUNT_DIGITS = 10


@dataclass(slots=True)
class Segment:
    """One segment. `elements[0]` is element 01 (the id is not repeated in `elements`)."""

    id: str
    elements: list[str]
    index: int
    line: int

    def get(self, position: int) -> str:
        """Element `position` counted from 1 as in the guides (CLP03 -> 3); '' when absent."""
        if 0 < position <= len(self.elements):
            return self.elements[position - 1]
        return ""

    def error(self, message: str) -> X12Error:
        """An X12Error that names this segment, its index and its line."""
        return X12Error(message, segment_id=self.id, segment_index=self.index, line=self.line)


@dataclass
class Transaction:
    """ST..SE; `segments` holds the ST and SE segments too."""

    st_control: str
    type: str
    version: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class FunctionalGroup:
    """GS..GE with its transactions."""

    functional_id: str
    sender: str
    receiver: str
    date: str
    time: str
    control: str
    version: str
    transactions: list[Transaction] = field(default_factory=list)


@dataclass
class Interchange:
    """ISA..IEA with its functional groups; sender and receiver ids are stripped of padding."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str
    time: str
    control: str
    usage_indicator: str
    version: str
    delimiters: Delimiters
    groups: list[FunctionalGroup] = field(default_factory=list)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building ~10^5 small objects otherwise doubles the
    time. The objects made here hold no cycles, so nothing is lost; nested use is safe."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode(data: bytes | str) -> tuple[str, int]:
    """Text without BOM and leading whitespace, and how many lines that whitespace held."""
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    stripped = text.lstrip(_BOM + " \t\r\n")
    return stripped, text.count("\n", 0, len(text) - len(stripped))


def decoded(data: bytes | str) -> str:
    """The data as text (UTF-8, else Latin-1), without BOM and leading whitespace."""
    return _decode(data)[0]


def _isa_error(message: str) -> X12Error:
    return X12Error(message, segment_id="ISA", segment_index=1, line=1)


def _unusable(char: str) -> bool:
    """A delimiter that would also occur in ordinary data: a letter, a digit or a space."""
    return char.isalnum() or char in _BLANKS


def detect_delimiters(text: str) -> Delimiters:
    """Delimiters from the ISA at the start of `text` (already stripped of BOM and whitespace)."""
    if not text.startswith("ISA") or len(text) < 4:
        raise X12Error("not an X12 interchange: the data does not start with ISA", line=1)
    element = text[3]
    if _unusable(element):
        raise _isa_error(f"ISA element separator {element!r} is not usable")
    pos = 0
    for _ in range(_ISA_ELEMENTS):
        pos = text.find(element, pos + 1)
        if pos < 0:
            raise _isa_error("ISA segment is incomplete")
    if pos + 2 >= len(text):
        raise _isa_error("ISA segment has no terminator")
    component = text[pos + 1]
    terminator = text[pos + 2]
    if _unusable(component):
        raise _isa_error(f"ISA16 component separator {component!r} is not usable")
    if component == element:
        raise _isa_error(f"ISA16 component separator {component!r} is the element separator")
    if terminator.isalnum() or terminator in " " + element + component:
        raise _isa_error(f"ISA segment terminator {terminator!r} is not usable")
    isa = text[: pos + 2].split(element)
    repetition = isa[11] if isa[12] >= "00501" and len(isa[11]) == 1 else ""
    if repetition == component:  # real senders do this (`^` for both): read as no repetition
        repetition = ""
    if repetition and repetition in (element, terminator):
        raise _isa_error(
            f"ISA11 repetition separator {repetition!r} is also the element or segment separator"
        )
    if terminator == "\r":
        terminator = "\n"
    return Delimiters(
        element=element, component=component, repetition=repetition, segment=terminator
    )


# C0 control characters have no place in X12 data, but may serve as delimiters.
_CONTROLS = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"}


def _check_controls(text: str, delims: Delimiters, skipped_lines: int) -> None:
    """Refuse the first control character in the data that is not a delimiter."""
    allowed = {delims.element, delims.component, delims.repetition, delims.segment}
    bad = _CONTROLS - allowed
    if not bad or bad.isdisjoint(text):
        return
    pos = min(at for at in (text.find(c) for c in bad) if at >= 0)
    start = text.rfind(delims.segment, 0, pos) + 1
    sid = text[start:pos].lstrip().split(delims.element, 1)[0][:3]
    raise X12Error(
        f"control character {text[pos]!r} in the data",
        segment_id=sid or None,
        segment_index=text.count(delims.segment, 0, pos) + 1,
        line=1 + skipped_lines + text.count("\n", 0, pos),
    )


def tokenize(data: bytes | str) -> tuple[Delimiters, list[Segment]]:
    """Split the data into segments with their 1-based index and line; no envelope checks."""
    text, skipped_lines = _decode(data)
    delims = detect_delimiters(text)
    if "\r" in text:  # CRLF and CR-only files: lines end in LF from here on
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_controls(text, delims, skipped_lines)
    element = delims.element
    segments: list[Segment] = []
    append = segments.append
    line = 1 + skipped_lines
    ends_line = delims.segment == "\n"  # each terminator ends a line too
    index = 0
    for piece in text.split(delims.segment):
        start_line = line
        line += ends_line
        if piece[:1] in _BLANKS or "\n" in piece:
            content = piece.lstrip(_BLANKS)
            start_line += piece.count("\n", 0, len(piece) - len(content))
            line += piece.count("\n")
            content = content.rstrip("\n")
            if not content:
                continue
        else:
            content = piece
            if not content:
                continue
        index += 1
        parts = content.split(element)
        sid = parts[0]
        if not (2 <= len(sid) <= 3 and sid.isascii() and sid.isalnum()):
            raise X12Error(f"bad segment id {shown(sid, 10)}", segment_index=index, line=start_line)
        append(Segment(sid, parts[1:], index, start_line))
    return delims, segments


def read_interchanges(data: bytes | str) -> list[Interchange]:
    """Read every ISA..IEA in the data, checking all envelope counts and control numbers."""
    with gc_paused():
        return _read_all(data)


def read_transactions(data: bytes | str) -> list[tuple[Transaction, Delimiters]]:
    """Every ST..SE in the data, in file order, with the delimiters of its interchange.

    What each transaction parser walks; call it inside `gc_paused()` with the parsing itself.
    """
    return [
        (transaction, interchange.delimiters)
        for interchange in read_interchanges(data)
        for group in interchange.groups
        for transaction in group.transactions
    ]


def _read_all(data: bytes | str) -> list[Interchange]:
    delims, segments = tokenize(data)
    interchanges: list[Interchange] = []
    pos = 0
    while pos < len(segments):
        seg = segments[pos]
        if seg.id != "ISA":
            raise seg.error(f"{seg.id} outside an interchange (expected ISA)")
        interchange, pos = _read_interchange(segments, pos, delims)
        interchanges.append(interchange)
    return interchanges


def _count(seg: Segment, position: int) -> int:
    value = seg.get(position).strip()
    if not is_digits(value, _COUNT_DIGITS):
        raise seg.error(f"{seg.id}{position:02d} is not a count: {shown(value)}")
    return int(value)


def _ended(segments: list[Segment], what: str) -> X12Error:
    last = segments[-1]
    return last.error(f"file ends inside {what} (truncated?)")


def _read_interchange(
    segments: list[Segment], pos: int, delims: Delimiters
) -> tuple[Interchange, int]:
    isa = segments[pos]
    if len(isa.elements) != _ISA_ELEMENTS:
        raise isa.error(f"ISA has {len(isa.elements)} elements, expected 16")
    e = isa.elements
    interchange = Interchange(
        sender_qualifier=e[4],
        sender_id=e[5].strip(),
        receiver_qualifier=e[6],
        receiver_id=e[7].strip(),
        date=e[8],
        time=e[9],
        control=e[12],
        usage_indicator=e[14],
        version=e[11],
        delimiters=delims,
    )
    pos += 1
    while pos < len(segments):
        seg = segments[pos]
        if seg.id == "GS":
            group, pos = _read_group(segments, pos)
            interchange.groups.append(group)
        elif seg.id == "TA1":  # interchange acknowledgment: lives outside any group
            pos += 1
        elif seg.id == "IEA":
            _check_trailer(seg, len(interchange.groups), interchange.control, "GS", "ISA13")
            return interchange, pos + 1
        elif seg.id == "ISA":
            raise seg.error(f"ISA before the IEA of interchange {interchange.control}")
        else:
            raise seg.error(f"{seg.id} outside a functional group (expected GS or IEA)")
    raise _ended(segments, f"interchange {interchange.control}: missing IEA")


def _check_trailer(seg: Segment, counted: int, control: str, child: str, header: str) -> None:
    declared = _count(seg, 1)
    if declared != counted:
        raise seg.error(f"{seg.id}01 says {declared} {child}, found {counted}")
    if seg.get(2).strip() != control.strip():
        raise seg.error(f"{seg.id}02 {shown(seg.get(2))} does not match {header} {shown(control)}")


def _read_group(segments: list[Segment], pos: int) -> tuple[FunctionalGroup, int]:
    gs = segments[pos]
    group = FunctionalGroup(
        functional_id=gs.get(1),
        sender=gs.get(2),
        receiver=gs.get(3),
        date=gs.get(4),
        time=gs.get(5),
        control=gs.get(6),
        version=gs.get(8),
    )
    pos += 1
    while pos < len(segments):
        seg = segments[pos]
        if seg.id == "ST":
            transaction, pos = _read_transaction(segments, pos, group.version)
            group.transactions.append(transaction)
        elif seg.id == "GE":
            _check_trailer(seg, len(group.transactions), group.control, "ST", "GS06")
            return group, pos + 1
        elif seg.id in ("GS", "IEA", "ISA"):
            raise seg.error(f"{seg.id} before the GE of group {group.control}: missing GE")
        else:
            raise seg.error(f"{seg.id} outside a transaction (expected ST or GE)")
    raise _ended(segments, f"group {group.control}: missing GE")


def _read_transaction(
    segments: list[Segment], pos: int, group_version: str
) -> tuple[Transaction, int]:
    st = segments[pos]
    transaction = Transaction(
        st_control=st.get(2), type=st.get(1), version=st.get(3) or group_version
    )
    envelope = _ENVELOPE_IDS
    for end in range(pos + 1, len(segments)):
        sid = segments[end].id
        if sid not in envelope:
            continue
        seg = segments[end]
        if sid != "SE":
            raise seg.error(
                f"{sid} before the SE of transaction {transaction.st_control}: missing SE"
            )
        transaction.segments = segments[pos : end + 1]
        _check_trailer(seg, end - pos + 1, transaction.st_control, "segments", "ST02")
        return transaction, end + 1
    raise _ended(segments, f"transaction {transaction.st_control}: missing SE")
