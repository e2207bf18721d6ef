"""`manage.py import_era`: the --json contract, --dry-run, the summary and refusals."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.state import ClaimStatus
from denials.models import ClaimPayment, Remittance
from rcm.audit.models import AuditEvent
from rcm.files.models import FileStatus, StoredFile
from tests.denials.fixtures import NORTHWIND, northwind_bytes, northwind_claims
from tests.factories import PayerFactory

NO_ADJUSTMENTS: list[dict[str, str]] = []

EXPECTED = {
    "payments": [
        {
            "trace": "T48213",
            "total": "501.10",
            "method": "ACH",
            "payer": "NORTHWIND HEALTH",
            "provider_adjustments": [{"reason": "L6", "reference": "P20261", "amount": "-3.10"}],
            "claims": [
                {
                    "control_number": "CLM7781",
                    "status_code": "1",
                    "charge": "410.00",
                    "paid": "298.00",
                    "patient_responsibility": "0.00",
                    "payer_claim_number": "2026331000123",
                    "adjustments": NO_ADJUSTMENTS,
                    "remarks": ["N130"],
                    "lines": [
                        {
                            "control_number": "CLM7781-1",
                            "procedure": "99213",
                            "modifiers": [],
                            "charge": "410.00",
                            "paid": "298.00",
                            "adjustments": [{"group": "CO", "reason": "45", "amount": "112.00"}],
                        }
                    ],
                },
                {
                    "control_number": "CLM7782",
                    "status_code": "1",
                    "charge": "250.00",
                    "paid": "120.00",
                    "patient_responsibility": "20.00",
                    "payer_claim_number": "2026331000124",
                    "adjustments": NO_ADJUSTMENTS,
                    # claim level first, then line by line, each code once
                    "remarks": ["MA01", "N130", "M80"],
                    "lines": [
                        {
                            "control_number": "CLM7782-1",
                            "procedure": "99214",
                            "modifiers": ["25"],
                            "charge": "200.00",
                            "paid": "120.00",
                            "adjustments": [
                                {"group": "CO", "reason": "45", "amount": "60.00"},
                                {"group": "PR", "reason": "2", "amount": "20.00"},
                            ],
                        },
                        {
                            "control_number": "CLM7782-2",
                            "procedure": "85025",
                            "modifiers": [],
                            "charge": "50.00",
                            "paid": "0.00",
                            "adjustments": [{"group": "CO", "reason": "97", "amount": "50.00"}],
                        },
                    ],
                },
                {
                    "control_number": "CLM7783",
                    "status_code": "4",
                    "charge": "150.00",
                    "paid": "0.00",
                    "patient_responsibility": "0.00",
                    "payer_claim_number": "2026331000125",
                    "adjustments": [{"group": "CO", "reason": "50", "amount": "150.00"}],
                    "remarks": ["N362"],
                    "lines": [],
                },
                {
                    "control_number": "CLM7784",
                    "status_code": "22",
                    "charge": "-125.00",
                    "paid": "-100.00",
                    "patient_responsibility": "-25.00",
                    "payer_claim_number": "2026331000126",
                    "adjustments": NO_ADJUSTMENTS,
                    "remarks": [],
                    "lines": [
                        {
                            "control_number": "CLM7784-1",
                            "procedure": "99213",
                            "modifiers": [],
                            "charge": "-125.00",
                            "paid": "-100.00",
                            "adjustments": [{"group": "PR", "reason": "1", "amount": "-25.00"}],
                        }
                    ],
                },
                {
                    "control_number": "CLM7785",
                    "status_code": "1",
                    "charge": "125.00",
                    "paid": "100.00",
                    "patient_responsibility": "0.00",
                    "payer_claim_number": "2026331000127",
                    "adjustments": NO_ADJUSTMENTS,
                    "remarks": [],
                    "lines": [
                        {
                            "control_number": "",
                            "procedure": "99213",
                            "modifiers": [],
                            "charge": "125.00",
                            "paid": "100.00",
                            "adjustments": [{"group": "CO", "reason": "45", "amount": "25.00"}],
                        }
                    ],
                },
                {
                    "control_number": "CLM9999",
                    "status_code": "1",
                    "charge": "80.00",
                    "paid": "80.00",
                    "patient_responsibility": "0.00",
                    "payer_claim_number": "2026331000128",
                    "adjustments": NO_ADJUSTMENTS,
                    "remarks": [],
                    "lines": [],
                },
            ],
        }
    ]
}


@pytest.fixture
def claims(practice_a):
    payer = PayerFactory(payer_id="NWH01", name="NORTHWIND HEALTH")
    return northwind_claims(practice=practice_a, payer=payer)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_era", *args, stdout=out)
    return out.getvalue()


def test_json_prints_the_design_shape_exactly(claims):
    printed = json.loads(run(str(NORTHWIND), "--json"))

    assert printed == EXPECTED
    assert Remittance.objects.get().trace_number == "T48213"


def test_dry_run_json_prints_the_same_and_writes_nothing(claims):
    printed = json.loads(run(str(NORTHWIND), "--dry-run", "--json"))

    assert printed == EXPECTED
    assert not StoredFile.objects.exists()
    assert not Remittance.objects.exists()
    claims["CLM7781"].refresh_from_db()
    assert claims["CLM7781"].status == ClaimStatus.ACCEPTED


def test_dry_run_says_the_file_balances(claims):
    out = run(str(NORTHWIND), "--dry-run")

    assert "NORTHWIND HEALTH ACH T48213: 501.10 for 6 claims" in out
    assert "parses and balances (dry run)" in out
    assert not StoredFile.objects.exists()


def test_summary_reports_posted_and_unmatched_then_a_duplicate(claims):
    out = run(str(NORTHWIND))

    assert "Posted 1 payments; 0 already posted; 5 claims matched, 1 unmatched." in out
    assert "Unmatched claims: CLM9999" in out
    assert "was imported before; nothing posted again" in run(str(NORTHWIND))
    assert ClaimPayment.objects.count() == 6


def test_writes_are_audited_as_the_command(claims):
    run(str(NORTHWIND))

    vias = set(
        AuditEvent.objects.filter(table_name="denials_claimpayment").values_list("via", flat=True)
    )
    assert vias == {"command:import_era"}


def test_a_malformed_file_fails_naming_segment_and_line_and_is_quarantined(claims, tmp_path):
    bad = tmp_path / "bad.835"
    bad.write_bytes(northwind_bytes().replace(b"SVC*HC:85025*50*0", b"SVC*HC:85025*5O*0"))

    with pytest.raises(
        CommandError, match=r"SVC02 is not a number: '5O' \(segment SVC #27 line 27\)"
    ):
        run(str(bad))

    assert not Remittance.objects.exists()
    assert StoredFile.objects.get().status == FileStatus.QUARANTINED


def test_a_malformed_file_in_a_dry_run_is_not_kept(claims, tmp_path):
    bad = tmp_path / "bad.835"
    bad.write_bytes(northwind_bytes().replace(b"BPR*I*501.1*", b"BPR*I*501.2*"))

    with pytest.raises(CommandError, match="does not balance"):
        run(str(bad), "--dry-run")

    assert not StoredFile.objects.exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"No such file: .*nowhere\.835"):
        run(str(tmp_path / "nowhere.835"))
