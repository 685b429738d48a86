"""Cache headers, conditional requests and the fast path of delivery GETs.

A published entry's JSON is encoded once in the snapshot; what is left per
request is choosing the locale, a dictionary lookup and the headers. The two
hottest routes — an entry by id and by type + key — declare a fast path
(:mod:`content_hub.api.fast_path`) that answers the plain request from memory
and hands anything unusual (a preview key, a percent-encoded or repeated
parameter, a value out of range) to the full handler.

Both paths build their headers with :func:`cache_headers` and match
``If-None-Match`` with :func:`etag_matches`, so they answer alike; a test
compares them byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.types import Receive, Scope

from content_hub.api.fast_path import JSON_HEADER, Answer, header
from content_hub.api.params import live_of
from content_hub.domain.keys import Principal
from content_hub.domain.keys import Scope as KeyScope
from content_hub.live.delivery import PublishedDelivery
from content_hub.live.references import MAX_INCLUDE
from content_hub.live.state import EncodedEntry
from content_hub.settings import DeliverySettings

_MAX_LOCALE = 35
_MAX_HEADER = 500


def cache_headers(
    settings: DeliverySettings,
    encoded: EncodedEntry,
    locale: str,
    negotiated: bool,
    preview: bool,
) -> dict[str, str]:
    """ETag, Content-Language, Cache-Control, Surrogate-Key / Cache-Tag and
    (for a negotiated locale) ``Vary`` of one delivered entry."""
    surrogate = (
        encoded.surrogate_keys or f"entry-{encoded.entry_id} type-{encoded.type}"
    )
    headers = {
        "ETag": encoded.etag,
        "Content-Language": locale,
        "Cache-Control": (
            "private, no-store"
            if preview
            else f"public, max-age={settings.max_age}, s-maxage={settings.s_maxage}, "
            f"stale-while-revalidate={settings.stale_while_revalidate}"
        ),
        "Surrogate-Key": surrogate,
        "Cache-Tag": surrogate.replace(" ", ","),
    }
    if negotiated:
        headers["Vary"] = "Accept-Language"
    return headers


MAX_RAW_HEADERS = 20_000
_RAW_HEADERS: dict[
    tuple[int, str, bool], tuple[EncodedEntry, tuple[tuple[bytes, bytes], ...]]
] = {}
"""Encoded cache headers of a published response, by (response, served
locale, negotiated): the same for every request of it. The response object is
kept with them and compared by identity (a publish makes a new one)."""


def etag_matches(header: str, current: str) -> bool:
    """Whether an ``If-None-Match`` value names the current ETag (or ``*``)."""
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or current in tags


def _request(scope: Scope) -> tuple[str | None, int, str | None, str | None] | None:
    """``(locale, include, accept_language, if_none_match)`` when every input is
    plain and in range; ``None`` sends the request down the full handler."""
    principal = scope.get("user")
    if not isinstance(principal, Principal) or principal.has(KeyScope.PREVIEW):
        return None
    locale: str | None = None
    include = 1
    query: bytes = scope.get("query_string", b"")
    if query:
        if b"%" in query or b"+" in query:
            return None
        seen: set[bytes] = set()
        for pair in query.split(b"&"):
            name, sep, value = pair.partition(b"=")
            if not sep or name in seen:
                return None
            seen.add(name)
            if name == b"locale" and 0 < len(value) <= _MAX_LOCALE:
                locale = value.decode("latin-1")
            elif name == b"include" and len(value) == 1 and value.isdigit():
                include = int(value)
                if include > MAX_INCLUDE:
                    return None
            else:
                return None
    plain, accept_language = header(scope, b"accept-language", _MAX_HEADER)
    if not plain:
        return None
    plain, if_none_match = header(scope, b"if-none-match", _MAX_HEADER)
    if not plain:
        return None
    plain, token = header(scope, b"x-preview-token", _MAX_HEADER)
    if not plain or token is not None:  # a preview link's draft: the handler's
        return None
    return locale, include, accept_language, if_none_match


def _answer(
    scope: Scope, lookup: Callable[[PublishedDelivery, str, int], EncodedEntry]
) -> Answer | None:
    parsed = _request(scope)
    if parsed is None:
        return None
    locale, include, accept_language, if_none_match = parsed
    fast = live_of(scope)
    published = fast.delivery
    code = published.locale(locale, accept_language)
    encoded = lookup(published, code, include)
    negotiated = locale is None
    slot = (id(encoded), code, negotiated)
    hit = _RAW_HEADERS.get(slot)
    if hit is not None and hit[0] is encoded:
        raw = hit[1]
    else:
        raw = tuple(
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in cache_headers(
                fast.settings.delivery, encoded, code, negotiated, False
            ).items()
        )
        if len(_RAW_HEADERS) >= MAX_RAW_HEADERS:
            _RAW_HEADERS.clear()
        _RAW_HEADERS[slot] = (encoded, raw)
    if if_none_match is not None and etag_matches(if_none_match, encoded.etag):
        return 304, list(raw), b""
    return (
        200,
        [*raw, JSON_HEADER, (b"content-length", str(len(encoded.body)).encode())],
        encoded.body,
    )


async def entry_by_id(scope: Scope, receive: Receive) -> tuple[Answer | None, Receive]:
    """The fast path of ``GET /delivery/v1/entries/{entry_id}``."""
    entry_id: str = scope["path_params"]["entry_id"]
    answer = _answer(scope, lambda p, code, include: p.by_id(entry_id, code, include))
    return answer, receive


async def entry_by_key(scope: Scope, receive: Receive) -> tuple[Answer | None, Receive]:
    """The fast path of ``GET /delivery/v1/content-types/{type}/entries/{key}``."""
    params = scope["path_params"]
    type_key: str = params["type_key"]
    key: str = params["key"]
    answer = _answer(
        scope, lambda p, code, include: p.by_key(type_key, key, code, include)
    )
    return answer, receive
