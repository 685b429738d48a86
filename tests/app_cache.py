"""Apps for tests, built once per shape and rebound for each test.

Building the hub's app registers some 400 handlers with Litestar (0.3 s);
most tests need a fresh hub, database and data dir but an app of the same
shape (:func:`content_hub.app.build_shape`). :func:`app_for` hands out an app
this test process built before for that shape, rebound to the test's settings
(:func:`content_hub.app.rebind`), or builds one. An app is handed out to one
test at a time (claimed until the end of its teardown: ``tests/conftest.py``
calls :func:`release`) and never while it serves.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar import Litestar

from content_hub.app import build_shape, create_app, rebind
from content_hub.settings import Settings

_APPS: list[tuple[object, Litestar]] = []
_CLAIMED: set[int] = set()


def app_for(
    settings: Settings,
    variant: object = None,
    build: Callable[[Settings], Litestar] = create_app,
) -> Litestar:
    """An app serving ``settings``. A caller that builds its apps otherwise
    (``build``: the Studio tests override the signed-in user) names how in
    ``variant``: apps of another variant are not handed out."""
    shape = (build_shape(settings), variant)
    for key, app in _APPS:
        if key == shape and id(app) not in _CLAIMED and not app.state.bound.serving:
            rebind(app, settings)
            _CLAIMED.add(id(app))
            return app
    app = build(settings)
    _APPS.append((shape, app))
    _CLAIMED.add(id(app))
    return app


def release() -> None:
    """The test is over: its apps may serve the next one."""
    _CLAIMED.clear()
