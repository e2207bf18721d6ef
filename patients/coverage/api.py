"""Coverage API: list, add, edit, reorder, card upload and download, eligibility checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from patients.coverage.cards import card_download_name, card_size_check
from patients.coverage.eligibility import eligibility_check
from patients.coverage.selectors import (
    card_may_view,
    coverage_card_open,
    coverage_cards_current,
    coverage_list_for_patient,
)
from patients.coverage.services import (
    coverage_card_upload,
    coverage_create,
    coverage_move,
    coverage_update,
)
from patients.models import (
    CardSide,
    Coverage,
    CoverageCard,
    CoveragePriority,
    EligibilityCheck,
    Patient,
    Relationship,
)
from patients.registration.selectors import patient_chart
from rcm.practice.models import User
from rcm.practice.permissions import COVERAGE_READERS, FRONT_DESK, scoped_get
from rcm.practice.selectors import payer_list

TAGS = ["coverages"]
CARD_MEDIA_TYPES = ("image/jpeg", "image/png", "application/pdf")
NOT_FOUND = OpenApiResponse(description="Not found, or not in one of your practices.")
FORBIDDEN = OpenApiResponse(description="Your role in this practice does not allow it.")
REFUSED = OpenApiResponse(description="Field errors: {field: [messages]}.")


class CoverageCardOutput(serializers.Serializer):
    id = serializers.IntegerField()
    side = serializers.CharField()
    content_type = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class CoverageSubscriberOutput(serializers.Serializer):
    first_name = serializers.CharField(source="subscriber_first_name")
    last_name = serializers.CharField(source="subscriber_last_name")
    date_of_birth = serializers.DateField(source="subscriber_date_of_birth", allow_null=True)
    sex = serializers.CharField(source="subscriber_sex")
    address1 = serializers.CharField(source="subscriber_address1")
    city = serializers.CharField(source="subscriber_city")
    state = serializers.CharField(source="subscriber_state")
    zip_code = serializers.CharField(source="subscriber_zip_code")


class CoverageRecordOutput(serializers.Serializer):
    id = serializers.IntegerField()
    practice_id = serializers.IntegerField()
    patient_id = serializers.IntegerField()
    payer_id = serializers.CharField(source="payer.payer_id", help_text="Clearinghouse payer ID.")
    payer_name = serializers.CharField(source="payer.name")
    priority = serializers.ChoiceField(choices=CoveragePriority.choices)
    member_id = serializers.CharField()
    group_number = serializers.CharField()
    plan_name = serializers.CharField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    subscriber = CoverageSubscriberOutput(source="*")
    effective_date = serializers.DateField()
    termination_date = serializers.DateField(allow_null=True)
    active_today = serializers.SerializerMethodField()
    cards = serializers.SerializerMethodField(
        help_text="The newest front and back; empty for roles that may not see cards."
    )

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_active_today(self, coverage: Coverage) -> bool:
        return coverage.is_active_on(timezone.localdate())

    @extend_schema_field(CoverageCardOutput(many=True))
    def get_cards(self, coverage: Coverage) -> list[dict[str, Any]]:
        current = self.context.get("cards", {}).get(coverage.pk)
        shown = [card for card in (current.front, current.back) if card] if current else []
        return list(CoverageCardOutput(shown, many=True).data)


def _output(coverages: list[Coverage], *, request: Request) -> list[dict[str, Any]]:
    """Coverages as the API shows them, with cards only for roles allowed to see them."""
    viewable = [c for c in coverages if card_may_view(user=request.user, practice_id=c.practice_id)]
    context = {"cards": coverage_cards_current(coverages=viewable)}
    return list(CoverageRecordOutput(coverages, many=True, context=context).data)


def _user(request: Request) -> User:
    return cast(User, request.user)  # IsAuthenticated has let only our users through


def _editable_coverage(request: Request, pk: int) -> Coverage:
    coverages = Coverage.objects.select_related("payer", "patient")
    return scoped_get(coverages, user=request.user, pk=pk, roles=FRONT_DESK)


class CoverageFieldsSerializer(serializers.Serializer):
    """The coverage's fields as the API accepts them; the subscriber ones when not self."""

    payer_id = serializers.SlugRelatedField(
        slug_field="payer_id", queryset=payer_list(), source="payer",
        help_text="Clearinghouse payer ID of an active payer.",
    )  # fmt: skip
    priority = serializers.ChoiceField(choices=CoveragePriority.choices)
    member_id = serializers.CharField(max_length=80)
    group_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    plan_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    relationship = serializers.ChoiceField(choices=Relationship.choices, required=False)
    subscriber_first_name = serializers.CharField(max_length=35, required=False, allow_blank=True)
    subscriber_last_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    subscriber_date_of_birth = serializers.DateField(required=False, allow_null=True)
    # A plain field, not an enum: the schema already names this choice set SexEnum elsewhere.
    subscriber_sex = serializers.RegexField(
        r"^[FMU]?$", max_length=1, required=False, allow_blank=True,
        help_text="F (female), M (male) or U (unknown).",
        error_messages={"invalid": "Use F, M or U."},
    )  # fmt: skip
    subscriber_address1 = serializers.CharField(max_length=55, required=False, allow_blank=True)
    subscriber_city = serializers.CharField(max_length=30, required=False, allow_blank=True)
    subscriber_state = serializers.CharField(max_length=2, required=False, allow_blank=True)
    subscriber_zip_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    effective_date = serializers.DateField()
    termination_date = serializers.DateField(required=False, allow_null=True)


class CoverageListApi(APIView):
    """The patient's coverages, primary first. Reading them is a chart access (audited)."""

    @extend_schema(tags=TAGS, responses={200: CoverageRecordOutput(many=True), 404: NOT_FOUND})
    def get(self, request: Request, patient_id: int) -> Response:
        try:
            patient = patient_chart(user=request.user, pk=patient_id)
        except Patient.DoesNotExist:
            raise Http404 from None
        coverages = list(coverage_list_for_patient(patient=patient))
        return Response(_output(coverages, request=request))


class CoverageCreateApi(APIView):
    class CoverageCreateInputSerializer(CoverageFieldsSerializer):
        pass

    @extend_schema(
        tags=TAGS,
        request=CoverageCreateInputSerializer,
        responses={201: CoverageRecordOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, patient_id: int) -> Response:
        patients = Patient.objects.select_related("practice")
        patient = scoped_get(patients, user=request.user, pk=patient_id, roles=FRONT_DESK)
        serializer = self.CoverageCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        coverage = coverage_create(
            patient=patient, user=_user(request), **serializer.validated_data
        )
        return Response(_output([coverage], request=request)[0], status=status.HTTP_201_CREATED)


class CoverageUpdateApi(APIView):
    class CoverageUpdateInputSerializer(CoverageFieldsSerializer):
        """Send only the fields that change."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, partial=True, **kwargs)

    @extend_schema(
        tags=TAGS,
        request=CoverageUpdateInputSerializer,
        responses={200: CoverageRecordOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        coverage = _editable_coverage(request, pk)
        serializer = self.CoverageUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        coverage = coverage_update(
            coverage=coverage, user=_user(request), **serializer.validated_data
        )
        return Response(_output([coverage], request=request)[0])


class CoverageMoveApi(APIView):
    """Move a coverage up (toward primary) or down; the one it meets there takes its place."""

    class CoverageMoveInputSerializer(serializers.Serializer):
        direction = serializers.ChoiceField(choices=["up", "down"])

    @extend_schema(
        tags=TAGS,
        request=CoverageMoveInputSerializer,
        responses={200: CoverageRecordOutput(many=True), 400: REFUSED, 403: FORBIDDEN,
                   404: NOT_FOUND},
    )  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        coverage = _editable_coverage(request, pk)
        serializer = self.CoverageMoveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        direction = serializer.validated_data["direction"]
        coverage_move(coverage=coverage, direction=direction, user=_user(request))
        coverages = list(coverage_list_for_patient(patient=coverage.patient))
        return Response(_output(coverages, request=request))


class CoverageCardUploadApi(APIView):
    """Upload the front or back of the card (JPEG, PNG or PDF); earlier uploads are kept."""

    parser_classes = [MultiPartParser, FormParser]

    class CoverageCardUploadInputSerializer(serializers.Serializer):
        side = serializers.ChoiceField(choices=CardSide.choices)
        file = serializers.FileField()

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": CoverageCardUploadInputSerializer},
        responses={201: CoverageCardOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        coverage = _editable_coverage(request, pk)
        serializer = self.CoverageCardUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        uploaded = serializer.validated_data["file"]
        card_size_check(size=uploaded.size)
        card = coverage_card_upload(
            coverage=coverage, side=serializer.validated_data["side"],
            name=uploaded.name or "", content=uploaded.read(), user=_user(request),
        )  # fmt: skip
        return Response(CoverageCardOutput(card).data, status=status.HTTP_201_CREATED)


class CardBytesRenderer(BaseRenderer):
    """Lets a client ask for the card's own type (Accept: image/png); errors stay JSON."""

    media_type = "*/*"
    format = "card"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:  # fmt: skip
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class CoverageCardDownloadApi(APIView):
    """The card's bytes, for front desk, billers and administrators; each look is audited."""

    renderer_classes = [JSONRenderer, CardBytesRenderer]

    @extend_schema(
        tags=TAGS,
        responses={
            **{(200, media): OpenApiTypes.BINARY for media in CARD_MEDIA_TYPES},
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        try:
            card, content = coverage_card_open(user=request.user, pk=pk)
        except CoverageCard.DoesNotExist:
            raise Http404 from None
        response = HttpResponse(content, content_type=card.content_type)
        response["Content-Disposition"] = f'inline; filename="{card_download_name(card=card)}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


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


class CheckInput(serializers.Serializer):
    service_date = serializers.DateField(required=False)


class CoverageEligibilityApi(APIView):
    @extend_schema(request=CheckInput, responses={201: EligibilityOutput})
    def post(self, request: Request, pk: int) -> Response:
        """Check a coverage for a date of service (today when none is given)."""
        coverages = Coverage.objects.select_related("patient", "payer")
        coverage = scoped_get(coverages, user=request.user, pk=pk, roles=FRONT_DESK)
        given = CheckInput(data=request.data)
        given.is_valid(raise_exception=True)
        day = given.validated_data.get("service_date") or timezone.localdate()
        check = eligibility_check(coverage=coverage, service_date=day, user=_user(request))
        return Response(EligibilityOutput(check).data, status=status.HTTP_201_CREATED)


class EligibilityDetailApi(APIView):
    @extend_schema(responses=EligibilityOutput)
    def get(self, request: Request, pk: int) -> Response:
        check = scoped_get(EligibilityCheck.objects.all(), user=request.user, pk=pk,
                           roles=COVERAGE_READERS)  # fmt: skip
        return Response(EligibilityOutput(check).data)


api_urlpatterns = [
    path(
        "patients/<int:patient_id>/coverages/", CoverageListApi.as_view(), name="api-coverage-list"
    ),
    path(
        "patients/<int:patient_id>/coverages/create/",
        CoverageCreateApi.as_view(),
        name="api-coverage-create",
    ),
    path("coverages/<int:pk>/", CoverageUpdateApi.as_view(), name="api-coverage-update"),
    path("coverages/<int:pk>/move/", CoverageMoveApi.as_view(), name="api-coverage-move"),
    path(
        "coverages/<int:pk>/cards/",
        CoverageCardUploadApi.as_view(),
        name="api-coverage-card-upload",
    ),
    path("cards/<int:pk>/", CoverageCardDownloadApi.as_view(), name="api-coverage-card"),
    path("coverages/<int:pk>/eligibility/", CoverageEligibilityApi.as_view(),
         name="api-coverage-eligibility"),
    path("eligibility-checks/<int:pk>/", EligibilityDetailApi.as_view(),
         name="api-eligibility-detail"),
]  # fmt: skip
