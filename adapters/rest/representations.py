"""`Representations`: the rendered answers of the hottest public reads (the location list, with
or without current weather, and current weather), kept by this process while the data they
show is unchanged, and for a second at most (`API_KEEP_ANSWERS_SECONDS`).

Under load the same few answers are asked for many times a second: the list's first page, a
popular location's current weather. Each was read, converted, written and rendered anew, and
on a page with `include=current` that was four fifths of the request (50 readings converted to
the caller's units, each written with its labels). Here the rendered bytes are kept under
everything they depend on:

- the stored data, as `DataVersions.stamp()` (`application/ports/data_versions.py`): a write of
  a location or a latest reading through any unit of work of this process (of any process,
  with a shared cache) changes it, so the next read renders afresh — a client that changed a
  location reads its change at once, as without this module;
- the URL as received (scheme and host make the list's links; path and query choose the page,
  the location, the units), the negotiated media type and the language of the response (the
  condition labels).

The second at most bounds what this adds to staleness where the stamp cannot see a write: one
made by another process when the cache is per process (whose own entries already lag by their
time-to-live, `WEATHER_CACHE_TTL_SECONDS`), or one made around the units of work (the admin).
Nothing is kept when the storage cannot stamp (`None`: a cache that keeps nothing).

What depends on the request is decided on each request: authentication, permissions and
throttles run before the controller (DRF's `initial`), and each answer gets its own
`Cache-Control` (private for a caller with credentials; a max-age counted from now) and its 304
when `If-None-Match` names its tag. Errors are never kept: a bad query string or an unknown
location raises from `render`, as it did before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import attrs
from django.http import HttpResponse
from django.utils import translation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.cache_control import Freshness, public_read
from adapters.rest.conditional import client_has, entity_tag
from application.ports.data_versions import DataVersions

#: How long an answer is kept at most (see the module's docstring); the setting's default.
KEEP_SECONDS = 1.0
#: The bytes of answers kept at most; the oldest goes first. A page of 50 locations with their
#: current weather is about 30 KB, a location's current weather half a kilobyte: room for the
#: hot ones, and a bound whatever queries a client makes up.
BUDGET_BYTES = 8 * 1024 * 1024


@attrs.frozen
class Rendering:
    """What a controller answers: its data (as its serializer wrote it), how long a cache may
    keep it (or how to work that out, asked on every answer: it may count from now), and
    whether it carries an `ETag` (and so answers `If-None-Match`)."""

    data: Any
    freshness: Freshness | Callable[[], Freshness]
    tagged: bool = False


@attrs.frozen
class _Rendered:
    body: bytes
    content_type: str
    etag: str | None
    freshness: Freshness | Callable[[], Freshness]

    def response(self, request: Request) -> HttpResponse:
        if self.etag is not None and client_has(request, self.etag):
            response = HttpResponse(status=304)
            del response["Content-Type"]  # as DRF's empty answers: no body, no type
        else:
            response = HttpResponse(self.body, content_type=self.content_type)
        if self.etag is not None:
            response["ETag"] = self.etag
        freshness = self.freshness
        return public_read(
            request, response, freshness if isinstance(freshness, Freshness) else freshness()
        )


class Representations:
    def __init__(
        self,
        versions: DataVersions,
        *,
        seconds: float = KEEP_SECONDS,
        budget_bytes: int = BUDGET_BYTES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._versions = versions
        self._seconds = seconds
        self._budget = budget_bytes
        self._monotonic = monotonic
        self._kept: dict[tuple[str, ...], tuple[float, _Rendered]] = {}
        self._kept_bytes = 0
        self._lock = threading.Lock()

    def answer(
        self, request: Request, view: APIView, render: Callable[[], Rendering]
    ) -> HttpResponse:
        """The answer `render` gives, rendered as `view`'s own renderer would; kept for the
        next same request while the data is unchanged."""
        # The stamp is read before the data: a write between the two changes it, so what was
        # rendered from older data is kept under a stamp no later read asks for.
        stamp = self._versions.stamp() if self._seconds > 0 else None
        language = translation.get_language() or ""
        key = None
        if stamp is not None:
            key = (stamp, request.accepted_media_type, language, request.build_absolute_uri())
            found = self._kept.get(key)
            if found is not None and found[0] > self._monotonic():
                return found[1].response(request)
        rendered = self._rendered(request, view, render(), language)
        if key is not None:
            self._keep(key, rendered)
        return rendered.response(request)

    def _keep(self, key: tuple[str, ...], rendered: _Rendered) -> None:
        size = len(rendered.body)
        if size > self._budget:
            return
        with self._lock:
            replaced = self._kept.pop(key, None)
            if replaced is not None:
                self._kept_bytes -= len(replaced[1].body)
            while self._kept and self._kept_bytes + size > self._budget:
                _, oldest = self._kept.pop(next(iter(self._kept)))
                self._kept_bytes -= len(oldest.body)
            self._kept[key] = (self._monotonic() + self._seconds, rendered)
            self._kept_bytes += size

    @staticmethod
    def _rendered(
        request: Request, view: APIView, rendering: Rendering, language: str
    ) -> _Rendered:
        # Rendered by DRF's own path (`APIView.finalize_response`, `Response.rendered_content`),
        # so the bytes and the content type are those it would have sent.
        response = Response(rendering.data)
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = view.get_renderer_context()  # type: ignore[attr-defined]
        body = response.rendered_content
        return _Rendered(
            body=body,
            content_type=response["Content-Type"],
            etag=entity_tag(rendering.data, language) if rendering.tagged else None,
            freshness=rendering.freshness,
        )
