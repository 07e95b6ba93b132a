"""A TCP proxy in front of the shared RabbitMQ, for broker outages that must end.

The machine's broker is never stopped: processes under test connect to the proxy instead, and the
test switches it between three modes.

- ``forward``: every connection is relayed to the real broker, byte for byte.
- ``refuse``: the listening port is closed (a connection attempt is refused, as by a broker that is
  down) and every relayed connection is cut, as when the broker's process dies.
- ``silent``: connections are accepted and then never answered (a hung broker, a black hole), and
  every relayed connection is cut.

One thread runs a selector over the listener, the relayed pairs and a wake-up socket, so that a
mode switch takes effect at once and nothing here blocks the test.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from collections.abc import Iterator
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

Mode = Literal["forward", "refuse", "silent"]


class BrokerProxy:
    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        if parts.hostname is None:
            raise ValueError("the broker URL names no host")
        self._upstream_url = upstream_url
        self._upstream = (parts.hostname, parts.port or 5672)
        self._mode: Mode = "forward"
        self._selector = selectors.DefaultSelector()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._selector.register(self._wake_reader, selectors.EVENT_READ, ("wake", None))
        self._listener: socket.socket | None = None
        self._peers: dict[socket.socket, socket.socket] = {}
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self._pending: Mode | None = None
        self._applied = threading.Event()
        self._running = True
        self.port = self._open_listener(0)
        self.connections_accepted = 0
        self._thread = threading.Thread(target=self._loop, name="broker-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The broker URL with the proxy's address in place of the broker's."""
        parts = urlsplit(self._upstream_url)
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit(parts._replace(netloc=f"{credentials}127.0.0.1:{self.port}"))

    @property
    def mode(self) -> Mode:
        return self._mode

    def switch(self, mode: Mode) -> None:
        """Change the mode; returns once the proxy acts on it."""
        with self._lock:
            self._applied.clear()
            self._pending = mode
            self._wake_writer.send(b"x")
            if not self._applied.wait(timeout=10):
                raise RuntimeError("the broker proxy did not switch modes")

    def close(self) -> None:
        self._running = False
        self._wake_writer.send(b"x")
        self._thread.join(timeout=10)
        self._drop_connections()
        if self._listener is not None:
            self._listener.close()
        self._selector.close()
        self._wake_reader.close()
        self._wake_writer.close()

    # --- the loop ---------------------------------------------------------------------------

    def _loop(self) -> None:
        while self._running:
            for key, _ in self._selector.select(timeout=1):
                kind, peer = key.data
                if kind == "wake":
                    self._wake_reader.recv(64)
                    self._apply_pending()
                elif kind == "listener":
                    self._accept()
                else:
                    self._relay(key.fileobj, peer)  # type: ignore[arg-type]

    def _apply_pending(self) -> None:
        mode = self._pending
        if mode is None:
            return
        self._pending = None
        if mode != "forward":
            self._drop_connections()
        if mode == "refuse" and self._listener is not None:
            self._selector.unregister(self._listener)
            self._listener.close()
            self._listener = None
        elif mode != "refuse" and self._listener is None:
            self._open_listener(self.port)
        self._mode = mode
        self._applied.set()

    def _open_listener(self, port: int) -> int:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        listener.setblocking(False)
        self._listener = listener
        self._selector.register(listener, selectors.EVENT_READ, ("listener", None))
        return int(listener.getsockname()[1])

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        self.connections_accepted += 1
        if self._mode == "silent":
            self._held.append(client)  # never read, never answered
            return
        try:
            upstream = socket.create_connection(self._upstream, timeout=3)
        except OSError:
            client.close()
            return
        for end in (client, upstream):
            end.settimeout(5)  # a peer that stops reading cuts its pair instead of the loop
        self._peers[client] = upstream
        self._peers[upstream] = client
        self._selector.register(client, selectors.EVENT_READ, ("relay", upstream))
        self._selector.register(upstream, selectors.EVENT_READ, ("relay", client))

    def _relay(self, source: socket.socket, target: socket.socket) -> None:
        try:
            data = source.recv(65536)
            if data:
                target.sendall(data)
                return
        except OSError:
            pass
        self._close_pair(source)

    def _close_pair(self, end: socket.socket) -> None:
        other = self._peers.pop(end, None)
        for sock in (end, other):
            if sock is None:
                continue
            self._peers.pop(sock, None)
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _drop_connections(self) -> None:
        for end in list(self._peers):
            self._close_pair(end)
        for held in self._held:
            held.close()
        self._held.clear()


@contextlib.contextmanager
def broker_proxy(upstream_url: str) -> Iterator[BrokerProxy]:
    proxy = BrokerProxy(upstream_url)
    try:
        yield proxy
    finally:
        proxy.close()
