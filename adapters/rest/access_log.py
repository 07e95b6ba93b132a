"""One line per request, with its request id, whatever server runs the project.

Under WSGI, runserver's and gunicorn's access lines were the request's line. The ASGI servers'
are not: daphne's (``runserver`` in development) and uvicorn's (under gunicorn) are written by the
server outside the request's context, so they carry no request id, and daphne's are not even the
``django.server`` lines operators search. So this middleware writes the line, as Django's
``django.server`` logger (``"GET /path HTTP/1.1" 200 512``, the level by status as runserver
did), inside django-guid's middleware so the id is on it; the servers' own access logs are off
(``settings.LOGGING``, and no ``--access-logfile`` for gunicorn). A streaming answer (the event
stream) is logged when it starts, with its status: it may last for half an hour. A stream
ticket in the query string is logged as ``ticket=***``: logs outlive the minute it is valid, and
whoever reads them should not open a stream with one that is not yet used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.decorators import sync_and_async_middleware

logger = logging.getLogger("django.server")

#: Query parameters whose values are secrets (the event stream's `?ticket=`).
_SECRET_QUERY_VALUE = re.compile(r"(?<=[?&]ticket=)[^&]*")


def logged_path(request: HttpRequest) -> str:
    return _SECRET_QUERY_VALUE.sub("***", request.get_full_path())


def log_request(request: HttpRequest, response: HttpResponseBase) -> None:
    status = response.status_code
    size = "-" if response.streaming else str(len(getattr(response, "content", b"")))
    protocol = request.META.get("SERVER_PROTOCOL", "HTTP/1.1")
    level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
    logger.log(
        level,
        '"%s %s %s" %s %s',
        request.method,
        logged_path(request),
        protocol,
        status,
        size,
        extra={"status_code": status},
    )


@sync_and_async_middleware
def access_log_middleware(get_response: Callable[[HttpRequest], Any]) -> Callable[..., Any]:
    if iscoroutinefunction(get_response):

        async def log_async(request: HttpRequest) -> Any:
            response = await get_response(request)
            log_request(request, response)
            return response

        return log_async

    def log(request: HttpRequest) -> Any:
        response = get_response(request)
        log_request(request, response)
        return response

    return log
