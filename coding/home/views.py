"""The coder's home page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coding.home.selectors import coder_home
from rcm.practice.permissions import CODING, AuthenticatedRequest, role_required


@require_GET
@role_required(*CODING)
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The coder's home: counts of visits waiting, in progress and coded, and the oldest ones."""
    summary = coder_home(user=request.user)
    context = {
        "waiting_count": summary.waiting_count,
        "in_progress_count": summary.in_progress_count,
        "coded_count": summary.coded_count,
        "oldest": summary.oldest,
    }
    return render(request, "coding/home.html", context)
