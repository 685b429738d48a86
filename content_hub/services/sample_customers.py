"""Sample customers: saved customers that previews render as and that
audiences are tested against (which of them an audience matches)."""

from __future__ import annotations

from typing import Any

from content_hub.domain.errors import Conflict, NotFound
from content_hub.domain.permissions import Action, require
from content_hub.domain.render import CustomerIn
from content_hub.domain.samples import (
    AudienceMatches,
    SampleCustomer,
    SampleCustomerCreate,
    SampleCustomerIn,
)
from content_hub.live.render import variants_customer
from content_hub.services.audiences import AudienceService, check_condition
from content_hub.services.base import Deps, require_version, stale
from content_hub.store.repositories._util import now
from content_hub.store.repositories.samples import SampleCustomerRepository
from variants import customer_matches


def matches(condition: dict[str, Any], customer: CustomerIn) -> bool:
    """Whether ``customer`` is in the audience ``condition`` describes, as a
    personalise rule with that audience decides it."""
    return customer_matches(condition, variants_customer(customer))


class SampleCustomerService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = SampleCustomerRepository(deps.session)

    async def all(self) -> list[SampleCustomer]:
        return await self.repo.all()

    async def get(self, key: str) -> SampleCustomer:
        found = await self.repo.get(key)
        if found is None:
            raise NotFound(f"No sample customer {key!r}.")
        return found

    async def create(self, data: SampleCustomerCreate) -> SampleCustomer:
        require(self.deps.actor, Action.SAMPLES_WRITE)
        if await self.repo.get(data.key) is not None:
            raise Conflict(f"Sample customer {data.key!r} already exists.")
        sample = self._build(data.key, data, version=1)
        await self.repo.add(sample)
        return sample

    async def update(
        self, key: str, data: SampleCustomerIn, expected: int | None
    ) -> SampleCustomer:
        require(self.deps.actor, Action.SAMPLES_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "sample customer")
        sample = self._build(key, data, version=current.version + 1)
        if not await self.repo.update(sample, expected_version=current.version):
            raise stale("sample customer")
        return sample

    async def delete(self, key: str, expected: int | None) -> None:
        require(self.deps.actor, Action.SAMPLES_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "sample customer")
        if not await self.repo.delete(key, expected_version=current.version):
            raise stale("sample customer")

    async def matching(self, condition: dict[str, Any]) -> AudienceMatches:
        """The saved sample customers a condition matches (checked first: a
        condition ``variants`` refuses is a 422 with its location)."""
        check_condition(condition)
        samples = await self.repo.all()
        return AudienceMatches(
            matching=[s.key for s in samples if matches(condition, s.customer)],
            total=len(samples),
        )

    async def matching_audience(self, audience_key: str) -> AudienceMatches:
        audience = await AudienceService(self.deps).get(audience_key)
        return await self.matching(audience.condition)

    @staticmethod
    def _build(key: str, data: SampleCustomerIn, *, version: int) -> SampleCustomer:
        return SampleCustomer(
            key=key,
            name=data.name,
            description=data.description,
            customer=data.customer,
            context=data.context,
            locale=data.locale,
            version=version,
            updated_at=now(),
        )
