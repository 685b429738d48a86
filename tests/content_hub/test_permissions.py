"""The permission table and the translator's field check, without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_hub.domain.content_types import ContentType, FieldDef
from content_hub.domain.errors import Forbidden
from content_hub.domain.keys import Principal, Scope
from content_hub.domain.permissions import (
    PERMISSIONS,
    Action,
    PermissionDenied,
    allowed,
    require,
)
from content_hub.domain.roles import Role
from content_hub.domain.translator_edits import translation_problems
from content_hub.domain.users import ROLE_SCOPES, User, principal_for

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONTENT = {
    Action.ENTRIES_WRITE,
    Action.ENTRIES_TRANSLATE,
    Action.ENTRIES_PUBLISH,
    Action.TYPES_WRITE,
    Action.TAXONOMY_WRITE,
    Action.MEDIA_WRITE,
    Action.AUDIENCES_WRITE,
    Action.TEMPLATES_WRITE,
    Action.VARIANTS_WRITE,
    Action.SAMPLES_WRITE,
}
#: The issue's words, written out independently of the table they check.
SPEC: dict[Role, set[Action]] = {
    Role.ADMIN: set(Action),
    Role.EDITOR: CONTENT,
    Role.TRANSLATOR: {Action.ENTRIES_TRANSLATE},
    Role.REVIEWER: {Action.ENTRIES_PUBLISH},
    Role.VIEWER: set(),
}


def user(role: Role, locales: tuple[str, ...] = ()) -> Principal:
    return principal_for(
        User(id=f"u-{role}", email=f"{role}@example.com", role=role,
             locales=locales, created_at=NOW)
    )  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_roles_match_the_issue(role: Role, action: Action) -> None:
    actor = user(role)
    assert allowed(actor, action) == (action in SPEC[role])
    if action in SPEC[role]:
        require(actor, action)
    else:
        with pytest.raises(PermissionDenied) as refused:
            require(actor, action)
        assert str(role) in refused.value.detail and str(action) in refused.value.detail
        assert refused.value.status == 403
        assert refused.value.extra == {"action": str(action), "role": str(role)}


@pytest.mark.parametrize("action", list(Action))
def test_a_role_allowed_an_action_reaches_its_routes(action: Action) -> None:
    """The routes admit a session by its role's scopes (``ROLE_SCOPES``): a
    role the table allows an action must have the scope of that action's
    routes, or the route would refuse what the service allows."""
    for role in PERMISSIONS[action].roles:
        assert PERMISSIONS[action].scope in ROLE_SCOPES[role], (role, action)


@given(st.sets(st.sampled_from(list(Scope))))
def test_keys_keep_their_scopes(scopes: set[Scope]) -> None:
    from content_hub.domain.keys import effective_scopes

    key = Principal("k", "a key", effective_scopes(tuple(scopes)))
    for action in Action:
        expected = PERMISSIONS[action].scope in key.scopes
        assert allowed(key, action) == expected
        if not expected:
            with pytest.raises(Forbidden) as refused:
                require(key, action)
            assert not isinstance(refused.value, PermissionDenied)
            assert "'a key'" in refused.value.detail


CTYPE = ContentType(
    key="article",
    name="Article",
    description="",
    fields=[
        FieldDef(key="title", type="text", localized=True),
        FieldDef(key="body", type="text", localized=True),
        FieldDef(key="price", type="number"),
        FieldDef(key="url", type="url"),
    ],
    channels=["web"],
    version=1,
    created_at=NOW,
    updated_at=NOW,
)
LOCALES = ["en", "de", "nb", "fr"]
text = st.sampled_from(["a", "b", "c"])
localized = st.dictionaries(st.sampled_from(LOCALES), text, max_size=4)
values = st.fixed_dictionaries(
    {},
    optional={
        "title": localized,
        "body": localized,
        "price": st.integers(0, 3),
        "url": st.sampled_from(["https://a.example", "https://b.example"]),
    },
)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> set[tuple[str, ...]]:
    """Every (field,) or (field, locale) that differs: the oracle."""
    out: set[tuple[str, ...]] = set()
    for key in set(before) | set(after):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if CTYPE.field(key).localized:  # type: ignore[union-attr]
            old, new = old or {}, new or {}
            out |= {(key, c) for c in set(old) | set(new) if old.get(c) != new.get(c)}
        else:
            out.add((key,))
    return out


@given(values, values, st.sets(st.sampled_from(LOCALES), min_size=1))
def test_translation_problems_are_exactly_the_foreign_changes(
    before: dict[str, Any], after: dict[str, Any], mine: set[str]
) -> None:
    problems = translation_problems(CTYPE, before, after, frozenset(mine))
    refused = {tuple(str(p) for p in e.loc[1:]) for e in problems}
    expected = {c for c in _changes(before, after) if len(c) == 1 or c[1] not in mine}
    assert refused == expected
    assert all(e.loc[0] == "fields" and e.type == "forbidden" for e in problems)
    for e in problems:
        assert repr(e.loc[1]) in e.msg
        if len(e.loc) == 3:
            assert str(e.loc[2]) in e.msg


@given(values, st.sets(st.sampled_from(LOCALES), min_size=1), st.data())
def test_own_locale_edits_over_a_full_payload_pass(
    before: dict[str, Any], mine: set[str], data: st.DataObject
) -> None:
    """A full form post: every value sent back, only the translator's
    locales of localised fields changed (or removed)."""
    after = {k: (dict(v) if isinstance(v, dict) else v) for k, v in before.items()}
    for key in ("title", "body"):
        values_now = after.setdefault(key, {})
        for code in mine:
            change = data.draw(st.sampled_from(["keep", "set", "drop"]))
            if change == "set":
                values_now[code] = data.draw(text)
            elif change == "drop":
                values_now.pop(code, None)
        if not values_now and key not in before:
            del after[key]
    assert translation_problems(CTYPE, before, after, frozenset(mine)) == []


def test_the_readme_table_is_the_table() -> None:
    """The README's permission table says what :data:`PERMISSIONS` says."""
    import re
    from pathlib import Path

    readme = Path(__file__).parents[2] / "README.md"
    seen: set[Action] = set()
    for line in readme.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not all(c.startswith("`") for c in cells[::2]):
            continue
        if "." not in cells[0]:
            continue
        roles = {Role(r.strip()) for r in cells[1].split(",")}
        scope = Scope(cells[2].strip("`"))
        for name in re.findall(r"`([a-z]+\.[a-z]+)`", cells[0]):
            action = Action(name)
            assert PERMISSIONS[action].roles == roles, action
            assert PERMISSIONS[action].scope == scope, action
            seen.add(action)
    assert seen == set(Action)
