"""Reference resolution for delivery: entry and media references in reference
fields are replaced by what they point at, to a depth, without cycles and
within a size budget. Pure: the caller says how to find entries and media.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import msgspec

from content_hub.domain.entries import resolve_fields
from content_hub.domain.media import Media

MAX_INCLUDE = 5
MAX_INCLUDED = 100  # entries and media embedded in one response
MAX_INCLUDED_BYTES = 1_000_000

_encoder = msgspec.json.Encoder()


class Included(msgspec.Struct, frozen=True, kw_only=True):
    """An entry as it appears inside another: its resolved fields."""

    id: str
    type: str
    key: str
    version: int
    fields: dict[str, Any]
    terms: list[str] = []
    stage: str = "published"


class Source(msgspec.Struct, frozen=True, kw_only=True):
    """An entry a reference may point at, before locale resolution."""

    id: str
    type: str
    key: str
    version: int
    fields: dict[str, Any]
    localized: frozenset[str]
    ref_fields: frozenset[str]
    terms: list[str] = []
    stage: str = "published"


RefKind = Literal["entry", "media"]
"""What a reference points at; also the prefix of its CDN purge key
(``entry-<id>``, ``media-<id>``), so each kind of embedded thing is named as
what it is."""

EntryLookup = Callable[[str], Source | None]
MediaLookup = Callable[[str], Media | None]


class Resolver:
    """One response's resolution: the budget and the entries it embedded."""

    def __init__(
        self,
        entries: EntryLookup,
        media: MediaLookup,
        chain: tuple[str, ...],
        missing_entry: str = "unpublished",
    ) -> None:
        self.entries = entries
        self.media = media
        self.chain = chain
        self.missing_entry = missing_entry
        self.count = 0
        self.size = 0
        self.embedded: set[tuple[RefKind, str]] = set()
        """``(kind, id)`` of everything embedded (or looked for and not live):
        a change to any of them changes the response."""

    def fields(
        self,
        values: dict[str, Any],
        ref_fields: frozenset[str],
        depth: int,
        path: tuple[str, ...],
    ) -> dict[str, Any]:
        """``values`` with references in ``ref_fields`` resolved (a new dict)."""
        if depth <= 0 or not ref_fields:
            return values
        out = dict(values)
        for key in ref_fields:
            value = out.get(key)
            if isinstance(value, list):
                out[key] = [self.ref(item, depth, path) for item in value]
            elif isinstance(value, dict):
                out[key] = self.ref(value, depth, path)
        return out

    def ref(self, value: Any, depth: int, path: tuple[str, ...]) -> Any:
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            return value
        kind, ref_id = value.get("type"), value["id"]
        if kind == "media":
            return self._media(ref_id)
        if kind != "entry":
            return value
        if ref_id in path:
            return {"type": "entry", "id": ref_id, "unresolved": "cycle"}
        if self.count >= MAX_INCLUDED or self.size >= MAX_INCLUDED_BYTES:
            return {"type": "entry", "id": ref_id, "unresolved": "limit"}
        source = self.entries(ref_id)
        self.embedded.add(("entry", ref_id))  # a publish of it changes this response
        if source is None:
            return {"type": "entry", "id": ref_id, "unresolved": self.missing_entry}
        self.count += 1
        resolved = resolve_fields(source.fields, source.localized, self.chain).values
        self.size += len(_encoder.encode(resolved))
        nested = self.fields(resolved, source.ref_fields, depth - 1, (*path, ref_id))
        return {
            "type": "entry",
            "id": ref_id,
            "entry": Included(
                id=source.id,
                type=source.type,
                key=source.key,
                version=source.version,
                fields=nested,
                terms=source.terms,
                stage=source.stage,
            ),
        }

    def _media(self, media_id: str) -> dict[str, Any]:
        media = self.media(media_id)
        if media is None:
            return {"type": "media", "id": media_id, "unresolved": "missing"}
        self.count += 1
        self.embedded.add(("media", media_id))
        alt = next((media.alt[c] for c in self.chain if c in media.alt), None)
        return {
            "type": "media",
            "id": media_id,
            "media": {
                "url": media.url,
                "mime_type": media.mime_type,
                "title": media.title,
                "alt": alt,
                "width": media.width,
                "height": media.height,
                "focal_point": (
                    None
                    if media.focal_point is None
                    else {"x": media.focal_point.x, "y": media.focal_point.y}
                ),
            },
        }
