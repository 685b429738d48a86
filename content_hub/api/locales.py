"""/manage/v1/locales: read by any key or user that reads content (manage,
delivery or preview scope: editors and translators pick locales), changed
by admins only."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.api.params import IfMatch, etag, version_from
from content_hub.api.schemas import LocaleList
from content_hub.domain.inputs import LocaleCreate, LocaleUpdate
from content_hub.domain.keys import Scope
from content_hub.domain.locales import Locale
from content_hub.services.base import Deps
from content_hub.services.locales import LocaleService

READ = (Scope.MANAGE, Scope.DELIVERY, Scope.PREVIEW)
"""Who may read locales (admin implies every scope); writes stay admin's."""


class LocaleController(Controller):
    path = "/manage/v1/locales"
    tags = ["locales"]
    opt = {"scopes": (Scope.ADMIN,)}

    @get("/", summary="List locales with their fallback chains", opt={"scopes": READ})
    async def list_locales(self, deps: NamedDependency[Deps]) -> LocaleList:
        return LocaleList(items=await LocaleService(deps).all())

    @get("/{code:str}", summary="Get a locale", opt={"scopes": READ})
    async def get_locale(
        self, deps: NamedDependency[Deps], code: FromPath[str]
    ) -> Response[Locale]:
        locale = await LocaleService(deps).get(code)
        return Response(locale, headers=etag(locale.version))

    @post("/", summary="Add a locale (fallbacks default to its CLDR parents)")
    async def create_locale(
        self, deps: NamedDependency[Deps], data: JSONBody[LocaleCreate]
    ) -> Response[Locale]:
        locale = await LocaleService(deps).create(data)
        return Response(locale, status_code=201, headers=etag(locale.version))

    @patch("/{code:str}", summary="Change a locale's name, fallbacks or default flag")
    async def update_locale(
        self,
        deps: NamedDependency[Deps],
        code: FromPath[str],
        data: JSONBody[LocaleUpdate],
        if_match: IfMatch = None,
    ) -> Response[Locale]:
        locale = await LocaleService(deps).update(code, data, version_from(if_match))
        return Response(locale, headers=etag(locale.version))

    @delete("/{code:str}", summary="Remove a locale (not the default)")
    async def delete_locale(
        self, deps: NamedDependency[Deps], code: FromPath[str], if_match: IfMatch = None
    ) -> None:
        await LocaleService(deps).delete(code, version_from(if_match))
