"""Decoding rule sets and audiences from JSON, with validation errors as paths."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from variants._compiled import AudienceMap
from variants._errors import InvalidRuleSetError, Problem
from variants._models import Audience, RuleSet
from variants._validate import ruleset_problems
from variants._validate_condition import condition_problems

__all__ = ["parse_audience", "parse_ruleset"]

_RULESET = msgspec.json.Decoder(RuleSet)
_AUDIENCE = msgspec.json.Decoder(Audience)
_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _problem(error: msgspec.DecodeError) -> Problem:
    match = _AT.match(str(error))
    msg, path = (
        (match.group("msg"), match.group("path") or "") if match else (str(error), "")
    )
    loc: list[str | int] = []
    for name, index in _PART.findall(path):
        loc.append(int(index) if index else name)
    return Problem(loc=tuple(loc), msg=msg, type="invalid_json")


def parse_ruleset(
    data: bytes | str,
    audiences: AudienceMap | Iterable[Audience] | None = None,
    saved_groups: Mapping[str, Any] | None = None,
) -> RuleSet:
    """Decode a :class:`RuleSet` from JSON and validate it.

    Raises :class:`InvalidRuleSetError` with every problem and its path, whether
    the JSON does not fit the schema or the rules do not make sense.
    """
    try:
        ruleset = _RULESET.decode(data)
    except msgspec.DecodeError as error:
        raise InvalidRuleSetError([_problem(error)]) from error
    problems = ruleset_problems(ruleset, audiences, saved_groups)
    if problems:
        raise InvalidRuleSetError(problems)
    return ruleset


def parse_audience(data: bytes | str) -> Audience:
    """Decode an :class:`Audience` from JSON and validate its condition."""
    try:
        audience = _AUDIENCE.decode(data)
    except msgspec.DecodeError as error:
        raise InvalidRuleSetError([_problem(error)]) from error
    problems = condition_problems(audience.condition, ("condition",))
    if problems:
        raise InvalidRuleSetError(problems)
    return audience
