"""rcm.web.api: a service's ValidationError answers 400 in one shape, whichever endpoint."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from rcm.web.api import api_exception_handler


def test_field_errors_name_their_fields_with_api_names():
    error = ValidationError({"payer": ["Choose an active payer."], "member_id": ["Required."]})

    response = api_exception_handler(error, {})

    assert response.status_code == 400
    assert response.data == {"payer_id": ["Choose an active payer."], "member_id": ["Required."]}


def test_a_refusal_of_the_whole_request_is_a_non_field_error():
    response = api_exception_handler(ValidationError("A chart cannot be merged into itself."), {})

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["A chart cannot be merged into itself."]}


def test_other_exceptions_keep_drfs_own_answers():
    response = api_exception_handler(PermissionDenied("Not yours."), {})

    assert response.status_code == 403
    assert response.data == {"detail": "Not yours."}
