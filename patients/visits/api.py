"""Visits API: list and read, schedule, edit, send to coding, check, estimate, worklist."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from patients.coverage.api import EligibilityOutput
from patients.coverage.eligibility import eligibility_check
from patients.coverage.selectors import coverage_primary_on
from patients.models import CLINICAL_NOTE_MAX_LENGTH, Coverage, Encounter, Patient, PlaceOfService
from patients.visits.estimate import visit_estimate
from patients.visits.selectors import (
    VisitEligibility,
    eligibility_for_visit,
    eligibility_worklist,
    encounter_list,
)
from patients.visits.services import (
    encounter_create,
    encounter_mark_ready_for_coding,
    encounter_update,
)
from rcm.practice.models import Provider, User
from rcm.practice.permissions import COVERAGE_READERS, EVERYONE, FRONT_DESK, scoped_get
from rcm.practice.selectors import practice_ids_for
from rcm.practice.validators import ascii_int


def _user(request: Request) -> User:
    """The caller: every endpoint here requires authentication (IsAuthenticated)."""
    return cast(User, request.user)


class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    practice_id = serializers.IntegerField()
    patient_id = serializers.IntegerField()
    rendering_provider_id = serializers.IntegerField()
    rendering_provider = serializers.CharField()
    date_of_service = serializers.DateField()
    place_of_service = serializers.CharField()
    clinical_note = serializers.CharField()
    prior_authorization = serializers.CharField()
    self_pay = serializers.BooleanField()
    status = serializers.CharField()


def _eligibility_data(row: VisitEligibility) -> dict[str, Any]:
    return {
        "ok": row.ok,
        "problem": row.problem,
        "coverage_id": row.coverage.pk if row.coverage else None,
        "check": EligibilityOutput(row.check).data if row.check else None,
    }


def _visit_data(encounter: Encounter) -> dict[str, Any]:
    data = dict(VisitOutput(encounter).data)
    data["eligibility"] = _eligibility_data(eligibility_for_visit(encounter=encounter))
    return data


# DRF's max_length message has no count, so the limit reads like the form's.
NOTE_LIMIT: dict[str, Any] = {
    "max_length": CLINICAL_NOTE_MAX_LENGTH,
    "error_messages": {
        "max_length": "The clinical note can be at most 20,000 characters: keep the visit's "
        "note, attach documents elsewhere."
    },
}


class VisitInput(serializers.Serializer):
    patient = serializers.IntegerField()
    rendering_provider = serializers.IntegerField()
    date_of_service = serializers.DateField()
    place_of_service = serializers.ChoiceField(PlaceOfService.choices, default="11")
    clinical_note = serializers.CharField(
        required=False, allow_blank=True, default="", **NOTE_LIMIT
    )
    prior_authorization = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )
    self_pay = serializers.BooleanField(required=False, default=False)


class VisitUpdateInput(serializers.Serializer):
    rendering_provider = serializers.IntegerField(required=False)
    date_of_service = serializers.DateField(required=False)
    place_of_service = serializers.ChoiceField(PlaceOfService.choices, required=False)
    clinical_note = serializers.CharField(required=False, allow_blank=True, **NOTE_LIMIT)
    prior_authorization = serializers.CharField(required=False, allow_blank=True, max_length=50)
    self_pay = serializers.BooleanField(required=False)


def _provider(pk: int, practice_id: int) -> Provider:
    provider = Provider.objects.filter(pk=pk, practice_id=practice_id).first()
    if provider is None:
        raise ValidationError({"rendering_provider": "Choose a provider of this practice."})
    return provider


class VisitListApi(generics.GenericAPIView):
    serializer_class = VisitOutput

    @extend_schema(
        parameters=[OpenApiParameter("status", str), OpenApiParameter("patient", int)],
        responses=VisitOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        visits = encounter_list(user=request.user)
        if request.query_params.get("status"):
            visits = visits.filter(status=request.query_params["status"])
        patient_id = ascii_int(request.query_params.get("patient"))
        if patient_id is not None:
            visits = visits.filter(patient_id=patient_id)
        page = self.paginate_queryset(visits)
        return self.get_paginated_response(VisitOutput(page, many=True).data)

    @extend_schema(request=VisitInput, responses={201: VisitOutput})
    def post(self, request: Request) -> Response:
        given = VisitInput(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        patient = scoped_get(Patient.objects.all(), user=request.user, pk=fields.pop("patient"),
                              roles=FRONT_DESK)  # fmt: skip
        fields["rendering_provider"] = _provider(fields["rendering_provider"], patient.practice_id)
        encounter = encounter_create(patient=patient, user=_user(request), **fields)
        return Response(_visit_data(encounter), status=status.HTTP_201_CREATED)


class VisitDetailApi(APIView):
    @extend_schema(responses=VisitOutput)
    def get(self, request: Request, pk: int) -> Response:
        encounter = scoped_get(encounter_list(user=request.user), user=request.user, pk=pk,
                                roles=EVERYONE)  # fmt: skip
        return Response(_visit_data(encounter))

    @extend_schema(request=VisitUpdateInput, responses=VisitOutput)
    def patch(self, request: Request, pk: int) -> Response:
        encounter = scoped_get(encounter_list(user=request.user), user=request.user, pk=pk,
                                roles=FRONT_DESK)  # fmt: skip
        given = VisitUpdateInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        if "rendering_provider" in fields:
            fields["rendering_provider"] = _provider(
                fields["rendering_provider"], encounter.practice_id
            )
        encounter_update(encounter=encounter, user=_user(request), **fields)
        return Response(_visit_data(encounter))


class ReadyInput(serializers.Serializer):
    clinical_note = serializers.CharField(required=False, allow_blank=True, **NOTE_LIMIT)


class VisitReadyApi(APIView):
    @extend_schema(request=ReadyInput, responses=VisitOutput)
    def post(self, request: Request, pk: int) -> Response:
        """The visit happened: send it to coding (the clinical note is required)."""
        encounter = scoped_get(encounter_list(user=request.user), user=request.user, pk=pk,
                                roles=FRONT_DESK)  # fmt: skip
        given = ReadyInput(data=request.data)
        given.is_valid(raise_exception=True)
        encounter_mark_ready_for_coding(
            encounter=encounter, user=_user(request),
            clinical_note=given.validated_data.get("clinical_note"),
        )  # fmt: skip
        return Response(_visit_data(encounter))


class VisitEligibilityApi(APIView):
    @extend_schema(request=None, responses={201: EligibilityOutput})
    def post(self, request: Request, pk: int) -> Response:
        """Check the visit's primary coverage for its date now (270 → 271)."""
        encounter = scoped_get(encounter_list(user=request.user), user=request.user, pk=pk,
                                roles=FRONT_DESK)  # fmt: skip
        coverage = coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service)
        if coverage is None:
            raise ValidationError("No primary insurance covers the visit date.")
        check = eligibility_check(coverage=coverage, service_date=encounter.date_of_service,
                                  user=_user(request), encounter=encounter)  # fmt: skip
        return Response(EligibilityOutput(check).data, status=status.HTTP_201_CREATED)


class WorklistApi(APIView):
    @extend_schema(responses=VisitOutput(many=True))
    def get(self, request: Request) -> Response:
        """Upcoming visits whose insurance needs attention, each with the problem in words."""
        if not practice_ids_for(user=request.user, roles=FRONT_DESK):
            raise PermissionDenied("The worklist is for the front desk and administrators.")
        rows = eligibility_worklist(user=request.user)
        return Response(
            [{**VisitOutput(row.encounter).data, "eligibility": _eligibility_data(row)}
             for row in rows]
        )  # fmt: skip


class EstimateLineOutput(serializers.Serializer):
    code = serializers.CharField()
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class EstimateOutput(serializers.Serializer):
    """The documented shape of Estimate.as_dict(); amounts are decimal strings or null."""

    service_date = serializers.DateField()
    coverage_id = serializers.IntegerField(allow_null=True)
    eligibility_check_id = serializers.IntegerField(allow_null=True)
    lines = EstimateLineOutput(many=True)
    total_charge = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    copay = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    deductible = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    coinsurance = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    patient_share = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    plan_pays = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    steps = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


class VisitEstimateApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("codes", str, description="99213,85025")],
        responses=EstimateOutput,
    )
    def get(self, request: Request, pk: int) -> Response:
        """The visit's estimated patient share, with the arithmetic in words."""
        encounter = scoped_get(encounter_list(user=request.user), user=request.user, pk=pk,
                                roles=EVERYONE)  # fmt: skip
        codes = [c for c in request.query_params.get("codes", "").split(",") if c.strip()]
        return Response(visit_estimate(encounter=encounter, codes=codes[:20] or None).as_dict())


class EstimateInput(serializers.Serializer):
    codes = serializers.ListField(child=serializers.CharField(max_length=5), max_length=20)
    service_date = serializers.DateField(required=False)


class CoverageEstimateApi(APIView):
    @extend_schema(request=EstimateInput, responses=EstimateOutput)
    def post(self, request: Request, pk: int) -> Response:
        """Estimate a patient's share of some procedures under a coverage on a date."""
        coverage = scoped_get(Coverage.objects.select_related("practice", "payer"),
                               user=request.user, pk=pk, roles=COVERAGE_READERS)  # fmt: skip
        given = EstimateInput(data=request.data)
        given.is_valid(raise_exception=True)
        day = given.validated_data.get("service_date") or timezone.localdate()
        estimate = visit_estimate(coverage=coverage, codes=given.validated_data["codes"],
                                  service_date=day)  # fmt: skip
        return Response(estimate.as_dict())


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
        encounter = scoped_get(encounter_list(user=request.user), user=request.user, pk=pk)
        return Response(EncounterDetailOutput(encounter).data)


api_urlpatterns = [
    path("encounters/", EncounterListApi.as_view(), name="api-encounter-list"),
    path("encounters/<int:pk>/", EncounterDetailApi.as_view(), name="api-encounter-detail"),
    path("visits/", VisitListApi.as_view(), name="api-visit-list"),
    path("visits/<int:pk>/", VisitDetailApi.as_view(), name="api-visit-detail"),
    path("visits/<int:pk>/ready/", VisitReadyApi.as_view(), name="api-visit-ready"),
    path("visits/<int:pk>/eligibility/", VisitEligibilityApi.as_view(),
         name="api-visit-eligibility"),
    path("visits/<int:pk>/estimate/", VisitEstimateApi.as_view(), name="api-visit-estimate"),
    path("coverages/<int:pk>/estimate/", CoverageEstimateApi.as_view(),
         name="api-coverage-estimate"),
    path("eligibility-worklist/", WorklistApi.as_view(), name="api-eligibility-worklist"),
]  # fmt: skip
