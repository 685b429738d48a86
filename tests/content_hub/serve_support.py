"""Real ``content-hub serve`` process groups for crash and multi-host tests.

Each :class:`ServeGroup` is one ``serve --workers N`` supervisor and its
workers in a process group of their own (``start_new_session``), so a test
can ``kill -9`` the whole group at once, as a crashed host would die, and
start it again on the same port and data.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from content_hub.settings import Settings

EXE = str(Path(sys.executable).with_name("content-hub"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def search_env(kind: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Environment choosing FTS5 (nothing to set) or the test Meilisearch
    server (``tests/search/conftest.py``) under a fresh index prefix."""
    if kind == "fts5":
        return {}
    server = request.getfixturevalue("meili_server")
    return {
        "CONTENT_HUB_MEILISEARCH_URL": server.url,
        "CONTENT_HUB_MEILISEARCH_KEY": server.master_key,
        "CONTENT_HUB_SEARCH_INDEX_PREFIX": f"t{uuid.uuid4().hex[:12]}",
    }


class ServeGroup:
    """``content-hub serve`` with its workers, in its own process group."""

    def __init__(
        self,
        settings: Settings,
        *,
        workers: int = 2,
        data_dir: Path | None = None,
        extra_env: dict[str, str] | None = None,
        name: str = "serve",
    ) -> None:
        self.port = free_port()
        self.data_dir = data_dir or settings.data_dir
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CONTENT_HUB_")},
            "CONTENT_HUB_DATA_DIR": str(self.data_dir),
            "CONTENT_HUB_DATABASE_URL": settings.database.url,
            "CONTENT_HUB_AUTH_CACHE_SECONDS": "0",
            **(extra_env or {}),
        }
        self.workers = workers
        self.name = name
        self.starts = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_path(self, start: int) -> Path:
        return self.data_dir / f"{self.name}-{self.port}-{start}.log"

    def start(self, timeout: float = 60) -> ServeGroup:
        self.starts += 1
        command = [EXE, "serve", "--port", str(self.port), "--workers"]
        command += [str(self.workers), "--log-level", "warning"]
        with self.log_path(self.starts).open("wb") as log:
            self.proc = subprocess.Popen(
                command,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.logs()
            assert time.monotonic() < deadline, f"serve did not start\n{self.logs()}"
            time.sleep(0.1)

    def kill(self) -> None:
        """``kill -9`` of the supervisor and every worker at once."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def logs(self) -> str:
        return "\n".join(
            self.log_path(n).read_text(errors="replace")[-4000:]
            for n in range(1, self.starts + 1)
            if self.log_path(n).exists()
        )

    def log_records(self) -> Iterator[dict[str, Any]]:
        """The JSON log lines of every start of this group."""
        for n in range(1, self.starts + 1):
            path = self.log_path(n)
            if not path.exists():
                continue
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("{"):
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError:
                        continue
