"""The biller's work on claims: assign, follow up, hold and release, notes, "Next claim".

None of these moves a claim's status (that is `claims.state`'s alone); each writes its field(s)
and a timeline event of its kind in one transaction, under the claim's row lock, so the timeline
always says who did what. The bulk variants lock the selected rows once and write one event per
claim; a claim of a practice where the user does not bill is refused before anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, SavedWorklist
from rcm.practice.models import Membership, User
from rcm.practice.permissions import BILLING
from rcm.practice.selectors import practice_ids_for, selected_rows_lock

MAX_NOTE_LENGTH = 4000
MAX_REASON_LENGTH = 200
MAX_BULK = 500
# A follow-up more than this far ahead is a typo, not a plan.
FOLLOW_UP_HORIZON = datetime.timedelta(days=366)
# Statuses whose claims are not (or no longer) worked: nothing to hold, assign or follow up.
S = ClaimStatus
CLOSED_STATUSES = frozenset({ClaimStatus.VOID, ClaimStatus.CLOSED})
# A payer answers a 276 about claims it has: sent, and not yet closed.
STATUS_CHECKABLE = frozenset(
    {S.SUBMITTED, S.ACCEPTED, S.PENDING, S.APPEALED, S.DENIED, S.PARTIALLY_PAID, S.PAID}
)


def _clean_text(value: str, *, what: str, limit: int, required: bool) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError(f"The {what} contains a NUL character.")
    if len(text) > limit:
        raise ValidationError(f"The {what} is longer than {limit} characters.")
    if required and not text:
        raise ValidationError(f"Give a {what}.")
    return text


def _locked(claim_ids: Sequence[int], *, user: User) -> list[Claim]:
    """The claims, row-locked, all in practices where `user` bills (ValidationError otherwise)."""
    return selected_rows_lock(
        Claim.objects.all(), claim_ids, user=user, roles=BILLING, noun="claim", limit=MAX_BULK
    )


def _apply(
    claims: list[Claim],
    *,
    user: User,
    kind: str,
    note: Callable[[Claim], str],
    fields: dict[str, object],
) -> int:
    """Set `fields` on `claims` (one UPDATE) and write one `kind` event per claim."""
    now = timezone.now()
    events = [ClaimEvent(claim=claim, kind=kind, user=user, note=note(claim)) for claim in claims]
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(**fields, worked_at=now)
    ClaimEvent.objects.bulk_create(events)
    for claim in claims:
        for name, value in fields.items():
            setattr(claim, name, value)
        claim.worked_at = now
    return len(claims)


def _open(claims: list[Claim], action: str) -> None:
    closed = [claim.control_number for claim in claims if claim.status in CLOSED_STATUSES]
    if closed:
        raise ValidationError(f"Cannot {action} a voided or closed claim: {', '.join(closed)}.")


def _assignee_check(*, assignee: User | None, claims: Iterable[Claim]) -> None:
    if assignee is None:
        return
    billing = set(
        Membership.objects.filter(
            user=assignee, role__in=BILLING, user__is_active=True
        ).values_list("practice_id", flat=True)
    )
    if any(claim.practice_id not in billing for claim in claims):
        raise ValidationError(f"{assignee} does not bill for the practice of every claim.")


def claims_assign(*, claim_ids: Sequence[int], assignee: User | None, user: User) -> int:
    """Give the claims to `assignee` (a biller of each claim's practice), or to no one."""
    with transaction.atomic():
        claims = _locked(claim_ids, user=user)
        _open(claims, "assign")
        _assignee_check(assignee=assignee, claims=claims)
        words = f"Assigned to {assignee.get_full_name() or assignee}" if assignee else "Unassigned"
        return _apply(
            claims, user=user, kind=EventKind.ASSIGNMENT, note=lambda _c: words + ".",
            fields={"assignee": assignee},
        )  # fmt: skip


def claim_assign(*, claim: Claim, assignee: User | None, user: User) -> Claim:
    claims_assign(claim_ids=[claim.pk], assignee=assignee, user=user)
    claim.refresh_from_db()
    return claim


def follow_up_date_check(day: datetime.date | None, *, today: datetime.date) -> None:
    if day is not None and not (
        today - datetime.timedelta(days=1) <= day <= today + FOLLOW_UP_HORIZON
    ):
        raise ValidationError(
            f"Give a follow-up date from today to {today + FOLLOW_UP_HORIZON:%m/%d/%Y}."
        )


def claims_follow_up_set(
    *, claim_ids: Sequence[int], day: datetime.date | None, user: User, note: str = ""
) -> int:
    """Set (or with `day` None, clear) the claims' follow-up date, with an optional note."""
    follow_up_date_check(day, today=timezone.localdate())
    text = _clean_text(note, what="note", limit=MAX_NOTE_LENGTH, required=False)
    words = f"Follow up on {day:%m/%d/%Y}." if day else "Follow-up date cleared."
    with transaction.atomic():
        claims = _locked(claim_ids, user=user)
        _open(claims, "follow up")
        return _apply(
            claims, user=user, kind=EventKind.FOLLOW_UP,
            note=lambda _c: f"{words} {text}".strip(), fields={"follow_up_on": day},
        )  # fmt: skip


def claim_follow_up_set(
    *, claim: Claim, day: datetime.date | None, user: User, note: str = ""
) -> Claim:
    claims_follow_up_set(claim_ids=[claim.pk], day=day, user=user, note=note)
    claim.refresh_from_db()
    return claim


def claims_hold(*, claim_ids: Sequence[int], reason: str, user: User) -> int:
    """Put the claims on a biller's hold: none of them goes into a batch until released.

    Held claims already on hold keep their first reason; only the others are held (and count).
    """
    reason = _clean_text(reason, what="reason for the hold", limit=MAX_REASON_LENGTH, required=True)
    with transaction.atomic():
        claims = _locked(claim_ids, user=user)
        _open(claims, "hold")
        to_hold = [claim for claim in claims if not claim.on_hold]
        return _apply(
            to_hold, user=user, kind=EventKind.HOLD, note=lambda _c: f"On hold: {reason}",
            fields={"on_hold": True, "hold_reason": reason},
        )  # fmt: skip


def claim_hold(*, claim: Claim, reason: str, user: User) -> Claim:
    claims_hold(claim_ids=[claim.pk], reason=reason, user=user)
    claim.refresh_from_db()
    return claim


def claims_release(*, claim_ids: Sequence[int], user: User, note: str = "") -> int:
    """Release the claims from hold; a queued one goes out with the practice's next batch."""
    text = _clean_text(note, what="note", limit=MAX_NOTE_LENGTH, required=False)
    with transaction.atomic():
        claims = [claim for claim in _locked(claim_ids, user=user) if claim.on_hold]
        released = _apply(
            claims, user=user, kind=EventKind.RELEASE,
            note=lambda c: f"Released (was: {c.hold_reason}). {text}".strip(),
            fields={"on_hold": False, "hold_reason": ""},
        )  # fmt: skip
        _enqueue_queued(claims)
    return released


def _enqueue_queued(claims: list[Claim]) -> None:
    from claims.submission import _submission_enqueuer

    for practice_id in sorted({c.practice_id for c in claims if c.status == ClaimStatus.QUEUED}):
        transaction.on_commit(_submission_enqueuer(practice_id), robust=True)


def claim_release(*, claim: Claim, user: User, note: str = "") -> Claim:
    claims_release(claim_ids=[claim.pk], user=user, note=note)
    claim.refresh_from_db()
    return claim


def claims_note_add(*, claim_ids: Sequence[int], text: str, user: User) -> int:
    """Add the same note to the claims' timelines."""
    text = _clean_text(text, what="note", limit=MAX_NOTE_LENGTH, required=True)
    with transaction.atomic():
        claims = _locked(claim_ids, user=user)
        return _apply(claims, user=user, kind=EventKind.NOTE, note=lambda _c: text, fields={})


def claim_note_add(*, claim: Claim, text: str, user: User) -> ClaimEvent:
    claims_note_add(claim_ids=[claim.pk], text=text, user=user)
    return claim.events.filter(kind=EventKind.NOTE).latest("at", "id")


def claim_status_check_request(*, claim: Claim, user: User) -> ClaimEvent:
    """Ask the payer now (276); a worker sends it after commit and the answer joins the page."""
    from claims.tasks import claim_status_check_task

    if claim.status not in STATUS_CHECKABLE:
        raise ValidationError(
            f"A {claim.get_status_display().lower()} claim is not with the payer to ask about."
        )
    with transaction.atomic():
        (locked,) = _locked([claim.pk], user=user)
        _apply(
            [locked], user=user, kind=EventKind.STATUS_CHECK,
            note=lambda _c: "Status check (276) requested.", fields={},
        )  # fmt: skip
        claim_id = locked.pk
        transaction.on_commit(lambda: claim_status_check_task.delay(claim_id), robust=True)
    return locked.events.filter(kind=EventKind.STATUS_CHECK).latest("at", "id")


def claim_next(
    *, queue: QuerySet[Claim], user: User, fallback: QuerySet[Claim] | None = None
) -> Claim | None:
    """Hand `user` the first unassigned claim of `queue` and assign it to them; when `queue`
    (a few candidates, claims.queues QueuePage.next_candidates) has none left, of `fallback`.

    `select_for_update(skip_locked=True)`: billers pressing at the same moment each lock a
    different row, and once committed the assignment keeps it out of everyone else's next.
    """

    def first_free(claims: QuerySet[Claim]) -> Claim | None:
        return (
            claims.filter(assignee__isnull=True, on_hold=False)
            .select_related(None)
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )

    with transaction.atomic():
        claim = first_free(queue)
        if claim is None and fallback is not None:
            claim = first_free(fallback)
        if claim is None:
            return None
        _apply(
            [claim], user=user, kind=EventKind.ASSIGNMENT,
            note=lambda _c: f"Taken by {user.get_full_name() or user} (Next claim).",
            fields={"assignee": user},
        )  # fmt: skip
    return claim


def claims_submit_selected(*, claim_ids: Sequence[int], user: User) -> tuple[int, int]:
    """Queue the selected READY claims not on hold; (queued, skipped) — the others stay put."""
    from claims.state import claims_transition_bulk
    from claims.submission import _submission_enqueuer

    with transaction.atomic():
        claims = _locked(claim_ids, user=user)
        ready = {c.pk: c.practice_id for c in claims if c.status == S.READY and not c.on_hold}
        refused = claims_transition_bulk(
            moves=dict.fromkeys(ready, S.QUEUED), user=user, source="user"
        )
        for practice_id in sorted({p for pk, p in ready.items() if pk not in refused}):
            transaction.on_commit(_submission_enqueuer(practice_id), robust=True)
    queued = len(ready) - len(refused)
    return queued, len(claims) - queued


def worklist_save(
    *,
    user: User,
    practice_id: int,
    name: str,
    criteria: dict[str, object],
    worklist: SavedWorklist | None = None,
) -> SavedWorklist:
    """Create or change a saved worklist of a practice where `user` bills."""
    name = _clean_text(name, what="worklist name", limit=80, required=True)
    if practice_id not in practice_ids_for(user=user, roles=BILLING):
        raise ValidationError("You do not bill for that practice.")
    with transaction.atomic():
        clash = SavedWorklist.objects.filter(practice_id=practice_id, name__iexact=name)
        if worklist is not None:
            clash = clash.exclude(pk=worklist.pk)
        if clash.exists():
            raise ValidationError(f"The practice already has a worklist named '{name}'.")
        if worklist is None:
            return SavedWorklist.objects.create(
                practice_id=practice_id, name=name, criteria=criteria, created_by=user
            )
        worklist.practice_id, worklist.name, worklist.criteria = practice_id, name, criteria
        worklist.save(update_fields=["practice", "name", "criteria", "updated_at"])
        return worklist


def worklist_delete(*, worklist: SavedWorklist, user: User) -> None:
    if worklist.practice_id not in practice_ids_for(user=user, roles=BILLING):
        raise ValidationError("You do not bill for that practice.")
    worklist.delete()
