"""Every case of GrowthBook's SDK conformance file, run against ``variants``."""

from __future__ import annotations

import copy
import hashlib
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from variants import (
    InMemoryStickyBucketService,
    choose_variation,
    evaluate_condition,
    evaluate_feature,
    gb_hash,
    get_bucket_ranges,
    get_equal_weights,
    get_query_string_override,
    in_namespace,
    run_experiment,
)

# A copy kept in the repository (source, licence and checksum in data/README.md),
# so a clone with nothing next to it runs every case.
CASES_PATH = Path(__file__).resolve().with_name("data") / "growthbook-cases.json"
CASES_SHA256 = "1422cb1bfc6f6035f78aa21e5181ab91f758e37f1688e2c6142aface7d953886"

# Contextual-bandit cases the library does not support yet, with the reason.
UNSUPPORTED_CONTEXTUAL_BANDIT: dict[str, str] = {}


@cache
def _cases() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CASES_PATH.read_text(encoding="utf-8"))
    return data


def _params(section: str, name_index: int | None = 0) -> list[Any]:
    cases = _cases()[section]
    params = []
    for i, case in enumerate(cases):
        name = case[name_index] if name_index is not None else f"{case[0]!r}"
        params.append(pytest.param(*case, id=f"{i:03d} {name}"))
    return params


def _floor8(x: float) -> float:
    return math.floor(x * 1e8) / 1e8


def test_spec_version_is_pinned() -> None:
    assert _cases()["specVersion"] == "0.8.0"


def test_cases_file_is_the_recorded_copy() -> None:
    """The file is GrowthBook's, unchanged: edits go upstream, not here."""
    digest = hashlib.sha256(CASES_PATH.read_bytes()).hexdigest()
    assert digest == CASES_SHA256


@pytest.mark.parametrize(
    ("name", "condition", "attributes", "expected", "saved_groups"),
    [
        pytest.param(*[*c, None][:5], id=f"{i:03d} {c[0]}")
        for i, c in enumerate(_cases()["evalCondition"])
    ],
)
def test_eval_condition(
    name: str, condition: Any, attributes: Any, expected: bool, saved_groups: Any
) -> None:
    assert evaluate_condition(condition, attributes, saved_groups) is expected


@pytest.mark.parametrize(
    ("seed", "value", "version", "expected"),
    [pytest.param(*c, id=f"{i:03d} {c[:3]}") for i, c in enumerate(_cases()["hash"])],
)
def test_hash(seed: str, value: str, version: int, expected: float | None) -> None:
    assert gb_hash(seed, value, version) == expected


@pytest.mark.parametrize(("name", "args", "expected"), _params("getBucketRange"))
def test_get_bucket_range(name: str, args: list[Any], expected: list[Any]) -> None:
    ranges = get_bucket_ranges(*args)
    assert [[_floor8(a), _floor8(b)] for a, b in ranges] == [
        [_floor8(a), _floor8(b)] for a, b in expected
    ]


@pytest.mark.parametrize(
    ("name", "n", "ranges", "expected"), _params("chooseVariation")
)
def test_choose_variation(name: str, n: float, ranges: Any, expected: int) -> None:
    assert choose_variation(n, ranges) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        pytest.param(*c, id=f"{i:03d} n={c[0]}")
        for i, c in enumerate(_cases()["getEqualWeights"])
    ],
)
def test_get_equal_weights(n: int, expected: list[float]) -> None:
    assert [_floor8(w) for w in get_equal_weights(n)] == [_floor8(w) for w in expected]


@pytest.mark.parametrize(
    ("name", "hash_id", "namespace", "expected"), _params("inNamespace")
)
def test_in_namespace(name: str, hash_id: str, namespace: Any, expected: bool) -> None:
    assert in_namespace(hash_id, namespace) is expected


@pytest.mark.parametrize(
    ("name", "key", "url", "num_variations", "expected"),
    _params("getQueryStringOverride"),
)
def test_get_query_string_override(
    name: str, key: str, url: str, num_variations: int, expected: int | None
) -> None:
    assert get_query_string_override(key, url, num_variations) == expected


def _case_params(section: str) -> list[Any]:
    return [
        pytest.param(case, id=f"{i:03d} {case[0]}")
        for i, case in enumerate(_cases()[section])
    ]


@pytest.mark.parametrize("case", _case_params("run"))
def test_run(case: list[Any]) -> None:
    _name, context, experiment, value, in_experiment, hash_used = case
    result = run_experiment(context, experiment)
    assert (result["value"], result["inExperiment"], result["hashUsed"]) == (
        value,
        in_experiment,
        hash_used,
    )


def _assert_same_json(actual: Any, expected: Any) -> None:
    """Compare as JSON values (``True`` is not ``1``)."""
    assert json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize(("name", "context", "key", "expected"), _params("feature"))
def test_feature(name: str, context: dict[str, Any], key: str, expected: Any) -> None:
    _assert_same_json(evaluate_feature(context, key), expected)


@pytest.mark.parametrize(
    ("name", "context", "key", "expected"), _params("contextualBandit")
)
def test_contextual_bandit(
    name: str, context: dict[str, Any], key: str, expected: Any
) -> None:
    if name in UNSUPPORTED_CONTEXTUAL_BANDIT:
        pytest.skip(UNSUPPORTED_CONTEXTUAL_BANDIT[name])
    _assert_same_json(evaluate_feature(context, key), expected)


@pytest.mark.parametrize("case", _case_params("stickyBucket"))
def test_sticky_bucket(case: list[Any]) -> None:
    _name, context, docs, key, expected, expected_docs = case
    service = InMemoryStickyBucketService(copy.deepcopy(docs))
    ctx = copy.deepcopy(context)
    result = evaluate_feature(ctx, key, sticky_bucket_service=service)
    _assert_same_json(result.get("experimentResult"), expected)
    _assert_same_json(ctx["stickyBucketAssignmentDocs"], expected_docs)
