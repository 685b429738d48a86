"""The baseline of the HTTP benchmarks: a bare Litestar endpoint that returns a
precomputed JSON document (set by BENCH_BARE_DOC, a file path). The targets
are ratios to its GET; its POST reads the request body and answers the same
document, to show what a POST with a body costs over HTTP by itself."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get, post

_DOC = (
    Path(os.environ.get("BENCH_BARE_DOC", "")).read_bytes()
    if os.environ.get("BENCH_BARE_DOC")
    else b"{}"
)


@get("/bare")
async def bare() -> Response[bytes]:
    return Response(content=_DOC, media_type="application/json")


@post("/bare", status_code=200)
async def bare_post(request: Request[Any, Any, Any]) -> Response[bytes]:
    await request.body()
    return Response(content=_DOC, media_type="application/json")


app = Litestar([bare, bare_post])
