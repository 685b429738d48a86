"""Valid request bodies, one per body type, that hostile values are spliced
into: starting from a body the hub accepts makes every position reachable
(a mutation at one place is judged by the code behind it, not refused for an
unrelated missing field). A body type with no base here is attacked from its
JSON schema's bare shape ``{}``; add a base when adding a body type.
"""

from __future__ import annotations

from typing import Any

from content_hub.domain import events, inputs, render
from tests.hostile.routes import Route
from tests.hostile.seed import (
    CHANNELS,
    EXPERIMENT,
    FIELDS,
    TEMPLATES,
    fields,
    personalization,
)
from tests.hostile.world import World


def base_body(route: Route, world: World) -> Any:
    """A body the route accepts (for the world's resources), or None when the
    route reads no body."""
    if route.template == "/render/v1/render/batch":
        return [
            {
                "customer": {"id": "c1", "attributes": {"lead_score": 90}},
                "locale": "de",
            },
            {"customer": {"anonymous_id": "a2"}, "context": {"campaign": "x"}},
        ]
    if route.body_type is None:
        return None
    bases = _bases(world)
    return bases.get(route.body_type, {})


def base_query(route: Route) -> bytes:
    """Query parameters a body route needs to reach its body at all."""
    if route.template == "/render/v1/render/batch":
        return b"channel=web&type=article&key=hello"
    return b""


def _bases(world: World) -> dict[Any, Any]:
    values = fields(world.ids["media"])
    return {
        events.EventBatch: {
            "exposures": [
                {
                    "event_id": "e-1",
                    "experiment_key": EXPERIMENT,
                    "variation_id": 0,
                    "hash_value": "c1",
                    "at": "2026-05-01T10:00:00+00:00",
                }
            ],
            "conversions": [
                {"event_id": "c-1", "goal": "buy", "hash_value": "c1", "value": 9.5}
            ],
        },
        inputs.LocaleCreate: {"code": "fr", "name": "French", "fallbacks": ["en"]},
        inputs.LocaleUpdate: {"name": "Deutsch", "fallbacks": ["en"]},
        inputs.ContentTypeCreate: {
            "key": "other",
            "name": "Other",
            "description": "d",
            "fields": [FIELDS[0], FIELDS[3], FIELDS[10]],
            "channels": ["web"],
        },
        inputs.ContentTypeUpdate: {
            "name": "Article",
            "fields": FIELDS,
            "channels": CHANNELS,
            "migration_defaults": {"title": {"en": "T"}},
        },
        inputs.EntryCreate: {
            "type": "article",
            "key": "another",
            "fields": values,
            "terms": ["topic:bikes"],
        },
        inputs.EntryUpdate: {
            "key": "hello",
            "fields": values,
            "terms": ["topic:bikes"],
        },
        inputs.EntryPatch: {"fields": {"title": {"de": "Hallo!"}}, "terms": []},
        inputs.KeyCreate: {"name": "k", "scopes": ["delivery", "render"]},
        inputs.RevertRequest: {"version": 1},
        inputs.ScheduleUpdate: {
            "publish_at": "2099-01-01T00:00:00+00:00",
            "unpublish_at": "2099-02-01T00:00:00+00:00",
        },
        inputs.TaxonomyCreate: {"key": "season", "name": "Season", "description": ""},
        inputs.TaxonomyUpdate: {"name": "Topic", "description": "t"},
        inputs.TermCreate: {
            "key": "cargo",
            "labels": {"en": "Cargo", "de": "Lasten"},
            "parent": "topic:bikes",
            "position": 1,
        },
        inputs.TermUpdate: {"key": "bikes", "labels": {"en": "Bikes"}, "parent": None},
        inputs.MediaWrite: {
            "url": "https://cdn.example/b.png",
            "mime_type": "image/png",
            "title": "b",
            "alt": {"en": "B"},
            "width": 10,
            "height": 20,
            "focal_point": {"x": 0.5, "y": 0.5},
        },
        render.TemplateIn: {"parts": TEMPLATES["web"]},
        render.AudienceCreate: {
            "key": "gold",
            "name": "Gold",
            "condition": {"$or": [{"tier": "gold"}, {"segments": {"$in": ["g"]}}]},
        },
        render.AudienceIn: {"name": "VIP", "condition": {"lead_score": {"$gte": 70}}},
        render.Personalization: personalization(),
        render.RenderIn: {
            "type": "article",
            "key": "hello",
            "channel": "web",
            "locale": "de",
            "customer": {
                "id": "c1",
                "attributes": {"lead_score": 90, "tier": "gold"},
                "segments": ["s1"],
            },
            "context": {"campaign": "c", "utm": {"source": "x"}, "extra": {"a": [1]}},
        },
    }
