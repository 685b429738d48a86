"""Origins: the browser sites a front-end calls the hub from (CORS)."""

from __future__ import annotations

import re

_ORIGIN = re.compile(
    r"^[a-z][a-z0-9+.-]*://"  # scheme
    r"(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])"  # host name, IPv4 or [IPv6]
    r"(?::\d{1,5})?$"  # port
)


def parse_origins(
    text: str, variable: str, *, wildcard: bool = True
) -> tuple[str, ...]:
    """Comma-separated origins as a browser sends them in ``Origin``
    (``https://shop.example.com``, ``http://localhost:3000``), lower-cased;
    ``*`` (any origin) only where ``wildcard`` allows it.

    A path, a trailing slash or a missing scheme never matches what a browser
    sends, so it is refused at start (naming ``variable``) rather than
    silently matching nothing.
    """
    origins: list[str] = []
    for item in text.split(","):
        origin = item.strip().lower()
        if not origin:
            continue
        if origin == "*":
            if not wildcard:
                raise ValueError(
                    f"{variable} cannot contain '*': list the origins allowed to "
                    "call this API, e.g. https://studio.example.com"
                )
        elif not _ORIGIN.match(origin):
            raise ValueError(
                f"{variable}: {item.strip()!r} is not an origin: write "
                "scheme://host[:port] without a path, e.g. https://www.example.com"
            )
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)
