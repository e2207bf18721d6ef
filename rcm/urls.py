"""URL map: the web shell, each app's pages, the API and its schema, the admin."""

from django.contrib import admin
from django.urls import include, path

import coding.urls

urlpatterns = [
    path("", include("rcm.web.urls")),
    path("patients/", include("patients.urls")),
    path("", include("claims.urls")),
    path("", include("coding.urls")),
    path("", include("denials.urls")),
    path("", include("rcm.practice.urls")),
    path("api/", include("rcm.web.api_urls")),
    path("api/", include(coding.urls.api_urlpatterns)),
    path("admin/", admin.site.urls),
]
