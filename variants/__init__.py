"""variants: a GrowthBook-compatible decision engine (pure library).

Which variant of an entry one customer gets, why, and how experiments perform.
Only the standard library, msgspec and google-re2 (``$regex`` in linear time)
are imported.

Spec level (GrowthBook's names in snake case, GrowthBook's JSON shapes as
dicts): ``evaluate_condition``, ``gb_hash``, ``get_bucket_ranges``,
``choose_variation``, ``get_equal_weights``, ``in_namespace``,
``get_query_string_override``, ``run_experiment`` and ``evaluate_feature``.

The hub's typed API: rules are msgspec Structs in a tagged union
(``PersonaliseRule`` a.k.a. ``ForceRule``, ``RolloutRule``, ``ExperimentRule``),
an entry's :class:`RuleSet` names its baseline and variants, and
:func:`decide` returns a :class:`Decision` with a trace. A customer's
``segments`` are visible to conditions as the ``segments`` attribute;
``{"segments": "vip"}`` means membership (see ``normalise_condition``).

>>> from variants import (
...     Audience, Customer, ExperimentRule, Namespace, PersonaliseRule, RuleSet,
...     decide, evaluate_feature, to_growthbook_feature,
... )
>>> vip = Audience(key="vip", condition={"segments": "vip"})
>>> rules = RuleSet(
...     key="hero", baseline="control", variants=["vip_offer", "bold"],
...     rules=[
...         PersonaliseRule(id="vip", audiences=("vip",), variant="vip_offer"),
...         ExperimentRule(
...             id="test", key="hero-test", variations=["control", "bold"],
...             namespace=Namespace("homepage", 0.0, 0.5),
...         ),
...     ],
... )
>>> decide(rules, Customer(id="u1", segments=["new", "vip"]), audiences=[vip]).variant
'vip_offer'
>>> d = decide(rules, Customer(id="u2"), audiences=[vip])
>>> d.variant, d.reason.value, d.log_exposure
('bold', 'applied', True)
>>> [step.reason.value for step in d.trace]
['condition_false', 'applied']
>>> preview = decide(rules, Customer(), audiences=[vip], forced_variant="control")
>>> preview.variant, preview.log_exposure
('control', False)

The same rules as a GrowthBook feature bucket the same way in any SDK:

>>> feature = to_growthbook_feature(rules, [vip])
>>> context = {"attributes": {"id": "u2"}, "features": {"hero": feature}}
>>> evaluate_feature(context, "hero")["value"]
'bold'
"""

from variants._batch import BatchStickyBucketService, StickyBatch, decide_batch
from variants._compiled import CompiledRuleSet, compile_ruleset, customer_matches
from variants._conditions import compile_condition, evaluate_condition
from variants._convert import to_growthbook_feature, to_growthbook_payload
from variants._decide import decide
from variants._errors import (
    InvalidRuleSetError,
    Problem,
    UnknownAudienceError,
    UnknownVariantError,
    VariantsError,
)
from variants._hashing import (
    choose_variation,
    gb_hash,
    get_bucket_ranges,
    get_equal_weights,
    get_query_string_override,
    in_namespace,
)
from variants._models import (
    Audience,
    BanditConfig,
    Customer,
    ExperimentRule,
    Filter,
    ForceRule,
    Namespace,
    PersonaliseRule,
    RolloutRule,
    Rule,
    RuleSet,
)
from variants._parse import parse_audience, parse_ruleset
from variants._sdk_feature import evaluate_feature, run_experiment
from variants._sticky import (
    InMemoryStickyBucketService,
    StickyAssignmentsDoc,
    StickyBucketService,
)
from variants._trace import Decision, Reason, TraceStep
from variants._validate import (
    ruleset_problems,
    validate_audience,
    validate_condition,
    validate_ruleset,
)
from variants._version import padded_version_string

__all__ = [
    "Audience",
    "BanditConfig",
    "BatchStickyBucketService",
    "CompiledRuleSet",
    "Customer",
    "Decision",
    "ExperimentRule",
    "Filter",
    "ForceRule",
    "InMemoryStickyBucketService",
    "InvalidRuleSetError",
    "Namespace",
    "PersonaliseRule",
    "Problem",
    "Reason",
    "RolloutRule",
    "Rule",
    "RuleSet",
    "StickyAssignmentsDoc",
    "StickyBatch",
    "StickyBucketService",
    "TraceStep",
    "UnknownAudienceError",
    "UnknownVariantError",
    "VariantsError",
    "choose_variation",
    "compile_condition",
    "compile_ruleset",
    "customer_matches",
    "decide",
    "decide_batch",
    "evaluate_condition",
    "evaluate_feature",
    "gb_hash",
    "get_bucket_ranges",
    "get_equal_weights",
    "get_query_string_override",
    "in_namespace",
    "padded_version_string",
    "parse_audience",
    "parse_ruleset",
    "ruleset_problems",
    "run_experiment",
    "to_growthbook_feature",
    "to_growthbook_payload",
    "validate_audience",
    "validate_condition",
    "validate_ruleset",
]
