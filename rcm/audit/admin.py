"""The audit trail in the admin: readable and searchable, never editable."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from rcm.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "table_name", "object_pk", "actor", "client_ip", "via"]
    list_filter = ["action", "table_name", "via"]
    search_fields = ["object_pk", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
