"""The CMS-1500: each value in its box (read back from the PDF by position), pages, odd names."""

from __future__ import annotations

import datetime
import io
import os
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from claims.models import FrequencyCode
from claims.paper import claims_cms1500_pdf, claims_for_paper, person_name
from claims.paper_layout import BASELINE_DROP, CELLS, CHAR, LINE, PAGE_HEIGHT, X0, Y0
from claims.state import ClaimStatus
from patients.models import Relationship
from tests.factories import (
    ClaimDiagnosisFactory,
    ClaimFactory,
    ClaimLineFactory,
    CoverageFactory,
    PayerFactory,
)

PRINTED_ON = datetime.date(2026, 11, 30)


def paper_claim(practice, *, lines=2, **kwargs):
    """A claim with every kind of value the form shows."""
    payer = PayerFactory(
        name="Northwind Health",
        address1="PO Box 4410",
        city="Columbus",
        state="OH",
        zip_code="43216",
        submission_method="paper",
    )
    claim = ClaimFactory(
        encounter__patient__practice=practice,
        encounter__patient__first_name="Ana",
        encounter__patient__middle_name="Luz",
        encounter__patient__last_name="Reyes",
        encounter__patient__phone="2175550142",
        coverage__payer=payer,
        coverage__member_id="NW123456789",
        coverage__group_number="GRP77",
        prior_authorization="PA998877",
        total_charge=Decimal("1234.50") if lines == 2 else Decimal("125.00") * lines,
        **kwargs,
    )
    for position, code in enumerate(["E119", "I10", "Z7984"], start=1):
        ClaimDiagnosisFactory(claim=claim, position=position, code=code)
    charges = [Decimal("1109.50"), Decimal("125.00")] if lines == 2 else [Decimal("125.00")] * lines
    for position, charge in enumerate(charges, start=1):
        ClaimLineFactory(
            claim=claim,
            position=position,
            procedure_code="99214" if position == 1 else "36415",
            modifiers=["25", "59"] if position == 1 else [],
            diagnosis_pointers=[1, 2, 3] if position == 1 else [2],
            charge=charge,
        )
    return claim


def render(claims, plain=False):
    return claims_cms1500_pdf(
        claims=list(claims_for_paper([c.pk for c in claims])), plain=plain, printed_on=PRINTED_ON
    )


def words_by_position(pdf: bytes) -> list[list[tuple[int, int, str]]]:
    """Per page, each string drawn as (line, column, text) on the form's grid."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[tuple[int, int, str]] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                x, y = tm[4], tm[5]
                line = round((PAGE_HEIGHT - y - Y0 - BASELINE_DROP) / LINE) + 1
                found.append((line, round((x - X0) / CHAR) + 1, text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def value_at(page, cell_name):
    cell = CELLS[cell_name]
    values = [
        text
        for line, col, text in page
        if line == cell.line and cell.col <= col < cell.col + cell.width
    ]
    return " ".join(values)


def test_each_value_is_printed_in_its_box(db, practice_a):
    claim = paper_claim(practice_a)

    [page] = words_by_position(render([claim]))

    assert value_at(page, "carrier_name") == "NORTHWIND HEALTH"
    assert value_at(page, "carrier_address1") == "PO BOX 4410"
    assert value_at(page, "carrier_address2") == "COLUMBUS OH 43216"  # no blank line between
    assert value_at(page, "1_group") == "X"
    assert value_at(page, "1a") == "NW123456789"
    assert value_at(page, "2") == "REYES, ANA, L"
    assert (value_at(page, "3_mm"), value_at(page, "3_dd"), value_at(page, "3_yyyy")) == (
        "05",
        "17",
        "1970",
    )
    assert value_at(page, "3_f") == "X"
    assert value_at(page, "6_self") == "X"
    assert value_at(page, "5_phone_area") == "217"
    assert value_at(page, "11") == "GRP77"
    assert value_at(page, "21_ind") == "0"
    assert [value_at(page, f"21_{letter}") for letter in "ABCD"] == ["E11.9", "I10", "Z79.84", ""]
    assert value_at(page, "23") == "PA998877"
    assert value_at(page, "24a_from_mm_1") == "10"
    assert value_at(page, "24a_from_yy_1") == "26"
    assert value_at(page, "24d_code_1") == "99214"
    assert (value_at(page, "24d_mod1_1"), value_at(page, "24d_mod2_1")) == ("25", "59")
    assert value_at(page, "24e_1") == "ABC"
    assert value_at(page, "24e_2") == "B"
    assert (value_at(page, "24f_dollars_1"), value_at(page, "24f_cents_1")) == ("1109", "50")
    assert value_at(page, "24j_1") == claim.rendering_provider.npi
    assert value_at(page, "25") == practice_a.tin
    assert value_at(page, "25_ein") == "X"
    assert value_at(page, "26") == claim.control_number
    assert (value_at(page, "28_dollars"), value_at(page, "28_cents")) == ("1234", "50")
    assert value_at(page, "31") == "SIGNATURE ON FILE"
    assert value_at(page, "31_date") == "11 30 26"
    assert value_at(page, "33a") == practice_a.npi
    assert value_at(page, "32a") == practice_a.npi
    assert value_at(page, "22_code") == ""


def test_dollars_end_at_the_cents_divider(db, practice_a):
    """Amounts are right-aligned: the last dollar digit sits just left of the cents."""
    [page] = words_by_position(render([paper_claim(practice_a)]))
    cell = CELLS["24f_dollars_2"]

    [(_line, col, text)] = [w for w in page if w[0] == cell.line and w[2] == "125"]

    assert col + len(text) == CELLS["24f_cents_2"].col


def test_a_replacement_shows_code_7_and_the_payers_claim_number(db, practice_a):
    original = paper_claim(practice_a, payer_claim_number="2026331000123")
    replacement = ClaimFactory(
        encounter=original.encounter,
        coverage=original.coverage,
        frequency_code=FrequencyCode.CORRECTED,
        original_claim=original,
    )

    [page] = words_by_position(render([replacement]))

    assert value_at(page, "22_code") == "7"
    assert value_at(page, "22_original") == "2026331000123"


def test_the_insured_and_the_other_insurance_when_the_patient_is_a_dependent(db, practice_a):
    claim = paper_claim(
        practice_a,
        coverage__relationship=Relationship.CHILD,
        coverage__subscriber_first_name="Marco",
        coverage__subscriber_last_name="Reyes-Ortiz",
        coverage__subscriber_date_of_birth=datetime.date(1968, 2, 3),
        coverage__subscriber_sex="M",
    )
    CoverageFactory(patient=claim.patient, priority=2, member_id="SEC555")

    [page] = words_by_position(render([claim]))

    assert value_at(page, "4") == "REYES-ORTIZ, MARCO"
    assert value_at(page, "6_child") == "X"
    assert value_at(page, "11a_m") == "X"
    assert value_at(page, "11d_yes") == "X"
    assert value_at(page, "9a") == "SEC555"


def test_seven_lines_make_two_forms_with_the_total_on_the_last(db, practice_a):
    claim = paper_claim(practice_a, lines=7)

    first, second = words_by_position(render([claim]))

    assert value_at(first, "page") == "PAGE 1 OF 2"
    assert value_at(first, "28_continued") == "CONTINUED"
    assert value_at(first, "24d_code_6") == "36415"
    assert value_at(second, "page") == "PAGE 2 OF 2"
    assert value_at(second, "24d_code_1") == "36415"
    assert value_at(second, "24d_code_2") == ""
    assert (value_at(second, "28_dollars"), value_at(second, "28_cents")) == ("875", "00")
    assert value_at(second, "2") == "REYES, ANA, L"  # each form stands alone


@pytest.mark.parametrize(
    "hostile",
    [
        "O'Brien\x07\x1b[2J<script>",  # PostgreSQL keeps no NUL; other control characters
        "Łukasz\u202eżółć",
        "😀 D'Arcy-Smith",
        "A" * 60,
        "(((\\",
        ")%PDF-1.4\n%%EOF",
    ],
)
def test_hostile_characters_in_names_print_plainly(db, practice_a, hostile):
    claim = paper_claim(practice_a)
    type(claim.patient).objects.filter(pk=claim.patient_id).update(last_name=hostile)

    for plain in (False, True):
        pdf = render([claim], plain=plain)
        [page] = words_by_position(pdf)
        name = value_at(page, "2")
        assert name == person_name(hostile, "Ana", "Luz")[: CELLS["2"].width]
        assert all(ch.isascii() and (ch.isalnum() or ch in " ,-") for ch in name)


def test_the_plain_version_draws_the_boxes_and_labels(db, practice_a):
    claim = paper_claim(practice_a)

    plain = PdfReader(io.BytesIO(render([claim], plain=True))).pages[0].extract_text()
    red = PdfReader(io.BytesIO(render([claim]))).pages[0].extract_text()

    assert "HEALTH INSURANCE CLAIM FORM" in plain
    assert "24. A. DATE(S) OF SERVICE" in plain
    assert "33. BILLING PROVIDER INFO" in plain
    assert "HEALTH INSURANCE CLAIM FORM" not in red  # the red form has its own print
    _keep_for_a_look(claim, plain=True)


def _keep_for_a_look(claim, plain):
    """RCM_CMS1500_SAMPLE=DIR writes the rendered forms there, to look at as images."""
    out = os.environ.get("RCM_CMS1500_SAMPLE")
    if out:
        with open(os.path.join(out, "cms1500-plain.pdf"), "wb") as f:
            f.write(render([claim], plain=True))
        with open(os.path.join(out, "cms1500-red.pdf"), "wb") as f:
            f.write(render([claim], plain=False))


def test_the_cms1500_command_writes_the_pdf(db, tmp_path, practice_a):
    first, second = paper_claim(practice_a), paper_claim(practice_a, lines=7)
    out = tmp_path / "claims.pdf"

    call_command("cms1500", "--claim", str(first.pk), str(second.pk), "--out", str(out), "--plain")

    assert len(PdfReader(out).pages) == 3
    assert first.control_number in PdfReader(out).pages[0].extract_text()


def test_the_cms1500_command_refuses_an_unknown_claim(db, tmp_path):
    with pytest.raises(CommandError, match="No claim 999999"):
        call_command("cms1500", "--claim", "999999", "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_printing_does_not_move_a_claim(db, practice_a):
    claim = paper_claim(practice_a, status=ClaimStatus.READY)
    render([claim])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY
