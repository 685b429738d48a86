"""Generated event batches for the event writers' tests, and the session
write they are compared with (the recorder's path without a writer of the
store's own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.store.db import commit, create_engine, create_session_factory
from content_hub.store.repositories.events import EventRepository

Batch = tuple[list[Exposure], dict[str, dict[str, str]], list[RenderReceipt], datetime]

# Text as it reaches the recorder: any character but NUL (the render path
# refuses those) and lone surrogates (not encodable).
text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=12,
)
times = st.builds(
    lambda base, minutes, offset: (base + timedelta(minutes=minutes)).replace(
        tzinfo=timezone(timedelta(minutes=offset))
    ),
    st.just(datetime(2026, 11, 1, 12, 0)),
    st.integers(-10_000, 10_000),
    st.integers(-14 * 60, 14 * 60),
) | st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.just(UTC),
)
exposures = st.builds(
    Exposure,
    # repeats within and across batches
    event_id=st.sampled_from([f"ev{i}" for i in range(24)]),
    experiment_key=text,
    variation_id=st.integers(0, 1000),
    variant=text,
    hash_attribute=text,
    hash_value=text,
    entry_id=st.none() | text,
    channel=st.none() | st.sampled_from(["web", "email", "app", "sms"]),
    source=st.sampled_from(["render", "sdk"]),
    at=times,
)
sticky = st.dictionaries(
    st.sampled_from([f"id||u{i}" for i in range(16)] + ["email||ü@x"]),
    st.dictionaries(
        st.sampled_from(["exp__0", "exp__1", "other__0"]), text, max_size=3
    ),
    max_size=17,
)
receipts = st.builds(
    RenderReceipt,
    entry_id=text,
    version=st.integers(1, 10_000),
    variant=text,
    locale=st.sampled_from(["en", "de-CH", "nb"]),
    channel=st.sampled_from(["web", "email"]),
    customer_id=st.none() | text,
    request_id=st.none() | text,
    at=times,
)
batches = st.lists(
    st.tuples(
        st.lists(exposures, max_size=30),
        sticky,
        st.lists(receipts, max_size=12),
        times,
    ),
    min_size=1,
    max_size=4,
)


async def session_write(url: str, batches: Sequence[Batch]) -> None:
    """Each batch through an async session and the event repository, as the
    recorder writes when no store writer is wired."""
    engine = create_engine(url)
    try:
        sessions = create_session_factory(engine)
        for items, docs, sent, now in batches:
            async with sessions() as session:
                repo = EventRepository(session)
                if items:
                    await repo.write_exposures(items)
                if docs:
                    await repo.merge_sticky(docs, now)
                if sent:
                    await repo.add_receipts(sent)
                await commit(session)
    finally:
        await engine.dispose()
