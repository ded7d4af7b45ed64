"""Errors as RFC 9457 problem details, each with a stable `code` clients can switch on.

    {"type": "tag:guishu,2026:problem/not_found", "title": "Not found.", "status": 404,
     "code": "not_found", "detail": "…", "instance": "/api/v1/customers/7/"}

Validation errors add `errors`: field -> list of messages. Refusals by the ownership rules add
`rule` and the decision's `trace`, the same words the pages show.
"""

from http import HTTPStatus
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE = "tag:guishu,2026:problem/"


class Problem(exceptions.APIException):
    """An error of ours with its own code and, optionally, more members for the body."""

    def __init__(
        self, *, status_code: int, code: str, title: Any, detail: Any = None, **extra: Any
    ) -> None:
        super().__init__(detail=detail or title, code=code)
        self.status_code = status_code
        self.code = code
        self.title = title
        self.extra = extra


# DRF's own exceptions, by their default code, with titles we translate.
TITLES = {
    "parse_error": _("Malformed request."),
    "authentication_failed": _("Authentication failed."),
    "not_authenticated": _("Authentication required."),
    "permission_denied": _("Permission denied."),
    "not_found": _("Not found."),
    "method_not_allowed": _("Method not allowed."),
    "not_acceptable": _("Not acceptable."),
    "unsupported_media_type": _("Unsupported media type."),
    "throttled": _("Too many requests."),
    "invalid": _("Invalid input."),
}


def problem(
    status_code: int, code: str, title: Any, detail: Any, instance: str, **extra: Any
) -> Response:
    body = {
        "type": PROBLEM_TYPE + code,
        "title": str(title),
        "status": status_code,
        "code": code,
        "detail": str(detail),
        "instance": instance,
        **extra,
    }
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def bad_parameter(name: str, message: Any) -> Problem:
    """A query parameter we cannot apply: refused, rather than ignored into a wider list."""
    return Problem(
        status_code=status.HTTP_400_BAD_REQUEST,
        code="invalid_parameter",
        title=_("Invalid query parameter."),
        detail=f"{name}: {message}",
        parameter=name,
    )


def _messages(detail: Any) -> Any:
    """ValidationError details as plain strings, keeping their shape (dicts and lists)."""
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_messages(value) for value in detail]
    return str(detail)


def problem_response(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error the API raises leaves as a problem."""
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        # The services validate their input (CustomerInput.clean and friends) before writing.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Problem):
        return problem(exc.status_code, exc.code, exc.title, exc.detail, instance, **exc.extra)
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "invalid",
            TITLES["invalid"],
            _("Check the fields named in `errors`."),
            instance,
            errors=errors,
        )
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # an unexpected error: Django's 500 handling and logging apply
    code = exc.default_code if isinstance(exc.default_code, str) else "error"
    if isinstance(exc, exceptions.NotAuthenticated):
        code = "not_authenticated"
    title = TITLES.get(code, exc.default_detail)
    detail = exc.detail if isinstance(exc.detail, str) else title
    result = problem(response.status_code, code, title, detail, instance)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


# --- in the schema --------------------------------------------------------------------------

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem. Switch on `code`; some problems add more members.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "Invalid input: each field with its messages.",
        },
        "parameter": {"type": "string", "description": "The query parameter refused."},
        "trace": {
            "type": "array",
            "items": {"type": "string"},
            "description": "A refusal by the ownership rules, in plain words.",
        },
        "retry_at": {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": "When the refused request would be allowed, if ever.",
        },
    },
    "required": ["type", "title", "status", "code", "detail", "instance"],
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """The problems an operation can answer, read off what it takes.

    Every operation needs a signed-in user (401), checks permissions (403; under session
    authentication also the CSRF token) and is throttled (429). Input can be invalid (400), a
    body can come in a media type we do not parse (415), an object named in the path or a page
    past the end does not exist (404), a write can conflict with the ownership rules or
    another customer's details (409), and an Idempotency-Key can be reused for a different
    request (422).
    """
    parameters = operation.get("parameters", [])
    names = {parameter["name"] for parameter in parameters}
    statuses = {401, 403, 429}
    if "requestBody" in operation:
        statuses |= {400, 415}
    if any(parameter["in"] in ("query", "header") for parameter in parameters):
        statuses.add(400)
    if "{" in path or "page" in names:
        statuses.add(404)
    if method != "get":
        statuses.add(409)
    if "Idempotency-Key" in names:
        statuses.add(422)
    return statuses


def document_problems(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: declares the problem responses of every
    operation, so clients (and the schema checks in tests/api/test_schemathesis.py) know
    each error status and its body. An operation's own declaration of a status wins."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status_code in sorted(problem_statuses(path, method, operation)):
                responses.setdefault(
                    str(status_code),
                    {
                        "description": HTTPStatus(status_code).phrase,
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}},
                    },
                )
    return result
