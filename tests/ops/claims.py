"""A claim ready to submit, as the pipeline tests make it (shared by the fault and load tests)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from claims.state import ClaimStatus
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory


def ready_claim(practice, **kwargs):
    today = timezone.localdate()
    claim = ClaimFactory(
        status=ClaimStatus.READY,
        encounter__patient__practice=practice,
        encounter__date_of_service=today - datetime.timedelta(days=3),
        coverage__effective_date=today - datetime.timedelta(days=365),
        **kwargs,
    )
    ClaimDiagnosisFactory(claim=claim, position=1, code="E119")
    ClaimLineFactory(claim=claim, position=1, procedure_code="99213", charge=Decimal("150.00"))
    claim.total_charge = Decimal("150.00")
    claim.save(update_fields=["total_charge"])
    return claim
