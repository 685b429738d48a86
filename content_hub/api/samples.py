"""/manage/v1/sample-customers: saved customers for previews, and which of
them an audience (or a condition being written) matches."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.api.params import IfMatch, etag, version_from
from content_hub.domain.keys import Scope
from content_hub.domain.samples import (
    AudienceMatches,
    SampleCustomer,
    SampleCustomerCreate,
    SampleCustomerIn,
    SampleCustomerList,
)
from content_hub.services.base import Deps
from content_hub.services.sample_customers import SampleCustomerService


class ConditionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A condition in GrowthBook's condition language, not yet saved."""

    condition: dict[str, Any]


class SampleCustomerController(Controller):
    path = "/manage/v1/sample-customers"
    tags = ["audiences"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="List sample customers")
    async def list_samples(self, deps: NamedDependency[Deps]) -> SampleCustomerList:
        return SampleCustomerList(items=await SampleCustomerService(deps).all())

    @get("/{key:str}", summary="Get a sample customer")
    async def get_sample(
        self, deps: NamedDependency[Deps], key: FromPath[str]
    ) -> Response[SampleCustomer]:
        sample = await SampleCustomerService(deps).get(key)
        return Response(sample, headers=etag(sample.version))

    @post("/", summary="Save a sample customer (attributes, segments, context)")
    async def create_sample(
        self, deps: NamedDependency[Deps], data: JSONBody[SampleCustomerCreate]
    ) -> Response[SampleCustomer]:
        sample = await SampleCustomerService(deps).create(data)
        return Response(sample, status_code=201, headers=etag(sample.version))

    @put("/{key:str}", summary="Change a sample customer (If-Match required)")
    async def update_sample(
        self,
        deps: NamedDependency[Deps],
        key: FromPath[str],
        data: JSONBody[SampleCustomerIn],
        if_match: IfMatch = None,
    ) -> Response[SampleCustomer]:
        sample = await SampleCustomerService(deps).update(
            key, data, version_from(if_match)
        )
        return Response(sample, headers=etag(sample.version))

    @delete("/{key:str}", summary="Delete a sample customer (If-Match required)")
    async def delete_sample(
        self, deps: NamedDependency[Deps], key: FromPath[str], if_match: IfMatch = None
    ) -> None:
        await SampleCustomerService(deps).delete(key, version_from(if_match))

    @post(
        "/matching",
        status_code=200,
        summary="Which sample customers a condition matches (nothing is saved)",
    )
    async def matching_condition(
        self, deps: NamedDependency[Deps], data: JSONBody[ConditionIn]
    ) -> AudienceMatches:
        return await SampleCustomerService(deps).matching(data.condition)


class AudienceMatchController(Controller):
    path = "/manage/v1/audiences/{key:str}/matching"
    tags = ["audiences"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="Which sample customers an audience matches")
    async def matching_audience(
        self, deps: NamedDependency[Deps], key: FromPath[str]
    ) -> AudienceMatches:
        return await SampleCustomerService(deps).matching_audience(key)
