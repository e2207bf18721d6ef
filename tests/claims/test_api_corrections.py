"""Claims API: edit, correct, rebill the denied lines, split to another payer, override a
warning; the same services as the claim page, refusals as {field: [messages]} changing nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims.corrections import NOTHING_CHANGED, NOTHING_FIXED
from claims.models import Claim, ClaimEdit, ClaimEvent, ClaimStatus, FrequencyCode
from tests.claims.correction_world import (  # noqa: F401 (fixtures)
    PAYER_CLAIM_NUMBER,
    adjudicated_claim,
    code_sets,
    exported_837,
    remit,
    snapshot,
    two_line_claim,
)
from tests.factories import CoverageFactory, PatientFactory, PayerFactory

pytestmark = pytest.mark.usefixtures("code_sets")
S = ClaimStatus


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def post(user, name, claim, body=None, *extra):
    return api_for(user).post(reverse(name, args=[claim.pk, *extra]), body, format="json")


def post_raw(user, name, claim, text):
    """A body sent as typed: JSON no serializer would write (1e400, deep nesting)."""
    return api_for(user).post(reverse(name, args=[claim.pk]), text, content_type="application/json")


def line_ids(claim):
    return list(claim.lines.order_by("position").values_list("id", flat=True))


@pytest.fixture
def second_coverage(practice_a):
    def make(claim):
        return CoverageFactory(
            patient=claim.patient, priority=2, payer=PayerFactory(name="Workers Comp Plan"),
            effective_date=claim.coverage.effective_date,
        )  # fmt: skip

    return make


# --- edit ----------------------------------------------------------------------------------------


def test_an_edit_changes_what_it_names_and_scrubs_the_claim_again(biller, practice_a):
    claim = two_line_claim(practice_a, status=S.READY)
    first, second = line_ids(claim)

    response = post(biller, "api-claim-edit", claim, {
        "diagnoses": ["E11.9", "I10", "Z79.4"],
        "lines": [
            {"id": first, "modifiers": ["25"]},  # the rest of the line stays as it is
            {"id": second, "modifiers": ["gp"], "units": "2"},
            {"procedure_code": "20610", "charge": "50", "diagnosis_pointers": [1],
             "service_date": "2026-10-01"},
        ],
    })  # fmt: skip

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == S.READY
    assert body["held"] is False
    assert body["total_charge"] == "330.00"
    assert "line 2 modifiers: none → GP" in body["changes"]
    assert "line 3 added: 20610 x 1 $50" in body["changes"]
    assert all(set(edit) >= {"id", "edit", "severity", "open"} for edit in body["edits"])
    lines = list(claim.lines.order_by("position").values_list("procedure_code", "modifiers"))
    assert lines == [("99214", ["25"]), ("97110", ["GP"]), ("20610", [])]
    assert list(claim.diagnoses.values_list("code", flat=True)) == ["E119", "I10", "Z794"]
    assert ClaimEvent.objects.get(claim=claim, source="edit").user == biller


def test_a_line_left_out_is_removed(biller, practice_a):
    claim = two_line_claim(practice_a)
    _first, second = line_ids(claim)

    response = post(biller, "api-claim-edit", claim, {"lines": [{"id": second}]})

    assert response.status_code == 200, response.json()
    assert list(claim.lines.values_list("procedure_code", flat=True)) == ["97110"]
    assert "line 1 removed: 99214 x 1 $200.00" in response.json()["changes"]


def test_a_rejected_claim_edited_goes_again_as_the_same_original(biller, practice_a, tmp_path):
    claim = two_line_claim(practice_a, status=S.REJECTED)
    first, second = line_ids(claim)

    response = post(biller, "api-claim-edit", claim, {"lines": [
        {"id": first}, {"id": second, "modifiers": ["GP"]},
    ]})  # fmt: skip

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == claim.pk
    claim.refresh_from_db()
    assert (claim.status, claim.frequency_code) == (S.READY, FrequencyCode.ORIGINAL)
    text = exported_837(claim, tmp_path)
    assert f"CLM*{claim.control_number}*280***11:B:1" in text
    assert "REF*F8" not in text


def test_an_edit_without_a_change_scrubs_again_as_the_page_does(biller, practice_a):
    claim = two_line_claim(practice_a)

    response = post(biller, "api-claim-edit", claim, {})

    assert response.status_code == 200, response.json()
    assert response.json()["changes"] == []
    assert (
        ClaimEvent.objects.get(claim=claim, source="edit").note
        == "Saved with no change to the claim; scrubbed again."
    )
    assert ClaimEvent.objects.filter(claim=claim, source="scrubber").exists()


def test_an_adjudicated_claim_is_not_edited(biller, practice_a):
    claim = adjudicated_claim(practice_a)
    before = snapshot(claim)

    response = post(biller, "api-claim-edit", claim, {"note": "Fixed"})

    assert response.status_code == 400
    assert "Correct it as a replacement, or void it." in response.json()["non_field_errors"][0]
    assert snapshot(claim) == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"diagnoses": ["Z99.99"]}, "diagnoses", "Z99.99 is not a valid ICD-10-CM code"),
        ({"diagnoses": ["E11"]}, "diagnoses", "is a category, not a billable code"),
        ({"diagnoses": []}, "diagnoses", "at least one diagnosis"),
        ({"place_of_service": "1"}, "place_of_service", "two-digit code"),
        ({"prior_authorization": "A" * 51}, "prior_authorization", "at most 50 characters"),
        ({"lines": []}, "lines", "at least one service line"),
        ({"lines": [{"procedure_code": "99999", "charge": "10", "diagnosis_pointers": [1],
                     "service_date": "2026-10-01"}]}, "lines", "not in the CPT code set"),
        ({"lines": [{"procedure_code": "99213", "charge": "10", "diagnosis_pointers": [3],
                     "service_date": "2026-10-01"}]}, "lines", "past the 2 diagnoses"),
        ({"lines": [{"procedure_code": "99213", "charge": "abc", "diagnosis_pointers": [1],
                     "service_date": "2026-10-01"}]}, "lines", "is not an amount like 125.00"),
        ({"lines": [{"charge": "10"}]}, "lines", "procedure_code is required"),
        ({"lines": [{"id": 10**9}]}, "lines", "is not a line of this claim"),
        ({"colour": "red"}, "colour", "Unknown field"),
    ],
    ids=lambda value: str(value)[:40],
)  # fmt: skip
def test_a_mistake_is_a_400_naming_its_field_and_changes_nothing(
    biller, practice_a, body, field, message
):
    claim = two_line_claim(practice_a)
    before = snapshot(claim)

    response = post(biller, "api-claim-edit", claim, body)

    assert response.status_code == 400
    assert message in " ".join(response.json()[field]), response.json()
    assert snapshot(claim) == before


def test_every_line_at_fault_is_named(biller, practice_a):
    claim = two_line_claim(practice_a)
    first, _second = line_ids(claim)
    before = snapshot(claim)

    response = post(biller, "api-claim-edit", claim, {"lines": [
        {"id": "one"}, {"id": first, "charge": "12.5.0"}, {"procedure_code": "99213"},
    ]})  # fmt: skip

    assert response.status_code == 400
    messages = response.json()["lines"]
    assert [message.split(" ", 2)[1].rstrip(":") for message in messages][:3] == ["1", "2", "3"]
    assert snapshot(claim) == before


HOSTILE_EDITS = [
    {"note": "see\x00ISA"},
    {"note": "see~ISA*00"},
    {"note": "a:b"},
    {"prior_authorization": "A^B"},
    {"note": "x" * 100_000},
    {"diagnoses": ["E11.9\x00"]},
    {"diagnoses": [["E11.9"]]},
    {"diagnoses": "E11.9"},
    {"diagnoses": ["E11.9"] * 13},
    {"place_of_service": "\u0661\u0661"},
    {"place_of_service": None},
    {"lines": [{"id": "\u0663"}]},
    {"lines": [{"id": True}]},
    {"lines": [{"id": 10**30}]},
    {"lines": "all"},
    {"lines": ["99213"]},
    {"lines": [{"procedure_code": "99\x0013"}]},
    {"lines": [{"procedure_code": "99213*HC"}]},
    {"lines": [{"procedure_code": "99213", "charge": "\u0661\u0662\u0663",
                "diagnosis_pointers": [1], "service_date": "2026-10-01"}]},
    {"lines": [{"procedure_code": "99213", "charge": 10**30, "diagnosis_pointers": [1],
                "service_date": "2026-10-01"}]},
    {"lines": [{"procedure_code": "99213", "charge": True, "diagnosis_pointers": [1],
                "service_date": "2026-10-01"}]},
    {"lines": [{"procedure_code": "99213", "charge": "10", "units": "\u00b2",
                "diagnosis_pointers": [1], "service_date": "2026-10-01"}]},
    {"lines": [{"procedure_code": "99213", "charge": "10", "diagnosis_pointers": ["\u0661"],
                "service_date": "2026-10-01"}]},
    {"lines": [{"procedure_code": "99213", "charge": "10", "diagnosis_pointers": [10**30],
                "service_date": "2026-10-01"}]},
    {"lines": [{"procedure_code": "99213", "charge": "10", "diagnosis_pointers": [1],
                "service_date": "2026-02-30"}]},
    {"lines": [{"procedure_code": "99213", "modifiers": ["25", "59", "GP", "XU", "76"],
                "charge": "10", "diagnosis_pointers": [1], "service_date": "2026-10-01"}]},
    {"lines": [{"procedure_code": "99213", "charge": "10", "diagnosis_pointers": [1],
                "service_date": "2026-10-01"}] * 51},
    [1, 2, 3],
]  # fmt: skip
RAW_HOSTILE = [
    '{"lines": [{"procedure_code": "99213", "charge": 1e400, "diagnosis_pointers": [1], '
    '"service_date": "2026-10-01"}]}',
    '{"note": NaN}',
    '{"lines": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"note": "' + "\\u0000" + '"}',
    '{"a":' * 40 + "1" + "}" * 40,
    '{"lines": [{"charge": ' + "9" * 5000 + "}]}",
    "not json",
]


@pytest.mark.parametrize("name", ["api-claim-edit", "api-claim-correct"])
@pytest.mark.parametrize("body", HOSTILE_EDITS, ids=lambda value: repr(value)[:30])
def test_hostile_input_is_a_400_and_changes_nothing(biller, practice_a, name, body):
    claim = (
        adjudicated_claim(practice_a) if name == "api-claim-correct" else two_line_claim(practice_a)
    )
    before = snapshot(claim)

    response = post(biller, name, claim, body)

    assert response.status_code == 400
    assert isinstance(response.json(), dict) and response.json()
    assert snapshot(claim) == before


@pytest.mark.parametrize("text", RAW_HOSTILE, ids=lambda value: value[:25])
def test_hostile_json_is_a_400_and_changes_nothing(biller, practice_a, text):
    claim = two_line_claim(practice_a)
    before = snapshot(claim)

    response = post_raw(biller, "api-claim-edit", claim, text)

    assert response.status_code == 400
    assert response.json()
    assert snapshot(claim) == before


# --- correct -------------------------------------------------------------------------------------


def test_correcting_an_adjudicated_claim_creates_the_replacement(biller, practice_a, tmp_path):
    original = adjudicated_claim(practice_a)
    first, second = line_ids(original)
    unchanged = snapshot(original)

    nothing = post(biller, "api-claim-correct", original, {})
    assert nothing.status_code == 400
    assert nothing.json() == {"non_field_errors": [NOTHING_CHANGED]}
    assert snapshot(original) == unchanged

    response = post(biller, "api-claim-correct", original, {"lines": [
        {"id": first}, {"id": second, "modifiers": ["GP"]},
    ]})  # fmt: skip

    assert response.status_code == 201, response.json()
    replacement = Claim.objects.get(pk=response.json()["id"])
    assert replacement.original_claim == original
    assert replacement.frequency_code == FrequencyCode.CORRECTED
    assert response.json()["frequency_code"] == "7"
    assert response.json()["changes"] == ["line 2 modifiers: none → GP"]
    original.refresh_from_db()
    assert original.status == S.CLOSED
    text = exported_837(replacement, tmp_path)
    assert f"CLM*{replacement.control_number}*280***11:B:7" in text
    assert f"REF*F8*{PAYER_CLAIM_NUMBER}~" in text
    assert "SV1*HC:97110:GP*80" in text


def test_correcting_a_rejected_claim_sends_it_again_as_the_same_original(
    biller, practice_a, tmp_path
):
    claim = two_line_claim(practice_a, status=S.REJECTED)
    before = snapshot(claim)

    nothing = post(biller, "api-claim-correct", claim, {})
    assert nothing.status_code == 400
    assert nothing.json() == {"non_field_errors": [NOTHING_FIXED]}
    assert snapshot(claim) == before

    response = post(biller, "api-claim-correct", claim, {"place_of_service": "22"})

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == claim.pk
    claim.refresh_from_db()
    assert (claim.status, claim.frequency_code) == (S.READY, FrequencyCode.ORIGINAL)
    assert Claim.objects.count() == 1
    reopened = ClaimEvent.objects.get(claim=claim, from_status=S.REJECTED)
    assert "Corrected after the rejection" in reopened.note
    text = exported_837(claim, tmp_path)
    assert f"CLM*{claim.control_number}*280***22:B:1" in text
    assert "REF*F8" not in text


@pytest.mark.parametrize(
    ("status", "number", "message"),
    [
        (S.READY, PAYER_CLAIM_NUMBER, "has not been adjudicated: edit it instead"),
        (S.SUBMITTED, PAYER_CLAIM_NUMBER, "correct it once the payer has decided"),
        (S.DENIED, "", "has no payer claim number"),
    ],
)
def test_a_claim_that_cannot_be_corrected_now_is_refused(
    biller, practice_a, status, number, message
):
    claim = two_line_claim(practice_a, status=status, payer_claim_number=number)
    before = snapshot(claim)

    response = post(biller, "api-claim-correct", claim, {"place_of_service": "22"})

    assert response.status_code == 400
    assert message in response.json()["non_field_errors"][0]
    assert snapshot(claim) == before


# --- rebill the denied lines ---------------------------------------------------------------------


def test_the_denied_lines_are_billed_again_on_a_new_claim(biller, practice_a, tmp_path):
    original = adjudicated_claim(practice_a, status=S.PARTIALLY_PAID)
    remit(original, {1: Decimal("150.00")})

    response = post(biller, "api-claim-rebill-denied", original)

    assert response.status_code == 201, response.json()
    rebill = Claim.objects.get(pk=response.json()["id"])
    assert (rebill.original_claim, rebill.frequency_code) == (original, FrequencyCode.ORIGINAL)
    assert list(rebill.lines.values_list("procedure_code", flat=True)) == ["97110"]
    assert list(rebill.diagnoses.values_list("code", flat=True)) == ["I10"]
    original.refresh_from_db()
    assert original.status == S.CLOSED
    text = exported_837(rebill, tmp_path)
    assert f"CLM*{rebill.control_number}*80***11:B:1" in text
    assert "REF*F8" not in text


@pytest.mark.parametrize(
    ("status", "paid", "message"),
    [
        (S.PAID, {1: Decimal("150.00")}, "only a denied or partially paid claim"),
        (S.SUBMITTED, {}, "only a denied or partially paid claim"),
        (S.DENIED, None, "No line of this claim was denied"),
    ],
)
def test_rebilling_is_only_for_lines_a_remittance_denied(biller, practice_a, status, paid, message):
    original = adjudicated_claim(practice_a, status=status)
    if paid is not None:
        remit(original, paid)
    before = snapshot(original)

    response = post(biller, "api-claim-rebill-denied", original)

    assert response.status_code == 400
    assert message in response.json()["non_field_errors"][0]
    assert snapshot(original) == before


# --- split to another payer ----------------------------------------------------------------------


def test_lines_of_an_unsent_claim_move_to_another_payer(
    biller, practice_a, second_coverage, tmp_path
):
    claim = two_line_claim(practice_a, status=S.READY)
    other = second_coverage(claim)
    _first, second = line_ids(claim)

    response = post(biller, "api-claim-split", claim, {"lines": [second], "coverage": other.pk})

    assert response.status_code == 201, response.json()
    moved = Claim.objects.get(pk=response.json()["id"])
    assert (moved.payer, moved.original_claim) == (other.payer, claim)
    assert response.json()["payer"] == "Workers Comp Plan"
    assert list(moved.lines.values_list("procedure_code", flat=True)) == ["97110"]
    claim.refresh_from_db()
    assert list(claim.lines.values_list("procedure_code", flat=True)) == ["99214"]
    assert claim.status == S.READY
    exported_837(moved, tmp_path)
    exported_837(claim, tmp_path)


def test_lines_a_payer_denied_as_not_its_own_go_to_the_other_payer(
    biller, practice_a, second_coverage, tmp_path
):
    claim = adjudicated_claim(practice_a)
    other = second_coverage(claim)

    response = post(
        biller, "api-claim-split", claim, {"lines": line_ids(claim), "coverage": str(other.pk)}
    )

    assert response.status_code == 201, response.json()
    moved = Claim.objects.get(pk=response.json()["id"])
    assert moved.lines.count() == 2
    claim.refresh_from_db()
    assert claim.status == S.CLOSED
    text = exported_837(moved, tmp_path)
    assert f"CLM*{moved.control_number}*280***11:B:1" in text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "lines"),
        ({"lines": [], "coverage": "other"}, "lines"),
        ({"lines": ["\u0663"], "coverage": "other"}, "lines"),
        ({"lines": [True], "coverage": "other"}, "lines"),
        ({"lines": [10**30], "coverage": "other"}, "lines"),
        ({"lines": [1.5], "coverage": "other"}, "lines"),
        ({"lines": "second", "coverage": "other"}, "lines"),
        ({"lines": [[["second"]]], "coverage": "other"}, "lines"),
        ({"lines": ["second"], "coverage": "\u0661"}, "coverage"),
        ({"lines": ["second"], "coverage": 10**30}, "coverage"),
        ({"lines": ["second"], "coverage": "1*2~"}, "coverage"),
        ({"lines": ["second"], "coverage": None}, "coverage"),
        ({"lines": ["second"], "coverage": "stranger"}, "non_field_errors"),
        ({"lines": ["second"], "coverage": "same_payer"}, "non_field_errors"),
        ({"lines": [10**9], "coverage": "other"}, "non_field_errors"),
        ({"lines": ["first", "second"], "coverage": "other"}, "non_field_errors"),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_a_refused_split_is_a_400_naming_its_field_and_moves_nothing(
    biller, practice_a, second_coverage, body, field
):
    claim = two_line_claim(practice_a)
    first, second = line_ids(claim)
    named = {
        "first": first, "second": second, "other": second_coverage(claim).pk,
        "stranger": CoverageFactory(patient=PatientFactory(practice=practice_a)).pk,
        "same_payer": CoverageFactory(patient=claim.patient, priority=3, payer=claim.payer).pk,
    }  # fmt: skip

    def filled(value):
        if isinstance(value, list):
            return [filled(item) for item in value]
        return named.get(value, value) if isinstance(value, str) else value

    before = snapshot(claim)

    response = post(biller, "api-claim-split", claim, {k: filled(v) for k, v in body.items()})

    assert response.status_code == 400
    assert response.json()[field], response.json()
    assert snapshot(claim) == before


# --- override a warning --------------------------------------------------------------------------


def finding(claim, severity="warning"):
    return ClaimEdit.objects.create(
        claim=claim, edit="timely_filing.near", severity=severity, message="Send it soon."
    )


def test_a_warning_is_overridden_with_a_reason_kept_on_the_timeline(biller, practice_a):
    claim = two_line_claim(practice_a, status=S.READY)
    warning = finding(claim)

    response = post(
        biller, "api-claim-edit-override", claim, {"reason": "Payer extended: ticket 4411"},
        warning.pk,
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    assert response.json()["open"] is False
    assert response.json()["override_reason"] == "Payer extended: ticket 4411"
    event = ClaimEvent.objects.get(claim=claim, source="override")
    assert event.user == biller
    assert event.note.endswith("Reason: Payer extended: ticket 4411")
    detail = api_for(biller).get(reverse("api-claim-detail", args=[claim.pk])).json()
    assert [(e["id"], e["open"]) for e in detail["edits"]] == [(warning.pk, False)]
    assert detail["timeline"][-1]["kind"]

    again = post(biller, "api-claim-edit-override", claim, {"reason": "Again"}, warning.pk)
    assert again.status_code == 400
    assert "already overridden" in again.json()["non_field_errors"][0]


def _override_state(claim):
    rows = ClaimEdit.objects.filter(claim=claim).values_list("overridden_at", "override_reason")
    return list(rows), snapshot(claim)


def test_an_error_cannot_be_overridden(biller, practice_a):
    claim = two_line_claim(practice_a)
    error = finding(claim, severity="error")
    before = _override_state(claim)

    response = post(biller, "api-claim-edit-override", claim, {"reason": "Trust me"}, error.pk)

    assert response.status_code == 400
    assert "An error cannot be overridden" in response.json()["non_field_errors"][0]
    assert _override_state(claim) == before


@pytest.mark.parametrize(
    "body",
    [{}, {"reason": "   "}, {"reason": "bell\x07"}, {"reason": "x" * 10_000},
     {"reason": ["why"]}, {"reason": 12}, {"reason": {"a": {"b": "c"}}}, [1]],
    ids=lambda value: repr(value)[:25],
)  # fmt: skip
def test_a_hostile_reason_is_a_400_and_overrides_nothing(biller, practice_a, body):
    claim = two_line_claim(practice_a)
    warning = finding(claim)
    before = _override_state(claim)

    response = post(biller, "api-claim-edit-override", claim, body, warning.pk)

    assert response.status_code == 400
    assert response.json()
    assert _override_state(claim) == before


def test_a_reason_with_x12_delimiters_is_kept_as_typed_never_sent(biller, practice_a):
    # The reason is the timeline's, never an 837's: like the page, the API keeps it as typed.
    claim = two_line_claim(practice_a)
    warning = finding(claim)

    response = post(biller, "api-claim-edit-override", claim, {"reason": "a~b*c:d^e"}, warning.pk)

    assert response.status_code == 200
    warning.refresh_from_db()
    assert warning.override_reason == "a~b*c:d^e"


@pytest.mark.parametrize("edit_id", ["other_claim", 2**31, 10**30])
def test_another_claims_edit_or_no_edit_is_a_404(biller, practice_a, edit_id):
    claim = two_line_claim(practice_a)
    other = finding(two_line_claim(practice_a))
    before = _override_state(claim)
    edit_id = other.pk if edit_id == "other_claim" else edit_id

    response = post(biller, "api-claim-edit-override", claim, {"reason": "Fine"}, edit_id)

    assert response.status_code == 404
    assert _override_state(claim) == before
    assert ClaimEdit.objects.get(pk=other.pk).overridden_at is None


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["api-claim-edit", "api-claim-correct", "api-claim-rebill-denied", "api-claim-split",
     "api-claim-edit-override"],
)  # fmt: skip
def test_another_practice_gets_404_and_a_coder_or_front_desk_403(
    biller_b, coder, front_desk, practice_a, second_coverage, name
):
    claim = adjudicated_claim(practice_a, status=S.PARTIALLY_PAID)
    remit(claim, {1: Decimal("150.00")})
    warning = finding(claim)
    body = {
        "api-claim-edit": {"note": "Hello"},
        "api-claim-correct": {"note": "Hello"},
        "api-claim-split": {"lines": line_ids(claim), "coverage": second_coverage(claim).pk},
        "api-claim-edit-override": {"reason": "Fine"},
    }.get(name)
    extra = [warning.pk] if name == "api-claim-edit-override" else []
    before = _override_state(claim)

    for user, status in ((biller_b, 404), (coder, 403), (front_desk, 403)):
        response = post(user, name, claim, body, *extra)
        assert response.status_code == status, (user, response.content)

    assert _override_state(claim) == before


def test_the_claims_detail_names_its_lines_by_id(biller, practice_a):
    claim = two_line_claim(practice_a)

    detail = api_for(biller).get(reverse("api-claim-detail", args=[claim.pk])).json()

    assert [line["id"] for line in detail["lines"]] == line_ids(claim)
    assert json.dumps(detail)  # all plain JSON
