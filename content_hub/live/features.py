"""The published rules as ``variants`` rule sets, and the GrowthBook SDK payload
built from them (``GET /api/features/{client_key}``).

An entry's feature key is ``"<type>.<key>"``, its value the variant key, the
baseline ``"default"``. Rule sets come from the current generation: its
published entries, their personalisation and the audiences. The encoded
payload is cached per generation, so an SDK poll is a dict lookup and a byte
copy.
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
from content_hub.live.generation import Published
from content_hub.live.rules import ruleset_of
from variants import (
    Audience,
    ExperimentRule,
    RuleSet,
    VariantsError,
    to_growthbook_payload,
)

log = logging.getLogger(__name__)
_encoder = msgspec.json.Encoder()


class PublishedRules(msgspec.Struct, frozen=True, kw_only=True):
    """Every published entry's rule set, with the audiences they refer to."""

    generation: int
    """The change-log sequence of the generation they were read from."""
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
    generation: int,
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
        try:
            ruleset = ruleset_of(type_key, key, data, auds)
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

    def __init__(self, published: Published) -> None:
        self.published = published
        self._rules: PublishedRules | None = None
        self._payload: tuple[int, EncodedPayload] | None = None

    def rules(self) -> PublishedRules:
        """The rule sets of the current generation (built once per generation)."""
        generation = self.published.generation
        cached = self._rules
        if cached is not None and cached.generation == generation.seq:
            return cached
        by_id = generation.render.personalization
        triples = [
            (e.type, e.key, by_id.get(e.id))
            for e in generation.delivery.entries.values()
        ]
        rules = build_rules(generation.seq, triples, generation.render.audiences)
        self._rules = rules
        return rules

    def payload(self) -> EncodedPayload:
        """The GrowthBook SDK payload of the published rules (encoded once)."""
        rules = self.rules()
        generation = rules.generation
        cached = self._payload
        if cached is not None and cached[0] == generation:
            return cached[1]
        payload = to_growthbook_payload(rules.rulesets, rules.audiences)
        built = self.published.generation.built_at or datetime.now(UTC).timestamp()
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
