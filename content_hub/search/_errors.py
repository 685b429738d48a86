"""Search errors: one base, one subclass per failure.

The package does not import ``content_hub.domain`` (it only needs the stdlib,
msgspec and the Meilisearch client), so the errors carry the same class-level
shape as the hub's ``HubError`` (``status``, ``type_slug``, ``title``) and a
``detail``; the API's problem mapper can translate them in one place.
"""

from __future__ import annotations

from typing import ClassVar


class SearchError(Exception):
    """Base of every failure raised by ``content_hub.search``."""

    status: ClassVar[int] = 500
    type_slug: ClassVar[str] = "search-error"
    title: ClassVar[str] = "Search failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class SearchRequestError(SearchError):
    """The caller asked for something malformed: a 400."""

    status = 400
    type_slug = "invalid-search-request"
    title = "Invalid search request"


class UnknownFilterFieldError(SearchRequestError):
    """A filter names a field outside the allow-list."""

    type_slug = "unknown-filter-field"
    title = "Unknown filter field"

    def __init__(self, field: str, allowed: tuple[str, ...]) -> None:
        super().__init__(
            f"cannot filter on {field!r}; filterable fields: {', '.join(allowed)}"
        )
        self.field = field


class InvalidFilterError(SearchRequestError):
    """A filter is well-formed JSON but not a valid expression."""

    type_slug = "invalid-filter"
    title = "Invalid filter"


class InvalidSearchQueryError(SearchRequestError):
    """Limit, offset, facets or locales of a query are out of bounds."""

    type_slug = "invalid-search-query"
    title = "Invalid search query"


class SearchDocumentError(SearchError):
    """A document handed to ``upsert`` is inconsistent (a bug in the caller)."""

    status = 500
    type_slug = "invalid-search-document"
    title = "Invalid search document"


class SearchBackendError(SearchError):
    """The engine failed or is unreachable: a 503 for a query."""

    status = 503
    type_slug = "search-unavailable"
    title = "Search backend unavailable"


class SearchTaskError(SearchBackendError):
    """A Meilisearch task ended ``failed`` or ``canceled``; carries the task error."""

    type_slug = "search-task-failed"
    title = "Search index task failed"

    def __init__(
        self,
        detail: str,
        *,
        task_uid: int | None = None,
        task_status: str | None = None,
        error: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail)
        self.task_uid = task_uid
        self.task_status = task_status
        self.error = error or {}
        self.code = str(self.error.get("code", "")) or None
