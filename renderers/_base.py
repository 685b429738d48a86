"""What every channel renderer shares: variables, scope, the parts it renders."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from markupsafe import Markup

from renderers._errors import CompileError
from renderers._limits import (
    Limits,
    RenderScope,
    budget_exceeded,
    reset_scope,
    set_scope,
)
from renderers._locale import LocaleInfo, parse_locale, parse_timezone
from renderers._preempt import BudgetInterrupt, watchdog
from renderers._richtext import text_view
from renderers._template import (
    GLOBALS,
    RECIPIENT_FREE_NAMES,
    CompiledPart,
    compile_part,
)
from renderers._types import RenderContext, RenderRequest

__all__ = ["ChannelRenderer", "RenderState"]


class RenderState:
    """One render in progress: its variables, scope and locale."""

    __slots__ = (
        "_text_variables",
        "context",
        "locale",
        "scope",
        "text_fields",
        "variables",
    )

    def __init__(
        self,
        variables: dict[str, Any],
        scope: RenderScope,
        locale: LocaleInfo,
        context: RenderContext,
        text_fields: dict[str, Any] | None = None,
    ) -> None:
        self.variables = variables
        self.scope = scope
        self.locale = locale
        self.context = context
        self.text_fields = text_fields
        self._text_variables: dict[str, Any] | None = None

    @property
    def text_variables(self) -> dict[str, Any]:
        """The variables of text parts: ``fields`` with rich values as text
        (built on the first text part of the render, and only when they differ)."""
        found = self._text_variables
        if found is None:
            fields = self.variables["fields"]
            text = self.text_fields
            if text is None:
                text = text_view(fields)
            found = (
                self.variables if text is fields else {**self.variables, "fields": text}
            )
            self._text_variables = found
        return found


def _context_vars(context: RenderContext) -> dict[str, Any]:
    """What templates see as ``context``; unset values are left out, so
    ``context.campaign | default('none')`` works and printing one is an error."""
    out: dict[str, Any] = dict(context.extra)
    for key, value in (
        ("campaign", context.campaign),
        ("journey_step", context.journey_step),
        ("unsubscribe_url", context.unsubscribe_url),
        ("unsubscribe_mailto", context.unsubscribe_mailto),
        ("timezone", context.timezone),
        ("now", context.now),
    ):
        if value is not None:
            out[key] = value
    out["utm"] = context.utm
    out["tracking"] = context.tracking
    return out


_Out = TypeVar("_Out")


class ChannelRenderer(Generic[_Out]):
    """A compiled template set for one channel; holds nothing per request.

    Build once per (template id, version), keep it (e.g. in the published
    snapshot or a :class:`~renderers.TemplateCache`) and call :meth:`render`
    for each recipient; it is safe to share between threads.
    """

    channel: ClassVar[str] = ""
    html_parts: ClassVar[frozenset[str]] = frozenset()
    default_limits: ClassVar[Limits] = Limits()

    def __init__(
        self,
        template_id: str,
        version: int | str,
        sources: Mapping[str, str],
        limits: Limits | None = None,
    ) -> None:
        self.template_id = template_id
        self.version = version
        self.limits = limits or self.default_limits
        self.parts: dict[str, CompiledPart] = {}
        problems: list[CompileError] = []
        for name, source in sources.items():
            try:
                self.parts[name] = compile_part(
                    source,
                    template_id=template_id,
                    part=name,
                    html=name in self.html_parts,
                    limits=self.limits,
                )
            except CompileError as exc:
                problems.append(exc)
        if problems:
            first = problems[0]
            first.problems = problems
            raise first

    derived_variables: ClassVar[frozenset[str]] = frozenset()
    """Variables the renderer adds from its own parts (an email's preheader)."""

    @functools.cached_property
    def recipient_free(self) -> bool:
        """Whether every recipient gets the same output for the same fields
        and locale when the request has an empty context: no part reads
        ``customer``, ``context``, the clock or the time zone. Callers may
        then render once per (fields, locale) and reuse the output.
        Computed on first use (after a subclass has set all its parts)."""
        allowed = RECIPIENT_FREE_NAMES | self.derived_variables
        return all(
            not part.uses_clock and part.reads <= allowed
            for part in self.parts.values()
        )

    @functools.cached_property
    def has_text_parts(self) -> bool:
        """Whether a part prints text (callers then pass ``text_fields``)."""
        return any(name not in self.html_parts for name in self.parts)

    def begin(self, request: RenderRequest) -> RenderState:
        locale = parse_locale(request.locale)
        context = request.context
        tzinfo = parse_timezone(context.timezone)
        now = context.now or dt.datetime.now(dt.UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.UTC)
        customer = request.customer
        customer_vars: dict[str, Any] = dict(customer.attributes)
        customer_vars.update(
            id=customer.id, segments=customer.segments, attributes=customer.attributes
        )
        variables: dict[str, Any] = {
            **GLOBALS,
            "fields": request.fields,
            "customer": customer_vars,
            "context": _context_vars(context),
            "locale": locale.tag,
            "lang": locale.tag,
            "dir": locale.direction,
            "text_direction": locale.direction,
        }
        scope = RenderScope(self.limits, locale.locale, tzinfo, now, locale.tag)
        return RenderState(variables, scope, locale, context, request.text_fields)

    def render(self, request: RenderRequest, *, slice_s: float | None = None) -> _Out:
        """Render for one recipient; raise a ``RenderError`` subclass.

        Every part is stopped when it passes its time budget, wherever it is
        (``RenderBudgetExceededError``, see :mod:`renderers._preempt`). With
        ``slice_s``, the whole render is also stopped after that many seconds
        with :class:`~renderers.RenderSliceExpired`: the caller (an event loop
        that cannot afford a long render) runs it again on a thread.
        """
        state = self.begin(request)
        scope = state.scope
        token = set_scope(scope)
        try:
            return watchdog.run(lambda: self._render(request, state), scope, slice_s)
        except BudgetInterrupt:
            exc = budget_exceeded(scope.limits, scope.part)
            exc.template_id = self.template_id
            raise exc from None
        finally:
            reset_scope(token)

    def _render(self, request: RenderRequest, state: RenderState) -> _Out:
        raise NotImplementedError

    def render_part(
        self,
        state: RenderState,
        name: str,
        limits: Limits | None = None,
        extra: Mapping[str, Any] | None = None,
        markup_hook: Callable[[Markup], Markup] | None = None,
    ) -> str:
        limits = limits or self.limits
        state.scope.restart(limits, name)
        state.scope.markup_hook = markup_hook
        variables = state.variables if name in self.html_parts else state.text_variables
        if extra is not None:
            variables = {**variables, **extra}
        return self.parts[name].render(variables, limits)
