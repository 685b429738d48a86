"""The problem documents of the render path: what a render error or a
refused preview becomes for the caller."""

from __future__ import annotations

from content_hub.domain.errors import Forbidden
from content_hub.domain.render import (
    MissingCustomerData,
    PayloadTooLarge,
    RenderBudgetExceeded,
    RenderFailed,
)
from renderers import (
    MissingVariableError,
    PayloadTooLargeError,
    RenderBudgetExceededError,
    RenderError,
)


def render_problem(exc: RenderError) -> Exception:
    """The 422 problem for a render error: a missing variable is named."""
    if isinstance(exc, MissingVariableError):
        return MissingCustomerData(
            f"Template {exc.template_id} line {exc.line} needs {exc.variable!r}, "
            "which the request does not provide (and the template has no default).",
            extra={
                "variable": exc.variable,
                "template": exc.template_id,
                "line": exc.line,
                "part": exc.part,
            },
        )
    if isinstance(exc, PayloadTooLargeError):
        return PayloadTooLarge(str(exc), extra={"template": exc.template_id})
    if isinstance(exc, RenderBudgetExceededError):
        return RenderBudgetExceeded(
            str(exc), extra={"template": exc.template_id, "part": exc.part}
        )
    return RenderFailed(
        str(exc),
        extra={"template": exc.template_id, "line": exc.line, "code": exc.code},
    )


def require_preview(scopes_ok: bool) -> None:
    """A forced variant needs the ``preview`` scope."""
    if not scopes_ok:
        raise Forbidden("Forcing a variant needs a key with the 'preview' scope.")
