"""Forms of practice setup: what an administrator types, checked before a service sees it."""

from __future__ import annotations

from typing import Any

from django import forms

from rcm.practice.models import Payer, PayerRuleAction, PayerRuleSeverity, Role
from rcm.practice.payer_rules import code_ranges_parse, code_ranges_text
from rcm.practice.setup.services import FEE_CSV_MAX_BYTES, TRANSPORTS
from rcm.practice.validators import is_ascii_digits, validate_npi, validate_taxonomy

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


class PayerRuleForm(SetupForm):
    """A claim rule for one payer: when these codes (at this place), require or hold."""

    payer = forms.ModelChoiceField(
        label="Payer",
        queryset=Payer.objects.filter(is_active=True).order_by("name"),
        error_messages={**_required("payer"), "invalid_choice": "Choose one of the payers."},
    )
    codes = forms.CharField(
        label="Procedure codes",
        max_length=400,
        help_text="Codes or ranges, separated by commas: 97110, 97140, 97010-97799",
        error_messages=_required("procedure codes"),
    )
    place_of_service = forms.CharField(
        label="Place of service",
        max_length=2,
        required=False,
        help_text="Two digits (11 office); leave empty for every place.",
    )
    action = forms.ChoiceField(
        label="Then",
        choices=PayerRuleAction.choices,
        error_messages={**_required("action"), "invalid_choice": "Choose one of the actions."},
    )
    modifier = forms.CharField(
        label="Modifier",
        max_length=2,
        required=False,
        help_text="For 'Require a modifier': GP, 59, KX …",
    )
    message = forms.CharField(
        label="Message to the biller",
        max_length=200,
        required=False,
        help_text="Said with the edit; required for 'Hold the claim'.",
    )
    severity = forms.ChoiceField(
        label="Severity",
        choices=PayerRuleSeverity.choices,
        error_messages={"invalid_choice": "Choose error or warning."},
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def clean_codes(self) -> str:
        ranges = code_ranges_parse(str(self.cleaned_data["codes"]))
        return code_ranges_text(ranges)

    def clean_place_of_service(self) -> str:
        place = str(self.cleaned_data["place_of_service"]).strip()
        if place and not (len(place) == 2 and is_ascii_digits(place)):
            raise forms.ValidationError("Enter a two-digit place of service, like 11.")
        return place

    def clean_modifier(self) -> str:
        modifier = str(self.cleaned_data["modifier"]).strip().upper()
        if modifier and not (len(modifier) == 2 and modifier.isascii() and modifier.isalnum()):
            raise forms.ValidationError("A modifier is two letters or digits, like GP or 59.")
        return modifier

    def clean_message(self) -> str:
        message = str(self.cleaned_data["message"]).strip()
        if any(ord(char) < 32 for char in message):
            raise forms.ValidationError("The message may not contain line breaks or tabs.")
        return message

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == PayerRuleAction.MODIFIER and not data.get("modifier"):
            self.add_error("modifier", "Enter the modifier this payer requires.")
        if action == PayerRuleAction.HOLD and not data.get("message"):
            self.add_error("message", "Say why the claim is held, for the biller.")
        return data
