"""The sync API: every delivery change after a cursor, so a front-end or a
cache stays in step without re-reading everything.

The cursor is a change-log sequence number. Sequence numbers are taken under
a lock held until commit, so they become visible in order: reading the
committed head first and then the changes up to it never skips a change
that commits later, and never returns one twice.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.domain.changes import ChangeKind
from content_hub.domain.errors import BadRequest
from content_hub.domain.pagination import decode_cursor, encode_cursor
from content_hub.domain.sync import ChangeBatch
from content_hub.services.release_publish import release_changes
from content_hub.store.repositories.changes import ChangeRepository


def _position(cursor: str | None) -> int:
    raw = decode_cursor(cursor)
    if raw is None:
        return 0
    if not (raw.startswith("seq:") and raw[4:].isdigit() and len(raw) <= 16):
        raise BadRequest("The cursor is not one this API handed out.")
    return int(raw[4:])


async def changes_since(
    session: AsyncSession, cursor: str | None, limit: int
) -> ChangeBatch:
    after = _position(cursor)
    repo = ChangeRepository(session)
    head = await repo.head()
    kinds = {*ChangeKind.delivery(), ChangeKind.RELEASE}
    rows = await repo.between(after, head, kinds, limit)
    has_more = len(rows) == limit
    changes = []
    for row in rows:  # a release's one row stands for each of its entries
        if row.kind == ChangeKind.RELEASE:
            changes += await release_changes(session, row)
        else:
            changes.append(row)
    top = rows[-1].seq if has_more else max(head, after)
    return ChangeBatch(
        changes=changes,
        next_cursor=encode_cursor(f"seq:{top}"),
        has_more=has_more,
    )
