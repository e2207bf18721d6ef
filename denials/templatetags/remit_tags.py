"""Template tags that show denials' data on claims' pages (claims never imports denials).

The claim page loads this library by name (`{% load remit_tags %}`), so the dependency runs
from the top layer's template tag to the lower layer's models, as the layers want.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Prefetch

from claims.adjudication import adjustment_is_denial
from claims.models import Claim
from claims.selectors import PriorPayerLeft
from coding.codesets.selectors import release_in_force
from coding.models import Code
from denials.models import Adjustment, ClaimPayment, LinePayment

register = template.Library()

ZERO = Decimal("0.00")
# 835 CLP02, in words.
CLAIM_STATUS_WORDS = {
    "1": "Processed as primary", "2": "Processed as secondary", "3": "Processed as tertiary",
    "4": "Denied", "19": "Processed as primary, forwarded to another payer",
    "20": "Processed as secondary, forwarded", "21": "Processed as tertiary, forwarded",
    "22": "Reversal of a previous payment", "23": "Not our claim, forwarded",
}  # fmt: skip


def code_words(*, system: str, codes: set[str]) -> dict[str, str]:
    """{code: description} for CARC or RARC codes, from the newest release: two queries."""
    release = release_in_force(system=system)
    if release is None or not codes:
        return {}
    found = Code.objects.filter(release=release, compact__in={c.upper() for c in codes})
    return {code.compact: code.description for code in found}


def _payments(claim: Claim) -> list[ClaimPayment]:
    return list(
        ClaimPayment.objects.filter(claim=claim)
        .select_related("remittance")
        .prefetch_related(
            Prefetch(
                "adjustments",
                queryset=Adjustment.objects.select_related("line_payment").order_by("id"),
            ),
            Prefetch(
                "lines",
                queryset=LinePayment.objects.prefetch_related("adjustments").order_by("id"),
            ),
        )
        .order_by("remittance__received_at", "id")
    )


@register.inclusion_tag("denials/_claim_remittances.html")
def claim_remittances(claim: Claim, prior_payer: PriorPayerLeft | None = None) -> dict[str, Any]:
    """Every remittance against `claim`: allowed, paid, patient share, each CAS in words, and
    the balance left. A fixed number of queries whatever the number of payments and lines.

    A claim billed after another payer (`prior_payer`, claims.selectors.claim_prior_payer_left)
    owes only what that payer left, not its full charge: its balance starts there."""
    payments = _payments(claim)
    carcs: set[str] = set()
    rarcs: set[str] = set()
    for payment in payments:
        rarcs.update(payment.remarks)
        carcs.update(adj.reason for adj in payment.adjustments.all())
        for line in payment.lines.all():
            rarcs.update(line.remarks)
    carc_words = code_words(system="CARC", codes=carcs)
    rarc_words = code_words(system="RARC", codes=rarcs)
    group_words = dict(Adjustment._meta.get_field("group").choices or [])
    rows = []
    paid = ZERO
    written_off = ZERO
    denied = ZERO
    patient = ZERO
    for payment in payments:
        adjustments = [
            {
                "line": adj.line_payment,
                "group": adj.group,
                "group_words": group_words.get(adj.group, ""),
                "reason": adj.reason,
                "reason_words": carc_words.get(adj.reason.upper(), "(code not in the table)"),
                "amount": adj.amount,
            }
            for adj in payment.adjustments.all()
        ]
        remarks = sorted({*payment.remarks, *(r for ln in payment.lines.all() for r in ln.remarks)})
        paid += payment.paid
        patient += payment.patient_responsibility
        # A denial (CO-50, CO-197 …) is not written off: it stays owed until it is appealed,
        # corrected or written off by a person. Only contractual reductions come off.
        written_off += sum(
            (
                a["amount"]
                for a in adjustments
                if a["group"] != "PR"
                and not adjustment_is_denial(group=a["group"], reason=a["reason"])
            ),
            ZERO,
        )
        denied += sum(
            (
                a["amount"]
                for a in adjustments
                if adjustment_is_denial(group=a["group"], reason=a["reason"])
            ),
            ZERO,
        )
        rows.append(
            {
                "payment": payment,
                "status_words": CLAIM_STATUS_WORDS.get(payment.status_code, payment.status_code),
                "allowed": payment.paid + payment.patient_responsibility,
                "adjustments": adjustments,
                "remarks": [(code, rarc_words.get(code.upper(), "")) for code in remarks],
            }
        )
    return {
        "claim": claim,
        "rows": rows,
        "paid": paid,
        "patient": patient,
        "written_off": written_off,
        "denied": denied,
        "prior_payer": prior_payer,
        # What nobody has paid or written off yet: the patient's share and denials included.
        "balance": (prior_payer.left if prior_payer else claim.total_charge) - paid - written_off,
    }
