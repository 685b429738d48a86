"""The audit log: who changed what, when, and the versions around it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class AuditRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: datetime
    actor: str
    actor_key_id: str
    action: str
    resource_type: str
    resource_id: str
    before_version: int | None = None
    after_version: int | None = None
    detail: dict[str, Any] | None = None
