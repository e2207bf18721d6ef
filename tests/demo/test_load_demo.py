"""`manage.py load_demo` builds the whole demo once, consistently, and a second run writes nothing.

One test on purpose: loading the demo takes several seconds.
"""

from __future__ import annotations

import io
import itertools
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from claims.models import Claim, ClaimEvent, ClaimLine
from claims.paper import claims_to_print
from claims.state import ClaimStatus, can_transition
from demo.billing import PAPER_QUEUED
from demo.catalog import DEMO_PASSWORD, PRACTICES
from denials.models import Adjustment, ClaimPayment, Denial, Remittance
from patients.models import Coverage, Encounter, EncounterStatus, Patient
from rcm.audit.models import AuditEvent
from rcm.practice.models import Payer, Practice, SubmissionMethod, User


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _table_counts(practice_ids):
    scoped = {"practice_id__in": practice_ids}
    return {
        "patients": Patient.objects.filter(**scoped).count(),
        "coverages": Coverage.objects.filter(**scoped).count(),
        "encounters": Encounter.objects.filter(**scoped).count(),
        "claims": Claim.objects.filter(**scoped).count(),
        "events": ClaimEvent.objects.filter(claim__practice_id__in=practice_ids).count(),
        "remittances": Remittance.objects.filter(**scoped).count(),
        "audit": AuditEvent.objects.filter(**scoped).count(),
        "users": User.objects.count(),
    }


def _assert_timelines_are_legal_walks(claims):
    for claim in claims:
        events = list(claim.events.order_by("at", "id"))
        assert (events[0].from_status, events[0].to_status) == ("", ClaimStatus.DRAFT)
        for earlier, later in itertools.pairwise(events):
            assert later.from_status == earlier.to_status
            assert can_transition(later.from_status, later.to_status)
        assert events[-1].to_status == claim.status
        assert events[-1].at == claim.status_changed_at


def _assert_payments_balance(practice_ids):
    for payment in ClaimPayment.objects.filter(practice_id__in=practice_ids):
        adjusted = payment.adjustments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        assert payment.charge - adjusted == payment.paid, payment.control_number
        line_paid = payment.lines.aggregate(total=Sum("paid"))["total"]
        assert line_paid == payment.paid
        patient_share = payment.adjustments.filter(group="PR").aggregate(total=Sum("amount"))
        assert (patient_share["total"] or Decimal(0)) == payment.patient_responsibility
    for remittance in Remittance.objects.filter(practice_id__in=practice_ids):
        paid = remittance.claim_payments.aggregate(total=Sum("paid"))["total"]
        forwarded = remittance.provider_adjustments.aggregate(total=Sum("amount"))["total"] or 0
        assert remittance.payment_amount == paid - forwarded


@pytest.mark.django_db(transaction=False)
def test_load_demo_builds_every_stage_once():
    output = _load()

    practices = Practice.objects.filter(npi__in=[spec.npi for spec in PRACTICES])
    ids = list(practices.values_list("pk", flat=True))
    assert practices.count() == 2
    assert Patient.objects.filter(practice_id__in=ids).count() == 300
    encounters = Encounter.objects.filter(practice_id__in=ids)
    assert encounters.count() == 1000
    assert set(encounters.values_list("status", flat=True)) == set(EncounterStatus.values)
    claims = Claim.objects.filter(practice_id__in=ids)
    assert set(claims.values_list("status", flat=True)) == set(ClaimStatus.values)
    assert claims.count() == encounters.filter(status=EncounterStatus.BILLED).count()
    assert claims.values("control_number").distinct().count() == claims.count()
    assert ClaimLine.objects.filter(claim__in=claims).count() >= claims.count()
    _assert_timelines_are_legal_walks(claims.prefetch_related("events"))
    _assert_payments_balance(ids)
    reasons = set(Adjustment.objects.filter(claim_payment__practice_id__in=ids)
                  .values_list("group", "reason"))  # fmt: skip
    assert {("CO", "45"), ("PR", "2"), ("PR", "3"), ("CO", "97"), ("PR", "204")} <= reasons
    # Every denied claim is on the denial queue, as posting its 835 would have put it.
    denied = set(claims.filter(status=ClaimStatus.DENIED).values_list("pk", flat=True))
    queued = set(Denial.objects.filter(practice_id__in=ids).values_list("claim_id", flat=True))
    assert denied and denied <= queued
    admin, agency = User.objects.get(username="admin"), User.objects.get(username="agency")
    # The practice administrator works in the app only; the Django admin is the operator's.
    assert not admin.is_staff and not admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    operator = User.objects.get(username="operator")
    assert operator.is_staff and operator.is_superuser and operator.check_password(DEMO_PASSWORD)
    assert not operator.memberships.exists()
    assert agency.memberships.values("practice").distinct().count() == 2
    assert "pedsadmin" in output
    assert "operator   operator: the Django admin (/admin/), no practice" in output
    # One small payer takes paper: its queued claims fill the billers' "To print" list.
    paper = Payer.objects.get(submission_method=SubmissionMethod.PAPER)
    assert paper.payer_id == "CNTSO" and paper.address1 and paper.zip_code
    to_print = claims_to_print(claims)
    assert to_print.count() >= PAPER_QUEUED, to_print.count()
    assert set(to_print.values_list("payer_id", flat=True)) == {paper.pk}
    assert not claims.filter(status=ClaimStatus.QUEUED).electronic().filter(payer=paper).exists()

    before = _table_counts(ids)
    started = time.monotonic()
    second = _load()
    elapsed = time.monotonic() - started

    assert "nothing changed" in second
    assert _table_counts(ids) == before
    assert elapsed < 5, f"the second run took {elapsed:.1f} s"
