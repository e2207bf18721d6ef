"""The biller's work on a claim: assign, follow up, hold, release, notes, all on the timeline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.models import Claim, ClaimEvent, EventKind
from claims.selectors import claim_timeline_entries
from claims.state import ClaimStatus
from claims.submission import ClaimOnHold, batches_build, claim_submit, claims_submit_ready
from claims.work import (
    claim_assign,
    claim_follow_up_set,
    claim_hold,
    claim_note_add,
    claim_release,
    claim_status_check_request,
    claims_assign,
    claims_follow_up_set,
    claims_hold,
    claims_note_add,
    claims_release,
    claims_submit_selected,
)
from rcm.practice.models import Role
from tests.claims.test_pipeline import ready_claim
from tests.factories import ClaimFactory, MembershipFactory, UserFactory


def _snapshot(*claims: Claim) -> list[tuple[object, ...]]:
    rows = Claim.objects.filter(pk__in=[c.pk for c in claims]).order_by("id")
    fields = ("assignee_id", "follow_up_on", "on_hold", "hold_reason", "worked_at")
    return [*rows.values_list(*fields), (ClaimEvent.objects.count(),)]


def test_each_action_is_on_the_timeline_with_who_did_it(biller, practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.READY)
    day = timezone.localdate() + datetime.timedelta(days=7)

    claim_assign(claim=claim, assignee=biller, user=biller)
    claim_follow_up_set(claim=claim, day=day, user=biller, note="Call the payer.")
    claim_hold(claim=claim, reason="Waiting for the op note", user=biller)
    claim_note_add(claim=claim, text="Faxed the records.", user=biller)
    claim_release(claim=claim, user=biller)

    claim.refresh_from_db()
    assert (claim.assignee, claim.follow_up_on, claim.on_hold) == (biller, day, False)
    kinds = [(e.kind, e.user) for e in claim.events.order_by("at", "id")]
    assert kinds == [
        (EventKind.ASSIGNMENT, biller), (EventKind.FOLLOW_UP, biller), (EventKind.HOLD, biller),
        (EventKind.NOTE, biller), (EventKind.RELEASE, biller),
    ]  # fmt: skip
    entries = claim_timeline_entries(claim=claim)
    assert [e.title for e in entries] == [
        "Assignment", "Follow-up date", "Put on hold", "Note", "Released from hold",
    ]  # fmt: skip
    assert entries[1].note == f"Follow up on {day:%m/%d/%Y}. Call the payer."
    assert entries[4].note.startswith("Released (was: Waiting for the op note)")
    assert {e.who for e in entries} == {biller.get_full_name()}
    # The biller's work never moves the claim's status.
    assert claim.status == ClaimStatus.READY
    assert not claim.events.filter(kind=EventKind.STATUS).exists()


def test_status_changes_written_before_kinds_existed_read_as_status(practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a)
    event = claim.events.create(from_status="", to_status=ClaimStatus.DRAFT, source="user")

    assert event.kind == EventKind.STATUS
    assert claim_timeline_entries(claim=claim)[0].title == "Draft"


def test_a_held_claim_is_never_put_in_a_batch(biller, practice_a):
    held = ready_claim(practice_a)
    free = ready_claim(practice_a)
    claim_submit(claim=held, user=biller)
    claim_submit(claim=free, user=biller)
    claim_hold(claim=held, reason="Payer asked for records", user=biller)

    batches_build(practice_id=practice_a.pk)

    held.refresh_from_db()
    free.refresh_from_db()
    assert held.status == ClaimStatus.QUEUED and not held.submissions.exists()
    assert free.status == ClaimStatus.SUBMITTED

    claim_release(claim=held, user=biller)
    batches_build(practice_id=practice_a.pk)
    held.refresh_from_db()
    assert held.status == ClaimStatus.SUBMITTED


def test_a_held_claim_cannot_be_submitted(biller, practice_a):
    held = ready_claim(practice_a)
    claim_hold(claim=held, reason="Check the modifier", user=biller)

    with pytest.raises(ClaimOnHold, match="is on hold; release it"):
        claim_submit(claim=held, user=biller)
    assert claims_submit_ready(practice_ids=[practice_a.pk], user=biller) == 0
    assert claims_submit_selected(claim_ids=[held.pk], user=biller) == (0, 1)
    held.refresh_from_db()
    assert held.status == ClaimStatus.READY


def test_bulk_actions_change_every_selected_claim(biller, practice_a):
    claims = ClaimFactory.create_batch(
        3, encounter__patient__practice=practice_a, status=ClaimStatus.READY
    )
    ids = [c.pk for c in claims]
    other = UserFactory(username="biller_two")
    MembershipFactory(user=other, practice=practice_a, role=Role.BILLER)
    day = timezone.localdate()

    assert claims_assign(claim_ids=ids, assignee=other, user=biller) == 3
    assert claims_follow_up_set(claim_ids=ids, day=day, user=biller) == 3
    assert claims_hold(claim_ids=ids[:2], reason="Audit", user=biller) == 2
    assert claims_hold(claim_ids=ids, reason="Again", user=biller) == 1  # held ones keep theirs
    assert claims_note_add(claim_ids=ids, text="Reviewed", user=biller) == 3
    assert claims_release(claim_ids=ids, user=biller) == 3

    rows = Claim.objects.filter(pk__in=ids).values_list("assignee_id", "follow_up_on", "on_hold")
    assert set(rows) == {(other.pk, day, False)}
    assert ClaimEvent.objects.filter(claim_id__in=ids, kind=EventKind.NOTE).count() == 3

    queued, skipped = claims_submit_selected(claim_ids=ids, user=biller)
    assert (queued, skipped) == (3, 0)
    assert set(Claim.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"queued"}


def test_a_claim_of_another_practice_refuses_the_whole_selection(biller, practice_a, practice_b):
    mine = ClaimFactory(encounter__patient__practice=practice_a)
    theirs = ClaimFactory(encounter__patient__practice=practice_b)
    before = _snapshot(mine, theirs)

    with pytest.raises(ValidationError, match="not yours to work"):
        claims_hold(claim_ids=[mine.pk, theirs.pk], reason="x", user=biller)
    with pytest.raises(ValidationError, match="not yours to work"):
        claims_note_add(claim_ids=[theirs.pk], text="x", user=biller)

    assert _snapshot(mine, theirs) == before


def test_a_coder_cannot_work_claims(coder, practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a)

    with pytest.raises(ValidationError, match="not yours to work"):
        claim_note_add(claim=claim, text="x", user=coder)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c, u: claim_note_add(claim=c, text="", user=u), "Give a note"),
        (lambda c, u: claim_note_add(claim=c, text="a\x00b", user=u), "NUL"),
        (lambda c, u: claim_note_add(claim=c, text="a" * 5000, user=u), "longer than 4000"),
        (lambda c, u: claim_hold(claim=c, reason="  ", user=u), "Give a reason"),
        (lambda c, u: claim_hold(claim=c, reason="r" * 201, user=u), "longer than 200"),
        (
            lambda c, u: claim_follow_up_set(claim=c, day=datetime.date(2999, 1, 1), user=u),
            "Give a follow-up date from today",
        ),
        (
            lambda c, u: claim_follow_up_set(claim=c, day=datetime.date(2001, 1, 1), user=u),
            "Give a follow-up date from today",
        ),
        (lambda c, u: claims_note_add(claim_ids=[], text="x", user=u), "at least one"),
        (lambda c, u: claims_note_add(claim_ids=list(range(1, 600)), text="x", user=u), "at most"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(biller, practice_a, call, message):
    claim = ClaimFactory(encounter__patient__practice=practice_a)
    before = _snapshot(claim)

    with pytest.raises(ValidationError, match=message):
        call(claim, biller)

    assert _snapshot(claim) == before


def test_a_claim_is_assigned_only_to_a_biller_of_its_practice(biller, practice_a, practice_b):
    claim = ClaimFactory(encounter__patient__practice=practice_a)
    elsewhere = UserFactory(username="biller_of_b")
    MembershipFactory(user=elsewhere, practice=practice_b, role=Role.BILLER)
    front_desk = UserFactory(username="fd_of_a")
    MembershipFactory(user=front_desk, practice=practice_a, role=Role.FRONT_DESK)

    for assignee in (elsewhere, front_desk):
        with pytest.raises(ValidationError, match="does not bill for the practice"):
            claim_assign(claim=claim, assignee=assignee, user=biller)
    claim.refresh_from_db()
    assert claim.assignee is None


def test_a_voided_claim_is_not_held_or_assigned(biller, practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.VOID)

    with pytest.raises(ValidationError, match="voided or closed"):
        claim_hold(claim=claim, reason="x", user=biller)


def test_status_check_now_is_sent_after_commit(
    biller, practice_a, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.ACCEPTED)
    draft = ClaimFactory(encounter__patient__practice=practice_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = claim_status_check_request(claim=claim, user=biller)

    assert len(callbacks) == 1  # the task is enqueued only once the event is committed
    assert event.kind == EventKind.STATUS_CHECK and event.user == biller
    with pytest.raises(ValidationError, match="not with the payer"):
        claim_status_check_request(claim=draft, user=biller)
