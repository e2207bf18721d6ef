"""A claim's attachments (PWK): recorded, written into its 837P, meeting the payer's rule, and
added or removed from the claim page and the API, the claim scrubbed again each time."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from claims.attachments import claim_attachment_add, claim_attachment_remove
from claims.import837 import claims_import_837
from claims.models import ClaimAttachment, ClaimEvent, EventKind
from claims.scrubber import claim_scrub
from claims.state import ClaimStatus
from claims.x12_mapping import claim_837_problem, claims_837_render, claims_for_837
from rcm.practice.models import PayerRule
from rcm.x12.claim837 import Attachment, write_837p
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory
from tests.x12.pyx12_check import pyx12_text_errors
from tests.x12.test_claim837 import batch as x12_batch
from tests.x12.test_claim837 import claim as x12_claim

HOSTILE_NUMBERS = [
    ("FAX\x001", "line breaks"),  # NUL: a control character (or Django's own refusal)
    ("FAX*1", "* ~ : ^ |"),
    ("FAX~1", "* ~ : ^ |"),
    ("FAX:1", "* ~ : ^ |"),
    ("FAX^1", "* ~ : ^ |"),
    ("\u0661\u0662\u0663", "plain letters"),  # Arabic-Indic digits
    ("X" * 81, "2 to 80"),
    ("X", "2 to 80"),
]


def _claim(practice, **kwargs):
    claim = ClaimFactory(encounter__patient__practice=practice, **kwargs)
    ClaimDiagnosisFactory(claim=claim)
    ClaimLineFactory(claim=claim, position=1, procedure_code="97110", modifiers=["GP"])
    return claim


def _attachment_rule(claim):
    return PayerRule.objects.create(
        practice=claim.practice, payer=claim.payer, codes="97110", action="attachment",
        severity="error", message="Send the plan of care.",
    )  # fmt: skip


def _edits(claim):
    return set(claim.scrub_edits.values_list("edit", flat=True))


# --- the service ---------------------------------------------------------------------------------


def test_the_payer_rule_holds_the_claim_until_an_attachment_is_recorded(practice_a, biller):
    claim = _claim(practice_a)
    rule = _attachment_rule(claim)
    held = claim_scrub(claim=claim, user=biller)
    assert held.held and f"payer_rule.{rule.pk}.attachment" in _edits(claim)

    outcome = claim_attachment_add(
        claim=claim, user=biller, report_type="08", transmission="FX", control_number="FX-2026-1",
        description="Plan of care, 3 pages",
    )  # fmt: skip

    assert not outcome.scrub.held
    assert outcome.claim.status == ClaimStatus.READY
    assert f"payer_rule.{rule.pk}.attachment" not in _edits(claim)
    event = ClaimEvent.objects.filter(claim=claim, kind=EventKind.ATTACHMENT).get()
    assert event.note == (
        "Attachment added: 08 Plan of Treatment, by fax, control number FX-2026-1."
    )
    assert event.user == biller

    claim_attachment_remove(claim=claim, attachment_id=outcome.attachment.pk, user=biller)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT  # held again by the rule
    assert f"payer_rule.{rule.pk}.attachment" in _edits(claim)
    assert not ClaimAttachment.objects.filter(claim=claim).exists()


def test_available_on_request_needs_no_control_number(practice_a, biller):
    claim = _claim(practice_a)

    outcome = claim_attachment_add(claim=claim, user=biller, report_type="OZ", transmission="AA")

    assert outcome.attachment.control_number == ""
    assert not outcome.scrub.held


def test_mailed_paperwork_without_a_number_is_refused_and_nothing_written(practice_a, biller):
    claim = _claim(practice_a)

    with pytest.raises(ValidationError) as refused:
        claim_attachment_add(claim=claim, user=biller, report_type="OZ", transmission="BM")

    assert "control_number" in refused.value.message_dict
    assert "by mail, fax, e-mail or file" in refused.value.message_dict["control_number"][0]
    assert not ClaimAttachment.objects.exists()
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_the_database_also_refuses_a_sent_attachment_without_a_number(practice_a):
    claim = _claim(practice_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimAttachment.objects.create(claim=claim, report_type="OZ", transmission="FX")


@pytest.mark.parametrize(("number", "said"), HOSTILE_NUMBERS)
def test_a_hostile_control_number_is_refused(practice_a, biller, number, said):
    claim = _claim(practice_a)

    with pytest.raises(ValidationError) as refused:
        claim_attachment_add(
            claim=claim, user=biller, report_type="OZ", transmission="FX", control_number=number
        )

    assert said in " ".join(refused.value.message_dict["control_number"])
    assert not ClaimAttachment.objects.exists()


def test_unknown_codes_are_refused(practice_a, biller):
    claim = _claim(practice_a)

    with pytest.raises(ValidationError) as refused:
        claim_attachment_add(claim=claim, user=biller, report_type="ZZ", transmission="XX")

    assert set(refused.value.message_dict) == {"report_type", "transmission"}


def test_at_most_ten_attachments(practice_a, biller):
    claim = _claim(practice_a)
    ClaimAttachment.objects.bulk_create(
        ClaimAttachment(claim=claim, report_type="OZ", transmission="FX", control_number=f"N{i}")
        for i in range(10)
    )

    with pytest.raises(ValidationError, match="at most 10"):
        claim_attachment_add(claim=claim, user=biller, report_type="OZ", transmission="AA")
    assert claim.attachments.count() == 10


@pytest.mark.parametrize("status", [ClaimStatus.SUBMITTED, ClaimStatus.PAID, ClaimStatus.VOID])
def test_a_claim_sent_or_adjudicated_keeps_its_attachments(practice_a, biller, status):
    claim = _claim(practice_a, status=status)

    with pytest.raises(ValidationError, match="attachments"):
        claim_attachment_add(claim=claim, user=biller, report_type="OZ", transmission="AA")
    assert not ClaimAttachment.objects.exists()


def test_a_rejected_claim_given_its_attachment_goes_again_as_a_draft(practice_a, biller):
    claim = _claim(practice_a, status=ClaimStatus.REJECTED)

    outcome = claim_attachment_add(
        claim=claim, user=biller, report_type="09", transmission="EL", control_number="EL77"
    )

    assert outcome.claim.status == ClaimStatus.READY  # to draft, then clean: ready
    moves = list(
        ClaimEvent.objects.filter(claim=claim, kind=EventKind.STATUS).values_list(
            "from_status", "to_status"
        )
    )
    assert moves == [("rejected", "draft"), ("draft", "ready")]


# --- the 837P and the scrubber ------------------------------------------------------------------


def test_the_837p_carries_the_pwk_segments_after_clm_and_pyx12_accepts_it(
    practice_a, biller, tmp_path
):
    claim = _claim(practice_a, prior_authorization="AUTH1")
    claim_attachment_add(
        claim=claim, user=biller, report_type="OZ", transmission="FX", control_number="FX-1"
    )
    claim_attachment_add(claim=claim, user=biller, report_type="PN", transmission="AA")
    (row,) = claims_for_837([claim.pk])

    text = claims_837_render(
        practice=row.practice, connection=None, claims=[row], created=claim.created_at
    ).text

    segments = [segment.strip() for segment in text.split("~") if segment.strip()]
    clm = next(i for i, segment in enumerate(segments) if segment.startswith("CLM*"))
    assert segments[clm + 1 : clm + 4] == ["PWK*OZ*FX***AC*FX-1", "PWK*PN*AA", "REF*G1*AUTH1"]
    assert pyx12_text_errors(text, tmp_path) == []
    assert claim_837_problem(practice=row.practice, connection=None, claim=row) == ""


def test_attachments_are_read_in_one_query_for_any_number_of_claims(
    practice_a, django_assert_num_queries
):
    claims = [_claim(practice_a) for _ in range(3)]
    for claim in claims:
        ClaimAttachment.objects.create(
            claim=claim, report_type="OZ", transmission="FX", control_number="N1"
        )
    with django_assert_num_queries(7) as one:
        claims_for_837([claims[0].pk])
    with django_assert_num_queries(len(one.captured_queries)):
        rows = claims_for_837([claim.pk for claim in claims])
    assert [len(row.attachments) for row in rows] == [1, 1, 1]


def test_a_number_that_x12_cannot_carry_holds_the_batch_with_a_sentence(practice_a):
    claim = _claim(practice_a)
    # Not through the service (it refuses this): a row an operator changed by hand.
    ClaimAttachment.objects.create(
        claim=claim, report_type="OZ", transmission="FX", control_number="A*B"
    )
    (row,) = claims_for_837([claim.pk])

    problem = claim_837_problem(practice=row.practice, connection=None, claim=row)

    assert problem.startswith("The control number of attachment 1 ('A*B') may not contain")


# --- the claim page ------------------------------------------------------------------------------


def test_the_panel_adds_and_removes_an_attachment(client, practice_a, biller):
    claim = _claim(practice_a)
    client.force_login(biller)
    page = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert 'data-testid="attachment-form"' in page
    assert "08 Plan of Treatment" in page  # the select says each code in words

    response = client.post(
        reverse("claim-attachment-add", args=[claim.pk]),
        {"report_type": "08", "transmission": "BM", "control_number": "MAIL-9",
         "description": "Plan of care"},
    )  # fmt: skip

    assert response.status_code == 302
    attachment = claim.attachments.get()
    page = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "MAIL-9" in page and "By mail" in page
    timeline = [entry.title for entry in client.get(
        reverse("claim-detail", args=[claim.pk])).context["timeline"]]  # fmt: skip
    assert "Attachment" in timeline

    response = client.post(reverse("claim-attachment-remove", args=[claim.pk, attachment.pk]))

    assert response.status_code == 302
    assert not claim.attachments.exists()


HOSTILE_FORMS = [
    *({"report_type": "08", "transmission": "FX", "control_number": number}
      for number, _said in HOSTILE_NUMBERS),
    {"report_type": "08", "transmission": "FX"},  # no number
    {"report_type": "ZZ", "transmission": "FX", "control_number": "N1"},
    {"report_type": "08\x00", "transmission": "FX", "control_number": "N1"},
    {"report_type": "08", "transmission": "FX", "control_number": "N1", "description": "\x00"},
    {"report_type": "08", "transmission": "FX", "control_number": "N1",
     "description": "d" * 5000},
    {},
]  # fmt: skip


@pytest.mark.parametrize("data", HOSTILE_FORMS)
def test_hostile_input_is_a_400_with_the_message_and_nothing_written(
    client, practice_a, biller, data
):
    claim = _claim(practice_a)
    client.force_login(biller)

    response = client.post(reverse("claim-attachment-add", args=[claim.pk]), data)

    assert response.status_code == 400
    body = response.content.decode()
    if "NUL character" not in body:  # the middleware refuses a NUL before any view
        assert "Nothing was changed" in body
        assert response.context["attachment_form"].errors
    assert not ClaimAttachment.objects.exists()
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_the_page_says_why_a_submitted_claim_cannot_change(client, practice_a, biller):
    claim = _claim(practice_a, status=ClaimStatus.SUBMITTED)
    attachment = ClaimAttachment.objects.create(claim=claim, report_type="OZ", transmission="AA")
    client.force_login(biller)

    page = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert 'data-testid="attachment-form"' not in page and "Support Data for Claim" in page
    added = client.post(
        reverse("claim-attachment-add", args=[claim.pk]),
        {"report_type": "OZ", "transmission": "AA"},
    )
    removed = client.post(reverse("claim-attachment-remove", args=[claim.pk, attachment.pk]))

    assert added.status_code == removed.status_code == 400
    assert "Nothing was changed. Claim" in added.content.decode()
    assert "its attachments can change before it is sent" in added.content.decode()
    assert "its attachments can change before it is sent" in removed.content.decode()
    assert list(claim.attachments.all()) == [attachment]


def test_another_claims_attachment_is_not_found(client, practice_a, biller):
    claim, other = _claim(practice_a), _claim(practice_a)
    attachment = ClaimAttachment.objects.create(claim=other, report_type="OZ", transmission="AA")
    client.force_login(biller)

    response = client.post(reverse("claim-attachment-remove", args=[claim.pk, attachment.pk]))
    huge = client.post(reverse("claim-attachment-remove", args=[claim.pk, 10**30]))
    api = _api(biller).delete(reverse("api-claim-attachment", args=[claim.pk, 10**30]))

    assert response.status_code == huge.status_code == api.status_code == 404
    assert ClaimAttachment.objects.filter(pk=attachment.pk).exists()


def test_other_practice_404_and_coder_403(client, practice_a, practice_b, biller, coder):
    theirs = _claim(practice_b)
    client.force_login(biller)
    add = reverse("claim-attachment-add", args=[theirs.pk])
    assert client.post(add, {"report_type": "OZ", "transmission": "AA"}).status_code == 404
    mine = _claim(practice_a)
    client.force_login(coder)
    add = reverse("claim-attachment-add", args=[mine.pk])
    assert client.post(add, {"report_type": "OZ", "transmission": "AA"}).status_code == 403
    assert not ClaimAttachment.objects.exists()


# --- the API -------------------------------------------------------------------------------------


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_lists_adds_and_removes(practice_a, biller):
    claim = _claim(practice_a)
    rule = _attachment_rule(claim)
    claim_scrub(claim=claim, user=biller)
    api = _api(biller)
    url = reverse("api-claim-attachments", args=[claim.pk])

    added = api.post(url, {"report_type": "08", "transmission": "EM", "control_number": "EM-5"},
                     format="json")  # fmt: skip

    assert added.status_code == 201, added.content
    body = added.json()
    assert body["attachment"]["report_type_words"] == "Plan of Treatment"
    assert (body["held"], body["claim"]["status"]) == (False, "ready")
    assert [row["control_number"] for row in api.get(url).json()] == ["EM-5"]

    removed = api.delete(reverse("api-claim-attachment", args=[claim.pk, body["attachment"]["id"]]))

    assert removed.status_code == 200
    assert removed.json()["held"] is True
    assert f"payer_rule.{rule.pk}.attachment" in {e["edit"] for e in removed.json()["edits"]}
    assert api.get(url).json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"report_type": "08", "transmission": "FX", "control_number": "N*1"},
        {"report_type": "08", "transmission": "FX", "control_number": "\u0661\u0662"},
        {"report_type": "08", "transmission": "FX", "control_number": "N\x001"},
        {"report_type": "08", "transmission": "FX", "control_number": "N" * 81},
        {"report_type": "08", "transmission": "FX"},
        {"report_type": ["08"], "transmission": "FX"},
        {
            "report_type": "08",
            "transmission": "FX",
            "control_number": "N1",
            "description": "x" * 999,
        },
    ],
)
def test_the_api_refuses_hostile_input_with_a_400(practice_a, biller, body):
    claim = _claim(practice_a)

    response = _api(biller).post(
        reverse("api-claim-attachments", args=[claim.pk]), body, format="json"
    )

    assert response.status_code == 400
    assert response.json()
    assert not ClaimAttachment.objects.exists()


def test_the_api_fences_and_documents(practice_a, practice_b, biller, coder, client):
    theirs = _claim(practice_b)
    attachment = ClaimAttachment.objects.create(claim=theirs, report_type="OZ", transmission="AA")
    api = _api(biller)
    assert api.get(reverse("api-claim-attachments", args=[theirs.pk])).status_code == 404
    url = reverse("api-claim-attachment", args=[theirs.pk, attachment.pk])
    assert api.delete(url).status_code == 404
    mine = _claim(practice_a)
    coder_api = _api(coder)
    assert coder_api.get(reverse("api-claim-attachments", args=[mine.pk])).status_code == 200
    post = coder_api.post(reverse("api-claim-attachments", args=[mine.pk]), {}, format="json")
    assert post.status_code == 403
    client.force_login(biller)
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/claims/{id}/attachments/" in schema
    assert "/api/claims/{id}/attachments/{attachment_id}/" in schema


# --- 837P files from other systems ---------------------------------------------------------------


def _file_with_pwk() -> str:
    return write_837p(
        x12_batch(
            x12_claim(control_number="P1", attachments=(Attachment("OZ", "FX", "FAX-77"),)),
            x12_claim(control_number="P2", attachments=(Attachment("08", "BM", "GONE"),)),
        )
    ).replace("PWK*08*BM***AC*GONE~", "PWK*08*BM~")  # P2's number left out, as a file may


def test_an_imported_claims_attachments_are_kept_and_one_without_its_number_refused(practice_b):
    result = claims_import_837(
        practice=practice_b, data=_file_with_pwk().encode(), file_name="pwk.837", user=None
    )

    assert [c.source_control_number for c in result.claims] == ["P1"]
    (kept,) = ClaimAttachment.objects.filter(claim_id=result.claims[0].claim_id)
    assert (kept.report_type, kept.transmission, kept.control_number) == ("OZ", "FX", "FAX-77")
    (refused,) = result.not_imported
    assert "attachment 1 (PWK*08)" in refused and "control number" in refused


def test_scrub_837_says_which_attachment_lacks_its_number(db, tmp_path):
    path = tmp_path / "pwk.837"
    path.write_text(_file_with_pwk())
    out = StringIO()

    call_command("scrub_837", str(path), "--json", stdout=out)

    found = json.loads(out.getvalue())[str(path)]
    assert "attachment.control_number.missing" in [e["edit"] for e in found["P2"]]
    assert "attachment.control_number.missing" not in [e["edit"] for e in found["P1"]]
