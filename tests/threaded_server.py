"""A hub app served by uvicorn on 127.0.0.1 in a thread of the test process
(a real socket and lifespan, without a process of its own), configured as
``content-hub serve`` runs it (:data:`content_hub.api.malformed.HTTP_PROTOCOL`)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from content_hub.api.malformed import HTTP_PROTOCOL


@contextmanager
def served(
    app: Any, *, http: type = HTTP_PROTOCOL, timeout: float = 30
) -> Iterator[int]:
    """Serve ``app`` on a free port (yielded) until the block ends."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
            http=http,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "hub did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)
