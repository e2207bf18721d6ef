"""The audit-log page's search form: patient, user, action and dates, as typed in the address."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from rcm.audit.models import AuditAction

DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]
_DATE_ERRORS = {"invalid": "Enter the date as YYYY-MM-DD."}


class AuditSearchForm(forms.Form):
    q = forms.CharField(label="Patient", max_length=100, required=False, strip=True)
    patient = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    actor = forms.CharField(label="User", max_length=150, required=False, strip=True)
    action = forms.ChoiceField(
        label="Action",
        choices=[("", "All actions"), *AuditAction.choices],
        required=False,
        error_messages={"invalid_choice": "Choose one of the actions."},
    )
    since = forms.DateField(
        label="From", required=False, input_formats=DATE_FORMATS, error_messages=_DATE_ERRORS
    )
    until = forms.DateField(
        label="To", required=False, input_formats=DATE_FORMATS, error_messages=_DATE_ERRORS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm" if name == "action" else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
        self.fields["since"].widget.input_type = "date"
        self.fields["until"].widget.input_type = "date"
        self.fields["q"].widget.attrs["placeholder"] = "Patient name"
        self.fields["actor"].widget.attrs["placeholder"] = "Username"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        for day in (since, until):
            if day is not None and not 2000 <= day.year <= 2100:
                raise ValidationError("Choose dates between 2000 and 2100.")
        if since and until and since > until:
            raise ValidationError("The 'from' date is after the 'to' date.")
        return data

    def filters(self) -> dict[str, Any]:
        """What `audit_events_search` takes: the dates as the start of the day and the day after."""
        data = self.cleaned_data
        return {
            "action": data.get("action") or "",
            "actor": data.get("actor") or "",
            "since": _start_of(data.get("since")),
            "until": _start_of(data["until"] + datetime.timedelta(days=1))
            if data.get("until")
            else None,
        }


def _start_of(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=timezone.get_current_timezone())
