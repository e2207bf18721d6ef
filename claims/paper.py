"""Paper claims: a claim as the CMS-1500 (02/12), box by box, and printing the "To print" list.

`claims_cms1500_pdf` renders claims onto the red pre-printed form (the data only, on the form's
10 cpi / 6 lpi grid of `claims.paper_layout`) or, with `plain=True`, onto plain paper with the
boxes and their labels drawn. A claim of more than six service lines goes on as many forms as it
needs, each one whole (patient, payer, provider), with "CONTINUED" in box 28 on all but the last.

Text follows the NUCC manual's preferences for the OCR form: capitals, names without punctuation
but the separating commas (a hyphen in a hyphenated name stays), dates as MM DD YY (birth dates
MM DD YYYY), amounts with dollars and cents in their own cells and no decimal point.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from reportlab.pdfgen.canvas import Canvas

from claims.models import (
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    ClaimQuerySet,
    ClaimStatus,
    FrequencyCode,
)
from claims.paper_form import draw_plain_form
from claims.paper_layout import (
    CELLS,
    DIAGNOSES_PER_CLAIM,
    FONT_SIZE,
    LINES_PER_PAGE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    baseline,
    x_of,
)
from claims.state import claim_transition
from patients.models import Coverage, Relationship
from rcm.practice.models import ClaimFilingIndicator, Practice, User

PRINTED_NOTE = "Printed on paper (CMS-1500)."
MAX_CLAIMS_PER_PRINT = 500  # under Django's 1,000 form fields, with room to spare

_INSURANCE_TYPE: dict[str, str] = {
    ClaimFilingIndicator.MEDICARE_B: "1_medicare",
    ClaimFilingIndicator.MEDICAID: "1_medicaid",
    ClaimFilingIndicator.TRICARE: "1_tricare",
    ClaimFilingIndicator.VA: "1_champva",
    ClaimFilingIndicator.COMMERCIAL: "1_group",
    ClaimFilingIndicator.BLUE_CROSS: "1_group",
    ClaimFilingIndicator.HMO: "1_group",
    ClaimFilingIndicator.PPO: "1_group",
    ClaimFilingIndicator.POS: "1_group",
}
_RELATIONSHIP: dict[str, str] = {
    Relationship.SELF: "6_self",
    Relationship.SPOUSE: "6_spouse",
    Relationship.CHILD: "6_child",
}
Page = dict[str, str]


def text(value: object) -> str:
    """Printable form text: capitals, plain ASCII, no control characters, single spaces."""
    folded = unicodedata.normalize("NFKD", str(value or ""))
    ascii_only = folded.encode("ascii", "ignore").decode()
    printable = "".join(ch if ch.isprintable() else " " for ch in ascii_only)
    return " ".join(printable.upper().split())


def name_part(value: object) -> str:
    """One part of a person's name: letters, digits, spaces and a hyphen; no other punctuation."""
    return " ".join(re.sub(r"[^A-Z0-9 -]", " ", text(value)).split())


def person_name(last: str, first: str, middle: str = "") -> str:
    """Last, first and middle initial, separated by commas as the NUCC manual asks."""
    parts = [name_part(last), name_part(first)]
    if name_part(middle):
        parts.append(name_part(middle)[0])
    return ", ".join(part for part in parts if part)


def mm_dd_yy(day: datetime.date | None) -> str:
    return day.strftime("%m %d %y") if day else ""


def dotted(code: str) -> str:
    """An ICD-10-CM code with its dot after the category (E119 -> E11.9)."""
    plain = text(code).replace(".", "")
    return plain if len(plain) <= 3 else f"{plain[:3]}.{plain[3:]}"


def dollars_cents(amount: Decimal) -> tuple[str, str]:
    whole, cents = f"{amount.quantize(Decimal('0.01')):.2f}".split(".")
    return whole, cents


def _date_cells(page: Page, prefix: str, day: datetime.date | None, year: str) -> None:
    if day:
        page[f"{prefix}mm"], page[f"{prefix}dd"] = f"{day:%m}", f"{day:%d}"
        page[f"{prefix}{year}"] = f"{day:%Y}" if year == "yyyy" else f"{day:%y}"


def _check(page: Page, cell: str | None) -> None:
    """An X in a check box; none for an unknown answer (sex U)."""
    if cell:
        page[cell] = "X"


def _phone(page: Page, prefix: str, phone: str) -> None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 10:
        page[f"{prefix}_phone_area"], page[f"{prefix}_phone"] = (
            digits[:3],
            f"{digits[3:6]} {digits[6:]}",
        )


def _city_state_zip(city: str, state: str, zip_code: str) -> str:
    return text(" ".join(part for part in (city, state, zip_code) if part))


def _other_coverage(claim: Claim) -> Coverage | None:
    """Another coverage of the patient in force on the date of service (boxes 9 and 11d)."""
    others = [
        coverage
        for coverage in claim.patient.coverages.all()
        if coverage.pk != claim.coverage_id and coverage.is_active_on(claim.service_date_from)
    ]
    return min(others, key=lambda coverage: coverage.priority, default=None)


def _patient_and_insured(claim: Claim, page: Page) -> None:
    """Boxes 1-11d: who was treated and who holds the insurance."""
    patient, coverage, payer = claim.patient, claim.coverage, claim.payer
    carrier = [payer.name, payer.address1, payer.address2]
    carrier = [text(line) for line in carrier if text(line)]
    carrier.append(_city_state_zip(payer.city, payer.state, payer.zip_code))
    cells = ("carrier_name", "carrier_address1", "carrier_address2", "carrier_city")
    page.update(zip(cells, carrier, strict=False))  # no blank line inside the address
    page[_INSURANCE_TYPE.get(payer.claim_filing_indicator, "1_other")] = "X"
    page["1a"] = text(coverage.member_id)
    page["2"] = person_name(patient.last_name, patient.first_name, patient.middle_name)
    _date_cells(page, "3_", patient.date_of_birth, "yyyy")
    _check(page, {"M": "3_m", "F": "3_f"}.get(patient.sex))
    page["5_street"] = text(f"{patient.address1} {patient.address2}")
    page["5_city"], page["5_state"], page["5_zip"] = (
        text(patient.city),
        text(patient.state),
        text(patient.zip_code),
    )
    _phone(page, "5", patient.phone)
    page[_RELATIONSHIP.get(coverage.relationship, "6_other")] = "X"
    insured_dob: datetime.date | None
    if coverage.relationship == Relationship.SELF:
        page["4"] = page["2"]
        page["7_street"], page["7_city"] = page["5_street"], page["5_city"]
        page["7_state"], page["7_zip"] = page["5_state"], page["5_zip"]
        insured_dob, insured_sex = patient.date_of_birth, patient.sex
    else:
        page["4"] = person_name(coverage.subscriber_last_name, coverage.subscriber_first_name)
        page["7_street"], page["7_city"] = (
            text(coverage.subscriber_address1),
            text(coverage.subscriber_city),
        )
        page["7_state"] = text(coverage.subscriber_state)
        page["7_zip"] = text(coverage.subscriber_zip_code)
        insured_dob, insured_sex = coverage.subscriber_date_of_birth, coverage.subscriber_sex
    page["11"] = text(coverage.group_number)
    _date_cells(page, "11a_", insured_dob, "yyyy")
    _check(page, {"M": "11a_m", "F": "11a_f"}.get(insured_sex))
    page["11c"] = text(coverage.plan_name or payer.name)
    for item in ("10a_no", "10b_no", "10c_no"):
        page[item] = "X"
    other = _other_coverage(claim)
    page["11d_yes" if other else "11d_no"] = "X"
    if other is not None:
        page["9"] = (
            page["2"]
            if other.relationship == Relationship.SELF
            else person_name(other.subscriber_last_name, other.subscriber_first_name)
        )
        page["9a"] = text(other.member_id)
        page["9d"] = text(other.plan_name or other.payer.name)


def _claim_items(claim: Claim, page: Page, printed_on: datetime.date) -> None:
    """Boxes 12-23 and 25-33: signatures, diagnoses, resubmission, the provider's side."""
    practice: Practice = claim.practice
    page["12"] = page["13"] = "SIGNATURE ON FILE"
    page["19"] = text(claim.note)
    page["20_no"] = "X"
    page["21_ind"] = "0"  # ICD-10-CM
    codes = [diagnosis.code for diagnosis in claim.diagnoses.all()][:DIAGNOSES_PER_CLAIM]
    for letter, code in zip("ABCDEFGHIJKL", codes, strict=False):
        page[f"21_{letter}"] = dotted(code)
    if claim.frequency_code in (FrequencyCode.CORRECTED, FrequencyCode.VOID):
        page["22_code"] = claim.frequency_code
        original = claim.original_claim
        page["22_original"] = text(
            (original.payer_claim_number if original else "") or claim.payer_claim_number
        )
    page["23"] = text(claim.prior_authorization)
    page["25"], page["25_ein"] = text(practice.tin), "X"
    page["26"] = text(claim.control_number)
    page["27_yes"] = "X"
    if claim.other_payer_paid:
        page["29_dollars"], page["29_cents"] = dollars_cents(claim.other_payer_paid)
    page["31"], page["31_date"] = "SIGNATURE ON FILE", mm_dd_yy(printed_on)
    street = text(f"{practice.address1} {practice.address2}")
    city = _city_state_zip(practice.city, practice.state, practice.zip_code)
    page["32_name"] = page["33_name"] = text(practice.name)
    page["32_street"] = page["33_street"] = street
    page["32_city"] = page["33_city"] = city
    page["32a"] = page["33a"] = text(practice.npi)
    _phone(page, "33", practice.phone)


def _service_line(claim: Claim, line: ClaimLine, n: int, page: Page) -> None:
    """Box 24 line n: one service (a line is for one day: from and to are its date)."""
    month, day, year = mm_dd_yy(line.service_date).split()
    for side in ("from", "to"):
        page[f"24a_{side}_mm_{n}"], page[f"24a_{side}_dd_{n}"] = month, day
        page[f"24a_{side}_yy_{n}"] = year
    page[f"24b_{n}"] = text(claim.place_of_service)
    page[f"24d_code_{n}"] = text(line.procedure_code)
    for index, modifier in enumerate(line.modifiers[:4], start=1):
        page[f"24d_mod{index}_{n}"] = text(modifier)
    page[f"24e_{n}"] = "".join(
        "ABCDEFGHIJKL"[pointer - 1] for pointer in line.diagnosis_pointers if 1 <= pointer <= 12
    )
    page[f"24f_dollars_{n}"], page[f"24f_cents_{n}"] = dollars_cents(line.charge)
    units = line.units.normalize()
    page[f"24g_{n}"] = f"{units:f}"
    page[f"24j_{n}"] = text(claim.rendering_provider.npi)


def cms1500_pages(claim: Claim, *, printed_on: datetime.date) -> list[Page]:
    """The values of each form the claim needs, by cell name of `CELLS` (six lines a form)."""
    lines = list(claim.lines.all())
    chunks = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        page: Page = {}
        _patient_and_insured(claim, page)
        _claim_items(claim, page, printed_on)
        for n, line in enumerate(chunk, start=1):
            _service_line(claim, line, n, page)
        if len(chunks) > 1:
            page["page"] = f"PAGE {number} OF {len(chunks)}"
        if number < len(chunks):
            page["28_continued"] = "CONTINUED"
        else:
            page["28_dollars"], page["28_cents"] = dollars_cents(claim.total_charge)
        pages.append(page)
    return pages


def _draw_values(canvas: Canvas, page: Page) -> None:
    """Each value in its cell, cut to the cell's width, in 10-pitch Courier."""
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Courier", FONT_SIZE)
    for name, value in page.items():
        cell = CELLS[name]
        value = value[: cell.width]
        start = cell.col + cell.width - len(value) if cell.align == "right" else cell.col
        canvas.drawString(x_of(start), baseline(cell.line), value)


def claims_for_paper(claim_ids: Sequence[int]) -> QuerySet[Claim]:
    """Everything a CMS-1500 shows about these claims, in a fixed number of queries."""
    return (
        Claim.objects.filter(pk__in=list(claim_ids))
        .select_related(
            "practice", "patient", "coverage", "payer", "rendering_provider", "original_claim"
        )
        .prefetch_related(
            Prefetch("lines", queryset=ClaimLine.objects.order_by("position")),
            Prefetch("diagnoses", queryset=ClaimDiagnosis.objects.order_by("position")),
            Prefetch("patient__coverages", queryset=Coverage.objects.select_related("payer")),
        )
        .order_by("id")
    )


def claims_cms1500_pdf(
    *, claims: Sequence[Claim], plain: bool = False, printed_on: datetime.date | None = None
) -> bytes:
    """One PDF of the claims (fetched with `claims_for_paper`), each on as many forms as needed."""
    printed_on = printed_on or timezone.localdate()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle("CMS-1500 claims")
    canvas.setCreator("RCM")
    for claim in claims:
        for page in cms1500_pages(claim, printed_on=printed_on):
            if plain:
                draw_plain_form(canvas)
            _draw_values(canvas, page)
            canvas.showPage()
    canvas.save()
    return out.getvalue()


def claims_to_print(claims: QuerySet[Claim]) -> ClaimQuerySet:
    """The "To print" list: claims queued for a payer that takes paper."""
    return cast(ClaimQuerySet, claims).filter(status=ClaimStatus.QUEUED).on_paper()


@dataclass(frozen=True)
class PrintRun:
    pdf: bytes
    printed: int
    marked_submitted: list[int]


def claims_print(*, claim_ids: Sequence[int], user: User | None, plain: bool = False) -> PrintRun:
    """Print these claims as one PDF; those on the "To print" list become submitted.

    A paper payer's queued claim is sent by being printed: it moves QUEUED -> SUBMITTED with
    "Printed on paper" on its timeline, in the transaction that rendered it (a rendering error
    marks nothing). Any other claim is printed as a copy and does not move.
    """
    if len(claim_ids) > MAX_CLAIMS_PER_PRINT:
        raise ValueError(f"Print at most {MAX_CLAIMS_PER_PRINT} claims at a time.")
    with transaction.atomic():
        to_print = set(
            claims_to_print(Claim.objects.filter(pk__in=list(claim_ids)))
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("id", flat=True)
        )
        claims = list(claims_for_paper(claim_ids))
        pdf = claims_cms1500_pdf(claims=claims, plain=plain)
        now = timezone.now()
        for claim in claims:
            if claim.pk in to_print:
                claim_transition(
                    claim=claim,
                    to=ClaimStatus.SUBMITTED,
                    user=user,
                    source="paper",
                    note=PRINTED_NOTE,
                )
        Claim.objects.filter(pk__in=to_print).update(submitted_at=now)
    return PrintRun(pdf=pdf, printed=len(claims), marked_submitted=sorted(to_print))
