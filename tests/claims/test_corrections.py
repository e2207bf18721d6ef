"""Correcting adjudicated claims as payers expect: replacement (7), void (8), rebilling the
denied lines, moving lines to another payer; each linked both ways to the claim it corrects."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.claim_drafts import claim_draft_of
from claims.corrections import (
    NOTHING_CHANGED,
    claim_rebill_lines,
    claim_replace,
    claim_split_lines,
    claim_void,
)
from claims.models import Claim, ClaimAttachment, ClaimEvent, ClaimStatus, FrequencyCode
from claims.services import next_payer_refusal
from denials.correction_views import claim_denied_line_ids
from tests.claims.correction_world import (  # noqa: F401 (fixtures)
    PAYER_CLAIM_NUMBER,
    adjudicated_claim,
    code_sets,
    draft_with,
    exported_837,
    remit,
    snapshot,
    two_line_claim,
)
from tests.factories import CoverageFactory, PatientFactory, PayerFactory

pytestmark = pytest.mark.usefixtures("code_sets")
S = ClaimStatus


def test_a_denied_claim_is_replaced_by_a_frequency_7_claim_naming_the_payers_number(
    biller, practice_a, tmp_path
):
    original = adjudicated_claim(practice_a)

    outcome = claim_replace(
        original=original, draft=draft_with(original, line=2, modifiers=("GP",)), user=biller
    )

    replacement = outcome.claim
    assert replacement.frequency_code == FrequencyCode.CORRECTED
    assert replacement.original_claim == original
    assert list(original.replacements.all()) == [replacement]
    assert replacement.control_number != original.control_number
    assert replacement.status == S.READY  # scrubbed
    assert outcome.changes == ["line 2 modifiers: none → GP"]
    original.refresh_from_db()
    assert original.status == S.CLOSED
    closing = ClaimEvent.objects.get(claim=original, to_status=S.CLOSED)
    assert closing.note == f"Replaced by claim {replacement.control_number}."
    assert next_payer_refusal(original) == (
        f"Claim {replacement.control_number} corrects this one: bill the next payer from it."
    )
    text = exported_837(replacement, tmp_path)
    assert f"CLM*{replacement.control_number}*280***11:B:7" in text
    assert f"REF*F8*{PAYER_CLAIM_NUMBER}~" in text
    assert text.count("LX*") == 2  # a replacement sends every line


def test_the_replacement_keeps_f8_after_the_payer_numbers_it(biller, practice_a, tmp_path):
    original = adjudicated_claim(practice_a, status=S.PAID)
    replacement = claim_replace(
        original=original, draft=draft_with(original, units=Decimal("2")), user=biller
    ).claim
    Claim.objects.filter(pk=replacement.pk).update(payer_claim_number="2026999000001")

    assert f"REF*F8*{PAYER_CLAIM_NUMBER}~" in exported_837(replacement, tmp_path)


def test_a_replacement_must_change_something(biller, practice_a):
    original = adjudicated_claim(practice_a)
    before = snapshot(original)

    with pytest.raises(ValidationError, match=NOTHING_CHANGED):
        claim_replace(original=original, draft=claim_draft_of(original), user=biller)

    assert snapshot(original) == before
    assert NOTHING_CHANGED == (
        "Nothing was changed: a corrected claim must differ from the claim it replaces."
    )


@pytest.mark.parametrize(
    ("status", "number", "message"),
    [
        (S.DENIED, "", "has no payer claim number"),
        (S.SUBMITTED, PAYER_CLAIM_NUMBER, "correct it once the payer has decided"),
        (S.APPEALED, PAYER_CLAIM_NUMBER, "correct it once the payer has decided"),
        (S.REJECTED, PAYER_CLAIM_NUMBER, "has not been adjudicated: edit it instead"),
    ],
)
def test_no_replacement_without_a_decision_or_the_payers_number(
    biller, practice_a, status, number, message
):
    original = adjudicated_claim(practice_a, status=status, payer_claim_number=number)
    before = snapshot(original)

    with pytest.raises(ValidationError, match=message):
        claim_replace(
            original=original, draft=draft_with(original, units=Decimal("2")), user=biller
        )
    if status != S.REJECTED:  # a rejected claim is simply voided (below)
        with pytest.raises(ValidationError, match=message):
            claim_void(claim=original, user=biller)

    assert snapshot(original) == before


def test_a_claim_is_corrected_once_then_its_correction_is(biller, practice_a):
    original = adjudicated_claim(practice_a)
    first = claim_replace(
        original=original, draft=draft_with(original, units=Decimal("2")), user=biller
    ).claim

    with pytest.raises(ValidationError, match=f"already corrected by claim {first.control_number}"):
        claim_void(claim=original, user=biller)

    # the replacement dropped before it went out: the (closed) original can be corrected again
    claim_void(claim=first, user=biller, reason="wrong units")
    again = claim_replace(
        original=original, draft=draft_with(original, units=Decimal("3")), user=biller
    ).claim
    assert again.original_claim == original
    assert ClaimEvent.objects.filter(claim=original, note__startswith="Replaced by").count() == 2


def test_a_void_sends_the_lines_as_originally_sent_with_frequency_8(biller, practice_a, tmp_path):
    original = adjudicated_claim(practice_a, status=S.PAID)

    void = claim_void(claim=original, user=biller, reason="billed under the wrong patient").claim

    assert void.frequency_code == FrequencyCode.VOID
    assert void.original_claim == original
    assert list(void.lines.values_list("procedure_code", "charge")) == list(
        original.lines.values_list("procedure_code", "charge")
    )
    assert list(void.diagnoses.values_list("code", flat=True)) == ["E119", "I10"]
    original.refresh_from_db()
    assert original.status == S.CLOSED
    assert "billed under the wrong patient" in void.events.first().note
    text = exported_837(void, tmp_path)
    assert f"CLM*{void.control_number}*280***11:B:8" in text
    assert f"REF*F8*{PAYER_CLAIM_NUMBER}~" in text


def test_a_claim_never_adjudicated_is_simply_voided(biller, practice_a):
    claim = two_line_claim(practice_a, status=S.REJECTED)

    outcome = claim_void(claim=claim, user=biller)

    assert outcome.claim.pk == claim.pk
    claim.refresh_from_db()
    assert claim.status == S.VOID
    assert Claim.objects.count() == 1


def test_only_the_denied_lines_are_billed_again_on_a_new_claim(biller, practice_a, tmp_path):
    original = adjudicated_claim(practice_a, status=S.PARTIALLY_PAID)
    remit(original, {1: Decimal("150.00")})  # line 2 (97110) paid nothing: denied
    denied = claim_denied_line_ids(original)
    assert denied == [original.lines.get(position=2).pk]

    rebill = claim_rebill_lines(original=original, line_ids=denied, user=biller).claim

    assert rebill.frequency_code == FrequencyCode.ORIGINAL
    assert rebill.original_claim == original
    assert list(rebill.lines.values_list("procedure_code", "diagnosis_pointers")) == [
        ("97110", [1])
    ]
    assert list(rebill.diagnoses.values_list("code", flat=True)) == ["I10"]  # only what it needs
    assert rebill.total_charge == Decimal("80.00")
    original.refresh_from_db()
    assert original.status == S.CLOSED
    text = exported_837(rebill, tmp_path)
    assert "REF*F8" not in text
    assert f"CLM*{rebill.control_number}*80***11:B:1" in text


def test_rebilling_every_line_is_no_change(biller, practice_a):
    original = adjudicated_claim(practice_a)
    before = snapshot(original)

    with pytest.raises(ValidationError, match=r"Nothing was changed.*replacement instead"):
        claim_rebill_lines(
            original=original, line_ids=list(original.lines.values_list("id", flat=True)),
            user=biller,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Choose one or more lines"):
        claim_rebill_lines(original=original, line_ids=[10**9], user=biller)

    assert snapshot(original) == before


@pytest.fixture
def second_coverage(practice_a):
    def make(claim):
        return CoverageFactory(
            patient=claim.patient, priority=2, payer=PayerFactory(name="Workers Comp Plan"),
            effective_date=datetime.date(2025, 1, 1),
        )  # fmt: skip

    return make


def test_lines_of_an_unsent_claim_move_to_another_payer(biller, practice_a, second_coverage):
    claim = two_line_claim(practice_a, status=S.READY)
    other = second_coverage(claim)
    moving = claim.lines.get(position=2)

    moved = claim_split_lines(
        claim=claim, line_ids=[moving.pk], coverage_id=other.pk, user=biller
    ).claim

    assert (moved.payer, moved.coverage, moved.original_claim) == (other.payer, other, claim)
    assert list(moved.lines.values_list("procedure_code", flat=True)) == ["97110"]
    claim.refresh_from_db()
    assert list(claim.lines.values_list("procedure_code", flat=True)) == ["99214"]
    assert claim.total_charge == Decimal("200.00")
    assert claim.status == S.READY  # edited, scrubbed again
    assert "line 2 removed: 97110" in ClaimEvent.objects.get(claim=claim, source="edit").note


def test_lines_a_payer_denied_as_not_its_own_go_to_the_other_payer(
    biller, practice_a, second_coverage, tmp_path
):
    claim = adjudicated_claim(practice_a)
    other = second_coverage(claim)

    moved = claim_split_lines(
        claim=claim, line_ids=list(claim.lines.values_list("id", flat=True)),
        coverage_id=other.pk, user=biller,
    ).claim  # fmt: skip

    claim.refresh_from_db()
    assert claim.status == S.CLOSED
    assert claim.lines.count() == 2  # what the payer decided on stays as it was
    assert moved.lines.count() == 2
    assert moved.payer == other.payer
    exported_837(moved, tmp_path)


def test_lines_move_only_to_another_payer_of_the_same_patient(biller, practice_a, second_coverage):
    claim = two_line_claim(practice_a)
    line = claim.lines.get(position=2)
    stranger = CoverageFactory(patient=PatientFactory(practice=practice_a))
    same_payer = CoverageFactory(patient=claim.patient, priority=2, payer=claim.payer)
    before = snapshot(claim)

    for coverage_id, message in (
        (stranger.pk, "Choose another coverage of this patient"),
        (same_payer.pk, "already billed to"),
    ):
        with pytest.raises(ValidationError, match=message):
            claim_split_lines(claim=claim, line_ids=[line.pk], coverage_id=coverage_id, user=biller)
    other = second_coverage(claim)
    with pytest.raises(ValidationError, match="Leave at least one line"):
        claim_split_lines(
            claim=claim, line_ids=list(claim.lines.values_list("id", flat=True)),
            coverage_id=other.pk, user=biller,
        )  # fmt: skip

    assert snapshot(claim) == before


# --- the pages -----------------------------------------------------------------------------------


def test_both_claim_pages_show_the_link(client, biller, practice_a):
    original = adjudicated_claim(practice_a)
    replacement = claim_replace(
        original=original, draft=draft_with(original, units=Decimal("2")), user=biller
    ).claim
    client.force_login(biller)

    page = client.get(reverse("claim-detail", args=[original.pk])).content.decode()
    assert (
        f'Corrected by <a href="/claims/{replacement.pk}/">claim {replacement.control_number}'
        in page
    )
    page = client.get(reverse("claim-detail", args=[replacement.pk])).content.decode()
    assert "Replacement (frequency 7) of" in page
    assert f"claim {original.control_number}</a> (payer claim # {PAYER_CLAIM_NUMBER})" in page


def test_the_correct_page_creates_the_replacement(client, biller, practice_a):
    original = adjudicated_claim(practice_a)
    client.force_login(biller)
    page = client.get(reverse("claim-correct", args=[original.pk]))
    assert page.status_code == 200
    assert b"Create the replacement" in page.content
    data = {
        "dx": ["E11.9", "I10"], "place_of_service": "11", "line-count": "2",
        **{f"line-{n}-{k}": v for n, line in enumerate(original.lines.all(), 1) for k, v in {
            "id": str(line.pk), "code": line.procedure_code, "units": "1",
            "ptr1": str(line.diagnosis_pointers[0]), "charge": str(line.charge),
            "date": "2026-10-01"}.items()},
    }  # fmt: skip

    unchanged = client.post(reverse("claim-correct", args=[original.pk]), data)
    assert unchanged.status_code == 400
    assert NOTHING_CHANGED in unchanged.content.decode()

    response = client.post(
        reverse("claim-correct", args=[original.pk]), data | {"line-1-mod1": "25"}, follow=True
    )
    replacement = original.replacements.get()
    assert response.redirect_chain[-1][0] == f"/claims/{replacement.pk}/"
    assert "Replacement claim created (frequency 7)" in response.content.decode()


def test_the_rebill_button_of_the_denials_side(client, biller, practice_a):
    original = adjudicated_claim(practice_a, status=S.PARTIALLY_PAID)
    remit(original, {1: Decimal("150.00")})
    client.force_login(biller)

    response = client.post(reverse("claim-rebill-denied", args=[original.pk]), follow=True)

    rebill = original.replacements.get()
    assert "created with the 1 denied line" in response.content.decode()
    assert rebill.lines.get().procedure_code == "97110"


def test_the_split_page(client, biller, practice_a, second_coverage):
    claim = two_line_claim(practice_a)
    other = second_coverage(claim)
    client.force_login(biller)
    assert b"Workers Comp Plan" in client.get(reverse("claim-split", args=[claim.pk])).content

    refused = client.post(
        reverse("claim-split", args=[claim.pk]), {"line": "\u0661", "coverage": "x"}
    )
    assert refused.status_code == 400
    line = claim.lines.get(position=2)
    client.post(reverse("claim-split", args=[claim.pk]), {"line": line.pk, "coverage": other.pk})
    assert claim.replacements.get().payer == other.payer


@pytest.mark.parametrize(
    ("name", "method"),
    [("claim-correct", "get"), ("claim-correct", "post"), ("claim-void", "post"),
     ("claim-split", "get"), ("claim-split", "post"), ("claim-rebill-denied", "post")],
)  # fmt: skip
def test_another_practice_gets_404_and_a_coder_403(
    client, biller_b, coder, practice_a, name, method
):
    original = adjudicated_claim(practice_a)
    before = snapshot(original)
    for user, status in ((biller_b, 404), (coder, 403)):
        client.force_login(user)
        response = getattr(client, method)(reverse(name, args=[original.pk]))
        assert response.status_code == status, (user, name)
    assert snapshot(original) == before


@pytest.mark.parametrize("reason", ["x\x00y", "a" * 501, "bell\x07"], ids=["nul", "long", "ctl"])
def test_a_hostile_void_reason_is_refused_and_voids_nothing(client, biller, practice_a, reason):
    original = adjudicated_claim(practice_a)
    before = snapshot(original)
    client.force_login(biller)

    response = client.post(reverse("claim-void", args=[original.pk]), {"reason": reason})

    assert response.status_code == 400
    assert response.content
    assert snapshot(original) == before


def test_a_hostile_replacement_is_refused_and_creates_nothing(client, biller, practice_a):
    original = adjudicated_claim(practice_a)
    before = snapshot(original)
    client.force_login(biller)

    response = client.post(
        reverse("claim-correct", args=[original.pk]),
        {"dx": ["E11.9"], "line-count": "1", "line-1-code": "99214", "line-1-charge": "1e400",
         "line-1-date": "9999-99-99", "place_of_service": "11"},
    )  # fmt: skip

    assert response.status_code == 400
    assert "is not an amount" in response.content.decode()
    assert snapshot(original) == before


def test_lines_moved_to_another_payer_do_not_block_correcting_the_claim_later(
    biller, practice_a, second_coverage
):
    claim = two_line_claim(practice_a, payer_claim_number=PAYER_CLAIM_NUMBER)
    other = second_coverage(claim)
    moved = claim_split_lines(
        claim=claim, line_ids=[claim.lines.get(position=2).pk], coverage_id=other.pk, user=biller
    ).claim
    assert ClaimEvent.objects.filter(
        claim=claim, note=f"Lines moved to Workers Comp Plan on claim {moved.control_number}."
    ).exists()
    Claim.objects.filter(pk=claim.pk).update(status=S.DENIED)  # what the payer then decided
    claim.refresh_from_db()

    replacement = claim_replace(
        original=claim, draft=draft_with(claim, units=Decimal("2")), user=biller
    ).claim

    assert set(claim.replacements.all()) == {moved, replacement}
    assert next_payer_refusal(claim) == (
        f"Claim {replacement.control_number} corrects this one: bill the next payer from it."
    )


@pytest.mark.parametrize(
    ("status", "offered"),
    [(S.DENIED, True), (S.PARTIALLY_PAID, True), (S.PAID, False), (S.CLOSED, False)],
)
def test_rebill_the_denied_lines_is_offered_only_when_something_was_denied(
    client, biller, practice_a, status, offered
):
    claim = adjudicated_claim(practice_a)
    Claim.objects.filter(pk=claim.pk).update(status=status)
    client.force_login(biller)

    page = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()

    assert ("Rebill the denied lines" in page) is offered


def test_a_replacement_carries_the_attachments_and_a_void_does_not(biller, practice_a, tmp_path):
    original = adjudicated_claim(practice_a)
    ClaimAttachment.objects.create(
        claim=original, report_type="PN", transmission="FX", control_number="FAX-3"
    )

    replacement = claim_replace(
        original=original, draft=draft_with(original, units=Decimal("2")), user=biller
    ).claim

    carried = replacement.attachments.values_list("report_type", "transmission", "control_number")
    assert list(carried) == [("PN", "FX", "FAX-3")]
    assert "PWK*PN*FX***AC*FAX-3~" in exported_837(replacement, tmp_path)
    voided = adjudicated_claim(practice_a, status=S.PAID)
    ClaimAttachment.objects.create(claim=voided, report_type="OZ", transmission="AA")
    void = claim_void(claim=voided, user=biller, reason="Billed in error.").claim
    assert void.frequency_code == FrequencyCode.VOID and not void.attachments.exists()
