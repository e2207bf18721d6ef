"""Shared fixtures: two practices and a member of each role, on a real PostgreSQL."""

from __future__ import annotations

import time
import uuid

import pytest
from django.conf import settings
from django.test import override_settings

from rcm.practice.models import Role
from tests.factories import MembershipFactory, PracticeFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _test_cache_keys():
    """Tests share the developer's Redis: give their cache keys a prefix of their own."""
    cache = {**settings.CACHES["default"], "KEY_PREFIX": "rcm-test"}
    with override_settings(CACHES={"default": cache}, **PLAIN_HTTP_TEST_SETTINGS):
        yield


# The test client and the browser tests speak plain HTTP to the test server, and most tests sign
# administrators in with force_login: tests/web/test_security_settings.py and
# tests/web/test_two_factor.py switch these back on where they are the subject.
PLAIN_HTTP_TEST_SETTINGS = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SECURE_HSTS_SECONDS": 0,
    "RCM_ADMIN_2FA": False,
}


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Every test keeps its stored files and the sandbox payer's state in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RCM_SANDBOX_DIR = tmp_path / "sandbox"


@pytest.fixture
def practice_a(db):
    return PracticeFactory(name="Alpha Family Medicine")


@pytest.fixture
def practice_b(db):
    return PracticeFactory(name="Bravo Pediatrics")


def _member(practice, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, practice=practice, role=role)
    return user


@pytest.fixture
def front_desk(practice_a):
    return _member(practice_a, Role.FRONT_DESK, "frontdesk_a")


@pytest.fixture
def coder(practice_a):
    return _member(practice_a, Role.CODER, "coder_a")


@pytest.fixture
def biller(practice_a):
    return _member(practice_a, Role.BILLER, "biller_a")


@pytest.fixture
def administrator(practice_a):
    return _member(practice_a, Role.ADMINISTRATOR, "admin_a")


@pytest.fixture
def biller_b(practice_b):
    return _member(practice_b, Role.BILLER, "biller_b")


class RunningWorker:
    """A real Celery worker thread on the real Redis broker, consuming a queue of its own."""

    def __init__(self, queue: str) -> None:
        self.queue = queue

    def wait_for(self, condition, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("the worker did not get there in time")
            time.sleep(0.05)


@pytest.fixture
def celery_worker_on_queue():
    """Route every task to a fresh queue and run a worker on it, so that a developer's own
    running worker (make run) can never take the test's tasks."""
    from celery.contrib.testing.worker import start_worker

    from rcm.celery import app

    queue = f"test-{uuid.uuid4().hex}"
    saved_routes = app.conf.task_routes
    app.conf.task_routes = {"*": {"queue": queue}}
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False):
            yield RunningWorker(queue)
    finally:
        app.conf.task_routes = saved_routes
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)


def pytest_make_parametrize_id(config, val, argname):
    """Plain test ids: a line break or BOM in a parameter is written <a>, <feff>. mutmut hands
    the ids of the tests it runs back to pytest, and an id with escaped characters is not found."""
    if isinstance(val, bytes):
        val = val.decode("latin-1")
    if isinstance(val, str) and not (val.isascii() and val.isprintable()):
        return "".join(c if c.isascii() and c.isprintable() else f"<{ord(c):x}>" for c in val)
    return None
