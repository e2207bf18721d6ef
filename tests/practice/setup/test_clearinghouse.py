"""The clearinghouse connection: secrets only as env:NAME references, shown masked."""

from __future__ import annotations

from django.urls import reverse

from rcm.practice.models import ClearinghouseConnection


def _save(client, practice, **overrides):
    data = {"transport": "sftp", "host": "sftp.example.net", "port": "2222", "username": "alpha",
            "password": "env:ALPHA_SFTP_PASSWORD", "submitter_id": "ALPHA01",
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
    assert connection.config == {"host": "sftp.example.net", "port": 2222, "username": "alpha",
                                 "password": "env:ALPHA_SFTP_PASSWORD"}  # fmt: skip
    assert (connection.submitter_id, connection.receiver_id) == ("ALPHA01", "CLEARHOUSE")


def test_a_plain_password_is_refused_and_never_stored(admin_client, practice_a):
    response = _save(admin_client, practice_a, password="hunter2-secret")

    assert "Do not type the password here." in response.content.decode()
    assert "hunter2-secret" not in response.content.decode()
    assert not ClearinghouseConnection.objects.exists()


def test_a_blank_password_keeps_the_reference(admin_client, practice_a):
    _save(admin_client, practice_a)
    _save(admin_client, practice_a, password="", host="sftp2.example.net")

    config = ClearinghouseConnection.objects.get().config
    assert config["password"] == "env:ALPHA_SFTP_PASSWORD" and config["host"] == "sftp2.example.net"


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
