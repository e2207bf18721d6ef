"""`manage.py demo_logins --url URL`: where the app runs and how to sign in to the demo."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from demo.loader import logins_table


class Command(BaseCommand):
    help = "Print the web address and the demo logins (used by `make run`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="The app's address.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"RCM is starting at {options['url']}"))
        self.stdout.write(logins_table())
        self.stdout.write("")
