"""Build X12 segments and the ISA/GS/ST envelopes around them, checking every element."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from rcm.x12.base import DEFAULT_DELIMITERS, Delimiters, X12Error

# An element is a plain value, a composite (tuple of components) or repeats (list of either).
Simple = str | None
Composite = tuple[Simple, ...]
Element = Simple | Composite | list[Simple | Composite]

_CENT = Decimal("0.01")


def format_amount(value: Decimal) -> str:
    """A money amount rounded to cents with no trailing zeros: 125, 125.5, 0, -3.25."""
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return _plain(rounded)


def format_quantity(value: Decimal | int) -> str:
    """A quantity (units, days) with no trailing zeros: 1, 1.5."""
    return _plain(Decimal(value))


def _plain(value: Decimal) -> str:
    if value == 0:
        return "0"
    return f"{value.normalize():f}"


def format_date(value: date) -> str:
    """CCYYMMDD from a date or datetime."""
    return value.strftime("%Y%m%d")


class SegmentWriter:
    """Collects segments; knows the delimiters and counts what the envelopes need to count."""

    def __init__(self, delimiters: Delimiters = DEFAULT_DELIMITERS, *, newline: bool = True):
        self.delimiters = delimiters
        self.newline = newline
        d = delimiters
        self._forbidden = re.compile(
            "[" + re.escape(d.element + d.component + d.repetition + d.segment) + "\r\n]"
        )
        # The separators no value may hold and no segment of ours holds but between values:
        # the element and component separators are counted instead (see `render`).
        self._forbidden_plain = re.compile("[" + re.escape(d.repetition + d.segment) + "\r\n]")
        self.segments: list[str] = []
        self._st_index: int | None = None
        self._st_control = ""
        self._gs_control = ""
        self._isa_control = ""
        self._transactions_in_group = 0
        self._groups_in_interchange = 0

    def render(self, segment_id: str, elements: Sequence[Element]) -> str:
        """One segment's text without its terminator; trailing empty elements are dropped."""
        d = self.delimiters
        sep = d.element
        # The hot path of a 10,000-claim 837P (190,000 segments; bench/bench_write_837.py):
        # join in C, then count. A segment whose values hold no separator has exactly one
        # element separator between elements and one component separator between the parts
        # of each composite; any value holding one breaks the count, and the careful path
        # below names it.
        try:
            body = sep.join(elements)  # type: ignore[arg-type]  # plain strings, the usual case
            components = 0
        except TypeError:
            texts, components = self._texts(elements)
            if texts is None:  # repetitions, or a value that is not text
                return self._render_elements(segment_id, elements)
            body = sep.join(texts)
        if (
            body.count(sep) != len(elements) - 1
            or body.count(d.component) != components
            or self._forbidden_plain.search(body)
        ):
            return self._render_elements(segment_id, elements)
        body = body.rstrip(sep)
        return f"{segment_id}{sep}{body}" if body else segment_id

    def _texts(self, elements: Sequence[Element]) -> tuple[list[str] | None, int]:
        """Elements as text, composites joined (trailing empty parts dropped), with how many
        component separators the joins put in; (None, 0) when one needs the careful path."""
        component = self.delimiters.component
        texts: list[str] = []
        components = 0
        for element in elements:
            if element is None:
                texts.append("")
            elif type(element) is str:
                texts.append(element)
            elif type(element) is tuple:
                parts = ["" if part is None else part for part in element]
                while parts and parts[-1] == "":
                    parts.pop()
                try:
                    texts.append(component.join(parts))
                except TypeError:
                    return None, 0
                components += max(len(parts) - 1, 0)
            else:
                return None, 0
        return texts, components

    def _render_elements(self, segment_id: str, elements: Sequence[Element]) -> str:
        parts: list[str] = []
        simple: list[str] = []
        for element in elements:
            if element is None:
                parts.append("")
            elif isinstance(element, list | tuple):
                parts.append(self._element(segment_id, element))
            else:
                text = element if isinstance(element, str) else str(element)
                parts.append(text)
                simple.append(text)
        # One search per segment over all its simple values: the hot path of a 10,000-claim
        # batch. Only when it finds something is each value checked, to name the culprit.
        if simple and self._forbidden.search("".join(simple)):
            for text in simple:
                self._value(segment_id, text)
        while parts and parts[-1] == "":
            parts.pop()
        return self.delimiters.element.join([segment_id, *parts])

    def add(self, segment_id: str, *elements: Element) -> None:
        """Append a segment built from the given elements."""
        self.segments.append(self.render(segment_id, elements))

    def text(self) -> str:
        """The whole document, every segment terminated (and on its own line if asked)."""
        end = self.delimiters.segment + ("\n" if self.newline else "")
        return "".join(segment + end for segment in self.segments)

    def _element(self, segment_id: str, element: Element) -> str:
        if isinstance(element, list):
            return self.delimiters.repetition.join(
                self._element(segment_id, item) for item in element
            )
        if isinstance(element, tuple):
            parts = [self._value(segment_id, part) for part in element]
            while parts and parts[-1] == "":
                parts.pop()
            return self.delimiters.component.join(parts)
        return self._value(segment_id, element)

    def _value(self, segment_id: str, value: Simple) -> str:
        if value is None:
            return ""
        text = str(value)
        d = self.delimiters
        for delimiter in (d.element, d.component, d.repetition, d.segment):
            if delimiter in text:
                raise X12Error(
                    f"element value {text!r} contains the delimiter {delimiter!r}",
                    segment_id=segment_id,
                )
        if "\n" in text or "\r" in text:
            raise X12Error(f"element value {text!r} contains a line break", segment_id=segment_id)
        return text

    # Envelopes -------------------------------------------------------------------------------

    def begin_interchange(self, header: InterchangeHeader) -> None:
        """Write ISA; ISA11 and ISA16 carry the repetition and component separators."""
        control = _control(header.control_number, 9, "ISA13")
        d = self.delimiters
        fields = [
            "00",
            " " * 10,
            "00",
            " " * 10,
            self._value("ISA", header.sender_qualifier),
            _fixed(self._value("ISA", header.sender_id), 15, "ISA06"),
            self._value("ISA", header.receiver_qualifier),
            _fixed(self._value("ISA", header.receiver_id), 15, "ISA08"),
            header.created.strftime("%y%m%d"),
            header.created.strftime("%H%M"),
            d.repetition,
            "00501",
            control,
            "1" if header.ack_requested else "0",
            "P" if header.production else "T",
            d.component,
        ]
        self.segments.append(d.element.join(["ISA", *fields]))
        self._isa_control = control
        self._groups_in_interchange = 0

    def begin_group(self, group: FunctionalGroup) -> None:
        """Write GS."""
        control = _control(group.control_number, 0, "GS06")
        self.add(
            "GS",
            group.functional_id,
            group.sender_code,
            group.receiver_code,
            group.created.strftime("%Y%m%d"),
            group.created.strftime("%H%M"),
            control,
            "X",
            group.version,
        )
        self._gs_control = control
        self._transactions_in_group = 0
        self._groups_in_interchange += 1

    def begin_transaction(self, set_id: str, control_number: int, version: str) -> None:
        """Write ST; control numbers are 4 to 9 digits, zero-padded to 4."""
        control = _control(control_number, 4, "ST02")
        self._st_index = len(self.segments)
        self._st_control = control
        self.add("ST", set_id, control, version)
        self._transactions_in_group += 1

    def end_transaction(self) -> None:
        """Write SE with the count of segments from ST to SE inclusive."""
        if self._st_index is None:
            raise X12Error("SE without ST", segment_id="SE")
        count = len(self.segments) - self._st_index + 1
        self.add("SE", str(count), self._st_control)
        self._st_index = None

    def end_group(self) -> None:
        """Write GE with the number of transaction sets in the group."""
        self.add("GE", str(self._transactions_in_group), self._gs_control)

    def end_interchange(self) -> None:
        """Write IEA with the number of functional groups in the interchange."""
        self.add("IEA", str(self._groups_in_interchange), self._isa_control)

    def begin_single(
        self,
        interchange: InterchangeHeader,
        group: FunctionalGroup,
        set_id: str,
        control_number: int,
        version: str,
    ) -> None:
        """ISA, GS and ST of an interchange that holds one group of one transaction."""
        self.begin_interchange(interchange)
        self.begin_group(group)
        self.begin_transaction(set_id, control_number, version)

    def end_single(self) -> str:
        """SE, GE and IEA closing what `begin_single` opened; then the whole text."""
        self.end_transaction()
        self.end_group()
        self.end_interchange()
        return self.text()

    # Segments more than one transaction writes -----------------------------------------------

    def add_adjustments(self, adjustments: Iterable[tuple[str, str, Decimal]]) -> None:
        """CAS segments from (group, reason, amount): one per group code, in the order first
        seen, up to six reason/amount pairs each (more start another CAS of that group)."""
        groups: dict[str, list[tuple[str, Decimal]]] = {}
        for group, reason, amount in adjustments:
            groups.setdefault(group, []).append((reason, amount))
        for group, items in groups.items():
            for start in range(0, len(items), 6):
                elements: list[str] = []
                for reason, amount in items[start : start + 6]:
                    elements += [reason, format_amount(amount), ""]
                self.add("CAS", group, *elements)


@dataclass(frozen=True)
class InterchangeHeader:
    """What the ISA needs; the control number is assigned and persisted by the caller."""

    sender_id: str
    receiver_id: str
    control_number: int
    created: datetime
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    ack_requested: bool = False
    production: bool = False


@dataclass(frozen=True)
class FunctionalGroup:
    """What the GS needs; the control number is assigned and persisted by the caller."""

    sender_code: str
    receiver_code: str
    control_number: int
    created: datetime
    functional_id: str = "HC"
    version: str = "005010X222A1"


def _control(number: int, width: int, where: str) -> str:
    if number < 1 or number > 999_999_999:
        raise X12Error(f"{where} control number {number} must be 1 to 999999999", segment_id=where)
    return str(number).zfill(width)


def _fixed(value: str, width: int, where: str) -> str:
    if len(value) > width:
        raise X12Error(f"{where} {value!r} is longer than {width}", segment_id=where[:3])
    return value.ljust(width)
