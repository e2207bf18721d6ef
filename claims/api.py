"""Claims API: the queues with their filters and search, a claim with its lines and timeline,
and the biller's actions on one claim (assign, follow-up, hold, release, note, submit, status
check, void, scrub). Reads take CLAIM_READERS, writes BILLING; another practice's claim is a
404. Edits and corrections: claims/correction_api.py; rebilling denied lines: denials/api.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.corrections import claim_void
from claims.models import Claim
from claims.queue_forms import (
    MAX_ID,
    AssignForm,
    ClaimFilterForm,
    FollowUpForm,
    HoldForm,
    NoteForm,
    form_errors,
)
from claims.queues import QUEUES, SORTS, QueuePage, QueueRows, claim_queue_page
from claims.reason_filter import REASON_FILTER_HELP
from claims.scrubber import SCRUBBABLE, claim_scrub
from claims.selectors import Totals, claim_edits_of, claim_get, claim_timeline_entries
from claims.state import InvalidTransition
from claims.submission import ClaimOnHold, claim_submit
from claims.work import (
    claim_assign,
    claim_follow_up_set,
    claim_hold,
    claim_note_add,
    claim_release,
    claim_status_check_request,
)
from rcm.practice.models import User
from rcm.practice.permissions import BILLING, CLAIM_READERS
from rcm.practice.selectors import practice_ids_for

TAGS = ["claims"]
NOT_FOUND = OpenApiResponse(description="Not found, or not in one of your practices.")
FORBIDDEN = OpenApiResponse(description="Your role in this practice does not allow it.")
REFUSED = OpenApiResponse(description="Field errors: {field: [messages]}; nothing changed.")


class ClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    practice_id = serializers.IntegerField()
    patient_id = serializers.IntegerField()
    patient = serializers.CharField(source="patient.full_name")
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
    assignee_id = serializers.IntegerField(allow_null=True)
    follow_up_on = serializers.DateField(allow_null=True)
    on_hold = serializers.BooleanField()
    hold_reason = serializers.CharField()


class ClaimLineOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="What an edit keeps, and a split moves.")
    position = serializers.IntegerField()
    control_number = serializers.CharField()
    procedure_code = serializers.CharField()
    modifiers = serializers.ListField(child=serializers.CharField())
    units = serializers.DecimalField(max_digits=7, decimal_places=2)
    diagnosis_pointers = serializers.ListField(child=serializers.IntegerField())
    charge = serializers.DecimalField(max_digits=12, decimal_places=2)
    service_date = serializers.DateField()


class TimelineOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="status, note, assignment, follow_up, hold, release …")
    title = serializers.CharField()
    who = serializers.CharField(help_text="The user, or what did it (batch, 999, 277CA, 835 …).")
    note = serializers.CharField()
    file = serializers.CharField(source="file_label")


class ScrubEditOutput(serializers.Serializer):
    """One finding of the claim's latest scrub; `id` is what an override names."""

    id = serializers.IntegerField()
    edit = serializers.CharField(help_text="The edit's stable id, e.g. npi.billing.luhn.")
    severity = serializers.CharField(help_text="error (holds the claim) or warning")
    message = serializers.CharField()
    open = serializers.BooleanField(source="is_open", help_text="Not overridden.")
    overridden_at = serializers.DateTimeField(allow_null=True)
    override_reason = serializers.CharField()


class ClaimDetailOutput(ClaimOutput):
    diagnoses = serializers.SerializerMethodField()
    lines = ClaimLineOutput(many=True, read_only=True)
    edits = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(ScrubEditOutput(many=True))
    def get_edits(self, claim: Claim) -> list[dict[str, Any]]:
        return ScrubEditOutput(claim_edits_of(claim=claim), many=True).data  # type: ignore[return-value]

    def get_diagnoses(self, claim: Claim) -> list[str]:
        return [dx.code for dx in claim.diagnoses.all()]

    @extend_schema_field(TimelineOutput(many=True))
    def get_timeline(self, claim: Claim) -> list[dict[str, Any]]:
        return TimelineOutput(claim_timeline_entries(claim=claim), many=True).data  # type: ignore[return-value]


def form_or_400(form_class: type[Any], data: Any) -> dict[str, Any]:
    if not hasattr(data, "get"):
        raise ValidationError({"non_field_errors": ["Send a JSON object."]})
    plain = {key: data.get(key) for key in form_class.base_fields if data.get(key) is not None}
    if any(not isinstance(value, str | int | bool) for value in plain.values()):
        raise ValidationError({"non_field_errors": ["Each field is a string, number or boolean."]})
    form = form_class({key: str(value) for key, value in plain.items()})
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return dict(form.cleaned_data)


FILTERS = [
    OpenApiParameter("queue", str, enum=list(QUEUES), description="One of the biller's queues"),
    OpenApiParameter("q", str, description="Claim number, member id, or patient name"),
    OpenApiParameter("practice", int), OpenApiParameter("payer", int),
    OpenApiParameter("provider", int), OpenApiParameter("status", str, many=True),
    OpenApiParameter("service_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("service_to", str, description="YYYY-MM-DD"),
    OpenApiParameter("age", str, enum=["0-30", "31-60", "61-90", "91-120", "120+"]),
    OpenApiParameter("amount_min", str), OpenApiParameter("amount_max", str),
    OpenApiParameter("assignee", str, description="me, none, or a user id"),
    OpenApiParameter("follow_up_due", bool),
    OpenApiParameter("near_filing_limit", bool, description="Within 15 days of filing limit"),
    OpenApiParameter("reason", str, description=REASON_FILTER_HELP),
    OpenApiParameter("sort", str, enum=list(SORTS)),
]  # fmt: skip


class ClaimPagination(PageNumberPagination):
    """Pages of a queue whose count (and charges) the queue already knows: from the tallies the
    database keeps when the filters allow, so a page of a million claims counts nothing."""

    totals: Totals | None = None

    def paginate_queue(self, page: QueuePage, request: Request, view: APIView) -> list[Claim]:
        self.totals = totals = page.totals

        class Counted(Paginator):
            @cached_property
            def count(self) -> int:
                return totals.count

        self.django_paginator_class = Counted
        return list(self.paginate_queryset(QueueRows(page), request, view) or [])

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        if self.totals is not None:
            response.data["charges"] = f"{self.totals.charges:.2f}"
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        found = super().get_paginated_response_schema(schema)
        found["properties"]["charges"] = {
            "type": "string", "example": "12345.00",
            "description": "The charges of every claim the filters match, not only this page.",
        }  # fmt: skip
        return found


class ClaimListApi(generics.GenericAPIView):
    """Claims of a queue (default: all), filtered, searched and sorted like the queue pages,
    with the count and charges of all the claims matched."""

    serializer_class = ClaimOutput
    pagination_class = ClaimPagination

    @extend_schema(tags=TAGS, parameters=FILTERS, responses=ClaimOutput(many=True))
    def get(self, request: Request) -> Response:
        queue = request.query_params.get("queue", "all")
        if queue not in QUEUES:
            raise ValidationError({"queue": f"Unknown queue; use one of {', '.join(QUEUES)}."})
        form = ClaimFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        if not practice_ids_for(user=request.user, roles=CLAIM_READERS):
            raise PermissionDenied("Your role does not include claims.")
        page_of = claim_queue_page(
            user=request.user, queue=QUEUES[queue], criteria=form.criteria(),
            sort=form.cleaned_data.get("sort") or "oldest", now=timezone.now(),
            roles=CLAIM_READERS,
        )  # fmt: skip
        assert isinstance(self.paginator, ClaimPagination)
        page = self.paginator.paginate_queue(page_of, request, self)
        return self.get_paginated_response(ClaimOutput(page, many=True).data)


class ClaimDetailApi(generics.GenericAPIView):
    serializer_class = ClaimDetailOutput

    @extend_schema(tags=TAGS, responses={200: ClaimDetailOutput, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        claim = claim_get(user=request.user, pk=pk, roles=CLAIM_READERS)
        return Response(ClaimDetailOutput(claim).data)


def billed_claim(request: Request, pk: int) -> tuple[Claim, User]:
    """The claim `pk` for a write (here, in claims.correction_api and denials.api): 403 for a
    user who bills nowhere, 404 outside the fence."""
    if not practice_ids_for(user=request.user, roles=BILLING):
        raise PermissionDenied("Your role does not include billing.")
    if not 0 < int(pk) <= MAX_ID:
        raise ValidationError({"pk": ["Not a claim id."]})
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    return claim, request.user  # type: ignore[return-value]


def claim_response(claim: Claim, code: int = status.HTTP_200_OK) -> Response:
    claim.refresh_from_db()
    return Response(ClaimOutput(claim).data, status=code)


WRITE = {200: ClaimOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND}


class ClaimAssignApi(APIView):
    """Assign the claim to a biller of its practice (`assignee`: a user id), or to no one."""

    class ClaimAssignInput(serializers.Serializer):
        assignee = serializers.IntegerField(allow_null=True, required=False)

    @extend_schema(tags=TAGS, request=ClaimAssignInput, responses=WRITE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        data = form_or_400(AssignForm, request.data)
        assignee = User.objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
        if data["assignee"] and assignee is None:
            raise ValidationError({"assignee": ["No such biller."]})
        claim_assign(claim=claim, assignee=assignee, user=user)
        return claim_response(claim)


class ClaimFollowUpApi(APIView):
    """Set the follow-up date (YYYY-MM-DD; empty clears it), with an optional note."""

    class ClaimFollowUpInput(serializers.Serializer):
        date = serializers.DateField(allow_null=True, required=False)
        note = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(tags=TAGS, request=ClaimFollowUpInput, responses=WRITE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        data = form_or_400(FollowUpForm, request.data)
        claim_follow_up_set(claim=claim, day=data["date"], user=user, note=data["note"])
        return claim_response(claim)


class ClaimHoldApi(APIView):
    """Put the claim on hold with a reason: it is not batched until released."""

    class ClaimHoldInput(serializers.Serializer):
        reason = serializers.CharField()

    @extend_schema(tags=TAGS, request=ClaimHoldInput, responses=WRITE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        data = form_or_400(HoldForm, request.data)
        claim_hold(claim=claim, reason=data["reason"], user=user)
        return claim_response(claim)


class ClaimReleaseApi(APIView):
    """Release the claim from hold."""

    @extend_schema(tags=TAGS, request=None, responses=WRITE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        if not claim.on_hold:
            raise ValidationError({"non_field_errors": ["The claim is not on hold."]})
        claim_release(claim=claim, user=user)
        return claim_response(claim)


class ClaimNoteApi(APIView):
    """Add a note to the claim's timeline."""

    class ClaimNoteInput(serializers.Serializer):
        text = serializers.CharField()

    @extend_schema(tags=TAGS, request=ClaimNoteInput, responses={**WRITE, 201: TimelineOutput})
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        data = form_or_400(NoteForm, request.data)
        event = claim_note_add(claim=claim, text=data["text"], user=user)
        body = {"at": event.at, "kind": event.kind, "title": "Note", "note": event.note,
                "who": user.get_full_name() or user.username, "file": ""}  # fmt: skip
        return Response(body, status=status.HTTP_201_CREATED)


class ClaimSubmitApi(APIView):
    """Queue a ready claim (not on hold) for the next batch."""

    @extend_schema(tags=TAGS, request=None, responses=WRITE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        try:
            claim_submit(claim=claim, user=user)
        except (InvalidTransition, ClaimOnHold) as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error
        return claim_response(claim)


class ClaimStatusCheckApi(APIView):
    """Ask the payer now (276); the answer (277) joins the claim's timeline when it comes."""

    @extend_schema(tags=TAGS, request=None, responses={**WRITE, 202: ClaimOutput})
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        try:
            claim_status_check_request(claim=claim, user=user)
        except DjangoValidationError as error:
            raise ValidationError({"non_field_errors": error.messages}) from error
        return claim_response(claim, status.HTTP_202_ACCEPTED)


class VoidForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500)


class ClaimVoidApi(APIView):
    """Void the claim: one the payer has not adjudicated becomes void; an adjudicated one gets
    a void claim (frequency 8, REF*F8 = the payer's claim number), answered here, and closes."""

    class ClaimVoidInput(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(tags=TAGS, request=ClaimVoidInput, responses=WRITE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        data = form_or_400(VoidForm, request.data)
        try:
            outcome = claim_void(claim=claim, user=user, reason=data["reason"])
        except (DjangoValidationError, InvalidTransition) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise ValidationError({"non_field_errors": messages}) from error
        return claim_response(
            outcome.claim, status.HTTP_201_CREATED if outcome.claim.pk != claim.pk else 200
        )


class ClaimScrubApi(APIView):
    """Scrub a draft or ready claim again (after a fix made elsewhere); the claim as it is now."""

    @extend_schema(tags=TAGS, request=None, responses=WRITE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        if claim.status not in SCRUBBABLE:
            raise ValidationError(
                {"non_field_errors": ["Only a draft or a ready claim is scrubbed again."]}
            )
        claim_scrub(claim=claim, user=user)
        return claim_response(claim)
