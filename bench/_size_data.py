"""Synthetic content for the size benchmark, written straight into the store.

One prototype entry goes through the service layer (locales, the article
type with a rich-text body, 20 media records, web and email templates,
variants and rules, publish), so every stored shape is what the services
write. The other N - 1 entries are copies of its rows with their own id, key
and text (every localised value and every variant override unique per entry,
as real content is), inserted in bulk: the service layer publishes about 15
entries a second, far too slow for 100,000.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import col

from bench._harness import article_fields, hub_settings, load_entries
from bench.bench_render import personalise
from content_hub.cli import _create_key
from content_hub.domain.ids import new_id
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from content_hub.store.db import commit, create_engine, create_session_factory, migrate
from content_hub.store.tables import CounterRow, EntryRevisionRow, EntryRow, MediaRow
from content_hub.store.tables_render import PersonalizationRow


def _table(row: type[Any]) -> sa.Table:
    """The table a SQLModel row class maps (its rows copied as dicts)."""
    return cast(sa.Table, sa.inspect(row).local_table)


CHUNK = 2_000
PROTOTYPE = "offer-0"


def entry_fields(i: int, media: list[str], previous: str | None) -> dict[str, Any]:
    """The bench article's fields with a body of its own (real bodies differ)."""
    fields = article_fields(i, media, previous)
    fields["body"] = {
        "en": f"<p>Offer {i}: ride further with a lighter frame and a bigger "
        f"battery. <strong>Model {i % 97}</strong>, {i % 7 + 3} gears.</p>"
        "<ul><li>Range 120 km</li><li>Weight 19 kg</li></ul>",
        "de": f"<p>Angebot {i}: weiter fahren mit leichterem Rahmen und "
        f"größerem Akku. <strong>Modell {i % 97}</strong>, {i % 7 + 3} Gänge.</p>"
        "<ul><li>Reichweite 120 km</li><li>Gewicht 19 kg</li></ul>",
    }
    return fields


def personalization(proto: dict[str, Any], i: int) -> dict[str, Any]:
    """The prototype's variants and rules with per-entry, per-locale overrides."""
    data = copy.deepcopy(proto)
    variants = data["variants"]
    variants["discount"]["fields"]["title"] = {
        "en": f"15% off offer {i} this week",
        "de": f"15 % Rabatt auf Angebot {i} diese Woche",
        "nb": f"15 % rabatt på tilbud {i} denne uken",
    }
    variants["premium"]["fields"]["summary"] = {
        "en": f"Your private preview of offer {i}",
        "de": f"Ihre private Vorschau auf Angebot {i}",
        "zh-Hans": f"优惠 {i} 的私人预览",
    }
    for rule in data["rules"]:
        if rule.get("type") == "experiment":
            rule["key"] = f"bench-exp-{i}"
    return data


async def _clone(settings: Settings, count: int) -> None:
    engine = create_engine(settings.database.url)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        proto = (
            (
                await session.execute(
                    sa.select(_table(EntryRow)).where(col(EntryRow.key) == PROTOTYPE)
                )
            )
            .one()
            ._asdict()
        )
        revision = (
            (
                await session.execute(
                    sa.select(_table(EntryRevisionRow)).where(
                        col(EntryRevisionRow.entry_id) == proto["id"],
                        col(EntryRevisionRow.version) == proto["published_version"],
                    )
                )
            )
            .one()
            ._asdict()
        )
        perso = (
            (
                await session.execute(
                    sa.select(_table(PersonalizationRow)).where(
                        col(PersonalizationRow.entry_id) == proto["id"]
                    )
                )
            )
            .one()
            ._asdict()
        )
        media = list(
            (
                await session.execute(
                    sa.select(col(MediaRow.id)).order_by(col(MediaRow.id))
                )
            )
            .scalars()
            .all()
        )
        seq = int(
            (
                await session.execute(
                    sa.select(col(CounterRow.value)).where(
                        col(CounterRow.name) == "publish_seq"
                    )
                )
            ).scalar_one()
        )
    at = datetime.now(UTC)
    previous = proto["id"]
    for start in range(1, count, CHUNK):
        entries, revisions, personalizations = [], [], []
        for i in range(start, min(count, start + CHUNK)):
            seq += 1
            entry_id = new_id()
            fields = entry_fields(i, media, previous)
            key = f"offer-{i}"
            entries.append(
                {**proto, "id": entry_id, "key": key, "fields": fields,
                 "publish_seq": seq, "published_at": at, "created_at": at,
                 "updated_at": at}
            )  # fmt: skip
            rev = {k: v for k, v in revision.items() if k != "id"}
            revisions.append(
                {**rev, "entry_id": entry_id, "key": key, "fields": fields}
            )
            personalizations.append(
                {
                    **perso,
                    "entry_id": entry_id,
                    "data": personalization(perso["data"], i),
                }
            )
            previous = entry_id
        async with sessions() as session:
            await session.execute(sa.insert(_table(EntryRow)), entries)
            await session.execute(sa.insert(_table(EntryRevisionRow)), revisions)
            await session.execute(
                sa.insert(_table(PersonalizationRow)), personalizations
            )
            await commit(session)
    async with sessions() as session:
        for name in ("publish_seq", "search_cursor"):
            # The search indexer is not measured here: leave it nothing to do.
            await session.execute(
                sa.delete(CounterRow).where(col(CounterRow.name) == name)
            )
            session.add(CounterRow(name=name, value=seq))
        await commit(session)
    await engine.dispose()


def prepare(count: int, data: Path) -> tuple[Settings, dict[str, str]]:
    """A hub in ``data`` with ``count`` published, personalised entries (reused
    when ``data/size.json`` says it holds as many); returns its keys by scope."""
    marker = data / "size.json"
    settings = hub_settings(data)
    if marker.exists():
        saved = json.loads(marker.read_text())
        if saved["count"] == count:
            return settings, dict(saved["secrets"])
    data.mkdir(parents=True, exist_ok=True)
    migrate(settings.database.url)
    started = time.perf_counter()
    keys = asyncio.run(load_entries(settings, 1))
    asyncio.run(personalise(settings, keys))
    asyncio.run(_clone(settings, count))
    secrets = {
        s.value: asyncio.run(_create_key(settings, f"bench-{s.value}", [s]))
        for s in Scope
    }
    print(f"generated {count} entries in {time.perf_counter() - started:.1f} s")
    marker.write_text(json.dumps({"count": count, "secrets": secrets}))
    return settings, secrets
