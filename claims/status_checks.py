"""Asking payers about claims that waited longer than usual (276), and reading answers (277)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from claims.models import Claim, ClaimStatusCheck
from claims.selectors import claims_by_control_number
from claims.state import ClaimStatus, claims_transition_bulk
from rcm.clearinghouse.gateway import TransportError
from rcm.files.models import Direction, FileKind
from rcm.files.services import control_number_next, inbound_file_store, stored_file_save
from rcm.practice.clearinghouse import connection_for, transport_for
from rcm.practice.models import Payer
from rcm.x12 import status as x12
from rcm.x12.base import X12Error
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

WAITING = (ClaimStatus.ACCEPTED, ClaimStatus.PENDING)
RECHECK_AFTER_DAYS = 7


def claims_due_for_status_check(*, now: datetime.datetime) -> list[int]:
    """Claims waiting longer than their payer's usual turnaround, not asked about this week."""
    recently = now - datetime.timedelta(days=RECHECK_AFTER_DAYS)
    overdue = Q(pk__in=[])
    for payer_id, days in Payer.objects.values_list("id", "turnaround_days"):
        overdue |= Q(payer_id=payer_id, status_changed_at__lt=now - datetime.timedelta(days=days))
    return list(
        Claim.objects.filter(status__in=WAITING)
        .filter(overdue)
        .exclude(Q(status_checks__requested_at__gte=recently))
        .order_by("status_changed_at")
        .values_list("id", flat=True)[:500]
    )


def _person(claim: Claim) -> tuple[x12.Person, x12.Person | None]:
    coverage, patient = claim.coverage, claim.patient
    patient_person = x12.Person(
        last_name=patient.last_name,
        first_name=patient.first_name,
        birth_date=patient.date_of_birth,
        gender=patient.sex,
    )
    if coverage.relationship == "18":
        return x12.Person(
            last_name=patient.last_name,
            first_name=patient.first_name,
            member_id=coverage.member_id,
            birth_date=patient.date_of_birth,
            gender=patient.sex,
        ), None
    return x12.Person(
        last_name=coverage.subscriber_last_name,
        first_name=coverage.subscriber_first_name,
        member_id=coverage.member_id,
    ), patient_person


def status_request_for(claim: Claim, *, now: datetime.datetime) -> str:
    """The 276 asking about one claim."""
    subscriber, patient = _person(claim)
    sender = f"RCM{claim.practice_id:07d}"
    interchange = control_number_next(kind="interchange")
    return x12.write_276(
        x12.StatusRequest(
            interchange=InterchangeHeader(
                sender_id=sender,
                receiver_id=claim.payer.payer_id[:15],
                control_number=interchange,
                created=now,
            ),
            group=FunctionalGroup(
                sender_code=sender,
                receiver_code=claim.payer.payer_id[:15],
                control_number=control_number_next(kind="group"),
                created=now,
                version=x12.VERSION,
            ),
            transaction_control_number=control_number_next(kind="transaction"),
            reference=f"{interchange:09d}",
            created=now,
            payer=x12.Party(name=claim.payer.name, identifier=claim.payer.payer_id),
            receiver=x12.Party(name=claim.practice.name, identifier=sender),
            provider=x12.StatusProvider(name=claim.practice.name, npi=claim.practice.npi),
            subscriber=subscriber,
            patient=patient,
            claims=(
                x12.ClaimInquiry(
                    control_number=claim.control_number,
                    total_charge=claim.total_charge,
                    service_date_start=claim.service_date_from,
                    service_date_end=claim.service_date_to,
                    payer_claim_number=claim.payer_claim_number,
                ),
            ),
        )
    )


@dataclass
class StatusOutcome:
    practice_id: int | None = None
    answered: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def as_summary(self) -> dict[str, object]:
        return {"answered": len(self.answered), "unknown": self.unknown}


def _describe(status: x12.ClaimStatusAnswer) -> str:
    words = []
    for detail in status.details:
        text = f"{detail.category} {detail.category_description}"
        if detail.status:
            text += f": {detail.status} {detail.status_description}"
        words.append(text)
    return "; ".join(words)


def status_responses_apply(
    *, statuses: list[x12.ClaimStatusAnswer], response_file_id: int | None = None
) -> StatusOutcome:
    """Record each answer; an accepted claim the payer says is pending moves to PENDING."""
    outcome = StatusOutcome()
    claims = claims_by_control_number(s.control_number for s in statuses)
    moves: dict[int, str] = {}
    for status in statuses:
        claim = claims.get(status.control_number)
        if claim is None:
            outcome.unknown.append(status.control_number)
            continue
        outcome.practice_id = claim.practice_id
        outcome.answered.append(claim.control_number)
        ClaimStatusCheck.objects.create(
            claim=claim,
            response_file_id=response_file_id,
            category=status.category,
            status_code=status.status,
            description=_describe(status),
            paid_amount=status.paid_amount,
        )
        if status.category.startswith("P") and claim.status == ClaimStatus.ACCEPTED:
            moves[claim.pk] = ClaimStatus.PENDING
    claims_transition_bulk(
        moves=moves,
        source="277",
        notes=dict.fromkeys(moves, "Payer: pending."),
        file_id=response_file_id,
    )
    return outcome


def claim_status_check(*, claim_id: int) -> ClaimStatusCheck | None:
    """Ask the payer about one claim in real time and record the answer (or why none came)."""
    claim = Claim.objects.select_related("practice", "patient", "coverage", "payer").get(
        pk=claim_id
    )
    now = timezone.now()
    request = status_request_for(claim, now=now).encode()
    request_file = stored_file_save(
        kind=FileKind.STATUS_276,
        direction=Direction.OUTBOUND,
        name=f"276-{claim.control_number}-{now:%Y%m%d%H%M%S}.x12",
        content=request,
        practice_id=claim.practice_id,
    )
    connection = connection_for(practice_id=claim.practice_id, payer_id=claim.payer_id)
    try:
        answer = transport_for(connection).claim_status(request)
        response_file, _new = inbound_file_store(
            kind=FileKind.STATUS_277,
            name=f"277-{claim.control_number}-{now:%Y%m%d%H%M%S}.x12",
            content=answer,
            transport=connection.transport if connection else "sandbox",
        )
        status_responses_apply(statuses=x12.parse_277(answer), response_file_id=response_file.pk)
    except (TransportError, X12Error) as error:
        return ClaimStatusCheck.objects.create(
            claim=claim, request_file=request_file, error=str(error)
        )
    check = claim.status_checks.order_by("-requested_at", "-id").first()
    if check is not None:
        check.request_file = request_file
        check.save(update_fields=["request_file"])
    return check
