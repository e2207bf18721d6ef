"""The shell's part of the API: one translation of a service's refusal into an API answer.

Services raise Django's `ValidationError` (a form shows it beside the field); through the API it
becomes a 400 whose body names each field, or `non_field_errors` for a refusal of the whole
request. Everything else keeps DRF's own handling (404, 403, its own validation errors).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

# A model field whose API name differs (the API takes `payer_id`, the model has `payer`).
API_FIELD_NAMES = {"payer": "payer_id"}


def validation_error_body(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            API_FIELD_NAMES.get(name, name): messages
            for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
