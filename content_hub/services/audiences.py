"""Audiences: named, reusable conditions (GrowthBook's condition language)."""

from __future__ import annotations

from content_hub.domain.changes import ChangeKind
from content_hub.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from content_hub.domain.permissions import Action, require
from content_hub.domain.render import Audience, AudienceCreate, AudienceIn
from content_hub.services.base import Deps, require_version, stale
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.render import AudienceRepository
from variants import VariantsError, validate_condition


def problems_of(exc: VariantsError, what: str) -> ValidationFailed:
    """A 422 listing every problem ``variants`` found, with its path."""
    problems = getattr(exc, "errors", ())
    errors = [FieldError(loc=list(p.loc), msg=p.msg, type=p.type) for p in problems]
    first = f": {errors[0].msg}" if errors else ""
    return ValidationFailed(
        f"The {what} is not valid{first}",
        errors=errors or [FieldError(loc=[], msg=str(exc))],
    )


def check_condition(condition: dict[str, object]) -> None:
    try:
        validate_condition(condition)
    except VariantsError as exc:
        raise problems_of(exc, "condition") from exc


class AudienceService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = AudienceRepository(deps.session)

    async def all(self) -> list[Audience]:
        return await self.repo.all()

    async def get(self, key: str) -> Audience:
        found = await self.repo.get(key)
        if found is None:
            raise NotFound(f"No audience {key!r}.")
        return found

    async def create(self, data: AudienceCreate) -> Audience:
        require(self.deps.actor, Action.AUDIENCES_WRITE)
        check_condition(data.condition)
        if await self.repo.get(data.key) is not None:
            raise Conflict(f"Audience {data.key!r} already exists.")
        audience = Audience(
            key=data.key,
            name=data.name,
            condition=data.condition,
            version=1,
            updated_at=now(),
        )
        await self.repo.add(audience)
        await self._changed()
        return audience

    async def update(
        self, key: str, data: AudienceIn, expected: int | None
    ) -> Audience:
        require(self.deps.actor, Action.AUDIENCES_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "audience")
        check_condition(data.condition)
        updated = Audience(
            key=key,
            name=data.name,
            condition=data.condition,
            version=current.version + 1,
            updated_at=now(),
        )
        if not await self.repo.update(updated, expected_version=current.version):
            raise stale("audience")
        await self._changed()
        return updated

    async def delete(self, key: str, expected: int | None) -> None:
        require(self.deps.actor, Action.AUDIENCES_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "audience")
        if not await self.repo.delete(key, expected_version=current.version):
            raise stale("audience")
        await self._changed()

    async def _changed(self) -> None:
        await ChangeRepository(self.deps.session).log(
            "*", "*", ChangeKind.AUDIENCES, now()
        )
        self.deps.delivery_changed()
