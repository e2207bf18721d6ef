"""The Django admin opens for staff, shows reference data, and cannot alter the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rcm.audit.models import AuditEvent
from tests.factories import PatientFactory, UserFactory


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(username="root_admin", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    ["practice_practice", "practice_payer", "practice_provider", "practice_feeschedule",
     "practice_user", "coding_code", "coding_codesetrelease", "audit_auditevent",
     "practice_clearinghouseconnection", "files_storedfile"],
)  # fmt: skip
def test_admin_lists_open(staff_client, model):
    assert staff_client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_audit_rows_cannot_be_deleted_from_the_admin(staff_client, practice_a):
    PatientFactory(practice=practice_a)
    event = AuditEvent.objects.first()
    url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
