"""Code sets in the admin: look codes up; loading is done by `manage.py load_codesets`."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from coding.models import Code, CodeSetRelease


@admin.register(CodeSetRelease)
class CodeSetReleaseAdmin(admin.ModelAdmin):
    list_display = ["system", "version", "effective_date", "code_count", "loaded_at"]
    list_filter = ["system"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["code", "system", "short_description", "billable", "release"]
    list_filter = ["system", "billable"]
    search_fields = ["compact", "code", "description"]
    list_select_related = ["release"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
