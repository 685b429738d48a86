"""What ``decide`` returns: the variant and a machine-readable trace."""

from __future__ import annotations

from enum import StrEnum

import msgspec

__all__ = ["Decision", "Reason", "TraceStep"]


class Reason(StrEnum):
    """Why a rule applied or was skipped (stable slugs)."""

    APPLIED = "applied"
    DISABLED = "disabled"
    CONDITION_FALSE = "condition_false"
    NOT_IN_COVERAGE = "not_in_coverage"
    NAMESPACE_EXCLUDED = "namespace_excluded"
    FILTERED_OUT = "filtered_out"
    HASH_ATTRIBUTE_MISSING = "hash_attribute_missing"
    EXPERIMENT_INACTIVE = "experiment_inactive"
    STICKY_VERSION_BLOCKED = "sticky_version_blocked"
    FORCED = "forced"
    DEFAULT = "default"


class TraceStep(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One rule's outcome, in rule order."""

    rule_id: str | None
    rule_type: str
    reason: Reason
    experiment_key: str | None = None
    variation_index: int | None = None
    hash_attribute: str | None = None
    hash_value: str | None = None
    bucket: float | None = None
    sticky_bucket_used: bool = False


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """The variant one customer gets, and why.

    ``log_exposure`` is true only when the customer was hash-assigned (or
    sticky-assigned) into a running experiment: personalisation, rollouts,
    the default and forced previews never count as exposures.
    """

    variant: str
    rule_id: str | None
    reason: Reason
    experiment_key: str | None = None
    variation_index: int | None = None
    hash_attribute: str | None = None
    hash_value: str | None = None
    bucket: float | None = None
    in_experiment: bool = False
    sticky_bucket_used: bool = False
    log_exposure: bool = False
    trace: list[TraceStep] = msgspec.field(default_factory=list)
