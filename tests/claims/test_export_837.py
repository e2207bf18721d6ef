"""export_837 writes the 837P the app would send, valid by pyx12, without changing any claim."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from claims.state import ClaimStatus
from patients.models import Relationship
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory
from tests.x12.pyx12_check import pyx12_errors


def sendable_claim(**kwargs):
    claim = ClaimFactory(status=ClaimStatus.READY, **kwargs)
    ClaimDiagnosisFactory(claim=claim, position=1, code="E119")
    ClaimDiagnosisFactory(claim=claim, position=2, code="I10")
    ClaimLineFactory(claim=claim, position=1, procedure_code="99214", diagnosis_pointers=[1, 2])
    ClaimLineFactory(claim=claim, position=2, procedure_code="36415", diagnosis_pointers=[1])
    return claim


def test_export_writes_valid_837p_and_changes_nothing(db, tmp_path, practice_a):
    self_claim = sendable_claim(encounter__patient__practice=practice_a)
    child_claim = sendable_claim(
        encounter__patient__practice=practice_a,
        coverage__relationship=Relationship.CHILD,
        coverage__subscriber_first_name="Pat",
        coverage__subscriber_last_name="Parent",
    )
    ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.PAID)  # not sent

    call_command("export_837", "--out", str(tmp_path))

    [path] = list(tmp_path.iterdir())
    text = path.read_text()
    assert pyx12_errors(path) == []
    assert f"CLM*{self_claim.control_number}*" in text
    assert f"CLM*{child_claim.control_number}*" in text
    assert "NM1*QC*1*" in text  # the child is the patient, not the subscriber
    assert text.count("CLM*") == 2
    assert set(Claim.objects.values_list("status", flat=True)) == {"ready", "paid"}


def test_export_of_named_claims_and_unknown_ids(db, tmp_path, practice_a):
    claim = sendable_claim(encounter__patient__practice=practice_a)
    call_command("export_837", "--out", str(tmp_path), "--claim", str(claim.pk))
    assert len(list(tmp_path.iterdir())) == 1
    with pytest.raises(CommandError, match="No claim with id 99999999"):
        call_command("export_837", "--out", str(tmp_path), "--claim", "99999999")


def test_each_export_gets_new_control_numbers(db, tmp_path, practice_a):
    sendable_claim(encounter__patient__practice=practice_a)
    call_command("export_837", "--out", str(tmp_path / "one"))
    call_command("export_837", "--out", str(tmp_path / "two"))
    [first] = (tmp_path / "one").iterdir()
    [second] = (tmp_path / "two").iterdir()
    isa13 = [p.read_text().split("*")[13] for p in (first, second)]
    assert isa13[0] != isa13[1]
