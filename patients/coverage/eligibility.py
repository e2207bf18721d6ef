"""Real-time eligibility: send a 270 through the clearinghouse, keep both files, read the 271."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from patients.models import Coverage, EligibilityCheck, Encounter, Relationship
from rcm.clearinghouse.gateway import TransportError
from rcm.files.models import Direction, FileKind, StoredFile
from rcm.files.services import control_number_next, inbound_file_store, stored_file_save
from rcm.practice.clearinghouse import SANDBOX, connection_for, transport_for
from rcm.practice.models import User
from rcm.x12 import eligibility as x12
from rcm.x12.base import Person, X12Error
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

# The service types asked about (EQ01), in the order shown. 30 (the plan in general) is required
# by most payers; 98 is the office visit a family practice bills most; lab, x-ray, preventive
# visits and urgent care are the next most common services of a primary-care practice.
OFFICE_VISIT = "98"
SERVICE_TYPES: dict[str, str] = {
    "30": "Plan coverage in general",
    OFFICE_VISIT: "Office visit (physician)",
    "5": "Diagnostic lab",
    "4": "Diagnostic x-ray",
    "81": "Routine physical (preventive)",
    "UC": "Urgent care",
}
MONEY_FIELDS = (
    "copay",
    "deductible",
    "deductible_remaining",
    "out_of_pocket",
    "out_of_pocket_remaining",
)
NETWORK_WORDS = {"Y": "in network", "N": "out of network", "W": "in and out of network"}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _person_of_patient(coverage: Coverage, member_id: str = "") -> Person:
    patient = coverage.patient
    return Person(
        last_name=patient.last_name,
        first_name=patient.first_name,
        member_id=member_id,
        birth_date=patient.date_of_birth,
        gender=patient.sex,
    )


def _people(coverage: Coverage) -> tuple[Person, Person | None]:
    """(subscriber, dependent patient or None): the patient is the subscriber when 'self'."""
    if coverage.relationship == Relationship.SELF:
        return _person_of_patient(coverage, coverage.member_id), None
    subscriber = Person(
        last_name=coverage.subscriber_last_name,
        first_name=coverage.subscriber_first_name,
        member_id=coverage.member_id,
        birth_date=coverage.subscriber_date_of_birth,
        gender=coverage.subscriber_sex,
    )
    return subscriber, _person_of_patient(coverage)


def eligibility_request_for(*, check: EligibilityCheck, now: datetime.datetime) -> bytes:
    """The 270 asking about the check's coverage on its service date."""
    coverage, practice = check.coverage, check.coverage.practice
    payer = coverage.payer
    sender = f"RCM{practice.pk:07d}"
    interchange = control_number_next(kind="interchange")
    subscriber, patient = _people(coverage)
    request = x12.EligibilityRequest(
        interchange=InterchangeHeader(
            sender_id=sender, receiver_id=payer.payer_id[:15], control_number=interchange,
            created=now,
        ),
        group=FunctionalGroup(
            sender_code=sender, receiver_code=payer.payer_id[:15],
            control_number=control_number_next(kind="group"), created=now,
        ),
        transaction_control_number=control_number_next(kind="transaction"),
        reference=f"{interchange:09d}",
        created=now,
        payer_name=payer.name,
        payer_id=payer.payer_id,
        provider_name=practice.name,
        provider_npi=practice.npi,
        subscriber=subscriber,
        patient=patient,
        trace_number=f"EC{check.pk}",
        trace_originator=f"1{practice.tin}" if practice.tin else "",
        service_date=check.service_date,
        service_types=tuple(SERVICE_TYPES),
    )  # fmt: skip
    return x12.write_270(request).encode()


def _figures(response: x12.EligibilityResponse, service_type: str) -> dict[str, Any]:
    summary = x12.benefit_summary(response, service_type)
    figures: dict[str, Any] = {name: _money(getattr(summary, name)) for name in MONEY_FIELDS}
    figures["coinsurance_percent"] = _percent(summary.coinsurance_percent)
    figures["answered"] = any(service_type in b.service_types for b in response.benefits)
    return figures


def _benefit_words(benefit: x12.Benefit) -> dict[str, Any]:
    return {
        "description": benefit.description,
        "service_types": [SERVICE_TYPES.get(code, f"service type {code}") for code in
                          benefit.service_types] or ["The whole plan"],
        "coverage_level": benefit.coverage_level_description,
        "period": benefit.time_period_description,
        "amount": _money(benefit.amount),
        "percent": _percent(None if benefit.percent is None else benefit.percent * x12.HUNDRED),
        "network": NETWORK_WORDS.get(benefit.in_network, ""),
        "messages": list(benefit.messages),
    }  # fmt: skip


def eligibility_summary_of(response: x12.EligibilityResponse) -> dict[str, Any]:
    """The 271 in plain words: JSON-ready, amounts as decimal strings, no bare X12 codes."""
    service_types = [
        {"code": code, "name": name, **_figures(response, code)}
        for code, name in SERVICE_TYPES.items()
    ]
    office = next(s for s in service_types if s["code"] == OFFICE_VISIT)
    if not office["answered"]:
        office = service_types[0]
    return {
        "active": response.active,
        "plan": response.plan_description,
        "payer": response.payer_name,
        "member_id": response.member_id,
        "group_number": response.group_number,
        "subscriber": " ".join(
            n for n in (response.subscriber_first_name, response.subscriber_last_name) if n
        ),
        "office_visit": {k: v for k, v in office.items() if k not in ("code", "answered")},
        "service_types": service_types,
        "benefits": [_benefit_words(b) for b in response.benefits],
        "rejections": [
            {
                "reason": r.reason_description,
                "follow_up": r.follow_up_description,
                "level": r.level,
            }
            for r in response.rejections
        ],
        "messages": [m for b in response.benefits for m in b.messages],
    }


def _status_of(response: x12.EligibilityResponse) -> tuple[str, str]:
    """(status, error in words): a rejection means the payer could not answer."""
    if response.rejections:
        reasons = "; ".join(
            " ".join(filter(None, (f"{r.reason_description}.", r.follow_up_description)))
            for r in response.rejections
        )
        return EligibilityCheck.Status.ERROR, f"The payer could not answer: {reasons}"
    if response.active:
        return EligibilityCheck.Status.ACTIVE, ""
    return EligibilityCheck.Status.INACTIVE, ""


def _finish(
    check: EligibilityCheck, *, status: str, error: str = "", summary: dict[str, Any] | None = None
) -> EligibilityCheck:
    check.status = status
    check.error = error
    check.summary = summary or {}
    check.answered_at = timezone.now()
    check.save(
        update_fields=["status", "error", "summary", "answered_at", "request_file",
                       "response_file"]
    )  # fmt: skip
    return check


def _response_for(check: EligibilityCheck, answer: bytes) -> x12.EligibilityResponse:
    responses = x12.parse_271(answer)
    if not responses:
        raise X12Error("the 271 answers no patient")
    trace = f"EC{check.pk}"
    return next((r for r in responses if r.trace_number == trace), responses[0])


def _send(check: EligibilityCheck, request: bytes, stamp: str) -> tuple[bytes, StoredFile]:
    connection = connection_for(practice_id=check.practice_id, payer_id=check.coverage.payer_id)
    answer = transport_for(connection).eligibility(request)
    response_file, _new = inbound_file_store(
        kind=FileKind.ELIGIBILITY_271,
        name=f"271-{check.pk}-{stamp}.x12",
        content=answer,
        transport=connection.transport if connection else SANDBOX,
    )
    return answer, response_file


def eligibility_check(
    *,
    coverage: Coverage,
    service_date: datetime.date,
    user: User | None,
    encounter: Encounter | None = None,
) -> EligibilityCheck:
    """Ask the payer (270 → 271) whether `coverage` is active on `service_date`, and keep it all.

    Never raises for the payer's or the wire's troubles: the check then has status error and
    the reason in words, with whichever files were exchanged.
    """
    check = EligibilityCheck.objects.create(
        practice_id=coverage.practice_id, coverage=coverage, service_date=service_date,
        requested_by=user, encounter=encounter,
    )  # fmt: skip
    now = timezone.now()
    stamp = f"{now:%Y%m%d%H%M%S}"
    try:
        request = eligibility_request_for(check=check, now=now)
    except X12Error as error:
        return _finish(check, status=EligibilityCheck.Status.ERROR,
                       error=f"The request could not be built: {error.message}.")  # fmt: skip
    check.request_file = stored_file_save(
        kind=FileKind.ELIGIBILITY_270, direction=Direction.OUTBOUND,
        name=f"270-{check.pk}-{stamp}.x12", content=request, practice_id=check.practice_id,
    )  # fmt: skip
    try:
        answer, check.response_file = _send(check, request, stamp)
        response = _response_for(check, answer)
    except (TransportError, OSError) as error:
        return _finish(check, status=EligibilityCheck.Status.ERROR,
                       error=f"The clearinghouse could not be reached: {error}")  # fmt: skip
    except X12Error as error:
        return _finish(check, status=EligibilityCheck.Status.ERROR,
                       error=f"The payer's answer could not be read: {error}")  # fmt: skip
    status, error_words = _status_of(response)
    return _finish(check, status=status, error=error_words,
                   summary=eligibility_summary_of(response))  # fmt: skip
