"""An entry's stored personalisation as a ``variants`` rule set: one
definition for the render path, the GrowthBook payload and the editors' API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from content_hub.domain.render import BASELINE, feature_key
from variants import Audience, RuleSet, parse_ruleset

_encoder = msgspec.json.Encoder()


def ruleset_of(
    type_key: str,
    key: str,
    data: Mapping[str, Any],
    audiences: Iterable[Audience],
) -> RuleSet:
    """The validated ``variants`` rule set of stored personalisation data."""
    document = {
        "key": feature_key(type_key, key),
        "baseline": BASELINE,
        "variants": [BASELINE, *data.get("variants", {})],
        "rules": data.get("rules", []),
    }
    return parse_ruleset(_encoder.encode(document), list(audiences))
