"""Two-factor sign-in (TOTP, django-otp): required for administrators, optional for others.

An administrator who has not enrolled is sent to the enrolment page (a QR code drawn by segno as
inline SVG, and the secret to type) and must confirm a code; from then on every sign-in asks for
the code. Others may enrol from the Security page. `RCM_ADMIN_2FA` (on by default) is the switch.
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from rcm.practice.models import Role
from rcm.practice.permissions import AuthenticatedRequest
from rcm.practice.selectors import Viewer, practice_ids_for

VERIFIED_HOME = "home"


def two_factor_required(*, user: Viewer) -> bool:
    """Administrators (of any practice) must sign in with a second factor."""
    if not getattr(settings, "RCM_ADMIN_2FA", True):
        return False
    return bool(practice_ids_for(user=user, roles=(Role.ADMINISTRATOR,), scoped=False))


def two_factor_enrolled(*, user: Viewer) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def two_factor_step(*, user: Viewer) -> str | None:
    """In one query: "verify" for an enrolled user, "enrol" for an administrator who is not,
    None for anyone else (the middleware asks this once per session)."""
    from django.db.models import Exists, OuterRef

    from rcm.practice.models import Membership, User

    row = (
        User.objects.filter(pk=user.pk or 0)
        .annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            administers=Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"), role=Role.ADMINISTRATOR, practice__is_active=True
                )
            ),
        )
        .values_list("enrolled", "administers")
        .first()
    )
    if row is None:
        return None
    enrolled, administers = row
    if enrolled:
        return "verify"
    if administers and getattr(settings, "RCM_ADMIN_2FA", True):
        return "enrol"
    return None


def _pending_device(user: Viewer) -> TOTPDevice:
    """The user's unconfirmed authenticator: the same secret until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=6, min_length=6, label="Code from your authenticator app",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Show a new secret as a QR code and text; a correct code confirms it."""
    device = _pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is on for your account.")
            return redirect(_next_url(request))
        form.add_error("code", "That code is not right: check the time on your phone and retry.")
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "secret": secret_of(device),
        "required": two_factor_required(user=request.user),
        "next": _next_url(request),
    }
    return render(request, "web/two_factor_enrol.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of signing in: the code from the user's authenticator app."""
    if not two_factor_enrolled(user=request.user):
        return redirect("two-factor-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("code", "That code is not right: check the time on your phone and retry.")
    context = {"form": form, "next": _next_url(request)}
    return render(
        request, "web/two_factor_verify.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET"])
def security(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own security settings: whether two-factor sign-in is on, and enrolling."""
    context = {
        "enrolled": two_factor_enrolled(user=request.user),
        "required": two_factor_required(user=request.user),
    }
    return render(request, "web/security.html", context)


def totp_code_ok(*, user: Viewer, code: str) -> bool:
    """For the API's sign-in: is `code` right for one of the user's confirmed devices?"""
    if not code:
        return False  # no code is no attempt: it must not count against the device's throttle
    return any(
        device.verify_token(code) for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )
