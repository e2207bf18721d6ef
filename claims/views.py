"""Biller pages: the biller's home, the claim queues with their bulk actions, Next claim, and
the claim page. The claim page's work actions are in claims/work_views.py, saved worklists in
claims/worklist_views.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from claims.attachments import ClaimAttachmentForm, attachment_refusal
from claims.billing import billing_issues_open
from claims.codeset_impact import codeset_impact
from claims.models import Claim
from claims.queue_forms import MAX_ID, BulkActionForm, ClaimFilterForm, form_errors_text
from claims.queues import (
    PAGE_SIZE,
    QUEUES,
    ClaimCriteria,
    QueueRows,
    assignable_billers,
    claim_queue_counts,
    claim_queue_page,
    worklist_list,
)
from claims.scrubber import SCRUBBABLE, claim_edit_override, claim_scrub
from claims.selectors import (
    claim_diagnoses_and_lines,
    claim_edit_get,
    claim_edits_of,
    claim_get,
    claim_list,
    claim_prior_payer_left,
    claim_timeline_entries,
)
from claims.services import next_payer_refusal
from claims.state import ClaimStatus, InvalidTransition
from claims.submission import ClaimOnHold, claim_submit, claims_submit_ready
from claims.work import (
    CLOSED_STATUSES,
    STATUS_CHECKABLE,
    claim_next,
    claims_assign,
    claims_follow_up_set,
    claims_hold,
    claims_note_add,
    claims_release,
    claims_submit_selected,
)
from rcm.files.selectors import quarantined_files
from rcm.practice.models import User
from rcm.practice.permissions import BILLING, CLAIM_READERS, AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for, user_has_role
from rcm.practice.validators import ascii_int

HOME_ROWS = 10
# Next claim locks the first free one among this many of each (practice, status) range, and
# reads the whole queue only when every one of them was taken meanwhile.
NEXT_CANDIDATES = 25


@require_GET
@role_required(*BILLING)
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The biller's home: every queue's count and charges, my follow-ups today, the payers'
    alarms (no answer past turnaround) and claims nearing the timely-filing limit."""
    user, now = request.user, timezone.now()
    fence = practice_ids_for(user=user, roles=BILLING)

    def first(queue: str, sort: str = "oldest") -> list[object]:
        page = claim_queue_page(user=user, queue=QUEUES[queue], sort=sort, now=now, fence=fence)
        return list(page.slice(0, HOME_ROWS))

    context = {
        "queues": claim_queue_counts(user=user, now=now, fence=fence),
        "follow_ups": first("follow-ups", "follow-up"),
        "overdue": first("waiting"),
        "timely": first("timely", "age"),
        "rejected": first("rejected"),
        "denied": first("denied"),
        "quarantine_count": quarantined_files(
            practice_ids=fence, include_unassigned=user.is_staff
        ).count(),
        "unbilled_count": billing_issues_open(practice_ids=fence).count(),
        "several_practices": len(fence) > 1,  # an agency's lists name each claim's practice
    }
    return render(request, "claims/home.html", context)


def queue_context(
    request: AuthenticatedRequest, *, queue_key: str, criteria: ClaimCriteria | None, sort: str
) -> dict[str, object]:
    """What the queue page and its htmx table show: totals, one page of rows, the billers."""
    fence = practice_ids_for(user=request.user, roles=BILLING)
    page = claim_queue_page(
        user=request.user, queue=QUEUES[queue_key], criteria=criteria, sort=sort,
        now=timezone.now(), fence=fence,
    )  # fmt: skip
    # Counted by the totals, read a slice at a time.
    paginator: Paginator[Claim] = Paginator(QueueRows(page), PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "fence": fence,
        "queue": queue_key,
        "queue_obj": page.queue,
        "totals": page.totals,
        "page_obj": paginator.get_page(request.GET.get("page")),
        "several_practices": page.several_practices,
        "query": params.urlencode(),
        "sort": sort,
        "sorts": [
            ("oldest", "Waiting longest"),
            ("age", "Date of service"),
            ("amount", "Amount"),
            ("patient", "Patient"),
            ("payer", "Payer"),
            ("follow-up", "Follow-up"),
        ],
    }


@require_GET
@role_required(*BILLING)
def claim_queue(request: AuthenticatedRequest, queue: str) -> HttpResponse:
    """One queue: filters, sort, search, pages; htmx asks for the table alone."""
    if queue not in QUEUES:
        raise Http404("No such queue.")
    form = ClaimFilterForm(request.GET)
    if not form.is_valid():
        context = {"queue": queue, "queue_obj": QUEUES[queue], "queues": QUEUES.values(),
                   "form": form}  # fmt: skip
        return render(request, "claims/queue.html", context, status=400)
    context = queue_context(
        request, queue_key=queue, criteria=form.criteria(),
        sort=form.cleaned_data.get("sort") or "oldest",
    )  # fmt: skip
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "queue-table":
        return render(request, "claims/_queue_table.html", context)
    worklist_id = ascii_int(request.GET.get("worklist"))
    context.update(
        queues=QUEUES.values(),
        form=form,
        worklist=worklist_list(user=request.user).filter(pk=worklist_id).first()
        if worklist_id and worklist_id <= MAX_ID
        else None,
        billers=assignable_billers(practice_ids=context["fence"]),  # type: ignore[arg-type]
    )
    return render(request, "claims/queue.html", context)


def _bulk(request: AuthenticatedRequest, form: BulkActionForm) -> str:
    """Run the chosen action on the selected claims; the sentence to show."""
    data, user = form.cleaned_data, request.user
    ids, action = data["claim"], data["action"]
    if action == "submit":
        queued, skipped = claims_submit_selected(claim_ids=ids, user=user)
        return f"{queued} queued for the next batch" + (
            f"; {skipped} not ready or on hold stayed." if skipped else "."
        )
    if action == "assign":
        assignee = User.objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
        if data["assignee"] and assignee is None:
            raise ValidationError("No such biller.")
        return f"{claims_assign(claim_ids=ids, assignee=assignee, user=user)} assigned."
    if action == "follow_up":
        count = claims_follow_up_set(claim_ids=ids, day=data["date"], user=user, note=data["note"])
        return f"Follow-up date set on {count}."
    if action == "hold":
        return f"{claims_hold(claim_ids=ids, reason=data['reason'], user=user)} put on hold."
    if action == "release":
        return f"{claims_release(claim_ids=ids, user=user, note=data['note'])} released."
    return f"Note added to {claims_note_add(claim_ids=ids, text=data['note'], user=user)}."


@require_POST
@role_required(*BILLING)
def claim_queue_bulk(request: AuthenticatedRequest, queue: str) -> HttpResponse:
    """Bulk actions on the rows selected in a queue: submit, assign, follow-up, hold, release."""
    if queue not in QUEUES:
        raise Http404("No such queue.")
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        errors = form_errors_text(form)
        return HttpResponse(f"Nothing was changed. {errors}", status=400, content_type="text/plain")
    try:
        messages.success(request, _bulk(request, form))
    except ValidationError as error:
        return HttpResponse(
            "Nothing was changed. " + " ".join(error.messages), status=400,
            content_type="text/plain",
        )  # fmt: skip
    return redirect("claim-queue", queue=queue)


@require_POST
@role_required(*BILLING)
def claim_next_view(request: AuthenticatedRequest, queue: str) -> HttpResponse:
    """Next claim: the oldest unassigned claim of the queue, now assigned to me."""
    if queue not in QUEUES:
        raise Http404("No such queue.")
    page = claim_queue_page(user=request.user, queue=QUEUES[queue], now=timezone.now())
    claim = claim_next(
        queue=page.next_candidates(NEXT_CANDIDATES), fallback=page.claims, user=request.user
    )
    if claim is None:
        messages.info(request, f"No unassigned claim is left in {QUEUES[queue].label}.")
        return redirect("claim-queue", queue=queue)
    return redirect("claim-detail", pk=claim.pk)


@require_GET
@role_required(*CLAIM_READERS)
def claim_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The claim as sent, its remittances (denials' tag), its timeline, and what fits now."""
    claim = claim_get(user=request.user, pk=pk, roles=CLAIM_READERS)
    return claim_page(request, claim)


def claim_page(
    request: AuthenticatedRequest,
    claim: Claim,
    status: int = 200,
    attachment_form: ClaimAttachmentForm | None = None,
) -> HttpResponse:
    bills = user_has_role(user=request.user, practice_id=claim.practice_id, roles=BILLING)
    diagnoses, lines = claim_diagnoses_and_lines(claim=claim)
    context = {
        "claim": claim,
        "diagnoses": diagnoses,
        "lines": lines,
        "timeline": claim_timeline_entries(claim=claim),
        "claim_edits": claim_edits_of(claim=claim),
        "prior_payer": claim_prior_payer_left(claim=claim),
        "bills": bills,
        "can_submit": bills and claim.status == ClaimStatus.READY and not claim.on_hold,
        "can_bill_next_payer": bills and next_payer_refusal(claim) is None,
        "can_check_status": bills and claim.status in STATUS_CHECKABLE,
        "can_work": bills and claim.status not in CLOSED_STATUSES,
        "billers": assignable_billers(practice_ids=[claim.practice_id]) if bills else [],
        "submissions": claim.submissions.select_related("batch").order_by("-batch__created_at"),
        "attachments": claim.attachments.select_related("created_by").order_by("id"),
        "can_attach": bills and attachment_refusal(claim) is None,
        "attachment_form": attachment_form or ClaimAttachmentForm(),
        "today": timezone.localdate(),
    }
    return render(request, "claims/detail.html", context, status=status)


@require_POST
@role_required(*BILLING)
def claim_submit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    try:
        claim_submit(claim=claim, user=request.user)
        messages.success(request, f"Claim {claim.control_number} queued for the next batch.")
    except (InvalidTransition, ClaimOnHold) as error:
        messages.error(request, str(error))
    return redirect("claim-detail", pk=pk)


@require_POST
@role_required(*BILLING)
def claims_submit_ready_view(request: AuthenticatedRequest) -> HttpResponse:
    """Queue every ready claim of the practices where the user bills; a worker sends them."""
    practice_ids = practice_ids_for(user=request.user, roles=BILLING)
    queued = claims_submit_ready(practice_ids=practice_ids, user=request.user)
    drafts = claim_list(user=request.user, roles=BILLING).filter(status=ClaimStatus.DRAFT).count()
    waiting = (
        f" {drafts} draft{'s' if drafts != 1 else ''} still need review first." if drafts else ""
    )
    if queued:
        messages.success(
            request,
            f"{queued} claim{'s' if queued != 1 else ''} queued: they go out in the next batch."
            + waiting,
        )
    else:
        messages.info(request, "No claim was ready to submit." + waiting)
    return redirect("claim-queue", queue="ready")


@require_GET
@role_required(*CLAIM_READERS)
def codeset_impact_view(request: AuthenticatedRequest) -> HttpResponse:
    """Open encounters and unsent claims whose diagnosis codes the newest release dropped."""
    rows = codeset_impact(practice_ids=practice_ids_for(user=request.user, roles=CLAIM_READERS))
    return render(request, "claims/codeset_impact.html", {"rows": rows})


@require_POST
@role_required(*BILLING)
def claim_edit_override_view(request: AuthenticatedRequest, pk: int, edit_id: int) -> HttpResponse:
    """Override one open warning of the claim with the biller's reason (kept on the timeline)."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    claim_edit = claim_edit_get(claim=claim, pk=edit_id)
    reason = request.POST.get("reason", "")
    try:
        claim_edit_override(claim_edit=claim_edit, user=request.user, reason=reason)
    except ValidationError as error:  # the claim page again, saying why, with nothing changed
        messages.error(request, " ".join(error.messages))
        return claim_page(request, claim, status=400)
    messages.success(request, f"Warning overridden on claim {claim.control_number}.")
    return redirect("claim-detail", pk=pk)


@require_POST
@role_required(*BILLING)
def claim_scrub_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Scrub a draft or ready claim again: after its coverage, provider or payer rule was fixed
    elsewhere, without editing the claim itself."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    if claim.status not in SCRUBBABLE:
        messages.error(
            request,
            f"Claim {claim.control_number} is {claim.get_status_display().lower()}: only a draft "
            "or a ready claim is scrubbed again (correct it instead).",
        )
        return redirect("claim-detail", pk=pk)
    result = claim_scrub(claim=claim, user=request.user)
    if result.held:
        messages.warning(request, f"Scrubbed: {result.counts}. The claim stays held.")
    else:
        messages.success(
            request, f"Scrubbed: {result.counts}. Claim {claim.control_number} is ready."
        )
    return redirect("claim-detail", pk=pk)
