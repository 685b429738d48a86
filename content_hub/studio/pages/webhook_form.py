"""The webhook subscription form: its inputs as the API's ``WebhookIn`` (the
service validates, as for ``/manage/v1/webhooks``), a subscription as the
form's values, the problem's field errors next to their inputs, and the
choices the form offers."""

from __future__ import annotations

from typing import Any

from content_hub.domain.errors import FieldError, HubError, ValidationFailed
from content_hub.domain.webhooks import EventType, Webhook, WebhookIn
from content_hub.services.base import Deps
from content_hub.services.entry_lists import EntryLists
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.editor_model import term_options
from content_hub.studio.pages.taxonomy_model import inline_errors

FIELDS = ("url", "events", "description", "content_types", "terms", "active")
HEADERS = "headers"
INPUTS = (*FIELDS, HEADERS, "confirm")
"""Inputs errors are shown at (``confirm``: delete's confirmation box)."""


def typed(form: Form) -> dict[str, Any]:
    """What was typed, to show again after a refusal."""
    return {
        "url": form.get("url").strip(),
        "events": form.getall("events"),
        "description": form.get("description"),
        "content_types": form.getall("content_types"),
        "terms": form.getall("terms"),
        "active": form.has("active"),
        HEADERS: form.get(HEADERS),
    }


def blank() -> dict[str, Any]:
    """The new-subscription form: active, every entry event ticked."""
    events = [e.value for e in EventType if e.value.startswith("entry.")]
    return typed(Form({"active": ["on"], "events": events}))


def values_of(hook: Webhook) -> dict[str, Any]:
    """A stored subscription as the form's values."""
    return {
        "url": hook.url,
        "events": list(hook.events),
        "description": hook.description,
        "content_types": list(hook.content_types),
        "terms": list(hook.terms),
        "active": hook.active,
        HEADERS: "\n".join(f"{k}: {v}" for k, v in hook.headers.items()),
    }


def webhook_in(form: Form) -> WebhookIn:
    """The form as the API's input, checked by the same constraints (a
    failure is the API's 422, with the input's name as its location)."""
    values = typed(form)
    values[HEADERS] = _headers(values[HEADERS])
    return convert(values, WebhookIn)


def _headers(text: str) -> dict[str, str]:
    """One ``Name: value`` a line (blank lines skipped); the service checks
    the names and values."""
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise ValidationFailed(
                "The form is not valid: each header is a line `Name: value`.",
                errors=[FieldError(loc=[HEADERS], msg=f"line {n} has no colon")],
            )
        out[name.strip()] = value.strip()
    return out


def field_errors(exc: HubError) -> tuple[dict[str, list[str]], list[str]]:
    """The problem's errors by input (a header's under ``headers``, named),
    and the rest (shown in the problem box)."""
    by_input: dict[str, list[str]] = {}
    other: list[str] = []
    for where, found in inline_errors(exc).items():
        name, _, rest = where.removeprefix("body.").partition(".")
        messages = (
            [f"{rest}: {m}" for m in found] if name == HEADERS and rest else found
        )
        if name in INPUTS:
            by_input.setdefault(name, []).extend(messages)
        elif where == "form":
            other += found
        else:
            other += [f"{where}: {m}" for m in found]
    return by_input, other


async def choices(deps: Deps) -> dict[str, Any]:
    """The event types, content types and terms the form offers."""
    types = await EntryLists(deps).types()
    return {
        "event_types": [e.value for e in EventType],
        "type_choices": sorted(types.values(), key=lambda t: t.name.lower()),
        "term_choices": await term_options(deps),
    }
