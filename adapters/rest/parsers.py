"""The API's one JSON parser: orjson, a size and a depth limit, and a 400 for anything it cannot
read.

Every request body of the API passes through `JSONParser` (``DEFAULT_PARSER_CLASSES``); nothing
else under ``/api/`` reads a body (the dashboard and the admin take forms, not JSON). What it
refuses becomes a 400 problem of type ``urn:f-brain:problem:malformed-request``, through DRF's
`ParseError` and the exception handler, so no input reaches a 500 or logs a traceback. A body
larger than Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB unless set; the API's bodies are a
few hundred bytes) is a 413 without being read whole: DRF reads the raw stream, which Django's own
limit never sees.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Mapping
from typing import IO, Any

import orjson
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError

#: The deepest nesting of objects and arrays a body may have; `{"a": [1]}` is 2 levels deep.
#: Every body of the API is a flat object (1 level), so 32 is ample room for any future nested
#: field, while it keeps everything that walks a body recursively afterwards (DRF's serializers,
#: the error flattening of `adapters.rest.problems`, the renderer) far below Python's recursion
#: limit of 1,000 frames, and keeps the work a hostile `[[[[…` can cause bounded. orjson itself
#: stops at 1,024 levels, before any Python object is built; this check then walks what it built.
MAX_JSON_DEPTH = 32


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class JSONParser(ORJSONParser):  # type: ignore[misc]  # the package ships no type hints
    """drf-orjson-renderer's parser (orjson refuses NaN, Infinity, numbers no float can hold,
    lone surrogates and nesting beyond 1,024), with a charset it can decode and `MAX_JSON_DEPTH`.

    It reads the body itself, as its parent does, so that its errors are in the language of the
    response (what orjson says of the body, after the colon, is orjson's English)."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        context = dict(parser_context or {})
        context["encoding"] = _text_encoding(context.get("encoding") or settings.DEFAULT_CHARSET)
        try:
            data = orjson.loads(_bounded(stream).read().decode(context["encoding"]))
        except ValueError as error:  # orjson's JSONDecodeError and UnicodeDecodeError alike
            raise ParseError(gettext("JSON parse error - {error}").format(error=error)) from None
        if _deeper_than(data, MAX_JSON_DEPTH):
            raise ParseError(
                gettext("JSON parse error - nested deeper than {maximum} levels.").format(
                    maximum=MAX_JSON_DEPTH
                )
            )
        return data


def _bounded(stream: IO[bytes]) -> IO[bytes]:
    """The body, read up to the limit and one byte more: more than that is a 413."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise BodyTooLarge(
            gettext("The request body is larger than {limit} bytes.").format(limit=limit)
        )
    return io.BytesIO(body)


def _text_encoding(name: str) -> str:
    """The `charset` of the request if Python can decode text in it; a 400 otherwise (the
    parent class would let `LookupError` of `charset=rot13` or an unknown name escape)."""
    try:
        codecs.lookup(name)
        "".encode(name)  # refuses bytes-to-bytes codecs (rot13, zlib) that lookup() knows
    except (LookupError, UnicodeError):
        raise ParseError(
            gettext("Unsupported charset {name!r} in the Content-Type header.").format(name=name)
        ) from None
    return name


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels in `value`; without recursion,
    since the point is to bound what recursion may follow."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
