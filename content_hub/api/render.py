"""/render/v1: personalised renders for orchestrators."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, post
from litestar.params import HeaderParameter, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.types import Receive
from litestar.types import Scope as LitestarScope

from content_hub.api.fast_path import JSON_HEADER, Answer, header, read_body, replay
from content_hub.api.params import hub_of
from content_hub.api.problems import problem_body
from content_hub.domain.content_types import Channel
from content_hub.domain.errors import BadRequest
from content_hub.domain.keys import Principal, Scope
from content_hub.domain.render import BatchItemIn, RenderIn
from content_hub.services.render import RenderOut, RenderService, require_preview

Req = Request[Any, Any, Any]
AcceptLanguage = Annotated[
    str | None, HeaderParameter(name="Accept-Language", required=False, max_length=500)
]
_item = msgspec.json.Decoder(BatchItemIn)
BATCH_CHUNK = 200
MAX_BATCH_BYTES = 2_000_000_000


def _service(request: Req) -> RenderService:
    hub = hub_of(request)
    return RenderService(hub.snapshot, hub.render, hub.exposures, hub.render_runner)


def request_id(request: Req) -> str | None:
    rid = request.scope.get("request_id")
    return rid if isinstance(rid, str) else request.headers.get("x-request-id")


async def _render_one(
    hub: Any,
    data: RenderIn,
    accept_language: str | None,
    principal: Any,
    request_id: str | None,
) -> tuple[RenderOut, str]:
    """One render, shared by the handler and its fast path: the output and
    the locale that served it."""
    service = RenderService(hub.snapshot, hub.render, hub.exposures, hub.render_runner)
    target = service.target(
        entry_id=data.entry_id, type_key=data.type, key=data.key, channel=data.channel
    )
    forced = None
    if data.preview is not None:
        require_preview(
            isinstance(principal, Principal) and principal.has(Scope.PREVIEW)
        )
        forced = data.preview.variant
    locale = service.locale(data.locale, accept_language)
    pairs = service.sticky_pairs(target, [data.customer]) if forced is None else []
    sticky = await hub.sticky.load(pairs) if pairs else None
    out = await service.one(
        target,
        data.customer,
        data.context,
        locale,
        forced_variant=forced,
        request_id=request_id,
        sticky=sticky,
    )
    if sticky is not None:
        hub.sticky.save_changed(sticky)
    return out, locale


_render_in = msgspec.json.Decoder(RenderIn)
_render_out = msgspec.json.Encoder()
MAX_FAST_BODY = 1_000_000


async def _render_fast(
    scope: LitestarScope, receive: Receive
) -> tuple[Answer | None, Receive]:
    """The fast path of ``POST /render/v1/render``: a body the strict decoder
    accepts is rendered here; anything else goes to the handler, replayed."""
    plain, accept_language = header(scope, b"accept-language", 500)
    if not plain:
        return None, receive
    body, complete = await read_body(receive, MAX_FAST_BODY)
    if not complete:
        return None, replay(body, receive, complete=False)
    try:
        data = _render_in.decode(body)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None, replay(body, receive)
    rid = scope.get("request_id")
    out, locale = await _render_one(
        scope["app"].state.hub,
        data,
        accept_language,
        scope.get("user"),
        rid if isinstance(rid, str) else None,
    )
    encoded = _render_out.encode(out)
    headers = [
        (b"etag", out.etag.encode("latin-1")),
        (b"content-language", locale.encode("latin-1")),
        JSON_HEADER,
        (b"content-length", str(len(encoded)).encode()),
    ]
    return (200, headers, encoded), receive


@post(
    "/render/v1/render",
    status_code=200,
    tags=["render"],
    summary="Render an entry for one customer on one channel",
    opt={"scopes": (Scope.RENDER,), "fast_path": _render_fast},
)
async def render_one(
    request: Req, data: JSONBody[RenderIn], accept_language: AcceptLanguage = None
) -> Response[RenderOut]:
    out, locale = await _render_one(
        hub_of(request),
        data,
        accept_language,
        request.scope.get("user"),
        request_id(request),
    )
    return Response(out, headers={"ETag": out.etag, "Content-Language": locale})


async def _ndjson(body: bytes) -> AsyncIterator[tuple[int, BatchItemIn | Exception]]:
    """Recipients from an NDJSON body, decoded line by line as they are rendered.

    The body is read before the response starts: Litestar's streaming response
    listens on the ASGI receive channel for a client disconnect, so the request
    cannot be consumed while the response streams. Output stays streamed, in
    chunks, so memory is the request body plus one chunk of renders.
    """
    index = 0
    start = 0
    size = len(body)
    while start < size:
        end = body.find(b"\n", start)
        if end < 0:
            end = size
        line = body[start:end]
        start = end + 1
        if line.strip():
            yield index, _decode(line)
            index += 1


async def _array(
    items: list[Any],
) -> AsyncIterator[tuple[int, BatchItemIn | Exception]]:
    for index, item in enumerate(items):
        try:
            yield index, msgspec.convert(item, BatchItemIn)
        except msgspec.ValidationError as exc:
            yield index, exc


async def _items(request: Req) -> AsyncIterator[tuple[int, BatchItemIn | Exception]]:
    content_type = request.headers.get("content-type", "")
    if "ndjson" in content_type or "jsonl" in content_type:
        return _ndjson(await request.body())
    try:
        raw = msgspec.json.decode(await request.body())
    except msgspec.DecodeError as exc:
        raise BadRequest(f"The body is not JSON: {exc}") from exc
    if not isinstance(raw, list):
        raise BadRequest(
            "Send a JSON array of recipients, or NDJSON with "
            "Content-Type: application/x-ndjson."
        )
    return _array(raw)


def _decode(line: bytes) -> BatchItemIn | Exception:
    try:
        return _item.decode(line)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        return exc


@post(
    "/render/v1/render/batch",
    status_code=200,
    tags=["render"],
    summary="Render one entry on one channel for many customers (NDJSON, in order)",
    opt={"scopes": (Scope.RENDER,)},
    request_max_body_size=MAX_BATCH_BYTES,
)
async def render_batch(
    request: Req,
    channel: Annotated[Channel, QueryParameter(name="channel")],
    entry_id: Annotated[
        str | None, QueryParameter(name="entry_id", max_length=64)
    ] = None,
    type_key: Annotated[str | None, QueryParameter(name="type", max_length=64)] = None,
    key: Annotated[str | None, QueryParameter(name="key", max_length=128)] = None,
    locale: Annotated[str | None, QueryParameter(name="locale", max_length=35)] = None,
    accept_language: AcceptLanguage = None,
) -> Stream:
    """Body: a JSON array, or NDJSON (``Content-Type: application/x-ndjson``),
    of ``{"customer": {...}, "context": {...}, "locale": "de"}``. Each output
    line is ``{"index", "ok": true, "render"}`` or ``{"index", "ok": false,
    "error": <problem>}``; one bad recipient does not fail the batch."""
    service = _service(request)
    hub = hub_of(request)
    target = service.target(
        entry_id=entry_id, type_key=type_key, key=key, channel=channel
    )
    default_locale = service.locale(locale, accept_language)
    items = await _items(request)

    async def lines() -> AsyncIterator[bytes]:
        chunk: list[tuple[int, BatchItemIn | Exception]] = []
        async for item in items:
            chunk.append(item)
            if len(chunk) >= BATCH_CHUNK:
                yield await _render(hub, service, target, chunk, default_locale)
                chunk = []
        if chunk:
            yield await _render(hub, service, target, chunk, default_locale)

    return Stream(lines(), media_type="application/x-ndjson")


async def _render(
    hub: Any,
    service: RenderService,
    target: Any,
    chunk: list[tuple[int, BatchItemIn | Exception]],
    locale: str,
) -> bytes:
    """One chunk: one sticky-bucket read for all its customers, renders, one
    buffered write of new assignments, and back-pressure on the event buffer."""
    customers = [item.customer for _, item in chunk if isinstance(item, BatchItemIn)]
    pairs = service.sticky_pairs(target, customers)
    sticky = await hub.sticky.load(pairs) if pairs else None
    lines = b"".join(
        [
            line
            async for line in service.many(target, chunk, locale, problem_body, sticky)
        ]
    )
    if sticky is not None:
        hub.sticky.save_changed(sticky)
    await hub.events.room()
    return lines
