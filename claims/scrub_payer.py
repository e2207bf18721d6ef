"""What a payer asks for the codes billed: prior authorization, therapy modifiers, attachments
(PWK) it can match, its rules."""

from __future__ import annotations

from collections.abc import Iterator

from claims.scrub_types import (
    ERROR,
    WARNING,
    ScrubContext,
    ScrubEdit,
    finding,
    in_ranges,
    line_label,
)
from rcm.practice.payer_rules import PayerRuleSpec, codes_match
from rcm.x12 import claim837 as x12
from rcm.x12 import pwk

# Codes CMS lists as "always therapy": billed only under a therapy plan of care, with GP
# (physical), GO (occupational) or GN (speech-language) therapy modifier. 97151-97158
# (adaptive behaviour) and 97802-97814 (nutrition, acupuncture) are not therapy services.
THERAPY_RANGES: tuple[tuple[str, str], ...] = (
    ("92507", "92508"),
    ("92521", "92524"),
    ("97010", "97150"),
    ("97161", "97546"),
    ("97750", "97763"),
)
THERAPY_MODIFIERS = frozenset({"GP", "GO", "GN"})
# Payers that reject a therapy line without GP/GO/GN outright (Medicare, Medicaid, TRICARE);
# for other payers the edit is a warning.
STRICT_THERAPY_PAYERS = frozenset({"MB", "MA", "MC", "CH"})


def _has_authorization(claim: x12.Claim, context: ScrubContext) -> bool:
    return bool(claim.prior_authorization.strip() or any(context.line_authorizations))


def prior_auth_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    if not context.prior_auth_codes or _has_authorization(claim, context):
        return []
    needing = sorted({line.procedure_code for line in claim.lines} & context.prior_auth_codes)
    if not needing:
        return []
    return [finding("prior_auth.missing", ERROR, (
        f"The payer requires a prior authorization for {', '.join(needing)}: enter the "
        "authorization number."
    ))]  # fmt: skip


def therapy_modifier_edits(claim: x12.Claim) -> list[ScrubEdit]:
    severity = ERROR if claim.filing_indicator in STRICT_THERAPY_PAYERS else WARNING
    edits = []
    for number, line in enumerate(claim.lines, start=1):
        if in_ranges(line.procedure_code, THERAPY_RANGES) and not (
            THERAPY_MODIFIERS & set(line.modifiers)
        ):
            edits.append(finding("modifier.therapy", severity, (
                f"Line {number} ({line.procedure_code}) is a therapy service: add GP (physical), "
                "GO (occupational) or GN (speech-language therapy)."
            ), line_label(number)))  # fmt: skip
    return edits


def attachment_edits(claim: x12.Claim) -> list[ScrubEdit]:
    """Paperwork the payer must be able to match to the claim: each attachment sent by mail,
    fax, e-mail or file carries its control number (PWK06), and PWK repeats at most 10 times."""
    edits = []
    for number, attachment in enumerate(claim.attachments, start=1):
        if pwk.needs_control_number(attachment.transmission) and not attachment.control_number:
            how = pwk.TRANSMISSIONS.get(attachment.transmission, attachment.transmission).lower()
            kind = pwk.REPORT_TYPES.get(attachment.report_type, attachment.report_type)
            edits.append(finding("attachment.control_number.missing", ERROR, (
                f"Attachment {number} ({kind}, sent {how}) has no attachment control number: "
                "enter the number written on the paperwork, so the payer can match it to this "
                "claim, or mark it as available on request."
            ), f"attachment {number}"))  # fmt: skip
    if len(claim.attachments) > pwk.MAX_PER_CLAIM:
        edits.append(finding("attachment.too_many", ERROR, (
            f"The claim lists {len(claim.attachments)} attachments; an 837P carries at most "
            f"{pwk.MAX_PER_CLAIM}: remove some, or send them together under one number."
        )))  # fmt: skip
    return edits


def _rule_lines(claim: x12.Claim, rule: PayerRuleSpec) -> Iterator[tuple[int, x12.ServiceLine]]:
    if rule.place_of_service and rule.place_of_service != claim.place_of_service:
        return
    for number, line in enumerate(claim.lines, start=1):
        if codes_match(rule.code_ranges, line.procedure_code):
            yield number, line


def payer_rule_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    """The rules a practice's administrator set for this payer (rcm.practice.PayerRule)."""
    edits = []
    for rule in context.payer_rules:
        matched = list(_rule_lines(claim, rule))
        if not matched:
            continue
        edit = f"payer_rule.{rule.rule_id}.{rule.action}"
        said = f" {rule.message}" if rule.message else ""
        codes = ", ".join(dict.fromkeys(line.procedure_code for _, line in matched))
        if rule.action == "modifier":
            for number, line in matched:
                if rule.modifier not in line.modifiers:
                    edits.append(finding(edit, rule.severity, (
                        f"Line {number} ({line.procedure_code}): this payer requires modifier "
                        f"{rule.modifier}.{said}"
                    ), line_label(number)))  # fmt: skip
        elif rule.action == "prior_auth" and not _has_authorization(claim, context):
            edits.append(finding(edit, rule.severity, (
                f"This payer requires a prior authorization for {codes}: enter the number.{said}"
            )))  # fmt: skip
        elif rule.action == "attachment" and not context.attachments:
            edits.append(finding(edit, rule.severity, (
                f"This payer requires an attachment (PWK) for {codes}: send the documentation "
                f"with the claim.{said}"
            )))  # fmt: skip
        elif rule.action == "hold":
            edits.append(finding(edit, rule.severity, (
                rule.message or f"This payer's rule holds claims for {codes}: review it."
            )))  # fmt: skip
    return edits
