"""The client's address behind the proxy: the entry the proxy appended, never a 500."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from rcm.audit.middleware import client_ip_of
from rcm.audit.models import AuditEvent
from tests.factories import PatientFactory


@pytest.fixture
def behind_proxy(settings):
    settings.RCM_TRUST_X_FORWARDED_FOR = True


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
        ("6.6.6.6, 198.51.100.7", "198.51.100.7"),
        ("6.6.6.6,198.51.100.7 ", "198.51.100.7"),
        ("2001:db8::1", "2001:db8::1"),
        # Not an address: fall back to the proxy's own connection.
        ("garbage", "10.0.0.2"),
        ("198.51.100.7, <script>", "10.0.0.2"),
        ("", "10.0.0.2"),
        ("\x00", "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_rightmost_forwarded_entry(behind_proxy, forwarded, address):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    assert client_ip_of(request) == address


def test_without_the_proxy_setting_the_header_is_ignored(settings):
    settings.RCM_TRUST_X_FORWARDED_FOR = False
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert client_ip_of(request) == "10.0.0.2"


def test_a_garbage_forwarded_header_never_gives_a_500(behind_proxy, client, front_desk):
    patient = PatientFactory(practice=front_desk.memberships.first().practice)
    client.force_login(front_desk)

    response = client.get(
        f"/patients/{patient.pk}/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.2"
    )

    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(object_pk=str(patient.pk)).order_by("-id").first()
    assert viewed.client_ip == "10.0.0.2"
