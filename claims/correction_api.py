"""Claims API: the biller's corrections of one claim, as the claim page makes them, through the
same services (claims/corrections.py) and the same reading of the edit form
(claims/correction_forms.py): edit and scrub again, correct (a rejected claim fixed and sent
again, an adjudicated one replaced), move lines to another payer, override a warning.
Rebilling the denied lines is denials' (denials/api.py): only denials reads remittances.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
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
)
from claims.claim_drafts import MAX_DIAGNOSES, MAX_LINES, ClaimDraft
from claims.correction_forms import SLOTS, draft_form_from, draft_form_of
from claims.corrections import EditOutcome, claim_correct, claim_edit, claim_split_lines
from claims.models import Claim
from claims.queue_forms import MAX_ID
from claims.scrubber import claim_edit_override
from claims.selectors import claim_edit_get, claim_edits_of
from claims.state import InvalidTransition
from rcm.practice.validators import ascii_int

NON_FIELD = "non_field_errors"
TEXT_FIELDS = ("place_of_service", "prior_authorization", "note")
DRAFT_FIELDS = ("diagnoses", *TEXT_FIELDS, "lines")
# A line's JSON field → its box of the browser's form (`line-N-<box>`).
LINE_BOXES = {"id": "id", "procedure_code": "code", "units": "units", "charge": "charge",
              "service_date": "date"}  # fmt: skip
# A line's JSON list → (its boxes' prefix, the form row's key).
LINE_LISTS = {"modifiers": ("mod", "modifiers"), "diagnosis_pointers": ("ptr", "pointers")}
MAX_SPLIT_LINES = 60  # as the split page reads at most


# --- answers -------------------------------------------------------------------------------------


class ClaimChangeOutput(ClaimOutput):
    """The claim as the change left it, what changed in words, and its scrub's findings."""

    changes = serializers.ListField(child=serializers.CharField())
    held = serializers.BooleanField(help_text="The scrubber found an error: the claim is DRAFT.")
    edits = ScrubEditOutput(many=True)


def changed_response(outcome: EditOutcome, code: int = status.HTTP_200_OK) -> Response:
    claim = outcome.claim
    claim.refresh_from_db()
    body = {
        **ClaimOutput(claim).data,
        "changes": outcome.changes,
        "held": outcome.held,
        "edits": ScrubEditOutput(claim_edits_of(claim=claim), many=True).data,
    }
    return Response(body, status=code)


def refusal(error: DjangoValidationError | InvalidTransition) -> ValidationError:
    """A service's refusal as a 400 body: {field: [messages]} when it names fields."""
    if isinstance(error, DjangoValidationError) and hasattr(error, "error_dict"):
        return ValidationError(
            {NON_FIELD if field == "__all__" else field: messages
             for field, messages in error.message_dict.items()}
        )  # fmt: skip
    messages = getattr(error, "messages", None) or [str(error)]
    return ValidationError({NON_FIELD: list(messages)})


CHANGE = {200: ClaimChangeOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND}
CREATED = {201: ClaimChangeOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND}


# --- reading a draft from JSON, through the browser's form --------------------------------------


def _box(value: Any) -> str | None:
    """A JSON string or number as the form's box would hold it; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)  # inf or 1e+20 then fails the form's own checks, with its message
    return None


def _line_fields(
    index: int, line: Any, rows: dict[int, dict[str, Any]], errors: list[str]
) -> dict[str, list[str]]:
    """One JSON line as the form's `line-N-…` fields; an existing line (`id`) starts from what
    it is now, so a line names only what changes."""
    where = f"Line {index}"
    if not isinstance(line, dict):
        errors.append(f'{where} is an object: {{"id": …, "procedure_code": …, …}}.')
        return {}
    unknown = sorted(set(line) - set(LINE_BOXES) - set(LINE_LISTS))
    if unknown:
        errors.append(f"{where}: unknown field {unknown[0][:40]!r}.")
        return {}
    line_id = line.get("id")
    if line_id is not None and (
        isinstance(line_id, bool) or not isinstance(line_id, int) or not 0 < line_id <= MAX_ID
    ):
        errors.append(f"{where}: id is the id of a line of this claim (a number), or left out.")
        return {}
    if line_id is not None and line_id not in rows:
        errors.append(f"{where}: {line_id} is not a line of this claim (its lines have ids).")
        return {}
    row = rows.get(line_id, {}) if line_id is not None else {}
    fields: dict[str, list[str]] = {}
    for name, box in LINE_BOXES.items():
        value = _box(line[name]) if name in line else str(row.get(box, "") or "")
        if value is None:
            errors.append(f"{where}: {name} is a string or a number.")
            return {}
        fields[f"line-{index}-{box}"] = [value]
    if not fields[f"line-{index}-code"][0].strip():
        errors.append(f"{where}: procedure_code is required (a CPT or HCPCS code).")
    for name, (box, key) in LINE_LISTS.items():
        values = line[name] if name in line else [v for v in row.get(key, []) if v]
        boxes = [_box(value) for value in values] if isinstance(values, list) else [None]
        if None in boxes or len(boxes) > SLOTS:
            errors.append(f"{where}: {name} is a list of at most {SLOTS} codes or numbers.")
            return {}
        for slot, value in enumerate(boxes, start=1):
            fields[f"line-{index}-{box}{slot}"] = [value or ""]
    return fields


def _draft_fields(
    claim: Claim, data: Any
) -> tuple[dict[str, dict[str, list[str]]], dict[str, list[str]]]:
    """The JSON body as the edit form's fields, by the draft's field; omitted fields are the
    claim's as it is. Returns (fields by draft field, errors by draft field)."""
    if not isinstance(data, dict):
        return {}, {NON_FIELD: ["Send a JSON object."]}
    errors: dict[str, list[str]] = {}
    for name in sorted(set(data) - set(DRAFT_FIELDS)):
        errors[name[:40]] = [f"Unknown field; the fields are {', '.join(DRAFT_FIELDS)}."]
    now = draft_form_of(claim)
    fields: dict[str, dict[str, list[str]]] = {}
    diagnoses = data.get("diagnoses", now.diagnoses)
    if not isinstance(diagnoses, list) or not all(isinstance(dx, str) for dx in diagnoses):
        errors["diagnoses"] = ['A list of ICD-10-CM codes, in order, e.g. ["E11.9", "I10"].']
    elif len(diagnoses) > MAX_DIAGNOSES:
        errors["diagnoses"] = [f"A claim carries at most {MAX_DIAGNOSES} diagnoses."]
    else:
        fields["diagnoses"] = {"dx": list(diagnoses)}
    for name in TEXT_FIELDS:
        value = _box(data[name]) if name in data else now.values[name]
        if value is None:
            errors[name] = ["A string."]
        else:
            fields[name] = {name: [value]}
    lines = data["lines"] if "lines" in data else [{"id": row["id"]} for row in now.rows]
    line_errors: list[str] = []
    if not isinstance(lines, list):
        line_errors.append("A list of the claim's lines, in order: each kept line by its id.")
    elif len(lines) > MAX_LINES:
        line_errors.append(f"A claim carries at most {MAX_LINES} service lines.")
    else:
        rows = {int(str(row["id"])): row for row in now.rows}
        boxes: dict[str, list[str]] = {"line-count": [str(len(lines))]}
        for index, line in enumerate(lines, start=1):
            boxes |= _line_fields(index, line, rows, line_errors)
        fields["lines"] = boxes
    if line_errors:
        errors["lines"] = line_errors
    return fields, errors


def _form_of(fields: dict[str, list[str]]) -> QueryDict:
    form = QueryDict(mutable=True)
    for key, values in fields.items():
        form.setlist(key, values)
    return form


def draft_from_json(claim: Claim, data: Any) -> ClaimDraft:
    """The draft a JSON body asks for, read by the browser's form reader; a 400 naming each
    field at fault otherwise. The service then checks the draft against the code sets."""
    fields, errors = _draft_fields(claim, data)
    # Each part through the form reader on its own, so that its messages name their field.
    for name, part in fields.items():
        problems = draft_form_from(_form_of(part)).errors
        if problems:
            errors[name] = [*errors.get(name, []), *problems]
    if errors:
        raise ValidationError(errors)
    whole = draft_form_from(_form_of({k: v for part in fields.values() for k, v in part.items()}))
    if whole.draft is None:  # each part read alone: the whole reads the same
        raise ValidationError({NON_FIELD: whole.errors})
    return whole.draft


class ClaimLineDraftInput(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, help_text="The claim line this is (kept, with its line control number); "
        "leave out for a new line. A line of the claim not listed is removed.",
    )  # fmt: skip
    procedure_code = serializers.CharField(required=False, help_text="CPT or HCPCS, e.g. 99214")
    modifiers = serializers.ListField(child=serializers.CharField(), max_length=SLOTS,
                                      required=False)  # fmt: skip
    units = serializers.CharField(required=False, help_text="e.g. 1 or 2.5 (default 1)")
    diagnosis_pointers = serializers.ListField(
        child=serializers.IntegerField(), max_length=SLOTS, required=False,
        help_text="Positions in `diagnoses`, from 1",
    )  # fmt: skip
    charge = serializers.CharField(required=False, help_text="e.g. 125.00")
    service_date = serializers.DateField(required=False)


class ClaimDraftInput(serializers.Serializer):
    """Any field left out stays as it is; a line with an `id` names only what changes."""

    diagnoses = serializers.ListField(
        child=serializers.CharField(), max_length=MAX_DIAGNOSES, required=False,
        help_text="ICD-10-CM codes in order (E11.9 or E119); pointers count from 1",
    )  # fmt: skip
    place_of_service = serializers.CharField(required=False, help_text="Two digits, e.g. 11")
    prior_authorization = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, help_text="NTE, to the payer")
    lines = ClaimLineDraftInput(many=True, required=False)


# --- the endpoints -------------------------------------------------------------------------------


class ClaimEditApi(APIView):
    """Edit a draft, ready or rejected claim in place and scrub it again, as the edit page
    does (a rejected claim then goes again as the same original). Saving it unchanged scrubs
    it again."""

    @extend_schema(tags=TAGS, request=ClaimDraftInput, responses=CHANGE)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        draft = draft_from_json(claim, request.data)
        try:
            outcome = claim_edit(claim=claim, draft=draft, user=user)
        except (DjangoValidationError, InvalidTransition) as error:
            raise refusal(error) from error
        return changed_response(outcome)


class ClaimCorrectApi(APIView):
    """Correct a claim after the payer's answer, with at least one change: a rejected claim is
    fixed and goes again as the same original (frequency 1, same CLM01); an adjudicated claim
    gets a replacement (frequency 7, REF*F8 = the payer's claim number), answered here (201),
    and closes."""

    @extend_schema(tags=TAGS, request=ClaimDraftInput, responses={**CHANGE, 201: ClaimChangeOutput})
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        draft = draft_from_json(claim, request.data)
        try:
            outcome = claim_correct(claim=claim, draft=draft, user=user)
        except (DjangoValidationError, InvalidTransition) as error:
            raise refusal(error) from error
        return changed_response(
            outcome, status.HTTP_201_CREATED if outcome.claim.pk != claim.pk else 200
        )


def _ids(value: Any, limit: int) -> list[int] | None:
    """A list of ids (JSON integers, or strings of ASCII digits), or None."""
    if not isinstance(value, list) or not 0 < len(value) <= limit:
        return None
    ids = [ascii_int(str(item)) if isinstance(item, int | str) and not isinstance(item, bool)
           else None for item in value]  # fmt: skip
    if any(item is None or not 0 < item <= MAX_ID for item in ids):
        return None
    return [item for item in ids if item is not None]


class ClaimSplitApi(APIView):
    """Move lines of the claim to a new original claim (frequency 1) to another coverage of the
    patient, as the split page does: from an unsent or rejected claim they leave it (it keeps
    one line at least, and is scrubbed again); from a denied or partially paid one they are
    billed to the other payer and the claim closes. The new claim is answered (201)."""

    class ClaimSplitInput(serializers.Serializer):
        lines = serializers.ListField(child=serializers.IntegerField(), help_text="Line ids")
        coverage = serializers.IntegerField(help_text="Another coverage of the patient")

    @extend_schema(tags=TAGS, request=ClaimSplitInput, responses=CREATED)
    def post(self, request: Request, pk: int) -> Response:
        claim, user = billed_claim(request, pk)
        data = request.data if isinstance(request.data, dict) else {}
        line_ids = _ids(data.get("lines"), MAX_SPLIT_LINES)
        coverage = _ids([data.get("coverage")], 1)
        errors = {}
        if line_ids is None:
            errors["lines"] = [f"The ids of the lines to move: a list of 1 to {MAX_SPLIT_LINES}."]
        if coverage is None:
            errors["coverage"] = ["The id of another coverage of this patient."]
        if errors:
            raise ValidationError(errors)
        assert line_ids is not None and coverage is not None
        try:
            outcome = claim_split_lines(
                claim=claim, line_ids=line_ids, coverage_id=coverage[0], user=user
            )
        except (DjangoValidationError, InvalidTransition) as error:
            raise refusal(error) from error
        return changed_response(outcome, status.HTTP_201_CREATED)


class ClaimEditOverrideApi(APIView):
    """Override one open warning of the claim's scrub with a reason, kept on the timeline.
    An error cannot be overridden: correct the claim instead."""

    class ClaimEditOverrideInput(serializers.Serializer):
        reason = serializers.CharField(help_text="Why this warning does not apply (timeline)")

    @extend_schema(
        tags=TAGS, request=ClaimEditOverrideInput,
        responses={200: ScrubEditOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    def post(self, request: Request, pk: int, edit_id: int) -> Response:
        claim, user = billed_claim(request, pk)
        if not 0 < int(edit_id) <= MAX_ID:
            raise NotFound("No such edit on this claim.")
        found = claim_edit_get(claim=claim, pk=edit_id)
        reason = request.data.get("reason", "") if isinstance(request.data, dict) else None
        if not isinstance(reason, str):
            raise ValidationError({"reason": ["The reason is text."]})
        try:
            overridden = claim_edit_override(claim_edit=found, user=user, reason=reason)
        except DjangoValidationError as error:
            raise refusal(error) from error
        return Response(ScrubEditOutput(overridden).data)
