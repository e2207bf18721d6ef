"""Claims API: a claim's attachments (PWK). List them (CLAIM_READERS), add one or remove one
(BILLING) through the services the claim page uses (claims/attachments.py): each change scrubs
the claim again, and the answer says what the scrub found.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api import (
    FORBIDDEN,
    NOT_FOUND,
    REFUSED,
    TAGS,
    ClaimOutput,
    ScrubEditOutput,
    billed_claim,
    form_or_400,
)
from claims.attachments import (
    REPORT_TYPE_CHOICES,
    TRANSMISSION_CHOICES,
    AttachmentOutcome,
    ClaimAttachmentForm,
    claim_attachment_add,
    claim_attachment_remove,
)
from claims.models import ClaimAttachment
from claims.queue_forms import MAX_ID
from claims.selectors import claim_edits_of, claim_get
from rcm.practice.permissions import CLAIM_READERS

FIELDS = ("report_type", "transmission", "control_number", "description")


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="What a removal names.")
    report_type = serializers.CharField(help_text="PWK01, e.g. OZ (support data for claim).")
    report_type_words = serializers.CharField(source="get_report_type_display")
    transmission = serializers.CharField(help_text="PWK02: AA, BM, EL, EM, FT or FX.")
    transmission_words = serializers.CharField(source="get_transmission_display")
    control_number = serializers.CharField(help_text="PWK06; empty only when PWK02 is AA.")
    description = serializers.CharField()
    created_at = serializers.DateTimeField()


class AttachmentChangeOutput(serializers.Serializer):
    """The attachment added or removed, the claim as the change left it, and its scrub."""

    attachment = AttachmentOutput()
    claim = ClaimOutput()
    held = serializers.BooleanField(help_text="The scrubber found an error: the claim is DRAFT.")
    edits = ScrubEditOutput(many=True)


class AttachmentInput(serializers.Serializer):
    report_type = serializers.ChoiceField(choices=REPORT_TYPE_CHOICES)
    transmission = serializers.ChoiceField(choices=TRANSMISSION_CHOICES)
    control_number = serializers.CharField(
        required=False, allow_blank=True,
        help_text="2 to 80 characters, without * ~ : ^ |; required unless transmission is AA.",
    )  # fmt: skip
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _change_response(outcome: AttachmentOutcome, code: int) -> Response:
    body = {
        "attachment": AttachmentOutput(outcome.attachment).data,
        "claim": ClaimOutput(outcome.claim).data,
        "held": outcome.scrub.held,
        "edits": ScrubEditOutput(claim_edits_of(claim=outcome.claim), many=True).data,
    }
    return Response(body, status=code)


WRITE = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND}


class ClaimAttachmentListApi(APIView):
    """The claim's attachments (PWK segments of its 837P); POST records one more."""

    @extend_schema(tags=TAGS, responses={200: AttachmentOutput(many=True), 403: FORBIDDEN,
                                         404: NOT_FOUND})  # fmt: skip
    def get(self, request: Request, pk: int) -> Response:
        if not 0 < int(pk) <= MAX_ID:
            raise NotFound("No such claim.")
        claim = claim_get(user=request.user, pk=pk, roles=CLAIM_READERS)
        rows = claim.attachments.order_by("id")
        return Response(AttachmentOutput(rows, many=True).data)

    @extend_schema(tags=TAGS, request=AttachmentInput,
                   responses={201: AttachmentChangeOutput, **WRITE})  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        """Record paperwork sent with the claim; the claim is scrubbed again."""
        claim, user = billed_claim(request, pk)
        data = form_or_400(ClaimAttachmentForm, request.data)
        try:
            outcome = claim_attachment_add(
                claim=claim, user=user, **{key: data[key] for key in FIELDS}
            )
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else
                {"non_field_errors": error.messages}
            ) from error  # fmt: skip
        return _change_response(outcome, status.HTTP_201_CREATED)


class ClaimAttachmentApi(APIView):
    """One attachment of the claim: DELETE takes it off; the claim is scrubbed again."""

    @extend_schema(tags=TAGS, request=None, responses={200: AttachmentChangeOutput, **WRITE})
    def delete(self, request: Request, pk: int, attachment_id: int) -> Response:
        claim, user = billed_claim(request, pk)
        if not 0 < int(attachment_id) <= MAX_ID:
            raise NotFound("No such attachment on this claim.")
        try:
            outcome = claim_attachment_remove(claim=claim, attachment_id=attachment_id, user=user)
        except ClaimAttachment.DoesNotExist as error:
            raise NotFound("No such attachment on this claim.") from error
        except DjangoValidationError as error:
            raise ValidationError({"non_field_errors": error.messages}) from error
        return _change_response(outcome, status.HTTP_200_OK)
