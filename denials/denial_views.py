"""The denial work queue: filter, sort and work denials; write-offs waiting for approval."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from claims.corrections import CORRECTABLE
from claims.models import Claim
from denials.categories.table import CATEGORIES
from denials.denial_models import DenialOutcome, DenialStatus, DenialWriteOff
from denials.denial_selectors import (
    SORTS,
    QueueFilters,
    billers_of,
    denial_get,
    denial_next_step,
    denial_queue,
    denial_reason_words,
    denial_totals,
    priority_band,
    write_offs_pending,
)
from denials.denial_services import (
    MAX_BULK,
    RESOLVE_OUTCOMES,
    amount_parse,
    denial_resolve,
    denial_write_off,
    denials_assign,
    write_off_decide,
)
from rcm.practice.models import Payer, User
from rcm.practice.permissions import (
    ADMINISTRATION,
    BILLING,
    AuthenticatedRequest,
    role_required,
    scoped_get,
)
from rcm.practice.selectors import practice_ids_for, practice_list
from rcm.practice.validators import ascii_int

PAGE_SIZE = 200
MAX_DAYS = 3650
STATUSES = ("unresolved", *DenialStatus.values, "all")


def _filters(query: QueryDict) -> tuple[QueueFilters, list[str]]:
    """The queue's filters from the query string; what could not be read, in words."""
    problems = []

    def number(name: str, what: str) -> int | None:
        text = (query.get(name) or "").strip()
        if not text:
            return None
        value = ascii_int(text)
        if value is None:
            problems.append(f"{what}: '{text[:20]}' is not a number (digits 0-9); ignored.")
        return value

    due_within = number("due_within", "Due within")
    if due_within is not None and due_within > MAX_DAYS:
        problems.append(f"Due within: at most {MAX_DAYS} days; ignored.")
        due_within = None
    status = query.get("status") or "unresolved"
    if status not in STATUSES:
        problems.append("Status: not one of the choices; showing unresolved denials.")
        status = "unresolved"
    sort = query.get("sort") or "priority"
    if sort not in SORTS:
        problems.append("Sort: not one of the choices; sorted by priority.")
        sort = "priority"
    category = query.get("category") or ""
    if category and category not in CATEGORIES:
        problems.append("Category: not one of the choices; ignored.")
        category = ""
    carc = (query.get("carc") or "").strip().upper()
    if carc and not (carc.isascii() and carc.isalnum() and len(carc) <= 5):
        problems.append("CARC: a reason code is up to five letters and digits, like 197; ignored.")
        carc = ""
    assignee = query.get("assignee") or ""
    assignee_id = 0 if assignee == "none" else number("assignee", "Assignee")
    filters = QueueFilters(
        payer_id=number("payer", "Payer"),
        category=category,
        carc=carc,
        assignee_id=assignee_id,
        status=status,
        due_within=due_within,
        sort=sort,
    )
    return filters, problems


@require_GET
@role_required(*BILLING)
def denial_queue_view(request: AuthenticatedRequest) -> HttpResponse:
    """Denials to work, by priority (dollars per day left to appeal), due date or amount."""
    today = timezone.localdate()
    filters, problems = _filters(request.GET)
    for problem in problems:
        messages.warning(request, problem)
    denials = denial_queue(user=request.user, filters=filters, today=today)
    practice_ids = practice_ids_for(user=request.user, roles=BILLING)
    rows = []
    for denial in denials[:PAGE_SIZE]:
        label, next_step = denial_next_step(denial)
        rows.append(
            {
                "denial": denial,
                "reason": denial_reason_words(denial),
                "label": label,
                "next_step": next_step,
                "band": priority_band(denial.priority),  # type: ignore[attr-defined]
                "overdue": denial.due_on < today and denial.status != DenialStatus.RESOLVED,
                # The claim-correct page says in words why not when the claim cannot be
                # replaced (no payer claim number, a replacement already open).
                "correctable": denial.claim.status in CORRECTABLE,
            }
        )
    context = {
        "rows": rows,
        "totals": denial_totals(denials),
        "filters": filters,
        "many_practices": len(practice_ids) > 1,
        "payers": Payer.objects.filter(
            pk__in=Claim.objects.filter(practice_id__in=practice_ids, denials__isnull=False).values(
                "payer_id"
            )
        ).order_by("name"),
        "categories": sorted((key, value[0]) for key, value in CATEGORIES.items()),
        "billers": billers_of(practice_ids=practice_ids),
        "statuses": [("unresolved", "Unresolved"), *DenialStatus.choices, ("all", "All")],
        "sorts": [("priority", "Priority"), ("due", "Due date"), ("amount", "Amount")],
        "outcomes": [(value, DenialOutcome(value).label) for value in RESOLVE_OUTCOMES],
        "page_size": PAGE_SIZE,
        "pending_write_offs": write_offs_pending(user=request.user, roles=ADMINISTRATION).count(),
    }
    return render(request, "denials/denial_queue/queue.html", context)


def _back(request: AuthenticatedRequest) -> HttpResponse:
    target = request.POST.get("next") or ""
    # Only back to the queue itself (its filters kept), never to another site.
    if target.startswith(reverse("denial-queue")) and "//" not in target and "\\" not in target:
        return redirect(target)
    return redirect("denial-queue")


def _assignee(request: AuthenticatedRequest) -> User | None:
    text = (request.POST.get("assignee") or "").strip()
    if text in ("", "none"):
        return None
    pk = ascii_int(text)
    found = User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
    if found is None:
        raise ValidationError("Choose an assignee from the list.")
    return found


def _refused(request: AuthenticatedRequest, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    response = _back(request)
    response.status_code = 303
    return response


@require_POST
@role_required(*BILLING)
def denials_assign_view(request: AuthenticatedRequest) -> HttpResponse:
    """Assign the ticked denials to one biller (or to nobody)."""
    texts = request.POST.getlist("denial")
    if len(texts) > MAX_BULK:
        return _refused(request, ValidationError(f"Select at most {MAX_BULK} denials at once."))
    ids = [ascii_int(text) for text in texts]
    if any(pk is None for pk in ids):
        return _refused(request, ValidationError("The selection holds something not a denial."))
    try:
        assignee = _assignee(request)
        count = denials_assign(
            denial_ids=[pk for pk in ids if pk is not None], assignee=assignee, user=request.user
        )
    except ValidationError as error:
        return _refused(request, error)
    who = str(assignee) if assignee else "nobody"
    messages.success(request, f"{count} denial{'s' if count != 1 else ''} assigned to {who}.")
    return _back(request)


@require_POST
@role_required(*BILLING)
def denial_assign_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    denial = denial_get(user=request.user, pk=pk, today=timezone.localdate())
    try:
        assignee = _assignee(request)
        denials_assign(denial_ids=[denial.pk], assignee=assignee, user=request.user)
    except ValidationError as error:
        return _refused(request, error)
    messages.success(request, f"Denial on claim {denial.claim.control_number} assigned.")
    return _back(request)


@require_POST
@role_required(*BILLING)
def denial_resolve_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    denial = denial_get(user=request.user, pk=pk, today=timezone.localdate())
    try:
        denial_resolve(
            denial=denial,
            outcome=request.POST.get("outcome") or "",
            note=request.POST.get("note") or "",
            user=request.user,
        )
    except ValidationError as error:
        return _refused(request, error)
    messages.success(request, f"Denial on claim {denial.claim.control_number} resolved.")
    return _back(request)


@require_POST
@role_required(*BILLING)
def denial_write_off_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    denial = denial_get(user=request.user, pk=pk, today=timezone.localdate())
    try:
        amount = amount_parse(request.POST.get("amount"))
        write_off = denial_write_off(
            denial=denial, amount=amount, note=request.POST.get("note") or "", user=request.user
        )
    except ValidationError as error:
        return _refused(request, error)
    if write_off.status == "pending":
        messages.info(
            request,
            f"${write_off.amount} is above the practice's write-off limit: it waits for an "
            "administrator's approval.",
        )
    else:
        messages.success(request, f"${write_off.amount} written off.")
    return _back(request)


@require_GET
@role_required(*ADMINISTRATION)
def write_offs_view(request: AuthenticatedRequest) -> HttpResponse:
    """Write-offs above a practice's limit, waiting for an administrator."""
    pending = write_offs_pending(user=request.user, roles=ADMINISTRATION)
    context = {
        "write_offs": pending[:PAGE_SIZE],
        "many_practices": practice_list(user=request.user, roles=ADMINISTRATION).count() > 1,
    }
    return render(request, "denials/denial_queue/write_offs.html", context)


@require_POST
@role_required(*ADMINISTRATION)
def write_off_decide_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    write_off = scoped_get(
        DenialWriteOff.objects.all(), user=request.user, pk=pk, roles=ADMINISTRATION
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, "Choose approve or decline.")
        return redirect("denial-write-offs")
    try:
        write_off_decide(write_off=write_off, approve=decision == "approve", user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("denial-write-offs")
    messages.success(request, f"Write-off of ${write_off.amount} {decision}d.")
    return redirect("denial-write-offs")
