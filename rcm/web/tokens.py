"""The API's sign-in, `/api/auth/token/`: locked by django-axes like the sign-in page (per
username and client address), throttled per address, and the way to sign a token out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from rcm.audit.middleware import client_ip_of
from rcm.web.authentication import AuditedTokenAuthentication, api_token_issue
from rcm.web.forms import LOCKED_MESSAGE, sign_in_locked
from rcm.web.two_factor import totp_code_ok, two_factor_enrolled, two_factor_required


class TokenThrottle(ScopedRateThrottle):
    """Per client address (as `client_ip_of` reads it), whoever is signed in."""

    def get_ident(self, request: Request) -> str:
        return client_ip_of(request._request) or "unknown"

    def get_rate(self) -> str | None:
        # Read the rates now, not at import, so that settings (and tests) can change them.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return str(rate) if rate else None


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=6, required=False, help_text="The authenticator code, once enrolled."
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenApi(APIView):
    """POST: a fresh token for a username and password. DELETE: sign this token out."""

    authentication_classes = [AuditedTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]
    throttle_scope = "api-token"

    def get_throttles(self) -> list[Any]:
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        request=TokenInput,
        responses={200: TokenOutput, 400: OpenApiResponse(description="Wrong credentials."),
                   429: OpenApiResponse(description="Locked or throttled; wait.")},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        given = TokenInput(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None:
            if sign_in_locked(request._request):
                return Response(
                    {"detail": LOCKED_MESSAGE}, status=status.HTTP_429_TOO_MANY_REQUESTS
                )
            return Response(
                {"non_field_errors": ["Unable to sign in with the username and password given."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if two_factor_enrolled(user=user):
            if not totp_code_ok(user=user, code=given.validated_data.get("otp", "")):
                return Response(
                    {"otp": ["Enter the code from your authenticator app."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        elif two_factor_required(user=user):
            return Response(
                {"detail": "Set up two-factor sign-in in the web app (Security) first."},
                status=status.HTTP_403_FORBIDDEN,
            )
        issued = api_token_issue(user=user)  # the key is answered once and stored only hashed
        return Response(TokenOutput({"token": issued.key, "expires_at": issued.expires_at}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if request.auth is None:
            raise AuthenticationFailed("Send the token to sign out in the Authorization header.")
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
