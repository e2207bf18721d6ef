"""Exchanged files in the admin: searchable, never edited or deleted (they are the record)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from rcm.files.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["created_at", "direction", "kind", "name", "status", "practice", "size"]
    list_filter = ["direction", "kind", "status", "transport"]
    search_fields = ["name", "sha256"]
    readonly_fields = [f.name for f in StoredFile._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
