"""Every experiment the Studio can show: the experiment rules of the
published entries (first rule of each key, as the results use) and the
experiment keys that have recorded exposures but are no longer, or never
were, in the published rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import msgspec

from content_hub.domain.render import feature_key
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.store.repositories.experiment_timeline import (
    ExperimentActivity,
    ExperimentTimelineRepository,
)
from variants import ExperimentRule


class ExperimentSummary(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    feature: str | None
    """The entry's feature key ``<type>.<key>`` (none: not in the rules)."""
    entry_id: str | None
    status: str
    """The rule's status, or ``not published`` for exposures without a rule."""
    variations: list[str]
    weights: list[float] | None
    units: int
    exposures: int
    last_exposure: datetime | None


class ExperimentCatalog:
    def __init__(self, deps: Deps, payloads: FeaturePayloads) -> None:
        self.repo = ExperimentTimelineRepository(deps.session)
        self.payloads = payloads

    def entry_ids(self) -> dict[str, str]:
        """Entry ids by feature key in the current generation."""
        entries = self.payloads.published.generation.delivery.entries.values()
        return {feature_key(e.type, e.key): e.id for e in entries}

    def _rules(self) -> Iterator[tuple[str, str, ExperimentRule]]:
        """(experiment key, feature key, rule): the first rule of each key."""
        seen: set[str] = set()
        for ruleset in self.payloads.rules().rulesets:
            for rule in ruleset.rules:
                key = (
                    rule.key or ruleset.key if isinstance(rule, ExperimentRule) else ""
                )
                if isinstance(rule, ExperimentRule) and key not in seen:
                    seen.add(key)
                    yield key, ruleset.key, rule

    async def summaries(self) -> list[ExperimentSummary]:
        """Published experiments first (in entry order), then the others."""
        activity = {a.experiment_key: a for a in await self.repo.activity()}
        ids = self.entry_ids()
        out = []
        for key, feature, rule in self._rules():
            a = activity.pop(key, None)
            out.append(_summary(key, rule, feature, ids.get(feature), a))
        out += [_summary(key, None, None, None, a) for key, a in activity.items()]
        return out

    def of_entry(self, type_key: str, key: str) -> list[str]:
        """Keys of the published experiments in an entry's rules."""
        feature = feature_key(type_key, key)
        return [k for k, f, _ in self._rules() if f == feature]

    def published(self, experiment_key: str) -> ExperimentSummary | None:
        """The published rule of an experiment, as a summary without counts."""
        for key, feature, rule in self._rules():
            if key == experiment_key:
                return _summary(key, rule, feature, self.entry_ids().get(feature))
        return None


def _summary(
    key: str,
    rule: ExperimentRule | None,
    feature: str | None,
    entry_id: str | None,
    activity: ExperimentActivity | None = None,
) -> ExperimentSummary:
    return ExperimentSummary(
        key=key,
        name=rule.name if rule else "",
        feature=feature,
        entry_id=entry_id,
        status=rule.status if rule else "not published",
        variations=list(rule.variations) if rule else [],
        weights=list(rule.weights) if rule and rule.weights else None,
        units=activity.units if activity else 0,
        exposures=activity.exposures if activity else 0,
        last_exposure=activity.last_at if activity else None,
    )
