"""ASGI entry point (gunicorn's uvicorn workers: ``gunicorn server_config.asgi``; daphne's
``runserver``, through ``ASGI_APPLICATION``).

`ProjectASGIHandler` is Django's handler, serving two kinds of request differently
(``docs/decisions/0025-ordinary-requests-in-one-thread-hop.md``):

- **Ordinary requests** (every one but the live event stream) are served as a WSGI server
  serves them: the whole request, middleware and view, in one thread of a fixed pool
  (``WEB_REQUEST_THREADS`` per process), through the sync middleware chain. Django's own async path
  ran each sync middleware's halves and the view in turn through ``sync_to_async`` (17 thread
  hops for a read, each copying the request's context), in a thread made for the request and
  dropped after it: a new thread, and a new database connection, for every request. Here a
  request costs one hop there and one back, and each pool thread keeps its database
  connection for ``CONN_MAX_AGE`` as under WSGI. The body is read and the response sent from
  the event loop; the thread waits while the response goes out, then closes it (Django's
  ``request_finished``: connections checked on the thread that used them).
- **The live event stream** is handled without the per-request thread of Django's handler: its
  sync moments (the ``request_started`` receivers, its sync view) run on the one thread asgiref
  keeps for code that has no context (and its one database connection), briefly, before the
  body streams from the event loop (``adapters/rest/event_stream.py``): an open stream holds no
  thread. Streams opening at once take turns there.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from django.conf import settings
from django.core import signals
from django.core.asgi import get_asgi_application
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpResponseBase
from django.urls import get_resolver, reverse, set_script_prefix

from server_config.error_reporting import reporting_asgi_application
from server_config.startup import load_settings_or_exit


class ProjectASGIHandler(ASGIHandler):
    def __init__(self, shared_thread_paths: frozenset[str], *, threads: int) -> None:
        super().__init__()
        self.shared_thread_paths = shared_thread_paths
        self.sync_handler = BaseHandler()
        self.sync_handler.load_middleware(is_async=False)
        self.threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="request")

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)  # Django's error for other protocols
        elif scope.get("path") in self.shared_thread_paths:
            await self.handle(scope, receive, send)
        else:
            await self.handle_in_thread(scope, receive, send)

    async def handle_in_thread(self, scope: Any, receive: Any, send: Any) -> None:
        """One request, its Django code on one thread of the pool (see the module's doc)."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[HttpResponseBase] = loop.create_future()
        sent = threading.Event()

        def serve() -> None:
            try:
                response = self._respond(scope, body_file)
            except BaseException as error:  # handed to the event loop, raised there
                loop.call_soon_threadsafe(_settle, ready, None, error)
                body_file.close()
                return
            loop.call_soon_threadsafe(_settle, ready, response, None)
            sent.wait()
            try:
                response.close()  # request_finished, on this thread
            finally:
                body_file.close()

        served = loop.run_in_executor(self.threads, contextvars.copy_context().run, serve)
        try:
            response = await ready
            await self.send_response(response, send)
        finally:
            sent.set()
            await served

    def _respond(self, scope: Any, body_file: Any) -> HttpResponseBase:
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:  # a malformed request: Django's error response says why
            return cast(HttpResponseBase, error_response)
        response = self.sync_handler.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]  # as Django's
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size  # the server chunks the body, as Django's
        return response


def _settle(
    future: asyncio.Future[HttpResponseBase],
    response: HttpResponseBase | None,
    error: BaseException | None,
) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(response)  # type: ignore[arg-type]


load_settings_or_exit()
get_asgi_application()  # django.setup(), as Django's own entry point does it
# A server process serves requests: load the URLs (and so import and wire the controllers) now,
# at boot, rather than on the first request, which would otherwise pay for it.
get_resolver().url_patterns  # noqa: B018
# Inside sentry-sdk's ASGI middleware when SENTRY_DSN is set (server_config/error_reporting.py).
application = reporting_asgi_application(
    ProjectASGIHandler(
        frozenset({reverse("api:event-stream")}), threads=settings.WEB_REQUEST_THREADS
    )
)
