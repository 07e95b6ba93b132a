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

``title`` and ``detail`` are in the language of the response (``LocaleMiddleware`` has chosen it
from ``Accept-Language``; CONTRACT.md §3, "Languages"), ``type`` and the field names of
``errors`` never are. A domain error is translated here, by its template (`DomainError.render`
with gettext): the core writes English and knows no catalogue. DRF's and Django's own messages
come translated from their catalogues.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
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
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Content-Language")

#: The title of a problem whose type is `about:blank`: the status's reason phrase (RFC 9110, as
#: `HTTPStatus` spells it), in the language of the response. Any other status keeps its English
#: phrase.
STATUS_TITLES: dict[int, Promise] = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    406: _("Not Acceptable"),
    409: _("Conflict"),
    413: _("Request Entity Too Large"),
    415: _("Unsupported Media Type"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
    502: _("Bad Gateway"),
    503: _("Service Unavailable"),
}

#: What a 503 tells a client to wait before trying again: outages here last seconds to minutes.
OUTAGE_RETRY_AFTER_SECONDS = 10
OUTAGES = (ProviderUnavailable, StorageUnavailable, QueueUnavailable)

Errors = dict[str, list[str]]
NON_FIELD = "non_field_errors"


def problem(
    status: int,
    detail: str | Promise,
    *,
    type_: str = ABOUT_BLANK,
    title: str | Promise | None = None,
    errors: Errors | None = None,
) -> dict[str, Any]:
    """The problem document; lazy texts are written out in the active language here."""
    if title is None:
        title = STATUS_TITLES.get(status) or HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": type_,
        "title": str(title),
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        dict(body), status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


# --- DRF's exception handler ---------------------------------------------------------------------


def localized(error: DomainError) -> str:
    """The message of `error` in the language of the response."""
    return error.render(gettext)


def localized_errors(error: InvalidInput) -> Errors:
    """The `errors` member of `error` in the language of the response."""
    return error.errors_in(gettext)


SERVER_ERROR = _("The server could not complete the request.")


def _domain_problem(error: DomainError) -> dict[str, Any]:
    detail = localized(error)
    if isinstance(error, InvalidInput):
        return problem(
            400,
            detail,
            type_=VALIDATION_ERROR,
            title=_("Invalid input"),
            errors=localized_errors(error),
        )
    if isinstance(error, NotFound):
        return problem(404, detail)
    if isinstance(error, Forbidden):
        return problem(403, detail)
    if isinstance(error, Conflict):
        return problem(409, detail, type_=CONFLICT, title=_("Conflict"))
    if isinstance(error, ProviderUnavailable):
        return problem(
            503, detail, type_=PROVIDER_UNAVAILABLE, title=_("Weather provider unavailable")
        )
    if isinstance(error, StorageUnavailable):
        return problem(503, detail, type_=STORAGE_UNAVAILABLE, title=_("Storage unavailable"))
    if isinstance(error, QueueUnavailable):
        return problem(503, detail, type_=QUEUE_UNAVAILABLE, title=_("Task queue unavailable"))
    # A new subclass nobody mapped yet: a server-side gap, not the client's fault.
    logger.error("unmapped domain error %s: %s", type(error).__name__, error.message)
    return problem(500, SERVER_ERROR)


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
            title=_("Invalid input"),
            errors=errors,
        )
    if isinstance(exc, exceptions.ParseError):
        return problem(400, str(exc.detail), type_=MALFORMED_REQUEST, title=_("Malformed request"))
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
        detail = gettext("Nothing is served at {path}.").format(path=request.path)
        return problem_json(problem(404, detail))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django has logged the exception already; the client learns nothing of it."""
    if is_api_request(request):
        return problem_json(problem(500, SERVER_ERROR))
    return defaults.server_error(request)


#: The detail of an error answer rewritten by the middleware. The ones spelt as `HTTPStatus`
#: describes them keep that English, now translatable; a status not listed keeps its English.
_GENERIC_DETAILS = {
    400: _("Bad request syntax or unsupported method"),
    403: _("Request forbidden -- authorization will not help"),
    404: _("Nothing is served at this path."),
    405: _("This method is not allowed here."),
    413: _("Entity is too large"),
    500: SERVER_ERROR,
    502: _("Invalid responses from another server/proxy"),
    503: _("The server cannot process the request due to a high load"),
}


class ProblemDetailsMiddleware:
    """Rewrites any error answer to an ``/api/`` request that is not problem+json yet.

    Placed right after CORS in ``MIDDLEWARE``: every layer inside it (sessions, CSRF, auth, the
    URL resolver, the views) has turned its exceptions into responses by the time they get here.
    ``LocaleMiddleware`` is inside it too: the language it chose for the request is still the
    active one here, and the rewritten problem keeps its ``Content-Language`` and ``Vary``.
    """

    # Sync and async alike, in whichever mode its neighbours in ``MIDDLEWARE`` leave Django: under
    # ASGI it costs no thread hop of its own, and it never reads a streaming answer's body (the
    # live event stream's), which it passes on untouched like any answer below 400.
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self._is_async:
            return self._acall(request)
        return self.as_problem(request, self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        return self.as_problem(request, await self.get_response(request))

    def as_problem(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """`response`, or the problem+json that says the same when it is an error of the API."""
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
        detail = (
            _GENERIC_DETAILS.get(status) or HTTPStatus(status).description or _("Request failed.")
        )
        rewritten = problem_json(problem(status, detail))
        for name in KEPT_HEADERS:
            if response.has_header(name):
                rewritten[name] = response[name]
        return rewritten
