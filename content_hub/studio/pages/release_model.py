"""What the release pages show and read: the options of the forms that add
items (entries and their revisions, template targets, audiences), an add
form as the :class:`ReleaseItems` the API takes (checked by the same
``convert``), and the service's field errors by the input they belong to.
Reads only (``pages/releases.py`` and ``release_items.py`` write)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from content_hub.domain.errors import (
    BadRequest,
    FieldError,
    NotFound,
    ValidationFailed,
)
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.releases import EDITABLE, Release, ReleaseItems, ReleaseStatus
from content_hub.services.audiences import AudienceService
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.entry_lists import EntryLists
from content_hub.services.release_publish import check_items
from content_hub.services.revisions import RevisionService
from content_hub.services.templates import TemplateService
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.audience_model import parse_condition
from content_hub.studio.pages.editor_model import PICKER_LIMIT, Option

REVISIONS_SHOWN = 20
INPUTS = {
    ("entries", "entry"): "entry",
    ("entries", "version"): "entry_version",
    ("templates", "type"): "template",
    ("templates", "channel"): "template",
    ("templates", "version"): "template_version",
    ("audiences", "key"): "audience_key",
    ("audiences", "name"): "audience_name",
    ("audiences", "condition"): "audience_condition",
}
"""(item kind, field of the item) -> the input of the add form."""
OWN = ("name", "description", "publish_at")


def errors_by_input(errors: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Problem ``errors[{loc, msg}]`` by the input they belong to (the
    problem box at the top lists them all as well)."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = error["loc"]
        name = None
        if len(loc) == 1 and loc[0] in OWN:
            name = str(loc[0])
        elif len(loc) >= 3:
            name = INPUTS.get((str(loc[0]), str(loc[2])))
        if name is not None:
            out.setdefault(name, []).append(error["msg"])
    return out


def _number(raw: str) -> int | str:
    """A version as typed: a number, or the text (which ``convert`` refuses
    with the API's message)."""
    return int(raw) if raw.isdigit() and len(raw) < 10 else raw


def _at(kind: str, field: str, exc: ValidationFailed) -> ValidationFailed:
    """``exc`` (an error of one input) placed at the item's field."""
    return ValidationFailed(
        exc.detail,
        errors=[
            FieldError(loc=[kind, 0, field], msg=e.msg, type=e.type) for e in exc.errors
        ],
    )


async def items_of(deps: Deps, form: Form) -> ReleaseItems:
    """The one item an add form describes (``kind``: entries, templates or
    audiences). An empty version is the latest saved one (the entry's draft,
    the channel's template draft)."""
    kind = form.get("kind")
    if kind == "entries":
        entry_id = form.get("entry").strip()
        version: int | str | None = _number(form.get("entry_version").strip())
        if version == "" and entry_id:
            try:
                version = (await EntryService(deps).get(entry_id)).version
            except NotFound as exc:
                raise ValidationFailed(
                    exc.detail,
                    errors=[FieldError(loc=[kind, 0, "entry"], msg="no such entry")],
                ) from None
        item: dict[str, Any] = {"entry": entry_id, "version": version}
    elif kind == "templates":
        type_key, _, channel = form.get("template").partition(":")
        version = _number(form.get("template_version").strip())
        if version == "" and type_key and channel:
            try:
                version = (
                    await TemplateService(deps).current(type_key, channel)
                ).version
            except NotFound as exc:
                raise ValidationFailed(
                    exc.detail,
                    errors=[FieldError(loc=[kind, 0, "type"], msg=exc.detail)],
                ) from None
        item = {"type": type_key, "channel": channel, "version": version}
    elif kind == "audiences":
        item = {"key": form.get("audience_key").strip()}
        item["name"] = form.get("audience_name").strip()
        if form.get("audience_delete"):
            item["delete"] = True
        else:
            try:
                item["condition"] = parse_condition(form.get("audience_condition"))
            except ValidationFailed as exc:
                raise _at(kind, "condition", exc) from None
    else:
        raise BadRequest("kind is entries, templates or audiences.")
    return convert({kind: [item]}, ReleaseItems)


async def revision_options(deps: Deps, entry_id: str) -> list[Option]:
    """The newest revisions of an entry, newest first, the latest draft and
    the published one marked (none for no or an unknown entry)."""
    if not entry_id:
        return []
    try:
        entry = await EntryService(deps).get(entry_id)
    except NotFound:
        return []
    found = await RevisionService(deps).page(
        entry_id, cursor=None, limit=REVISIONS_SHOWN
    )
    out = []
    for rev in found.items:
        label = f"version {rev.version}, saved {rev.created_at:%Y-%m-%d %H:%M} UTC"
        label += f" by {rev.created_by}"
        if rev.version == entry.version:
            label += " (latest draft)"
        if rev.version == entry.published_version:
            label += " (published)"
        out.append(Option(str(rev.version), label))
    return out


async def template_targets(deps: Deps) -> list[Option]:
    """``type:channel`` of every channel a content type renders for."""
    types = await EntryLists(deps).types()
    return [
        Option(f"{t.key}:{channel}", f"{t.name or t.key} · {channel}")
        for t in sorted(types.values(), key=lambda t: t.key)
        for channel in t.channels
    ]


async def release_context(
    deps: Deps, principal: Principal, release: Release, entry_id: str = ""
) -> dict[str, Any]:
    """Everything ``release.html`` needs besides the problem and what was
    typed (``entry_id``: the entry whose revisions the add form lists)."""
    open_ = release.status in EDITABLE
    may_edit = open_ and allowed(principal, Action.ENTRIES_WRITE)
    labels = await EntryLists(deps).labels(None, PICKER_LIMIT) if may_edit else []
    keys = {i: f"{t} / {k}" for i, t, k in labels}
    named = [i.entry for i in release.items.entries if i.entry not in keys]
    for found in (await EntryLists(deps).many(named)).values():
        keys[found.id] = f"{found.type} / {found.key}"
    return {
        "release": release,
        "blockers": await check_items(deps, release.items) if open_ else [],
        "may_edit": may_edit,
        "may_publish": open_ and allowed(principal, Action.ENTRIES_PUBLISH),
        "may_schedule": may_edit and allowed(principal, Action.ENTRIES_PUBLISH),
        "may_rollback": release.status is ReleaseStatus.PUBLISHED
        and allowed(principal, Action.ENTRIES_PUBLISH),
        "entry_labels": keys,
        "entry_options": [Option(i, f"{t} / {k}", group=t) for i, t, k in labels],
        "revisions": await revision_options(deps, entry_id) if may_edit else [],
        "template_options": await template_targets(deps) if may_edit else [],
        "audience_keys": [a.key for a in await AudienceService(deps).all()]
        if may_edit
        else [],
    }
