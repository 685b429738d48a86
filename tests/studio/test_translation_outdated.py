"""The Studio marks outdated translations: the entry list's
``outdated:<locale>`` filter and the editor's "outdated: source changed"
badge, after the source (``en``) value changed through the API."""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type
from tests.studio.forms_support import submit

ROW = re.compile(r'scope="row"><a href="/studio/entries/(\w+)"')
BADGE = "outdated: source changed"


def test_outdated_filter_and_badge(studio: TestClient[Any], keys: Keys) -> None:
    admin = keys.headers("admin")
    type_key = f"to_{uuid.uuid4().hex[:6]}"
    add_type(
        studio, admin, type_key, [{"key": "title", "type": "text", "localized": True}]
    )
    entry = add_entry(studio, admin, "e", {"title": {"en": "A", "de": "Ä"}}, type_key)
    query = f"/studio/entries?type={type_key}&translation=outdated:de"
    editor = f"/studio/entries/{entry['id']}?source=en&target=de"
    assert ROW.findall(studio.get(query).text) == []
    assert BADGE not in studio.get(editor).text
    r = studio.patch(
        f"/manage/v1/entries/{entry['id']}",
        json={"fields": {"title": {"en": "B"}}},
        headers={**admin, "If-Match": f'"{entry["version"]}"'},
    )
    assert r.status_code == 200, r.text
    page = studio.get(query).text
    assert ROW.findall(page) == [entry["id"]]
    assert '<option value="outdated:de" selected>' in page
    assert BADGE in studio.get(editor).text
    assert BADGE not in studio.get(editor.replace("target=de", "target=en")).text
    # the translator's fix through the editor form: current again
    r = submit(studio, editor, form_id="editor", changes={"f:title:de": "Bé"})
    assert r.status_code == 303, r.text
    assert BADGE not in studio.get(editor).text
    assert ROW.findall(studio.get(query).text) == []
