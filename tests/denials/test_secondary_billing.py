"""Secondary claims, automatically: a posted 835 with a balance bills the next payer, once,
unless the payer says it forwarded the claim itself (crossover)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from claims.billing import encounter_bill
from claims.export import claims_export_837
from claims.models import Claim, ClaimStatus
from denials.inbox import era_post
from denials.models import ClaimPayment, Remittance
from denials.tasks import bill_secondaries_task
from rcm.celery import app
from tests.claims.test_billing import coded_visit, insured
from tests.denials.fixtures import interchange
from tests.x12.pyx12_check import pyx12_text_errors


@pytest.fixture
def eager_tasks():
    """Tasks enqueued on commit run at once, in the test (no broker)."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def primary(practice_a) -> Claim:
    """An accepted claim to the primary payer: 99213 150.00 and 36415 40.00."""
    encounter = coded_visit(practice_a)
    insured(encounter, "Northwind", 1, payer_id="NWH01")
    [claim] = encounter_bill(encounter_id=encounter.pk, user=None).claims
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.ACCEPTED)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def secondary_coverage(primary):
    return insured(primary.encounter, "Contoso", 2)


def remit_835(
    claim: Claim, *, status: str = "1", paid: str = "120", extra: tuple[str, ...] = ()
) -> bytes:
    """Northwind's payment of `claim`: line 1 pays 100 (CO-45 20, PR-2 30), line 2 pays 20
    (CO-45 20); `paid` other than 120 pays it all."""
    cn = claim.control_number
    if paid == "120":
        lines = [
            "SVC*HC:99213*150*100**1", "DTM*472*20261001", "CAS*CO*45*20", "CAS*PR*2*30",
            f"REF*6R*{cn}-1",
            "SVC*HC:36415*40*20**1", "DTM*472*20261001", "CAS*CO*45*20", f"REF*6R*{cn}-2",
        ]  # fmt: skip
        patient = "30"
    else:
        lines = [
            "SVC*HC:99213*150*150**1", "DTM*472*20261001", f"REF*6R*{cn}-1",
            "SVC*HC:36415*40*40**1", "DTM*472*20261001", f"REF*6R*{cn}-2",
        ]  # fmt: skip
        patient = "0"
    return interchange(
        [
            f"BPR*I*{paid}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765"
            "*20261027",
            f"TRN*1*T{cn}{status}*1512345678",
            "N1*PR*NORTHWIND HEALTH*XV*NWH01",
            f"N1*PE*{claim.practice.name.upper()}*XX*{claim.practice.npi}",
            "LX*1",
            f"CLP*{cn}*{status}*190*{paid}*{patient}*12*2026300000777*11*1",
            f"NM1*QC*1*{claim.patient.last_name.upper()}*{claim.patient.first_name.upper()}"
            f"****MI*{claim.coverage.member_id}",
            *extra,
            *lines,
        ]
    )


def post(content: bytes, django_capture_on_commit_callbacks) -> Remittance:
    with django_capture_on_commit_callbacks(execute=True):
        era_post(content=content, name="northwind.835")
    return Remittance.objects.latest("id")


def test_a_posted_balance_bills_the_secondary_with_the_primary_decision(
    primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks, tmp_path
):
    post(remit_835(primary), django_capture_on_commit_callbacks)

    secondary = Claim.objects.get(primary_claim=primary)
    assert secondary.payer == secondary_coverage.payer
    assert secondary.coverage == secondary_coverage
    assert secondary.status == ClaimStatus.READY
    assert secondary.other_payer_paid == 120
    assert secondary.other_payer_adjudicated_on == datetime.date(2026, 10, 27)
    first = secondary.lines.get(position=1)
    assert first.other_payer_paid == 100
    assert first.other_payer_adjustments == [
        {"group": "CO", "reason": "45", "amount": "20.00"},
        {"group": "PR", "reason": "2", "amount": "30.00"},
    ]
    [exported] = claims_export_837(claim_ids=[secondary.pk])
    assert pyx12_text_errors(exported.text, tmp_path) == []
    assert "SBR*S*" in exported.text and "SBR*P*" in exported.text  # 2000B and loop 2320
    assert "AMT*D*120~" in exported.text  # 2320: the primary's payment
    assert "SVD*NWH01*100*HC:99213" in exported.text  # 2430
    assert "CAS*PR*2*30~" in exported.text


def test_running_the_task_again_bills_once(
    primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks
):
    remittance = post(remit_835(primary), django_capture_on_commit_callbacks)

    again = bill_secondaries_task(remittance.pk)

    assert again["billed"] == []
    assert again["skipped"] == {str(primary.pk): "This claim was already billed to the next payer."}
    assert Claim.objects.filter(primary_claim=primary).count() == 1


@pytest.mark.parametrize("status", ["19", "20", "21"])
def test_a_claim_the_payer_crossed_over_is_not_billed_again(
    primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks, status
):
    remittance = post(remit_835(primary, status=status), django_capture_on_commit_callbacks)

    assert ClaimPayment.objects.get(remittance=remittance).status_code == status
    assert not Claim.objects.filter(primary_claim=primary).exists()
    assert bill_secondaries_task(remittance.pk)["skipped"] == {
        str(primary.pk): "crossed over by the payer"
    }


def test_a_crossover_carrier_in_the_835_means_no_secondary_claim(
    primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks
):
    remittance = post(
        remit_835(primary, extra=("NM1*TT*2*CONTOSO MEDIGAP*****PI*CMG01",)),
        django_capture_on_commit_callbacks,
    )

    assert ClaimPayment.objects.get(remittance=remittance).crossover_carrier == "CONTOSO MEDIGAP"
    assert not Claim.objects.filter(primary_claim=primary).exists()


def test_a_crossover_remark_means_no_secondary_claim(
    primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks
):
    post(remit_835(primary, extra=("MOA***MA18",)), django_capture_on_commit_callbacks)

    assert not Claim.objects.filter(primary_claim=primary).exists()


def test_no_secondary_coverage_bills_nothing_and_raises_nothing(
    primary, eager_tasks, django_capture_on_commit_callbacks
):
    remittance = post(remit_835(primary), django_capture_on_commit_callbacks)

    assert Claim.objects.get(pk=primary.pk).status == ClaimStatus.PAID  # posted as usual
    assert not Claim.objects.filter(primary_claim=primary).exists()
    name = primary.patient.full_name
    assert bill_secondaries_task(remittance.pk)["skipped"] == {
        str(primary.pk): f"{name} has no secondary coverage in force on 10/01/2026."
    }


def test_a_claim_paid_in_full_leaves_nothing_for_the_secondary(
    primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks
):
    remittance = post(remit_835(primary, paid="190"), django_capture_on_commit_callbacks)

    assert not Claim.objects.filter(primary_claim=primary).exists()
    assert bill_secondaries_task(remittance.pk)["skipped"] == {str(primary.pk): "no balance left"}


def test_posting_the_same_835_again_enqueues_nothing_new(
    primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks
):
    content = remit_835(primary)
    post(content, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        era_post(content=content, name="northwind-again.835")

    assert callbacks == []
    assert Claim.objects.filter(primary_claim=primary).count() == 1


def test_the_secondary_claim_owes_what_the_primary_left_not_its_charge(
    client, biller, primary, secondary_coverage, eager_tasks, django_capture_on_commit_callbacks
):
    post(remit_835(primary), django_capture_on_commit_callbacks)
    secondary = Claim.objects.get(primary_claim=primary)
    client.force_login(biller)

    page = client.get(reverse("claim-detail", args=[secondary.pk])).content.decode()

    # 190 charged - 120 paid by Northwind - 40 contractual (CO-45) = 30, the patient's PR-2.
    assert secondary.total_charge == 190  # the 837 still bills the whole charge (CLM02)
    assert "primary paid $120.00, left $30.00" in page
    assert 'data-testid="prior-left">$30.00' in page
    assert 'data-testid="claim-balance">$30.00' in page
    primary_page = client.get(reverse("claim-detail", args=[primary.pk])).content.decode()
    assert 'data-testid="prior-left"' not in primary_page
    assert 'data-testid="claim-balance">$30.00' in primary_page
