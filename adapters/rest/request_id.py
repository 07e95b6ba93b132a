"""Which `X-Request-ID` a caller may choose: 1 to 128 characters of `A-Z a-z 0-9 . _ : -`.

django-guid echoes the caller's id, puts it on every log line of the request and into the
headers of every task the request queues. Its own check (``VALIDATE_GUID``) accepts only UUIDs,
while callers send ids like ``req-4242``; without it, anything went through: 5,000 characters,
``<script>``, line breaks that forge log lines or response headers. It has no hook for another
rule, so this middleware, placed just before django-guid's in ``MIDDLEWARE``, removes a header
that breaks the rule: django-guid then makes up an id as if none had been sent, and the response
echoes that one. The rejected value is not logged (it is what must not reach the logs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest
from django.utils.decorators import sync_and_async_middleware
from django_guid.config import settings as guid_settings

#: A request id a caller may choose (whole value; ``fullmatch`` allows no trailing newline).
REASONABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def drop_unreasonable_request_id(request: HttpRequest) -> None:
    """Removes the request-id header from `request` unless its value is a reasonable id."""
    meta_key = "HTTP_" + guid_settings.guid_header_name.upper().replace("-", "_")
    value = request.META.get(meta_key)
    if value is not None and not REASONABLE_REQUEST_ID.fullmatch(value):
        del request.META[meta_key]
        request.__dict__.pop("headers", None)  # `request.headers` is cached from META


@sync_and_async_middleware
def request_id_middleware(get_response: Callable[[HttpRequest], Any]) -> Callable[..., Any]:
    """Checks the header before django-guid reads it, under WSGI and ASGI alike."""
    if iscoroutinefunction(get_response):

        async def check_async(request: HttpRequest) -> Any:
            drop_unreasonable_request_id(request)
            return await get_response(request)

        return check_async

    def check(request: HttpRequest) -> Any:
        drop_unreasonable_request_id(request)
        return get_response(request)

    return check
