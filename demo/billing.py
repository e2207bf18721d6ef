"""Demo claims: every ClaimStatus, each reached by walking legal transitions on a real timeline.

Claims are created by `claim_create_from_encounter` and moved by `claim_transition` (READY via
`claim_mark_ready`), so their timelines are the ones the app writes. The state machine stamps
events with the time of the run; afterwards the timeline is moved back to when each step would
have happened (days after the visit, payments on the payer's payment days).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus
from claims.services import claim_create_from_encounter, claim_mark_ready
from claims.state import claim_transition
from demo.catalog import PayerSpec
from demo.visits import Visit
from rcm.practice.models import User

S = ClaimStatus
Denial = tuple[str, str, tuple[str, ...]]  # (group, reason, remark codes)
# How many claims end in each status, by the age of the visit (see visits.STAGES).
TIER_QUOTAS: dict[str, dict[str, int]] = {
    "billed_old": {S.PAID: 290, S.CLOSED: 60, S.PARTIALLY_PAID: 50, S.DENIED: 45,
                   S.APPEALED: 20, S.REVERSED: 12, S.VOID: 10, S.REJECTED: 8, S.PENDING: 5},
    "billed_middle": {S.PAID: 60, S.PARTIALLY_PAID: 10, S.DENIED: 15, S.PENDING: 35,
                      S.ACCEPTED: 10, S.REJECTED: 20, S.DRAFT: 5, S.READY: 5},
    "billed_recent": {S.DRAFT: 20, S.READY: 25, S.QUEUED: 15, S.SUBMITTED: 25, S.ACCEPTED: 10,
                      S.REJECTED: 5},
}  # fmt: skip
SUBMIT = (S.READY, S.QUEUED, S.SUBMITTED)
PAPER_QUEUED = 3  # a paper payer's claims waiting to be printed ("To print")
ACCEPT = (*SUBMIT, S.ACCEPTED)
RESUBMITTED = (*SUBMIT, S.REJECTED, S.DRAFT, *ACCEPT)
# The walks that end in each status, with how often each is taken.
PATHS: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {
    S.DRAFT: (((), 1),),
    S.READY: (((S.READY,), 1),),
    S.QUEUED: (((S.READY, S.QUEUED), 1),),
    S.SUBMITTED: ((SUBMIT, 1),),
    S.ACCEPTED: ((ACCEPT, 1),),
    S.REJECTED: (((*SUBMIT, S.REJECTED), 4), ((*ACCEPT, S.REJECTED), 1)),
    S.PENDING: (((*ACCEPT, S.PENDING), 1),),
    S.PAID: (((*ACCEPT, S.PAID), 14), ((*ACCEPT, S.PENDING, S.PAID), 3),
             ((*RESUBMITTED, S.PAID), 2), ((*ACCEPT, S.DENIED, S.APPEALED, S.PAID), 1)),
    S.PARTIALLY_PAID: (((*ACCEPT, S.PARTIALLY_PAID), 1),),
    S.DENIED: (((*ACCEPT, S.DENIED), 4), ((*ACCEPT, S.PENDING, S.DENIED), 1)),
    S.APPEALED: (((*ACCEPT, S.DENIED, S.APPEALED), 3),
                 ((*ACCEPT, S.PARTIALLY_PAID, S.APPEALED), 1)),
    S.REVERSED: (((*ACCEPT, S.PAID, S.REVERSED), 1),),
    S.VOID: (((S.VOID,), 1), ((*SUBMIT, S.REJECTED, S.VOID), 1)),
    S.CLOSED: (((*ACCEPT, S.PAID, S.CLOSED), 3), ((*ACCEPT, S.DENIED, S.CLOSED), 1),
               ((*ACCEPT, S.DENIED, S.APPEALED, S.CLOSED), 1)),
}  # fmt: skip
ADJUDICATIONS = frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED, S.REVERSED})
SOURCES: dict[str, str] = {S.SUBMITTED: "batch", S.ACCEPTED: "277CA", S.REJECTED: "277CA",
           S.PENDING: "status check", **dict.fromkeys(ADJUDICATIONS, "835")}  # fmt: skip
NOTES: dict[str, tuple[str, ...]] = {
    S.REJECTED: ("277CA A7: subscriber ID not found for this payer.",
                 "277CA A7: rendering provider NPI not enrolled with the payer.",
                 "277CA A7: patient date of birth does not match the payer's records."),
    S.DRAFT: ("Corrected the member ID from the insurance card on file.",
              "Corrected the subscriber's date of birth."),
    S.PENDING: ("Status check: claim in adjudication, no action needed.",),
    S.APPEALED: ("Level 1 appeal sent with the visit note and the authorization record.",
                 "Appeal sent: documentation supports medical necessity."),
    S.VOID: ("Duplicate of another claim for the same visit.",),
    S.CLOSED: ("Balance billed to the patient; claim closed.",
               "Denial upheld; remaining balance written off."),
    S.REVERSED: ("Payer recouped the payment (835 reversal).",),
}  # fmt: skip
# Days (low, high) from the previous step to this one.
DELAY_DAYS: dict[str, tuple[float, float]] = {
    S.READY: (0.01, 0.2), S.QUEUED: (0.01, 0.1), S.SUBMITTED: (0.05, 0.4),
    S.ACCEPTED: (0.6, 1.6), S.REJECTED: (0.6, 1.6), S.DRAFT: (1, 4), S.PENDING: (7, 14),
    S.APPEALED: (5, 25), S.REVERSED: (15, 45), S.CLOSED: (10, 35), S.VOID: (1, 10),
}  # fmt: skip
PRIOR_AUTH_DENIAL = ("CO", "197", ("N54",))
CLAIM_DENIALS: tuple[tuple[Denial, int], ...] = (
    (("CO", "16", ("MA130", "N382")), 35),
    (("CO", "50", ("N115",)), 30),
    (("PR", "204", ("N130",)), 20),
)
BUNDLED = frozenset({"36415", "96372", "90471", "G0008", "82947", "96127"})


@dataclass
class ClaimPlan:
    visit: Visit
    payer: PayerSpec
    target: str
    path: tuple[str, ...] = ()
    # (group, reason, remarks) of a whole-claim denial, and of the one line denied on a
    # partial payment (with its position).
    denial: Denial | None = None
    partial: tuple[int, Denial] | None = None
    notes: list[str] = field(default_factory=list)
    times: list[datetime.datetime] = field(default_factory=list)
    claim: Claim | None = None

    def adjudications(self) -> list[tuple[str, datetime.datetime]]:
        return [(s, at) for s, at in zip(self.path, self.times[1:], strict=True)
                if s in ADJUDICATIONS]  # fmt: skip


def _partial_denial(rng: random.Random, visit: Visit) -> tuple[int, Denial]:
    """Which line a partial payment denies, and why."""
    positions = {line.code: n for n, line in enumerate(visit.lines, start=1)}
    if visit.prior_auth_codes and rng.random() < 0.7:
        code = next(c for c in positions if c in visit.prior_auth_codes)
        return positions[code], PRIOR_AUTH_DENIAL
    bundled = [n for c, n in positions.items() if c in BUNDLED]
    if bundled:
        return bundled[-1], ("CO", "97", ("M15",))
    labs = [n for c, n in positions.items() if c.startswith("8") and n > 1]
    if labs:
        return labs[-1], ("CO", "50", ("N115",))
    return len(visit.lines), ("PR", "204", ("N130",))


def _claim_denial(rng: random.Random, visit: Visit) -> Denial:
    if visit.prior_auth_codes and rng.random() < 0.7:
        return PRIOR_AUTH_DENIAL
    denials, weights = zip(*CLAIM_DENIALS, strict=True)
    return rng.choices(denials, weights=weights)[0]


def _delay_days(status: str, previous: str, payer: PayerSpec) -> tuple[float, float]:
    if status not in ADJUDICATIONS - {S.REVERSED}:
        return DELAY_DAYS[status]
    if previous == S.PENDING:
        return (3, 10)
    if previous == S.APPEALED:
        return (20, 45)
    return (max(payer.turnaround_days - 4, 2), payer.turnaround_days + 4)


def _compressed(rng: random.Random, times: list[datetime.datetime],
                limit: datetime.datetime) -> bool:  # fmt: skip
    """Squeeze a timeline that would run into the future so that it ends a little before `limit`."""
    if times[-1] <= limit:
        return False
    start = timezone.localtime(min(times[0], limit - datetime.timedelta(hours=2)))
    if len(times) == 1:
        times[0] = start
        return True
    end = limit - (limit - start) * rng.uniform(0, 0.25)
    factor = (end - start) / (times[-1] - times[0])
    times[:] = [start + (at - times[0]) * factor for at in times]
    return True


def _payment_runs(day: datetime.date, payer: PayerSpec) -> tuple[datetime.date, datetime.date]:
    """The payer's payment runs on or before, and on or after, `day` (weekly or fortnightly)."""
    after = day + datetime.timedelta(days=(payer.pay_weekday - day.weekday()) % 7)
    if payer.pay_cycle_days == 14 and (after.toordinal() // 7) % 2:
        after += datetime.timedelta(days=7)
    before = after if after == day else after - datetime.timedelta(days=payer.pay_cycle_days)
    return before, after


def _run_at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone()
    )


def _next_payment_run(at: datetime.datetime, payer: PayerSpec) -> datetime.datetime:
    run = _run_at(_payment_runs(timezone.localdate(at), payer)[1])
    return run if run >= at else run + datetime.timedelta(days=payer.pay_cycle_days)


def _back_on_payment_runs(plan: ClaimPlan, limit: datetime.datetime) -> None:
    """After squeezing, put each adjudication back on a payment run where the order allows."""
    times = plan.times
    for i, status in enumerate(plan.path, start=1):
        if status not in ADJUDICATIONS:
            continue
        later = times[i + 1] if i + 1 < len(times) else limit
        for day in _payment_runs(timezone.localdate(times[i]), plan.payer):
            if times[i - 1] < _run_at(day) <= min(later, limit):
                times[i] = _run_at(day)
                break


def _timeline(rng: random.Random, plan: ClaimPlan, now: datetime.datetime) -> None:
    """When each step happened: the claim a few days after the visit, then step by step."""
    tz = timezone.get_current_timezone()
    created = plan.visit.encounter.date_of_service + datetime.timedelta(days=rng.randint(1, 3))
    moment = datetime.time(rng.randint(8, 16), rng.randint(0, 59))
    plan.times = [datetime.datetime.combine(created, moment, tzinfo=tz)]
    previous: str = S.DRAFT
    limit = now - datetime.timedelta(minutes=30)
    for status in plan.path:
        low, high = _delay_days(status, previous, plan.payer)
        at = plan.times[-1] + datetime.timedelta(days=rng.uniform(low, high))
        if status in ADJUDICATIONS:  # payers decide and pay on their payment runs
            at = _next_payment_run(at, plan.payer)
        plan.times.append(at)
        previous = status
    if _compressed(rng, plan.times, limit):
        _back_on_payment_runs(plan, limit)


def _plan(rng: random.Random, visit: Visit, payer: PayerSpec, target: str,
          now: datetime.datetime) -> ClaimPlan:  # fmt: skip
    options = [(path, weight) for path, weight in PATHS[target]
               if len(visit.lines) > 1 or S.PARTIALLY_PAID not in path]  # fmt: skip
    paths, weights = zip(*options, strict=True)
    plan = ClaimPlan(visit=visit, payer=payer, target=target)
    plan.path = rng.choices(paths, weights=weights)[0]
    if S.DENIED in plan.path:
        plan.denial = _claim_denial(rng, visit)
    if S.PARTIALLY_PAID in plan.path:
        plan.partial = _partial_denial(rng, visit)
    if PRIOR_AUTH_DENIAL in (plan.denial, plan.partial and plan.partial[1]):
        # The scrubber holds a claim with no authorization for a code the payer lists, so the
        # payer denies (N54) an authorization that does not cover the service billed.
        visit.encounter.prior_authorization = f"PA{visit.encounter.prior_authorization[2:]}X"
    plan.notes = [rng.choice(NOTES.get(status, ("",))) for status in plan.path]
    _timeline(rng, plan, now)
    return plan


def plans_build(rng: random.Random, visits: list[Visit], payers: dict[int, PayerSpec],
                now: datetime.datetime) -> list[ClaimPlan]:  # fmt: skip
    """Decide, before anything is written, how every billed visit's claim will end."""
    plans = []
    for tier, quotas in TIER_QUOTAS.items():
        tier_visits = [v for v in visits if v.stage == tier]
        multi_line = [v for v in tier_visits if len(v.lines) > 1]
        partial = quotas.get(S.PARTIALLY_PAID, 0)
        # Partial payments need a second line to deny: they take multi-line visits first.
        first, rest = (
            multi_line[:partial],
            [v for v in tier_visits if v not in multi_line[:partial]],
        )
        targets = [status for status, n in quotas.items() if status != S.PARTIALLY_PAID
                   for _ in range(n)]  # fmt: skip
        rng.shuffle(targets)
        _paper_claims_queued((first + rest)[partial:], targets, payers)
        for visit, target in zip(first + rest, [S.PARTIALLY_PAID] * partial + targets, strict=True):
            assert visit.coverage is not None, "a billed visit always has a primary coverage"
            plans.append(_plan(rng, visit, payers[visit.coverage.payer_id], target, now))
    return plans


def _paper_claims_queued(visits: list[Visit], targets: list[str],
                         payers: dict[int, PayerSpec]) -> None:  # fmt: skip
    """Give the first PAPER_QUEUED visits of a paper payer a QUEUED target (swapped with an
    electronic payer's visit), so the billers' "To print" list is never empty in the demo."""

    def on_paper(visit: Visit) -> bool:
        assert visit.coverage is not None
        return payers[visit.coverage.payer_id].paper_claims_address is not None

    paper = [i for i, visit in enumerate(visits) if on_paper(visit)]
    electronic_queued = [i for i, t in enumerate(targets) if t == S.QUEUED and i not in paper]
    for i in paper[:PAPER_QUEUED]:
        if targets[i] != S.QUEUED and electronic_queued:
            j = electronic_queued.pop()
            targets[i], targets[j] = targets[j], targets[i]


def _step(claim: Claim, status: str, user: User, note: str, at: datetime.datetime) -> Claim:
    if status == S.READY:  # scrubbed on the day the plan says, as timely filing counts from it
        return claim_mark_ready(claim=claim, user=user, as_of=at.date())
    by_person = status not in SOURCES
    return claim_transition(claim=claim, to=status, user=user if by_person else None,
                            source=SOURCES.get(status, "user"), note=note)  # fmt: skip


def claims_walk(plans: list[ClaimPlan], billers: dict[int, User]) -> None:
    """Create each claim from its encounter and walk it, one legal transition at a time."""
    for plan in plans:
        encounter = plan.visit.encounter
        user = billers[encounter.practice_id]
        claim = claim_create_from_encounter(encounter=encounter, user=user)
        for status, note, at in zip(plan.path, plan.notes, plan.times[1:], strict=True):
            claim = _step(claim, status, user, note, at)
        plan.claim = claim


def payer_claim_number(claim: Claim, accepted_at: datetime.datetime) -> str:
    """An ICN-like number: year, day of the year, and a serial."""
    return f"{accepted_at:%y%j}{claim.pk:07d}{claim.pk * 7 % 10}"


def _claims(plans: list[ClaimPlan]) -> list[Claim]:
    return [plan.claim for plan in plans if plan.claim is not None]


def timelines_backdate(plans: list[ClaimPlan]) -> None:
    """Move every claim's events and dates back to when the plan says they happened."""
    by_claim = {plan.claim.pk: plan for plan in plans if plan.claim is not None}
    events: QuerySet[ClaimEvent] = ClaimEvent.objects.filter(claim_id__in=by_claim)
    grouped: dict[int, list[ClaimEvent]] = defaultdict(list)
    for event in events.order_by("claim_id", "id"):
        grouped[event.claim_id].append(event)
    for claim_id, claim_events in grouped.items():
        for event, at in zip(claim_events, by_claim[claim_id].times, strict=True):
            event.at = at
    ClaimEvent.objects.bulk_update([e for es in grouped.values() for e in es], ["at"],
                                   batch_size=2000)  # fmt: skip
    for plan in by_claim.values():
        claim, steps = plan.claim, list(zip(plan.path, plan.times[1:], strict=True))
        assert claim is not None
        claim.created_at, claim.status_changed_at = plan.times[0], plan.times[-1]
        claim.submitted_at = max((at for s, at in steps if s == S.SUBMITTED), default=None)
        accepted = [at for s, at in steps if s == S.ACCEPTED]
        if accepted:
            claim.payer_claim_number = payer_claim_number(claim, accepted[-1])
    Claim.objects.bulk_update(
        _claims(plans),
        ["created_at", "status_changed_at", "submitted_at", "payer_claim_number"],
        batch_size=1000,
    )
