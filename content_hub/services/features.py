"""The published rules as ``variants`` rule sets, and the GrowthBook SDK payload
built from them (``GET /api/features/{client_key}``).

An entry's feature key is ``"<type>.<key>"``, its value the variant key, the
baseline ``"default"``. Rule sets come from the published entries'
personalisation: the render snapshot's ``state.personalization`` (by entry id)
and ``state.audiences`` when the hub has one, otherwise a ``personalization``
attribute on the published entries. The encoded payload is cached per
snapshot generation, so an SDK poll is a dict lookup and a byte copy.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import msgspec

from content_hub.domain.errors import NotFound
from content_hub.domain.keys import Principal, Scope
from content_hub.snapshot import DeliverySnapshot
from variants import (
    Audience,
    ExperimentRule,
    RuleSet,
    VariantsError,
    parse_ruleset,
    to_growthbook_payload,
)

log = logging.getLogger(__name__)
BASELINE = "default"
_encoder = msgspec.json.Encoder()


def feature_key(type_key: str, key: str) -> str:
    return f"{type_key}.{key}"


class PublishedRules(msgspec.Struct, frozen=True, kw_only=True):
    """Every published entry's rule set, with the audiences they refer to."""

    generation: tuple[int, int]
    rulesets: tuple[RuleSet, ...]
    audiences: tuple[Audience, ...]
    experiments: Mapping[str, ExperimentRule]
    """Experiment rules by experiment key (the first one of each key)."""

    def experiment(self, key: str) -> ExperimentRule | None:
        return self.experiments.get(key)

    def variant_of(self, experiment_key: str, variation_id: int) -> str | None:
        """The variant key of a variation index (``None`` if unknown)."""
        rule = self.experiments.get(experiment_key)
        if rule is None or not 0 <= variation_id < len(rule.variations):
            return None
        return rule.variations[variation_id]


def build_rules(
    generation: tuple[int, int],
    entries: Iterable[tuple[str, str, Mapping[str, Any] | None]],
    audiences: Iterable[Audience] = (),
) -> PublishedRules:
    """Rule sets of ``(type, key, personalization)`` triples (entries without
    rules are left out; rules that no longer validate are logged and skipped)."""
    auds = tuple(audiences)
    rulesets: list[RuleSet] = []
    experiments: dict[str, ExperimentRule] = {}
    for type_key, key, data in entries:
        if not data or not data.get("rules"):
            continue
        document = {
            "key": feature_key(type_key, key),
            "baseline": BASELINE,
            "variants": [BASELINE, *data.get("variants", {})],
            "rules": data.get("rules", []),
        }
        try:
            ruleset = parse_ruleset(_encoder.encode(document), auds)
        except (VariantsError, msgspec.ValidationError, TypeError):
            log.warning("published rules of %s.%s do not validate", type_key, key)
            continue
        rulesets.append(ruleset)
        for rule in ruleset.rules:
            if isinstance(rule, ExperimentRule):
                experiments.setdefault(rule.key or ruleset.key, rule)
    return PublishedRules(
        generation=generation,
        rulesets=tuple(rulesets),
        audiences=auds,
        experiments=experiments,
    )


class EncodedPayload(msgspec.Struct, frozen=True):
    body: bytes
    etag: str


class FeaturePayloads:
    """Published rules and the encoded SDK payload, cached per generation.

    ``render`` is the render snapshot (anything with ``state.seq``,
    ``state.personalization`` and ``state.audiences``); without one, entries'
    own ``personalization`` attribute is read.
    """

    def __init__(self, snapshot: DeliverySnapshot, render: Any | None = None) -> None:
        self.snapshot = snapshot
        self.render = render
        self._rules: PublishedRules | None = None
        self._payload: tuple[tuple[int, int], EncodedPayload] | None = None

    def _generation(self) -> tuple[int, int]:
        render_seq = self.render.state.seq if self.render is not None else -1
        return (self.snapshot.state.seq, int(render_seq))

    def rules(self) -> PublishedRules:
        generation = self._generation()
        cached = self._rules
        if cached is not None and cached.generation == generation:
            return cached
        state = self.snapshot.state
        audiences: Iterable[Audience] = ()
        if self.render is not None:
            by_id: Mapping[str, Any] = self.render.state.personalization
            audiences = self.render.state.audiences
            triples = [(e.type, e.key, by_id.get(e.id)) for e in state.entries.values()]
        else:
            triples = [
                (e.type, e.key, getattr(e, "personalization", None))
                for e in state.entries.values()
            ]
        rules = build_rules(generation, triples, audiences)
        self._rules = rules
        return rules

    def payload(self) -> EncodedPayload:
        """The GrowthBook SDK payload of the published rules (encoded once)."""
        generation = self._generation()
        cached = self._payload
        if cached is not None and cached[0] == generation:
            return cached[1]
        rules = self.rules()
        payload = to_growthbook_payload(rules.rulesets, rules.audiences)
        built = self.snapshot.built_at or datetime.now(UTC).timestamp()
        document = {
            "status": 200,
            "features": payload["features"],
            "experiments": [],
            "dateUpdated": datetime.fromtimestamp(built, UTC).isoformat(),
        }
        if "savedGroups" in payload:
            document["savedGroups"] = payload["savedGroups"]
        body = _encoder.encode(document)
        encoded = EncodedPayload(
            body=body,
            etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        )
        self._payload = (generation, encoded)
        return encoded


def check_client_key(principal: Principal | None) -> None:
    """A client key is the secret of a live key with the ``delivery`` scope."""
    if principal is None or not principal.has(Scope.DELIVERY):
        raise NotFound("No SDK payload for this client key.")
