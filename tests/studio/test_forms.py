"""The editor's inputs round-trip: a stored value shown in its input and
posted back unchanged parses to the same value, for every field type (so a
save that touches nothing changes nothing); problem errors always land on an
input or in the list above the form."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from content_hub.domain.content_types import ContentType, FieldDef, FieldType
from content_hub.studio.forms import (
    Form,
    errors_by_input,
    input_name,
    read_fields,
    selected_refs,
    shown,
)

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r")
)
IDS = st.text("abcdef0123456789", min_size=1, max_size=32)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)
VALUES: dict[FieldType, st.SearchStrategy[Any]] = {
    FieldType.TEXT: TEXT.map(str.strip).filter(bool),
    FieldType.URL: TEXT.map(str.strip).filter(bool),
    FieldType.MARKDOWN: TEXT.filter(bool),
    FieldType.RICH_TEXT: TEXT.filter(bool),
    FieldType.NUMBER: st.integers(-(10**17), 10**17)
    | st.floats(allow_nan=False, allow_infinity=False),
    FieldType.BOOLEAN: st.booleans(),
    FieldType.DATE: st.dates().map(lambda d: d.isoformat()),
    FieldType.DATETIME: st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
    FieldType.MEDIA: IDS.map(lambda i: {"type": "media", "id": i}),
    FieldType.ENTRY: IDS.map(lambda i: {"type": "entry", "id": i}),
    FieldType.JSON: JSON.filter(lambda v: v is not None),
}


def ctype_of(*fields: FieldDef) -> ContentType:
    now = datetime.now(UTC)
    return ContentType(
        key="t",
        name="T",
        description="",
        fields=list(fields),
        channels=["web"],
        version=1,
        created_at=now,
        updated_at=now,
    )


@given(
    st.sampled_from(sorted(VALUES)).flatmap(
        lambda t: st.tuples(st.just(t), VALUES[t], st.booleans())
    )
)
def test_a_shown_value_posts_back_as_itself(case: tuple[FieldType, Any, bool]) -> None:
    kind, value, localized = case
    fdef = FieldDef(
        key="f", type=kind, localized=localized and kind not in (FieldType.JSON,)
    )
    name = input_name(fdef, "de")
    text = shown(value, fdef)
    # browsers post a textarea's line ends as CRLF
    posted = text.replace("\r\n", "\n").replace("\n", "\r\n")
    fields, raw, errors = read_fields(ctype_of(fdef), Form({name: [posted]}), "de")
    assert not errors
    got = fields["f"]["de"] if fdef.localized else fields["f"]
    if kind is FieldType.NUMBER:
        assert got == value and not isinstance(got, bool)
    elif kind is FieldType.JSON:
        assert json.dumps(got, sort_keys=True) == json.dumps(value, sort_keys=True)
    else:
        assert got == value
    assert raw[name] == posted


@given(
    st.lists(
        st.tuples(st.sampled_from(["entry", "media"]), IDS), max_size=6, unique=True
    )
)
def test_references_keep_every_reference(refs: list[tuple[str, str]]) -> None:
    fdef = FieldDef(key="r", type=FieldType.REFERENCES)
    value = [{"type": t, "id": i} for t, i in refs]
    posted = sorted(
        selected_refs(value)
    )  # a multi-select posts its options in page order
    fields, _, errors = read_fields(
        ctype_of(fdef), Form({"f:r": posted, "f:r:present": ["1"]}), "en"
    )
    assert not errors
    got = fields["r"] or []
    assert sorted((r["type"], r["id"]) for r in got) == sorted(refs)


@given(TEXT)
def test_bad_numbers_and_json_are_errors_at_their_input(text: str) -> None:
    number, blob = (
        FieldDef(key="n", type=FieldType.NUMBER),
        FieldDef(key="j", type=FieldType.JSON),
    )
    fields, _, errors = read_fields(
        ctype_of(number, blob), Form({"f:n": [text], "f:j": [text]}), "en"
    )
    for key, fdef in (("n", number), ("j", blob)):
        if key not in fields:
            assert any(e.loc == ["fields", key] for e in errors)
        else:
            assert (
                fields[key] is None
                or fdef.type is FieldType.JSON
                or isinstance(fields[key], int | float)
            )


LOCS = st.lists(
    st.one_of(
        st.sampled_from(["fields", "key", "terms", "t", "l", "de", "en"]),
        st.integers(0, 3),
    ),
    max_size=4,
)


@given(st.lists(st.fixed_dictionaries({"loc": LOCS, "msg": TEXT}), max_size=8))
def test_every_problem_error_is_shown_somewhere(errors: list[dict[str, Any]]) -> None:
    ctype = ctype_of(
        FieldDef(key="t", type=FieldType.TEXT, localized=True),
        FieldDef(key="l", type=FieldType.NUMBER),
    )
    by_input, other = errors_by_input(errors, ctype, "en")
    assert sum(map(len, by_input.values())) + len(other) == len(errors)
    assert set(by_input) <= {"f:t:en", "f:l", "key", "terms"}
