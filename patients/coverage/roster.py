"""The sandbox payer's view of our data: who is a member when, what it allows, what needs auth.

The sandbox (rcm.clearinghouse.sandbox) must not read our models, so the app hands it this
roster. Benefits (deductible, coinsurance, copay) are not recorded per coverage yet, so each
kind of plan gets a documented profile (docs/SANDBOX.md); the sandbox tracks deductible use.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from patients.models import Coverage
from rcm.clearinghouse.sandbox.adjudication import MemberFacts
from rcm.practice.models import FeeScheduleEntry, Payer

# (deductible, coinsurance %, copay) by claim filing indicator: typical plan shapes.
PLAN_PROFILES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "MB": (Decimal("257.00"), Decimal("20"), Decimal("0.00")),
    "MC": (Decimal("0.00"), Decimal("0"), Decimal("0.00")),
    "HM": (Decimal("0.00"), Decimal("0"), Decimal("20.00")),
    "BL": (Decimal("1500.00"), Decimal("20"), Decimal("30.00")),
}
DEFAULT_PROFILE = (Decimal("1000.00"), Decimal("20"), Decimal("25.00"))


class DatabaseRoster:
    """A sandbox Roster read from coverages, payers and payer-specific fee schedules."""

    def member(
        self, payer_id: str, member_id: str, service_date: datetime.date
    ) -> MemberFacts | None:
        coverages = Coverage.objects.filter(
            payer__payer_id=payer_id, member_id=member_id
        ).select_related("payer", "patient")
        if not coverages:
            return None
        active = coverages.in_force_on(service_date)
        coverage = active.first() or coverages.first()
        assert coverage is not None
        deductible, coinsurance, copay = PLAN_PROFILES.get(
            coverage.payer.claim_filing_indicator, DEFAULT_PROFILE
        )
        return MemberFacts(
            active=active.exists(),
            plan_name=coverage.plan_name or coverage.payer.name,
            deductible_remaining=deductible,
            coinsurance_percent=coinsurance,
            copay=copay,
            last_name=coverage.subscriber_last_name or coverage.patient.last_name,
            first_name=coverage.subscriber_first_name or coverage.patient.first_name,
            deductible=deductible,
        )

    def allowed_amount(self, payer_id: str, procedure_code: str) -> Decimal | None:
        entry = (
            FeeScheduleEntry.objects.filter(schedule__payer__payer_id=payer_id, code=procedure_code)
            .order_by("-schedule__effective_from")
            .first()
        )
        return entry.charge if entry else None

    def requires_prior_auth(self, payer_id: str, procedure_code: str) -> bool:
        codes = Payer.objects.filter(payer_id=payer_id).values_list("prior_auth_codes", flat=True)
        return any(procedure_code in (c or []) for c in codes)

    def timely_filing_days(self, payer_id: str) -> int:
        days = Payer.objects.filter(payer_id=payer_id).values_list("timely_filing_days", flat=True)
        return next(iter(days), 365)
