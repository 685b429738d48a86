"""The baseline of the HTTP benchmarks: a bare Litestar endpoint that returns a
precomputed JSON document (set by BENCH_BARE_DOC, a file path)."""

from __future__ import annotations

import os
from pathlib import Path

from litestar import Litestar, Response, get

_DOC = (
    Path(os.environ.get("BENCH_BARE_DOC", "")).read_bytes()
    if os.environ.get("BENCH_BARE_DOC")
    else b"{}"
)


@get("/bare")
async def bare() -> Response[bytes]:
    return Response(content=_DOC, media_type="application/json")


app = Litestar([bare])
