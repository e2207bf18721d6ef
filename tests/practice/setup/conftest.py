import pytest

from rcm.practice.models import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def administrator_b(practice_b):
    user = UserFactory(username="admin_b")
    MembershipFactory(user=user, practice=practice_b, role=Role.ADMINISTRATOR)
    return user
