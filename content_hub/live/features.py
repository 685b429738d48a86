"""The published rules as ``variants`` rule sets, and the GrowthBook SDK payload
built from them (``GET /api/features/{client_key}``).

An entry's feature key is ``"<type>.<key>"``, its value the variant key, the
baseline ``"default"``. Rule sets come from the current generation: its
published entries, their personalisation and the audiences. The encoded
payload is cached per generation (and per payload key, encrypted: see
:mod:`content_hub.domain.payload_crypto`), so an SDK poll is a dict lookup
and a byte copy.
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
from content_hub.domain.payload_crypto import encrypt_payload
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
    digest: str = ""
    """Of the rules' content (features, saved groups): the same for the plain
    and every encrypted form of one content, new when the rules change."""


class _Content(msgspec.Struct, frozen=True):
    """The encoded parts of one payload, kept to encrypt them per key."""

    features: bytes
    saved_groups: bytes | None
    date_updated: str
    plain: EncodedPayload


def _encoded(document: dict[str, Any], digest: str) -> EncodedPayload:
    body = _encoder.encode(document)
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    return EncodedPayload(body=body, etag=etag, digest=digest)


class FeaturePayloads:
    """Published rules and the encoded SDK payload, cached per generation.

    ``render`` is the render snapshot (anything with ``state.seq``,
    ``state.personalization`` and ``state.audiences``); without one, entries'
    own ``personalization`` attribute is read.

    A generation that leaves the rules as they were keeps the payload of the
    one before, ``dateUpdated`` and ``ETag`` included: SDKs take an unchanged
    ``dateUpdated`` for an unchanged payload.
    """

    def __init__(self, published: Published) -> None:
        self.published = published
        self._rules: PublishedRules | None = None
        self._content: tuple[int, _Content] | None = None
        self._encrypted: dict[str, EncodedPayload] = {}
        """The current content encrypted, by payload key."""

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
        return self._current().plain

    def for_key(self, payload_key: str | None) -> EncodedPayload:
        """The payload a client key gets: plain, or encrypted under its payload
        key (once per content and key; a random IV each time it is made)."""
        content = self._current()
        if payload_key is None:
            return content.plain
        cached = self._encrypted.get(payload_key)
        if cached is not None and cached.digest == content.plain.digest:
            return cached
        document: dict[str, Any] = {
            "status": 200,
            "features": {},
            "experiments": [],
            "dateUpdated": content.date_updated,
            "encryptedFeatures": encrypt_payload(content.features, payload_key),
        }
        if content.saved_groups is not None:
            document["encryptedSavedGroups"] = encrypt_payload(
                content.saved_groups, payload_key
            )
        encoded = _encoded(document, content.plain.digest)
        if len(self._encrypted) >= 1024:
            self._encrypted.clear()
        self._encrypted[payload_key] = encoded
        return encoded

    def _current(self) -> _Content:
        rules = self.rules()
        cached = self._content
        if cached is not None and cached[0] == rules.generation:
            return cached[1]
        payload = to_growthbook_payload(rules.rulesets, rules.audiences)
        features = _encoder.encode(payload["features"])
        groups = payload.get("savedGroups")
        saved_groups = None if groups is None else _encoder.encode(groups)
        hasher = hashlib.blake2b(features, digest_size=12)
        hasher.update(b"\0" + (saved_groups or b""))
        digest = hasher.hexdigest()
        if cached is not None and cached[1].plain.digest == digest:
            self._content = (rules.generation, cached[1])
            return cached[1]
        built = self.published.generation.built_at or datetime.now(UTC).timestamp()
        date_updated = datetime.fromtimestamp(built, UTC).isoformat()
        document: dict[str, Any] = {
            "status": 200,
            "features": msgspec.Raw(features),
            "experiments": [],
            "dateUpdated": date_updated,
        }
        if saved_groups is not None:
            document["savedGroups"] = msgspec.Raw(saved_groups)
        content = _Content(
            features=features,
            saved_groups=saved_groups,
            date_updated=date_updated,
            plain=_encoded(document, digest),
        )
        self._content = (rules.generation, content)
        return content


def check_client_key(principal: Principal | None) -> Principal:
    """A client key is the secret of a live key with the ``delivery`` scope
    (returns its principal, 404 for anything else)."""
    if principal is None or not principal.has(Scope.DELIVERY):
        raise NotFound("No SDK payload for this client key.")
    return principal
