"""URL map: the web shell, each app's pages, the API and its schema, the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("rcm.web.urls")),
    path("", include("patients.urls")),
    path("claims/", include("claims.urls")),
    path("coding/", include("coding.urls")),
    path("remittances/", include("denials.urls")),
    path("api/", include("rcm.web.api_urls")),
    path("admin/", admin.site.urls),
]
