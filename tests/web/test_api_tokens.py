"""The API's sign-in: locked like the page, throttled, tokens that expire and die at sign-out."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from rcm.web.authentication import api_token_issue, token_digest
from rcm.web.models import ApiToken


@pytest.fixture(autouse=True)
def _generous_throttle(settings):
    """The throttle counts in the shared Redis across tests; here only its own test trips it."""
    rates = {"api-token": "1000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def token_for(api, username, password, address="10.0.0.7"):
    return api.post(
        reverse("api-token"),
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_thirty_wrong_passwords_then_the_right_one_is_refused(biller):
    api = APIClient()
    for _ in range(30):
        wrong = token_for(api, biller.username, "wrong")
        assert wrong.status_code in (400, 429)

    right = token_for(api, biller.username, "test-password-1")

    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.json()["detail"]
    assert not ApiToken.objects.filter(user=biller).exists()


def test_the_token_lock_leaves_other_addresses_alone(biller):
    api = APIClient()
    for _ in range(10):
        token_for(api, biller.username, "wrong", address="203.0.113.9")
    assert token_for(api, biller.username, "test-password-1").status_code == 200


def test_the_token_endpoint_is_throttled_per_address(settings, biller):
    rates = {"api-token": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api = APIClient()
    address = f"198.51.100.{timezone.now().microsecond % 250}"
    answers = [token_for(api, f"nobody{n}", "wrong", address=address).status_code for n in range(5)]
    assert answers[:3] == [400, 400, 400]
    assert answers[3:] == [429, 429]


def test_a_token_works_until_it_expires(settings, biller):
    settings.RCM_API_TOKEN_HOURS = 8
    key = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-patient-list")).status_code == 200

    stored = ApiToken.objects.filter(digest=token_digest(key))
    stored.update(created=timezone.now() - datetime.timedelta(hours=9))
    expired = api.get(reverse("api-patient-list"))

    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    assert not stored.exists()


def test_a_new_sign_in_gives_a_fresh_token(biller):
    first = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    earlier = timezone.now() - datetime.timedelta(hours=7)
    ApiToken.objects.filter(digest=token_digest(first)).update(created=earlier)
    second = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    assert second != first
    [token] = ApiToken.objects.filter(user=biller)
    assert token.digest == token_digest(second)
    assert token.created > timezone.now() - datetime.timedelta(minutes=1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get(reverse("api-patient-list")).status_code == 401


def test_signing_out_of_the_web_revokes_the_token(client, biller):
    key = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    client.force_login(biller)

    client.post(reverse("logout"))

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-patient-list")).status_code == 401


def test_deleting_the_token_signs_the_api_out(biller):
    key = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.delete(reverse("api-token")).status_code == 204
    assert api.get(reverse("api-patient-list")).status_code == 401


@pytest.mark.parametrize(
    "url", ["/admin/authtoken/tokenproxy/", "/admin/authtoken/token/", "/admin/web/apitoken/"]
)
def test_the_admin_never_shows_token_keys(client, biller, url):
    from tests.factories import UserFactory

    key = api_token_issue(user=biller).key
    client.force_login(UserFactory(username="operator_t", is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 404
    assert key not in client.get("/admin/").content.decode()
    assert "Tokens" not in client.get("/admin/").content.decode()


def _rows_holding(text: str) -> list[str]:
    """Every table of the database with a row whose text form contains `text`."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" AS t WHERE strpos(t::text, %s) > 0', [text]
            )
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def test_the_database_never_holds_the_clear_token(biller):
    answer = token_for(APIClient(), biller.username, "test-password-1").json()
    key = answer["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-patient-list")).status_code == 200

    assert len(key) >= 40
    assert _rows_holding(key) == []
    [token] = ApiToken.objects.filter(user=biller)
    assert token.digest == token_digest(key) and key not in token.digest
    assert _rows_holding(token.digest) == ["web_apitoken"]  # not in the audit trail either


@pytest.mark.parametrize(
    "header",
    [
        "Token ",
        "Token nottoken",
        "Token " + "a" * 5000,
        "Token abc\u00e9",
        "Bearer x",
    ],
)
def test_a_token_that_is_not_issued_is_refused(biller, header):
    api_token_issue(user=biller)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)

    answer = api.get(reverse("api-patient-list"))

    assert answer.status_code == 401
    assert ApiToken.objects.filter(user=biller).count() == 1


def test_the_digest_of_a_key_is_refused_as_a_key(biller):
    issued = api_token_issue(user=biller)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.token.digest}")

    assert api.get(reverse("api-patient-list")).status_code == 401


def test_an_inactive_users_token_is_refused(biller):
    key = api_token_issue(user=biller).key
    biller.is_active = False
    biller.save(update_fields=["is_active"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get(reverse("api-patient-list")).status_code == 401


def test_the_migration_hashes_clear_tokens_and_drops_their_table(biller):
    from importlib import import_module

    migration = import_module("rcm.web.migrations.0001_api_tokens_hashed")
    created = timezone.now() - datetime.timedelta(hours=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz,"
            " user_id bigint)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", ["c1ea" * 10, created, biller.pk]
        )
        cursor.execute(migration.CONVERT_CLEAR_TOKENS)
        cursor.execute("SELECT to_regclass('authtoken_token')")
        assert cursor.fetchone() == (None,)

    [token] = ApiToken.objects.filter(user=biller)
    assert (token.digest, token.created) == (token_digest("c1ea" * 10), created)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {'c1ea' * 10}")
    assert api.get(reverse("api-patient-list")).status_code == 200  # still signed in
