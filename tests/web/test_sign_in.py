"""Sign-in: a wrong password says so; five in a row lock the account for a while."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from rcm.web.forms import MAX_FAILURES, _failures_key
from tests.factories import UserFactory


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account(client, biller):
    cache.delete(_failures_key(biller.username))
    for _ in range(MAX_FAILURES):
        response = sign_in(client, biller.username, "wrong")
        assert b"didn&#x27;t match" in response.content or b"didn't match" in response.content

    locked = sign_in(client, biller.username, "test-password-1")

    assert locked.status_code == 200  # the form again, not a redirect home
    assert b"Too many failed sign-ins" in locked.content
    assert "_auth_user_id" not in client.session
    cache.delete(_failures_key(biller.username))


def test_a_good_password_clears_earlier_failures(client, db):
    user = UserFactory(username="forgetful")
    cache.delete(_failures_key(user.username))
    for _ in range(MAX_FAILURES - 1):
        sign_in(client, "forgetful", "wrong")
    assert sign_in(client, "forgetful", "test-password-1").status_code == 302
    assert cache.get(_failures_key("forgetful")) is None
