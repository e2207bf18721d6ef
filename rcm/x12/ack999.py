"""999 implementation acknowledgment (005010X231A1) -> what the receiver accepted or rejected."""

from __future__ import annotations

from dataclasses import dataclass, field

from rcm.x12.base import Delimiters, describe, is_digits, shown
from rcm.x12.reader import Segment, Transaction, gc_paused, read_transactions

# IK304: implementation segment syntax error codes.
SEGMENT_ERROR_CODES = {
    "1": "Unrecognized segment ID",
    "2": "Unexpected segment",
    "3": "Required segment missing",
    "4": "Loop occurs more often than allowed",
    "5": "Segment used more often than allowed",
    "6": "Segment not defined in this transaction set",
    "7": "Segment not in proper sequence",
    "8": "Segment has data element errors",
    "I4": 'Segment marked "not used" in the implementation guide is present',
    "I6": "Segment required by the implementation guide under this condition is missing",
    "I7": "Loop occurs fewer times than the implementation guide requires",
    "I8": "Segment occurs fewer times than the implementation guide requires",
    "I9": 'Situational segment that is "not used" under this condition is present',
}

# IK403: implementation data element syntax error codes.
ELEMENT_ERROR_CODES = {
    "1": "Required data element missing",
    "2": "Conditionally required data element missing",
    "3": "Too many data elements",
    "4": "Data element too short",
    "5": "Data element too long",
    "6": "Invalid character in data element",
    "7": "Invalid code value",
    "8": "Invalid date",
    "9": "Invalid time",
    "10": "Exclusion condition violated (element present that must not be)",
    "12": "Too many repetitions",
    "13": "Too many components",
    "I6": "Code value not used in this implementation",
    "I9": "Data element required by the implementation guide under this condition is missing",
    "I10": 'Data element marked "not used" in the implementation guide is present',
    "I11": "Too few repetitions for the implementation guide",
    "I12": "Value does not match the pattern the implementation guide requires",
    "I13": 'Situational data element that is "not used" under this condition is present',
}

# IK501: transaction set acknowledgment codes; AK901: functional group acknowledgment codes.
TRANSACTION_STATUS = {
    "A": "Accepted",
    "E": "Accepted, but errors were noted",
    "M": "Rejected: message authentication code (MAC) failed",
    "R": "Rejected",
    "W": "Rejected: assurance failed validity tests",
    "X": "Rejected: content could not be analyzed after decryption",
}
GROUP_STATUS = {
    "A": "Accepted",
    "E": "Accepted, but errors were noted",
    "M": "Rejected: message authentication code (MAC) failed",
    "P": "Partially accepted: at least one transaction set was rejected",
    "R": "Rejected",
    "W": "Rejected: assurance failed validity tests",
    "X": "Rejected: content could not be analyzed after decryption",
}
ACCEPTED_STATUSES = frozenset({"A", "E"})

# IK502-IK506: transaction set syntax error codes.
TRANSACTION_ERROR_CODES = {
    "1": "Transaction set not supported",
    "2": "Transaction set trailer (SE) missing",
    "3": "Control numbers in ST and SE do not match",
    "4": "SE segment count does not match the actual count",
    "5": "One or more segments in error",
    "6": "Missing or invalid transaction set identifier",
    "7": "Missing or invalid transaction set control number",
    "8": "Authentication key name unknown",
    "9": "Encryption key name unknown",
    "10": "Requested service (authentication or encryption) not available",
    "11": "Unknown security recipient",
    "12": "Incorrect message length (encryption only)",
    "13": "Message authentication code failed",
    "15": "Unknown security originator",
    "16": "Syntax error in decrypted text",
    "17": "Security not supported",
    "18": "Transaction set not in a functional group",
    "19": "Invalid implementation convention reference (ST03)",
    "23": "Transaction set control number not unique within the functional group",
    "24": "S3E security end segment missing for S3S security start segment",
    "25": "S3S security start segment missing for S3E security end segment",
    "26": "S4E security end segment missing for S4S security start segment",
    "27": "S4S security start segment missing for S4E security end segment",
    "I5": "One or more segments in error against the implementation guide",
    "I6": "Implementation convention not supported",
}

# AK905-AK909: functional group syntax error codes.
GROUP_ERROR_CODES = {
    "1": "Functional group not supported",
    "2": "Functional group version not supported",
    "3": "Functional group trailer (GE) missing",
    "4": "Group control numbers in GS and GE do not agree",
    "5": "GE count of transaction sets does not match the actual count",
    "6": "Group control number violates syntax",
    "10": "Authentication key name unknown",
    "11": "Encryption key name unknown",
    "12": "Requested service (authentication or encryption) not available",
    "13": "Unknown security recipient",
    "14": "Unknown security originator",
    "15": "Syntax error in decrypted text",
    "16": "Security not supported",
    "17": "Incorrect message length (encryption only)",
    "18": "Message authentication code failed",
    "19": "Functional group control number not unique within the interchange",
    "23": "S3E security end segment missing for S3S security start segment",
    "24": "S3S security start segment missing for S3E security end segment",
    "25": "S4E security end segment missing for S4S security start segment",
    "26": "S4S security start segment missing for S4E security end segment",
}


@dataclass
class ElementError:
    """IK4: one bad data element; `position` is IK401 as sent (element[:component[:repeat]])."""

    position: str
    element_position: int
    element_reference: str
    code: str
    description: str
    bad_value: str = ""
    contexts: list[str] = field(default_factory=list)


@dataclass
class SegmentError:
    """IK3: one bad segment, its place in the transaction and its element errors."""

    segment_id: str
    position: int
    loop_id: str
    code: str
    description: str
    element_errors: list[ElementError] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)


@dataclass
class TransactionResponse:
    """AK2 loop: the verdict on one transaction set that we sent."""

    set_id: str
    control_number: str
    implementation_reference: str = ""
    status: str = ""
    status_description: str = ""
    error_codes: list[str] = field(default_factory=list)
    error_descriptions: list[str] = field(default_factory=list)
    segment_errors: list[SegmentError] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """IK501 A or E: the transaction set goes on to the payer."""
        return self.status in ACCEPTED_STATUSES


@dataclass
class FunctionalAck:
    """One 999 transaction: the acknowledged group (AK1), its transaction sets and AK9."""

    control_number: str
    functional_id: str
    group_control_number: str
    version: str = ""
    transactions: list[TransactionResponse] = field(default_factory=list)
    group_status: str = ""
    group_status_description: str = ""
    group_error_codes: list[str] = field(default_factory=list)
    group_error_descriptions: list[str] = field(default_factory=list)
    included: int = 0
    received: int = 0
    accepted_count: int = 0

    @property
    def accepted(self) -> bool:
        """AK901 A or E: the whole group was accepted."""
        return self.group_status in ACCEPTED_STATUSES

    def response_for(self, control_number: str) -> TransactionResponse | None:
        """The AK2 response for our ST02 control number (leading zeros ignored)."""
        wanted = control_number.lstrip("0")
        for response in self.transactions:
            if response.control_number.lstrip("0") == wanted:
                return response
        return None


def parse_999(data: bytes | str) -> list[FunctionalAck]:
    """Every 999 transaction in the data, one FunctionalAck per ST; other types fail."""
    with gc_paused():
        return [parse_transaction(t, delimiters) for t, delimiters in read_transactions(data)]


def parse_transaction(transaction: Transaction, delimiters: Delimiters) -> FunctionalAck:
    """One ST..SE of type 999 -> FunctionalAck."""
    st = transaction.segments[0]
    if transaction.type != "999":
        raise st.error(f"transaction type {shown(transaction.type)} is not a 999")
    builder = _Builder(transaction.st_control, delimiters.component)
    for seg in transaction.segments[1:-1]:
        handler = _HANDLERS.get(seg.id)
        if handler is not None:
            handler(builder, seg)
    if builder.ack is None:
        raise st.error("999 has no AK1 segment")
    if not builder.ack.group_status:
        raise transaction.segments[-1].error("999 has no AK9 segment")
    return builder.ack


# AK9 and IK5 counts are at most 6 digits, element positions (IK401-1) at most 2.
_NUMBER_DIGITS = 6


def _number(seg: Segment, position: int, *, required: bool = True) -> int:
    text = seg.get(position).strip()
    if not text and not required:
        return 0
    if not is_digits(text, _NUMBER_DIGITS):
        raise seg.error(f"{seg.id}{position:02d} is not a number: {shown(text)}")
    return int(text)


def _code(seg: Segment, position: int, codes: dict[str, str]) -> str:
    code = seg.get(position).strip()
    if code not in codes:
        raise seg.error(f"{seg.id}{position:02d} {shown(code)} is not a valid code")
    return code


class _Builder:
    """Walks one 999, remembering the current AK2, IK3 and IK4."""

    def __init__(self, control_number: str, component: str) -> None:
        self.control_number = control_number
        self.component = component
        self.ack: FunctionalAck | None = None
        self.response: TransactionResponse | None = None
        self.segment_error: SegmentError | None = None
        self.element_error: ElementError | None = None

    def need_ack(self, seg: Segment) -> FunctionalAck:
        if self.ack is None:
            raise seg.error(f"{seg.id} before AK1")
        return self.ack

    def need_response(self, seg: Segment) -> TransactionResponse:
        if self.response is None:
            raise seg.error(f"{seg.id} outside an AK2 transaction set response")
        return self.response

    def ak1(self, seg: Segment) -> None:
        if self.ack is not None:
            raise seg.error("second AK1 in one 999")
        if not seg.get(2).strip():
            raise seg.error("AK102 group control number is empty")
        self.ack = FunctionalAck(
            control_number=self.control_number,
            functional_id=seg.get(1),
            group_control_number=seg.get(2).strip(),
            version=seg.get(3),
        )

    def ak2(self, seg: Segment) -> None:
        ack = self.need_ack(seg)
        if self.response is not None:
            raise seg.error(f"AK2 before the IK5 of AK2 {self.response.control_number}")
        if not seg.get(2).strip():
            raise seg.error("AK202 transaction set control number is empty")
        self.response = TransactionResponse(
            set_id=seg.get(1),
            control_number=seg.get(2).strip(),
            implementation_reference=seg.get(3),
        )
        self.segment_error = None
        self.element_error = None
        ack.transactions.append(self.response)

    def ik3(self, seg: Segment) -> None:
        response = self.need_response(seg)
        code = _code(seg, 4, SEGMENT_ERROR_CODES)
        self.segment_error = SegmentError(
            segment_id=seg.get(1),
            position=_number(seg, 2),
            loop_id=seg.get(3),
            code=code,
            description=SEGMENT_ERROR_CODES[code],
        )
        self.element_error = None
        response.segment_errors.append(self.segment_error)

    def ik4(self, seg: Segment) -> None:
        if self.segment_error is None:
            raise seg.error("IK4 without an IK3 segment error")
        position = seg.get(1)
        first = position.split(self.component)[0]
        if not is_digits(first, 2):
            raise seg.error(f"IK401 {shown(position)} does not start with an element position")
        code = _code(seg, 3, ELEMENT_ERROR_CODES)
        self.element_error = ElementError(
            position=position,
            element_position=int(first),
            element_reference=seg.get(2),
            code=code,
            description=ELEMENT_ERROR_CODES[code],
            bad_value=seg.get(4),
        )
        self.segment_error.element_errors.append(self.element_error)

    def ctx(self, seg: Segment) -> None:
        text = "*".join(e for e in seg.elements)
        if self.element_error is not None:
            self.element_error.contexts.append(text)
        elif self.segment_error is not None:
            self.segment_error.contexts.append(text)
        else:
            self.need_response(seg).contexts.append(text)

    def ik5(self, seg: Segment) -> None:
        response = self.need_response(seg)
        response.status = _code(seg, 1, TRANSACTION_STATUS)
        response.status_description = TRANSACTION_STATUS[response.status]
        response.error_codes = [c for c in (seg.get(p).strip() for p in range(2, 7)) if c]
        response.error_descriptions = [
            describe(TRANSACTION_ERROR_CODES, c) for c in response.error_codes
        ]
        self.response = None
        self.segment_error = None
        self.element_error = None

    def ak9(self, seg: Segment) -> None:
        ack = self.need_ack(seg)
        if self.response is not None:
            raise seg.error(f"AK9 before the IK5 of AK2 {self.response.control_number}")
        ack.group_status = _code(seg, 1, GROUP_STATUS)
        ack.group_status_description = GROUP_STATUS[ack.group_status]
        ack.included = _number(seg, 2)
        ack.received = _number(seg, 3)
        ack.accepted_count = _number(seg, 4)
        if ack.accepted_count > ack.received:
            raise seg.error(
                f"AK904 accepted {ack.accepted_count} is more than AK903 received {ack.received}"
            )
        ack.group_error_codes = [c for c in (seg.get(p).strip() for p in range(5, 10)) if c]
        ack.group_error_descriptions = [
            describe(GROUP_ERROR_CODES, c) for c in ack.group_error_codes
        ]


_HANDLERS = {
    "AK1": _Builder.ak1,
    "AK2": _Builder.ak2,
    "IK3": _Builder.ik3,
    "IK4": _Builder.ik4,
    "CTX": _Builder.ctx,
    "IK5": _Builder.ik5,
    "AK9": _Builder.ak9,
}
