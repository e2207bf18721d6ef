"""Professional claims (837P, 005010X222) read from any sender into the `claim837` dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from rcm.x12 import claim837 as x12
from rcm.x12.base import X12Error, shown
from rcm.x12.era835 import amount, ccyymmdd
from rcm.x12.reader import Segment, Transaction, gc_paused, read_transactions

# 837I (X223) and 837D (X224) share ST01 837; only the professional guide is read here.
_OTHER_GUIDES = {"X223": "an institutional (837I)", "X224": "a dental (837D)"}
_DIAGNOSIS_QUALIFIERS = {"ABK": "ICD10", "ABF": "ICD10", "BK": "ICD9", "BF": "ICD9"}
_MAX_CLAIMS = 100_000  # an 837P has at most 5,000 claims per ST; far past that is hostile
_NO_ADDRESS = x12.Address(line1="", city="", state="", postal_code="")


@dataclass(frozen=True)
class OtherPayerRead:
    """One loop 2320/2330 as sent: the other payer, and whether it said what it decided.

    `paid_sent` tells an AMT*D of 0.00 (the payer paid nothing) from no AMT*D at all (the payer
    has not adjudicated the claim: a primary claim naming the secondary coverage);
    `adjudicated_on` is 2330B's DTP*573, which `x12.OtherCoverage` does not carry.
    """

    coverage: x12.OtherCoverage
    paid_sent: bool = False
    adjudicated_on: date | None = None


@dataclass(frozen=True)
class ClaimRead:
    """One claim as read, with what the writer's dataclasses do not carry but a scrubber needs."""

    claim: x12.Claim
    billing_provider: x12.BillingProvider
    stated_total: Decimal  # CLM02 as sent; the dataclass's `total_charge` sums the lines
    line: int  # the file line of its CLM segment
    diagnosis_code_system: str = "ICD10"  # ICD9 when HI used BK/BF
    line_rendering_npis: tuple[tuple[int, str], ...] = ()  # (line number, NPI) from 2420A
    attachments: tuple[str, ...] = ()  # PWK01 report types sent (claim or line)
    line_prior_authorizations: tuple[str, ...] = ()  # REF*G1 on lines
    defects: tuple[str, ...] = ()  # what the file left out that the guide requires
    # Every loop 2320 in file order; `claim.other_coverage` is the first of them.
    other_payers: tuple[OtherPayerRead, ...] = ()


@dataclass(frozen=True)
class Transaction837P:
    """One ST..SE: who sent it, its reference and its claims (each with its billing provider)."""

    control_number: str
    version: str
    reference: str
    created: date | None
    submitter: x12.Submitter | None
    receiver: x12.Receiver | None
    claims: tuple[ClaimRead, ...]

    @property
    def billing_providers(self) -> tuple[x12.BillingProvider, ...]:
        """Each billing provider (HL 20) that has claims, in file order, without repeats."""
        return tuple(dict.fromkeys(claim.billing_provider for claim in self.claims))


def read_837p(data: bytes | str) -> list[Transaction837P]:
    """Every 837P transaction in the data; X12Error (naming segment and line) when unreadable."""
    with gc_paused():
        transactions = read_transactions(data)
        if not transactions:
            raise X12Error("the file holds no transaction (no ST segment)")
        found = []
        for transaction, delimiters in transactions:
            if transaction.type != "837":
                st = transaction.segments[0]
                raise st.error(f"transaction {shown(transaction.type)} is not an 837 claim")
            for guide, kind in _OTHER_GUIDES.items():
                if guide in transaction.version:
                    raise transaction.segments[0].error(
                        f"{transaction.version} is {kind} claim, not a professional 837P"
                    )
            found.append(_Reader(transaction, delimiters.component).read())
        return found


@dataclass
class _Person:
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    identifier: str = ""
    entity_type: str = ""
    address: x12.Address | None = None
    birth_date: date | None = None
    gender: str = ""
    taxonomy: str = ""
    tin: str = ""
    defect: str = ""


@dataclass
class _Line:
    procedure_code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: Decimal
    pointers: tuple[int, ...]
    seg: Segment
    service_date: date | None = None
    control_number: str = ""
    rendering_npi: str = ""
    adjudication: x12.LineAdjudication | None = None
    svd_units: Decimal | None = None


@dataclass
class _Other:
    responsibility: str
    relationship: str
    group_number: str
    filing_indicator: str
    paid: Decimal = Decimal(0)
    paid_sent: bool = False
    adjudicated_on: date | None = None
    adjustments: list[x12.Adjustment] = field(default_factory=list)
    subscriber: _Person = field(default_factory=_Person)
    payer: _Person = field(default_factory=_Person)


@dataclass
class _Claim:
    seg: Segment
    control_number: str
    stated_total: Decimal
    place_of_service: str
    frequency: str
    diagnoses: list[str] = field(default_factory=list)
    code_system: str = "ICD10"
    prior_authorization: str = ""
    payer_claim_number: str = ""
    note: str = ""
    rendering: _Person | None = None
    facility: _Person | None = None
    others: list[_Other] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    claim_attachments: list[x12.Attachment] = field(default_factory=list)  # 2300's PWK in full
    line_auths: list[str] = field(default_factory=list)
    service_date: date | None = None
    bad_dates: list[str] = field(default_factory=list)


class _Reader:
    """Walks one transaction's segments; the current loop decides what an NM1, N3 or REF is."""

    def __init__(self, transaction: Transaction, component: str) -> None:
        self.transaction = transaction
        self.component = component
        self.reference = ""
        self.created: date | None = None
        self.contact = ("", "")
        self.header: dict[str, _Person] = {}
        self.billing: _Person | None = None
        self.pay_to: x12.Address | None = None
        self.pay_to_party: _Person | None = None
        self.billing_built: x12.BillingProvider | None = None
        self.subscriber: _Person | None = None
        self.sbr: Segment | None = None
        self.payer: _Person | None = None
        self.patient: _Person | None = None
        self.relationship = ""
        self.claim: _Claim | None = None
        self.other: _Other | None = None
        self.line: _Line | None = None
        self.loop = "header"
        self.target: _Person | None = None  # the party the next N3/N4/DMG/REF/PRV belongs to
        self.claims: list[ClaimRead] = []

    def read(self) -> Transaction837P:
        segments = self.transaction.segments
        for seg in segments[1:-1]:
            self._segment(seg)
        self._claim_end()
        submitter, receiver = self.header.get("41"), self.header.get("40")
        return Transaction837P(
            control_number=self.transaction.st_control,
            version=self.transaction.version,
            reference=self.reference,
            created=self.created,
            submitter=x12.Submitter(
                name=submitter.last_name,
                identifier=submitter.identifier,
                contact_name=self.contact[0],
                contact_phone=self.contact[1],
            )
            if submitter
            else None,
            receiver=x12.Receiver(name=receiver.last_name, identifier=receiver.identifier)
            if receiver
            else None,
            claims=tuple(self.claims),
        )

    # --- dispatch -------------------------------------------------------------------------------

    def _segment(self, seg: Segment) -> None:
        handler = getattr(self, f"_on_{seg.id.lower()}", None)
        if handler is not None:
            handler(seg)

    def _on_bht(self, seg: Segment) -> None:
        self.reference = seg.get(3)
        self.created = ccyymmdd(seg, 4) if seg.get(4) else None

    def _on_per(self, seg: Segment) -> None:
        if self.loop == "header" and self.target is self.header.get("41"):
            self.contact = (seg.get(2), seg.get(4))

    def _on_hl(self, seg: Segment) -> None:
        self._claim_end()
        level = seg.get(3)
        if level == "20":
            self.billing, self.pay_to, self.billing_built = _Person(), None, None
            self.subscriber = self.payer = self.patient = None
            self.loop = "billing"
        elif level == "22":
            if self.billing is None:
                raise seg.error("subscriber (HL 22) before any billing provider (HL 20)")
            self.subscriber, self.payer, self.patient, self.sbr = _Person(), _Person(), None, None
            self.relationship = ""
            self.loop = "subscriber"
        elif level == "23":
            if self.subscriber is None:
                raise seg.error("patient (HL 23) before any subscriber (HL 22)")
            self.patient = _Person()
            self.loop = "patient"
        else:
            raise seg.error(f"HL03 {shown(level)} is not a 837P level (20, 22 or 23)")
        self.target = None

    def _on_sbr(self, seg: Segment) -> None:
        if self.loop in ("claim", "other", "line"):
            if self.claim is None:
                raise seg.error("SBR of another payer outside a claim")
            self.other = _Other(seg.get(1), seg.get(2), seg.get(3), seg.get(9))
            self.claim.others.append(self.other)
            self.loop = "other"
            self.target = None
        elif self.loop == "subscriber":
            self.sbr = seg
            self.relationship = seg.get(2)

    def _on_pat(self, seg: Segment) -> None:
        if self.loop == "patient":
            self.relationship = seg.get(1)

    def _on_nm1(self, seg: Segment) -> None:
        code = seg.get(1)
        person = _Person(
            last_name=seg.get(3),
            first_name=seg.get(4),
            middle_name=seg.get(5),
            identifier=seg.get(9),
            entity_type=seg.get(2),
        )
        self.target = person
        if self.loop == "header":
            self.header[code] = person
            return
        if self.loop == "billing":
            if code == "85":
                person.taxonomy = self.billing.taxonomy if self.billing else ""
                self.billing = person
            elif code == "87":
                self.pay_to_party, self.pay_to = person, None
            return
        if self.loop in ("subscriber", "patient"):
            if code == "IL" and self.subscriber is not None:
                self.subscriber = person
            elif code == "PR":
                self.payer = person
            elif code == "QC":
                self.patient = person
            return
        self._nm1_in_claim(code, person)

    def _nm1_in_claim(self, code: str, person: _Person) -> None:
        if self.loop == "other" and self.other is not None:
            if code == "IL":
                self.other.subscriber = person
            elif code == "PR":
                self.other.payer = person
            return
        if self.loop == "line" and self.line is not None:
            if code == "82":
                self.line.rendering_npi = person.identifier
            return
        if self.claim is not None:
            if code == "82":
                self.claim.rendering = person
            elif code == "77":
                self.claim.facility = person

    def _on_prv(self, seg: Segment) -> None:
        taxonomy = seg.get(3)
        if self.loop == "billing" and seg.get(1) == "BI":
            if self.billing is not None:
                self.billing.taxonomy = taxonomy
        elif self.loop == "claim" and self.claim and self.target is not None:
            is_rendering = self.claim.rendering is self.target
            self.target.taxonomy = taxonomy if is_rendering else self.target.taxonomy

    def _on_n3(self, seg: Segment) -> None:
        if self.target is not None:
            self.target.address = x12.Address(
                line1=seg.get(1), line2=seg.get(2), city="", state="", postal_code=""
            )

    def _on_n4(self, seg: Segment) -> None:
        if self.target is None:
            return
        street = self.target.address or _NO_ADDRESS
        self.target.address = replace(
            street, city=seg.get(1), state=seg.get(2), postal_code=seg.get(3)
        )
        if self.loop == "billing" and self.target is self.pay_to_party:
            self.pay_to = self.target.address

    def _on_dmg(self, seg: Segment) -> None:
        if self.target is None:
            return
        self.target.gender = seg.get(3)
        if seg.get(1) == "D8":
            try:
                self.target.birth_date = ccyymmdd(seg, 2)
            except X12Error:  # the claim can still be scrubbed: it is told as an edit
                self.target.defect = (
                    f"The date of birth {shown(seg.get(2))} (DMG02, line {seg.line}) is not a "
                    "date: correct it."
                )

    def _on_ref(self, seg: Segment) -> None:
        qualifier, value = seg.get(1), seg.get(2)
        if self.loop == "billing" and qualifier in ("EI", "SY"):
            if self.billing is not None and self.target is self.billing:
                self.billing.tin = value
        elif self.loop == "claim" and self.claim is not None and self.target is None:
            if qualifier == "G1":
                self.claim.prior_authorization = value
            elif qualifier == "F8":
                self.claim.payer_claim_number = value
        elif self.loop == "line" and self.line is not None and self.target is None:
            if qualifier == "6R":
                self.line.control_number = value
            elif qualifier == "G1" and self.claim is not None:
                self.claim.line_auths.append(value)

    # --- the claim ------------------------------------------------------------------------------

    def _on_clm(self, seg: Segment) -> None:
        self._claim_end()
        if self.subscriber is None:
            raise seg.error("CLM before any subscriber (HL 22)")
        if len(self.claims) >= _MAX_CLAIMS:
            raise seg.error(f"more than {_MAX_CLAIMS} claims in one transaction")
        parts = seg.get(5).split(self.component)
        self.claim = _Claim(
            seg=seg,
            control_number=seg.get(1),
            stated_total=amount(seg, 2, Decimal(0)),
            place_of_service=parts[0],
            frequency=parts[2] if len(parts) > 2 else "",
        )
        self.loop, self.target, self.other, self.line = "claim", None, None, None

    def _on_hi(self, seg: Segment) -> None:
        if self.claim is None or self.loop != "claim":
            return
        for element in seg.elements:
            parts = element.split(self.component)
            system = _DIAGNOSIS_QUALIFIERS.get(parts[0])
            if system is None or len(parts) < 2:
                continue
            if parts[0] in ("BK", "ABK") and self.claim.diagnoses:
                self.claim.diagnoses.insert(0, parts[1])
            else:
                self.claim.diagnoses.append(parts[1])
            self.claim.code_system = system

    def _on_nte(self, seg: Segment) -> None:
        if self.claim is not None and self.loop == "claim" and not self.claim.note:
            self.claim.note = seg.get(2)

    def _on_pwk(self, seg: Segment) -> None:
        if self.claim is not None:
            self.claim.attachments.append(seg.get(1))
            if self.loop == "claim" and self.target is None:
                attachment = x12.Attachment(seg.get(1), seg.get(2), seg.get(6))
                self.claim.claim_attachments.append(attachment)

    def _on_dtp(self, seg: Segment) -> None:
        qualifier = seg.get(1)
        if self.loop == "line" and self.line is not None and qualifier in ("472", "573"):
            try:
                when = _period_start(seg)
            except X12Error:  # a date that is not one: told as the line's edit, not refused
                if self.claim is not None:
                    self.claim.bad_dates.append(
                        f"The date {shown(seg.get(3))} (DTP*{qualifier}, line {seg.line}) is "
                        "not a date: correct it."
                    )
                return
            if qualifier == "472":
                self.line.service_date = when
            elif self.line.adjudication is not None and when is not None:
                self.line.adjudication = replace(self.line.adjudication, adjudication_date=when)
        elif self.loop == "claim" and self.claim is not None and qualifier == "472":
            self.claim.service_date = _period_start(seg)
        elif self.loop == "other" and self.other is not None and qualifier == "573":
            # 2330B: the date the other payer adjudicated the claim (its remittance date)
            try:
                self.other.adjudicated_on = _period_start(seg)
            except X12Error:
                if self.claim is not None:
                    self.claim.bad_dates.append(
                        f"The date {shown(seg.get(3))} (DTP*573, line {seg.line}) is not a "
                        "date: correct it."
                    )

    def _on_amt(self, seg: Segment) -> None:
        if self.loop == "other" and self.other is not None and seg.get(1) == "D":
            self.other.paid = amount(seg, 2, Decimal(0))
            self.other.paid_sent = True

    def _on_cas(self, seg: Segment) -> None:
        adjustments = _cas(seg)
        if self.loop == "other" and self.other is not None:
            self.other.adjustments.extend(adjustments)
        elif self.loop == "line" and self.line is not None and self.line.adjudication:
            adj = self.line.adjudication
            self.line.adjudication = replace(adj, adjustments=(*adj.adjustments, *adjustments))

    def _on_lx(self, seg: Segment) -> None:
        if self.claim is None:
            raise seg.error("LX (service line) outside a claim")
        self.line = None
        self.loop, self.target = "line", None

    def _on_sv1(self, seg: Segment) -> None:
        if self.claim is None or self.loop != "line":
            raise seg.error("SV1 outside a service line (LX)")
        procedure = seg.get(1).split(self.component)
        pointers = tuple(_pointer(p) for p in seg.get(7).split(self.component) if p.strip())
        self.line = _Line(
            procedure_code=procedure[1] if len(procedure) > 1 else "",
            modifiers=tuple(m for m in procedure[2:6] if m),
            charge=amount(seg, 2, Decimal(0)),
            units=amount(seg, 4, Decimal(1)),
            pointers=pointers,
            seg=seg,
        )
        self.claim.lines.append(self.line)
        self.target = None

    def _on_svd(self, seg: Segment) -> None:
        if self.line is None:
            return
        self.line.adjudication = x12.LineAdjudication(
            paid_amount=amount(seg, 2, Decimal(0)), adjudication_date=date.min
        )
        self.line.svd_units = amount(seg, 5, Decimal(1))

    def _claim_end(self) -> None:
        """Turn the claim being read (if any) into its dataclasses."""
        claim, self.claim = self.claim, None
        if claim is None:
            return
        self.claims.append(_built(self, claim))

    def billing_provider(self) -> x12.BillingProvider:
        if self.billing_built is None:
            b = self.billing or _Person()
            name = b.last_name if b.entity_type != "1" else _full_name(b)
            self.billing_built = x12.BillingProvider(
                name=name,
                npi=b.identifier,
                tin=b.tin,
                taxonomy=b.taxonomy,
                address=b.address or _NO_ADDRESS,
                pay_to_address=self.pay_to,
            )
        return self.billing_built


def _full_name(person: _Person) -> str:
    return ", ".join(part for part in (person.last_name, person.first_name) if part)


def _period_start(seg: Segment) -> date | None:
    """DTP03 as a date: D8 CCYYMMDD, or the first date of an RD8 range."""
    value = seg.get(3)
    if seg.get(2) == "RD8" and "-" in value:
        start = value.split("-", 1)[0]
        return ccyymmdd(Segment(seg.id, [start], seg.index, seg.line), 1)
    return ccyymmdd(seg, 3)


def _pointer(text: str) -> int:
    """SV107 component: 1-12; anything else becomes 0, which the scrubber reports."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else 0


def _cas(seg: Segment) -> list[x12.Adjustment]:
    group = seg.get(1)
    found = []
    for start in range(2, 20, 3):
        if seg.get(start):
            found.append(x12.Adjustment(group, seg.get(start), amount(seg, start + 1, Decimal(0))))
    return found


def _subscriber(person: _Person, sbr: Segment | None) -> x12.Subscriber:
    return x12.Subscriber(
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        member_id=person.identifier,
        birth_date=person.birth_date,
        gender=person.gender or "U",
        address=person.address,
        group_number=sbr.get(3) if sbr else "",
    )


def _other_coverage(other: _Other) -> x12.OtherCoverage:
    subscriber = replace(_subscriber(other.subscriber, None), group_number=other.group_number)
    return x12.OtherCoverage(
        payer=x12.Payer(name=other.payer.last_name, payer_id=other.payer.identifier),
        subscriber=subscriber,
        paid_amount=other.paid,
        responsibility=other.responsibility,
        relationship=other.relationship,
        filing_indicator=other.filing_indicator,
        adjustments=tuple(other.adjustments),
    )


def _lines(claim: _Claim, defects: list[str]) -> tuple[x12.ServiceLine, ...]:
    lines = []
    fallback = claim.service_date or date.min
    for number, line in enumerate(claim.lines, start=1):
        if line.service_date is None and not claim.bad_dates:
            defects.append(f"Line {number} has no service date (DTP*472).")
        adjudication = line.adjudication
        if adjudication is not None and line.svd_units is not None:
            paid_units = None if line.svd_units == line.units else line.svd_units
            adjudication = replace(adjudication, paid_units=paid_units)
        lines.append(
            x12.ServiceLine(
                procedure_code=line.procedure_code,
                charge=line.charge,
                service_date=line.service_date or fallback,
                units=line.units,
                modifiers=line.modifiers,
                diagnosis_pointers=line.pointers,
                line_control_number=line.control_number,
                adjudication=adjudication,
            )
        )
    return tuple(lines)


def _built(reader: _Reader, claim: _Claim) -> ClaimRead:
    subscriber = reader.subscriber or _Person()
    people = (subscriber, reader.patient or _Person())
    defects = [person.defect for person in people if person.defect] + claim.bad_dates
    sbr = reader.sbr
    patient = None
    if reader.patient is not None:
        p = reader.patient
        patient = x12.Patient(
            last_name=p.last_name,
            first_name=p.first_name,
            middle_name=p.middle_name,
            birth_date=p.birth_date,  # type: ignore[arg-type]  # a file may leave DMG out
            gender=p.gender or "U",
            address=p.address or _NO_ADDRESS,
            relationship=reader.relationship,
        )
    if not claim.lines:
        defects.append("The claim has no service line (LX/SV1).")
    payer = reader.payer or _Person()
    rendering = None
    if claim.rendering is not None:
        r = claim.rendering
        rendering = x12.RenderingProvider(
            last_name=r.last_name, first_name=r.first_name, npi=r.identifier, taxonomy=r.taxonomy
        )
    facility = None
    if claim.facility is not None:
        f = claim.facility
        facility = x12.ServiceFacility(
            name=f.last_name, address=f.address or _NO_ADDRESS, npi=f.identifier
        )
    built = x12.Claim(
        control_number=claim.control_number,
        subscriber=_subscriber(subscriber, sbr),
        payer=x12.Payer(name=payer.last_name, payer_id=payer.identifier),
        diagnoses=tuple(claim.diagnoses),
        lines=_lines(claim, defects),
        responsibility=sbr.get(1) if sbr else "",
        filing_indicator=sbr.get(9) if sbr else "",
        place_of_service=claim.place_of_service,
        frequency=claim.frequency,
        patient=patient,
        prior_authorization=claim.prior_authorization,
        payer_claim_number=claim.payer_claim_number,
        note=claim.note,
        rendering_provider=rendering,
        service_facility=facility,
        other_coverage=_other_coverage(claim.others[0]) if claim.others else None,
        attachments=tuple(claim.claim_attachments),
    )
    return ClaimRead(
        claim=built,
        billing_provider=reader.billing_provider(),
        stated_total=claim.stated_total,
        line=claim.seg.line,
        diagnosis_code_system=claim.code_system,
        line_rendering_npis=tuple(
            (n, line.rendering_npi) for n, line in enumerate(claim.lines, 1) if line.rendering_npi
        ),
        attachments=tuple(claim.attachments),
        line_prior_authorizations=tuple(claim.line_auths),
        defects=tuple(defects),
        other_payers=tuple(
            OtherPayerRead(_other_coverage(other), other.paid_sent, other.adjudicated_on)
            for other in claim.others
        ),
    )
