"""The append-only audit trail: who created, changed, deleted or viewed patient data."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    INSERT = "insert", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"


class AuditEvent(models.Model):
    """One row per write (by a database trigger) or chart view (by `audit_record_view`).

    The database refuses UPDATE and DELETE on this table (see migration 0002). Actor and practice
    are plain ids without foreign-key constraints so that no cascade can ever reach this table.
    """

    at = models.DateTimeField(db_default=models.Func(function="clock_timestamp"), db_index=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    table_name = models.CharField(max_length=63)
    object_pk = models.CharField(max_length=40, blank=True)
    practice = models.ForeignKey(
        "practice.Practice",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    client_ip = models.GenericIPAddressField(null=True)
    via = models.CharField(max_length=60, blank=True, help_text="web, api, task:…, command:…")
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # Serves "history of this record" on chart and claim pages.
            models.Index(fields=["table_name", "object_pk"], name="audit_object_idx"),
            # Serves "what did this user touch" for privacy officers.
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.table_name}#{self.object_pk}"
