"""The "Coded, not billed" page: the reason in words, the fix one click away, "Bill again"."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from claims.billing import encounter_bill
from claims.models import Claim, EncounterBillingIssue
from patients.models import Encounter, EncounterStatus
from rcm.practice.models import Membership, Provider, Role
from tests.claims.test_billing import coded_visit, insured
from tests.factories import EncounterFactory


@pytest.fixture
def uninsured_visit(practice_a):
    encounter = coded_visit(practice_a)
    encounter_bill(encounter_id=encounter.pk, user=None)
    return encounter


def test_the_page_lists_the_reason_and_links_to_the_fix(client, biller, uninsured_visit):
    client.force_login(biller)

    response = client.get(reverse("claims-unbilled"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "No insurance in force on the date of service" in body
    assert "has no primary insurance in force on 10/01/2026" in body
    coverage_page = reverse("patient-detail", args=[uninsured_visit.patient_id]) + "#coverages"
    assert f'href="{coverage_page}"' in body
    assert "<th>Practice</th>" not in body  # one practice: no column


def test_each_fix_has_its_page(client, biller, practice_a):
    npi = coded_visit(practice_a)
    insured(npi)
    Provider.objects.filter(pk=npi.rendering_provider_id).update(npi="")
    charge = coded_visit(practice_a, charges=("10.00", None))
    insured(charge)
    for encounter in (npi, charge):
        encounter_bill(encounter_id=encounter.pk, user=None)
    client.force_login(biller)

    body = client.get(reverse("claims-unbilled")).content.decode()

    assert f'href="{reverse("practice-setup-providers", args=[practice_a.pk])}"' in body
    assert f'href="{reverse("coding-encounter", args=[charge.pk])}"' in body


def test_bill_again_after_the_fix_bills_the_visit_and_clears_the_row(
    client, biller, uninsured_visit
):
    insured(uninsured_visit)
    client.force_login(biller)

    response = client.post(reverse("claims-unbilled-bill", args=[uninsured_visit.pk]), follow=True)

    claim = Claim.objects.get(encounter=uninsured_visit)
    body = response.content.decode()
    assert f"Claim {claim.control_number} created (ready to submit)." in body
    assert f'data-testid="unbilled-{uninsured_visit.pk}"' not in body
    assert not EncounterBillingIssue.objects.filter(resolved_at=None).exists()


def test_bill_again_without_the_fix_says_why(client, biller, uninsured_visit):
    client.force_login(biller)

    response = client.post(reverse("claims-unbilled-bill", args=[uninsured_visit.pk]), follow=True)

    assert "Still not billed: " in response.content.decode()
    assert EncounterBillingIssue.objects.get().attempts == 2
    assert not Claim.objects.exists()


def test_bill_all_bills_every_fixed_visit_and_the_ones_never_tried(client, biller, practice_a):
    fixed = coded_visit(practice_a)
    encounter_bill(encounter_id=fixed.pk, user=None)
    insured(fixed)
    never_tried = coded_visit(practice_a)
    insured(never_tried)
    still_uninsured = coded_visit(practice_a)
    encounter_bill(encounter_id=still_uninsured.pk, user=None)
    client.force_login(biller)
    assert "1 coded visit not billed yet" in client.get(reverse("claims-unbilled")).content.decode()

    response = client.post(reverse("claims-unbilled-bill-all"), follow=True)

    assert "2 of 3 visits billed; 1 still cannot be billed." in response.content.decode()
    assert set(Claim.objects.values_list("encounter_id", flat=True)) == {fixed.pk, never_tried.pk}


def test_another_practices_visit_is_not_found_and_unchanged(client, biller_b, uninsured_visit):
    insured(uninsured_visit)
    client.force_login(biller_b)

    assert (
        client.post(reverse("claims-unbilled-bill", args=[uninsured_visit.pk])).status_code == 404
    )
    assert "Every coded visit is billed." in client.get(reverse("claims-unbilled")).content.decode()
    assert not Claim.objects.exists()
    assert Encounter.objects.get(pk=uninsured_visit.pk).status == EncounterStatus.CODED


def test_an_agency_biller_sees_a_practice_column(
    client, biller, practice_a, practice_b, uninsured_visit
):
    Membership.objects.create(user=biller, practice=practice_b, role=Role.BILLER)
    other = coded_visit(practice_b)
    encounter_bill(encounter_id=other.pk, user=None)
    client.force_login(biller)

    body = client.get(reverse("claims-unbilled")).content.decode()

    assert "<th>Practice</th>" in body
    assert practice_a.name in body and practice_b.name in body
    assert f'data-testid="unbilled-{other.pk}"' in body


def test_self_pay_visits_are_listed_as_owed_by_the_patient(client, biller, practice_a):
    encounter = coded_visit(practice_a, self_pay=True)
    encounter_bill(encounter_id=encounter.pk, user=None)
    client.force_login(biller)

    body = client.get(reverse("claims-unbilled")).content.decode()

    assert "Self-pay: owed by the patient" in body
    assert "$190.00" in body
    assert encounter.patient.full_name in body


@pytest.mark.parametrize("page", ["²", "9" * 5000, "-1", "\u0661", "abc"])
def test_hostile_page_numbers_show_a_page(client, biller, uninsured_visit, page):
    client.force_login(biller)

    response = client.get(reverse("claims-unbilled"), {"page": page, "self_pay_page": page})

    assert response.status_code == 200


def test_the_page_is_paginated(client, biller, practice_a):
    for _ in range(51):
        encounter = EncounterFactory(
            patient__practice=practice_a,
            status=EncounterStatus.CODED,
            date_of_service=datetime.date(2026, 10, 1),
        )
        encounter_bill(encounter_id=encounter.pk, user=None)  # no codes
    client.force_login(biller)

    body = client.get(reverse("claims-unbilled")).content.decode()

    assert "Page 1 of 2" in body
    assert body.count("Bill again</button>") == 50
    assert EncounterBillingIssue.objects.count() == 51
