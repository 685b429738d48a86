"""OPTIONS answers list every method of the path (Litestar listed only those of
the first handlers registered: ``/manage/v1/entries`` lacked GET)."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient


def test_every_paths_options_lists_all_its_methods(client: TestClient[Any]) -> None:
    checked = 0
    for route in client.app.routes:
        methods = getattr(route, "methods", None)
        if not methods or "OPTIONS" not in methods:
            continue
        path = re.sub(r"\{[^}:]+:int\}", "1", route.path)
        path = re.sub(r"\{[^}:]+(:[a-z]+)?\}", "x", path)
        r = client.options(path)
        assert r.status_code == 204, (path, r.text)
        assert set(r.headers["allow"].split(", ")) == set(methods), path
        checked += 1
    assert checked > 40
