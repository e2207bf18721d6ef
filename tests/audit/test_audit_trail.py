"""The audit trail records every write to patient data and every chart view, and is append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from patients.models import Patient
from rcm.audit.context import audit_context
from rcm.audit.models import AuditAction, AuditEvent
from tests.factories import PatientFactory


def events_for(patient: Patient) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            table_name="patients_patient", object_pk=str(patient.pk)
        ).order_by("id")
    )


def test_create_change_and_delete_are_recorded_with_who_and_where(db, biller, practice_a):
    with audit_context(via="test", actor_id=biller.pk, client_ip="10.1.2.3"):
        patient = PatientFactory(practice=practice_a, last_name="Original")
        patient.last_name = "Changed"
        patient.save(update_fields=["last_name"])
        patient_pk = patient.pk
        Patient.objects.filter(pk=patient_pk).delete()

    events = list(
        AuditEvent.objects.filter(
            table_name="patients_patient", object_pk=str(patient_pk)
        ).order_by("id")
    )
    assert [e.action for e in events] == [
        AuditAction.INSERT,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]
    assert {e.actor_id for e in events} == {biller.pk}
    assert {e.client_ip for e in events} == {"10.1.2.3"}
    assert {e.practice_id for e in events} == {practice_a.pk}
    # The change records the old and new value of each changed column, and only those.
    assert events[1].changes["last_name"] == ["Original", "Changed"]
    assert set(events[1].changes) == {"last_name"}


def test_a_save_that_changes_nothing_records_nothing(db, practice_a):
    patient = PatientFactory(practice=practice_a)
    before = len(events_for(patient))
    Patient.objects.filter(pk=patient.pk).update(last_name=patient.last_name)
    assert len(events_for(patient)) == before


def test_viewing_a_chart_is_recorded_with_the_client_address(client, biller, practice_a):
    patient = PatientFactory(practice=practice_a)
    client.force_login(biller)

    response = client.get(reverse("patient-detail", args=[patient.pk]), REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 200
    view = AuditEvent.objects.get(action=AuditAction.VIEW, object_pk=str(patient.pk))
    assert view.actor_id == biller.pk
    assert view.client_ip == "192.0.2.44"
    assert view.via == "web"


def test_writes_during_a_request_name_the_signed_in_user(client, biller, practice_a):
    client.force_login(biller)
    client.get(reverse("home"), REMOTE_ADDR="192.0.2.7")  # sets the connection's audit context
    patient = PatientFactory(practice=practice_a)
    event = events_for(patient)[0]
    assert (event.actor_id, event.client_ip, event.via) == (biller.pk, "192.0.2.7", "web")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'view'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(db, practice_a, statement):
    PatientFactory(practice=practice_a)
    assert AuditEvent.objects.exists()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert AuditEvent.objects.filter(action=AuditAction.INSERT).exists()


def test_the_orm_cannot_delete_audit_rows_either(db, practice_a):
    PatientFactory(practice=practice_a)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.exists()


PATIENT_DATA_TABLES = [
    "patients_patient",
    "patients_coverage",
    "patients_coveragecard",
    "patients_eligibilitycheck",
    "patients_encounter",
    "coding_encounterdiagnosis",
    "coding_procedureline",
    "claims_claim",
    "claims_claimdiagnosis",
    "claims_claimline",
    "claims_encounterbillingissue",
    "claims_selfpaycharge",
    "denials_claimpayment",
    "denials_linepayment",
    "denials_adjustment",
]


def test_every_table_holding_patient_data_has_the_audit_trigger(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_audit'"
        )
        audited = {row[0] for row in cursor.fetchall()}
    assert set(PATIENT_DATA_TABLES) <= audited


def test_administrators_read_their_practices_audit_log(
    client, administrator, practice_a, practice_b
):
    mine = PatientFactory(practice=practice_a)
    theirs = PatientFactory(practice=practice_b)
    client.force_login(administrator)

    response = client.get(reverse("audit-log"), {"action": "insert"})

    shown = {(e.table_name, e.object_pk) for e in response.context["page_obj"].object_list}
    assert ("patients_patient", str(mine.pk)) in shown
    assert ("patients_patient", str(theirs.pk)) not in shown


def test_only_administrators_open_the_audit_log(client, biller):
    client.force_login(biller)
    assert client.get(reverse("audit-log")).status_code == 403
