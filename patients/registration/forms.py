"""Front-desk forms: register or edit a patient, and choose the charts to merge."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Sex
from rcm.practice.models import Practice
from rcm.practice.validators import US_STATES, X12CharField

DATE_FORMATS = ["%m/%d/%Y", "%Y-%m-%d"]
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
_NOT_DIGITS = re.compile(r"[^0-9]")
_PHONE_CHARACTERS = re.compile(r"^[0-9()+.\-\s]*$")


def _required(label: str) -> dict[str, str]:
    return {"required": f"Enter the {label}."}


class PatientForm(forms.Form):
    """Demographics as the front desk types them; cleaned values are what patient_create takes."""

    practice = forms.TypedChoiceField(
        label="Practice",
        coerce=int,
        empty_value=None,
        error_messages={
            "required": "Choose the practice.",
            "invalid_choice": "Choose one of the practices where you register patients.",
        },
    )
    first_name = X12CharField(
        kind="name", label="First name", max_length=35, error_messages=_required("first name")
    )
    middle_name = X12CharField(kind="name", label="Middle name", max_length=25, required=False)
    last_name = X12CharField(
        kind="name", label="Last name", max_length=60, error_messages=_required("last name")
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        input_formats=DATE_FORMATS,
        help_text="MM/DD/YYYY",
        error_messages={
            **_required("date of birth"),
            "invalid": "Enter the date of birth as MM/DD/YYYY.",
        },
    )
    sex = forms.ChoiceField(
        label="Sex", choices=[("", "Choose…"), *Sex.choices], error_messages=_required("sex")
    )
    address1 = X12CharField(
        kind="address", label="Address", max_length=55, error_messages=_required("address")
    )
    address2 = X12CharField(kind="address", label="Address line 2", max_length=55, required=False)
    city = X12CharField(
        kind="address", label="City", max_length=30, error_messages=_required("city")
    )
    state = forms.CharField(label="State", max_length=30, error_messages=_required("state"))
    zip_code = forms.CharField(label="ZIP", max_length=20, error_messages=_required("ZIP"))
    phone = forms.CharField(label="Phone", max_length=20, required=False)
    email = forms.EmailField(
        label="Email", required=False, error_messages={"invalid": "Enter a valid email address."}
    )
    confirm_not_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, practices: list[Practice] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if practices is None:  # editing: the practice never changes
            del self.fields["practice"]
            del self.fields["confirm_not_duplicate"]
        else:
            practice_field = cast(forms.TypedChoiceField, self.fields["practice"])
            practice_field.choices = [(p.pk, p.name) for p in practices]
            if len(practices) == 1:  # nothing to choose
                practice_field.initial = practices[0].pk
                practice_field.required = False
                practice_field.widget = forms.HiddenInput()
        for name, bound_field in self.fields.items():
            css = "form-select" if isinstance(bound_field, forms.ChoiceField) else "form-control"
            bound_field.widget.attrs.setdefault("class", css)
            if name == "date_of_birth":
                bound_field.widget.attrs.setdefault("placeholder", "MM/DD/YYYY")

    def add_error(self, field: str | None, error: Any) -> None:
        """Also mark the field invalid for Bootstrap and for screen readers."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError("Date of birth can't be in the future.")
        if born < EARLIEST_BIRTH_DATE:
            raise ValidationError("Date of birth must be after 01/01/1900.")
        return born

    def clean_state(self) -> str:
        state = self.cleaned_data["state"].strip().upper()
        if state not in US_STATES:
            raise ValidationError("Use the two-letter state code, e.g. IL.")
        return state

    def clean_zip_code(self) -> str:
        typed = self.cleaned_data["zip_code"].strip()
        digits = _NOT_DIGITS.sub("", typed)
        if not re.fullmatch(r"[0-9]{5}(-?[0-9]{4})?", typed) or len(digits) not in (5, 9):
            raise ValidationError("ZIP is 5 or 9 digits.")
        return digits

    def clean_phone(self) -> str:
        typed = self.cleaned_data["phone"].strip()
        if not typed:
            return ""
        digits = _NOT_DIGITS.sub("", typed)
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]  # a leading country code: +1 (555) 123-4567
        if not _PHONE_CHARACTERS.match(typed) or len(digits) != 10:
            raise ValidationError("Phone is 10 digits, e.g. (555) 123-4567.")
        return digits

    def demographics(self) -> dict[str, Any]:
        """The cleaned fields patient_create / patient_update take."""
        skip = {"practice", "confirm_not_duplicate"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class MergeForm(forms.Form):
    """Which chart stays; the other one (the duplicate) is merged into it and made inactive."""

    keep = forms.TypedChoiceField(
        label="Chart to keep",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the chart to keep."},
    )
    confirm = forms.BooleanField(
        label="I have checked that these two charts are the same person",
        error_messages={"required": "Confirm that these charts are the same person."},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["keep"]).choices = choices
        self.fields["confirm"].widget.attrs["class"] = "form-check-input"
