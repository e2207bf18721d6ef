"""The API: token sign-in, read endpoints, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from claims.api import ClaimDetailApi, ClaimListApi
from patients.urls import api_urlpatterns as patients_api_urlpatterns

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("claims/", ClaimListApi.as_view(), name="api-claim-list"),
    path("claims/<int:pk>/", ClaimDetailApi.as_view(), name="api-claim-detail"),
    path("", include(patients_api_urlpatterns)),
    path("", include("coding.api_search")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
