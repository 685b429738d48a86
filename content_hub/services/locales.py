"""Locale use cases (admin)."""

from __future__ import annotations

from content_hub.domain.changes import ChangeKind
from content_hub.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from content_hub.domain.inputs import LocaleCreate, LocaleUpdate
from content_hub.domain.locales import (
    InvalidLocaleCode,
    Locale,
    canonical_code,
    cldr_ancestors,
    describe,
)
from content_hub.domain.permissions import Action, require
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.store.repositories import LocaleRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository


def _code(value: str, loc: list[str | int]) -> str:
    try:
        return canonical_code(value)
    except InvalidLocaleCode as exc:
        raise ValidationFailed(
            str(exc), errors=[FieldError(loc=loc, msg=str(exc), type="locale")]
        ) from exc


def _fallbacks(code: str, given: list[str] | None) -> list[str]:
    if given is None:
        return list(cldr_ancestors(code))
    out = [_code(f, ["fallbacks", i]) for i, f in enumerate(given)]
    if code in out:
        raise ValidationFailed(
            "A locale cannot fall back to itself.",
            errors=[FieldError(loc=["fallbacks"], msg="contains the locale itself")],
        )
    if len(set(out)) != len(out):
        raise ValidationFailed(
            "Duplicate fallback locale.",
            errors=[FieldError(loc=["fallbacks"], msg="duplicate locale")],
        )
    return out


class LocaleService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = LocaleRepository(deps.session)

    async def all(self) -> list[Locale]:
        return await self.repo.all()

    async def get(self, code: str) -> Locale:
        locale = await self.repo.get(code)
        if locale is None:
            raise NotFound(f"No locale {code!r} is configured.")
        return locale

    async def create(self, data: LocaleCreate) -> Locale:
        require(self.deps.actor, Action.LOCALES_WRITE)
        code = _code(data.code, ["code"])
        if await self.repo.get(code) is not None:
            raise Conflict(f"Locale {code!r} already exists.")
        existing = await self.repo.all()
        name, native, direction = describe(code)
        when = now()
        locale = Locale(
            code=code,
            name=data.name or name,
            native_name=native,
            direction=direction,
            fallbacks=_fallbacks(code, data.fallbacks),
            is_default=data.is_default or not existing,
            version=1,
            created_at=when,
            updated_at=when,
        )
        if locale.is_default:
            await self.repo.clear_default(code)
        await self.repo.add(locale)
        await self._changed()
        await record(self.deps, "create", "locale", code, after=1)
        return locale

    async def update(
        self, code: str, data: LocaleUpdate, expected: int | None
    ) -> Locale:
        require(self.deps.actor, Action.LOCALES_WRITE)
        current = await self.get(code)
        require_version(expected, current.version, "locale")
        if data.is_default is False and current.is_default:
            raise Conflict(
                "Make another locale the default instead of unsetting this one."
            )
        updated = Locale(
            code=current.code,
            name=data.name if data.name is not None else current.name,
            native_name=current.native_name,
            direction=current.direction,
            fallbacks=(
                _fallbacks(code, data.fallbacks)
                if data.fallbacks is not None
                else current.fallbacks
            ),
            is_default=current.is_default or bool(data.is_default),
            version=current.version + 1,
            created_at=current.created_at,
            updated_at=now(),
        )
        if not await self.repo.update(updated, expected_version=current.version):
            raise stale("locale")
        if updated.is_default and not current.is_default:
            await self.repo.clear_default(code)
        await self._changed()
        await record(
            self.deps,
            "update",
            "locale",
            code,
            before=current.version,
            after=updated.version,
        )
        return updated

    async def delete(self, code: str, expected: int | None) -> None:
        require(self.deps.actor, Action.LOCALES_WRITE)
        current = await self.get(code)
        require_version(expected, current.version, "locale")
        if current.is_default:
            raise Conflict(
                "The default locale cannot be deleted; "
                "make another one the default first."
            )
        if not await self.repo.delete(code, expected_version=current.version):
            raise stale("locale")
        await self._changed()
        await record(self.deps, "delete", "locale", code, before=current.version)

    async def ensure_default(self) -> None:
        """Create the configured default locale when no locale exists yet."""
        require(self.deps.actor, Action.LOCALES_WRITE)
        if not await self.repo.all():
            await self.create(
                LocaleCreate(code=self.deps.settings.default_locale, is_default=True)
            )

    async def _changed(self) -> None:
        self.deps.forget()
        await ChangeRepository(self.deps.session).log(
            "*", "*", ChangeKind.LOCALES, now()
        )
        self.deps.delivery_changed()
