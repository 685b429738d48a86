"""Request bodies: which media types the hub reads and how deep JSON may nest.

Every route that takes a body reads JSON, and the batch render also NDJSON.
Two rules hold for all of them, on the full handlers and on the fast paths:

* **Media type.** A body is read only when its ``Content-Type`` says JSON:
  ``application/json`` or any ``application/*+json``, with no charset or a
  UTF-8 one (RFC 8259: JSON between systems is UTF-8). The batch also reads
  ``application/x-ndjson`` (or ``application/ndjson``, ``application/jsonl``).
  Anything else — ``text/plain``, XML, form data, no ``Content-Type`` at all —
  is a 415 problem naming the accepted types, before a byte is decoded.
* **Nesting.** A JSON document may nest arrays and objects at most
  :data:`MAX_DEPTH` (64) levels deep; deeper is a 400 ``body-too-deep``
  problem. Without a limit msgspec recurses until Python's recursion limit and
  raises ``RecursionError`` (a 500), and a document just under that limit
  would blow the stack later, in code that walks it. No content the hub models
  comes close to 64 levels.

The depth check costs two ``bytes.count`` calls for any body with at most 64
``[``/``{`` bytes in it — every ordinary render request — and runs a scan at C
speed (:func:`nesting`) only for bodies with more. Decode failures of every
other kind (malformed JSON, invalid UTF-8, numbers out of range) are 400
``invalid-request`` problems. Duplicate object keys are not an error: the last
one wins, as in most JSON parsers (RFC 8259 leaves it to the parser).

:class:`JsonRequest` applies both rules to every handler that declares a JSON
body (``app.py`` makes it the app's request class; a form body, declared with
``Body(media_type=...)``, is read by Litestar's form parser and unaffected);
the fast paths and the batch (which declares ``opt[OWN_BODY]``) call
:func:`json_media`, :func:`too_deep` and :func:`decode_json` themselves.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate
from typing import Any, Literal

import msgspec
from litestar import Request
from litestar.types import Empty

from content_hub.domain.errors import HubError

MAX_DEPTH = 64
"""The deepest nesting of arrays and objects a JSON body may have."""
OWN_BODY = "body"
"""``opt`` key of a handler that reads its body itself rather than through a
``data`` argument (the batch): the media kinds it accepts. Tests find every
route with a body by ``data`` or this key."""

JSON_TYPES = ("application/json", "application/*+json")
NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")
_UTF8 = frozenset({"utf-8", "utf8", "us-ascii"})
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_decoder = msgspec.json.Decoder()

MediaKind = Literal["json", "ndjson"]


class UnsupportedMediaType(HubError):
    status = 415
    type_slug = "unsupported-media-type"
    title = "The body's media type is not accepted"


class BodyTooDeep(HubError):
    status = 400
    type_slug = "body-too-deep"
    title = "The JSON body nests too deeply"


class InvalidJson(HubError):
    status = 400
    type_slug = "invalid-request"
    title = "The request body is not valid JSON"


class BodyTooLarge(HubError):
    status = 413
    type_slug = "body-too-large"
    title = "The request body is too large"


def media_kind(content_type: str | None) -> MediaKind | None:
    """``json``, ``ndjson`` or None (not a body the hub reads) for a
    ``Content-Type`` header value."""
    if not content_type:
        return None
    media, *params = content_type.split(";")
    media = media.strip().lower()
    for param in params:
        name, _, value = param.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in _UTF8:
            return None
    if media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    ):
        return "json"
    return "ndjson" if media in NDJSON_TYPES else None


def json_media(
    content_type: str | None, method: str, *, ndjson: bool = False
) -> MediaKind:
    """The kind of a body's media type, or a 415 naming what is accepted
    (NDJSON only where ``ndjson`` is allowed)."""
    kind = media_kind(content_type)
    if kind == "json" or (kind == "ndjson" and ndjson):
        return kind
    accepted = [*JSON_TYPES, *NDJSON_TYPES] if ndjson else list(JSON_TYPES)
    sent = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
    header = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}.get(method)
    raise UnsupportedMediaType(
        f"The body was sent with {sent}; send it as {' or '.join(accepted)} (UTF-8).",
        extra={"accepted": accepted},
        headers={header: ", ".join(accepted)} if header else None,
    )


def nesting(document: bytes) -> int:
    """How deep arrays and objects nest in a JSON document, without decoding.

    Escape pairs go first (so every remaining quote opens or closes a string),
    then everything inside strings, then every byte but brackets; the depth is
    the highest running sum of +1 per opening and -1 per closing bracket. Each
    step is one C-level pass over the bytes. Garbage in gives some number; the
    decoder refuses the garbage anyway.
    """
    if b"\\" in document:
        document = _ESCAPE.sub(b"", document)
    outside = b"".join(document.split(b'"')[::2])
    steps = array("b", outside.translate(_STEP, _NOT_BRACKET))
    return max(accumulate(steps), default=0)


def too_deep(document: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether a JSON document nests deeper than ``limit``: free (two counts)
    when it has no more than ``limit`` opening brackets at all."""
    if document.count(b"[") + document.count(b"{") <= limit:
        return False
    return nesting(document) > limit


def depth_problem(limit: int = MAX_DEPTH) -> BodyTooDeep:
    return BodyTooDeep(
        f"JSON bodies may nest arrays and objects at most {limit} levels deep.",
        extra={"max_depth": limit},
    )


def decode_json(document: bytes) -> Any:
    """A JSON document decoded to builtins, or a 400 problem: too deep,
    malformed, a number out of range, not UTF-8."""
    if too_deep(document):
        raise depth_problem()
    try:
        return _decoder.decode(document)
    except msgspec.DecodeError as exc:  # ValidationError too: numbers out of range
        raise InvalidJson(str(exc)) from exc
    except RecursionError as exc:  # within the limit, but the stack was deep already
        raise depth_problem() from exc


class JsonRequest(Request[Any, Any, Any]):
    """The app's request class: a JSON body is read only with a JSON media
    type and decoded with the depth limit (see the module docstring).

    Litestar asks for ``json()`` only for a non-empty body; an empty one is
    left to the handler's signature (a required body is then a 400)."""

    __slots__ = ()

    async def json(self) -> Any:
        if self._json is Empty:
            body = await self.body()
            if not body:
                self._json = None
            else:
                json_media(self.headers.get("content-type"), self.method)
                self._json = decode_json(body)
        return self._json


__all__ = [
    "MAX_DEPTH",
    "OWN_BODY",
    "BodyTooDeep",
    "BodyTooLarge",
    "InvalidJson",
    "JsonRequest",
    "UnsupportedMediaType",
    "decode_json",
    "json_media",
    "media_kind",
    "nesting",
    "too_deep",
]
