"""The front desk's home page: patient and upcoming-visit counts, search, the worklist's size."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from patients.registration.selectors import patient_list
from patients.visits.selectors import encounters_upcoming
from rcm.practice.permissions import FRONT_DESK, AuthenticatedRequest, role_required


@require_GET
@role_required(*FRONT_DESK)
def home_front_desk(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    upcoming = encounters_upcoming(user=user, today=timezone.localdate(), days=7)
    context = {
        "patient_count": patient_list(user=user).count(),
        "upcoming_count": upcoming.count(),
        "upcoming": upcoming[:15],
    }
    return render(request, "patients/home_front_desk.html", context)
