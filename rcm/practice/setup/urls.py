"""Practice setup pages, under /administration/setup/."""

from django.urls import path

from rcm.practice.setup import views

BASE = "administration/setup/<int:practice_id>"

urlpatterns = [
    path("administration/setup/", views.setup_index, name="practice-setup"),
    path(f"{BASE}/users/", views.setup_members, name="practice-setup-members"),
    path(
        f"{BASE}/users/<int:user_id>/roles/",
        views.setup_member_role,
        name="practice-setup-member-role",
    ),
    path(
        f"{BASE}/users/<int:user_id>/deactivate/",
        views.setup_member_deactivate,
        name="practice-setup-member-deactivate",
    ),
    path(f"{BASE}/providers/", views.setup_providers, name="practice-setup-providers"),
    path(
        f"{BASE}/providers/<int:provider_id>/",
        views.setup_provider_edit,
        name="practice-setup-provider-edit",
    ),
    path(f"{BASE}/payers/", views.setup_payers, name="practice-setup-payers"),
    path(f"{BASE}/payer-rules/", views.setup_payer_rules, name="practice-setup-payer-rules"),
    path(
        f"{BASE}/payer-rules/<int:rule_id>/",
        views.setup_payer_rule_edit,
        name="practice-setup-payer-rule-edit",
    ),
    path(
        f"{BASE}/payer-rules/<int:rule_id>/deactivate/",
        views.setup_payer_rule_deactivate,
        name="practice-setup-payer-rule-deactivate",
    ),
    path(f"{BASE}/fees/", views.setup_fees, name="practice-setup-fees"),
    path(
        f"{BASE}/fees/<int:schedule_id>/export.csv",
        views.setup_fee_export,
        name="practice-setup-fee-export",
    ),
    path(f"{BASE}/clearinghouse/", views.setup_clearinghouse, name="practice-setup-clearinghouse"),
]
