"""Fee schedules by CSV: every row checked first, a bad row named by its line, nothing written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rcm.practice.models import FeeSchedule, FeeScheduleEntry
from rcm.practice.services import fee_schedule_set
from rcm.practice.setup.services import fee_csv_parse
from tests.factories import PayerFactory


def _import(client, practice, content: bytes, **overrides):
    data = {"name": "Standard fees", "effective_from": "2026-01-01",
            "file": SimpleUploadedFile("fees.csv", content, content_type="text/csv")}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("practice-setup-fees", args=[practice.pk]), data, follow=True)


def _schedule(practice, charges):
    return fee_schedule_set(
        practice=practice, name="Standard fees", effective_from=datetime.date(2026, 1, 1),
        charges=charges,
    )  # fmt: skip


def test_importing_a_csv_with_a_header(admin_client, practice_a):
    response = _import(admin_client, practice_a, b"code,charge\n99213,145.00\nj1100,3.5\n")

    assert "Imported 2 fees into Standard fees from 2026-01-01." in response.content.decode()
    schedule = FeeSchedule.objects.get(practice=practice_a, payer=None)
    assert dict(schedule.entries.values_list("code", "charge")) == {
        "99213": Decimal("145.00"),
        "J1100": Decimal("3.50"),
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code,charge\n99213,145.00\n9921,80.00\n",
         "Line 3: &#x27;9921&#x27; is not a CPT or HCPCS code"),
        (b"99213,145.00\n99214,-5\n", "Line 2: the charge for 99214 must be more than $0.00"),
        (b"99213,145.00\n99214,0\n", "Line 2: the charge for 99214 must be more than $0.00"),
        (b"99213,100000.00\n", "Line 1: the charge for 99213 must be more than $0.00 and at "
                                "most $99,999.99"),
        (b"99213,NaN\n", "Line 1: the charge &#x27;NaN&#x27; is not an amount."),
        (b"99213,abc\n", "Line 1: the charge &#x27;abc&#x27; is not an amount."),
        (b"99213,1.005\n", "Line 1: the charge for 99213 has more than two decimals."),
        (b"99213,10\n99213,12\n", "Line 2: 99213 is already on line 1."),
        (b"99213,10,25\n", "Line 1: expected two columns, code and charge; found 3."),
        (b"\xff\xfe9\x009\x00", "The file is not UTF-8 text"),
        (b"\n\n", "The file has no fees"),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_and_nothing_is_imported(admin_client, practice_a, content, message):
    _schedule(practice_a, {"99212": Decimal("90")})

    response = _import(admin_client, practice_a, content)

    assert message in response.content.decode()
    assert list(FeeScheduleEntry.objects.values_list("code", "charge")) == [
        ("99212", Decimal("90.00"))
    ]


def test_importing_the_same_start_again_replaces_the_schedule(admin_client, practice_a):
    _import(admin_client, practice_a, b"99213,145.00\n99214,210.00\n")
    _import(admin_client, practice_a, b"99213,150.00\n")

    assert list(FeeScheduleEntry.objects.values_list("code", "charge")) == [
        ("99213", Decimal("150.00"))
    ]


def test_a_payer_schedule_is_its_own(admin_client, practice_a):
    payer = PayerFactory()
    _import(admin_client, practice_a, b"99213,145.00\n")
    _import(admin_client, practice_a, b"99213,120.00\n", payer=payer.pk, name="Payer fees")

    assert FeeSchedule.objects.filter(practice=practice_a).count() == 2
    assert FeeSchedule.objects.get(payer=payer).entries.get().charge == Decimal("120.00")


def test_export_reads_back_as_the_same_schedule(admin_client, practice_a):
    _import(admin_client, practice_a, b"J1100,3.50\n99213,145\n")
    schedule = FeeSchedule.objects.get()

    response = admin_client.get(
        reverse("practice-setup-fee-export", args=[practice_a.pk, schedule.pk])
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode() == "code,charge\n99213,145.00\nJ1100,3.50\n"
    assert fee_csv_parse(response.content) == {"99213": Decimal("145.00"), "J1100": Decimal("3.50")}


def test_another_practices_schedule_is_not_found(admin_client, practice_a, practice_b):
    theirs = _schedule(practice_b, {"99213": Decimal("1")})

    assert (
        admin_client.get(
            reverse("practice-setup-fee-export", args=[practice_a.pk, theirs.pk])
        ).status_code
        == 404
    )
    assert (
        admin_client.get(
            reverse("practice-setup-fee-export", args=[practice_b.pk, theirs.pk])
        ).status_code
        == 404
    )
    response = _import(admin_client, practice_b, b"99213,145.00\n")
    assert response.status_code == 404
    assert FeeScheduleEntry.objects.get().charge == Decimal("1.00")


def test_a_start_date_out_of_range_is_refused(admin_client, practice_a):
    response = _import(admin_client, practice_a, b"99213,145.00\n", effective_from="9999-01-01")

    assert "Choose a start date between 2000 and 2100." in response.content.decode()
    assert not FeeSchedule.objects.exists()
