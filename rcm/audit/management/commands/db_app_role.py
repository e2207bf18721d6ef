"""Create (or update) the database role web, worker and beat run as, and grant it its rights.

Run as the owner after `manage.py migrate` (settings connect this command as the owner):

    RCM_APP_DB_PASSWORD=... python manage.py db_app_role

Creating the role needs a superuser or CREATEROLE; granting needs only ownership of the tables,
so with the role already there (made by a database administrator) an owner can run it too.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction

from rcm.audit.roles import create_role_sql, grants_sql


class Command(BaseCommand):
    help = "Create the app's database role (no superuser, owns nothing) and grant it its rights."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default=settings.RCM_APP_DB_ROLE)
        parser.add_argument(
            "--password-env",
            default="RCM_APP_DB_PASSWORD",
            help="environment variable holding the role's password (unset: keep the password)",
        )
        parser.add_argument(
            "--grants-only", action="store_true", help="the role exists; only grant its rights"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        password = os.environ.get(options["password_env"]) or None
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (owner,) = cursor.fetchone()
        if owner == role:
            raise CommandError(
                f"connected as {role} itself: run this with the owner's DATABASE_OWNER_URL "
                "(or DATABASE_URL) so the app role is not the owner"
            )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if not options["grants_only"]:
                    cursor.execute(create_role_sql(role, password))
                cursor.execute(grants_sql(role))
        except (DatabaseError, ValueError) as error:
            raise CommandError(f"could not set up role {role}: {error}") from error
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"{role}: SELECT, INSERT, UPDATE, DELETE on the tables of {database}"
            f" (owned by {owner}); the audit trail read and append only"
        )
