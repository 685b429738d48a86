"""Shared benchmark plumbing: a seeded hub data dir, servers, and wrk runs."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import msgspec

from content_hub.cli import _create_key, _reindex
from content_hub.domain.inputs import (
    ContentTypeCreate,
    EntryCreate,
    LocaleCreate,
    MediaWrite,
)
from content_hub.domain.keys import SYSTEM, Scope
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entries import EntryService
from content_hub.services.locales import LocaleService
from content_hub.services.media import MediaService
from content_hub.settings import Settings
from content_hub.store.db import commit, create_engine, create_session_factory, migrate

LOCALES = ["en", "de", "de-CH", "nb", "zh-Hans"]
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def article_fields(
    i: int, media: list[str] | None = None, previous: str | None = None
) -> dict[str, Any]:
    title = {
        "en": f"Spring e-bike offer {i}",
        "de": f"Frühlingsangebot E-Bike {i}",
        "nb": f"Vårtilbud elsykkel {i}",
        "zh-Hans": f"春季电动自行车优惠 {i}",
    }
    summary = {
        "en": f"Save 15% on city bikes, offer {i}.",
        "de": f"15 % auf Stadträder sparen, Angebot {i}.",
    }
    if i % 3 == 0:
        summary["de-CH"] = f"15 % uf Stadtvelos spare, Aagebot {i}."
    body = {
        "en": "<p>"
        + "Ride further with a lighter frame and a bigger battery. " * 6
        + "</p>",
        "de": "<p>"
        + "Weiter fahren mit leichterem Rahmen und größerem Akku. " * 6
        + "</p>",
    }
    fields: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "body": body,
        "price": 1999 + i,
        "cta_url": f"https://example.com/o/{i}",
    }
    if media:
        fields["hero"] = {"type": "media", "id": media[i % len(media)]}
    if previous is not None:
        fields["related"] = {"type": "entry", "id": previous}
    return fields


async def load_entries(
    settings: Settings, count: int, batch: int = 500
) -> list[tuple[str, str]]:
    """Create the locales, an article type, 20 media records and ``count``
    published entries through the service layer; return their (type, key)
    pairs. Each entry references a media record and the entry before it, so
    delivery resolves one level of references (the default ``include=1``)."""
    engine = create_engine(settings.database.url)
    sessions = create_session_factory(engine)
    keys: list[tuple[str, str]] = []
    async with sessions() as session:
        deps = Deps(session, SYSTEM, settings)
        locales = LocaleService(deps)
        await locales.ensure_default()
        for code in LOCALES[1:]:
            await locales.create(LocaleCreate(code=code))
        await ContentTypeService(deps).create(_article_type())
        media = [
            (
                await MediaService(deps).create(
                    MediaWrite(
                        url=f"https://cdn.example.com/bikes/{n}.jpg",
                        mime_type="image/jpeg",
                        alt={"en": f"E-bike {n}", "de": f"E-Bike {n}"},
                        width=1600,
                        height=900,
                    )
                )
            ).id
            for n in range(20)
        ]
        await commit(session)
    previous: str | None = None
    for start in range(0, count, batch):
        async with sessions() as session:
            service = EntryService(Deps(session, SYSTEM, settings))
            for i in range(start, min(count, start + batch)):
                entry = await service.create(
                    EntryCreate(
                        type="article",
                        key=f"offer-{i}",
                        fields=article_fields(i, media, previous),
                    )
                )
                await service.publish(entry.id, entry.version)
                previous = entry.id
                keys.append(("article", f"offer-{i}"))
            await commit(session)
    await engine.dispose()
    return keys


def _article_type() -> ContentTypeCreate:
    return msgspec.convert(
        {
            "key": "article",
            "name": "Article",
            "channels": ["web", "email"],
            "fields": [
                {"key": "title", "type": "text", "localized": True, "required": True},
                {"key": "summary", "type": "text", "localized": True},
                {"key": "body", "type": "rich_text", "localized": True},
                {"key": "price", "type": "number"},
                {"key": "cta_url", "type": "url"},
                {"key": "hero", "type": "media"},
                {
                    "key": "related",
                    "type": "entry",
                    "validations": {"allowed_types": ["article"]},
                },
            ],
        },
        ContentTypeCreate,
    )


def hub_settings(data: Path) -> Settings:
    """The settings of a benchmark hub in ``data``; a ``CONTENT_HUB_DATABASE_URL``
    in the environment (PostgreSQL) applies to it and to the servers."""
    return Settings.from_env({**os.environ, "CONTENT_HUB_DATA_DIR": str(data)})


def prepared_hub(
    count: int, data_dir: Path | None = None
) -> tuple[Path, dict[str, str], list[tuple[str, str]]]:
    """A data dir with ``count`` published entries and keys per scope.

    With ``data_dir`` the prepared hub is kept there (``bench.json`` records
    its keys) and reused by the next run with the same count, so repeated
    measurements skip the load.
    """
    marker = data_dir / "bench.json" if data_dir is not None else None
    if marker is not None and marker.exists():
        saved = json.loads(marker.read_text())
        if saved["count"] == count:
            print(f"reusing the prepared hub in {data_dir}")
            keys = [(t, k) for t, k in saved["keys"]]
            return Path(saved["data"]), saved["secrets"], keys
    data = data_dir or Path(tempfile.mkdtemp(prefix="hub-bench-"))
    if data_dir is not None:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
    settings = hub_settings(data)
    migrate(settings.database.url)
    started = time.perf_counter()
    keys = asyncio.run(load_entries(settings, count))
    print(
        f"loaded {count} published entries x {len(LOCALES)} locales in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    asyncio.run(_reindex(settings))  # the steady state: the search index caught up
    print(f"search index built in {time.perf_counter() - started:.1f} s")
    secrets = {
        s.value: asyncio.run(_create_key(settings, f"bench-{s.value}", [s]))
        for s in Scope
    }
    if marker is not None:
        marker.write_text(
            json.dumps(
                {"count": count, "data": str(data), "secrets": secrets, "keys": keys}
            )
        )
    return data, secrets, keys


class Server:
    """A server process (hub or bare app) on a free port, stopped on exit."""

    def __init__(
        self, args: list[str], env: dict[str, str], health: str, timeout: float = 60
    ) -> None:
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(suffix=".log", prefix="bench-server-")[1])
        with self.log.open("wb") as log:  # a pipe nobody reads would block the server
            self.proc = subprocess.Popen(
                [*args, "--port", str(self.port)],
                env={**os.environ, **env},
                stdout=subprocess.DEVNULL,
                stderr=log,
                cwd=ROOT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}{health}", timeout=1).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()  # never leave a half-started server behind
                err = self.log.read_text(errors="replace")
                raise RuntimeError(f"server {args} did not start: {err[-2000:]}")
            time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def hub_server(data: Path, workers: int = 2, timeout: float = 60) -> Server:
    exe = str(Path(sys.executable).with_name("content-hub"))
    return Server(
        [exe, "serve", "--workers", str(workers), "--log-level", "warning"],
        {"CONTENT_HUB_DATA_DIR": str(data)},
        "/health",
        timeout,
    )


def bare_server(doc: bytes, workers: int = 2) -> Server:
    path = Path(tempfile.mkstemp(suffix=".json")[1])
    path.write_bytes(doc)
    return Server(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare_app:app",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        {"BENCH_BARE_DOC": str(path)},
        "/bare",
    )


_LAT = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def wrk(
    url: str,
    *,
    paths: list[str] | None = None,
    headers: dict[str, str] | None = None,
    seconds: int = 10,
    connections: int = 64,
    threads: int = 1,
    bodies: list[bytes] | None = None,
    new_customers: bool = False,
) -> dict[str, float]:
    """Run wrk from its own process; return requests/s and p50/p99 in ms.

    ``new_customers``: every request's ``"id":"c-`` customer id is made
    unique (a customer the server has never seen)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the HTTP benchmarks: apt-get install wrk")
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    lines = []
    for name, value in (headers or {}).items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    # Every request is formatted once, before the timed run: formatting one
    # per request in Lua cost wrk 2-4 % of the requests it could send on
    # this 2-core machine, where it shares the cores with the servers.
    if paths:
        lines.append("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}")
        lines.append("local reqs = {}")
        lines.append("for k = 1, #paths do reqs[k] = wrk.format(nil, paths[k]) end")
    if bodies:
        lines.append('wrk.method = "POST"')
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append(
            "local bodies = {"
            + ",".join("[==[" + b.decode() + "]==]" for b in bodies)
            + "}"
        )
        lines.append("local reqs = {}")
        if new_customers:
            # Enough distinct customers for the run at well above the rates
            # measured here (each request a customer never seen).
            lines.append(f'local run = "{time.time_ns()}"')
            lines.append(
                f"for n = 1, {seconds * 30_000} do "
                "local body = string.gsub(bodies[(n - 1) % #bodies + 1], "
                "'\"id\":\"c%-', '\"id\":\"n' .. run .. '-' .. n .. '-', 1) "
                "reqs[n] = wrk.format(nil, nil, nil, body) end"
            )
        else:
            lines.append(
                "for k = 1, #bodies do reqs[k] = wrk.format(nil, nil, nil, bodies[k]) end"
            )
    if paths or bodies:
        lines.append("local i = 0")
        lines.append("request = function() i = i % #reqs + 1 return reqs[i] end")
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    lat = {}
    for pct, value, unit in _LAT.findall(out):
        lat[pct] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return {
        "rps": rps,
        "p50_ms": lat.get("50", float("nan")),
        "p99_ms": lat.get("99", float("nan")),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process in MB (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker_rss_mb(supervisor: int) -> list[float]:
    """Resident memory of each worker under a uvicorn supervisor (of the
    process itself when it has no children), in MB."""
    children: list[int] = []
    for task in Path(f"/proc/{supervisor}/task").iterdir():
        children += [int(p) for p in (task / "children").read_text().split()]
    return [rss_mb(pid) for pid in children or [supervisor]]
