"""Shared fixtures: two practices and a member of each role, on a real PostgreSQL."""

from __future__ import annotations

import pytest

from rcm.practice.models import Role
from tests.factories import MembershipFactory, PracticeFactory, UserFactory


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
