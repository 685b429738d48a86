"""/render/v1: personalised renders for orchestrators."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody, QueryParameter
from litestar.types import Receive
from litestar.types import Scope as LitestarScope

from content_hub.api.batch import (
    ARRAY_SETTING,
    BODY_SETTING,
    BatchStream,
    Source,
    array_source,
    body_too_large,
    ndjson_source,
    read_document,
)
from content_hub.api.bodies import OWN_BODY, decode_json, json_media, too_deep
from content_hub.api.fast_path import (
    JSON_HEADER,
    Answer,
    json_headers,
    read_body,
    replay,
)
from content_hub.api.params import live_of
from content_hub.api.problems import problem_body
from content_hub.api.validation import BODY_REQUIRED
from content_hub.domain.content_types import Channel
from content_hub.domain.errors import BadRequest
from content_hub.domain.keys import Scope
from content_hub.domain.render import RenderIn
from content_hub.live.batch_render import BatchRender
from content_hub.live.exposures import EventRecorder
from content_hub.live.render import RenderOut
from content_hub.live.render_output import encode_render
from content_hub.live.renders import Renders
from content_hub.settings import BatchSettings, Settings

Req = Request[Any, Any, Any]
AcceptLanguage = Annotated[
    str | None, HeaderParameter(name="Accept-Language", required=False, max_length=500)
]


def request_id(request: Req) -> str | None:
    rid = request.scope.get("request_id")
    return rid if isinstance(rid, str) else request.headers.get("x-request-id")


_render_in = msgspec.json.Decoder(RenderIn)
MAX_FAST_BODY = 1_000_000


async def _render_fast(
    scope: LitestarScope, receive: Receive
) -> tuple[Answer | None, Receive]:
    """The fast path of ``POST /render/v1/render``: a JSON body within the
    nesting limit that the strict decoder accepts is rendered here; anything
    else (another media type, too deep, invalid) goes to the handler, replayed,
    which answers the 415 or 400 (:mod:`content_hub.api.bodies`)."""
    plain, accept_language = json_headers(scope, 500)
    if not plain:
        return None, receive
    body, complete = await read_body(receive, MAX_FAST_BODY)
    if not complete:
        return None, replay(body, receive, complete=False)
    if too_deep(body):
        return None, replay(body, receive)
    try:
        data = _render_in.decode(body)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return None, replay(body, receive)
    rid = scope.get("request_id")
    out, locale, output_json = await live_of(scope).renders.render(
        data,
        accept_language,
        scope.get("user"),
        rid if isinstance(rid, str) else None,
    )
    encoded = encode_render(out, output_json)
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
    request: Req,
    render_use_case: NamedDependency[Renders],
    data: JSONBody[RenderIn],
    accept_language: AcceptLanguage = None,
) -> Response[RenderOut]:
    out, locale, _ = await render_use_case.render(
        data,
        accept_language,
        request.scope.get("user"),
        request_id(request),
    )
    return Response(out, headers={"ETag": out.etag, "Content-Language": locale})


@post(
    "/render/v1/render/batch",
    status_code=200,
    tags=["render"],
    summary="Render one entry on one channel for many customers (NDJSON, in order)",
    opt={"scopes": (Scope.RENDER,), OWN_BODY: ("json", "ndjson")},
)
async def render_batch(
    request: Req,
    render_use_case: NamedDependency[Renders],
    exposure_recorder: NamedDependency[EventRecorder],
    hub_settings: NamedDependency[Settings],
    channel: Annotated[Channel, QueryParameter(name="channel")],
    entry_id: Annotated[
        str | None, QueryParameter(name="entry_id", max_length=64)
    ] = None,
    type_key: Annotated[str | None, QueryParameter(name="type", max_length=64)] = None,
    key: Annotated[str | None, QueryParameter(name="key", max_length=128)] = None,
    locale: Annotated[str | None, QueryParameter(name="locale", max_length=35)] = None,
    accept_language: AcceptLanguage = None,
) -> BatchStream:
    """Body: NDJSON (``Content-Type: application/x-ndjson``, streamed) or a
    JSON array of ``{"customer": {...}, "context": {...}, "locale": "de"}``.
    Each output line is ``{"index", "ok": true, "render"}`` or ``{"index",
    "ok": false, "error": <problem>}``, in input order; one bad recipient does
    not fail the batch. Limits: ``CONTENT_HUB_BATCH_MAX_LINE_BYTES`` per line,
    ``..._MAX_BODY_BYTES`` per NDJSON body, ``..._MAX_ARRAY_BYTES`` per JSON
    array (413); see :mod:`content_hub.api.batch`."""
    kind = json_media(request.headers.get("content-type"), "POST", ndjson=True)
    service = render_use_case.service
    target = service.target(
        entry_id=entry_id, type_key=type_key, key=key, channel=channel
    )
    default_locale = service.locale(locale, accept_language)
    source = await _source(request, kind, hub_settings.batch)
    batch = BatchRender(
        service,
        target,
        default_locale,
        render_use_case.sticky,
        exposure_recorder,
        problem_body,
        processes=hub_settings.batch.processes,
        time_budget=hub_settings.render.time_budget,
    )
    return BatchStream(source, batch.lines)


async def _source(request: Req, kind: str, limits: BatchSettings) -> Source:
    """Where the recipients come from: the NDJSON stream, read while the
    answer is written, or a JSON array read and decoded first."""
    declared = request.headers.get("content-length", "")
    size = int(declared) if declared.isdigit() else 0
    if kind == "ndjson":
        if size > limits.max_body_bytes:
            raise body_too_large(limits.max_body_bytes, BODY_SETTING)
        return ndjson_source(limits)
    if size > limits.max_array_bytes:
        raise body_too_large(limits.max_array_bytes, ARRAY_SETTING)
    body = await read_document(request.receive, limits.max_array_bytes)
    if not body:
        raise BadRequest(BODY_REQUIRED)
    raw = decode_json(body)
    if not isinstance(raw, list):
        raise BadRequest(
            "Send a JSON array of recipients, or NDJSON with "
            "Content-Type: application/x-ndjson."
        )
    return array_source(raw)
