"""Browser-test support: a real hub server in this process (uvicorn on a
free port, in a thread) and Chromium from the system (Debian's ``chromium``
package) driven by Playwright, with axe-core checks, keyboard walks and
screenshots.

People sign in through the sign-in page with accounts the ``live``
fixture makes (``conftest.PEOPLE``); the HTTP tests override
``studio_principal`` instead.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from content_hub.studio.assets import STATIC
from tests.content_hub.serve_support import free_port

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
SCREENSHOTS = Path(__file__).with_name("screenshots")
AXE = STATIC / "vendor" / "axe.min.js"
WIDTHS = {"phone": 375, "desktop": 1280}


def chromium_path() -> str:
    """The system Chromium, or skip (fail under ``BROWSER_REQUIRED=1``)."""
    given = os.environ.get("CHROMIUM")
    for path in ([given] if given else []) + list(CHROMIUM_PATHS):
        if path and Path(path).exists():
            return path
    found = shutil.which("chromium")
    if found:
        return found
    message = (
        "Chromium is not installed: the Studio's browser tests need it. "
        "Install it with `apt-get install -y chromium` (or set CHROMIUM to its "
        "path) and run `pytest tests/studio`."
    )
    if os.environ.get("BROWSER_REQUIRED") == "1":
        pytest.fail(message)
    pytest.skip(message)


def signed_in(browser: Any, live: Any, email: str) -> Any:
    """A new browser context (its own cookies) signed in as ``email`` through
    the sign-in page, on the entry list."""
    from tests.content_hub.users_support import PASSWORD

    page = browser.new_context(base_url=live.url).new_page()
    page.goto("/studio/entries")
    assert "/studio/sign-in" in page.url  # not signed in yet: redirected
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/studio/entries")
    return page


class LiveServer:
    """``app`` served by uvicorn on a free port in a background thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self.thread.is_alive(), "the hub server died while starting"
            assert time.monotonic() < deadline, "the hub server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def check_axe(page: Any, name: str) -> None:
    """axe-core (the vendored file) finds no serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe on {name}:\n" + "\n".join(bad)


def screens(page: Any, name: str) -> None:
    """axe at a phone's and a desktop's width, a screenshot of each, and no
    horizontal scrolling of the page at 375 px."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        check_axe(page, f"{name} at {width} px")
        if label == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                             || el.getBoundingClientRect().left < -1)
                  .slice(-5).map(el => el.tagName + '.' + el.className + '#' + el.id)"""
            )
            assert overflow <= 1, (
                f"{name} scrolls sideways at 375 px by {overflow}px: {wide}"
            )
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)


def tab_walk(page: Any, steps: int = 60) -> Iterator[dict[str, Any]]:
    """Press Tab ``steps`` times from the top; yield what has focus each time
    (tag, name, id, text, and whether a focus outline is drawn)."""
    page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
    for _ in range(steps):
        page.keyboard.press("Tab")
        yield page.evaluate(
            """() => {
              const el = document.activeElement;
              const style = getComputedStyle(el);
              return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name'),
                      id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 60),
                      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
            }"""
        )
