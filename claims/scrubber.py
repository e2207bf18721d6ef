"""The claim scrubber (placeholder: the real one replaces this file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from claims.models import Claim
from claims.services import claim_mark_ready
from rcm.practice.models import User


@dataclass(frozen=True)
class ScrubResult:
    edits: list[Any]

    @property
    def held(self) -> bool:
        return bool(self.edits)


def claim_scrub(*, claim: Claim, user: User | None) -> ScrubResult:
    try:
        claim_mark_ready(claim=claim, user=user)
    except ValidationError as error:
        return ScrubResult(edits=list(error.messages))
    return ScrubResult(edits=[])
