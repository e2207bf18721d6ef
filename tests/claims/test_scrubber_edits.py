"""The scrubber's claim edits, as pure functions over an 837P claim: each firing and not."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from claims.scrub_core import claim_edits, duplicate_key, place_of_service_codes
from claims.scrub_types import ScrubContext
from rcm.practice.payer_rules import PayerRuleSpec, code_ranges_parse
from rcm.x12.claim837 import Attachment, Patient, RenderingProvider
from tests.x12.test_claim837 import HOME, batch, claim, line

TODAY = date(2026, 12, 1)
BILLING = batch(claim()).billing_provider


def found(c=None, billing=BILLING, **context) -> set[str]:
    ctx = ScrubContext(today=context.pop("today", TODAY), **context)
    return {edit.edit for edit in claim_edits(c or claim(), billing, ctx)}


def test_a_clean_claim_has_no_edit():
    assert found() == set()


@pytest.mark.parametrize(
    ("npi", "edit"),
    [
        ("", "npi.billing.missing"),
        ("12345", "npi.billing.format"),
        ("1234567890", "npi.billing.luhn"),
    ],
)
def test_billing_npi(npi, edit):
    assert edit in found(billing=dataclasses.replace(BILLING, npi=npi))


def test_rendering_npi_and_taxonomy():
    bad = RenderingProvider("SMITH", "ALEX", "1234567890", "20X")
    assert {"npi.rendering.luhn", "taxonomy.rendering"} <= found(claim(rendering_provider=bad))


@pytest.mark.parametrize("tin", ["", "12345678", "000000000", "12-345678"])
def test_billing_tin(tin):
    assert found(billing=dataclasses.replace(BILLING, tin=tin)) & {
        "tin.billing.missing",
        "tin.billing.format",
    }


@pytest.mark.parametrize(
    ("member_id", "edit"),
    [("", "subscriber.id.missing"), ("000000000", "subscriber.id.format"),
     ("UNKNOWN", "subscriber.id.format"), ("AB*12", "subscriber.id.format")],
)  # fmt: skip
def test_member_id(member_id, edit):
    c = claim()
    c = dataclasses.replace(c, subscriber=dataclasses.replace(c.subscriber, member_id=member_id))
    assert edit in found(c)


def test_medicare_wants_an_mbi_after_2019():
    c = dataclasses.replace(claim(), filing_indicator="MB")
    assert "subscriber.id.mbi" in found(c)
    mbi = dataclasses.replace(c.subscriber, member_id="1EG4TE5MK73")
    assert "subscriber.id.mbi" not in found(dataclasses.replace(c, subscriber=mbi))


@pytest.mark.parametrize(
    ("born", "edit"),
    [(None, "subscriber.dob.missing"), (date(2027, 1, 1), "subscriber.dob.future"),
     (date(2026, 3, 5), "subscriber.dob.after_service"),
     (date(1890, 1, 1), "subscriber.dob.absurd")],
)  # fmt: skip
def test_date_of_birth(born, edit):
    c = claim()
    c = dataclasses.replace(c, subscriber=dataclasses.replace(c.subscriber, birth_date=born))
    assert edit in found(c)


def test_sex_and_names_of_a_dependent_patient():
    patient = Patient("", "JIMMY", date(2015, 7, 4), "X", HOME)
    assert {"patient.name", "patient.sex.invalid"} <= found(claim(patient=patient))


def test_place_of_service_frequency_and_diagnoses():
    assert "11" in place_of_service_codes() and "99" in place_of_service_codes()
    edits = found(claim(place_of_service="00", frequency="3", diagnoses=()))
    assert {"pos.invalid", "frequency.invalid", "diagnosis.missing"} <= edits
    assert "frequency.original_reference" in found(claim(frequency="7"))


def test_dates_in_the_future_and_outside_the_coverage():
    assert "date.future" in found(today=date(2026, 2, 1))
    edits = found(coverage_start=date(2026, 3, 2), coverage_end=None)
    assert "coverage.dates" in edits
    assert "coverage.dates" not in found(
        coverage_start=date(2026, 1, 1), coverage_end=date(2026, 3, 1)
    )


def test_charges_units_codes_and_the_total():
    c = claim(lines=(line(charge="0"), line("ABC", "10", units=Decimal("0"), modifiers=("2",))))
    assert {"charge.positive", "units.positive", "procedure.format", "modifier.format"} <= found(c)
    assert "total.mismatch" in found(stated_total=Decimal("999.00"))
    assert "total.mismatch" not in found(stated_total=Decimal("125"))


def test_timely_filing_past_and_near():
    first = date(2026, 3, 1)
    assert "timely_filing.past" in found(timely_filing_days=90)
    near = (TODAY - first).days + 10
    assert "timely_filing.near" in found(timely_filing_days=near)
    assert not found(timely_filing_days=near + 20) & {"timely_filing.near", "timely_filing.past"}


def test_duplicates_prior_auth_and_therapy_modifiers():
    assert "duplicate" in found(duplicates=("C000000001",))
    assert "duplicate" not in found(
        claim(frequency="7", payer_claim_number="X"), duplicates=("C1",)
    )
    assert "prior_auth.missing" in found(prior_auth_codes=frozenset({"99213"}))
    assert "prior_auth.missing" not in found(
        claim(prior_authorization="PA1"), prior_auth_codes=frozenset({"99213"})
    )
    therapy = claim(lines=(line("97110"),), filing_indicator="MB")
    (edit,) = [e for e in claim_edits(therapy, BILLING, ScrubContext(today=TODAY))
               if e.edit == "modifier.therapy"]  # fmt: skip
    assert (edit.severity, edit.target) == ("error", "line 1")
    assert "modifier.therapy" not in found(claim(lines=(line("97110", modifiers=("GP",)),)))


def _rule(action: str, **kwargs) -> PayerRuleSpec:
    return PayerRuleSpec(
        rule_id=7, code_ranges=code_ranges_parse("97010-97799, 99213"), action=action,
        severity=kwargs.pop("severity", "error"), **kwargs,
    )  # fmt: skip


def test_payer_rules_each_action():
    assert "payer_rule.7.modifier" in found(payer_rules=(_rule("modifier", modifier="KX"),))
    assert "payer_rule.7.prior_auth" in found(payer_rules=(_rule("prior_auth"),))
    assert "payer_rule.7.attachment" in found(payer_rules=(_rule("attachment"),))
    assert "payer_rule.7.attachment" not in found(
        payer_rules=(_rule("attachment"),), attachments=("OZ",)
    )
    assert "payer_rule.7.hold" in found(payer_rules=(_rule("hold", message="Call first."),))
    other_place = _rule("hold", message="x", place_of_service="22")
    assert not found(payer_rules=(other_place,))


def test_an_attachment_sent_without_its_control_number_is_an_error():
    faxed = claim(attachments=(Attachment("OZ", "AA"), Attachment("08", "FX")))

    (edit,) = [e for e in claim_edits(faxed, BILLING, ScrubContext(today=TODAY))
               if e.edit.startswith("attachment.")]  # fmt: skip

    assert (edit.edit, edit.severity, edit.target) == (
        "attachment.control_number.missing", "error", "attachment 2",
    )  # fmt: skip
    assert edit.message.startswith(
        "Attachment 2 (Plan of Treatment, sent by fax) has no attachment control number"
    )
    assert not found(claim(attachments=(Attachment("OZ", "AA"), Attachment("08", "FX", "F1"))))


def test_more_than_ten_attachments_is_an_error():
    many = tuple(Attachment("OZ", "FX", f"N{i}") for i in range(11))

    assert "attachment.too_many" in found(claim(attachments=many))
    assert "attachment.too_many" not in found(claim(attachments=many[:10]))


def test_the_duplicate_key_ignores_line_order_but_not_modifiers():
    one = claim(lines=(line("99213"), line("85025", "10")))
    same = claim(control_number="OTHER", lines=(line("85025", "10"), line("99213")))
    other = claim(lines=(line("99213", modifiers=("76",)), line("85025", "10")))
    assert duplicate_key(one, BILLING) == duplicate_key(same, BILLING)
    assert duplicate_key(one, BILLING) != duplicate_key(other, BILLING)


def test_line_rendering_npis_from_a_file_are_checked():
    edits = claim_edits(
        claim(), BILLING, ScrubContext(today=TODAY, line_rendering_npis=((2, "1234567890"),))
    )
    assert [(e.edit, e.target) for e in edits] == [("npi.rendering.luhn", "line 2")]


def test_diagnosis_pointers():
    c = claim(
        diagnoses=("E119", "I10"),
        lines=(line(diagnosis_pointers=()), line(diagnosis_pointers=(1, 3)),
               line(diagnosis_pointers=(1, 2, 1, 2, 1)), line(diagnosis_pointers=(0,))),
    )  # fmt: skip
    edits = [(e.edit, e.target) for e in claim_edits(c, BILLING, ScrubContext(today=TODAY))]
    assert edits == [
        ("pointer.missing", "line 1"),
        ("pointer.invalid", "line 2"),
        ("pointer.too_many", "line 3"),
        ("pointer.invalid", "line 4"),
    ]
