"""Denials API: rebilling the lines a payer denied. Only denials reads the remittances that
name them; claims rebills them (claims.corrections.claim_rebill_lines), as the claim page's
"Rebill the denied lines" does."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api import TAGS, billed_claim
from claims.correction_api import CREATED, changed_response, refusal
from claims.corrections import WITH_DENIED_LINES, claim_rebill_lines
from denials.correction_views import NO_DENIED_LINES
from denials.selectors import claim_denied_line_ids

NON_FIELD = "non_field_errors"


class ClaimRebillDeniedApi(APIView):
    """A new original claim (frequency 1) with only the lines the payer denied, by its
    remittances, and only their diagnoses; the paid lines stand and the claim closes. Only a
    denied or partially paid claim has denied lines."""

    @extend_schema(tags=TAGS, request=None, responses=CREATED)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        if claim.status not in WITH_DENIED_LINES:
            raise ValidationError({NON_FIELD: [
                f"Claim {claim.control_number} is {claim.get_status_display().lower()}: only a "
                "denied or partially paid claim has denied lines to rebill."
            ]})  # fmt: skip
        line_ids = claim_denied_line_ids(claim)
        if not line_ids:
            raise ValidationError({NON_FIELD: [NO_DENIED_LINES]})
        try:
            outcome = claim_rebill_lines(original=claim, line_ids=line_ids, user=user)
        except DjangoValidationError as error:
            raise refusal(error) from error
        return changed_response(outcome, status.HTTP_201_CREATED)
