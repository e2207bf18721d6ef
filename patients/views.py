"""Patient pages: search. (The chart, which shows claims too, lives in the web shell.)"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from patients.selectors import patient_list
from rcm.practice.models import Role
from rcm.practice.permissions import AuthenticatedRequest, role_required

ALL_ROLES = tuple(Role.values)


@role_required(*ALL_ROLES)
def patient_search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    patients = patient_list(user=request.user, query=query)
    page = Paginator(patients, 50).get_page(request.GET.get("page"))
    return render(request, "patients/list.html", {"page_obj": page, "q": query})
