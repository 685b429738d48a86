"""Errors raised by the renderers library.

Every failure is a :class:`RenderError` with a stable ``code`` slug so the service
can map it to a problem document and an orchestrator can decide per recipient
(Braze's ``abort_message`` model: skip this recipient, never send a hole).
"""

from __future__ import annotations

__all__ = [
    "CompileError",
    "LocaleError",
    "MissingVariableError",
    "PayloadTooLargeError",
    "RenderBudgetExceededError",
    "RenderError",
    "ResourceLimitError",
    "SandboxViolationError",
    "TemplateRuntimeError",
]


class RenderError(Exception):
    """Base class: a template could not be compiled or rendered."""

    code = "render_error"

    def __init__(
        self,
        message: str,
        *,
        template_id: str | None = None,
        line: int | None = None,
        part: str | None = None,
    ) -> None:
        self.message = message
        self.template_id = template_id
        self.line = line
        self.part = part
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = []
        if self.template_id is not None:
            name = self.template_id
            if self.part:
                name = f"{name}:{self.part}"
            where.append(f"template {name!r}")
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def __str__(self) -> str:
        return self._describe()


class CompileError(RenderError):
    """The template source is invalid (syntax, disallowed tag, unknown filter)."""

    code = "template_invalid"
    problems: list[CompileError]
    """Every problem found in the template set (this one first)."""

    def __init__(
        self,
        message: str,
        *,
        template_id: str | None = None,
        line: int | None = None,
        part: str | None = None,
    ) -> None:
        super().__init__(message, template_id=template_id, line=line, part=part)
        self.problems = [self]


class MissingVariableError(RenderError):
    """A variable was neither provided nor given a ``default``."""

    code = "missing_variable"

    def __init__(
        self,
        message: str,
        *,
        variable: str,
        template_id: str | None = None,
        line: int | None = None,
        part: str | None = None,
    ) -> None:
        self.variable = variable
        super().__init__(message, template_id=template_id, line=line, part=part)


class SandboxViolationError(RenderError):
    """The template tried to reach something the sandbox forbids."""

    code = "sandbox_violation"


class ResourceLimitError(RenderError):
    """The template exceeded an output, size, iteration or time budget."""

    code = "resource_limit"


class RenderBudgetExceededError(ResourceLimitError):
    """A template part ran longer than its wall-clock budget
    (``Limits.time_budget_s``) and was stopped."""

    code = "render_budget_exceeded"


class TemplateRuntimeError(RenderError):
    """Any other error raised while rendering (type errors, bad filter input...)."""

    code = "template_runtime_error"


class PayloadTooLargeError(RenderError):
    """A channel payload cannot fit its hard size limit even after truncation."""

    code = "payload_too_large"


class LocaleError(RenderError):
    """The render locale is not a valid or known BCP 47 tag."""

    code = "locale_invalid"
