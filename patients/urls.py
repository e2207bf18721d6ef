"""The patients app's pages (full paths) and API routes (relative to "api/"), by area."""

from django.urls import include, path

from patients.chart import urls as chart_urls
from patients.coverage import urls as coverage_urls
from patients.home import urls as home_urls
from patients.registration import urls as registration_urls
from patients.visits import urls as visits_urls

urlpatterns = [
    path("", include(home_urls)),
    path("", include(registration_urls)),
    path("", include(chart_urls)),
    path("", include(coverage_urls)),
    path("", include(visits_urls)),
]

api_urlpatterns = [
    path("", include(registration_urls.api_urlpatterns)),
    path("", include(visits_urls.api_urlpatterns)),
    path("", include(coverage_urls.api_urlpatterns)),
]
