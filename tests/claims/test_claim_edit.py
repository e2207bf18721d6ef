"""Editing a claim before the payer adjudicated it: validated, recorded, scrubbed again."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.claim_drafts import LineDraft, claim_draft_of
from claims.corrections import claim_edit
from claims.models import ClaimEvent, ClaimStatus, FrequencyCode
from tests.claims.correction_world import (  # noqa: F401 (fixtures)
    SERVICE_DATE,
    code_sets,
    draft_with,
    exported_837,
    snapshot,
    two_line_claim,
)

pytestmark = pytest.mark.usefixtures("code_sets")


def test_an_edit_records_old_and_new_and_scrubs_the_claim_ready(biller, practice_a):
    claim = two_line_claim(practice_a)
    draft = draft_with(claim, line=1, units=Decimal("2"), modifiers=("25",))
    draft = replace(draft, diagnoses=(*draft.diagnoses, "Z794"), place_of_service="22")

    outcome = claim_edit(claim=claim, draft=draft, user=biller)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY
    assert not outcome.held
    assert list(claim.diagnoses.values_list("code", flat=True)) == ["E119", "I10", "Z794"]
    line = claim.lines.get(position=1)
    assert (line.units, line.modifiers, claim.place_of_service) == (Decimal("2"), ["25"], "22")
    edit = ClaimEvent.objects.get(claim=claim, source="edit")
    assert edit.user == biller
    assert edit.note == (
        "Edited: diagnoses: E119, I10 → E119, I10, Z794; place of service: 11 → 22; "
        "line 1 modifiers: none → 25; line 1 units: 1 → 2."
    )
    assert outcome.changes[0] == "diagnoses: E119, I10 → E119, I10, Z794"


def test_a_ready_claim_goes_back_to_draft_then_is_scrubbed_again(biller, practice_a):
    claim = two_line_claim(practice_a, status=ClaimStatus.READY)

    claim_edit(claim=claim, draft=draft_with(claim, charge=Decimal("210.00")), user=biller)

    moves = list(ClaimEvent.objects.filter(claim=claim).values_list("from_status", "to_status"))
    assert moves == [(ClaimStatus.READY, ClaimStatus.DRAFT), (ClaimStatus.DRAFT, ClaimStatus.READY)]
    claim.refresh_from_db()
    assert claim.total_charge == Decimal("290.00")
    assert "line 1 charge: 200 → 210" in ClaimEvent.objects.filter(claim=claim).first().note


def test_a_rejected_claim_is_fixed_and_goes_again_as_the_same_original(
    biller, practice_a, tmp_path
):
    claim = two_line_claim(practice_a, status=ClaimStatus.REJECTED)
    control_number = claim.control_number

    claim_edit(claim=claim, draft=draft_with(claim, line=2, modifiers=("GP",)), user=biller)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY
    assert (claim.control_number, claim.frequency_code) == (control_number, FrequencyCode.ORIGINAL)
    reopened = ClaimEvent.objects.get(claim=claim, from_status=ClaimStatus.REJECTED)
    assert "Corrected after the rejection" in reopened.note
    text = exported_837(claim, tmp_path)
    assert f"CLM*{control_number}*280***11:B:1" in text
    assert "REF*F8" not in text
    assert "SV1*HC:97110:GP*80" in text


def test_lines_can_be_removed_added_and_reordered(biller, practice_a):
    claim = two_line_claim(practice_a)
    _first, second = claim_draft_of(claim).lines
    added = LineDraft(
        procedure_code="20610", modifiers=(), units=Decimal("1"), diagnosis_pointers=(1,),
        charge=Decimal("95.50"), service_date=SERVICE_DATE,
    )  # fmt: skip
    draft = replace(claim_draft_of(claim), lines=(second, added))

    outcome = claim_edit(claim=claim, draft=draft, user=biller)

    lines = list(claim.lines.order_by("position"))
    assert [(line.position, line.procedure_code) for line in lines] == [(1, "97110"), (2, "20610")]
    assert lines[0].pk == second.line_id  # kept, with its line control number
    assert lines[0].control_number == f"{claim.control_number}-2"
    assert lines[1].control_number == f"{claim.control_number}-3"  # never reused
    assert "line 2 added: 20610 x 1 $95.50" in outcome.changes
    assert "line 1 removed: 99214 x 1 $200.00" in outcome.changes
    claim.refresh_from_db()
    assert claim.total_charge == Decimal("175.50")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"diagnoses": ("Z9999",)}, "Z99.99 is not a valid ICD-10-CM code on 10/01/2026"),
        ({"diagnoses": ("E11",)}, "E11 is a category, not a billable code"),
        ({"diagnoses": ("E119", "E119")}, "E119 is listed twice"),
        ({"diagnoses": ()}, "at least one diagnosis"),
        ({"place_of_service": "1"}, "two-digit code"),
        ({"note": "see~ISA"}, "may not contain"),
        ({"prior_authorization": "A" * 51}, "at most 50 characters"),
        ({"lines": ()}, "at least one service line"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_claim_level_mistakes_are_refused_and_change_nothing(biller, practice_a, change, message):
    claim = two_line_claim(practice_a)
    before = snapshot(claim)

    with pytest.raises(ValidationError, match=message):
        claim_edit(claim=claim, draft=replace(claim_draft_of(claim), **change), user=biller)

    assert snapshot(claim) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"procedure_code": "99999"}, r"99999 is not in the CPT code set in force on 10/01/2026"),
        ({"procedure_code": "ABC"}, "is not a CPT or HCPCS code"),
        ({"diagnosis_pointers": (3,)}, "pointer 3 is past the 2 diagnoses"),
        ({"diagnosis_pointers": ()}, "point at 1 to 4 diagnoses"),
        ({"diagnosis_pointers": (1, 1)}, "pointer is repeated"),
        ({"charge": Decimal("0")}, r"more than \$0.00"),
        ({"charge": Decimal("1000000")}, r"at most \$999,999.99"),
        ({"charge": Decimal("10.001")}, "to the cent"),
        ({"units": Decimal("0")}, "units are between 0.01"),
        ({"modifiers": ("G",)}, "'G' is not a modifier"),
        ({"modifiers": ("25", "59", "76", "77", "GP")}, "at most 4 modifiers"),
        ({"service_date": datetime.date(2099, 1, 1)}, "must be between 10/01/2015 and today"),
        ({"line_id": 10**9}, "not a line of this claim"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_line_mistakes_are_refused_and_change_nothing(biller, practice_a, change, message):
    claim = two_line_claim(practice_a, status=ClaimStatus.READY)
    before = snapshot(claim)

    with pytest.raises(ValidationError, match=message):
        claim_edit(claim=claim, draft=draft_with(claim, **change), user=biller)

    assert snapshot(claim) == before


@pytest.mark.parametrize(
    "status", [ClaimStatus.DENIED, ClaimStatus.PAID, ClaimStatus.SUBMITTED, ClaimStatus.VOID]
)
def test_a_claim_past_the_payers_door_is_not_edited(biller, practice_a, status):
    claim = two_line_claim(practice_a, status=status)
    before = snapshot(claim)

    with pytest.raises(ValidationError, match=r"it cannot be edited|can be edited before"):
        claim_edit(claim=claim, draft=draft_with(claim, units=Decimal("2")), user=biller)

    assert snapshot(claim) == before


# --- the page ------------------------------------------------------------------------------------


def _posted(claim, **overrides):
    """The edit form as the page fills it, with `overrides` typed over it."""
    data = {"dx": ["E11.9", "I10"], "place_of_service": "11", "prior_authorization": "",
            "note": "", "line-count": "3"}  # fmt: skip
    for n, line in enumerate(claim.lines.order_by("position"), start=1):
        data |= {
            f"line-{n}-id": str(line.pk), f"line-{n}-code": line.procedure_code,
            f"line-{n}-units": "1", f"line-{n}-ptr1": str(line.diagnosis_pointers[0]),
            f"line-{n}-charge": f"{line.charge}", f"line-{n}-date": "2026-10-01",
        }  # fmt: skip
    return data | overrides


def test_the_page_edits_a_claim_and_says_it_is_ready(client, biller, practice_a):
    claim = two_line_claim(practice_a)
    client.force_login(biller)

    page = client.get(reverse("claim-edit", args=[claim.pk]))
    assert page.status_code == 200
    assert b'name="line-1-code" value="99214"' in page.content
    assert b'value="E11.9"' in page.content
    assert b'name="line-1-date" value="2026-10-01"' in page.content

    response = client.post(
        reverse("claim-edit", args=[claim.pk]),
        _posted(
            claim,
            **{
                # An E/M beside a minor procedure needs 25, or the real scrubber holds it.
                "line-1-mod1": "25",
                "line-2-mod1": "gp",
                "line-3-code": "20610",
                "line-3-charge": "50",
                "line-3-ptr1": "1",
                "line-3-date": "2026-10-01",
            },
        ),
        follow=True,
    )

    assert response.status_code == 200
    assert f"Claim {claim.control_number} is ready" in response.content.decode()
    assert claim.lines.get(position=2).modifiers == ["GP"]
    assert claim.lines.get(position=3).procedure_code == "20610"


@pytest.mark.parametrize(
    "hostile",
    [
        {
            "line-1-charge": "\u0661\u0662\u0663"
        },  # Arabic-Indic digits: Decimal reads them, we do not
        {"line-1-charge": "NaN"},
        {"line-1-charge": "1e400"},
        {"line-1-units": "-1"},
        {"line-1-date": "2026-02-30"},
        {"line-1-date": "0001-01-01"},
        {"line-1-code": "99\x0013"},
        {"note": "x" * 100_000},
        {"dx": ["E11.9\x00"]},
        {"line-1-ptr1": "²"},
        {"line-1-id": "999999999"},
        {"place_of_service": "\u0661\u0661"},
    ],
    ids=lambda value: repr(value)[:25],
)
def test_hostile_input_is_refused_with_a_message_and_changes_nothing(
    client, biller, practice_a, hostile
):
    claim = two_line_claim(practice_a)
    before = snapshot(claim)
    client.force_login(biller)

    response = client.post(reverse("claim-edit", args=[claim.pk]), _posted(claim, **hostile))

    assert response.status_code == 400
    # NUL bytes are refused by a middleware before any view, with its own message.
    assert b'data-testid="form-error"' in response.content or b"NUL" in response.content
    assert snapshot(claim) == before


def test_another_practices_claim_is_404_and_a_coder_403(client, biller_b, coder, practice_a):
    claim = two_line_claim(practice_a)
    before = snapshot(claim)
    for user, status in ((biller_b, 404), (coder, 403)):
        client.force_login(user)
        assert client.get(reverse("claim-edit", args=[claim.pk])).status_code == status
        response = client.post(reverse("claim-edit", args=[claim.pk]), _posted(claim))
        assert response.status_code == status
    assert snapshot(claim) == before


def test_an_adjudicated_claims_edit_page_points_to_the_correction(client, biller, practice_a):
    claim = two_line_claim(practice_a, status=ClaimStatus.DENIED)
    client.force_login(biller)

    response = client.get(reverse("claim-edit", args=[claim.pk]), follow=True)

    assert "Correct it as a replacement, or void it." in response.content.decode()
