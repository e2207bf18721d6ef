"""The biller's queues and saved-worklist criteria: which claims, in which order, with totals.

Every queue is a filter over the claims of the practices where the user bills, served by an index
of claims/models.py; a page costs a fixed number of queries whatever the number of claims: the
totals (one aggregate), the page of rows (one SELECT with its joins), and the fence.

- Waiting on payer: sent and not answered (submitted, accepted, in adjudication, appealed) for
  longer than the payer's `turnaround_days` since the claim last changed status.
- Needs investigation: the same claims with no activity at all (no status change and no biller
  work: note, assignment, follow-up, hold) for INVESTIGATE_AFTER_TURNAROUNDS times the payer's
  turnaround (28 days for the default 14-day payer): a status check or a call is due.
- Nearing timely filing: not yet accepted by the payer, and the date of service is within
  TIMELY_FILING_WARNING_DAYS of the payer's `timely_filing_days` window closing (or past it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count as CountOf
from django.db.models import (
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)

from claims.models import Claim, ClaimStatus, SavedWorklist
from claims.reason_filter import reason_claim_ids
from claims.selectors import Totals, scrubber_holds_q
from rcm.practice.permissions import BILLING
from rcm.practice.selectors import Viewer, practice_ids_for

S = ClaimStatus
INVESTIGATE_AFTER_TURNAROUNDS = 2
TIMELY_FILING_WARNING_DAYS = 15
PAGE_SIZE = 50
WITH_PAYER = (S.SUBMITTED, S.ACCEPTED, S.PENDING, S.APPEALED)
NOT_YET_ACCEPTED = (S.DRAFT, S.READY, S.QUEUED, S.SUBMITTED, S.REJECTED)
OPEN = tuple(s for s in ClaimStatus.values if s not in (S.PAID, S.VOID, S.CLOSED))


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    statuses: tuple[str, ...]
    description: str
    # Extra conditions beyond the statuses, by name (see queue_filter).
    condition: str = ""


QUEUES: dict[str, Queue] = {
    queue.key: queue
    for queue in (
        Queue("ready", "Ready to submit", (S.READY,), "Scrubbed clean, not on hold.", "not_held"),
        Queue("holds", "Scrubber holds", (S.DRAFT,), "Drafts the scrubber held.", "scrubber"),
        Queue("rejected", "Rejected", (S.REJECTED,), "Refused by a 999 or 277CA: fix, resend."),
        Queue(
            "waiting",
            "Waiting on payer",
            WITH_PAYER,
            "No answer past the payer's usual turnaround.",
            "overdue",
        ),
        Queue(
            "investigate",
            "Needs investigation",
            WITH_PAYER,
            f"No activity for {INVESTIGATE_AFTER_TURNAROUNDS} times the payer's turnaround.",
            "stale",
        ),
        Queue("denied", "Denied", (S.DENIED,), "Denied by the payer: correct or appeal."),
        Queue("partial", "Partially paid", (S.PARTIALLY_PAID,), "Paid less than billed."),
        Queue("on-hold", "On hold", OPEN, "Held by a biller; never batched.", "held"),
        Queue("follow-ups", "My follow-ups", OPEN, "Assigned to me, due today.", "mine_due"),
        Queue("all", "All claims", tuple(ClaimStatus.values), "Every claim: search and filter."),
        Queue(
            "timely",
            "Nearing timely filing",
            NOT_YET_ACCEPTED,
            f"Within {TIMELY_FILING_WARNING_DAYS} days of the payer's filing limit.",
            "timely",
        ),
    )
}


def _days(field_name: str, times: int = 1) -> ExpressionWrapper:
    """`field_name` (a number of days on the payer) as an interval, times `times`."""
    return ExpressionWrapper(
        F(field_name) * Value(datetime.timedelta(days=times)), output_field=DurationField()
    )


def overdue_q(now: datetime.datetime) -> Q:
    """Sent, no answer past the payer's turnaround (a join to the payer, no per-payer loop)."""
    return Q(status__in=WITH_PAYER, status_changed_at__lt=now - _days("payer__turnaround_days"))


def timely_q(today: datetime.date) -> Q:
    limit = today + datetime.timedelta(days=TIMELY_FILING_WARNING_DAYS)
    return Q(
        status__in=NOT_YET_ACCEPTED,
        service_date_from__lte=ExpressionWrapper(
            Value(limit) - _days("payer__timely_filing_days"), output_field=DateField()
        ),
    )


def queue_filter(queue: Queue, *, user: Viewer, now: datetime.datetime) -> Q:
    """The queue's claims, as one condition (the fence is the caller's)."""
    q = Q(status__in=queue.statuses)
    today = now.date()
    if queue.condition == "not_held":
        q &= Q(on_hold=False)
    elif queue.condition == "scrubber":
        q &= scrubber_holds_q()
    elif queue.condition == "overdue":
        q &= overdue_q(now)
    elif queue.condition == "stale":
        stale = now - _days("payer__turnaround_days", INVESTIGATE_AFTER_TURNAROUNDS)
        q &= Q(status_changed_at__lt=stale) & (Q(worked_at__isnull=True) | Q(worked_at__lt=stale))
    elif queue.condition == "held":
        q &= Q(on_hold=True)
    elif queue.condition == "mine_due":
        q &= Q(assignee_id=getattr(user, "pk", None), follow_up_on__lte=today)
    elif queue.condition == "timely":
        q &= timely_q(today)
    return q


AGE_BUCKETS = {"0-30": (0, 30), "31-60": (31, 60), "61-90": (61, 90), "91-120": (91, 120),
               "120+": (121, None)}  # fmt: skip
SORTS = {
    "oldest": ("status_changed_at", "id"),
    "age": ("service_date_from", "id"),
    "amount": ("-total_charge", "id"),
    "patient": ("patient__last_name", "patient__first_name", "id"),
    "payer": ("payer__name", "id"),
    "follow-up": (F("follow_up_on").asc(nulls_last=True), "id"),
}


@dataclass
class ClaimCriteria:
    """A queue's or worklist's filters; every field optional (validated by the filter form)."""

    practice: int | None = None
    payer: int | None = None
    provider: int | None = None
    statuses: list[str] = field(default_factory=list)
    service_from: datetime.date | None = None
    service_to: datetime.date | None = None
    age: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    assignee: str = ""  # "", "me", "none", or a user id
    follow_up_due: bool = False
    near_filing_limit: bool = False  # within TIMELY_FILING_WARNING_DAYS of the payer's limit
    reason: str = ""
    search: str = ""

    def condition(self, *, user: Viewer, today: datetime.date) -> Q:
        q = Q()
        if self.practice:
            q &= Q(practice_id=self.practice)
        if self.payer:
            q &= Q(payer_id=self.payer)
        if self.provider:
            q &= Q(rendering_provider_id=self.provider)
        if self.statuses:
            q &= Q(status__in=self.statuses)
        if self.service_from:
            q &= Q(service_date_from__gte=self.service_from)
        if self.service_to:
            q &= Q(service_date_from__lte=self.service_to)
        if self.age in AGE_BUCKETS:
            low, high = AGE_BUCKETS[self.age]
            q &= Q(service_date_from__lte=today - datetime.timedelta(days=low))
            if high is not None:
                q &= Q(service_date_from__gte=today - datetime.timedelta(days=high))
        if self.amount_min is not None:
            q &= Q(total_charge__gte=self.amount_min)
        if self.amount_max is not None:
            q &= Q(total_charge__lte=self.amount_max)
        q &= self._assignee_q(user)
        if self.follow_up_due:
            q &= Q(follow_up_on__lte=today)
        if self.near_filing_limit:
            q &= timely_q(today)
        if self.reason:
            q &= reason_q(self.reason)
        if self.search:
            q &= search_q(self.search)
        return q

    def _assignee_q(self, user: Viewer) -> Q:
        if self.assignee == "me":
            return Q(assignee_id=getattr(user, "pk", None))
        if self.assignee == "none":
            return Q(assignee__isnull=True)
        if self.assignee.isdigit():
            return Q(assignee_id=int(self.assignee))
        return Q()


def reason_q(text: str) -> Q:
    """Claims carrying a denial reason, remark or edit (claims/reason_filter.py): one indexed
    `pk IN (subquery)`."""
    claim_ids = reason_claim_ids(text)
    return Q() if claim_ids is None else Q(pk__in=claim_ids)


def search_q(text: str) -> Q:
    """A claim number, a member id, or the start of a patient's last (or "last, first") name."""
    text = text.strip()
    q = Q(control_number__iexact=text) | Q(coverage__member_id__iexact=text)
    last, _, first = (part.strip() for part in text.partition(","))
    name = Q(patient__last_name__istartswith=last)
    if first:
        name &= Q(patient__first_name__istartswith=first)
    elif " " in text:
        first_word, _, rest = text.partition(" ")
        name |= Q(patient__first_name__istartswith=first_word, patient__last_name__istartswith=rest)
    return q | name


@dataclass
class QueuePage:
    queue: Queue
    claims: QuerySet[Claim]
    filtered: QuerySet[Claim]  # the same claims, without joins or order: for the totals
    several_practices: bool
    _totals: Totals | None = None

    @property
    def totals(self) -> Totals:
        """The count and charges of the whole queue (one aggregate query, on first use)."""
        if self._totals is None:
            found = self.filtered.aggregate(count=CountOf("id"), charges=Sum("total_charge"))
            self._totals = Totals(
                self.queue.label, found["count"], found["charges"] or Decimal("0.00")
            )
        return self._totals


def claim_queue_page(
    *,
    user: Viewer,
    queue: Queue,
    criteria: ClaimCriteria | None = None,
    sort: str = "oldest",
    now: datetime.datetime,
    roles: Iterable[str] = BILLING,
    fence: list[int] | None = None,
) -> QueuePage:
    """The queue's claims for `user` (BILLING), filtered, sorted, with their count and charges.

    One query here (the fence); the totals one more when asked; the caller slices `claims`.
    """
    if fence is None:
        fence = practice_ids_for(user=user, roles=roles)
    condition = queue_filter(queue, user=user, now=now)
    if criteria is not None:
        condition &= criteria.condition(user=user, today=now.date())
    claims = Claim.objects.filter(condition, practice_id__in=fence)
    rows = claims.select_related("patient", "payer", "practice", "assignee", "coverage").order_by(
        *SORTS.get(sort, SORTS["oldest"])
    )
    return QueuePage(queue=queue, claims=rows, filtered=claims, several_practices=len(fence) > 1)


def claim_queue_counts(
    *, user: Viewer, now: datetime.datetime, fence: list[int] | None = None
) -> dict[str, Totals]:
    """Every queue's count and charges, in a fixed number of queries.

    The status-only queues come from one GROUP BY status over claim_amount_idx (an index-only
    scan: practice, status, total_charge); the others each from one aggregate over their own
    partial index or their statuses' slice of claim_queue_idx.
    """
    if fence is None:
        fence = practice_ids_for(user=user, roles=BILLING)
    claims = Claim.objects.filter(practice_id__in=fence)
    by_status: dict[str, Any] = {
        row["status"]: row
        for row in claims.values("status").annotate(n=CountOf("id"), charges=Sum("total_charge"))
    }
    counts: dict[str, Totals] = {}
    for key, queue in QUEUES.items():
        if queue.condition in ("", "scrubber") and _scrubber_is_status_only(queue):
            rows = [by_status[s] for s in queue.statuses if s in by_status]
            counts[key] = Totals(
                queue.label,
                sum(row["n"] for row in rows),
                sum((row["charges"] or Decimal("0") for row in rows), Decimal("0.00")),
            )
        else:
            found = claims.filter(queue_filter(queue, user=user, now=now)).aggregate(
                n=CountOf("id"), charges=Sum("total_charge")
            )
            counts[key] = Totals(queue.label, found["n"], found["charges"] or Decimal("0.00"))
    return counts


def _scrubber_is_status_only(queue: Queue) -> bool:
    return queue.condition == "" or scrubber_holds_q() == Q()


def worklist_list(*, user: Viewer) -> QuerySet[SavedWorklist]:
    """The saved worklists of the practices where `user` bills (shared with all their billers)."""
    return SavedWorklist.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=BILLING)
    ).select_related("practice", "created_by")


def assignable_billers(*, practice_ids: Iterable[int]) -> QuerySet[Any]:
    """Users who bill for any of these practices: who a claim may be assigned to."""
    from rcm.practice.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__practice_id__in=list(practice_ids),
            memberships__role__in=BILLING,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
