"""RFC 9457 problem details: the one shape of every error under ``/api/``.

Three doors lead here, and all of them produce the same JSON with
``Content-Type: application/problem+json``:

- `handle_exception`, DRF's ``EXCEPTION_HANDLER``: domain errors (by class, never by message) and
  DRF's own exceptions (validation, parse, auth, permission, 404, 405, 406, 415, 429) raised in a
  controller. It is the single place where a domain error becomes an HTTP status, and where an
  outage becomes 503 with ``Retry-After``, whichever layer met it: the core's
  `StorageUnavailable` and `QueueUnavailable`, and a database error raised before any use case
  runs (DRF's token and session authentication, the login, which query the database themselves).
- `page_not_found` and `server_error`, Django's ``handler404``/``handler500``: unknown paths and
  uncaught exceptions when ``DEBUG`` is off.
- `ProblemDetailsMiddleware`: whatever else still answers an ``/api/`` request with an error that
  is not problem+json (Django's debug 404 and 500 pages above all), so that no HTML and no
  traceback reach an API client even with ``DJANGO_DEBUG=true``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    ProviderUnavailable,
    QueueUnavailable,
    StorageUnavailable,
)

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"

#: Problem types that say more than the status code; anything else is ``about:blank``.
VALIDATION_ERROR = "urn:f-brain:problem:validation-error"
MALFORMED_REQUEST = "urn:f-brain:problem:malformed-request"
CONFLICT = "urn:f-brain:problem:conflict"
PROVIDER_UNAVAILABLE = "urn:f-brain:problem:provider-unavailable"
STORAGE_UNAVAILABLE = "urn:f-brain:problem:storage-unavailable"
QUEUE_UNAVAILABLE = "urn:f-brain:problem:queue-unavailable"
ABOUT_BLANK = "about:blank"

#: Headers of an error response that must survive its rewriting into a problem.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")

#: What a 503 tells a client to wait before trying again: outages here last seconds to minutes.
OUTAGE_RETRY_AFTER_SECONDS = 10
OUTAGES = (ProviderUnavailable, StorageUnavailable, QueueUnavailable)

Errors = dict[str, list[str]]
NON_FIELD = "non_field_errors"


def problem(
    status: int,
    detail: str,
    *,
    type_: str = ABOUT_BLANK,
    title: str | None = None,
    errors: Errors | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        dict(body), status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


# --- DRF's exception handler ---------------------------------------------------------------------


def _domain_problem(error: DomainError) -> dict[str, Any]:
    if isinstance(error, InvalidInput):
        return problem(
            400,
            error.message,
            type_=VALIDATION_ERROR,
            title="Invalid input",
            errors=error.errors,
        )
    if isinstance(error, NotFound):
        return problem(404, error.message)
    if isinstance(error, Forbidden):
        return problem(403, error.message)
    if isinstance(error, Conflict):
        return problem(409, error.message, type_=CONFLICT, title="Conflict")
    if isinstance(error, ProviderUnavailable):
        return problem(
            503, error.message, type_=PROVIDER_UNAVAILABLE, title="Weather provider unavailable"
        )
    if isinstance(error, StorageUnavailable):
        return problem(503, error.message, type_=STORAGE_UNAVAILABLE, title="Storage unavailable")
    if isinstance(error, QueueUnavailable):
        return problem(503, error.message, type_=QUEUE_UNAVAILABLE, title="Task queue unavailable")
    # A new subclass nobody mapped yet: a server-side gap, not the client's fault.
    logger.error("unmapped domain error %s: %s", type(error).__name__, error.message)
    return problem(500, "The server could not complete the request.")


def _flatten(detail: Any, prefix: str = "") -> Errors:
    """DRF's nested validation detail as the contract's flat ``{field: [messages]}``."""
    errors: Errors = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            errors.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        for index, item in enumerate(detail):
            errors.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        items = detail if isinstance(detail, list) else [detail]
        errors[prefix or NON_FIELD] = [str(item) for item in items]
    return errors


def _validation_detail(errors: Errors) -> str:
    """Every message on one line, each after the field it concerns."""
    parts = [
        " ".join(messages) if field == NON_FIELD else f"{field}: {' '.join(messages)}"
        for field, messages in errors.items()
    ]
    return " ".join(parts)


def _api_exception_problem(exc: exceptions.APIException) -> dict[str, Any]:
    status = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(
            400,
            _validation_detail(errors),
            type_=VALIDATION_ERROR,
            title="Invalid input",
            errors=errors,
        )
    if isinstance(exc, exceptions.ParseError):
        return problem(400, str(exc.detail), type_=MALFORMED_REQUEST, title="Malformed request")
    return problem(status, str(exc.detail))


def handle_exception(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every error a controller raises, as problem+json.

    Returns ``None`` for anything unexpected, so that Django logs it and answers through
    ``handler500`` (or the middleware, when debugging) with a problem that hides the traceback.
    """
    if isinstance(exc, OperationalError | InterfaceError):
        # Met outside the repositories (which translate it): authentication, the login.
        logger.warning("storage unavailable: %s", exc)
        exc = StorageUnavailable("The database cannot be reached right now.")
    if isinstance(exc, DomainError):
        if not isinstance(exc, OUTAGES):
            return problem_response(_domain_problem(exc))
        outage = problem_response(
            _domain_problem(exc), {"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)}
        )
        # Logged once where it was met (a warning naming the outage); Django would add an ERROR
        # line per request for the 503, for as long as the outage lasts.
        outage._has_been_logged = True  # type: ignore[attr-defined]
        return outage
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    # DRF's handler adds the headers the status needs (WWW-Authenticate, Retry-After) and rolls
    # back an atomic request; its body is replaced by the problem.
    response = drf_exception_handler(exc, dict(context))
    if response is None or not isinstance(exc, exceptions.APIException):
        return None
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return problem_response(_api_exception_problem(exc), headers)


# --- Django's handlers and the safety net --------------------------------------------------------


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_json(body: Mapping[str, Any]) -> JsonResponse:
    return JsonResponse(dict(body), status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: problem+json under ``/api/``, Django's page elsewhere."""
    if is_api_request(request):
        return problem_json(problem(404, f"Nothing is served at {request.path}."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django has logged the exception already; the client learns nothing of it."""
    if is_api_request(request):
        return problem_json(problem(500, "The server could not complete the request."))
    return defaults.server_error(request)


_GENERIC_DETAILS = {
    404: "Nothing is served at this path.",
    405: "This method is not allowed here.",
    500: "The server could not complete the request.",
}


class ProblemDetailsMiddleware:
    """Rewrites any error answer to an ``/api/`` request that is not problem+json yet.

    Placed right after CORS in ``MIDDLEWARE``: every layer inside it (sessions, CSRF, auth, the
    URL resolver, the views) has turned its exceptions into responses by the time they get here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api_request(request)
            or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            return response
        status = response.status_code
        try:
            HTTPStatus(status)
        except ValueError:
            status = 500
        detail = _GENERIC_DETAILS.get(status, HTTPStatus(status).description or "Request failed.")
        rewritten = problem_json(problem(status, detail))
        for name in KEPT_HEADERS:
            if response.has_header(name):
                rewritten[name] = response[name]
        return rewritten
