"""A hub in its own process (``content-hub serve``), for attacks that could
stall a worker: a stalled request then shows up as a client timeout, and the
test kills and restarts the process instead of hanging the test run."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.hostile.state import StateReader


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServedHub:
    """One worker process on a free port, restartable, with a key per scope."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.secrets = {
            s.value: asyncio.run(_create_key(settings, f"served-{s.value}", [s]))
            for s in Scope
        }
        self.reader = StateReader(settings.database.url)
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def state(self) -> dict[str, list[tuple[str, ...]]]:
        return self.reader.state()

    def headers(self, scope: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[scope]}"}

    def start(self) -> None:
        self.port = _port()
        env = {
            **os.environ,
            "CONTENT_HUB_DATA_DIR": str(self.settings.data_dir),
            "CONTENT_HUB_DATABASE_URL": self.settings.database.url,
        }
        exe = str(Path(sys.executable).with_name("content-hub"))
        log = self.settings.data_dir / f"served-{self.port}.log"
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [exe, "serve", "--port", str(self.port), "--log-level", "warning"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=out,
            )
        deadline = time.monotonic() + 30
        while not self.healthy():
            assert self.proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the hub did not start"
            time.sleep(0.1)

    def healthy(self, timeout: float = 1.0) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def restart_if_stalled(self) -> None:
        """A worker stuck in a request (the reason for this class) is killed
        and replaced, so that the next test starts on a responsive hub."""
        if not self.healthy(timeout=2.0):
            self.kill()
            self.start()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        self.reader.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
