"""The biller's 837P import page: upload a client's file, see what it added, held and skipped."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from claims.import837 import ImportResult, claims_import_837
from claims.models import Claim
from rcm.clearinghouse.gateway import inbound_max_bytes, inbound_too_large
from rcm.practice.models import Practice
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for
from rcm.x12.base import X12Error


class Import837Form(forms.Form):
    """Which practice (only those the user bills for) and the file, within the inbound limit."""

    practice = forms.ChoiceField(
        error_messages={"invalid_choice": "Choose one of the practices you bill for."}
    )
    file = forms.FileField(
        label="837P file",
        max_length=200,
        allow_empty_file=False,
        error_messages={
            "required": "Choose the 837P file to import.",
            "empty": "The file is empty.",
            "max_length": "The file's name is too long (at most 200 characters).",
        },
    )

    def __init__(self, *args: Any, practices: list[Practice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["practice"]
        assert isinstance(field, forms.ChoiceField)  # declared just above
        # Exact ids as text: an Arabic-Indic digit one is no id here, whatever int() thinks.
        field.choices = [(str(practice.pk), practice.name) for practice in practices]
        if len(practices) == 1:
            field.initial = str(practices[0].pk)
            field.widget = forms.HiddenInput()

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > inbound_max_bytes():  # refused before it is read into memory
            raise forms.ValidationError(inbound_too_large(uploaded.size).capitalize() + ".")
        return uploaded


def _billing_practices(request: AuthenticatedRequest) -> list[Practice]:
    ids = practice_ids_for(user=request.user, roles=BILLING)
    return list(Practice.objects.filter(pk__in=ids).order_by("name"))


@require_http_methods(["GET", "POST"])
@role_required(*BILLING)
def import_837_view(request: AuthenticatedRequest) -> HttpResponse:
    """Upload an 837P; on success the result page lists each claim imported, with its link."""
    practices = _billing_practices(request)
    form = Import837Form(request.POST or None, request.FILES or None, practices=practices)
    if request.method == "GET":
        return render(request, "claims/import_837.html", {"form": form})
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        practice = next(p for p in practices if str(p.pk) == form.cleaned_data["practice"])
        try:
            result = claims_import_837(
                practice=practice, data=uploaded.read(), file_name=uploaded.name or "",
                user=request.user,
            )  # fmt: skip
        except X12Error as error:
            form.add_error(
                "file", f"The file cannot be read as an 837P: {error}. Nothing was imported."
            )
        else:
            return _result_page(request, practice, result)
    return render(request, "claims/import_837.html", {"form": form}, status=400)


def _result_page(
    request: AuthenticatedRequest, practice: Practice, result: ImportResult
) -> HttpResponse:
    ids = [claim.claim_id for claim in result.claims]
    order = {claim_id: position for position, claim_id in enumerate(ids)}  # the file's order
    claims = Claim.objects.filter(pk__in=ids, practice=practice).select_related("patient", "payer")
    context = {
        "practice": practice,
        "result": result,
        "summary": result.summary(),
        "claims": sorted(claims, key=lambda claim: order[claim.pk]),
    }
    return render(request, "claims/import_837_result.html", context)
