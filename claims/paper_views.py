"""Paper claim pages: a claim's CMS-1500 PDF, the "To print" list, and printing a queue at once."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from claims.paper import (
    MAX_CLAIMS_PER_PRINT,
    claims_cms1500_pdf,
    claims_for_paper,
    claims_print,
    claims_to_print,
)
from claims.queues import QUEUES, queue_filter
from claims.selectors import claim_get, claim_list
from rcm.practice.permissions import BILLING, CLAIM_READERS, AuthenticatedRequest, role_required

TO_PRINT = "to-print"
QUEUE_LABELS = {key: queue.label for key, queue in QUEUES.items()}
_ID = re.compile(r"[0-9]{1,10}")  # ASCII digits only: "²" or "٣" is no claim id
_MAX_ID = 2**31 - 1


def _pdf(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    kind = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{kind}; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # PHI: never kept by a proxy or the browser cache
    return response


def _plain_flag(value: str | None) -> bool:
    if value in (None, "", "0"):
        return False
    if value == "1":
        return True
    raise ValueError("plain must be 1 (the form drawn on plain paper) or 0 (the red form).")


@require_GET
@role_required(*CLAIM_READERS)
def claim_cms1500(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One claim's CMS-1500, to look at or print; `?plain=1` draws the form too. Moves nothing."""
    try:
        plain = _plain_flag(request.GET.get("plain"))
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    claim = claim_get(user=request.user, pk=pk, roles=CLAIM_READERS)
    pdf = claims_cms1500_pdf(claims=list(claims_for_paper([claim.pk])), plain=plain)
    return _pdf(pdf, f"cms1500-{claim.control_number}.pdf", attachment=False)


@require_GET
@role_required(*BILLING)
def claims_to_print_view(request: AuthenticatedRequest) -> HttpResponse:
    """Claims queued for payers that take paper: printing them is how they are sent."""
    claims = claims_to_print(claim_list(user=request.user, roles=BILLING)).order_by(
        "status_changed_at", "id"
    )
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    context = {"page_obj": page, "queues": QUEUE_LABELS.items(), "max": MAX_CLAIMS_PER_PRINT}
    return render(request, "claims/to_print.html", context)


class PrintForm(forms.Form):
    """What to print: the claims ticked, or a whole queue; on the red form or plain paper."""

    queue = forms.ChoiceField(
        required=False, choices=[("", ""), (TO_PRINT, "To print"), *QUEUE_LABELS.items()]
    )
    plain = forms.ChoiceField(required=False, choices=[("", ""), ("0", "red"), ("1", "plain")])

    def __init__(self, data: Any, claim_values: list[str]) -> None:
        super().__init__(data)
        self.claim_values = claim_values

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = self.claim_values
        if len(values) > MAX_CLAIMS_PER_PRINT:
            raise forms.ValidationError(f"Print at most {MAX_CLAIMS_PER_PRINT} claims at a time.")
        if not all(_ID.fullmatch(value) and int(value) <= _MAX_ID for value in values):
            raise forms.ValidationError("A claim is named by its number (digits 0-9 only).")
        if not values and not cleaned.get("queue"):
            raise forms.ValidationError("Tick the claims to print, or print the whole queue.")
        cleaned["claim_ids"] = list(dict.fromkeys(int(value) for value in values))
        return cleaned


def _claims_chosen(request: AuthenticatedRequest, form: PrintForm) -> list[int]:
    """The ids to print, fenced to the practices where the user bills (404 for any other)."""
    fenced = claim_list(user=request.user, roles=BILLING)
    queue = form.cleaned_data["queue"]
    if not form.cleaned_data["claim_ids"]:
        chosen = (
            claims_to_print(fenced)
            if queue == TO_PRINT
            else fenced.filter(queue_filter(QUEUES[queue], user=request.user, now=timezone.now()))
        )
        ids = list(chosen.order_by("status_changed_at", "id").values_list("id", flat=True))
        if len(ids) > MAX_CLAIMS_PER_PRINT:
            raise ValueError(
                f"The queue holds {len(ids)} claims; print at most {MAX_CLAIMS_PER_PRINT} at a "
                "time (tick them page by page)."
            )
        return ids
    wanted = form.cleaned_data["claim_ids"]
    found = set(fenced.filter(pk__in=wanted).values_list("id", flat=True))
    if len(found) != len(wanted):
        raise Http404("No such claim.")
    return wanted


@require_POST
@role_required(*BILLING)
def claims_print_view(request: AuthenticatedRequest) -> HttpResponse:
    """One PDF of the claims ticked (or the whole queue); "To print" claims become submitted."""
    form = PrintForm(request.POST, request.POST.getlist("claim"))
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(message, status=400, content_type="text/plain")
    try:
        claim_ids = _claims_chosen(request, form)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    if not claim_ids:
        return HttpResponse(
            "No claim to print in this queue.", status=400, content_type="text/plain"
        )
    run = claims_print(
        claim_ids=claim_ids, user=request.user, plain=form.cleaned_data["plain"] == "1"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _pdf(run.pdf, f"cms1500-{stamp}.pdf", attachment=True)
