"""What templates can use, read from the sandbox itself (so a list shown to
template authors cannot drift from what compiles)."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from renderers._template import GLOBALS, environment

__all__ = ["TemplateNames", "template_names"]


class TemplateNames(msgspec.Struct, frozen=True, kw_only=True):
    filters: tuple[str, ...]
    """Every filter templates may use (``| currency('EUR')``)."""
    tests: tuple[str, ...]
    """Every test (``is defined``)."""
    globals: tuple[str, ...]
    """Functions and constants every template sees (``range``)."""


def template_names(html: bool = True) -> TemplateNames:
    """The filters, tests and globals of the environment HTML parts
    (``html=True``) or text parts compile in; the library's internal
    helpers (names starting with ``_``) are left out."""
    env = environment(html)

    def public(names: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(n for n in names if not n.startswith("_")))

    return TemplateNames(
        filters=public(env.filters),
        tests=public(env.tests),
        globals=public(GLOBALS),
    )
