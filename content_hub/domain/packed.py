"""JSON documents kept encoded in memory, decoded on each read.

A published generation holds every entry's variants and rules, but the
render path reads one entry's only when a rule set is compiled or a
(variant, locale) is resolved for the first time, and both results are
cached. Kept decoded, those documents are the largest part of a generation
(about 3.8 KB of small dicts and strings per entry, against 0.7 KB of
JSON); kept encoded, each read costs a few microseconds and hands out a
fresh dict that no reader can change for another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import msgspec

__all__ = ["PackedDocuments"]

_decode = msgspec.json.Decoder(dict[str, Any]).decode


class PackedDocuments(Mapping[str, dict[str, Any]]):
    """An immutable mapping of id -> JSON object, stored as encoded bytes.

    ``versions`` optionally records the version of each id the documents were
    read for (ids without a document included), so the next read can fetch
    only what changed.
    """

    __slots__ = ("_raw", "versions")

    def __init__(
        self,
        raw: Mapping[str, bytes] | None = None,
        versions: Mapping[str, int] | None = None,
    ) -> None:
        self._raw: Mapping[str, bytes] = raw if raw is not None else {}
        self.versions = versions

    def __getitem__(self, key: str) -> dict[str, Any]:
        return _decode(self._raw[key])

    def get(self, key: str, default: Any = None) -> Any:
        raw = self._raw.get(key)
        return default if raw is None else _decode(raw)

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def raw(self, key: str) -> bytes | None:
        """The encoded document of ``key`` (``None`` when there is none)."""
        return self._raw.get(key)

    def replaced(
        self,
        upserts: Mapping[str, bytes],
        removals: Iterable[str] = (),
        versions: Mapping[str, int] | None = None,
    ) -> PackedDocuments:
        """A new mapping with some documents replaced or removed (this one is
        left as it is: readers of the previous generation keep theirs)."""
        raw = dict(self._raw)
        for key in removals:
            raw.pop(key, None)
        raw.update(upserts)
        return PackedDocuments(raw, versions)
