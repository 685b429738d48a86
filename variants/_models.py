"""The hub's typed rule model: msgspec Structs, rules as a tagged union.

A :class:`RuleSet` holds an entry's ordered rules with the variant key as the
value, exactly like a GrowthBook feature: the first rule that applies wins and
the baseline is the default. ``to_growthbook_feature`` converts it into the
feature JSON a GrowthBook SDK evaluates the same way.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

__all__ = [
    "Audience",
    "BanditConfig",
    "Customer",
    "ExperimentRule",
    "Filter",
    "ForceRule",
    "Namespace",
    "PersonaliseRule",
    "RolloutRule",
    "Rule",
    "RuleSet",
]

Unit = Annotated[float, Meta(ge=0, le=1)]
Condition = dict[str, Any]
VariantKey = Annotated[str, Meta(min_length=1)]


class Audience(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A named, reusable condition over customer attributes."""

    key: Annotated[str, Meta(min_length=1)]
    condition: Condition
    name: str = ""


class Namespace(msgspec.Struct, frozen=True, array_like=True):
    """Mutual exclusion: ``[id, start, end]`` (GrowthBook's JSON shape)."""

    id: str
    start: float
    end: float


class Filter(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A hash filter (holdouts, mutual exclusion): the user must fall in a range."""

    seed: str
    ranges: list[tuple[float, float]]
    attribute: str = "id"
    hash_version: int = 2


class _Targeted(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    id: Annotated[str, Meta(min_length=1)]
    condition: Condition | None = None
    audiences: tuple[str, ...] = ()
    """Audience keys; all must match (combined with ``condition`` by AND)."""
    enabled: bool = True


class PersonaliseRule(_Targeted, frozen=True, kw_only=True, tag="personalise"):
    """Condition or audiences -> a fixed variant (GrowthBook's force rule)."""

    variant: VariantKey


ForceRule = PersonaliseRule


class RolloutRule(_Targeted, frozen=True, kw_only=True, tag="rollout"):
    """A variant for a share (``coverage``) of the matching customers."""

    variant: VariantKey
    coverage: Unit = 1.0
    hash_attribute: str = "id"
    seed: str | None = None
    """Defaults to the rule set key, as GrowthBook seeds rollouts by feature key."""
    hash_version: int = 2


class BanditConfig(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True
):
    """Multi-armed bandit allocation: the service rewrites ``weights`` from results."""

    min_share: Unit = 0.01
    burn_in_units: Annotated[int, Meta(ge=0)] = 100
    seed: int = 0


class ExperimentRule(_Targeted, frozen=True, kw_only=True, tag="experiment"):
    """Split the matching customers between ``variations`` (variant keys)."""

    key: str | None = None
    """The experiment key; defaults to the rule set key."""
    variations: list[VariantKey]
    weights: list[float] | None = None
    coverage: Unit = 1.0
    hash_attribute: str = "id"
    fallback_attribute: str | None = None
    """Used only with sticky bucketing, as in GrowthBook."""
    seed: str | None = None
    """Defaults to the experiment key."""
    hash_version: int = 2
    namespace: Namespace | None = None
    filters: list[Filter] = msgspec.field(default_factory=list)
    ranges: list[tuple[float, float]] | None = None
    status: Literal["draft", "running", "stopped"] = "running"
    bucket_version: Annotated[int, Meta(ge=0)] = 0
    min_bucket_version: Annotated[int, Meta(ge=0)] = 0
    disable_sticky_bucketing: bool = False
    name: str = ""
    bandit: BanditConfig | None = None


Rule = PersonaliseRule | RolloutRule | ExperimentRule


class RuleSet(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An entry's decision config: baseline, other variants and ordered rules."""

    key: Annotated[str, Meta(min_length=1)]
    """The entry key; the GrowthBook feature key after conversion."""
    baseline: VariantKey
    variants: list[VariantKey] = msgspec.field(default_factory=list)
    """Variant keys besides the baseline."""
    rules: list[Rule] = msgspec.field(default_factory=list)

    def variant_keys(self) -> list[str]:
        """The baseline followed by the other variants (without duplicates)."""
        return list(dict.fromkeys([self.baseline, *self.variants]))


class Customer(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One customer as an orchestrator sends them.

    Conditions see ``attributes`` plus ``id`` (from :attr:`id`), ``anonymousId``
    (from :attr:`anonymous_id`) and ``segments`` (from :attr:`segments`), so
    ``{"segments": "vip"}`` or
    ``{"segments": {"$elemMatch": {"$eq": "cart_abandoner"}}}`` match members.
    """

    id: str | None = None
    anonymous_id: str | None = None
    attributes: dict[str, Any] = msgspec.field(default_factory=dict)
    segments: list[str] = msgspec.field(default_factory=list)

    def condition_attributes(self) -> dict[str, Any]:
        """The attribute object conditions and hashing are evaluated against."""
        attrs = dict(self.attributes)
        if self.id is not None:
            attrs["id"] = self.id
        if self.anonymous_id is not None:
            attrs["anonymousId"] = self.anonymous_id
        if self.segments or "segments" not in attrs:
            attrs["segments"] = self.segments  # conditions never mutate values
        return attrs
