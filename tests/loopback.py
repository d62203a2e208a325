"""Test helpers for anything that opens sockets: keep every connection on
127.0.0.1, and serve a plain HTTP handler there in a thread."""
from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch):
    """Refuse (and fail the test on) any connection that is not to 127.0.0.1:
    a refused address must never be reached, whatever the code under test does."""
    blocked: list[object] = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            blocked.append(address)
            raise ConnectionRefusedError(f"test: blocked a connection to {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield
    assert blocked == [], "the code under test tried to connect outside 127.0.0.1"


@contextlib.contextmanager
def serve_http(handler: type[http.server.BaseHTTPRequestHandler], path: str = "/") -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 in a thread; yields the URL of `path`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
