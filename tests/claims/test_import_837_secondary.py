"""Importing a secondary claim: what the payer before decided (2320 AMT*D and CAS, 2330B
DTP*573, 2430 SVD/CAS/DTP*573) is kept on the claim and its lines, and the prior payer and the
patient's coverage with it (2330A) are matched or added."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from claims.import837 import claims_import_837
from claims.models import Claim
from claims.x12_mapping import claims_837_render, claims_for_837
from patients.models import Coverage
from rcm.practice.models import Payer
from rcm.x12.claim837 import Adjustment, LineAdjudication, OtherCoverage, write_837p
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.x12.pyx12_check import pyx12_errors
from tests.x12.test_claim837 import PAYER, SECONDARY_PAYER, SUBSCRIBER, batch, claim, line
from tests.x12.test_read837 import _recount

PRIOR_PAYER_NM1 = "NM1*PR*2*ACME HEALTH PLAN*****PI*ACME1~\n"


def secondary_file(*, other: OtherCoverage | None = None, adjudicated: str = "20260311") -> bytes:
    """A claim to FAKE2 (SBR*S) after ACME1 (2320 SBR*P) paid 80.00 of 125.00; 2330B's
    DTP*573 is `adjudicated` (none when empty), the line's 2430 DTP*573 is 03/10/2026."""
    other = other or OtherCoverage(
        payer=PAYER, subscriber=SUBSCRIBER, paid_amount=Decimal("80.00"),
        adjustments=(Adjustment("CO", "45", Decimal("20.00")),),
    )  # fmt: skip
    decided = LineAdjudication(
        Decimal("80.00"), datetime.date(2026, 3, 10),
        (Adjustment("CO", "45", Decimal("20")), Adjustment("PR", "2", Decimal("25"))),
    )  # fmt: skip
    text = write_837p(
        batch(
            claim(
                control_number="SEC1",
                payer=SECONDARY_PAYER,
                responsibility="S",
                other_coverage=other,
                lines=(line(line_control_number="L1", adjudication=decided),),
            )
        )
    )
    if adjudicated:
        nm1 = f"NM1*PR*2*{other.payer.name}*****PI*{other.payer.payer_id}~\n"
        assert nm1 in text
        text = _recount(text.replace(nm1, f"{nm1}DTP*573*D8*{adjudicated}~\n"))
    return text.encode()


def imported(practice, data: bytes):
    return claims_import_837(practice=practice, data=data, file_name="sec.837", user=None)


def test_a_secondary_claims_stored_values_match_the_file(practice_b):
    result = imported(practice_b, secondary_file())

    assert len(result.claims) == 1, result.not_imported
    made = Claim.objects.get()
    assert made.primary_claim is None
    assert made.other_payer_paid == Decimal("80.00")
    assert made.other_payer_adjudicated_on == datetime.date(2026, 3, 11)  # 2330B DTP*573
    assert made.other_payer_adjustments == [{"group": "CO", "reason": "45", "amount": "20.00"}]
    prior = made.other_coverage
    assert prior is not None and prior.patient == made.patient
    assert (prior.payer.payer_id, prior.member_id, prior.priority) == ("ACME1", "MEM123456", 1)
    assert prior.relationship == "18"
    assert (made.payer.payer_id, made.coverage.priority) == ("FAKE2", 2)
    (made_line,) = made.lines.all()
    assert made_line.other_payer_paid == Decimal("80.00")
    assert made_line.other_payer_adjustments == [
        {"group": "CO", "reason": "45", "amount": "20.00"},
        {"group": "PR", "reason": "2", "amount": "25.00"},
    ]
    assert result.coverages_created == 2
    assert "ACME HEALTH PLAN (ACME1)" in result.payers_created


def test_without_2330b_date_the_latest_line_adjudication_date_is_kept(practice_b):
    imported(practice_b, secondary_file(adjudicated=""))

    assert Claim.objects.get().other_payer_adjudicated_on == datetime.date(2026, 3, 10)


def test_the_prior_payer_and_its_coverage_are_matched_when_known(practice_b):
    acme = PayerFactory(payer_id="ACME1", name="Acme Health Plan")
    patient = PatientFactory(
        practice=practice_b, last_name="DOE", first_name="JANE",
        date_of_birth=SUBSCRIBER.birth_date,
    )  # fmt: skip
    known = CoverageFactory(patient=patient, payer=acme, member_id="MEM123456", priority=1)
    payers = Payer.objects.count()

    result = imported(practice_b, secondary_file())

    assert len(result.claims) == 1, result.not_imported
    assert Claim.objects.get().other_coverage == known
    assert Payer.objects.count() == payers + 1  # only FAKE2, the claim's own payer
    assert Coverage.objects.filter(payer=acme).count() == 1


def test_a_prior_subscriber_who_is_not_the_patient_needs_a_registered_coverage(practice_b):
    spouse = dataclasses.replace(SUBSCRIBER, first_name="JOHN", member_id="SPOUSE9")
    other = OtherCoverage(
        payer=PAYER, subscriber=spouse, paid_amount=Decimal("80"), relationship="01"
    )

    result = imported(practice_b, secondary_file(other=other))

    assert result.claims == [] and not Claim.objects.exists()
    (reason,) = result.not_imported
    assert "loop 2330A" in reason and "SPOUSE9" in reason and "date of birth" in reason

    # registered at the front desk, the same file imports and is matched
    patient = PatientFactory(
        practice=practice_b, last_name="DOE", first_name="JANE",
        date_of_birth=SUBSCRIBER.birth_date,
    )  # fmt: skip
    assert not Payer.objects.filter(payer_id="ACME1").exists()  # the refused claim added none
    acme = PayerFactory(payer_id="ACME1")
    spouses = CoverageFactory(patient=patient, payer=acme, member_id="SPOUSE9", priority=1)

    again = imported(practice_b, secondary_file(other=other))

    assert len(again.claims) == 1, again.not_imported
    assert Claim.objects.get().other_coverage == spouses


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda t: t.replace("AMT*D*80", "AMT*D*99999999999999"), "paid amount"),
        (lambda t: t.replace("CAS*CO*45*20~", "CAS*ZZ*45*20~"), "no group and reason code"),
        (lambda t: t.replace("CAS*PR*2*25", "CAS*PR*TOOLONGREASON*25"), "no group and reason"),
        (lambda t: t.replace("CAS*PR*2*25", "CAS*PR*2*-99999999999999"), "adjustment amount"),
    ],
    ids=["huge-paid", "bad-group", "long-reason", "huge-adjustment"],
)
def test_hostile_prior_payer_values_leave_the_claim_out_saying_why(practice_b, mutate, words):
    data = mutate(secondary_file().decode()).encode()

    result = imported(practice_b, data)

    assert result.claims == [] and not Claim.objects.exists()
    (reason,) = result.not_imported
    assert words in reason and reason.endswith(".")


def test_a_primary_claim_naming_a_secondary_coverage_keeps_no_prior_payer(practice_b):
    """2320 without AMT*D: the other payer has not decided the claim; nothing is 'prior'."""
    text = write_837p(
        batch(
            claim(
                control_number="PRI1",
                other_coverage=OtherCoverage(
                    payer=SECONDARY_PAYER,
                    subscriber=SUBSCRIBER,
                    paid_amount=Decimal("0"),
                    responsibility="S",
                ),
            )
        )
    )
    text = _recount(text.replace("AMT*D*0~\n", ""))

    result = imported(practice_b, text.encode())

    assert len(result.claims) == 1, result.not_imported
    made = Claim.objects.get()
    assert (made.other_coverage, made.other_payer_paid, made.other_payer_adjudicated_on) == (
        None,
        None,
        None,
    )


def test_a_tertiary_claim_keeps_what_the_secondary_payer_decided(practice_b):
    from tests.x12.test_read837 import _tertiary_text

    result = imported(practice_b, _tertiary_text().encode())

    assert len(result.claims) == 1, result.not_imported
    made = Claim.objects.get()
    assert made.other_coverage is not None
    assert (made.other_coverage.payer.payer_id, made.other_coverage.priority) == ("FAKE3", 2)
    assert made.other_payer_paid == Decimal("20.00")
    assert made.other_payer_adjudicated_on == datetime.date(2026, 3, 20)


def test_the_claim_page_names_the_prior_payer_of_an_imported_secondary(client, biller_b):
    imported(biller_b.memberships.get().practice, secondary_file())
    client.force_login(biller_b)

    page = client.get(f"/claims/{Claim.objects.get().pk}/").content.decode()

    assert "Secondary to ACME HEALTH PLAN (member ID MEM123456" in page
    assert "primary paid $80.00" in page


def test_a_void_of_an_imported_secondary_keeps_its_prior_payer(practice_b, biller_b):
    """A correction (here a void, frequency 8) is a new snapshot of the claim: the prior payer
    travels with it as `primary_claim` does."""
    from claims.corrections import claim_void
    from claims.models import ClaimStatus

    imported(practice_b, secondary_file())
    Claim.objects.update(status=ClaimStatus.DENIED, payer_claim_number="ICN1")
    original = Claim.objects.get()

    void = claim_void(claim=original, user=biller_b, reason="billed in error").claim

    assert void.frequency_code == "8"
    assert void.other_coverage == original.other_coverage is not None
    assert void.other_payer_paid == Decimal("80.00")


def test_an_imported_secondary_goes_out_with_the_prior_payers_decision(practice_b, tmp_path):
    """Our 837P of an imported secondary carries what the file's 2320/2330/2430 said: the
    prior payer (from `other_coverage`, as no claim of ours is its primary), its paid amount
    and CAS, and each line's SVD; pyx12 finds nothing wrong with it."""
    imported(practice_b, secondary_file())
    made = Claim.objects.get()
    rows = claims_for_837([made.pk])
    text = claims_837_render(
        practice=practice_b,
        connection=None,
        claims=rows,
        created=datetime.datetime.now(datetime.UTC),
    ).text
    assert "SBR*S*18*" in text  # this claim to the secondary payer
    assert "\nSBR*P*18*" in text  # 2320: the prior payer was primary
    assert "\nAMT*D*80~" in text
    assert "\nNM1*PR*2*ACME HEALTH PLAN*****PI*ACME1~" in text
    assert "\nSVD*ACME1*80*HC:99213**1~" in text
    assert "\nCAS*PR*2*25~" in text
    path = tmp_path / "secondary.837"
    path.write_text(text)
    assert pyx12_errors(path) == []
