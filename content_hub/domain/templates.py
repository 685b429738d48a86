"""Template parts as named sources (the names compile errors use), and the
difference between two versions part by part."""

from __future__ import annotations

import difflib
from typing import Any

import msgspec

from content_hub.domain.render import (
    EmailParts,
    InAppParts,
    PartDiff,
    PushParts,
    TemplateParts,
)


def part_sources(parts: TemplateParts) -> dict[str, str]:
    """Every Jinja source of ``parts`` by the part name the renderers report
    (``subject``, ``data.<key>``, ``button.<i>.label``); options that are not
    sources (the email ``format``) are left out."""
    out: dict[str, str] = {}
    for name in parts.__struct_fields__:
        value: Any = getattr(parts, name)
        if isinstance(value, str):
            if not (isinstance(parts, EmailParts) and name == "format"):
                out[name] = value
        elif isinstance(parts, PushParts) and name == "data":
            out.update({f"data.{k}": v for k, v in value.items()})
        elif isinstance(parts, InAppParts) and name == "buttons":
            for i, button in enumerate(value):
                out[f"button.{i}.label"] = button.label
                out[f"button.{i}.action"] = button.action
    return out


def parts_from_sources(
    channel: str, sources: dict[str, str], options: dict[str, str] | None = None
) -> TemplateParts:
    """The inverse of :func:`part_sources` (``options``: the email
    ``format``); raises ``msgspec.ValidationError`` for parts a channel does
    not have."""
    plain: dict[str, Any] = {"type": channel, **(options or {})}
    data: dict[str, str] = {}
    buttons: dict[int, dict[str, str]] = {}
    for name, source in sources.items():
        head, _, rest = name.partition(".")
        if channel == "push" and head == "data" and rest:
            data[rest] = source
        elif channel == "in_app" and head == "button" and rest:
            index, _, field = rest.partition(".")
            if index.isdigit() and field in ("label", "action"):
                buttons.setdefault(int(index), {})[field] = source
            else:
                plain[name] = source
        else:
            plain[name] = source
    if data:
        plain["data"] = data
    if buttons:
        plain["buttons"] = [
            {"label": b.get("label", ""), "action": b.get("action", "")}
            for _, b in sorted(buttons.items())
            if b.get("label") or b.get("action")
        ]
    parts: TemplateParts = msgspec.convert(plain, TemplateParts)
    return parts


def diff_parts(
    old: TemplateParts, new: TemplateParts, old_label: str, new_label: str
) -> list[PartDiff]:
    """The parts that differ, each as a unified diff (options such as the
    email ``format`` count as a part named after the option)."""
    before, after = _comparable(old), _comparable(new)
    out: list[PartDiff] = []
    for part in [*before, *(p for p in after if p not in before)]:
        a, b = before.get(part, ""), after.get(part, "")
        if a == b:
            continue
        lines = difflib.unified_diff(
            a.splitlines(keepends=True),
            b.splitlines(keepends=True),
            fromfile=f"{old_label}/{part}",
            tofile=f"{new_label}/{part}",
        )
        text = "".join(x if x.endswith("\n") else x + "\n" for x in lines)
        out.append(PartDiff(part=part, diff=text))
    return out


def _comparable(parts: TemplateParts) -> dict[str, str]:
    out = part_sources(parts)
    if isinstance(parts, EmailParts):
        out["format"] = parts.format
    return out
