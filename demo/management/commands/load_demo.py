"""`manage.py load_demo`: load the synthetic demo data set; running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoConflict, demo_load, logins_table


class Command(BaseCommand):
    help = (
        "Load two demo practices with synthetic patients, visits, claims in every status and "
        "remittances. Idempotent: a second run writes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = demo_load()
        except DemoConflict as error:
            raise CommandError(str(error)) from error
        if summary.created:
            self.stdout.write(self.style.SUCCESS(f"Demo loaded in {summary.seconds:.1f} s."))
        else:
            self.stdout.write(f"Demo already loaded; nothing changed ({summary.seconds:.2f} s).")
        self.stdout.write(", ".join(f"{n} {name}" for name, n in summary.counts.items()))
        statuses = sorted(summary.claim_statuses.items())
        self.stdout.write("Claims by status: " + ", ".join(f"{s} {n}" for s, n in statuses))
        if options["verbosity"] >= 1:
            self.stdout.write(logins_table())
        for username in summary.kept_passwords:
            self.stdout.write(
                self.style.WARNING(f"'{username}' existed before the demo: its password is kept.")
            )
