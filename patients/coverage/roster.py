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
    """A sandbox Roster read from coverages, payers and payer-specific fee schedules.

    One roster answers one batch (the transport makes a new one each time), so it remembers
    what it read: a claim's lines ask about the same member, payer and codes again and again.
    """

    def __init__(self) -> None:
        self._coverages: dict[tuple[str, str], list[Coverage]] = {}
        self._fees: dict[tuple[str, str], Decimal | None] = {}
        self._payers: dict[str, tuple[list[str], int]] = {}

    def _coverages_of(self, payer_id: str, member_id: str) -> list[Coverage]:
        key = (payer_id, member_id)
        if key not in self._coverages:
            self._coverages[key] = list(
                Coverage.objects.filter(
                    payer__payer_id=payer_id, member_id=member_id
                ).select_related("payer", "patient")
            )
        return self._coverages[key]

    def member(
        self, payer_id: str, member_id: str, service_date: datetime.date
    ) -> MemberFacts | None:
        coverages = self._coverages_of(payer_id, member_id)
        if not coverages:
            return None
        active = [c for c in coverages if c.is_active_on(service_date)]
        coverage = active[0] if active else coverages[0]
        deductible, coinsurance, copay = PLAN_PROFILES.get(
            coverage.payer.claim_filing_indicator, DEFAULT_PROFILE
        )
        return MemberFacts(
            active=bool(active),
            plan_name=coverage.plan_name or coverage.payer.name,
            deductible_remaining=deductible,
            coinsurance_percent=coinsurance,
            copay=copay,
            last_name=coverage.subscriber_last_name or coverage.patient.last_name,
            first_name=coverage.subscriber_first_name or coverage.patient.first_name,
            deductible=deductible,
        )

    def allowed_amount(self, payer_id: str, procedure_code: str) -> Decimal | None:
        key = (payer_id, procedure_code)
        if key not in self._fees:
            entry = (
                FeeScheduleEntry.objects.filter(
                    schedule__payer__payer_id=payer_id, code=procedure_code
                )
                .order_by("-schedule__effective_from")
                .first()
            )
            self._fees[key] = entry.charge if entry else None
        return self._fees[key]

    def _payer(self, payer_id: str) -> tuple[list[str], int]:
        if payer_id not in self._payers:
            row = Payer.objects.filter(payer_id=payer_id).values_list(
                "prior_auth_codes", "timely_filing_days"
            )
            codes, days = next(iter(row), ([], 365))
            self._payers[payer_id] = (list(codes or []), days)
        return self._payers[payer_id]

    def requires_prior_auth(self, payer_id: str, procedure_code: str) -> bool:
        return procedure_code in self._payer(payer_id)[0]

    def timely_filing_days(self, payer_id: str) -> int:
        return self._payer(payer_id)[1]
