"""Code search API: GET /api/codes/search/?q=&system=icd10|cpt|hcpcs&limit=&date=."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.search.engine import MAX_LIMIT, SYSTEM_NAMES, code_search, system_from_name


class CodeSearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=200, trim_whitespace=True)
    system = serializers.ChoiceField(choices=sorted(SYSTEM_NAMES), default="icd10")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=10)
    date = serializers.DateField(required=False)


class CodeSearchOutput(serializers.Serializer):
    code = serializers.CharField()
    description = serializers.CharField()
    billable = serializers.BooleanField(help_text="False for headers: shown, not selectable.")


class CodeSearchApi(APIView):
    """Codes best matching a code, a code's start, or words (abbreviations and typos welcome)."""

    # Code sets hold no patient data: any signed-in user, whatever their role, may search.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="E11.9, e119, HTN, afib …"),
            OpenApiParameter("system", str, enum=sorted(SYSTEM_NAMES), default="icd10"),
            OpenApiParameter("limit", int, default=10),
            OpenApiParameter("date", str, description="YYYY-MM-DD: the release in force then."),
        ],
        responses=CodeSearchOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        given = CodeSearchInput(data=request.query_params)
        given.is_valid(raise_exception=True)
        found = code_search(
            query=given.validated_data["q"],
            system=system_from_name(name=given.validated_data["system"]),
            limit=given.validated_data["limit"],
            on=given.validated_data.get("date"),
        )
        return Response(CodeSearchOutput(found, many=True).data)
