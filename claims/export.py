"""The 837P files the app would send for some claims, written without changing any claim."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from claims.models import Claim
from claims.state import ClaimStatus
from claims.x12_mapping import batch_as_x12, claims_for_837
from rcm.files.services import control_number_next
from rcm.practice.clearinghouse import connection_for
from rcm.practice.models import ClearinghouseConnection, Practice
from rcm.x12.claim837 import write_837p

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
    groups: dict[tuple[int, int | None], list[Claim]] = defaultdict(list)
    connections = {}
    found: dict[tuple[int, int], ClearinghouseConnection | None] = {}
    for claim in claims_for_837(claim_ids):
        route = (claim.practice_id, claim.payer_id)
        if route not in found:
            found[route] = connection_for(practice_id=claim.practice_id, payer_id=claim.payer_id)
        connection = found[route]
        key = (claim.practice_id, connection.pk if connection else None)
        connections[key] = connection
        groups[key].append(claim)
    now = timezone.now()
    files = []
    for key, claims in groups.items():
        practice: Practice = claims[0].practice
        interchange = control_number_next(kind="interchange")
        text = write_837p(
            batch_as_x12(
                practice=practice,
                claims=claims,
                connection=connections[key],
                interchange=interchange,
                group=control_number_next(kind="group"),
                transaction=control_number_next(kind="transaction"),
                created=now,
            )
        )
        files.append(
            ExportedFile(
                name=f"837P-{practice.pk}-{interchange:09d}.x12", text=text, claim_count=len(claims)
            )
        )
    return files
