"""Django admin for the operator: practices, members, providers, payers, fees.

The Django admin is the operator's tool (staff only); practice administrators do their setup in
the app, fenced to their practices (`rcm/practice/setup/`). API tokens (`rcm.web.models`) are
stored hashed and never registered here.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from rcm.practice.models import (
    ClearinghouseConnection,
    FeeSchedule,
    FeeScheduleEntry,
    Membership,
    Payer,
    Practice,
    Provider,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["practice"]


@admin.register(User)
class RcmUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "npi", "tin", "city", "state", "is_active"]
    list_filter = ["is_active", "state"]
    search_fields = ["name", "npi"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "practice", "role", "created_at"]
    list_filter = ["role", "practice"]
    search_fields = ["user__username", "practice__name"]
    autocomplete_fields = ["user", "practice"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "credential", "npi", "practice", "is_active"]
    list_filter = ["practice", "is_active"]
    search_fields = ["last_name", "first_name", "npi"]


@admin.register(Payer)
class PayerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "payer_id",
        "claim_filing_indicator",
        "timely_filing_days",
        "turnaround_days",
        "appeal_days",
        "submission_method",
        "is_active",
    ]
    list_filter = ["claim_filing_indicator", "submission_method", "is_active"]
    search_fields = ["name", "payer_id"]


class FeeScheduleEntryInline(admin.TabularInline):
    model = FeeScheduleEntry
    extra = 0


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "practice", "payer", "effective_from"]
    list_filter = ["practice"]
    inlines = [FeeScheduleEntryInline]


@admin.register(ClearinghouseConnection)
class ClearinghouseConnectionAdmin(admin.ModelAdmin):
    list_display = ["practice", "payer", "transport", "submitter_id", "receiver_id", "is_active"]
    list_filter = ["transport", "is_active", "practice"]
