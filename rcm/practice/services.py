"""Writes about tenancy and setup: practices, memberships, providers, payers, fee schedules."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from rcm.practice.models import (
    FeeSchedule,
    FeeScheduleEntry,
    Membership,
    Payer,
    Practice,
    Role,
    SubmissionMethod,
    User,
)


def practice_create(
    *,
    name: str,
    npi: str,
    tin: str,
    taxonomy: str,
    address1: str,
    city: str,
    state: str,
    zip_code: str,
    phone: str = "",
) -> Practice:
    practice = Practice(
        name=name,
        npi=npi,
        tin=tin,
        taxonomy=taxonomy,
        address1=address1,
        city=city,
        state=state,
        zip_code=zip_code,
        phone=phone,
    )
    practice.full_clean()
    practice.save()
    return practice


def membership_grant(*, user: User, practice: Practice, role: Role | str) -> Membership:
    """Give `user` a role in `practice`; granting the same role twice changes nothing."""
    membership, _ = Membership.objects.get_or_create(user=user, practice=practice, role=role)
    return membership


def membership_revoke(*, user: User, practice: Practice, role: Role | str) -> int:
    deleted, _ = Membership.objects.filter(user=user, practice=practice, role=role).delete()
    return deleted


def payer_upsert(
    *,
    payer_id: str,
    name: str,
    claim_filing_indicator: str,
    timely_filing_days: int = 365,
    turnaround_days: int = 14,
    prior_auth_codes: list[str] | None = None,
    submission_method: str = SubmissionMethod.ELECTRONIC,
    claims_address: tuple[str, str, str, str] = ("", "", "", ""),
) -> Payer:
    """Create or update the payer `payer_id`; `claims_address` (street, city, state, ZIP) is
    where a paper payer's CMS-1500s are mailed."""
    address1, city, state, zip_code = claims_address
    payer, _ = Payer.objects.update_or_create(
        payer_id=payer_id,
        defaults={
            "name": name,
            "claim_filing_indicator": claim_filing_indicator,
            "timely_filing_days": timely_filing_days,
            "turnaround_days": turnaround_days,
            "prior_auth_codes": prior_auth_codes or [],
            "submission_method": submission_method,
            "address1": address1,
            "city": city,
            "state": state,
            "zip_code": zip_code,
        },
    )
    return payer


def fee_schedule_set(
    *,
    practice: Practice,
    name: str,
    effective_from: datetime.date,
    charges: Mapping[str, Decimal],
    payer: Payer | None = None,
) -> FeeSchedule:
    """Create or replace the charges of the schedule that starts on `effective_from`."""
    with transaction.atomic():
        schedule, _ = FeeSchedule.objects.update_or_create(
            practice=practice,
            payer=payer,
            effective_from=effective_from,
            defaults={"name": name},
        )
        schedule.entries.all().delete()
        FeeScheduleEntry.objects.bulk_create(
            FeeScheduleEntry(schedule=schedule, code=code, charge=charge)
            for code, charge in sorted(charges.items())
        )
    return schedule
