"""Forms of the biller's queues and claim page: filters, bulk actions, worklists, claim work.

Every number is ASCII digits only and bounded, every date a real date in a sane range, every
text NUL-free and bounded: a hostile value is a form error (a 400 with the message), never a 500.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from claims.models import ClaimStatus
from claims.queues import AGE_BUCKETS, SORTS, ClaimCriteria
from claims.reason_filter import REASON_FILTER_HELP, REASON_FILTER_MAX_LENGTH
from claims.work import MAX_BULK, MAX_NOTE_LENGTH, MAX_REASON_LENGTH
from rcm.practice.validators import is_ascii_digits

MAX_ID = 2**31 - 1
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MAX_AMOUNT = Decimal("9999999999.99")


class AsciiIdField(forms.CharField):
    """A row id: ASCII digits, within a PostgreSQL integer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=10, **kwargs)

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        if not is_ascii_digits(text) or not 0 < int(text) <= MAX_ID:
            raise ValidationError(f"'{text[:20]}' is not an id.")
        return int(text)


class SaneDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m-%d", "%m/%d/%Y"], **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        if isinstance(value, str) and (len(value) > 10 or not value.isascii()):
            raise ValidationError("Give a date as YYYY-MM-DD or MM/DD/YYYY.")
        day = super().clean(value)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError(f"Give a date between {EARLIEST:%Y} and {LATEST:%Y}.")
        return day


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=12, decimal_places=2, min_value=Decimal("0"), max_value=MAX_AMOUNT, **kwargs
        )

    def clean(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and (len(value) > 20 or not value.isascii()):
            raise ValidationError("Give an amount in dollars and cents, e.g. 125.00.")
        result: Decimal | None = super().clean(value)
        return result


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    """{field: [messages]}: a form's refusal as plain strings, for a 400's body."""
    return {field: [str(message) for message in errors] for field, errors in form.errors.items()}


def form_errors_text(form: forms.Form) -> str:
    return "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in form_errors(form).items()
    )


class ClaimFilterForm(forms.Form):
    """The filters a queue page takes from its query string, and a worklist stores."""

    q = forms.CharField(required=False, max_length=80, label="Claim #, patient or member id")
    practice = AsciiIdField(required=False)
    payer = AsciiIdField(required=False)
    provider = AsciiIdField(required=False)
    status = forms.MultipleChoiceField(required=False, choices=ClaimStatus.choices)
    service_from = SaneDateField(required=False, label="Date of service from")
    service_to = SaneDateField(required=False, label="to")
    age = forms.ChoiceField(
        required=False, choices=[("", "Any age"), *((k, k) for k in AGE_BUCKETS)]
    )
    amount_min = AmountField(required=False, label="Charge from")
    amount_max = AmountField(required=False, label="to")
    assignee = forms.CharField(required=False, max_length=10)
    follow_up_due = forms.BooleanField(required=False, label="Follow-up due")
    near_filing_limit = forms.BooleanField(required=False, label="Near the filing limit")
    reason = forms.CharField(
        required=False,
        max_length=REASON_FILTER_MAX_LENGTH,
        label="Denial reason, remark or edit",
        help_text=REASON_FILTER_HELP,
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def clean_assignee(self) -> str:
        value: str = self.cleaned_data["assignee"].strip()
        if value in ("", "me", "none") or (is_ascii_digits(value) and 0 < int(value) <= MAX_ID):
            return value
        raise ValidationError("Assignee is 'me', 'none' or a user's id.")

    def criteria(self) -> ClaimCriteria:
        data = self.cleaned_data
        return ClaimCriteria(
            practice=data.get("practice"), payer=data.get("payer"),
            provider=data.get("provider"), statuses=list(data.get("status") or []),
            service_from=data.get("service_from"), service_to=data.get("service_to"),
            age=data.get("age") or "", amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"), assignee=data.get("assignee") or "",
            follow_up_due=bool(data.get("follow_up_due")),
            near_filing_limit=bool(data.get("near_filing_limit")),
            reason=data.get("reason") or "", search=data.get("q") or "",
        )  # fmt: skip

    def stored(self) -> dict[str, Any]:
        """The criteria as a worklist keeps them: the query string's own values."""
        stored: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name in ("q", "sort") or value in (None, "", [], False):
                continue
            stored[name] = (
                value.isoformat()
                if isinstance(value, datetime.date)
                else (list(value) if isinstance(value, list) else str(value))
            )
        return stored


class BulkActionForm(forms.Form):
    ACTIONS = [("submit", "Submit"), ("assign", "Assign"), ("follow_up", "Set follow-up date"),
               ("hold", "Hold"), ("release", "Release"), ("note", "Add note")]  # fmt: skip
    action = forms.ChoiceField(choices=ACTIONS)
    claim = forms.MultipleChoiceField(choices=[], required=True)
    assignee = forms.CharField(required=False, max_length=10)
    date = SaneDateField(required=False)
    reason = forms.CharField(required=False, max_length=MAX_REASON_LENGTH)
    note = forms.CharField(required=False, max_length=MAX_NOTE_LENGTH)

    def clean_claim(self) -> list[int]:
        values = self.cleaned_data["claim"]
        if len(values) > MAX_BULK:
            raise ValidationError(f"Select at most {MAX_BULK} claims at once.")
        if not all(is_ascii_digits(v) and 0 < int(v) <= MAX_ID for v in values):
            raise ValidationError("A selected claim is not a claim id.")
        return [int(v) for v in values]

    def clean_assignee(self) -> int | None:
        value: str = self.cleaned_data["assignee"].strip()
        if not value or value == "none":
            return None
        if is_ascii_digits(value) and 0 < int(value) <= MAX_ID:
            return int(value)
        raise ValidationError("Choose a biller to assign to.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The ids are checked by clean_claim and fenced by the service, not by a choice list.
        self.fields["claim"].valid_value = lambda value: True  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(forms.Form):
    reason = forms.CharField(max_length=MAX_REASON_LENGTH)


class FollowUpForm(forms.Form):
    date = SaneDateField(required=False)
    note = forms.CharField(required=False, max_length=MAX_NOTE_LENGTH)


class AssignForm(forms.Form):
    assignee = forms.CharField(required=False, max_length=10)

    def clean_assignee(self) -> int | None:
        return BulkActionForm.clean_assignee(self)  # type: ignore[arg-type]


class WorklistForm(ClaimFilterForm):
    name = forms.CharField(max_length=80)
    worklist_practice = AsciiIdField(label="Shared with practice")
