"""What a generation keeps stays bounded however much content there is, and
what falls out of a bound is made again, the same, on the next use.

Pure snapshot tests (no database): the bounds are lowered so that a few
entries overflow them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from content_hub.domain.entries import PublishedEntry
from content_hub.domain.locales import LocaleSet
from content_hub.domain.packed import PackedDocuments
from content_hub.live import delivery_state as delivery
from content_hub.live import render_state as render
from content_hub.live import rich
from content_hub.live.delivery_state import DeliverySnapshot, full_state
from content_hub.live.generation import Generation, Published
from content_hub.live.render_state import RenderState
from content_hub.live.rich import RichValues, render_fields
from content_hub.live.state import TypeInfo

NOW = datetime(2026, 3, 1, tzinfo=UTC)
LOCALES = LocaleSet(
    default="en",
    chains={"en": ("en",), "de": ("de", "en")},
    directions={"en": "ltr", "de": "ltr"},
)
INFO = TypeInfo(
    localized=frozenset({"title", "body"}),
    channels=("web",),
    rich_text=frozenset({"body"}),
)
TYPES = {"page": INFO}


def _entry(i: int) -> PublishedEntry:
    return PublishedEntry(
        id=f"e{i}",
        type="page",
        key=f"k{i}",
        fields={
            "title": {"en": f"Title {i}", "de": f"Titel {i}"},
            "body": {"en": f"<p>Body <b>{i}</b></p>", "de": f"<p>Text {i}</p>"},
        },
        version=1,
        published_at=NOW,
        publish_seq=i,
    )


ENTRIES = [_entry(i) for i in range(12)]


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each view of a value is made."""
    counts = {"html": 0, "text": 0}
    real_convert, real_text = rich.convert, rich.html_to_text

    def convert(kind: Any, raw: str) -> rich.RichValue:
        counts["html"] += 1
        return real_convert(kind, raw)

    def html_to_text(html: str) -> str:
        counts["text"] += 1
        return real_text(html)

    monkeypatch.setattr(rich, "convert", convert)
    monkeypatch.setattr(rich, "html_to_text", html_to_text)
    return counts


class TestRichValues:
    def test_a_build_converts_at_most_its_bound_and_the_rest_on_use(
        self, monkeypatch: pytest.MonkeyPatch, conversions: dict[str, int]
    ) -> None:
        monkeypatch.setattr(rich, "MAX_VALUES", 5)
        values = RichValues().successor(ENTRIES, TYPES, {})
        assert len(values) == 5 and conversions["html"] == 5
        every = [(e, code) for e in ENTRIES for code in ("en", "de")]
        for _ in range(2):
            for entry, code in every:
                raw = entry.fields["body"][code]
                assert values.get("rich_text", raw).html == rich.rich_text(raw)
        assert conversions["html"] == len(every)  # each value once, however often used
        again = values.successor(ENTRIES, TYPES, {})
        assert conversions["html"] == len(every)  # the next build takes them over
        assert len(again) == len(every)  # 5 of the build, the rest kept as used

    def test_a_publish_goes_through_new_and_changed_entries_only(
        self, conversions: dict[str, int]
    ) -> None:
        def versions(entries: list[PublishedEntry]) -> PackedDocuments:
            return PackedDocuments({}, {e.id: e.version for e in entries})

        values = RichValues().successor(ENTRIES, TYPES, versions(ENTRIES))
        assert conversions["html"] == 2 * len(ENTRIES)
        body = {**ENTRIES[3].fields["body"], "en": "<p>New</p>"}
        changed = msgspec.structs.replace(
            ENTRIES[3], version=2, fields={**ENTRIES[3].fields, "body": body}
        )
        now = [*ENTRIES[:3], changed, *ENTRIES[4:], _entry(99)]
        after = values.successor(now, TYPES, versions(now))
        assert conversions["html"] == 2 * len(ENTRIES) + 1 + 2
        for entry in now:
            for raw in entry.fields["body"].values():
                after.get("rich_text", raw)
        assert conversions["html"] == 2 * len(ENTRIES) + 1 + 2

    def test_values_converted_on_use_are_bounded(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(rich, "MAX_VALUES", 0)
        monkeypatch.setattr(rich, "MAX_LAZY", 3)
        values = RichValues().successor(ENTRIES, TYPES, {})
        for entry in ENTRIES:
            raw = entry.fields["body"]["en"]
            assert values.get("rich_text", raw).text == f"Body {entry.id[1:]}"
            assert len(values) <= 3

    def test_the_text_view_is_made_once_and_only_when_read(
        self, conversions: dict[str, int]
    ) -> None:
        values = RichValues()
        fields = render_fields({"body": "<p>A <i>b</i></p>"}, {}, INFO, values)
        assert str(fields.values["body"]) == "<p>A <i>b</i></p>"
        assert conversions == {"html": 1, "text": 0}
        assert fields.text_values["body"] == "A b"
        assert fields.text_values["body"] == "A b"
        again = render_fields({"body": "<p>A <i>b</i></p>"}, {}, INFO, values)
        assert again.text_values["body"] == "A b"
        assert conversions == {"html": 1, "text": 1}


def _generation(seq: int) -> Generation:
    state = full_state(seq=seq, locales=LOCALES, types=TYPES, entries=ENTRIES)
    render = RenderState(
        seq=seq, personalization={}, audiences=(), renderers={}, template_versions={}
    )
    return Generation(state, render)


class TestEncodedDeliveries:
    def test_the_cache_is_bounded_by_bytes(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        published = Published(_generation(1))
        snapshot = DeliverySnapshot(published)
        first = {e.id: snapshot.encoded(e.id, "de") for e in ENTRIES}
        bound = 3 * max(delivery._size(e) for e in first.values() if e is not None)
        monkeypatch.setattr(delivery, "MAX_ENCODED_BYTES", bound)
        published.swap(_generation(2), None)
        for _ in range(3):
            for entry in ENTRIES:
                encoded = snapshot.encoded(entry.id, "de")
                before = first[entry.id]
                assert encoded is not None and before is not None
                assert (encoded.body, encoded.etag) == (before.body, before.etag)
                held = snapshot._encoded.values()  # what the holder keeps
                assert sum(map(delivery._size, held)) <= bound


class TestRuleSets:
    def test_compiled_rule_sets_are_bounded_and_recompiled_the_same(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(render, "MAX_RULESETS", 4)
        document = (
            b'{"variants": {"b": {"fields": {"title": {"en": "B"}}}},'
            b' "rules": [{"type": "experiment", "id": "x", "key": "exp",'
            b' "variations": ["default", "b"], "weights": [0.5, 0.5]}]}'
        )
        state = RenderState(
            seq=1,
            personalization=PackedDocuments({e.id: document for e in ENTRIES}),
            audiences=(),
            renderers={},
            template_versions={},
        )
        first = {e.id: state.ruleset(e) for e in ENTRIES}
        assert len(state._rulesets) <= 4
        for entry in ENTRIES:
            again = state.ruleset(entry)
            assert again.key == first[entry.id].key == f"page.{entry.key}"
            assert len(state._rulesets) <= 4
        for code, title in (("en", "B"), ("de", "Titel 0")):  # merged per locale
            resolved = state.fields(ENTRIES[0], "b", code, INFO, LOCALES)
            assert resolved.values["title"] == title
            assert resolved.served_by["title"] == code
