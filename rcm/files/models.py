"""Every file sent or received, kept through Django's storage with its SHA-256 checksum."""

from __future__ import annotations

from django.db import models


class FileKind(models.TextChoices):
    CLAIM_837P = "837P", "837P claims"
    ACK_999 = "999", "999 acknowledgment"
    CLAIM_ACK_277CA = "277CA", "277CA claim acknowledgment"
    REMITTANCE_835 = "835", "835 remittance"
    ELIGIBILITY_270 = "270", "270 eligibility request"
    ELIGIBILITY_271 = "271", "271 eligibility response"
    STATUS_276 = "276", "276 claim status request"
    STATUS_277 = "277", "277 claim status response"
    UNKNOWN = "unknown", "Unrecognised file"
    REPORT = "report", "Report"
    CARD = "card", "Insurance card"


class Direction(models.TextChoices):
    OUTBOUND = "out", "Sent"
    INBOUND = "in", "Received"


class FileStatus(models.TextChoices):
    STORED = "stored", "Stored"
    PROCESSED = "processed", "Processed"
    QUARANTINED = "quarantined", "Quarantined"
    DISMISSED = "dismissed", "Dismissed from quarantine"


class StoredFile(models.Model):
    """A file as it crossed the boundary, never altered; what it produced links back to it."""

    kind = models.CharField(max_length=10, choices=FileKind.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    name = models.CharField(max_length=200, help_text="The name it had on the wire.")
    content = models.FileField(upload_to="exchange/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    practice = models.ForeignKey(
        "practice.Practice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transport = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=12, choices=FileStatus.choices, default=FileStatus.STORED)
    error = models.TextField(blank=True, help_text="Why it was quarantined, with segment and line.")
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A received file is stored once, however often the clearinghouse offers it.
            models.UniqueConstraint(
                fields=["direction", "sha256"],
                condition=models.Q(direction="in"),
                name="stored_file_inbound_once",
            )
        ]
        indexes = [
            # Serves the quarantine page.
            models.Index(
                fields=["status", "created_at"],
                name="stored_file_quarantine_idx",
                condition=models.Q(status="quarantined"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.kind} {self.name}"
