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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

from django.db.models import Count as CountOf
from django.db.models import (
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from claims.models import Claim, ClaimStatus, SavedWorklist
from claims.reason_filter import reason_claim_ids
from claims.selectors import (
    Tallies,
    Totals,
    claim_payers_present,
    claim_tallies,
    scrubber_holds_q,
    tallied_totals,
)
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


def _payers_days(aggregate: str, column: str, times: int = 1) -> ExpressionWrapper:
    """The min or max of a payer column, in days, as an interval: a subquery PostgreSQL runs once
    (an InitPlan), so that it bounds an index range where the per-payer condition cannot."""
    return ExpressionWrapper(
        # Both names are this module's constants, never input.
        RawSQL(f"(SELECT coalesce({aggregate}({column}), 0) FROM practice_payer)", [])  # noqa: S611
        * Value(datetime.timedelta(days=times)),
        output_field=DurationField(),
    )


def overdue_q(now: datetime.datetime) -> Q:
    """No answer past the payer's turnaround (a join to the payer, no per-payer loop); the
    caller names the statuses (WITH_PAYER). The second bound, by the shortest turnaround of any
    payer, only lets PostgreSQL stop the index range early."""
    return Q(
        status_changed_at__lt=now - _days("payer__turnaround_days"),
    ) & Q(status_changed_at__lt=now - _payers_days("min", "turnaround_days"))


def _answered_lately_q(now: datetime.datetime, times: int = 1) -> Q:
    """The claims `overdue_q` (times 1) or the stale condition (times 2) leaves out: changed
    within `times` of the payer's turnaround. Bounded by the longest turnaround, so it reads
    only the recent end of the index."""
    return Q(status_changed_at__gte=now - _days("payer__turnaround_days", times)) & Q(
        status_changed_at__gte=now - _payers_days("max", "turnaround_days", times)
    )


def _worked_lately_q(now: datetime.datetime) -> Q:
    """Claims changed before the stale cut but worked by a biller since (claim_worked_idx)."""
    cut = now - _days("payer__turnaround_days", INVESTIGATE_AFTER_TURNAROUNDS)
    return Q(status_changed_at__lt=cut, worked_at__gte=cut) & Q(
        worked_at__gte=now - _payers_days("max", "turnaround_days", INVESTIGATE_AFTER_TURNAROUNDS)
    )


def timely_q(today: datetime.date) -> Q:
    """Within TIMELY_FILING_WARNING_DAYS of the payer's filing limit (or past it); the caller
    names the statuses (NOT_YET_ACCEPTED). Bounded by the longest window of any payer."""
    limit = today + datetime.timedelta(days=TIMELY_FILING_WARNING_DAYS)
    return Q(
        service_date_from__lte=ExpressionWrapper(
            Value(limit) - _days("payer__timely_filing_days"), output_field=DateField()
        ),
    ) & Q(
        service_date_from__lte=ExpressionWrapper(
            Value(limit) - _payers_days("min", "timely_filing_days"), output_field=DateField()
        )
    )


def queue_filter(queue: Queue, *, user: Viewer, now: datetime.datetime) -> Q:
    """The queue's claims, as one condition (the fence is the caller's)."""
    return Q(status__in=queue.statuses) & queue_condition_q(queue, user=user, now=now)


def queue_condition_q(queue: Queue, *, user: Viewer, now: datetime.datetime) -> Q:
    """What the queue asks beyond its statuses (Q() for a queue of statuses only)."""
    q = Q()
    today = timezone.localdate(now)  # the day where the practice is, not in UTC
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


# Sorts with an index that leads with (practice, status): claim_queue_idx, claim_service_date_idx
# and claim_amount_idx. A page in these orders is read range by range (QueuePage.slice) when the
# fence and the queue make at most MAX_ARMS (practice, status) pairs.
ARMED_SORTS = frozenset({"oldest", "age", "amount"})
ROW_JOINS = ("patient", "payer", "practice", "assignee", "coverage")  # what a queue row shows
JOINED_SORTS = frozenset({"patient", "payer"})  # orders that need the joins themselves
MAX_ARMS = 150
MAX_ARMED_ROWS = 1000  # page 20 of 50 rows
# Sets of statuses with a partial index in a queue's order (claims/models.py): read as one range
# per practice, not one per status (fewer ranges to plan; one range for one practice).
STATUS_SET_INDEXES = frozenset(
    {(frozenset(WITH_PAYER), "oldest"), (frozenset(NOT_YET_ACCEPTED), "age")}
)

# "Oldest first" among claims of a range of service dates: the time a claim last changed follows
# its date of service, so walking the status_changed_at order to find recent visits reads nearly
# every older claim first. An expression no index serves makes PostgreSQL find the claims by
# their date of service (claim_service_date_idx) and sort only those.
OLDEST_AMONG_FEW = (
    ExpressionWrapper(
        F("status_changed_at") + Value(datetime.timedelta(0)), output_field=DateTimeField()
    ).asc(),
    "id",
)

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

    def condition(
        self,
        *,
        user: Viewer,
        today: datetime.date,
        fence: Iterable[int] = (),
        statuses: bool = True,
    ) -> Q:
        """The criteria as one condition; without the statuses when `statuses` is False (the
        caller then narrows the statuses itself)."""
        q = Q()
        if self.practice:
            q &= Q(practice_id=self.practice)
        if self.payer:
            q &= Q(payer_id=self.payer)
        if self.provider:
            q &= Q(rendering_provider_id=self.provider)
        if self.statuses and statuses:
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
            q &= Q(status__in=NOT_YET_ACCEPTED) & timely_q(today)
        if self.reason:
            q &= reason_q(self.reason)
        if self.search:
            q &= search_q(self.search, fence=fence)
        return q

    def by_service_date(self) -> bool:
        """True when the dates of service are narrowed (a range or an age bucket)."""
        return bool(self.service_from or self.service_to or self.age in AGE_BUCKETS)

    def tallied(self) -> bool:
        """True when only the practice, payer and statuses are chosen: the tallies answer."""
        return not any(
            (
                self.provider, self.service_from, self.service_to, self.age,
                self.amount_min is not None, self.amount_max is not None, self.assignee,
                self.follow_up_due, self.near_filing_limit, self.reason, self.search.strip(),
            )
        )  # fmt: skip

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


# A name that matches more patients than this is too short to be a search; the claims of the
# first SEARCH_PATIENTS_MAX are shown (the count says "of" those), and the biller types more.
SEARCH_PATIENTS_MAX = 2000


def search_q(text: str, *, fence: Iterable[int]) -> Q:
    """A claim number (ours, the payer's, or the sending system's), a member id, or the start of
    a patient's last (or "last, first", or "first last") name.

    The patients and coverages are found first, each on its own index (the prefix indexes of
    patient search), and the claims then by their ids: an OR across joined tables would make
    PostgreSQL read every claim of the practice. Two small queries, then one indexed condition.
    """
    from patients.models import Coverage, Patient

    text = text.strip()
    fence = list(fence)
    numbers = {text, text.upper()}
    q = (
        Q(control_number__in=numbers)
        | Q(payer_claim_number__in=numbers)
        | Q(source_control_number__in=numbers)
    )
    coverage_ids = list(
        Coverage.objects.filter(practice_id__in=fence, member_id__iexact=text).values_list(
            "id", flat=True
        )[:SEARCH_PATIENTS_MAX]
    )
    last, _, first = (part.strip() for part in text.partition(","))
    name = Q(last_name__istartswith=last)
    if first:
        name &= Q(first_name__istartswith=first)
    elif " " in text:
        first_word, _, rest = text.partition(" ")
        name |= Q(first_name__istartswith=first_word, last_name__istartswith=rest.strip())
    patient_ids = list(
        Patient.objects.filter(name, practice_id__in=fence)
        .order_by()
        .values_list("id", flat=True)[:SEARCH_PATIENTS_MAX]
    )
    if coverage_ids:
        q |= Q(coverage_id__in=coverage_ids)
    if patient_ids:
        q |= Q(patient_id__in=patient_ids)
    return q


# Queue conditions the tallies answer: (statuses, on_hold or None for either).
TALLIED_CONDITIONS: dict[str, bool | None] = {"": None, "not_held": False, "held": True}


def _tally_hold(queue: Queue) -> tuple[bool, bool | None]:
    """(whether ClaimTally answers this queue's totals, which holds it counts)."""
    if queue.condition == "scrubber":
        return scrubber_holds_q() == Q(), None
    if queue.condition in TALLIED_CONDITIONS:
        return True, TALLIED_CONDITIONS[queue.condition]
    return False, None


@dataclass
class QueuePage:
    queue: Queue
    claims: QuerySet[Claim]
    filtered: QuerySet[Claim]  # the same claims, without joins or order: for the totals
    several_practices: bool
    fence: list[int] = field(default_factory=list)
    criteria: ClaimCriteria | None = None
    sort: str = "oldest"
    # The conditions beyond practice and status: what each (practice, status) range filters by.
    rest: Q = field(default_factory=Q)
    now: datetime.datetime | None = None
    _totals: Totals | None = None

    def practices(self) -> list[int]:
        criteria = self.criteria or ClaimCriteria()
        return [p for p in self.fence if not criteria.practice or p == criteria.practice]

    def statuses(self) -> list[str]:
        return chosen_statuses(self.queue, self.criteria)

    def _arms(self) -> tuple[list[Q], tuple[Any, ...]] | None:
        """The ranges the page is read from, each one ordered index range, with the order
        within a range; None when the sort has no such index or the ranges are too many.

        A queue whose statuses have a partial index of their own in this order
        (STATUS_SET_INDEXES) is one range per practice; any other, one per practice and status.
        By payer, one range per practice and payer that has claims in the queue's statuses
        (ClaimTally knows which), each read in id order (claim_payer_order_idx): the payers'
        names then order the few rows read, where sorting by name meant joining and sorting
        every claim of the queue (1.6 s for All claims at 1M)."""
        criteria = self.criteria or ClaimCriteria()
        armed = self.sort in ARMED_SORTS or self.sort == "payer"
        if not armed or criteria.search.strip() or criteria.reason:
            return None  # a search finds few claims by its own indexes: sort those
        if self.sort in ("oldest", "payer") and criteria.by_service_date():
            return None  # see OLDEST_AMONG_FEW
        statuses = self.statuses()
        if self.sort == "payer":
            pairs = claim_payers_present(practice_ids=self.practices(), statuses=statuses)
            arms = [
                Q(practice_id=practice, payer_id=payer, status__in=statuses)
                for practice, payer in pairs
                if not criteria.payer or payer == criteria.payer
            ]
            return (arms, ("id",)) if 0 < len(arms) <= MAX_ARMS else None
        if self.sort == "oldest" and set(statuses) == set(ClaimStatus.values):
            return None  # every claim, oldest first: claim_changed_idx serves it as it is
        if (frozenset(statuses), self.sort) in STATUS_SET_INDEXES:
            arms = [Q(practice_id=p, status__in=statuses) for p in self.practices()]
        else:
            arms = [Q(practice_id=p, status__in=[s]) for p in self.practices() for s in statuses]
        return (arms, SORTS[self.sort]) if 1 < len(arms) <= MAX_ARMS else None

    def _first_ids(self, stop: int, extra: Q) -> QuerySet[Claim, int] | None:
        """The ids of the first `stop` claims of every arm (UNION ALL of ordered index ranges):
        what a merge of the per-practice, per-status index ranges would read. None past
        MAX_ARMED_ROWS (a deep page: each range would read it all again)."""
        found = self._arms()
        if found is None or stop > MAX_ARMED_ROWS:
            return None
        arms, order = found
        # Each range from the bare conditions: repeating the fence and the statuses beside the
        # range's own practice and status makes the planner think the range tiny and sort it.
        parts = [
            Claim.objects.filter(self.rest, extra, arm)
            .order_by(*order)
            .values_list("id", flat=True)[:stop]
            for arm in arms
        ]
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    def slice(self, start: int, stop: int) -> list[Claim]:
        """Rows `start` to `stop` of the queue, in its order: one query.

        `practice IN (…) AND status IN (…) ORDER BY x` cannot be read in order from an index
        that leads with practice and status, so PostgreSQL would sort the whole queue (every
        claim of the practices, for "All claims"). Read instead the first `stop` rows of each
        (practice, status) range in index order and sort only those: the cost grows with the
        page and the number of ranges, not with the claims in the table.
        """
        ids = self._first_ids(stop, Q())
        if ids is None and self.sort in JOINED_SORTS:
            return list(self.claims[start:stop])
        if ids is None:
            # The page's ids first, from the claims alone, then the joins for those 50: joining
            # patient, coverage, payer and assignee to every match before sorting cost 250 ms
            # for a reason that matched 7,000 claims.
            order = self.claims.query.order_by
            return rows_in_order(
                list(self.filtered.order_by(*order).values_list("id", flat=True)[start:stop])
            )
        # The ranges applied every condition already. The page's ids first, ordered from the
        # claims alone, then the joins for those rows: planning the joins around the UNION
        # took PostgreSQL 10 ms a list against 2 ms to run it (five lists on the biller home).
        page_ids = list(
            Claim.objects.filter(id__in=ids)
            .order_by(*SORTS[self.sort])
            .values_list("id", flat=True)[start:stop]
        )
        return rows_in_order(page_ids)

    def next_candidates(self, count: int) -> QuerySet[Claim]:
        """The claims "Next claim" chooses among: the first `count` unassigned ones not on hold
        of each range (all of the queue when it is read in one piece)."""
        unassigned = Q(assignee__isnull=True, on_hold=False)
        ids = self._first_ids(count, unassigned)
        found = self.claims.filter(unassigned)
        return found if ids is None else found.filter(id__in=ids)

    @property
    def totals(self) -> Totals:
        """The count and charges of the whole queue, on first use: from the tallies when the
        queue is a set of statuses (and a hold) and the filters only narrow the practice or the
        statuses, otherwise one aggregate query over the filtered claims."""
        if self._totals is None:
            self._totals = self._tallied() or self._counted()
        return self._totals

    def _tallied(self) -> Totals | None:
        if not (self.criteria or ClaimCriteria()).tallied():
            return None
        return queue_totals(
            self.queue, practices=self.practices(), statuses=self.statuses(),
            tallies=claim_tallies(
                practice_ids=self.practices(), payer_id=(self.criteria or ClaimCriteria()).payer
            ),
            now=self.now, payer_id=(self.criteria or ClaimCriteria()).payer,
        )  # fmt: skip

    def _counted(self) -> Totals:
        found = self.filtered.aggregate(count=CountOf("*"), charges=Sum("total_charge"))
        return Totals(self.queue.label, found["count"], found["charges"] or Decimal("0.00"))


def rows_in_order(ids: list[int]) -> list[Claim]:
    """The queue rows of these claims, with what a row shows, in the order of `ids`. Fetched by
    id alone: the planner joins five tables to a list of 50 ids in well under a millisecond."""
    if not ids:
        return []
    found = {row.pk: row for row in Claim.objects.filter(id__in=ids).select_related(*ROW_JOINS)}
    return [found[pk] for pk in ids if pk in found]


def chosen_statuses(queue: Queue, criteria: ClaimCriteria | None) -> list[str]:
    """The queue's statuses, narrowed to those the filters chose (all of them when none)."""
    chosen = criteria.statuses if criteria is not None else []
    return [s for s in queue.statuses if not chosen or s in chosen]


class QueueRows(Sequence[Claim]):
    """A queue as a paginator's object list: its length is the queue's count, and a slice is
    read by QueuePage.slice (Django's Paginator and DRF's page pagination only slice it)."""

    def __init__(self, page: QueuePage) -> None:
        self.page = page

    def __len__(self) -> int:
        return self.page.totals.count

    @overload
    def __getitem__(self, index: int) -> Claim: ...

    @overload
    def __getitem__(self, index: slice) -> list[Claim]: ...

    def __getitem__(self, index: int | slice) -> Claim | list[Claim]:
        if isinstance(index, int):
            found = self.page.slice(index, index + 1)
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step not in (None, 1):
            raise TypeError("A queue is read a page at a time.")
        return self.page.slice(index.start or 0, len(self) if index.stop is None else index.stop)


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
    rest = queue_condition_q(queue, user=user, now=now)
    if criteria is not None:
        rest &= criteria.condition(
            user=user, today=timezone.localdate(now), fence=fence, statuses=False
        )
    statuses = chosen_statuses(queue, criteria)
    claims = Claim.objects.filter(rest, practice_id__in=fence)
    if set(statuses) != set(ClaimStatus.values):  # "All claims" needs no status condition
        claims = claims.filter(status__in=statuses)
    order = SORTS.get(sort, SORTS["oldest"])
    if sort in ("oldest", "", None) and criteria is not None and criteria.by_service_date():
        order = OLDEST_AMONG_FEW
    rows = claims.select_related(*ROW_JOINS).order_by(*order)
    return QueuePage(
        queue=queue, claims=rows, filtered=claims, several_practices=len(fence) > 1,
        fence=list(fence), criteria=criteria, sort=sort if sort in SORTS else "oldest",
        rest=rest, now=now,
    )  # fmt: skip


def queue_totals(
    queue: Queue,
    *,
    practices: list[int],
    statuses: Sequence[str],
    tallies: Tallies,
    now: datetime.datetime | None,
    payer_id: int | None = None,
) -> Totals | None:
    """The queue's count and charges from the tallies, when they can say: a queue of statuses
    and a hold, directly; Waiting on payer and Needs investigation as the tallies of their
    statuses less the claims answered (or worked) lately, which a range at the recent end of an
    index finds. None for the others (the caller counts them)."""
    tallied, on_hold = _tally_hold(queue)
    if tallied:
        return tallied_totals(tallies, label=queue.label, statuses=statuses, on_hold=on_hold)
    if now is None or queue.condition not in ("overdue", "stale"):
        return None
    whole = tallied_totals(tallies, label=queue.label, statuses=statuses)
    # Two disjoint sets, each counted from its own index alone (an OR of the two made
    # PostgreSQL read the table's rows: 18 ms against 3 ms for an agency at 1M claims).
    ranges = [_answered_lately_q(now, 1 if queue.condition == "overdue" else 2)]
    if queue.condition == "stale":
        ranges.append(_worked_lately_q(now))
    count, charges = whole.count, whole.charges
    for lately in ranges:
        lately_claims = Claim.objects.filter(lately, practice_id__in=practices, status__in=statuses)
        if payer_id is not None:
            lately_claims = lately_claims.filter(payer_id=payer_id)
        found = lately_claims.aggregate(n=CountOf("*"), charges=Sum("total_charge"))
        count, charges = count - found["n"], charges - (found["charges"] or Decimal(0))
    return Totals(queue.label, count, charges)


def claim_queue_counts(
    *, user: Viewer, now: datetime.datetime, fence: list[int] | None = None
) -> dict[str, Totals]:
    """Every queue's count and charges, in a fixed number of queries.

    The queues that are a set of statuses (and a hold) come from one read of the tallies the
    database keeps (ClaimTally); the others (waiting, investigate, follow-ups, timely) each from
    one aggregate over their statuses' slice of an index.
    """
    if fence is None:
        fence = practice_ids_for(user=user, roles=BILLING)
    claims = Claim.objects.filter(practice_id__in=fence)
    tallies = claim_tallies(practice_ids=fence)
    counts: dict[str, Totals] = {}
    for key, queue in QUEUES.items():
        known = queue_totals(
            queue, practices=list(fence), statuses=queue.statuses, tallies=tallies, now=now
        )
        if known is not None:
            counts[key] = known
        else:
            found = claims.filter(queue_filter(queue, user=user, now=now)).aggregate(
                n=CountOf("*"), charges=Sum("total_charge")
            )
            counts[key] = Totals(queue.label, found["n"], found["charges"] or Decimal("0.00"))
    return counts


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
