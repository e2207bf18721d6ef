"""The root URL map, and the one place that includes the apps' URLs.

Each app's `urls.py` carries its pages with their full paths (`urlpatterns`) and its API routes
(`api_urlpatterns`, under /api/). The web shell, the API's own routes (token, schema, docs) and
the operator's Django admin are the rest.
"""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

import claims.urls
import coding.urls
import denials.urls
import patients.urls
import rcm.practice.urls
from rcm.web.tokens import TokenApi

APPS = (patients.urls, coding.urls, claims.urls, denials.urls, rcm.practice.urls)

api_urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    *(route for app in APPS for route in getattr(app, "api_urlpatterns", [])),
    # The schema and its docs page are for signed-in users (session or token) only.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api-schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", permission_classes=[IsAuthenticated]
        ),
        name="api-docs",
    ),
]

urlpatterns = [
    path("", include("rcm.web.urls")),
    *(path("", include(app.urlpatterns)) for app in APPS),
    path("api/", include(api_urlpatterns)),
    path("admin/", admin.site.urls),
]
