"""Posting 835 remittances: payments, adjustments and claim statuses, each payment exactly once.

Decisions (see also the docstrings below):
- A file is refused whole (nothing posted) only when its envelope is broken: it does not parse,
  holds amounts the books cannot hold, its payment total (BPR02 = claims paid - PLB) does not
  balance, it pays claims of more than one practice, or it matches no claim and no practice's
  NPI ("payee unknown"). The refused file is still kept, quarantined with the reason.
- A claim payment that cannot be applied (no claim with its CLP01, lines that do not add up to
  its paid amount, a claim that cannot take it) is kept with claim=None and becomes a
  PostingException for a biller to match by hand or resolve; the rest of the file posts.
- A payment is identified by (TRN03, TRN02): one already posted, from this file or any other, is
  skipped, so re-importing never posts twice.
- Remarks in the preview are the claim's and its lines' remark codes, each once, in order of
  first appearance (claim level first, then line by line), as a person reads the remittance.
- A claim paid in several CLPs of one file (a reversal then a correction) moves through each
  status in order; a claim already in the status a CLP implies is not reported as refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Q

from claims.adjudication import PaymentDecision, claims_adjudicate_payments
from claims.models import ClaimLine, ClaimStatus
from claims.selectors import claims_by_control_number
from denials import models as posted
from denials.denial_records import denials_record
from rcm.bulk import objects_insert
from rcm.practice.models import Payer, Practice
from rcm.x12.base import X12Error
from rcm.x12.era835 import (
    ClaimPayment,
    Remittance,
    ServiceLine,
    check_balance,
    claim_balance_problems,
    parse_835,
    payment_balance_problem,
)

if TYPE_CHECKING:
    from rcm.practice.models import User

CENTS = Decimal("0.01")
# What the rows hold: amounts are DecimalField(12, 2), LinePayment.units (7, 2) and
# Adjustment.quantity (9, 2); PostgreSQL refuses anything that rounds to these or more.
AMOUNT_LIMIT = Decimal(10) ** 10
UNITS_LIMIT = Decimal(10) ** 5
QUANTITY_LIMIT = Decimal(10) ** 7
MAX_PROBLEMS_SHOWN = 10


class PostingRefused(Exception):
    """The 835 was refused whole: nothing was posted. The message says why, with segment/line.

    `stored_file_id` is the quarantined file's id once `era_post` has kept it (None otherwise).
    """

    def __init__(self, message: str, *, stored_file_id: int | None = None) -> None:
        super().__init__(message)
        self.stored_file_id = stored_file_id


@dataclass
class PostingResult:
    """What posting one 835 file did."""

    stored_file_id: int
    duplicate: bool = False
    remittances_posted: list[str] = field(default_factory=list)  # TRN02 trace numbers
    remittances_skipped: list[str] = field(default_factory=list)  # already posted before
    claims_matched: int = 0
    claims_unmatched: list[str] = field(default_factory=list)  # CLP01 with no claim
    claims_not_moved: dict[int, str] = field(default_factory=dict)  # claim id -> its status
    remittances: list[Remittance] = field(default_factory=list, repr=False)  # what was read

    def summary(self) -> dict[str, Any]:
        """JSON-ready, for the stored file's summary."""
        return {
            "remittances_posted": self.remittances_posted,
            "remittances_skipped": self.remittances_skipped,
            "claims_matched": self.claims_matched,
            "claims_unmatched": self.claims_unmatched,
            "claims_not_moved": {str(k): v for k, v in self.claims_not_moved.items()},
        }


def money(value: Decimal) -> str:
    """A decimal string with two places: "512.40", "-3.10" (never "-0.00")."""
    cents = value.quantize(CENTS)
    return str(cents.copy_abs() if cents.is_zero() else cents)


# --- preview: what the file says, as the `import_era --json` contract shows it -----------------


def _remarks_of(claim: ClaimPayment) -> list[str]:
    codes = [*claim.remark_codes, *(c for line in claim.service_lines for c in line.remark_codes)]
    return list(dict.fromkeys(codes))


def _adjustments_json(adjustments: Iterable[Any]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": money(a.amount)} for a in adjustments]


def _line_json(line: ServiceLine) -> dict[str, Any]:
    return {
        "control_number": line.control_number,
        "procedure": line.procedure_code,
        "modifiers": list(line.modifiers),
        "charge": money(line.charge),
        "paid": money(line.paid),
        "adjustments": _adjustments_json(line.adjustments),
    }


def _claim_json(claim: ClaimPayment) -> dict[str, Any]:
    return {
        "control_number": claim.control_number,
        "status_code": claim.status_code,
        "charge": money(claim.charge),
        "paid": money(claim.paid),
        "patient_responsibility": money(claim.patient_responsibility),
        "payer_claim_number": claim.payer_claim_number,
        "adjustments": _adjustments_json(claim.adjustments),
        "remarks": _remarks_of(claim),
        "lines": [_line_json(line) for line in claim.service_lines],
    }


def era_preview(remittances: list[Remittance]) -> dict[str, Any]:
    """The remittances as the DESIGN.md `import_era --json` shape, amounts as decimal strings."""
    return {
        "payments": [
            {
                "trace": r.trace_number,
                "total": money(r.payment_amount),
                "method": r.payment_method,
                "payer": r.payer_name,
                "provider_adjustments": [
                    {"reason": p.reason, "reference": p.reference, "amount": money(p.amount)}
                    for p in r.provider_adjustments
                ],
                "claims": [_claim_json(c) for c in r.claims],
            }
            for r in remittances
        ]
    }


# --- checking: parse and balance, or refuse ------------------------------------------------------


def era_check(*, content: bytes) -> list[Remittance]:
    """Parse the 835 and check every balancing rule; PostingRefused when anything is wrong."""
    try:
        remittances = parse_835(content)
    except X12Error as error:
        raise PostingRefused(str(error)) from error
    if not remittances:
        raise PostingRefused("the file holds no 835 transaction")
    refusal = era_refusal(remittances)
    if refusal:
        raise PostingRefused(refusal)
    return remittances


def era_refusal(remittances: list[Remittance]) -> str:
    """Why remittances that parse cannot be posted (amounts the books cannot hold, or a payment
    total that does not balance); '' when they can. A claim whose own lines do not add up does
    not refuse the file: it becomes a posting exception. When the total is broken, the message
    lists the claims' problems too, since they are usually why."""
    too_large = [problem for r in remittances for problem in _too_large(r)]
    if too_large:
        return f"the 835 holds amounts too large to post: {_listed(too_large)}"
    if any(payment_balance_problem(r) for r in remittances):
        problems = [problem for r in remittances for problem in check_balance(r)]
        return f"the 835 does not balance: {_listed(problems)}"
    return ""


def _listed(problems: list[str]) -> str:
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return "; ".join(problems[:MAX_PROBLEMS_SHOWN]) + (f" (and {more} more)" if more > 0 else "")


def _over(value: Decimal | None, limit: Decimal) -> bool:
    return value is not None and abs(value.quantize(CENTS)) >= limit


def _too_large(remittance: Remittance) -> list[str]:
    """Each amount, unit count or quantity the database cannot hold, named by its element."""
    where = f"remittance {remittance.control_number}"
    found = (
        [f"{where}: BPR02 {remittance.payment_amount}"]
        if _over(remittance.payment_amount, AMOUNT_LIMIT)
        else []
    )
    found += [
        f"{where}: PLB amount {p.amount}"
        for p in remittance.provider_adjustments
        if _over(p.amount, AMOUNT_LIMIT)
    ]
    for claim in remittance.claims:
        named = f"claim {claim.control_number}"
        amounts = {
            "CLP03": claim.charge,
            "CLP04": claim.paid,
            "CLP05": claim.patient_responsibility,
        }
        found += [f"{named}: {k} {v}" for k, v in amounts.items() if _over(v, AMOUNT_LIMIT)]
        found += _adjustments_too_large(named, claim.adjustments)
        for number, line in enumerate(claim.service_lines, start=1):
            at = f"{named} line {number}"
            found += [
                f"{at}: {k} {v}"
                for k, v, limit in (
                    ("SVC02", line.charge, AMOUNT_LIMIT),
                    ("SVC03", line.paid, AMOUNT_LIMIT),
                    ("SVC05 units", line.units, UNITS_LIMIT),
                )
                if _over(v, limit)
            ]
            found += _adjustments_too_large(at, line.adjustments)
    return found


def _adjustments_too_large(where: str, adjustments: Iterable[Any]) -> list[str]:
    found = []
    for a in adjustments:
        if _over(a.amount, AMOUNT_LIMIT):
            found.append(f"{where}: CAS {a.group}-{a.reason} amount {a.amount}")
        if _over(a.quantity, QUANTITY_LIMIT):
            found.append(f"{where}: CAS {a.group}-{a.reason} quantity {a.quantity}")
    return found


# --- matching: which claims, lines and practice each remittance is for (read only) ---------------


@dataclass
class _ClaimRow:
    id: int
    practice_id: int
    payer_id: int


@dataclass
class LineRow:
    id: int
    control_number: str
    procedure_code: str


@dataclass
class _Plan:
    """One remittance, with the claim (or None) of each CLP and the line (or None) of each SVC."""

    remittance: Remittance
    practice_id: int
    payer_id: int | None
    claims: list[_ClaimRow | None]
    lines: list[list[int | None]]
    # Per CLP: why it cannot be posted, (ExceptionReason, sentence), or None.
    exceptions: list[tuple[str, str] | None] = field(default_factory=list)


def _claims_by_control(remittances: list[Remittance]) -> dict[str, _ClaimRow]:
    found = claims_by_control_number(c.control_number for r in remittances for c in r.claims)
    return {
        number: _ClaimRow(claim.pk, claim.practice_id, claim.payer_id)
        for number, claim in found.items()
    }


def _lines_by_claim(claim_ids: Iterable[int]) -> dict[int, list[LineRow]]:
    lines: dict[int, list[LineRow]] = {}
    rows = (
        ClaimLine.objects.filter(claim_id__in=list(claim_ids))
        .order_by("claim_id", "position")
        .values_list("claim_id", "id", "control_number", "procedure_code")
    )
    for claim_id, pk, control_number, procedure_code in rows:
        lines.setdefault(claim_id, []).append(LineRow(pk, control_number, procedure_code))
    return lines


def lines_match(service_lines: list[ServiceLine], claim_lines: list[LineRow]) -> list[int | None]:
    """REF*6R first; otherwise the next unmatched claim line with the same procedure code."""
    by_control = {line.control_number: line.id for line in claim_lines}
    matched: list[int | None] = [by_control.get(s.control_number) for s in service_lines]
    taken = set(matched)
    free = [line for line in claim_lines if line.id not in taken]
    for index, service in enumerate(service_lines):
        if matched[index] is not None:
            continue
        same_code = next((c for c in free if c.procedure_code == service.procedure_code), None)
        if same_code is not None:
            free.remove(same_code)
            matched[index] = same_code.id
    return matched


def _practice_for(remittance: Remittance, claims: list[_ClaimRow | None]) -> int:
    """The matched claims' practice; with none matched, the practice whose NPI is the payee's."""
    practices = {c.practice_id for c in claims if c is not None}
    if len(practices) > 1:
        raise PostingRefused(
            f"payment {remittance.trace_number} pays claims of {len(practices)} practices; "
            "an 835 pays one payee"
        )
    if practices:
        return practices.pop()
    npi = remittance.payee_npi
    practice_id = (
        Practice.objects.filter(npi=npi).values_list("id", flat=True).first() if npi else None
    )
    if practice_id is None:
        raise PostingRefused(
            f"payee unknown: payment {remittance.trace_number} matches no claim and the payee "
            f"{remittance.payee_name!r} NPI {npi or '(none)'} is no practice's"
        )
    return practice_id


def _payer_for(remittance: Remittance, claims: list[_ClaimRow | None]) -> int | None:
    payers = {c.payer_id for c in claims if c is not None}
    if len(payers) == 1:
        return payers.pop()
    identifiers = {i for i in (remittance.payer_identifier, remittance.payer_id) if i}
    return Payer.objects.filter(payer_id__in=identifiers).values_list("id", flat=True).first()


def era_plan(remittances: list[Remittance]) -> list[_Plan]:
    """Match every CLP and SVC to our claims and lines; PostingRefused if a payee is unknown."""
    claims = _claims_by_control(remittances)
    lines = _lines_by_claim(c.id for c in claims.values())
    plans = []
    for remittance in remittances:
        matched = [claims.get(c.control_number) for c in remittance.claims]
        practice_id = _practice_for(remittance, matched)
        payer_id = _payer_for(remittance, matched)
        exceptions = [
            _exception_for(clp, row) for clp, row in zip(remittance.claims, matched, strict=True)
        ]
        # A CLP that cannot be posted is kept unattached: no claim, no claim lines.
        matched = [None if why else row for row, why in zip(matched, exceptions, strict=True)]
        plans.append(
            _Plan(
                remittance=remittance,
                practice_id=practice_id,
                payer_id=payer_id,
                claims=matched,
                lines=[
                    lines_match(clp.service_lines, lines.get(row.id, []) if row else [])
                    for clp, row in zip(remittance.claims, matched, strict=True)
                ],
                exceptions=exceptions,
            )
        )
    return plans


def _exception_for(clp: ClaimPayment, row: _ClaimRow | None) -> tuple[str, str] | None:
    if row is None:
        return (
            posted.ExceptionReason.NO_CLAIM,
            f"no claim with control number {clp.control_number}",
        )
    problems = claim_balance_problems(clp)
    if problems:
        return (
            posted.ExceptionReason.UNBALANCED,
            f"the lines do not add up to the claim's paid amount: {_listed(problems)}",
        )
    return None


# --- writing rows --------------------------------------------------------------------------------


def _payment_rows(plan: _Plan, remittance_row: posted.Remittance) -> list[posted.ClaimPayment]:
    return [
        posted.ClaimPayment(
            practice_id=plan.practice_id,
            remittance=remittance_row,
            claim_id=row.id if row else None,
            control_number=clp.control_number[:38],
            status_code=clp.status_code[:2],
            charge=clp.charge,
            paid=clp.paid,
            patient_responsibility=clp.patient_responsibility,
            payer_claim_number=clp.payer_claim_number[:50],
            crossover_carrier=clp.crossover_carrier[:60],
            remarks=list(clp.remark_codes),
        )
        for clp, row in zip(plan.remittance.claims, plan.claims, strict=True)
    ]


def _line_rows(
    plan: _Plan, payments: list[posted.ClaimPayment]
) -> list[tuple[posted.LinePayment, ServiceLine]]:
    rows = []
    for clp, payment, line_ids in zip(plan.remittance.claims, payments, plan.lines, strict=True):
        for service, line_id in zip(clp.service_lines, line_ids, strict=True):
            row = posted.LinePayment(
                claim_payment=payment,
                claim_line_id=line_id,
                control_number=service.control_number[:50],
                procedure_code=service.procedure_code[:48],
                modifiers=list(service.modifiers),
                charge=service.charge,
                paid=service.paid,
                units=service.units,
                service_date=service.service_date,
                remarks=list(service.remark_codes),
            )
            rows.append((row, service))
    return rows


def _adjustment_rows(
    plan: _Plan,
    payments: list[posted.ClaimPayment],
    lines: list[tuple[posted.LinePayment, ServiceLine]],
) -> list[posted.Adjustment]:
    rows = [
        posted.Adjustment(
            claim_payment=payment,
            claim_id=payment.claim_id,
            group=a.group,
            reason=a.reason[:5],
            amount=a.amount,
            quantity=a.quantity,
        )
        for clp, payment in zip(plan.remittance.claims, payments, strict=True)
        for a in clp.adjustments
    ]
    rows.extend(
        posted.Adjustment(
            claim_payment_id=line.claim_payment_id,
            claim_id=line.claim_payment.claim_id,
            line_payment=line,
            group=a.group,
            reason=a.reason[:5],
            amount=a.amount,
            quantity=a.quantity,
        )
        for line, service in lines
        for a in service.adjustments
    )
    return rows


def _remittance_write(plan: _Plan, file_id: int) -> tuple[int, list[posted.ClaimPayment]]:
    """One Remittance row and, in bulk, its claim payments, line payments, CAS and PLB rows."""
    r = plan.remittance
    remittance_row = posted.Remittance.objects.create(
        practice_id=plan.practice_id,
        payer_id=plan.payer_id,
        payer_name=r.payer_name[:60],
        trace_number=r.trace_number[:50],
        payer_identifier=r.payer_id[:50],
        payment_method=r.payment_method[:3],
        payment_amount=r.payment_amount,
        payment_date=r.payment_date,
        file_id=file_id,
    )
    # Column arrays, not bulk_create: compiling 60,000 rows' values cost Django more than the
    # inserts cost PostgreSQL (rcm/bulk.py).
    payments = _payment_rows(plan, remittance_row)
    objects_insert(payments)
    lines = _line_rows(plan, payments)
    objects_insert([row for row, _ in lines])
    objects_insert(_adjustment_rows(plan, payments, lines))
    posted.ProviderAdjustment.objects.bulk_create(
        posted.ProviderAdjustment(
            remittance=remittance_row,
            reason=p.reason[:2],
            reference=p.reference[:50],
            amount=p.amount,
        )
        for p in r.provider_adjustments
    )
    return remittance_row.pk, payments


# --- the service ---------------------------------------------------------------------------------


def _payments_lock(plans: list[_Plan]) -> None:
    """Serialise posting per payment until the caller's transaction ends: a second process
    posting the same payment (the same file, or another file with it) waits here, then finds
    it posted and skips it, instead of failing on the unique trace number. Sorted, so two
    files with the same payments in another order cannot deadlock."""
    keys = sorted({f"835:{p.remittance.payer_id}:{p.remittance.trace_number}" for p in plans})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _already_posted(plans: list[_Plan]) -> set[tuple[str, str]]:
    keys = Q(pk__in=[])
    for plan in plans:
        keys |= Q(
            payer_identifier=plan.remittance.payer_id, trace_number=plan.remittance.trace_number
        )
    return set(
        posted.Remittance.objects.filter(keys).values_list("payer_identifier", "trace_number")
    )


def era_apply(
    *, plans: list[_Plan], stored_file_id: int, user: User | None = None
) -> PostingResult:
    """Post checked and matched remittances from one stored 835: every payment not posted before
    (by payer and TRN02), and the claims' new statuses through `claims.adjudication`.

    Runs in the caller's transaction; storing the file, locking it and marking it processed or
    quarantined is the inbox's (`denials.inbox.era_post`).
    """
    result = PostingResult(
        stored_file_id=stored_file_id, remittances=[plan.remittance for plan in plans]
    )
    _payments_lock(plans)
    seen = _already_posted(plans)
    decisions = []
    posted_ids: list[int] = []
    exceptions: list[posted.PostingException] = []
    attached: list[posted.ClaimPayment] = []
    for plan in plans:
        key = (plan.remittance.payer_id, plan.remittance.trace_number)
        if key in seen:
            result.remittances_skipped.append(plan.remittance.trace_number)
            continue
        seen.add(key)
        remittance_id, payments = _remittance_write(plan, stored_file_id)
        posted_ids.append(remittance_id)
        result.remittances_posted.append(plan.remittance.trace_number)
        rows = zip(plan.remittance.claims, plan.claims, payments, plan.exceptions, strict=True)
        for clp, row, payment, why in rows:
            if why is not None:
                exceptions.append(_exception_row(payment, remittance_id, *why))
                if why[0] == posted.ExceptionReason.NO_CLAIM:
                    result.claims_unmatched.append(clp.control_number)
                continue
            assert row is not None  # a CLP with no claim is an exception
            result.claims_matched += 1
            attached.append(payment)
            decisions.append(
                PaymentDecision(claim_id=row.id, payment=clp, trace=plan.remittance.trace_number)
            )
    result.claims_not_moved = claims_adjudicate_payments(
        decisions=decisions, user=user, file_id=stored_file_id
    )
    exceptions += _detach_not_moved(attached, result.claims_not_moved)
    posted.PostingException.objects.bulk_create(exceptions)
    denials_record(remittance_ids=posted_ids)  # the denial queue's rows (denial_records.py)
    for remittance_id in posted_ids:
        # robust: with Redis down the payments stay posted; the biller bills the next payer
        # from the claim page. The task is idempotent (one secondary per primary).
        transaction.on_commit(secondaries_enqueuer(remittance_id), robust=True)
    return result


def _exception_row(
    payment: posted.ClaimPayment, remittance_id: int, reason: str, message: str
) -> posted.PostingException:
    return posted.PostingException(
        practice_id=payment.practice_id,
        remittance_id=remittance_id,
        claim_payment=payment,
        reason=reason,
        message=message,
    )


def _detach_not_moved(
    payments: list[posted.ClaimPayment], not_moved: dict[int, str]
) -> list[posted.PostingException]:
    """The payments of claims that refused their move are unattached from them (claim, lines
    and adjustments) and become exceptions: the claim was not paid by this posting."""
    refused = [p for p in payments if p.claim_id in not_moved]
    if not refused:
        return []
    ids = [p.pk for p in refused]
    posted.Adjustment.objects.filter(claim_payment_id__in=ids).update(claim=None)
    posted.LinePayment.objects.filter(claim_payment_id__in=ids).update(claim_line=None)
    posted.ClaimPayment.objects.filter(pk__in=ids).update(claim=None)
    rows = []
    for payment in refused:
        status = ClaimStatus(not_moved[payment.claim_id or 0]).label.lower()
        message = (
            f"claim {payment.control_number} is {status}: it cannot take this payment "
            f"(CLP02 {payment.status_code}, paid {money(payment.paid)})"
        )
        payment.claim_id = None
        rows.append(
            _exception_row(
                payment, payment.remittance_id, posted.ExceptionReason.CLAIM_CANNOT_MOVE, message
            )
        )
    return rows


def secondaries_enqueuer(remittance_id: int) -> Callable[[], None]:
    """The on-commit callback that asks a worker to bill the next payers of a posted 835."""

    def enqueue_secondaries() -> None:
        from denials.tasks import bill_secondaries_task  # the tasks module imports posting

        bill_secondaries_task.delay(remittance_id)

    return enqueue_secondaries
