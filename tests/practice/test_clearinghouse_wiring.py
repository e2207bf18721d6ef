"""A practice's transport: its connection, else the sandbox with the roster the settings name."""

from __future__ import annotations

from patients.coverage.roster import DatabaseRoster
from rcm.clearinghouse.sandbox import SandboxTransport
from rcm.practice.clearinghouse import connection_for, sandbox_config, transport_for


def test_with_no_connection_the_practice_uses_the_sandbox(db, practice_a):
    assert connection_for(practice_id=practice_a.pk, payer_id=None) is None
    assert isinstance(transport_for(None), SandboxTransport)


def test_the_sandbox_roster_is_the_one_the_settings_name(settings):
    settings.RCM_SANDBOX_ROSTER = "patients.coverage.roster.DatabaseRoster"
    assert isinstance(sandbox_config()["roster"], DatabaseRoster)
