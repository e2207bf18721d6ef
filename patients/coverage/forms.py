"""Front-desk forms: a coverage (payer, order, subscriber, dates), its card, a check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from patients.coverage.cards import card_max_bytes
from patients.coverage.services import SUBSCRIBER_BLANK, coverage_subscriber_problems
from patients.models import CardSide, Coverage, CoveragePriority, Relationship, Sex
from rcm.practice.selectors import payer_list
from rcm.practice.validators import X12CharField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]


def _bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes, and invalid fields marked so screen readers announce them."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form[name].auto_id}_error"
        widget.attrs["class"] = css


class _ServiceErrorsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal beside the field it names, or above the form."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)
        _bootstrap(self)


class CoverageForm(_ServiceErrorsForm):
    payer = forms.ModelChoiceField(
        queryset=payer_list(), empty_label="Choose a payer", label="Payer",
        error_messages={"required": "Choose the insurance payer.",
                        "invalid_choice": "That payer is not available; choose another."},
    )  # fmt: skip
    priority = forms.TypedChoiceField(
        choices=CoveragePriority.choices, coerce=int, label="Priority",
        error_messages={"required": "Choose primary, secondary or tertiary."},
    )  # fmt: skip
    member_id = X12CharField(kind="text",
        label="Member ID", max_length=80,
        error_messages={"required": "Enter the member ID from the insurance card."},
    )  # fmt: skip
    group_number = X12CharField(kind="text", label="Group number", max_length=50, required=False)
    plan_name = forms.CharField(label="Plan name", max_length=60, required=False)
    relationship = forms.ChoiceField(
        choices=Relationship.choices, initial=Relationship.SELF,
        label="Patient's relationship to subscriber",
    )  # fmt: skip
    subscriber_first_name = X12CharField(
        kind="name", label="Subscriber first name", max_length=35, required=False
    )
    subscriber_last_name = X12CharField(
        kind="name", label="Subscriber last name", max_length=60, required=False
    )
    subscriber_date_of_birth = forms.DateField(
        label="Subscriber date of birth", required=False, widget=DATE_INPUT,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the date as MM/DD/YYYY."},
    )  # fmt: skip
    subscriber_sex = forms.ChoiceField(
        label="Subscriber sex", required=False, choices=[("", "—"), *Sex.choices]
    )
    subscriber_address1 = X12CharField(
        kind="address", label="Subscriber address", max_length=55, required=False
    )
    subscriber_city = X12CharField(
        kind="address", label="Subscriber city", max_length=30, required=False
    )
    subscriber_state = forms.CharField(label="Subscriber state", max_length=2, required=False)
    subscriber_zip_code = forms.CharField(label="Subscriber ZIP", max_length=10, required=False)
    effective_date = forms.DateField(
        label="Effective date", widget=DATE_INPUT, input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the date the coverage starts.",
                        "invalid": "Enter the date as MM/DD/YYYY."},
    )  # fmt: skip
    termination_date = forms.DateField(
        label="Termination date", required=False, widget=DATE_INPUT, input_formats=DATE_FORMATS,
        help_text="Leave empty while the coverage is in force.",
        error_messages={"invalid": "Enter the date as MM/DD/YYYY."},
    )  # fmt: skip

    @classmethod
    def for_coverage(cls, coverage: Coverage) -> CoverageForm:
        initial = {name: getattr(coverage, name) for name in cls.base_fields}
        return cls(initial=initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        effective, ends = cleaned.get("effective_date"), cleaned.get("termination_date")
        if effective and ends and ends < effective:
            self.add_error(
                "termination_date",
                f"The termination date cannot be before the effective date ({effective:%m/%d/%Y}).",
            )
        for name, message in coverage_subscriber_problems(fields=cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        if cleaned.get("relationship") == Relationship.SELF:
            cleaned.update(SUBSCRIBER_BLANK)
        _bootstrap(self)
        return cleaned


class CardUploadForm(_ServiceErrorsForm):
    side = forms.ChoiceField(
        choices=CardSide.choices, initial=CardSide.FRONT, label="Side of the card",
        widget=forms.RadioSelect, error_messages={"required": "Choose front or back."},
    )  # fmt: skip
    file = forms.FileField(
        label="Card image or PDF",
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"}
        ),
        error_messages={"required": "Choose the picture or scan of the card."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = card_max_bytes() / (1024 * 1024)
        self.fields["file"].help_text = f"A JPEG, PNG or PDF, at most {limit:g} MB."
        _bootstrap(self)


class EligibilityCheckForm(forms.Form):
    service_date = forms.DateField(
        label="Date of service",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
        required=False,
        help_text="Today when left empty.",
    )
    encounter = forms.IntegerField(required=False, widget=forms.HiddenInput())
