"""The biller's 837P import pages: upload a client's file; follow its import until done, then
see what it added, held and skipped."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from claims.import837_jobs import claim_import_start
from claims.models import ClaimImport
from claims.selectors import import_claims
from rcm.clearinghouse.gateway import inbound_max_bytes, inbound_too_large
from rcm.practice.models import Practice
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required, scoped_get
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
    """Upload an 837P: a readable file is kept and its import queued, and the page of that
    import follows it; an unreadable one is refused here, naming its segment and line."""
    practices = _billing_practices(request)
    form = Import837Form(request.POST or None, request.FILES or None, practices=practices)
    if request.method == "GET":
        return render(request, "claims/import_837.html", {"form": form})
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        practice = next(p for p in practices if str(p.pk) == form.cleaned_data["practice"])
        try:
            claim_import = claim_import_start(
                practice=practice, data=uploaded.read(), file_name=uploaded.name or "",
                user=request.user,
            )  # fmt: skip
        except X12Error as error:
            form.add_error(
                "file", f"The file cannot be read as an 837P: {error}. Nothing was imported."
            )
        else:
            return redirect("claims-import-837-detail", pk=claim_import.pk)
    return render(request, "claims/import_837.html", {"form": form}, status=400)


@require_GET
@role_required(*BILLING)
def import_837_detail_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One import: "importing…" (the status part asks again every 2 seconds, by htmx) until it
    is done, then what it imported, held and left out. Only the status part for htmx."""
    claim_import = scoped_get(
        ClaimImport.objects.select_related("practice"), user=request.user, pk=pk, roles=BILLING
    )
    context = {
        "claim_import": claim_import,
        "practice": claim_import.practice,
        "summary": claim_import.summary,
        "claims": import_claims(claim_import=claim_import),
    }
    partial = bool(request.headers.get("HX-Request"))
    template = "claims/_import_837_status.html" if partial else "claims/import_837_result.html"
    return render(request, template, context)
