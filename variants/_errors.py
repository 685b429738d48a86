"""The library's exceptions: one base, one subclass per failure."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

__all__ = [
    "InvalidRuleSetError",
    "Problem",
    "UnknownAudienceError",
    "UnknownVariantError",
    "VariantsError",
]


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One validation problem: where (``loc``), what (``msg``) and a stable ``type``."""

    loc: tuple[str | int, ...]
    msg: str
    type: str

    def __str__(self) -> str:
        path = ".".join(str(p) for p in self.loc) or "<root>"
        return f"{path}: {self.msg} [{self.type}]"


class VariantsError(Exception):
    """Base of every error raised by ``variants``."""


class InvalidRuleSetError(VariantsError):
    """A rule set (or condition, or audience) failed validation."""

    def __init__(self, errors: Sequence[Problem]) -> None:
        self.errors: tuple[Problem, ...] = tuple(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} validation error(s):\n{lines}")


class UnknownVariantError(VariantsError):
    """A variant key (e.g. a forced preview variant) is not part of the rule set."""


class UnknownAudienceError(VariantsError):
    """A rule refers to an audience that was not supplied."""
