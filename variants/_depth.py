"""How deep a condition may nest, measured without recursion."""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_CONDITION_DEPTH", "nested_deeper_than"]

MAX_CONDITION_DEPTH = 32
"""Objects and arrays a condition may nest: GrowthBook conditions use a
handful; the limit keeps compiling and evaluating one (recursive, a few
frames a level) far from Python's recursion limit."""


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests objects and arrays more than ``limit`` levels
    (an explicit stack, so any depth can be asked about)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
