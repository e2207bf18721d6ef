"""The clearinghouse connection: secrets only as env:NAME references, shown masked."""

from __future__ import annotations

from django.urls import reverse

from rcm.practice.clearinghouse import transport_for
from rcm.practice.models import ClearinghouseConnection

HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"


def _save(client, practice, **overrides):
    data = {"transport": "sftp", "host": "sftp.example.net", "port": "2222", "username": "alpha",
            "password": "env:CLEARINGHOUSE_ALPHA_PASSWORD", "known_host_key": HOST_KEY,
            "outbox_dir": "/inbound", "inbox_dir": "/reports", "submitter_id": "ALPHA01",
            "receiver_id": "CLEARHOUSE", "is_active": "on"}  # fmt: skip
    data.update(overrides)
    return client.post(
        reverse("practice-setup-clearinghouse", args=[practice.pk]), data, follow=True
    )


def test_saving_an_sftp_connection(admin_client, practice_a):
    response = _save(admin_client, practice_a)

    assert (
        "The clearinghouse connection of Alpha Family Medicine is saved."
        in response.content.decode()
    )
    connection = ClearinghouseConnection.objects.get(practice=practice_a, payer=None)
    assert connection.transport == "sftp"
    assert connection.config == {
        "host": "sftp.example.net", "port": 2222, "username": "alpha",
        "password": "env:CLEARINGHOUSE_ALPHA_PASSWORD", "known_host_key": HOST_KEY,
        "outbox_dir": "/inbound", "inbox_dir": "/reports",
    }  # fmt: skip
    assert (connection.submitter_id, connection.receiver_id) == ("ALPHA01", "CLEARHOUSE")


def test_a_plain_password_is_refused_and_never_stored(admin_client, practice_a):
    response = _save(admin_client, practice_a, password="hunter2-secret")

    assert "Do not type the password here." in response.content.decode()
    assert "hunter2-secret" not in response.content.decode()
    assert not ClearinghouseConnection.objects.exists()


def test_a_blank_password_keeps_the_reference(admin_client, practice_a):
    _save(admin_client, practice_a)
    _save(admin_client, practice_a, password="", known_host_key="", host="sftp2.example.net")

    config = ClearinghouseConnection.objects.get().config
    assert config["password"] == "env:CLEARINGHOUSE_ALPHA_PASSWORD"
    assert config["known_host_key"] == HOST_KEY and config["host"] == "sftp2.example.net"


def test_a_stored_plain_secret_is_shown_masked(admin_client, practice_a):
    ClearinghouseConnection.objects.create(
        practice=practice_a, transport="sftp",
        config={"host": "h", "username": "u", "password": "operator-typed-this"},
    )  # fmt: skip

    page = admin_client.get(reverse("practice-setup-clearinghouse", args=[practice_a.pk]))

    assert "operator-typed-this" not in page.content.decode()
    assert "••••••••" in page.content.decode()


def test_sftp_needs_a_host_and_a_username(admin_client, practice_a):
    response = _save(admin_client, practice_a, host="", username="")

    assert "An SFTP connection needs the host and the username." in response.content.decode()
    assert not ClearinghouseConnection.objects.exists()


def test_another_practices_connection_is_not_reachable(admin_client, practice_b):
    assert _save(admin_client, practice_b).status_code == 404
    assert not ClearinghouseConnection.objects.exists()


def test_only_variables_set_aside_for_the_clearinghouse_may_be_named(admin_client, practice_a):
    response = _save(admin_client, practice_a, password="env:DJANGO_SECRET_KEY")

    assert "enter env:CLEARINGHOUSE_NAME" in response.content.decode()
    assert not ClearinghouseConnection.objects.exists()


def test_sftp_needs_the_servers_host_key_and_a_plain_host_name(admin_client, practice_a):
    no_key = _save(admin_client, practice_a, known_host_key="")
    bad_host = _save(admin_client, practice_a, host="evil.example;rm -rf /")

    assert "needs the server&#x27;s public key" in no_key.content.decode()
    assert "Enter the host name only" in bad_host.content.decode()
    assert not ClearinghouseConnection.objects.exists()


def test_the_saved_connection_builds_the_sftp_transport(admin_client, practice_a, monkeypatch):
    monkeypatch.setenv("CLEARINGHOUSE_ALPHA_PASSWORD", "from-the-environment")
    _save(admin_client, practice_a)

    transport = transport_for(ClearinghouseConnection.objects.get())

    assert (transport.host, transport.port, transport.username) == (
        "sftp.example.net",
        2222,
        "alpha",
    )
    assert transport.password == "from-the-environment"
    assert (transport.outbox_dir, transport.inbox_dir) == ("/inbound", "/reports")
