"""Forms of practice setup: what an administrator types, checked before a service sees it."""

from __future__ import annotations

from typing import Any

from django import forms

from rcm.practice.models import Payer, Role
from rcm.practice.setup.services import FEE_CSV_MAX_BYTES, TRANSPORTS
from rcm.practice.validators import validate_npi, validate_taxonomy

DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]


def _required(label: str) -> dict[str, str]:
    return {"required": f"Enter the {label}."}


class SetupForm(forms.Form):
    """Bootstrap's classes on every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class MemberCreateForm(SetupForm):
    username = forms.CharField(
        label="Username", max_length=150, error_messages=_required("username")
    )
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages=_required("first name")
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages=_required("last name")
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={**_required("email"), "invalid": "Enter a valid email address."},
    )
    password = forms.CharField(
        label="Temporary password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Give it to the person in private; they can change it after signing in.",
        error_messages=_required("temporary password"),
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, error_messages=_required("role"))


class MemberRoleForm(SetupForm):
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose one of the roles."},
    )
    change = forms.ChoiceField(choices=[("add", "Add"), ("remove", "Remove")])


class ProviderForm(SetupForm):
    first_name = forms.CharField(
        label="First name", max_length=35, error_messages=_required("first name")
    )
    last_name = forms.CharField(
        label="Last name", max_length=60, error_messages=_required("last name")
    )
    credential = forms.CharField(
        label="Credential", max_length=10, required=False, help_text="MD, DO, NP, PA …"
    )
    npi = forms.CharField(
        label="NPI", max_length=10, validators=[validate_npi], error_messages=_required("NPI")
    )
    taxonomy = forms.CharField(
        label="Taxonomy",
        max_length=10,
        error_messages=_required("taxonomy code"),
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def clean_taxonomy(self) -> str:
        taxonomy = str(self.cleaned_data["taxonomy"]).strip().upper()
        validate_taxonomy(taxonomy)
        return taxonomy


class FeeImportForm(SetupForm):
    name = forms.CharField(
        label="Schedule name",
        max_length=80,
        initial="Standard fees",
        error_messages=_required("schedule name"),
    )
    effective_from = forms.DateField(
        label="Effective from",
        input_formats=DATE_FORMATS,
        help_text="YYYY-MM-DD. Importing a schedule with the same start (and payer) replaces it.",
        error_messages={
            **_required("date the fees start"),
            "invalid": "Enter the date as YYYY-MM-DD.",
        },
    )
    payer = forms.ModelChoiceField(
        label="Payer",
        queryset=Payer.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="All payers (the standard fees)",
        error_messages={"invalid_choice": "Choose one of the payers."},
    )
    file = forms.FileField(
        label="CSV file",
        help_text="One row per code: code,charge (a header row is allowed), e.g. 99213,145.00",
        error_messages={"required": "Choose the CSV file.", "empty": "The file is empty."},
    )

    def clean_effective_from(self) -> Any:
        day = self.cleaned_data["effective_from"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError("Choose a start date between 2000 and 2100.")
        return day

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > FEE_CSV_MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 1 MB: a fee schedule is a few thousand rows."
            )
        return bytes(upload.read())


class ConnectionForm(SetupForm):
    transport = forms.ChoiceField(
        label="Transport",
        choices=[
            (name, "SFTP" if name == "sftp" else "Sandbox (test payer)") for name in TRANSPORTS
        ],
    )
    host = forms.CharField(label="Host", max_length=253, required=False)
    port = forms.IntegerField(
        label="Port",
        min_value=1,
        max_value=65535,
        required=False,
        error_messages={"invalid": "The port is a whole number from 1 to 65535."},
    )
    username = forms.CharField(label="Username", max_length=150, required=False)
    password = forms.CharField(
        label="Password",
        max_length=70,
        required=False,
        # Never echoed back: a mistyped secret must not come back in the page.
        widget=forms.PasswordInput(render_value=False),
        help_text="Never the password itself: env:CLEARINGHOUSE_NAME, the environment variable on "
        "the server that holds it. Leave blank to keep the current one.",
    )
    known_host_key = forms.CharField(
        label="Server host key",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The SFTP server's public key (ssh-ed25519 AAAA…), from the clearinghouse. "
        "Leave blank to keep the current one.",
    )
    outbox_dir = forms.CharField(
        label="Upload folder",
        max_length=200,
        required=False,
        help_text="Theirs for our claims, e.g. /inbound",
    )
    inbox_dir = forms.CharField(
        label="Reply folder",
        max_length=200,
        required=False,
        help_text="Where they leave 999, 277 and 835 files",
    )
    submitter_id = forms.CharField(label="Submitter id (ISA06)", max_length=15, required=False)
    receiver_id = forms.CharField(label="Receiver id (ISA08)", max_length=15, required=False)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)
