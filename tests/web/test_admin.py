"""The Django admin is the operator's: it opens for staff only, shows reference data, cannot alter
the audit trail, and never shows an API token's key."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from rcm.audit.models import AuditEvent
from rcm.web.authentication import api_token_issue
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


def test_a_practice_administrator_gets_no_django_admin(client, administrator, practice_a):
    PatientFactory(practice=practice_a)
    client.force_login(administrator)

    for url in (reverse("admin:index"), reverse("admin:audit_auditevent_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_no_admin_page_shows_an_api_token_key(staff_client, administrator):
    issued = api_token_issue(user=administrator)
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
    pages.append(reverse("admin:practice_user_change", args=[administrator.pk]))

    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert issued.key not in response.content.decode(), url
        assert issued.token.digest not in response.content.decode(), url
    registered = {model._meta.model_name for model in admin.site._registry}
    assert not registered & {"token", "tokenproxy", "apitoken"}
