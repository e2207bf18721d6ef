"""Seeds and inspects a test stack (tests/ops/stack.py) from a process of its own; prints JSON.

    python tests/ops/driver.py seed --practices P --claims N  # each: a biller, N ready claims
    python tests/ops/driver.py poll-inbox          # the inbox poll, run here (beside a worker's)

Runs with the stack's environment (its own database and Redis, as the app role).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
faulthandler.dump_traceback_later(50, exit=True)  # a hang shows where it hung
django.setup()

PASSWORD = "fault-test-Pass-2026"  # a throwaway user in a throwaway database


def seed(practices: int, claims: int) -> list[dict[str, object]]:
    return [_practice(claims) for _ in range(practices)]


def _practice(claims: int) -> dict[str, object]:
    from rcm.practice.models import Role
    from tests.factories import MembershipFactory, PatientFactory, PracticeFactory, UserFactory
    from tests.ops.claims import ready_claim

    practice = PracticeFactory(name="Fault Family Medicine")
    user = UserFactory(username=f"biller{practice.pk}")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    MembershipFactory(user=user, practice=practice, role=Role.BILLER)
    patient = PatientFactory(practice=practice, last_name="Faultline")
    made = [ready_claim(practice).pk for _ in range(claims)]
    return {
        "practice": practice.pk,
        "claims": made,
        "username": user.username,
        "password": PASSWORD,
        "patient": patient.pk,
    }


def poll_inbox() -> dict[str, object]:
    from denials.tasks import poll_inbox_task

    return dict(poll_inbox_task())


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed")
    seeding.add_argument("--practices", type=int, default=1)
    seeding.add_argument("--claims", type=int, required=True)
    commands.add_parser("poll-inbox")
    args = parser.parse_args()
    answer: object = seed(args.practices, args.claims) if args.command == "seed" else poll_inbox()
    print(json.dumps(answer, default=str))  # noqa: T201


if __name__ == "__main__":
    main()
