"""The template editor's model: one row per part of a channel's template
(as the renderers name parts), the form read back into parts, and compile
problems placed at their part and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec

from content_hub.domain.content_types import ContentType
from content_hub.domain.errors import FieldError, ValidationFailed
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.render import (
    EmailParts,
    InAppParts,
    TemplateParts,
    TemplateState,
)
from content_hub.domain.templates import part_sources, parts_from_sources
from content_hub.live.template_catalog import catalog
from content_hub.studio.forms import Form

HTML_PARTS = {("web", "html"), ("email", "html")}
"""Parts edited as HTML with Jinja (the others are Jinja text)."""
PREFIX = "part:"
MAX_BUTTONS = 4


@dataclass
class PartRow:
    name: str
    source: str
    html: bool
    problems: list[FieldError] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "part-" + self.name.replace(".", "-").replace("_", "-")


def _blank(channel: str) -> TemplateParts:
    """Empty parts of ``channel`` (every required source ``""``)."""
    kind = next(k for k in TemplateParts.__args__ if k.__struct_config__.tag == channel)
    required = {f.name: "" for f in msgspec.structs.fields(kind) if f.required}
    parts: TemplateParts = msgspec.convert({"type": channel, **required}, kind)
    return parts


def part_rows(
    channel: str, parts: TemplateParts | None, typed: dict[str, str] | None = None
) -> list[PartRow]:
    """The editor's rows: every source part (an in-app card gets one empty
    button slot more, up to four); ``typed`` (a refused form) wins over the
    stored sources."""
    sources = part_sources(parts if parts is not None else _blank(channel))
    for name, value in part_sources(_blank(channel)).items():
        sources.setdefault(name, value)
    if channel == "in_app":
        count = len(parts.buttons) if isinstance(parts, InAppParts) else 0
        if count < MAX_BUTTONS:
            sources[f"button.{count}.label"] = ""
            sources[f"button.{count}.action"] = ""
    if typed is not None:
        sources = {name: typed.get(name, "") for name in {**sources, **typed}}
    return [
        PartRow(name, source, (channel, name) in HTML_PARTS)
        for name, source in sources.items()
    ]


def read_parts(channel: str, form: Form) -> tuple[dict[str, str], TemplateParts]:
    """The typed sources by part, and the parts they make (a 422 naming the
    part when one does not fit, e.g. longer than 200,000 characters)."""
    typed = {
        name.removeprefix(PREFIX): form.get(name).replace("\r\n", "\n")
        for name in form.values
        if name.startswith(PREFIX)
    }
    options = {"format": form.get("format")} if form.has("format") else None
    try:
        return typed, parts_from_sources(channel, typed, options)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(
            f"The template is not valid: {exc}.",
            errors=[FieldError(loc=["parts"], msg=str(exc))],
        ) from exc


def placed(
    rows: list[PartRow], errors: list[FieldError]
) -> tuple[list[PartRow], list[FieldError]]:
    """Each ``["parts", part, line]`` error on its row; the rest apart."""
    by_name = {r.name: r for r in rows}
    other: list[FieldError] = []
    for error in errors:
        loc = list(error.loc)
        row = by_name.get(str(loc[1])) if len(loc) > 1 else None
        if loc[:1] == ["parts"] and row is not None:
            row.problems.append(error)
        else:
            other.append(error)
    return rows, other


def problem_items(rows: list[PartRow], other: list[FieldError]) -> list[dict[str, Any]]:
    """The message list: part, line, message and the row's id to link to."""
    items: list[dict[str, Any]] = []
    for row in rows:
        for error in row.problems:
            line = error.loc[2] if len(error.loc) > 2 else None
            items.append(
                {"part": row.name, "id": row.id, "line": line, "msg": error.msg}
            )
    items += [{"part": None, "id": None, "line": None, "msg": e.msg} for e in other]
    return items


def editor_context(
    ctype: ContentType,
    channel: str,
    state: TemplateState | None,
    principal: Principal,
    *,
    typed: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
    version: int | None = None,
    fmt: str | None = None,
) -> dict[str, Any]:
    rows, other = placed(
        part_rows(channel, state.parts if state else None, typed), errors or []
    )
    stored = state.parts if state else None
    stored_format = stored.format if isinstance(stored, EmailParts) else "html"
    return {
        "ctype": ctype,
        "channel": channel,
        "state": state,
        "rows": rows,
        "problems": problem_items(rows, other),
        "checked": errors is not None,
        "version": version if version is not None else (state.version if state else 0),
        "format": fmt or stored_format,
        "may_edit": allowed(principal, Action.TEMPLATES_WRITE),
        "catalog": catalog(ctype),
        "base": f"/studio/content-types/{ctype.key}/templates/{channel}",
    }
