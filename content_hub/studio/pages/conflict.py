"""The conflict view: a save based on an old version never overwrites.

It shows who saved in between and when, what they changed (the diff from
the version the form was loaded at to the current one), and, for each input
the user changed, their value next to the current one with a choice to
re-apply it. Choosing posts the chosen values again, against the current
version, through the same save as the editor (``/resolve`` in
``pages/editor.py``).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from content_hub.domain.content_types import FieldDef
from content_hub.domain.entries import Entry, FieldChange
from content_hub.domain.errors import NotFound
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entries import EntryService
from content_hub.services.revisions import RevisionService
from content_hub.studio.forms import Form, input_name, shown
from content_hub.studio.views import page


def _stored(fields: dict[str, Any], fdef: FieldDef, locale: str) -> Any:
    value = fields.get(fdef.key)
    if fdef.localized:
        return value.get(locale) if isinstance(value, dict) else None
    return value


async def conflict_page(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    stale: Entry,
    form: Form,
    data: dict[str, Any],
) -> Response[str]:
    """The 409 page for a save against an old version; ``data`` is the
    refused patch (parsed), ``form`` what was typed."""
    current = await EntryService(deps).get(stale.id)
    ctype = await ContentTypeService(deps).get(current.type)
    revisions = RevisionService(deps)
    raw_version = form.get("version")
    base_version = int(raw_version) if raw_version.isdigit() else current.version
    try:
        base = await revisions.get(current.id, base_version)
        theirs: list[FieldChange] = await revisions.diff(
            current.id, current.version, base_version
        )
    except NotFound:
        base, theirs = None, []
    base_fields = base.fields if base is not None else {}
    changed_paths = {tuple(str(p) for p in c.path) for c in theirs}
    target = form.get("target")
    rows = []
    for fdef in ctype.fields:
        key = fdef.key
        if key not in data["fields"]:
            continue
        name = input_name(fdef, target)
        value = data["fields"][key]
        mine = value.get(target) if fdef.localized else value
        if mine == _stored(base_fields, fdef, target):
            continue  # not changed by this user: nothing to re-apply
        path = ("fields", key, target) if fdef.localized else ("fields", key)
        rows.append(
            {
                "name": name,
                "label": fdef.name or key,
                "locale": target if fdef.localized else None,
                "theirs": shown(_stored(current.fields, fdef, target), fdef),
                "mine": shown(mine, fdef),
                "mine_values": form.getall(name),
                "both": path in changed_paths or path[:2] in changed_paths,
            }
        )
    if "key" in data and data["key"] != (base.key if base else current.key):
        rows.append(
            {
                "name": "key",
                "label": "Key",
                "locale": None,
                "theirs": current.key,
                "mine": data["key"],
                "mine_values": [data["key"]],
                "both": ("key",) in changed_paths,
            }
        )
    return page(
        request,
        "conflict.html",
        principal=principal,
        status=409,
        entry=current,
        base_version=base_version,
        theirs=theirs,
        rows=rows,
        source=form.get("source"),
        target=target,
    )
