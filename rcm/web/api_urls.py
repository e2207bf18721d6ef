"""The API: token sign-in, read endpoints, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from claims.api import ClaimDetailApi, ClaimListApi
from patients.api import EncounterDetailApi, EncounterListApi, PatientDetailApi, PatientListApi

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("patients/", PatientListApi.as_view(), name="api-patient-list"),
    path("patients/<int:pk>/", PatientDetailApi.as_view(), name="api-patient-detail"),
    path("encounters/", EncounterListApi.as_view(), name="api-encounter-list"),
    path("encounters/<int:pk>/", EncounterDetailApi.as_view(), name="api-encounter-detail"),
    path("claims/", ClaimListApi.as_view(), name="api-claim-list"),
    path("claims/<int:pk>/", ClaimDetailApi.as_view(), name="api-claim-detail"),
    path("", include("patients.api_registration")),
    path("", include("patients.api_coverage")),
    path("", include("patients.api_visits")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
