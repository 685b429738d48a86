"""Helpers of the admin screens' tests: an app with real sessions (so CSRF
applies), accounts made with the CLI's function, form posts as a browser
makes them."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient

from content_hub.settings import Settings
from tests.app_cache import app_for
from tests.content_hub.users_support import PASSWORD, make_user, sign_in
from tests.studio.conftest import BROWSER_ACCEPT
from tests.studio.forms_support import form_fields, post_form

ACCOUNTS = [
    ("admin@example.com", "admin"),
    ("ed@example.com", "editor"),
    ("tina@example.com", "viewer"),
]


def make_accounts(settings: Settings) -> None:
    for email, role in ACCOUNTS:
        make_user(settings, email, role)


def client_as(settings: Settings, email: str | None, app: Any = None) -> Any:
    """A started TestClient (the caller closes it), signed in as ``email``."""
    client: TestClient[Any] = TestClient(app or app_for(settings))
    client.__enter__()
    client.headers["Accept"] = BROWSER_ACCEPT
    if email is not None:
        sign_in(client, email)
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def post_page_form(
    client: TestClient[Any],
    page_url: str,
    form_id: str,
    changes: dict[str, str | list[str]] | None = None,
    *,
    drop: tuple[str, ...] = (),
) -> Any:
    """Post the form ``form_id`` of ``page_url`` as shown, with ``changes``
    (a list replaces every value of a name) and without the names in
    ``drop`` (``_csrf``: a forged post)."""
    html = client.get(page_url).text
    found = re.search(rf'<form[^>]*action="([^"]+)"[^>]*id="{form_id}"', html)
    assert found, f"no form #{form_id} on {page_url}"
    pairs = [(n, v) for n, v in form_fields(html, form_id=form_id) if n not in drop]
    for name, value in (changes or {}).items():
        pairs = [(n, v) for n, v in pairs if n != name]
        pairs += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return post_form(client, found.group(1), pairs)


def shown_secret(html: str) -> str:
    found = re.search(r'<code class="secret">([^<]+)</code>', html)
    assert found, "no secret shown"
    return found.group(1)


__all__ = ["PASSWORD"]
