"""Practice setup pages: each under /administration/setup/<practice>/, for its administrators.

A practice the user is not a member of is "not found" (404); one where they hold another role
is refused (403), both through `administered_practice_get` (`scoped_get`, ADMINISTRATION).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from rcm.practice.models import Practice, Role
from rcm.practice.permissions import ADMINISTRATION, AuthenticatedRequest, role_required
from rcm.practice.setup import selectors, services
from rcm.practice.setup.forms import (
    ConnectionForm,
    FeeImportForm,
    MemberCreateForm,
    MemberRoleForm,
    PayerRuleForm,
    ProviderForm,
)


def _posted(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _saved(request: AuthenticatedRequest, form: forms.Form, save: Callable[[], Any]) -> Any:
    """What `save()` returned when a valid form was posted and the service took it; else None,
    with the service's refusal shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        _errors_onto(form, error)
        return None


def _page(
    request: AuthenticatedRequest, template: str, practice: Practice, section: str, **context: Any
) -> HttpResponse:
    context.update({"practice": practice, "section": section})
    return render(request, f"practice/setup/{template}", context)


@require_GET
@role_required(*ADMINISTRATION)
def setup_index(request: AuthenticatedRequest) -> HttpResponse:
    practices = list(selectors.administered_practices(user=request.user))
    if len(practices) == 1:
        return redirect("practice-setup-members", practice_id=practices[0].pk)
    return render(request, "practice/setup/index.html", {"practices": practices})


# --- members -------------------------------------------------------------------------------------


@role_required(*ADMINISTRATION)
def setup_members(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    form = MemberCreateForm(_posted(request))
    user = _saved(
        request, form, lambda: services.member_create(practice=practice, **form.cleaned_data)
    )
    if user is not None:
        messages.success(
            request, f"{user.get_full_name()} ({user.username}) can now sign in to {practice}."
        )
        return redirect("practice-setup-members", practice_id=practice.pk)
    return _page(
        request,
        "members.html",
        practice,
        "members",
        form=form,
        members=selectors.members_of(practice=practice),
        roles=Role.choices,
    )


@require_POST
@role_required(*ADMINISTRATION)
def setup_member_role(
    request: AuthenticatedRequest, practice_id: int, user_id: int
) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    member = selectors.member_get(practice=practice, user_id=user_id)
    form = MemberRoleForm(request.POST)
    name = member.get_full_name() or member.username
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
    else:
        role, change = form.cleaned_data["role"], form.cleaned_data["change"]
        label = Role(role).label.lower()
        try:
            if change == "add":
                services.member_role_add(practice=practice, user=member, role=role)
                messages.success(request, f"{name} is now {label} at {practice}.")
            else:
                services.member_role_remove(practice=practice, user=member, role=role)
                messages.success(request, f"{name} is no longer {label} at {practice}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return _back_to_members(request, practice)


def _back_to_members(request: AuthenticatedRequest, practice: Practice) -> HttpResponse:
    """The members page, unless the administrator has just given up administering here."""
    if practice not in selectors.administered_practices(user=request.user):
        return redirect("home")
    return redirect("practice-setup-members", practice_id=practice.pk)


@require_POST
@role_required(*ADMINISTRATION)
def setup_member_deactivate(
    request: AuthenticatedRequest, practice_id: int, user_id: int
) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    member = selectors.member_get(practice=practice, user_id=user_id)
    name = member.get_full_name() or member.username
    try:
        services.member_deactivate(practice=practice, user=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{name} no longer has access to {practice}.")
    return _back_to_members(request, practice)


# --- providers -----------------------------------------------------------------------------------


@role_required(*ADMINISTRATION)
def setup_providers(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    form = ProviderForm(_posted(request), initial={"is_active": True})
    provider = _saved(
        request, form, lambda: services.provider_save(practice=practice, **form.cleaned_data)
    )
    if provider is not None:
        messages.success(request, f"{provider} added to {practice}.")
        return redirect("practice-setup-providers", practice_id=practice.pk)
    return _page(
        request,
        "providers.html",
        practice,
        "providers",
        form=form,
        providers=selectors.providers_of(practice=practice),
    )


@role_required(*ADMINISTRATION)
def setup_provider_edit(
    request: AuthenticatedRequest, practice_id: int, provider_id: int
) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    provider = selectors.provider_get(practice=practice, pk=provider_id)
    initial = {name: getattr(provider, name) for name in services.PROVIDER_FIELDS}
    form = ProviderForm(_posted(request), initial=initial)
    saved = _saved(
        request,
        form,
        lambda: services.provider_save(practice=practice, provider=provider, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, f"{saved} saved.")
        return redirect("practice-setup-providers", practice_id=practice.pk)
    return _page(request, "provider_form.html", practice, "providers", form=form, provider=provider)


# --- payers --------------------------------------------------------------------------------------


@require_GET
@role_required(*ADMINISTRATION)
def setup_payers(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    """Payers are shared by every practice (no PHI, one row per clearinghouse payer id), so an
    administrator reads them here and the operator changes them in the Django admin."""
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    return _page(request, "payers.html", practice, "payers", payers=selectors.payers_for_setup())


# --- fee schedules -------------------------------------------------------------------------------


@role_required(*ADMINISTRATION)
def setup_fees(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    form = FeeImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = services.fee_schedule_import(
                practice=practice,
                name=data["name"],
                effective_from=data["effective_from"],
                payer=data["payer"],
                content=data["file"],
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            count = schedule.entries.count()
            messages.success(
                request,
                f"Imported {count} fees into {schedule.name} from {schedule.effective_from}.",
            )
            return redirect("practice-setup-fees", practice_id=practice.pk)
    return _page(
        request,
        "fees.html",
        practice,
        "fees",
        form=form,
        schedules=selectors.fee_schedules_of(practice=practice),
    )


@require_GET
@role_required(*ADMINISTRATION)
def setup_fee_export(
    request: AuthenticatedRequest, practice_id: int, schedule_id: int
) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    schedule = selectors.fee_schedule_get(practice=practice, pk=schedule_id)
    response = HttpResponse(
        selectors.fee_schedule_csv(schedule=schedule), content_type="text/csv; charset=utf-8"
    )
    filename = f"fees-{practice.pk}-{schedule.effective_from:%Y%m%d}-{schedule.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the clearinghouse connection ----------------------------------------------------------------


@role_required(*ADMINISTRATION)
def setup_clearinghouse(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    connection = selectors.connection_of(practice=practice)
    config = connection.config if connection else {}
    initial = {
        "transport": connection.transport if connection else "sandbox",
        "host": config.get("host", ""),
        "port": config.get("port"),
        "username": config.get("username", ""),
        "outbox_dir": config.get("outbox_dir", ""),
        "inbox_dir": config.get("inbox_dir", ""),
        "submitter_id": connection.submitter_id if connection else "",
        "receiver_id": connection.receiver_id if connection else "",
        "is_active": connection.is_active if connection else True,
    }
    form = ConnectionForm(_posted(request), initial=initial)
    saved = _saved(
        request, form, lambda: services.connection_save(practice=practice, **form.cleaned_data)
    )
    if saved is not None:
        messages.success(request, f"The clearinghouse connection of {practice} is saved.")
        return redirect("practice-setup-clearinghouse", practice_id=practice.pk)
    return _page(
        request,
        "clearinghouse.html",
        practice,
        "clearinghouse",
        form=form,
        connection=connection,
        secrets=selectors.connection_secrets_shown(connection),
        host_key=selectors.connection_host_key_shown(connection),
    )


# --- payer rules ---------------------------------------------------------------------------------


@role_required(*ADMINISTRATION)
def setup_payer_rules(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    """The practice's claim rules per payer (athenaOne's 'claim rules'), and a form to add one."""
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    form = PayerRuleForm(_posted(request), initial={"is_active": True, "severity": "error"})
    rule = _saved(
        request, form, lambda: services.payer_rule_save(practice=practice, **form.cleaned_data)
    )
    if rule is not None:
        messages.success(request, f"Rule added: {rule}.")
        return redirect("practice-setup-payer-rules", practice_id=practice.pk)
    return _page(
        request,
        "payer_rules.html",
        practice,
        "payer-rules",
        form=form,
        rules=selectors.payer_rules_of(practice=practice),
    )


@role_required(*ADMINISTRATION)
def setup_payer_rule_edit(
    request: AuthenticatedRequest, practice_id: int, rule_id: int
) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    rule = selectors.payer_rule_get(practice=practice, pk=rule_id)
    initial = {name: getattr(rule, name) for name in services.PAYER_RULE_FIELDS}
    form = PayerRuleForm(_posted(request), initial=initial)
    saved = _saved(
        request,
        form,
        lambda: services.payer_rule_save(practice=practice, rule=rule, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, f"Rule saved: {saved}.")
        return redirect("practice-setup-payer-rules", practice_id=practice.pk)
    return _page(request, "payer_rule_form.html", practice, "payer-rules", form=form, rule=rule)


@require_POST
@role_required(*ADMINISTRATION)
def setup_payer_rule_deactivate(
    request: AuthenticatedRequest, practice_id: int, rule_id: int
) -> HttpResponse:
    practice = selectors.administered_practice_get(user=request.user, pk=practice_id)
    rule = selectors.payer_rule_get(practice=practice, pk=rule_id)
    services.payer_rule_deactivate(practice=practice, rule=rule)
    messages.success(request, f"Rule switched off: {rule}.")
    return redirect("practice-setup-payer-rules", practice_id=practice.pk)
