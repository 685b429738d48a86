"""Per-render budgets: output size, value sizes, iterations, operations, time.

Jinja has no timeout, so the sandbox counts work itself: every loop iteration,
call and filter call ticks the current :class:`RenderScope`, which also checks a
wall-clock deadline. The scope lives in a :class:`~contextvars.ContextVar` so
filters reach the render locale and budget without exposing either to templates.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from time import monotonic
from typing import Annotated, Any

import msgspec
from babel import Locale
from markupsafe import Markup

from renderers._errors import RenderBudgetExceededError, ResourceLimitError

__all__ = [
    "Limits",
    "RenderScope",
    "check_value",
    "current_scope",
    "guarded_iter",
]

_PositiveInt = Annotated[int, msgspec.Meta(ge=1)]


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """Budgets for one render of one template part."""

    max_output_chars: _PositiveInt = 262_144
    """Characters one template part may write."""
    max_value_chars: _PositiveInt = 1_000_000
    """Characters (or weight of a container) of any value a template builds."""
    max_items: _PositiveInt = 100_000
    """Elements of any container a template builds."""
    max_loop_iterations: _PositiveInt = 20_000
    """Loop iterations over the whole render, all loops together."""
    max_operations: _PositiveInt = 200_000
    """Loop iterations, calls and filter calls over the whole render."""
    max_loop_depth: _PositiveInt = 3
    """Nesting depth of ``{% for %}`` loops, checked at compile time."""
    max_nesting_depth: Annotated[int, msgspec.Meta(ge=1, le=40)] = 30
    """Nesting depth of blocks (``if``, ``for``, ``with``, ...) and brackets
    together, checked at compile time (Python compiles no deeper than about 100
    indentation levels and 200 brackets, Jinja's parser recurses per level)."""
    max_int_bits: _PositiveInt = 4096
    """Size of any integer a template computes."""
    time_budget_s: Annotated[float, msgspec.Meta(gt=0)] = 0.5
    """Wall-clock seconds for one render of one part."""


class RenderScope:
    """Mutable state of one render: budgets, locale, time zone and clock."""

    __slots__ = (
        "deadline",
        "interrupt",
        "limits",
        "locale",
        "locale_key",
        "loops",
        "markup_hook",
        "markup_inserted",
        "now",
        "ops",
        "part",
        "tzinfo",
    )

    def __init__(
        self,
        limits: Limits,
        locale: Locale,
        tzinfo: dt.tzinfo,
        now: dt.datetime,
        locale_key: str = "",
    ) -> None:
        self.limits = limits
        self.locale = locale
        self.locale_key = locale_key or str(locale)
        self.tzinfo = tzinfo
        self.now = now
        self.ops = 0
        self.loops = 0
        self.markup_inserted = False
        self.markup_hook: Callable[[Markup], Markup] | None = None
        """Rewrites inserted HTML as it is printed (the email's CSS inlining)."""
        self.interrupt: type[BaseException] | None = None
        """Set by the watchdog when it stops this render (see ``_preempt``):
        the next tick raises it, should the injected exception be swallowed."""
        self.part: str | None = None
        """The template part being rendered (for budget errors)."""
        self.deadline = monotonic() + limits.time_budget_s

    def budget_deadline(self) -> float:
        """When the current part's time budget ends (read by the watchdog)."""
        return self.deadline

    def restart(self, limits: Limits, part: str | None = None) -> None:
        """Reset the counters for the next template part of the same render."""
        self.limits = limits
        self.part = part
        self.ops = 0
        self.loops = 0
        self.markup_inserted = False
        self.markup_hook = None
        self.deadline = monotonic() + limits.time_budget_s

    def tick(self) -> None:
        if self.interrupt is not None:
            raise self.interrupt
        self.ops += 1
        if self.ops > self.limits.max_operations:
            raise ResourceLimitError(
                f"more than {self.limits.max_operations} operations"
            )
        if not self.ops & 63:
            self.check_time()

    def loop_tick(self) -> None:
        self.loops += 1
        if self.loops > self.limits.max_loop_iterations:
            raise ResourceLimitError(
                f"more than {self.limits.max_loop_iterations} loop iterations"
            )
        self.tick()

    def check_time(self) -> None:
        if monotonic() > self.deadline:
            raise budget_exceeded(self.limits, self.part)


def budget_exceeded(limits: Limits, part: str | None) -> RenderBudgetExceededError:
    """The error for a part that ran past its time budget."""
    return RenderBudgetExceededError(
        f"rendering took longer than its budget of {limits.time_budget_s} s",
        part=part,
    )


_SCOPE: contextvars.ContextVar[RenderScope] = contextvars.ContextVar("render_scope")


def current_scope() -> RenderScope:
    """The scope of the render in progress (filters call this)."""
    return _SCOPE.get()


def peek_scope() -> RenderScope | None:
    """The current scope, or ``None`` outside a render (compile-time folding)."""
    return _SCOPE.get(None)


def set_scope(scope: RenderScope) -> contextvars.Token[RenderScope]:
    return _SCOPE.set(scope)


def reset_scope(token: contextvars.Token[RenderScope]) -> None:
    _SCOPE.reset(token)


def guarded_iter(iterable: Iterable[Any]) -> Iterator[Any]:
    """Wraps every ``{% for %}`` iterable: counts iterations, checks the clock."""
    scope = _SCOPE.get()
    for item in iterable:
        scope.loop_tick()
        yield item


_CONTAINERS = (list, tuple, dict, set, frozenset)


def check_value(value: Any, limits: Limits) -> Any:
    """Raise if ``value`` is bigger than the limits allow; return it unchanged.

    Containers are walked as trees (shared references count each time), so a
    list that prints as a gigabyte is refused even if it takes little memory.
    """
    if isinstance(value, str):
        if len(value) > limits.max_value_chars:
            raise ResourceLimitError(
                f"a value of {len(value)} characters exceeds the limit of "
                f"{limits.max_value_chars}"
            )
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        if value.bit_length() > limits.max_int_bits:
            raise ResourceLimitError(
                f"an integer of {value.bit_length()} bits exceeds the limit of "
                f"{limits.max_int_bits}"
            )
    elif isinstance(value, _CONTAINERS):
        _check_container(value, limits)
    return value


def _check_container(value: Any, limits: Limits) -> None:
    items = 0
    weight = 0
    stack: list[Any] = [value]
    while stack:
        current = stack.pop()
        items += 1
        if isinstance(current, str):
            weight += len(current)
        elif isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, _CONTAINERS):
            stack.extend(current)
        else:
            weight += 1
        if items > limits.max_items or weight > limits.max_value_chars:
            raise ResourceLimitError(
                "a container exceeds the limit of "
                f"{limits.max_items} items / {limits.max_value_chars} characters"
            )
