"""The embedded default: starting is idempotent and keeps its address."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from rcm import embedded

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL")),
    reason="this run uses external servers given by DATABASE_URL / REDIS_URL",
)


def test_starting_again_returns_the_same_servers():
    assert embedded.postgres_url(settings.VAR_DIR) == embedded.postgres_url(settings.VAR_DIR)
    first = embedded.redis_url(settings.VAR_DIR)
    assert embedded.redis_url(settings.VAR_DIR) == first
    assert first == settings.REDIS_URL


def test_settings_use_the_embedded_servers():
    assert embedded.postgres_url(settings.VAR_DIR) == settings.DATABASE_URL


def test_the_app_runs_as_its_own_role_and_migrations_as_the_owner():
    app_url = embedded.postgres_url(settings.VAR_DIR)
    owner_url = embedded.postgres_owner_url(settings.VAR_DIR)
    assert app_url.startswith("postgres://rcm_app@/")
    assert owner_url.startswith("postgres://postgres@/")
    assert owner_url == settings.DATABASE_OWNER_URL
