"""Real worker processes sharing one database: a publish through one is
served by the other within a second; SIGTERM flushes recorded exposures.

On PostgreSQL the workers poll only every 30 s, so a publish can reach the
other worker within the second only through LISTEN/NOTIFY; on SQLite they
poll the publish sequence at the default interval."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.content_hub.render_fixtures import build_offer


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Worker:
    def __init__(self, settings: Settings, **extra_env: str) -> None:
        self.port = _port()
        env = {
            **os.environ,
            **extra_env,
            "CONTENT_HUB_DATA_DIR": str(settings.data_dir),
            "CONTENT_HUB_DATABASE_URL": settings.database.url,
            "CONTENT_HUB_POLL_INTERVAL": "0.5" if settings.database.is_sqlite else "30",
        }
        exe = str(Path(sys.executable).with_name("content-hub"))
        self.log = settings.data_dir / f"worker-{self.port}.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [exe, "serve", "--port", str(self.port), "--log-level", "warning"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "worker did not start"
            time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


@pytest.fixture
def workers(settings: Settings) -> Iterator[tuple[Worker, Worker, dict[str, str]]]:
    secrets = {
        s.value: asyncio.run(_create_key(settings, f"mp-{s.value}", [s])) for s in Scope
    }
    a, b = Worker(settings), Worker(settings)
    try:
        yield a, b, secrets
    finally:
        a.stop()
        b.stop()


def _h(secret: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **extra}


def test_a_publish_is_visible_in_another_worker_within_a_second(
    workers: tuple[Worker, Worker, dict[str, str]],
) -> None:
    a, b, secrets = workers
    admin = _h(secrets["admin"])
    with (
        httpx.Client(base_url=a.url, headers=admin, timeout=10) as ca,
        httpx.Client(base_url=b.url, timeout=10) as cb,
    ):
        ca.post(
            "/manage/v1/content-types",
            json={
                "key": "note",
                "name": "Note",
                "channels": ["web"],
                "fields": [{"key": "title", "type": "text", "localized": True}],
            },
        ).raise_for_status()
        entry = ca.post(
            "/manage/v1/entries",
            json={"type": "note", "key": "n", "fields": {"title": {"en": "v1"}}},
        ).json()
        url = f"/delivery/v1/entries/{entry['id']}"
        assert cb.get(url, headers=_h(secrets["delivery"])).status_code == 404
        ca.post(
            f"/manage/v1/entries/{entry['id']}/publish", headers={"If-Match": '"1"'}
        ).raise_for_status()
        published_at = time.monotonic()
        while cb.get(url, headers=_h(secrets["delivery"])).status_code != 200:
            assert time.monotonic() - published_at < 1.0, (
                "not visible in the other worker within 1 s"
            )
            time.sleep(0.02)


def test_sigterm_during_a_batch_loses_no_recorded_exposure(
    settings: Settings, workers: tuple[Worker, Worker, dict[str, str]]
) -> None:
    a, _, secrets = workers
    with httpx.Client(base_url=a.url, timeout=60) as ca:
        offer = build_offer(ca, _h(secrets["admin"]))  # type: ignore[arg-type]
        recipients = [{"customer": {"id": f"t-{i}"}} for i in range(4000)]
        logged = 0
        lines = 0
        with ca.stream(
            "POST",
            "/render/v1/render/batch",
            params={"entry_id": offer["id"], "channel": "web"},
            json=recipients,
            headers=_h(secrets["render"]),
        ) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                lines += 1
                logged += '"exposure_logged":true' in line
                if lines == 50:
                    a.proc.send_signal(signal.SIGTERM)  # mid-batch
    assert lines == 4000  # uvicorn finishes the in-flight request before shutting down
    # uvicorn shuts down gracefully, then re-raises the captured SIGTERM
    assert a.proc.wait(timeout=30) in (0, -signal.SIGTERM)
    assert logged > 1000
    import sqlalchemy as sa

    engine = sa.create_engine(settings.database.url.replace("+aiosqlite", ""))
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT count(*) FROM exposure WHERE source = 'render'")
        ).scalar_one()
    engine.dispose()
    assert stored == logged
