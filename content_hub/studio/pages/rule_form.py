"""The rules editor's form: rules as the page shows them (text per input)
and back into the API's rule JSON, and the API's errors at their inputs.

Each rule on the page has a token (``r0``, ``r1``, ... as rendered) posted
in a hidden ``rule`` input; its inputs are ``<token>:<field>``. The order of
the ``rule`` inputs in the post is the order of the rules, so moving a rule
(a Move button, or studio.js moving it in the page) is just its place in
the form. An error at ``["rules", i, field, ...]`` belongs to the ``i``-th
posted rule's ``field`` input.

Fields the form does not show (filters, ranges, a bandit, hash_version) ride
along in the rule's hidden ``extra`` JSON, so a save keeps them.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from content_hub.domain.errors import FieldError
from content_hub.studio.forms import Form

KINDS = ("personalise", "rollout", "experiment")
STATUSES = ("draft", "running", "stopped")
TEXTS: dict[str, tuple[str, ...]] = {
    "personalise": ("id", "variant", "condition"),
    "rollout": ("id", "variant", "condition", "coverage", "hash_attribute", "seed"),
    "experiment": (
        "id",
        "key",
        "name",
        "condition",
        "variations",
        "weights",
        "coverage",
        "hash_attribute",
        "fallback_attribute",
        "seed",
        "namespace_id",
        "namespace_start",
        "namespace_end",
        "status",
        "bucket_version",
        "min_bucket_version",
    ),
}
"""The text inputs of each kind of rule (``variations`` and ``weights``:
comma-separated lists)."""
FLAGS: dict[str, tuple[str, ...]] = {
    "personalise": ("enabled",),
    "rollout": ("enabled",),
    "experiment": ("enabled", "disable_sticky_bucketing"),
}
SHOWN = {"type", "audiences", "namespace", *(f for t in TEXTS.values() for f in t)}
SHOWN |= {f for t in FLAGS.values() for f in t}
_NONE_IF_EMPTY = {"seed", "key", "fallback_attribute"}
_NUMBERS = {"coverage"}
_INTEGERS = {"bucket_version", "min_bucket_version"}


class RuleView(msgspec.Struct, kw_only=True):
    """One rule on the page."""

    token: str
    type: str
    text: dict[str, str]
    flags: dict[str, bool]
    audiences: list[str]
    extra: str
    errors: dict[str, list[str]] = {}
    other_errors: list[str] = []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def views_of(rules: list[dict[str, Any]]) -> list[RuleView]:
    """The stored rules (JSON) as the page shows them."""
    views = []
    for i, rule in enumerate(rules):
        kind = str(rule.get("type", "personalise"))
        text: dict[str, str] = {}
        for name in TEXTS.get(kind, ()):
            value = rule.get(name)
            if name == "condition":
                text[name] = "" if value is None else json.dumps(value)
            elif name in ("variations", "weights"):
                text[name] = ", ".join(_text(v) for v in value or [])
            elif name.startswith("namespace_"):
                ns = rule.get("namespace") or ["", None, None]
                text[name] = _text(ns[("id", "start", "end").index(name[10:])])
            else:
                text[name] = _text(value)
        views.append(
            RuleView(
                token=f"r{i}",
                type=kind,
                text=text,
                flags={f: bool(rule.get(f, f == "enabled")) for f in FLAGS[kind]},
                audiences=[str(a) for a in rule.get("audiences", [])],
                extra=json.dumps({k: v for k, v in rule.items() if k not in SHOWN}),
            )
        )
    return views


def views_of_form(form: Form) -> list[RuleView]:
    """The rules as posted, in the posted order (tokens kept)."""
    views = []
    for token in form.getall("rule"):
        kind = form.get(f"{token}:type")
        if kind not in KINDS:
            continue
        views.append(
            RuleView(
                token=token,
                type=kind,
                text={n: form.get(f"{token}:{n}") for n in TEXTS[kind]},
                flags={f: form.get(f"{token}:{f}") == "1" for f in FLAGS[kind]},
                audiences=form.getall(f"{token}:audiences"),
                extra=form.get(f"{token}:extra") or "{}",
            )
        )
    return views


def new_rule(kind: str, taken: list[RuleView], variants: list[str]) -> RuleView:
    """A new rule of ``kind`` with a free id and token."""
    ids = {v.text.get("id") for v in taken}
    n = len(taken) + 1
    while f"{kind}-{n}" in ids:
        n += 1
    rule: dict[str, Any] = {"type": kind, "id": f"{kind}-{n}"}
    first = variants[0] if variants else "default"
    if kind in ("personalise", "rollout"):
        rule["variant"] = first
    else:
        rule["variations"] = ["default", first] if first != "default" else ["default"]
        rule["weights"] = [0.5, 0.5] if first != "default" else [1.0]
    view = views_of([rule])[0]
    tokens = {v.token for v in taken}
    m = len(taken)
    while f"r{m}" in tokens:
        m += 1
    view.token = f"r{m}"
    return view


def _list(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def rule_json(view: RuleView, index: int) -> tuple[dict[str, Any], list[FieldError]]:
    """The API's JSON of one rule, and the inputs that did not parse."""
    errors: list[FieldError] = []

    def fail(name: str, msg: str) -> None:
        errors.append(FieldError(loc=["rules", index, name], msg=msg, type="form"))

    try:
        rule: dict[str, Any] = json.loads(view.extra or "{}")
    except ValueError:
        rule = {}
    rule = rule if isinstance(rule, dict) else {}
    rule.update({"type": view.type, "audiences": view.audiences, **view.flags})
    for name, raw in view.text.items():
        text = raw.strip()
        if name == "condition":
            if text:
                try:
                    rule[name] = json.loads(text)
                except ValueError as exc:
                    fail(name, f"not valid JSON ({exc})")
        elif name == "variations":
            rule[name] = _list(text)
        elif name == "weights":
            try:
                rule[name] = [float(w) for w in _list(text)] if text else None
            except ValueError:
                fail(name, "expected numbers separated by commas")
        elif name in _NUMBERS or name in _INTEGERS:
            if text:
                try:
                    rule[name] = int(text) if name in _INTEGERS else float(text)
                except ValueError:
                    fail(
                        name,
                        "expected a whole number"
                        if name in _INTEGERS
                        else "expected a number",
                    )
        elif name.startswith("namespace_"):
            continue
        elif text or name not in _NONE_IF_EMPTY:
            rule[name] = text
    if view.type == "experiment":
        ns = [
            view.text.get(f"namespace_{p}", "").strip() for p in ("id", "start", "end")
        ]
        if any(ns):
            try:
                rule["namespace"] = [ns[0], float(ns[1]), float(ns[2])]
            except ValueError:
                fail(
                    "namespace_start",
                    "the namespace needs a name, a start and an end (0 to 1)",
                )
    return rule, errors


def place_errors(views: list[RuleView], errors: list[dict[str, Any]]) -> list[str]:
    """Put each ``rules.<i>.<field>`` error at its rule's input (``namespace``
    at its name input); return the messages that belong to no rule."""
    rest: list[str] = []
    for error in errors:
        loc = list(error["loc"])
        if (
            len(loc) >= 2
            and loc[0] == "rules"
            and isinstance(loc[1], int)
            and loc[1] < len(views)
        ):
            view = views[loc[1]]
            field = str(loc[2]) if len(loc) > 2 else ""
            if field == "namespace":
                field = "namespace_id"
            if field in view.text or field == "audiences":
                view.errors = {
                    **view.errors,
                    field: [*view.errors.get(field, []), error["msg"]],
                }
            else:
                where = ".".join(str(p) for p in loc[2:])
                view.other_errors = [
                    *view.other_errors,
                    f"{where}: {error['msg']}" if where else error["msg"],
                ]
        else:
            where = ".".join(str(p) for p in loc)
            rest.append(f"{where}: {error['msg']}" if where else error["msg"])
    return rest
