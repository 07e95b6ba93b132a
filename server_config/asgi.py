"""ASGI entry point (gunicorn's uvicorn workers: ``gunicorn server_config.asgi``; daphne's
``runserver``, through ``ASGI_APPLICATION``).

`ProjectASGIHandler` is Django's handler, but for the live event stream. Django runs each
request's sync moments (the ``request_started`` receivers, a sync view such as every DRF view)
in a thread of that request's own, kept until its response is complete: for a stream that lasts
half an hour, an idle thread, and the database connection it opened, per open stream. A request
for the stream is handled without that per-request context, so its sync moments run on the one
thread asgiref keeps for code that has no context (and its one database connection), briefly,
before the body streams from the event loop (``adapters/rest/event_stream.py``). Streams opening
at once take turns there; every other request is handled as Django handles it.
"""

from typing import Any

from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler
from django.urls import get_resolver, reverse

from server_config.startup import load_settings_or_exit


class ProjectASGIHandler(ASGIHandler):
    def __init__(self, shared_thread_paths: frozenset[str]) -> None:
        super().__init__()
        self.shared_thread_paths = shared_thread_paths

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("path") in self.shared_thread_paths:
            await self.handle(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


load_settings_or_exit()
get_asgi_application()  # django.setup(), as Django's own entry point does it
# A server process serves requests: load the URLs (and so import and wire the controllers) now,
# at boot, rather than on the first request, which would otherwise pay for it.
get_resolver().url_patterns  # noqa: B018
application = ProjectASGIHandler(frozenset({reverse("api:event-stream")}))
