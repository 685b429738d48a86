"""Repository of saved sample customers."""

from __future__ import annotations

from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.render import ContextIn, CustomerIn
from content_hub.domain.samples import SampleCustomer
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables_render import SampleCustomerRow


def _sample(row: SampleCustomerRow) -> SampleCustomer:
    return SampleCustomer(
        key=row.key,
        name=row.name,
        description=row.description,
        customer=msgspec.convert(row.customer, CustomerIn),
        context=msgspec.convert(row.context, ContextIn),
        locale=row.locale,
        version=row.version,
        updated_at=utc(row.updated_at),
    )


def _values(sample: SampleCustomer) -> dict[str, Any]:
    return {
        "name": sample.name,
        "description": sample.description,
        "customer": msgspec.to_builtins(sample.customer),
        "context": msgspec.to_builtins(sample.context),
        "locale": sample.locale,
        "version": sample.version,
        "updated_at": sample.updated_at,
    }


class SampleCustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[SampleCustomer]:
        rows = await self.session.execute(
            sa.select(SampleCustomerRow).order_by(col(SampleCustomerRow.key))
        )
        return [_sample(r) for r in rows.scalars()]

    async def get(self, key: str) -> SampleCustomer | None:
        row = await self.session.get(SampleCustomerRow, key)
        return None if row is None else _sample(row)

    async def add(self, sample: SampleCustomer) -> None:
        self.session.add(SampleCustomerRow(key=sample.key, **_values(sample)))
        await self.session.flush()

    async def update(self, sample: SampleCustomer, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.update(SampleCustomerRow)
            .where(
                col(SampleCustomerRow.key) == sample.key,
                col(SampleCustomerRow.version) == expected_version,
            )
            .values(**_values(sample))
        )
        return affected(result)

    async def delete(self, key: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(SampleCustomerRow).where(
                col(SampleCustomerRow.key) == key,
                col(SampleCustomerRow.version) == expected_version,
            )
        )
        return affected(result)
