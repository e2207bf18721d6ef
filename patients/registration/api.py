"""Patients API: search and read charts, register and edit, check for duplicates, merge."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from patients.coverage.selectors import coverage_list_for_patient
from patients.models import Patient, Sex
from patients.registration.forms import PatientForm
from patients.registration.selectors import (
    patient_chart,
    patient_duplicates_find,
    patient_list,
    registering_practices,
)
from patients.registration.services import (
    PossibleDuplicates,
    patient_merge,
    patient_register,
    patient_update,
)
from rcm.practice.models import Practice, User
from rcm.practice.permissions import ADMINISTRATION, FRONT_DESK, scoped_get

DEMOGRAPHIC_FIELDS = (
    "first_name", "middle_name", "last_name", "date_of_birth", "sex", "address1", "address2",
    "city", "state", "zip_code", "phone", "email",
)  # fmt: skip


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


class DuplicatesOutput(serializers.Serializer):
    detail = serializers.CharField()
    candidates = PatientOutput(many=True)


def _demographics_cleaned(data: dict[str, Any], partial_of: Patient | None = None) -> dict:
    """Validate demographics with the same rules (and messages) as the front-desk form."""
    if partial_of is not None:  # a PATCH: the fields not sent keep their current values
        current = {name: getattr(partial_of, name) for name in DEMOGRAPHIC_FIELDS}
        data = {**current, **{k: v for k, v in data.items() if k in DEMOGRAPHIC_FIELDS}}
    form = PatientForm(
        {key: ("" if value is None else value) for key, value in data.items()}, practices=None
    )
    if not form.is_valid():
        raise ApiValidationError(
            {name: [str(message) for message in errors] for name, errors in form.errors.items()}
        )
    return form.demographics()


def _caller(request: Request) -> User:
    """Behind IsAuthenticated the caller is always our User."""
    return cast(User, request.user)


def _visible_patient(request: Request, pk: int, roles: tuple[str, ...] | None) -> Patient:
    patients = Patient.objects.select_related("practice")
    return scoped_get(patients, user=request.user, pk=pk, roles=roles)


def _may_register_somewhere(request: Request) -> None:
    """The door, before the body is read: a caller who registers nowhere is refused (403)."""
    if not registering_practices(user=request.user):
        raise ApiPermissionDenied("Only the front desk or an administrator registers patients.")


def _registering_practice(request: Request, practice_id: int | None) -> Practice:
    """The practice to register in: the caller's only one, or the one named, if allowed."""
    practices = registering_practices(user=request.user)
    if not practices:
        raise ApiPermissionDenied("Only the front desk or an administrator registers patients.")
    if practice_id is None and len(practices) == 1:
        return practices[0]
    for practice in practices:
        if practice.pk == practice_id:
            return practice
    raise ApiValidationError(
        {"practice_id": ["Choose one of the practices where you register patients."]}
    )


class PatientRegisterApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PatientRegisterInput"

        practice_id = serializers.IntegerField(
            required=False, help_text="Needed when you register patients in several practices."
        )
        first_name = serializers.CharField(max_length=35)
        middle_name = serializers.CharField(max_length=25, required=False, allow_blank=True)
        last_name = serializers.CharField(max_length=60)
        date_of_birth = serializers.CharField(help_text="MM/DD/YYYY or YYYY-MM-DD")
        sex = serializers.ChoiceField(choices=Sex.choices)
        address1 = serializers.CharField(max_length=55)
        address2 = serializers.CharField(max_length=55, required=False, allow_blank=True)
        city = serializers.CharField(max_length=30)
        state = serializers.CharField(max_length=30, help_text="Two-letter code, e.g. IL")
        zip_code = serializers.CharField(max_length=20, help_text="5 or 9 digits")
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        email = serializers.CharField(required=False, allow_blank=True)
        confirm_not_duplicate = serializers.BooleanField(
            default=False, help_text="Register even though likely duplicates exist (after a 409)."
        )

    @extend_schema(
        operation_id="patient_register",
        request=InputSerializer,
        responses={
            201: PatientDetailOutput,
            400: OpenApiResponse(description="Invalid fields, each with a message."),
            403: OpenApiResponse(description="The caller does not register patients."),
            409: OpenApiResponse(
                DuplicatesOutput,
                description="Likely duplicates; resend with confirm_not_duplicate: true.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        _may_register_somewhere(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        practice = _registering_practice(request, data.pop("practice_id", None))
        confirmed = data.pop("confirm_not_duplicate")
        fields = _demographics_cleaned(data)
        try:
            patient = patient_register(
                practice=practice, user=_caller(request), confirm_not_duplicate=confirmed, **fields
            )
        except PossibleDuplicates as found:
            body = {
                "detail": "This patient may already be registered: check these charts, or "
                "resend with confirm_not_duplicate: true.",
                "candidates": PatientOutput(found.candidates, many=True).data,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except PermissionDenied as refused:
            raise ApiPermissionDenied(str(refused)) from None
        return Response(PatientDetailOutput(patient).data, status=status.HTTP_201_CREATED)


class PatientUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PatientUpdateInput"

        first_name = serializers.CharField(max_length=35, required=False)
        middle_name = serializers.CharField(max_length=25, required=False, allow_blank=True)
        last_name = serializers.CharField(max_length=60, required=False)
        date_of_birth = serializers.CharField(required=False, help_text="MM/DD/YYYY or YYYY-MM-DD")
        sex = serializers.ChoiceField(choices=Sex.choices, required=False)
        address1 = serializers.CharField(max_length=55, required=False)
        address2 = serializers.CharField(max_length=55, required=False, allow_blank=True)
        city = serializers.CharField(max_length=30, required=False)
        state = serializers.CharField(max_length=30, required=False)
        zip_code = serializers.CharField(max_length=20, required=False)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        email = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        operation_id="patient_update",
        request=InputSerializer,
        responses={200: PatientDetailOutput, 400: OpenApiResponse(description="Invalid fields.")},
    )
    def patch(self, request: Request, pk: int) -> Response:
        patient = _visible_patient(request, pk, FRONT_DESK)
        if patient.merged_into_id:
            raise ApiValidationError(
                {"non_field_errors": [f"MRN {patient.mrn} was merged; edit the kept chart."]}
            )
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = _demographics_cleaned(dict(serializer.validated_data), partial_of=patient)
        patient_update(patient=patient, user=_caller(request), **fields)
        return Response(PatientDetailOutput(patient).data)


class PatientDuplicatesApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PatientDuplicatesInput"

        practice_id = serializers.IntegerField(required=False)
        first_name = serializers.CharField(max_length=35)
        last_name = serializers.CharField(max_length=60)
        date_of_birth = serializers.DateField(input_formats=["%m/%d/%Y", "%Y-%m-%d"])

    @extend_schema(
        operation_id="patient_duplicates",
        request=InputSerializer,
        responses={200: PatientOutput(many=True)},
        description="Charts in the practice with the same date of birth and a similar name.",
    )
    def post(self, request: Request) -> Response:
        _may_register_somewhere(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        practice = _registering_practice(request, data.get("practice_id"))
        candidates = patient_duplicates_find(
            practice=practice,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
        )
        return Response(PatientOutput(candidates, many=True).data)


class PatientMergeApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PatientMergeInput"

        duplicate_id = serializers.IntegerField(
            help_text="The chart merged into this one (it becomes inactive)."
        )

    @extend_schema(
        operation_id="patient_merge",
        request=InputSerializer,
        responses={
            200: inline_serializer(
                "PatientMergeOutput",
                {
                    "kept": PatientOutput(),
                    "duplicate": PatientOutput(),
                    "coverages_moved": serializers.IntegerField(),
                    "encounters_moved": serializers.IntegerField(),
                    "warnings": serializers.ListField(child=serializers.CharField()),
                },
            ),
            400: OpenApiResponse(description="Same chart, other practice, or already merged."),
            403: OpenApiResponse(description="Only an administrator of the practice merges."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        keep = _visible_patient(request, pk, ADMINISTRATION)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate = _visible_patient(request, serializer.validated_data["duplicate_id"], None)
        try:
            result = patient_merge(keep=keep, duplicate=duplicate, user=_caller(request))
        except PermissionDenied as refused:
            raise ApiPermissionDenied(str(refused)) from None
        return Response(
            {
                "kept": PatientOutput(result.kept).data,
                "duplicate": PatientOutput(result.duplicate).data,
                "coverages_moved": result.coverages_moved,
                "encounters_moved": result.encounters_moved,
                "warnings": result.warnings,
            }
        )


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


api_urlpatterns = [
    path("patients/", PatientListApi.as_view(), name="api-patient-list"),
    path("patients/<int:pk>/", PatientDetailApi.as_view(), name="api-patient-detail"),
    path("patients/register/", PatientRegisterApi.as_view(), name="api-patient-register"),
    path("patients/duplicates/", PatientDuplicatesApi.as_view(), name="api-patient-duplicates"),
    path("patients/<int:pk>/demographics/", PatientUpdateApi.as_view(), name="api-patient-update"),
    path("patients/<int:pk>/merge/", PatientMergeApi.as_view(), name="api-patient-merge"),
]
