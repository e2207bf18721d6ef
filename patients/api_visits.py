"""API of visits and eligibility: schedule, edit, send to coding, check, estimate, worklist."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from patients.eligibility import eligibility_check
from patients.estimate import visit_estimate
from patients.models import Coverage, EligibilityCheck, Encounter, Patient, PlaceOfService
from patients.services import (
    coverage_primary_on,
    encounter_create,
    encounter_mark_ready_for_coding,
    encounter_update,
)
from patients.worklist import (
    CHECK_READER_ROLES,
    FRONT_DESK_ROLES,
    VisitEligibility,
    eligibility_check_get,
    eligibility_for_visit,
    eligibility_worklist,
)
from rcm.practice.models import Provider, Role, User
from rcm.practice.selectors import Viewer, practice_ids_for

M = TypeVar("M", bound=Model)


def _scoped_get(queryset: QuerySet[M], *, user: Viewer, pk: int,
                          roles: tuple[str, ...]) -> M:  # fmt: skip
    """The row if the user holds `roles` in its practice; 404 if unseen, 403 if seen only."""
    found = queryset.filter(pk=pk, practice_id__in=practice_ids_for(user=user)).first()
    if found is None:
        raise Http404
    allowed = practice_ids_for(user=user, roles=roles)
    if found.practice_id not in allowed:  # type: ignore[attr-defined]
        raise PermissionDenied("Your role in this practice does not allow this.")
    return found


def _user(request: Request) -> User:
    """The caller: every endpoint here requires authentication (IsAuthenticated)."""
    return cast(User, request.user)


def _invalid(error: ValidationError) -> Response:
    errors = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    return Response(errors, status=status.HTTP_400_BAD_REQUEST)


class EligibilityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    coverage_id = serializers.IntegerField()
    encounter_id = serializers.IntegerField(allow_null=True)
    service_date = serializers.DateField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    error = serializers.CharField()
    summary = serializers.JSONField()
    requested_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


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


class VisitInput(serializers.Serializer):
    patient = serializers.IntegerField()
    rendering_provider = serializers.IntegerField()
    date_of_service = serializers.DateField()
    place_of_service = serializers.ChoiceField(PlaceOfService.choices, default="11")
    clinical_note = serializers.CharField(required=False, allow_blank=True, default="")
    prior_authorization = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )


class VisitUpdateInput(serializers.Serializer):
    rendering_provider = serializers.IntegerField(required=False)
    date_of_service = serializers.DateField(required=False)
    place_of_service = serializers.ChoiceField(PlaceOfService.choices, required=False)
    clinical_note = serializers.CharField(required=False, allow_blank=True)
    prior_authorization = serializers.CharField(required=False, allow_blank=True, max_length=50)


def _provider(pk: int, practice_id: int) -> Provider:
    provider = Provider.objects.filter(pk=pk, practice_id=practice_id).first()
    if provider is None:
        raise ValidationError({"rendering_provider": "Choose a provider of this practice."})
    return provider


def _visits(user: Viewer) -> QuerySet[Encounter]:
    return Encounter.objects.filter(practice_id__in=practice_ids_for(user=user)).select_related(
        "patient", "rendering_provider"
    )


class VisitListApi(generics.GenericAPIView):
    serializer_class = VisitOutput

    @extend_schema(
        parameters=[OpenApiParameter("status", str), OpenApiParameter("patient", int)],
        responses=VisitOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        visits = _visits(request.user)
        if request.query_params.get("status"):
            visits = visits.filter(status=request.query_params["status"])
        if request.query_params.get("patient", "").isdigit():
            visits = visits.filter(patient_id=int(request.query_params["patient"]))
        page = self.paginate_queryset(visits)
        return self.get_paginated_response(VisitOutput(page, many=True).data)

    @extend_schema(request=VisitInput, responses={201: VisitOutput})
    def post(self, request: Request) -> Response:
        given = VisitInput(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        patient = _scoped_get(Patient.objects.all(), user=request.user, pk=fields.pop("patient"),
                              roles=FRONT_DESK_ROLES)  # fmt: skip
        try:
            fields["rendering_provider"] = _provider(
                fields["rendering_provider"], patient.practice_id
            )
            encounter = encounter_create(patient=patient, user=_user(request), **fields)
        except ValidationError as error:
            return _invalid(error)
        return Response(_visit_data(encounter), status=status.HTTP_201_CREATED)


class VisitDetailApi(APIView):
    @extend_schema(responses=VisitOutput)
    def get(self, request: Request, pk: int) -> Response:
        encounter = _scoped_get(_visits(request.user), user=request.user, pk=pk,
                                roles=tuple(Role.values))  # fmt: skip
        return Response(_visit_data(encounter))

    @extend_schema(request=VisitUpdateInput, responses=VisitOutput)
    def patch(self, request: Request, pk: int) -> Response:
        encounter = _scoped_get(_visits(request.user), user=request.user, pk=pk,
                                roles=FRONT_DESK_ROLES)  # fmt: skip
        given = VisitUpdateInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        try:
            if "rendering_provider" in fields:
                fields["rendering_provider"] = _provider(
                    fields["rendering_provider"], encounter.practice_id
                )
            encounter_update(encounter=encounter, user=_user(request), **fields)
        except ValidationError as error:
            return _invalid(error)
        return Response(_visit_data(encounter))


class ReadyInput(serializers.Serializer):
    clinical_note = serializers.CharField(required=False, allow_blank=True)


class VisitReadyApi(APIView):
    @extend_schema(request=ReadyInput, responses=VisitOutput)
    def post(self, request: Request, pk: int) -> Response:
        """The visit happened: send it to coding (the clinical note is required)."""
        encounter = _scoped_get(_visits(request.user), user=request.user, pk=pk,
                                roles=FRONT_DESK_ROLES)  # fmt: skip
        given = ReadyInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            encounter_mark_ready_for_coding(
                encounter=encounter, user=_user(request),
                clinical_note=given.validated_data.get("clinical_note"),
            )  # fmt: skip
        except ValidationError as error:
            return _invalid(error)
        return Response(_visit_data(encounter))


class VisitEligibilityApi(APIView):
    @extend_schema(request=None, responses={201: EligibilityOutput})
    def post(self, request: Request, pk: int) -> Response:
        """Check the visit's primary coverage for its date now (270 → 271)."""
        encounter = _scoped_get(_visits(request.user), user=request.user, pk=pk,
                                roles=FRONT_DESK_ROLES)  # fmt: skip
        coverage = coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service)
        if coverage is None:
            return _invalid(ValidationError("No primary insurance covers the visit date."))
        check = eligibility_check(coverage=coverage, service_date=encounter.date_of_service,
                                  user=_user(request), encounter=encounter)  # fmt: skip
        return Response(EligibilityOutput(check).data, status=status.HTTP_201_CREATED)


class CheckInput(serializers.Serializer):
    service_date = serializers.DateField(required=False)


class CoverageEligibilityApi(APIView):
    @extend_schema(request=CheckInput, responses={201: EligibilityOutput})
    def post(self, request: Request, pk: int) -> Response:
        """Check a coverage for a date of service (today when none is given)."""
        coverage = _scoped_get(Coverage.objects.select_related("patient", "payer"),
                               user=request.user, pk=pk, roles=FRONT_DESK_ROLES)  # fmt: skip
        given = CheckInput(data=request.data)
        given.is_valid(raise_exception=True)
        day = given.validated_data.get("service_date") or timezone.localdate()
        check = eligibility_check(coverage=coverage, service_date=day, user=_user(request))
        return Response(EligibilityOutput(check).data, status=status.HTTP_201_CREATED)


class EligibilityDetailApi(APIView):
    @extend_schema(responses=EligibilityOutput)
    def get(self, request: Request, pk: int) -> Response:
        try:
            check = eligibility_check_get(user=request.user, pk=pk)
        except EligibilityCheck.DoesNotExist:
            _scoped_get(EligibilityCheck.objects.all(), user=request.user, pk=pk,
                        roles=CHECK_READER_ROLES)  # fmt: skip
            raise Http404 from None
        return Response(EligibilityOutput(check).data)


class WorklistApi(APIView):
    @extend_schema(responses=VisitOutput(many=True))
    def get(self, request: Request) -> Response:
        """Upcoming visits whose insurance needs attention, each with the problem in words."""
        if not practice_ids_for(user=request.user, roles=FRONT_DESK_ROLES):
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
        encounter = _scoped_get(_visits(request.user), user=request.user, pk=pk,
                                roles=tuple(Role.values))  # fmt: skip
        codes = [c for c in request.query_params.get("codes", "").split(",") if c.strip()]
        return Response(visit_estimate(encounter=encounter, codes=codes[:20] or None).as_dict())


class EstimateInput(serializers.Serializer):
    codes = serializers.ListField(child=serializers.CharField(max_length=5), max_length=20)
    service_date = serializers.DateField(required=False)


class CoverageEstimateApi(APIView):
    @extend_schema(request=EstimateInput, responses=EstimateOutput)
    def post(self, request: Request, pk: int) -> Response:
        """Estimate a patient's share of some procedures under a coverage on a date."""
        coverage = _scoped_get(Coverage.objects.select_related("practice", "payer"),
                               user=request.user, pk=pk, roles=CHECK_READER_ROLES)  # fmt: skip
        given = EstimateInput(data=request.data)
        given.is_valid(raise_exception=True)
        day = given.validated_data.get("service_date") or timezone.localdate()
        estimate = visit_estimate(coverage=coverage, codes=given.validated_data["codes"],
                                  service_date=day)  # fmt: skip
        return Response(estimate.as_dict())


urlpatterns = [
    path("visits/", VisitListApi.as_view(), name="api-visit-list"),
    path("visits/<int:pk>/", VisitDetailApi.as_view(), name="api-visit-detail"),
    path("visits/<int:pk>/ready/", VisitReadyApi.as_view(), name="api-visit-ready"),
    path("visits/<int:pk>/eligibility/", VisitEligibilityApi.as_view(),
         name="api-visit-eligibility"),
    path("visits/<int:pk>/estimate/", VisitEstimateApi.as_view(), name="api-visit-estimate"),
    path("coverages/<int:pk>/eligibility/", CoverageEligibilityApi.as_view(),
         name="api-coverage-eligibility"),
    path("coverages/<int:pk>/estimate/", CoverageEstimateApi.as_view(),
         name="api-coverage-estimate"),
    path("eligibility-checks/<int:pk>/", EligibilityDetailApi.as_view(),
         name="api-eligibility-detail"),
    path("eligibility-worklist/", WorklistApi.as_view(), name="api-eligibility-worklist"),
]  # fmt: skip
