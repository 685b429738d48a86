"""The store's guard against text no backend may receive: NUL (U+0000).

Request bodies are checked when decoded (``content_hub.domain.text``), but a
path segment, a query filter or a header value reaches a query too, and on
PostgreSQL a NUL there is a driver error (``DataError``: a 500) while SQLite
quietly finds nothing. Every statement's string parameters are checked here
before they are sent, so a NUL is the same 400 on every backend, whichever
route, service or worker issued the query.

The listener is registered on SQLAlchemy's ``Engine`` class, so every engine
the hub builds has it (including ones built outside ``store.db``); it looks
at string and string-array parameters only (a few per statement:
microseconds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from content_hub.domain.errors import NulCharacter
from content_hub.domain.text import NUL


def _rows(parameters: Any) -> Iterable[Any]:
    """The parameter rows of one execution: a list of rows for an
    ``executemany``, one row (a dict, or a tuple for positional drivers) for
    everything else, including the batches of "insertmanyvalues"."""
    if parameters is None:
        return ()
    if isinstance(parameters, list) and isinstance(
        parameters[0] if parameters else None, tuple | list | Mapping
    ):
        return parameters
    return (parameters,)


def _has_nul(value: Any) -> bool:
    """A string, or an array parameter of strings (``= ANY(:keys)``)."""
    if type(value) is str:
        return NUL in value
    if type(value) in (list, tuple):
        return any(type(v) is str and NUL in v for v in value)
    return False


def refuse_nul(
    _conn: Any,
    _cursor: Any,
    _statement: str,
    parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    """``before_cursor_execute``: raise :class:`NulCharacter` for a string
    parameter that holds a NUL (the statement is never sent)."""
    for row in _rows(parameters):
        values = row.values() if isinstance(row, Mapping) else row
        if not isinstance(values, Iterable) or isinstance(values, str | bytes):
            continue
        for value in values:
            if _has_nul(value):
                raise NulCharacter(
                    "Text may not contain a NUL character (U+0000): not in a "
                    "path, a query parameter or any value sent to the hub."
                )


if not event.contains(Engine, "before_cursor_execute", refuse_nul):
    event.listen(Engine, "before_cursor_execute", refuse_nul)
