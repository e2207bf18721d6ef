"""`manage.py codeset_impact`: after loading a new ICD-10-CM release, what now needs recoding."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from claims.codeset_impact import codeset_impact
from rcm.practice.models import Practice


class Command(BaseCommand):
    help = "List open encounters and unsent claims coded with codes the newest release dropped."

    def handle(self, *args: Any, **options: Any) -> None:
        # An operator's command: every active practice.
        practice_ids = list(Practice.objects.filter(is_active=True).values_list("id", flat=True))
        rows = codeset_impact(practice_ids=practice_ids)
        for row in rows:
            self.stdout.write(
                f"{row.kind:9} {row.label:30} {row.date_of_service:%Y-%m-%d} {row.code}"
            )
        self.stdout.write(f"{len(rows)} open item(s) use codes the newest release no longer has.")
