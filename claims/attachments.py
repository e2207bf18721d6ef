"""A claim's attachments (PWK): the paperwork a payer asks for with some codes, recorded on the
claim so its 837P says what is coming and how, and the payer's "require an attachment" rule is
met. Adding or removing one changes what the claim sends, so the claim is scrubbed again (as an
edit is) and the timeline says so; only a claim the payer has not adjudicated changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.corrections import EDITABLE, edit_refusal
from claims.models import Claim, ClaimAttachment, ClaimEvent, ClaimStatus, EventKind
from claims.scrubber import ScrubResult, claim_scrub
from claims.state import claim_transition
from rcm.practice.models import User
from rcm.practice.validators import validate_x12_text, x12_text_normalise
from rcm.x12 import pwk

MAX_DESCRIPTION = 200
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]*$")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
REPORT_TYPE_CHOICES = [(code, f"{code} {words}") for code, words in pwk.REPORT_TYPES.items()]
TRANSMISSION_CHOICES = [(code, f"{code} {words}") for code, words in pwk.TRANSMISSIONS.items()]


def attachment_words(attachment: ClaimAttachment) -> str:
    """'OZ Support Data for Claim, by fax, control number FX-1' for the timeline."""
    how = pwk.TRANSMISSIONS[attachment.transmission]
    words = f"{attachment.report_type} {pwk.REPORT_TYPES[attachment.report_type]}, {how.lower()}"
    if attachment.control_number:
        words += f", control number {attachment.control_number}"
    return words


def attachment_fields_clean(
    *, report_type: str, transmission: str, control_number: str, description: str
) -> dict[str, str]:
    """The fields of a new attachment, checked as PWK needs them; ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if report_type not in pwk.REPORT_TYPES:
        errors["report_type"] = ["Choose the kind of document from the list."]
    if transmission not in pwk.TRANSMISSIONS:
        errors["transmission"] = ["Choose how the payer gets the document from the list."]
    number = x12_text_normalise(control_number)
    number_errors = _control_number_errors(number, transmission)
    if number_errors:
        errors["control_number"] = number_errors
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [f"Keep the description under {MAX_DESCRIPTION} characters."]
    elif _CONTROLS.search(description):
        errors["description"] = ["The description may not contain control characters."]
    if errors:
        raise ValidationError(errors)
    return {"report_type": report_type, "transmission": transmission,
            "control_number": number, "description": description}  # fmt: skip


def _control_number_errors(number: str, transmission: str) -> list[str]:
    if not number:
        if transmission in pwk.TRANSMISSIONS and pwk.needs_control_number(transmission):
            return [
                "Enter the attachment control number written on the paperwork: the payer "
                "matches what it receives by mail, fax, e-mail or file to the claim by it."
            ]
        return []
    try:
        validate_x12_text(number)
    except ValidationError as error:
        return list(error.messages)
    if not _PRINTABLE_ASCII.match(number):
        return ["Use plain letters, digits and punctuation (A-Z, 0-9) in the control number."]
    if not pwk.CONTROL_NUMBER_MIN <= len(number) <= pwk.CONTROL_NUMBER_MAX:
        return [
            f"An attachment control number is {pwk.CONTROL_NUMBER_MIN} to "
            f"{pwk.CONTROL_NUMBER_MAX} characters."
        ]
    return []


class ClaimAttachmentForm(forms.Form):
    """The claim page's "Add attachment" form; the API reads the same fields."""

    report_type = forms.ChoiceField(choices=[("", "Choose…"), *REPORT_TYPE_CHOICES],
                                    label="Document")  # fmt: skip
    transmission = forms.ChoiceField(choices=[("", "Choose…"), *TRANSMISSION_CHOICES],
                                     label="Sent")  # fmt: skip
    control_number = forms.CharField(required=False, max_length=200, label="Control number")
    description = forms.CharField(required=False, max_length=1000, label="Description")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data.update(attachment_fields_clean(**{key: data.get(key) or "" for key in (
                "report_type", "transmission", "control_number", "description")}))  # fmt: skip
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


@dataclass(frozen=True)
class AttachmentOutcome:
    """The claim after the change, and what its new scrub found."""

    claim: Claim
    attachment: ClaimAttachment
    scrub: ScrubResult


def attachment_refusal(claim: Claim) -> str | None:
    """Why the claim's attachments cannot change now, or None: as an edit, before adjudication."""
    if claim.status in EDITABLE:
        return None
    refusal = edit_refusal(claim) or ""
    return refusal.replace("cannot be edited", "cannot change its attachments").replace(
        "it can be edited", "its attachments can change"
    )


def _locked(claim: Claim) -> Claim:
    locked = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    refusal = attachment_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    return locked


def _changed(locked: Claim, user: User | None, note: str) -> ScrubResult:
    """The timeline entry, a rejected claim back to draft (it goes again, as after an edit),
    and the same scrub an edit runs."""
    ClaimEvent.objects.create(claim=locked, kind=EventKind.ATTACHMENT, user=user, note=note)
    if locked.status == ClaimStatus.REJECTED:
        claim_transition(
            claim=locked, to=ClaimStatus.DRAFT, user=user, source="edit",
            note="Corrected after the rejection: it goes again as the same claim.",
        )  # fmt: skip
    return claim_scrub(claim=locked, user=user)


def claim_attachment_add(
    *,
    claim: Claim,
    user: User | None,
    report_type: str,
    transmission: str,
    control_number: str = "",
    description: str = "",
) -> AttachmentOutcome:
    """Record paperwork sent with the claim (a PWK segment) and scrub the claim again."""
    fields = attachment_fields_clean(
        report_type=report_type, transmission=transmission,
        control_number=control_number, description=description,
    )  # fmt: skip
    with transaction.atomic():
        locked = _locked(claim)
        if ClaimAttachment.objects.filter(claim=locked).count() >= pwk.MAX_PER_CLAIM:
            raise ValidationError(
                f"A claim carries at most {pwk.MAX_PER_CLAIM} attachments: remove one first, "
                "or send the documents together under one control number."
            )
        attachment = ClaimAttachment.objects.create(claim=locked, created_by=user, **fields)
        scrub = _changed(locked, user, f"Attachment added: {attachment_words(attachment)}.")
    locked.refresh_from_db()
    return AttachmentOutcome(claim=locked, attachment=attachment, scrub=scrub)


def claim_attachment_remove(
    *, claim: Claim, attachment_id: int, user: User | None
) -> AttachmentOutcome:
    """Take an attachment off the claim (recorded by mistake) and scrub the claim again."""
    if not 0 < attachment_id < 2**63:  # beyond a bigint: no such row
        raise ClaimAttachment.DoesNotExist("No such attachment on this claim.")
    with transaction.atomic():
        locked = _locked(claim)
        attachment = ClaimAttachment.objects.filter(claim=locked, pk=attachment_id).first()
        if attachment is None:
            raise ClaimAttachment.DoesNotExist("No such attachment on this claim.")
        words = attachment_words(attachment)
        attachment.delete()
        attachment.pk = attachment_id  # the answer names what was removed
        scrub = _changed(locked, user, f"Attachment removed: {words}.")
    locked.refresh_from_db()
    return AttachmentOutcome(claim=locked, attachment=attachment, scrub=scrub)
