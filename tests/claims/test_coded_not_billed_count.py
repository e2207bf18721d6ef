"""The coder home's "Coded, not yet billed" counts coded visits that have no claim."""

from __future__ import annotations

from django.urls import reverse

from claims.billing import encounter_bill
from patients.models import EncounterStatus
from tests.claims.test_billing import coded_visit, insured
from tests.factories import ClaimFactory, EncounterFactory


def coded_count(client) -> int:
    response = client.get(reverse("home-coder"))
    assert response.status_code == 200
    return response.context["coded_count"]


def test_the_count_drops_when_the_visit_is_billed(client, coder, practice_a, practice_b):
    waiting = coded_visit(practice_a)
    billed = coded_visit(practice_a)
    insured(billed)
    coded_visit(practice_b)  # not the coder's practice
    EncounterFactory(patient__practice=practice_a, status=EncounterStatus.AWAITING_CODING)
    client.force_login(coder)
    assert coded_count(client) == 2

    encounter_bill(encounter_id=billed.pk, user=None)
    encounter_bill(encounter_id=waiting.pk, user=None)  # no coverage: still not billed

    assert coded_count(client) == 1


def test_a_coded_visit_that_has_a_claim_is_not_counted(client, coder, practice_a):
    # A claim made for a visit left CODED (an import, a row from before billing moved visits).
    ClaimFactory(encounter__patient__practice=practice_a, encounter__status=EncounterStatus.CODED)
    ClaimFactory(encounter__patient__practice=practice_a)  # a billed visit
    client.force_login(coder)

    assert coded_count(client) == 0
