"""Batch rendering and the compiled-template cache."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import msgspec

from renderers._base import ChannelRenderer
from renderers._card import CardRenderer, CardTemplates
from renderers._email import EmailRenderer, EmailTemplates
from renderers._errors import CompileError, MissingVariableError, RenderError
from renderers._limits import Limits
from renderers._push import PushRenderer, PushTemplates
from renderers._sms import SmsRenderer, SmsTemplates
from renderers._types import RenderFailure, RenderOutcome, RenderRequest
from renderers._web import WebRenderer, WebTemplates

__all__ = ["TemplateCache", "compile_renderer", "render_many", "validate_templates"]

Templates = WebTemplates | EmailTemplates | PushTemplates | CardTemplates | SmsTemplates

_RENDERERS: dict[type[Any], type[ChannelRenderer[Any]]] = {
    WebTemplates: WebRenderer,
    EmailTemplates: EmailRenderer,
    PushTemplates: PushRenderer,
    CardTemplates: CardRenderer,
    SmsTemplates: SmsRenderer,
}


_Key = tuple[str, int | str, type[Any], bytes, Limits | None, float | None]
_encode = msgspec.json.Encoder(order="sorted").encode


class _Renders(Protocol):
    def render(self, request: RenderRequest) -> Any: ...


def compile_renderer(
    template_id: str,
    version: int | str,
    templates: Templates,
    limits: Limits | None = None,
    *,
    time_budget_s: float | None = None,
) -> ChannelRenderer[Any]:
    """The channel's renderer for a template set; raises ``CompileError``.

    ``time_budget_s`` replaces the time budget per part of ``limits`` (or of
    the channel's default limits)."""
    renderer = _RENDERERS[type(templates)]
    if time_budget_s is not None:
        base = limits or renderer.default_limits
        limits = msgspec.structs.replace(base, time_budget_s=time_budget_s)
    cls: Callable[..., ChannelRenderer[Any]] = renderer
    return cls(template_id, version, templates, limits)


def validate_templates(
    templates: Templates,
    template_id: str = "draft",
    *,
    time_budget_s: float | None = None,
) -> list[CompileError]:
    """Save-time check: every problem found (syntax with line, disallowed
    ``include``/``import``/``extends``, unknown filters, nested loops, MJML,
    nesting too deep to compile)."""
    try:
        compile_renderer(template_id, "draft", templates, time_budget_s=time_budget_s)
    except CompileError as exc:
        return list(exc.problems)
    return []


def failure(exc: RenderError) -> RenderFailure:
    return RenderFailure(
        code=exc.code,
        message=str(exc),
        template_id=exc.template_id,
        part=exc.part,
        line=exc.line,
        variable=exc.variable if isinstance(exc, MissingVariableError) else None,
    )


def render_many(
    renderer: _Renders, requests: Iterable[RenderRequest]
) -> Iterator[RenderOutcome]:
    """Render one compiled template for many recipients, lazily, in order.

    A recipient whose render fails (missing variable, budget, payload too
    large) yields an outcome with ``failure`` set; the batch goes on.
    """
    for index, request in enumerate(requests):
        try:
            output = renderer.render(request)
        except RenderError as exc:
            yield RenderOutcome(index=index, failure=failure(exc))
        else:
            yield RenderOutcome(index=index, output=output)


class TemplateCache:
    """Compiled renderers keyed by everything one is compiled from: the
    template id and version, the channel, the sources and the limits (the
    time budget included). Least recently used out; thread-safe.

    The sources are part of the key because an id and version do not name
    one source for sure: two hubs in a process, a Studio draft and the
    published template, a database restored from an older backup. Checking
    them costs one JSON encoding and a hash, far less than a compile.
    """

    def __init__(self, maxsize: int = 512) -> None:
        self._maxsize = maxsize
        self._items: OrderedDict[_Key, ChannelRenderer[Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.compiles = 0
        """How many renderers this cache compiled (misses)."""

    def get(
        self,
        template_id: str,
        version: int | str,
        templates: Templates,
        limits: Limits | None = None,
        *,
        time_budget_s: float | None = None,
    ) -> ChannelRenderer[Any]:
        """The cached renderer, compiled on first use; raises
        ``CompileError`` (nothing is kept then). Arguments as for
        :func:`compile_renderer`."""
        source = hashlib.blake2b(_encode(templates), digest_size=16).digest()
        key = (template_id, version, type(templates), source, limits, time_budget_s)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        renderer = compile_renderer(
            template_id, version, templates, limits, time_budget_s=time_budget_s
        )
        with self._lock:
            self.compiles += 1
            self._items[key] = renderer
            self._items.move_to_end(key)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)
        return renderer

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
