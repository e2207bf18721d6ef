"""claim_scrub on claim rows: findings stored, claims held or released, warnings overridden."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import ClaimEdit, ClaimEvent
from claims.scrubber import claim_edit_override, claim_scrub
from claims.state import ClaimStatus, claim_transition
from rcm.practice.models import PayerRule
from tests.coding.conftest import _icd10cm_session, icd10cm  # noqa: F401  (fixtures)
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory


def _claim(practice, **kwargs):
    lines = kwargs.pop("lines", [{}])
    claim = ClaimFactory(encounter__patient__practice=practice, **kwargs)
    ClaimDiagnosisFactory(claim=claim)
    for position, line in enumerate(lines, start=1):
        ClaimLineFactory(claim=claim, position=position, **line)
    return claim


def _scrub_events(claim):
    return list(ClaimEvent.objects.filter(claim=claim, source="scrubber").order_by("id"))


def test_a_clean_draft_becomes_ready_with_one_event(practice_a, biller):
    claim = _claim(practice_a)

    result = claim_scrub(claim=claim, user=biller)

    claim.refresh_from_db()
    assert (result.edits, result.held, claim.status) == ([], False, ClaimStatus.READY)
    (event,) = _scrub_events(claim)
    assert (event.from_status, event.to_status, event.user) == ("draft", "ready", biller)
    assert event.note == "Scrubbed: 0 errors, 0 warnings."


def test_an_error_holds_the_draft_and_is_stored(practice_a, biller):
    claim = _claim(practice_a, place_of_service="00", lines=[{"charge": Decimal("0")}])

    result = claim_scrub(claim=claim, user=biller)

    claim.refresh_from_db()
    assert result.held and claim.status == ClaimStatus.DRAFT
    stored = set(ClaimEdit.objects.filter(claim=claim).values_list("edit", "severity", "target"))
    assert {("pos.invalid", "error", ""), ("charge.positive", "error", "line 1")} <= stored
    assert ("total.mismatch", "error", "") in stored  # the row says 125.00, its line 0
    (event,) = _scrub_events(claim)
    assert event.to_status == "draft" and event.note.startswith("Scrubbed: 3 errors, 0 warnings.")


def test_a_ready_claim_that_now_fails_goes_back_to_draft(practice_a, biller):
    claim = _claim(practice_a)
    claim_scrub(claim=claim, user=biller)
    claim.payer.prior_auth_codes = ["99213"]
    claim.payer.save(update_fields=["prior_auth_codes"])

    result = claim_scrub(claim=claim, user=biller)

    claim.refresh_from_db()
    assert [e.edit for e in result.edits] == ["prior_auth.missing"]
    assert claim.status == ClaimStatus.DRAFT
    assert [e.to_status for e in _scrub_events(claim)] == ["ready", "draft"]


def test_rescrubbing_replaces_the_findings(practice_a, biller):
    claim = _claim(practice_a, place_of_service="00")
    claim_scrub(claim=claim, user=biller)
    claim.place_of_service = "11"
    claim.save(update_fields=["place_of_service"])

    claim_scrub(claim=claim, user=biller)

    assert not ClaimEdit.objects.filter(claim=claim).exists()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY


def _near_timely_filing(claim):
    days = (datetime.date.today() - claim.service_date_from).days + 5
    claim.payer.timely_filing_days = days
    claim.payer.save(update_fields=["timely_filing_days"])


def test_a_warning_does_not_hold_and_an_override_survives_a_rescrub(practice_a, biller):
    claim = _claim(practice_a)
    _near_timely_filing(claim)
    result = claim_scrub(claim=claim, user=biller)
    assert not result.held and [e.edit for e in result.edits] == ["timely_filing.near"]
    warning = ClaimEdit.objects.get(claim=claim)

    claim_edit_override(claim_edit=warning, user=biller, reason="Sending today.")
    claim_scrub(claim=claim, user=biller)

    again = ClaimEdit.objects.get(claim=claim)
    assert (again.overridden_by, again.override_reason) == (biller, "Sending today.")
    assert not again.is_open
    override = ClaimEvent.objects.get(claim=claim, source="override")
    assert override.user == biller and "Sending today." in override.note
    assert "(1 overridden)" in _scrub_events(claim)[-1].note


@pytest.mark.parametrize(
    ("reason", "message"),
    [("  ", "Say why"), ("x" * 501, "under 500"), ("bad\x07bell", "control characters")],
)
def test_an_override_needs_a_plain_reason(practice_a, biller, reason, message):
    claim = _claim(practice_a)
    _near_timely_filing(claim)
    claim_scrub(claim=claim, user=biller)
    warning = ClaimEdit.objects.get(claim=claim)

    with pytest.raises(ValidationError, match=message):
        claim_edit_override(claim_edit=warning, user=biller, reason=reason)

    warning.refresh_from_db()
    assert warning.is_open
    assert not ClaimEvent.objects.filter(claim=claim, source="override").exists()


def test_an_error_cannot_be_overridden(practice_a, biller):
    claim = _claim(practice_a, place_of_service="00")
    claim_scrub(claim=claim, user=biller)
    error = ClaimEdit.objects.get(claim=claim)

    with pytest.raises(ValidationError, match="An error cannot be overridden"):
        claim_edit_override(claim_edit=error, user=biller, reason="Trust me.")

    assert ClaimEdit.objects.get(claim=claim).is_open


def test_another_open_claim_for_the_same_service_is_a_duplicate(practice_a, biller):
    first = _claim(practice_a)
    # The same service entered twice as two visits (one visit cannot hold two originals).
    second = ClaimFactory(
        encounter__patient=first.patient,
        encounter__date_of_service=first.service_date_from,
        encounter__rendering_provider=first.rendering_provider,
        patient=first.patient,
        coverage=first.coverage,
        rendering_provider=first.rendering_provider,
        service_date_from=first.service_date_from,
        service_date_to=first.service_date_to,
        status=ClaimStatus.DRAFT,
    )
    ClaimDiagnosisFactory(claim=second)
    ClaimLineFactory(claim=second)

    result = claim_scrub(claim=second, user=biller)

    (edit,) = result.edits
    assert edit.edit == "duplicate" and first.control_number in edit.message


def test_a_payer_rule_from_setup_applies(practice_a, biller):
    claim = _claim(practice_a)
    PayerRule.objects.create(
        practice=practice_a, payer=claim.payer, codes="99211-99215", action="modifier",
        modifier="KX", severity="warning",
    )  # fmt: skip
    PayerRule.objects.create(
        practice=practice_a, payer=claim.payer, codes="99213", action="hold", message="Off",
        is_active=False,
    )  # fmt: skip

    result = claim_scrub(claim=claim, user=biller)

    assert [(e.edit.split(".")[2], e.severity, e.target) for e in result.edits] == [
        ("modifier", "warning", "line 1")
    ]


def test_a_service_outside_the_coverage_dates_is_held(practice_a, biller):
    claim = _claim(practice_a)
    claim.coverage.termination_date = claim.service_date_from - datetime.timedelta(days=1)
    claim.coverage.effective_date = claim.coverage.termination_date - datetime.timedelta(days=30)
    claim.coverage.save(update_fields=["effective_date", "termination_date"])

    assert [e.edit for e in claim_scrub(claim=claim, user=biller).edits] == ["coverage.dates"]


def test_a_submitted_claim_is_scrubbed_without_moving(practice_a, biller):
    claim = _claim(practice_a)
    claim_scrub(claim=claim, user=biller)
    claim_transition(claim=claim, to=ClaimStatus.QUEUED, user=biller)

    claim_scrub(claim=claim, user=biller)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED
    assert _scrub_events(claim)[-1].to_status == ClaimStatus.QUEUED


def test_the_claim_page_shows_the_edits_and_the_override_form(client, practice_a, biller):
    claim = _claim(practice_a)
    _near_timely_filing(claim)
    claim_scrub(claim=claim, user=biller)
    warning = ClaimEdit.objects.get(claim=claim)
    client.force_login(biller)

    page = client.get(reverse("claim-detail", args=[claim.pk]))
    assert page.status_code == 200
    assert b'data-testid="claim-edits"' in page.content and b"filing limit" in page.content
    url = reverse("claim-edit-override", args=[claim.pk, warning.pk])
    assert url.encode() in page.content

    response = client.post(url, {"reason": "Payer agreed by phone."})

    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.override_reason == "Payer agreed by phone."
    page = client.get(reverse("claim-detail", args=[claim.pk]))
    assert b"Warning (overridden)" in page.content and url.encode() not in page.content


def test_overriding_with_no_reason_changes_nothing(client, practice_a, biller):
    claim = _claim(practice_a)
    _near_timely_filing(claim)
    claim_scrub(claim=claim, user=biller)
    warning = ClaimEdit.objects.get(claim=claim)
    client.force_login(biller)

    response = client.post(
        reverse("claim-edit-override", args=[claim.pk, warning.pk]), {"reason": ""}
    )

    assert response.status_code == 400
    assert b"Say why this warning does not apply" in response.content
    warning.refresh_from_db()
    assert warning.is_open


def test_another_claims_edit_is_not_found(client, practice_a, biller):
    claim = _claim(practice_a)
    other = _claim(practice_a, place_of_service="00")
    claim_scrub(claim=other, user=biller)
    client.force_login(biller)
    edit = ClaimEdit.objects.get(claim=other)

    response = client.post(
        reverse("claim-edit-override", args=[claim.pk, edit.pk]), {"reason": "x"}
    )

    assert response.status_code == 404


@pytest.mark.usefixtures("icd10cm")
def test_the_coding_edits_run_again_on_the_claim(practice_a, biller):
    claim = ClaimFactory(encounter__patient__practice=practice_a)
    ClaimDiagnosisFactory(claim=claim, code="E11")  # a category, not a billable code
    ClaimLineFactory(claim=claim, diagnosis_pointers=[2])

    result = claim_scrub(claim=claim, user=biller)

    edits = {(e.edit, e.target) for e in result.edits}
    assert ("coding.dx-not-billable", "diagnosis 1") in edits
    assert ("pointer.invalid", "line 1") in edits
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


@pytest.mark.usefixtures("icd10cm")
def test_venipuncture_beside_an_office_visit_needs_no_modifier_25(practice_a, biller):
    claim = _claim(practice_a, lines=[{}, {"procedure_code": "36415", "charge": Decimal("10")}])
    claim.total_charge = Decimal("135.00")
    claim.save(update_fields=["total_charge"])

    assert claim_scrub(claim=claim, user=biller).edits == []


def test_scrub_again_from_the_claim_page_after_a_fix_elsewhere(client, practice_a, biller):
    claim = _claim(practice_a, place_of_service="00")
    claim_scrub(claim=claim, user=biller)
    client.force_login(biller)
    page = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert 'data-testid="scrub-again"' in page

    type(claim).objects.filter(pk=claim.pk).update(place_of_service="11")  # fixed, e.g. by import
    response = client.post(reverse("claim-scrub", args=[claim.pk]), follow=True)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY
    assert "Scrubbed: 0 errors, 0 warnings." in response.content.decode()
    assert not ClaimEdit.objects.filter(claim=claim).exists()


def test_scrub_again_refuses_a_submitted_claim_and_changes_nothing(client, practice_a, biller):
    claim = _claim(practice_a, status=ClaimStatus.SUBMITTED)
    client.force_login(biller)

    response = client.post(reverse("claim-scrub", args=[claim.pk]), follow=True)

    assert "only a draft or a ready claim is scrubbed again" in response.content.decode()
    assert not _scrub_events(claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
