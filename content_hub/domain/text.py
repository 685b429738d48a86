"""What text the hub can keep: anything but NUL (U+0000).

PostgreSQL stores no NUL in ``text`` or ``jsonb`` (the driver refuses it, the
server refuses the ``\\u0000`` escape), so a NUL that reached the store would
be a 500 there and silently kept on SQLite. The hub refuses it where input is
decoded instead: request bodies (:class:`NulFree` and :data:`NO_NUL`) and, for
everything else that reaches a query, the store's guard
(``content_hub.store.guards``).
"""

from __future__ import annotations

from typing import Any

import msgspec

NUL = "\x00"
NO_NUL = r"^[^\x00]*$"
"""A ``msgspec.Meta`` pattern for a string field that may hold anything but NUL."""


def nul_path(value: Any) -> str | None:
    """Where the first NUL is in a decoded value (strings, keys, lists,
    objects, Structs), as a JSON path such as ``fields.title.en``; None if
    there is none. Iterative: a value nested thousands deep is walked
    without recursion."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return path or "$"
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and NUL in key:
                    return name
                stack.append((child, name))
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))
        elif isinstance(item, msgspec.Struct):
            for name in item.__struct_fields__:
                stack.append((getattr(item, name), f"{path}.{name}" if path else name))
    return None


class NulFree(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of request bodies the hub stores: no NUL anywhere inside, checked
    once decoded (a ``ValueError`` here is a 400 naming the place)."""

    def __post_init__(self) -> None:
        path = nul_path(self)
        if path is not None:
            raise ValueError(
                f"text may not contain a NUL character (U+0000): found at {path}"
            )
