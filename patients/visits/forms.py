"""Forms of the front desk's visit pages: schedule or edit a visit, send it to coding."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from patients.models import (
    CLINICAL_NOTE_MAX_LENGTH,
    CLINICAL_NOTE_TOO_LONG,
    Patient,
    PlaceOfService,
)
from rcm.practice.models import Provider
from rcm.practice.validators import X12CharField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"class": "form-control"}, **kwargs)


class VisitForm(forms.Form):
    """Who sees the patient, when and where, and (once it happened) what the note says."""

    rendering_provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.none(),
        empty_label="Choose the provider",
        error_messages={"invalid_choice": "Choose a provider of this practice."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date_of_service = forms.DateField(
        label="Date of service",
        widget=DateInput(),
        error_messages={"required": "Enter the date of the visit.",
                        "invalid": "Enter the date as MM/DD/YYYY or YYYY-MM-DD."},
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
    )  # fmt: skip
    place_of_service = forms.ChoiceField(
        label="Place of service",
        choices=PlaceOfService.choices,
        initial=PlaceOfService.OFFICE,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    clinical_note = forms.CharField(
        label="Clinical note",
        required=False,
        max_length=CLINICAL_NOTE_MAX_LENGTH,
        error_messages={"max_length": CLINICAL_NOTE_TOO_LONG},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
        help_text="What happened at the visit; coders read it. Required to send it to coding.",
    )
    prior_authorization = X12CharField(
        label="Prior authorization number",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    self_pay = forms.BooleanField(
        label="Self-pay",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text="The patient pays this visit; no claim goes to their insurance.",
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Provider.objects.filter(practice_id=patient.practice_id, is_active=True)
        self.fields["rendering_provider"].queryset = providers  # type: ignore[attr-defined]
        if not self.is_bound and "date_of_service" not in self.initial:
            self.initial["date_of_service"] = timezone.localdate()


class ReadyForCodingForm(forms.Form):
    clinical_note = forms.CharField(
        label="Clinical note",
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
        max_length=CLINICAL_NOTE_MAX_LENGTH,
        error_messages={
            "required": "Write the clinical note: coders need it to code the visit.",
            "max_length": CLINICAL_NOTE_TOO_LONG,
        },
    )
