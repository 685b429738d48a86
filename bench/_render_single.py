"""``bench_render``'s single renders: personalised web renders/s over HTTP
(returning customers, a new customer each, with a context) next to the bare
Litestar GET of the same sitting, and the server workers' memory."""

from __future__ import annotations

import json
import random
import statistics

import httpx

from bench._harness import LOCALES, Server, bare_server, worker_rss_mb, wrk

WARM_UP_S = 10
"""Seconds of each render kind before the measured runs (steady state)."""


def single(
    a: Server,
    render_auth: dict[str, str],
    keys: list[tuple[str, str]],
    seconds: int,
    repeat: int = 1,
) -> None:
    """Personalised web renders/s over HTTP next to the bare endpoint."""
    rng = random.Random(3)
    segments = ["vip", "cart_abandoner", "newsletter", "churn_risk"]
    # 5,000 returning customers with mixed segments and lead scores, each
    # asking for one of the entries.
    bodies = [
        json.dumps(
            {
                "type": "article",
                "key": rng.choice(keys)[1],
                "channel": "web",
                "locale": rng.choice(LOCALES),
                "customer": {
                    "id": f"c-{i}",
                    "attributes": {f"a{n}": n for n in range(10)}
                    | {"lead_score": rng.randint(0, 100)},
                    "segments": rng.sample(segments, rng.randint(0, 2)),
                },
            },
            separators=(",", ":"),
        ).encode()
        for i in range(5_000)
    ]
    # The same requests with a context (UTM links): never shared, the
    # template is rendered for every request.
    tagged = [b[:-1] + b',"context":{"utm":{"source":"bench"}}}' for b in bodies]
    sample = httpx.post(
        a.url + "/render/v1/render",
        content=bodies[0],
        headers={**render_auth, "Content-Type": "application/json"},
    )
    sample.raise_for_status()
    bare = bare_server(sample.content)
    url = a.url + "/render/v1/render"
    try:
        # Warm-up of every kind: a new customer lands on variants the
        # returning ones never asked for, whose first renders are cold. With
        # 2 s each, the first measured run of a sitting was its lowest in
        # every sitting (returning 0.45-0.52 against 0.51-0.60 after it);
        # with 12 s of returning customers the first run was not (0.57, 0.60).
        wrk(url, headers=render_auth, bodies=bodies, seconds=WARM_UP_S)
        wrk(
            url,
            headers=render_auth,
            bodies=bodies,
            seconds=WARM_UP_S,
            new_customers=True,
        )
        wrk(url, headers=render_auth, bodies=tagged, seconds=WARM_UP_S)
        wrk(bare.url + "/bare", seconds=2)
        # The bare GET before and after the rows, every row `repeat` times in
        # turn: the ratio is to the mean of the bare runs of this sitting, so
        # a drift of the machine during the sitting shows and evens out.
        bare_runs = [wrk(bare.url + "/bare", seconds=seconds)]
        kinds = {
            "returning customers": {"bodies": bodies},
            "a new customer each": {"bodies": bodies, "new_customers": True},
            "with context (rendered each)": {"bodies": tagged},
        }
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in kinds}
        for _ in range(repeat):
            for name, options in kinds.items():
                runs[name].append(
                    wrk(url, headers=render_auth, seconds=seconds, **options)  # type: ignore[arg-type]
                )
            bare_runs.append(wrk(bare.url + "/bare", seconds=seconds))
        # Not a target: what a POST with the same bodies costs by itself.
        bare_post = wrk(bare.url + "/bare", bodies=bodies, seconds=seconds)
    finally:
        bare.stop()
    bare_rps = statistics.mean(r["rps"] for r in bare_runs)
    print(
        "bare Litestar GET of precomputed JSON: "
        + ", ".join(f"{r['rps']:.0f}" for r in bare_runs)
        + f" req/s (mean {bare_rps:.0f})"
    )
    print(
        f"{'POST /render/v1/render (web)':<40}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'non-2xx':>9}{'/ bare':>8}"
    )
    for name, results in runs.items():
        for r in results:
            print(
                f"{name:<40}{r['rps']:>10.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}"
                f"{r['non_2xx']:>9.0f}{r['rps'] / bare_rps:>8.2f}"
            )
    print(
        f"{'bare Litestar POST, same bodies (read)':<40}{bare_post['rps']:>10.0f}"
        f"{bare_post['p50_ms']:>9.2f}{bare_post['p99_ms']:>9.2f}"
        f"{bare_post['non_2xx']:>9.0f}{bare_post['rps'] / bare_rps:>8.2f}"
    )
    print(
        "targets (issue 14): returning customers / bare >= 0.5, "
        "a new customer each / bare >= 0.3"
    )
    rss = worker_rss_mb(a.proc.pid)
    print(
        "server workers' resident memory with the snapshot loaded: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
        + " (target < 400 MB each)"
    )
