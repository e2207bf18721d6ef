"""API tokens, kept only as the SHA-256 of their key: the key itself is shown once, at sign-in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """One API client's sign-in. A database copy or a backup holds no usable credential: the key
    is a 256-bit random string, so its unsalted SHA-256 cannot be turned back into it."""

    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key, hex.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"API token of user {self.user_id}"  # never the digest, in case it is logged
