"""Navigation by role, for the base template."""

from __future__ import annotations

from django.http import HttpRequest

from rcm.practice.selectors import membership_summary

# (role, label, url name) for the role home pages, in menu order.
ROLE_HOMES = (
    ("front_desk", "Front desk", "home-front-desk"),
    ("coder", "Coding", "home-coder"),
    ("biller", "Billing", "home-biller"),
    ("administrator", "Administration", "home-administrator"),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": []}
    held, practices = membership_summary(user=user)
    return {
        "nav_roles": [entry for entry in ROLE_HOMES if entry[0] in held],
        "nav_practices": practices if len(practices) > 1 else [],
        "nav_scope": getattr(user, "practice_scope", None),
    }
