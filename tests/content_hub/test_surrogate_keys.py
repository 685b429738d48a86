"""Surrogate keys name every embedded thing as what it is: an entry embedded in
a delivered entry is ``entry-<id>``, a media record ``media-<id>``.

Pure snapshot tests (no database): random graphs of entries that reference
entries and media, some missing, ids shared between an entry and a media
record so that a wrong prefix cannot hide behind distinct ids.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from content_hub.domain.entries import PublishedEntry
from content_hub.domain.locales import LocaleSet
from content_hub.domain.media import Media
from content_hub.live.delivery_state import DeliverySnapshot, full_state
from content_hub.live.generation import Generation, Published
from content_hub.live.render_state import RenderState
from content_hub.live.state import TypeInfo

NOW = datetime(2026, 3, 1, tzinfo=UTC)
LOCALES = LocaleSet(default="en", chains={"en": ("en",)}, directions={"en": "ltr"})
IDS = [f"x{i}" for i in range(6)]  # shared by entries and media on purpose
TYPES = {
    "page": TypeInfo(
        localized=frozenset(),
        channels=("web",),
        references=frozenset({"refs", "hero"}),
    )
}


def _media(media_id: str) -> Media:
    return Media(
        id=media_id,
        url=f"https://cdn.example.com/{media_id}.jpg",
        mime_type="image/jpeg",
        title="",
        alt={"en": media_id},
        width=None,
        height=None,
        focal_point=None,
        version=1,
        created_at=NOW,
        updated_at=NOW,
        created_by="t",
        updated_by="t",
    )


refs = st.lists(
    st.tuples(st.sampled_from(["entry", "media"]), st.sampled_from(IDS)), max_size=4
)
worlds = st.fixed_dictionaries(
    {
        "entries": st.dictionaries(st.sampled_from(IDS), refs, min_size=1),
        "media": st.sets(st.sampled_from(IDS)),
        "hero": st.dictionaries(st.sampled_from(IDS), st.sampled_from(IDS)),
    }
)


def _snapshot(world: dict[str, Any]) -> DeliverySnapshot:
    entries = []
    for entry_id, links in world["entries"].items():
        fields: dict[str, Any] = {
            "title": entry_id,
            "refs": [{"type": kind, "id": ref_id} for kind, ref_id in links],
        }
        if entry_id in world["hero"]:
            fields["hero"] = {"type": "media", "id": world["hero"][entry_id]}
        entries.append(
            PublishedEntry(
                id=entry_id,
                type="page",
                key=f"k-{entry_id}",
                fields=fields,
                version=1,
                published_at=NOW,
                publish_seq=1,
            )
        )
    delivery = full_state(
        seq=1,
        locales=LOCALES,
        types=TYPES,
        entries=entries,
        media=[_media(m) for m in world["media"]],
    )
    render = RenderState(
        seq=1, personalization={}, audiences=(), renderers={}, template_versions={}
    )
    return DeliverySnapshot(Published(Generation(delivery, render)))


def _embedded(value: Any) -> set[str]:
    """``<kind>-<id>`` of every reference in a body that points at something
    delivery looked up: resolved entries and media, and entries not live
    (their publish would change the body)."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _embedded(item)
    elif isinstance(value, dict):
        kind = value.get("type")
        looked_up = kind in value or value.get("unresolved") == "unpublished"
        if (
            kind in ("entry", "media")
            and isinstance(value.get("id"), str)
            and looked_up
        ):
            found.add(f"{kind}-{value['id']}")
        for item in value.values():
            found |= _embedded(item)
    return found


@settings(max_examples=200, deadline=None)
@given(world=worlds, include=st.integers(0, 3))
def test_every_embedded_thing_is_named_by_its_kind(
    world: dict[str, Any], include: int
) -> None:
    snapshot = _snapshot(world)
    for entry_id in world["entries"]:
        encoded = snapshot.encoded(entry_id, "en", include)
        assert encoded is not None
        keys = encoded.surrogate_keys.split()
        assert keys[:2] == [f"entry-{entry_id}", "type-page"]
        assert len(keys) == len(set(keys))
        body = msgspec.json.decode(encoded.body)
        expected = _embedded(body["fields"]) - {f"entry-{entry_id}"}
        assert set(keys[2:]) == expected
        for key in keys[2:]:
            kind, _, ref_id = key.partition("-")
            assert kind in ("entry", "media")
            # the prefix is the kind of the record: never a media id as entry-
            holder = world["media"] if kind == "media" else world["entries"]
            assert ref_id in holder or kind == "entry"


def test_media_embedded_in_an_entry_is_a_media_key() -> None:
    world = {
        "entries": {"x1": [("media", "x2"), ("entry", "x3")], "x3": []},
        "media": {"x2"},
        "hero": {"x3": "x4"},  # missing media: nothing to purge
    }
    encoded = _snapshot(world).encoded("x1", "en", 2)
    assert encoded is not None
    assert encoded.surrogate_keys == "entry-x1 type-page entry-x3 media-x2"
