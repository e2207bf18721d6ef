"""Read API for claims: queues, a claim with its lines, diagnoses and timeline."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import Claim
from claims.selectors import QUEUE_LABELS, claim_get, claim_list
from rcm.practice.permissions import CLAIM_READERS
from rcm.practice.selectors import practice_ids_for


class ClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    practice_id = serializers.IntegerField()
    patient_id = serializers.IntegerField()
    encounter_id = serializers.IntegerField()
    payer = serializers.CharField(source="payer.name")
    control_number = serializers.CharField()
    frequency_code = serializers.CharField()
    payer_claim_number = serializers.CharField()
    service_date_from = serializers.DateField()
    service_date_to = serializers.DateField()
    total_charge = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.CharField()
    status_changed_at = serializers.DateTimeField()


class ClaimLineOutput(serializers.Serializer):
    position = serializers.IntegerField()
    control_number = serializers.CharField()
    procedure_code = serializers.CharField()
    modifiers = serializers.ListField(child=serializers.CharField())
    units = serializers.DecimalField(max_digits=7, decimal_places=2)
    diagnosis_pointers = serializers.ListField(child=serializers.IntegerField())
    charge = serializers.DecimalField(max_digits=12, decimal_places=2)
    service_date = serializers.DateField()


class ClaimEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    origin = serializers.CharField(source="source", help_text="user, batch, 999, 277CA, 835 …")
    user = serializers.CharField(allow_null=True)
    note = serializers.CharField()


class ClaimDetailOutput(ClaimOutput):
    diagnoses = serializers.SerializerMethodField()
    lines = ClaimLineOutput(many=True, read_only=True)
    timeline = ClaimEventOutput(source="events", many=True, read_only=True)

    def get_diagnoses(self, claim: Claim) -> list[str]:
        return [dx.code for dx in claim.diagnoses.all()]


class ClaimListApi(generics.GenericAPIView):
    serializer_class = ClaimOutput

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "queue", str, enum=list(QUEUE_LABELS), description="One of the biller's queues"
            )
        ],
        responses=ClaimOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        queue = request.query_params.get("queue")
        if queue is not None and queue not in QUEUE_LABELS:
            raise ValidationError(
                {"queue": f"Unknown queue; use one of {', '.join(QUEUE_LABELS)}."}
            )
        if not practice_ids_for(user=request.user, roles=CLAIM_READERS):
            raise PermissionDenied("Your role does not include claims.")
        claims = claim_list(user=request.user, roles=CLAIM_READERS, queue=queue)
        page = self.paginate_queryset(claims)
        return self.get_paginated_response(ClaimOutput(page, many=True).data)


class ClaimDetailApi(generics.GenericAPIView):
    serializer_class = ClaimDetailOutput

    @extend_schema(responses=ClaimDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        claim = claim_get(user=request.user, pk=pk, roles=CLAIM_READERS)
        return Response(ClaimDetailOutput(claim).data)
