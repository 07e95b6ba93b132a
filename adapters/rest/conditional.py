"""Conditional GETs: an `ETag` on weather responses, and 304 when `If-None-Match` matches it.

The tag is a digest of the JSON body and of the language of the response, so it changes exactly
when what the client would read changes (new data, other units, another `hours`, another
language), with no bookkeeping anywhere else. The body alone would not do: a body without any
`condition_label` reads the same in English and French, yet the answer varies on
`Accept-Language` (the problem it could be, the `Content-Language` it says), and a cache must
not hand one language's answer to a client of the other.

How long a cache may keep the answer before it asks again (with `If-None-Match`, which costs the
server no body) is the caller's `Freshness` (`adapters/rest/cache_control.py`); a 304 says the
same `Cache-Control` as the 200 it stands for.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from django.utils import translation
from django.utils.http import parse_etags
from rest_framework.request import Request
from rest_framework.response import Response

from adapters.rest.cache_control import Freshness, public_read


def entity_tag(data: Any, language: str) -> str:
    body = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z)
    digest = hashlib.blake2b(language.encode() + b"\n" + body, digest_size=16)
    return '"' + digest.hexdigest() + '"'


def client_has(request: Request, etag: str) -> bool:
    """The request's `If-None-Match` names `etag`, by the weak comparison RFC 9110 §13.1.2
    prescribes for it (or is `*`)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.removeprefix("W/") == etag for tag in parse_etags(header))


def conditional_response(request: Request, data: Any, freshness: Freshness) -> Response:
    """`data` with its tag, or a 304 when the client has it already, in this language; both a
    public read of `freshness`. Both say `Content-Language` and `Vary: Accept-Language`
    (`LocaleMiddleware` adds them)."""
    etag = entity_tag(data, translation.get_language() or "")
    if client_has(request, etag):
        response = Response(status=304, headers={"ETag": etag})
    else:
        response = Response(data, headers={"ETag": etag})
    return public_read(request, response, freshness)
