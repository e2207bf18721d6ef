"""The biller's remittance pages: the list of 835 payments, one payment's claims and PLB
adjustments, its stored file, and the exceptions queue (match by hand, or resolve)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from denials.exceptions import posting_exception_match, posting_exception_resolve
from denials.models import Adjustment, ExceptionStatus, PostingException
from denials.selectors import (
    claims_to_match,
    posting_exception_get,
    posting_exceptions_open,
    remittance_claim_payments,
    remittance_get,
    remittances_listed,
)
from denials.templatetags.remit_tags import CLAIM_STATUS_WORDS, code_words
from rcm.files.services import stored_file_read
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for

PAGE_SIZE = 50
SEARCH_MAX = 60
CLAIM_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only: "١٢" is no id; 19+ digits overflow
# PLB03-1, the provider-level adjustment reason, in words (835 5010 code list).
PLB_WORDS = {
    "50": "Late charge", "51": "Interest penalty charge", "72": "Authorized return",
    "90": "Early payment allowance", "AH": "Origination fee", "AM": "Applied to borrower's account",
    "AP": "Acceleration of benefits", "B2": "Rebate", "B3": "Recovery allowance",
    "BD": "Bad debt adjustment", "BN": "Bonus", "C5": "Temporary allowance",
    "CR": "Capitation interest", "CS": "Adjustment", "CT": "Capitation payment",
    "CV": "Capital passthru", "CW": "Certified registered nurse anesthetist passthru",
    "DM": "Direct medical education passthru", "E3": "Withholding", "FB": "Forward balance",
    "FC": "Fund allocation", "GO": "Graduate medical education passthru",
    "HM": "Hemophilia clotting factor supplement", "IP": "Incentive premium payment",
    "IR": "Internal Revenue Service withholding", "IS": "Interim settlement",
    "J1": "Nonreimbursable", "L3": "Penalty", "L6": "Interest owed", "LE": "Levy",
    "LS": "Lump sum", "OA": "Organ acquisition passthru", "OB": "Offset for affiliated providers",
    "PI": "Periodic interim payment", "PL": "Payment final", "RA": "Retro-activity adjustment",
    "RE": "Return on equity", "SL": "Student loan repayment", "TL": "Third party liability",
    "WO": "Overpayment recovery (recoupment)", "WU": "Unspecified recovery",
}  # fmt: skip


def _search_of(raw: str) -> tuple[str, str]:
    """(the search text, '') or ('', why it cannot be searched)."""
    text = raw.strip()
    if len(text) > SEARCH_MAX:
        return "", f"The search is {len(text)} characters long; keep it to {SEARCH_MAX}."
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return "", "The search holds a control character (such as NUL); remove it and retry."
    return text, ""


def _many_practices(request: AuthenticatedRequest) -> bool:
    return len(practice_ids_for(user=request.user, roles=BILLING)) > 1


@require_GET
@role_required(*BILLING)
def remittance_list(request: AuthenticatedRequest) -> HttpResponse:
    """The 835 payments of the user's billing practices, newest first, searchable."""
    search, error = _search_of(request.GET.get("q", ""))
    rows = remittances_listed(user=request.user, roles=BILLING, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "q": search,
        "error": error,
        "show_practice": _many_practices(request),
        "open_exceptions": posting_exceptions_open(user=request.user, roles=BILLING).count(),
    }
    return render(request, "denials/remittances/list.html", context, status=400 if error else 200)


def _payment_rows(payments: list[Any]) -> list[dict[str, Any]]:
    carcs = {a.reason for p in payments for a in p.adjustments.all()}
    rarcs = {
        r for p in payments for r in [*p.remarks, *(c for ln in p.lines.all() for c in ln.remarks)]
    }
    carc_words = code_words(system="CARC", codes=carcs)
    rarc_words = code_words(system="RARC", codes=rarcs)
    group_words = dict(Adjustment._meta.get_field("group").choices or [])
    rows = []
    for payment in payments:
        exception: PostingException | None = getattr(payment, "posting_exception", None)
        remarks = sorted({*payment.remarks, *(r for ln in payment.lines.all() for r in ln.remarks)})
        rows.append(
            {
                "payment": payment,
                "status_words": CLAIM_STATUS_WORDS.get(payment.status_code, payment.status_code),
                "exception": exception,
                "adjustments": [
                    {
                        "line": a.line_payment,
                        "group": a.group,
                        "group_words": group_words.get(a.group, ""),
                        "reason": a.reason,
                        "reason_words": carc_words.get(a.reason.upper(), "(code not in the table)"),
                        "amount": a.amount,
                    }
                    for a in payment.adjustments.all()
                ],
                "remarks": [(code, rarc_words.get(code.upper(), "")) for code in remarks],
            }
        )
    return rows


@require_GET
@role_required(*BILLING)
def remittance_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One payment: its header, every claim payment in words, its PLB adjustments, its file."""
    remittance = remittance_get(user=request.user, pk=pk, roles=BILLING)
    payments = remittance_claim_payments(remittance=remittance)
    provider_adjustments = [
        {"row": p, "words": PLB_WORDS.get(p.reason.upper(), "(code not in the table)")}
        for p in remittance.provider_adjustments.all()
    ]
    context = {
        "remittance": remittance,
        "rows": _payment_rows(payments),
        "provider_adjustments": provider_adjustments,
        "open_exceptions": sum(
            1
            for p in payments
            if getattr(p, "posting_exception", None)
            and p.posting_exception.status == ExceptionStatus.OPEN
        ),
    }
    return render(request, "denials/remittances/detail.html", context)


@require_GET
@role_required(*BILLING)
def remittance_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The 835 the payment was posted from, as received."""
    remittance = remittance_get(user=request.user, pk=pk, roles=BILLING)
    if remittance.file is None:
        raise Http404("This payment has no stored file.")
    stored = remittance.file
    response = HttpResponse(stored_file_read(stored=stored), content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="{stored.name}"'
    return response


@require_GET
@role_required(*BILLING)
def exception_list(request: AuthenticatedRequest) -> HttpResponse:
    """Claim payments posting could not apply, oldest first, with the reason in words."""
    rows = posting_exceptions_open(user=request.user, roles=BILLING)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "show_practice": _many_practices(request)}
    return render(request, "denials/remittances/exceptions.html", context)


def _exception_page(
    request: AuthenticatedRequest,
    exception: PostingException,
    *,
    search: str = "",
    error: str = "",
    note: str = "",
) -> HttpResponse:
    candidates = (
        claims_to_match(practice_id=exception.practice_id, search=search)
        if search and exception.status == ExceptionStatus.OPEN
        else []
    )
    payment = remittance_claim_payments(remittance=exception.remittance)
    row = next(r for r in _payment_rows(payment) if r["payment"].pk == exception.claim_payment_id)
    context = {
        "exception": exception,
        "row": row,
        "q": search,
        "candidates": candidates,
        "error": error,
        "note": note,
    }
    return render(
        request, "denials/remittances/exception.html", context, status=400 if error else 200
    )


@require_GET
@role_required(*BILLING)
def exception_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One exception: the claim payment, a claim search to match it, and resolving it."""
    exception = posting_exception_get(user=request.user, pk=pk, roles=BILLING)
    search, error = _search_of(request.GET.get("q", ""))
    return _exception_page(request, exception, search=search, error=error)


@require_POST
@role_required(*BILLING)
def exception_match(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Post the payment to the claim the biller chose (same path as automatic posting)."""
    exception = posting_exception_get(user=request.user, pk=pk, roles=BILLING)
    raw = request.POST.get("claim", "").strip()
    if not CLAIM_ID.fullmatch(raw):
        shown = raw[:20].replace("\x00", "\\0")
        error = f"Choose a claim from the search: “{shown}” is not a claim id. Nothing was posted."
        return _exception_page(request, exception, error=error)
    try:
        resolved = posting_exception_match(
            exception=exception, claim_id=int(raw), user=request.user
        )
    except ValidationError as refusal:
        return _exception_page(request, exception, error=" ".join(refusal.messages))
    claim = resolved.matched_claim
    assert claim is not None
    messages.success(
        request,
        f"Payment {resolved.claim_payment.control_number} posted to claim {claim.control_number}.",
    )
    return redirect("posting-exceptions")


@require_POST
@role_required(*BILLING)
def exception_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close the exception with a note, without posting."""
    exception = posting_exception_get(user=request.user, pk=pk, roles=BILLING)
    note = request.POST.get("note", "")
    try:
        posting_exception_resolve(exception=exception, user=request.user, note=note)
    except ValidationError as refusal:
        shown = note.replace("\x00", "")[:500]
        return _exception_page(request, exception, error=" ".join(refusal.messages), note=shown)
    messages.success(request, f"Exception {exception.claim_payment.control_number} resolved.")
    return redirect("posting-exceptions")
