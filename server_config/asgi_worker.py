"""The web server's worker: uvicorn under gunicorn (``gunicorn.conf.py`` names it), which ends the
live event streams when it shuts down.

uvicorn's graceful shutdown stops accepting connections, then waits for every open response to
finish, and an event stream does not finish on its own (it ends after
``EVENT_STREAM_MAX_SECONDS``): a worker told to stop would wait on its streams until gunicorn
killed it, and the clients would see their connections cut. This worker first tells every stream
of the process to end (``adapters/rest/event_stream.py``, `close_streams`): each finishes its
response properly, the client reconnects with its ``Last-Event-ID`` to a worker that serves, and
the worker exits at once. Whatever still runs after `GRACEFUL_SHUTDOWN_SECONDS` is cancelled.
"""

from __future__ import annotations

import socket
import sys
from typing import Any, ClassVar

from gunicorn.arbiter import Arbiter
from uvicorn import Server
from uvicorn_worker import UvicornWorker

from adapters.rest.event_stream import close_streams

#: How long a stopping worker lets its requests finish (below gunicorn's `graceful_timeout`).
GRACEFUL_SHUTDOWN_SECONDS = 10


class StreamClosingServer(Server):
    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        close_streams()
        await super().shutdown(sockets)


class EventStreamWorker(UvicornWorker):
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        **UvicornWorker.CONFIG_KWARGS,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }

    async def _serve(self) -> None:  # uvicorn_worker's, with the server above
        self.config.app = self.wsgi
        server = StreamClosingServer(config=self.config)
        self._install_sigquit_handler()
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)
