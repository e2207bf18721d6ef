"""Read API for patients and encounters; every query fenced to the caller's practices."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from patients.models import Encounter, Patient
from patients.selectors import (
    coverage_list_for_patient,
    encounter_get,
    encounter_list,
    patient_chart,
    patient_list,
)


class CoverageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    payer = serializers.CharField(source="payer.name")
    payer_id = serializers.CharField(source="payer.payer_id")
    priority = serializers.IntegerField()
    member_id = serializers.CharField()
    group_number = serializers.CharField()
    relationship = serializers.CharField()
    effective_date = serializers.DateField()
    termination_date = serializers.DateField(allow_null=True)


class PatientOutput(serializers.Serializer):
    id = serializers.IntegerField()
    practice_id = serializers.IntegerField()
    mrn = serializers.CharField()
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    sex = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    zip_code = serializers.CharField()


class PatientDetailOutput(PatientOutput):
    address1 = serializers.CharField()
    address2 = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    coverages = CoverageOutput(many=True, read_only=True)


class PatientListApi(generics.GenericAPIView):
    serializer_class = PatientOutput

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, MRN, date of birth, member id")],
        responses=PatientOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        patients = patient_list(user=request.user, query=request.query_params.get("q", "")[:100])
        page = self.paginate_queryset(patients)
        return self.get_paginated_response(PatientOutput(page, many=True).data)


class PatientDetailApi(generics.GenericAPIView):
    serializer_class = PatientDetailOutput

    @extend_schema(responses=PatientDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        try:
            patient = patient_chart(user=request.user, pk=pk)
        except Patient.DoesNotExist:
            raise Http404 from None
        data = dict(PatientDetailOutput(patient).data)
        data["coverages"] = CoverageOutput(
            coverage_list_for_patient(patient=patient), many=True
        ).data
        return Response(data)


class EncounterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    practice_id = serializers.IntegerField()
    patient_id = serializers.IntegerField()
    rendering_provider = serializers.CharField()
    date_of_service = serializers.DateField()
    place_of_service = serializers.CharField()
    status = serializers.CharField()


class EncounterDetailOutput(EncounterOutput):
    clinical_note = serializers.CharField()
    prior_authorization = serializers.CharField()


class EncounterListApi(generics.GenericAPIView):
    serializer_class = EncounterOutput

    @extend_schema(
        parameters=[OpenApiParameter("status", str, description="Filter by encounter status")],
        responses=EncounterOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status")
        encounters = encounter_list(user=request.user, statuses=[status] if status else None)
        page = self.paginate_queryset(encounters)
        return self.get_paginated_response(EncounterOutput(page, many=True).data)


class EncounterDetailApi(generics.GenericAPIView):
    serializer_class = EncounterDetailOutput

    @extend_schema(responses=EncounterDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        try:
            encounter = encounter_get(user=request.user, pk=pk)
        except Encounter.DoesNotExist:
            raise Http404 from None
        return Response(EncounterDetailOutput(encounter).data)
