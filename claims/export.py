"""The 837P files the app would send for some claims, written without changing any claim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from claims.models import Claim, ClaimStatus
from claims.submission import claims_route
from claims.x12_mapping import claims_837_render, claims_for_837

SENDABLE = (ClaimStatus.READY, ClaimStatus.QUEUED)


@dataclass(frozen=True)
class ExportedFile:
    name: str
    text: str
    claim_count: int


def claims_export_837(*, claim_ids: Sequence[int] | None = None) -> list[ExportedFile]:
    """One 837P per practice and clearinghouse connection; by default every sendable claim."""
    if claim_ids is None:
        claim_ids = list(
            Claim.objects.filter(status__in=SENDABLE).order_by("id").values_list("id", flat=True)
        )
    claims = claims_for_837(claim_ids)
    routes = claims_route((claim.practice_id, claim.payer_id, claim) for claim in claims)
    now = timezone.now()
    files = []
    for connection, routed in routes.values():
        rendered = claims_837_render(
            practice=routed[0].practice, connection=connection, claims=routed, created=now
        )
        files.append(ExportedFile(name=rendered.name, text=rendered.text, claim_count=len(routed)))
    return files
