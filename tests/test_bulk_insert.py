"""rcm.bulk.objects_insert: what bulk_create would have stored, value for value, ids set."""

from __future__ import annotations

import datetime
from decimal import Decimal

from denials.models import ClaimPayment, LinePayment, Remittance
from rcm.bulk import objects_insert
from tests.factories import PracticeFactory

HOSTILE = ['say "no"', "back\\slash", "a,b", "{braces}", "NULL", "", "é ١٢", "tab\there"]


def _remittance(practice):
    return Remittance.objects.create(
        practice=practice, payer_name="P", trace_number="T1", payer_identifier="1",
        payment_method="CHK", payment_amount=Decimal("0"), payment_date=datetime.date(2026, 1, 2),
    )  # fmt: skip


def test_rows_go_in_as_given_with_their_ids_set_in_order(db):
    practice = PracticeFactory()
    remittance = _remittance(practice)
    payments = [
        ClaimPayment(
            practice=practice,
            remittance=remittance,
            control_number=f"C{n}",
            status_code="1",
            charge=Decimal("100.10") + n,
            paid=Decimal("0.01") * n,
            remarks=HOSTILE[: n % 9],
        )
        for n in range(30)
    ]

    objects_insert(payments, batch_size=7)  # several statements

    stored = {row.pk: row for row in ClaimPayment.objects.all()}
    assert len(stored) == 30
    for n, payment in enumerate(payments):
        row = stored[payment.pk]
        assert row.control_number == f"C{n}"  # each id is its own row's
        assert (row.charge, row.paid) == (Decimal("100.10") + n, Decimal("0.01") * n)
        assert row.remarks == HOSTILE[: n % 9]
        assert row.claim_id is None and row.patient_responsibility == 0


def test_nullable_columns_and_children_of_inserted_rows(db):
    practice = PracticeFactory()
    remittance = _remittance(practice)
    payment = ClaimPayment(
        practice=practice, remittance=remittance, control_number="C", status_code="4",
        charge=Decimal("5"), paid=Decimal("0"),
    )  # fmt: skip
    objects_insert([payment])
    lines = [
        LinePayment(
            claim_payment=payment, procedure_code="99213", modifiers=["25", "59"],
            charge=Decimal("5"), paid=Decimal("0"), units=None, service_date=None,
        ),
        LinePayment(
            claim_payment=payment, procedure_code="J3301", charge=Decimal("1"), paid=Decimal("1"),
            units=Decimal("2.5"), service_date=datetime.date(2026, 3, 1),
        ),
    ]  # fmt: skip

    objects_insert(lines)

    first, second = LinePayment.objects.order_by("id")
    assert (first.pk, second.pk) == (lines[0].pk, lines[1].pk)
    assert first.modifiers == ["25", "59"] and first.units is None and first.service_date is None
    assert second.modifiers == [] and second.units == Decimal("2.50")
    assert second.claim_payment_id == payment.pk and not lines[0]._state.adding


def test_nothing_to_insert_runs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        objects_insert([])
