"""An app started and stopped in one process leaves nothing behind.

The hub freezes its start-up object graph (``gc.freeze``: full collections
then skip the large, long-lived generation). A frozen object is never
collected, so the app's shutdown must unfreeze it; before it did, every app
a test run (or an embedding program) started kept about 8 MB for good.
(The test suite turns the freeze off: with it, each start's full collection
walks the whole test process. This test turns it on.)
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from content_hub.app import create_app
from content_hub.settings import Settings


@pytest.mark.parametrize("freeze", [True, False])
def test_a_stopped_app_can_be_collected(settings: Settings, freeze: bool) -> None:
    settings = msgspec.structs.replace(settings, gc_freeze=freeze)
    apps: list[list[weakref.ref[Any]]] = []
    frozen = gc.get_freeze_count()  # the test run's own (tests/conftest.py)
    for _ in range(4):
        app = create_app(settings)
        with TestClient(app) as client:
            assert client.get("/health").status_code == 200
            assert (gc.get_freeze_count() > frozen) is freeze
            hub = app.state.hub
            apps.append(
                [weakref.ref(hub), weakref.ref(hub.published), weakref.ref(hub.events)]
            )
        del app, hub, client
    gc.collect()
    # Litestar's module-level route handlers point at the app that registered
    # them last, so only the newest app may still be reachable.
    alive = [ref() for refs in apps[:-1] for ref in refs if ref() is not None]
    assert alive == []
