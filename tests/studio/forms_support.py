"""Read a rendered form as a browser would submit it (stdlib HTML parser),
so HTTP tests post exactly the inputs the page shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from litestar.testing import TestClient


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.action = form_id, action
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._option: str | None = None
        self._option_selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = (
                self.form_id is not None and a.get("id") == self.form_id
            ) or (self.action is not None and a.get("action") == self.action)
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.pairs.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None or self._option is not None or self._select:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.pairs.append(
                (self._textarea, text[1:] if text.startswith("\n") else text)
            )
            self._textarea = None
        elif tag == "option" and self._select:
            if self._option_selected:
                value = (
                    self._option if self._option is not None else "".join(self._text)
                )
                self.pairs.append((self._select, value.strip()))
            self._option = None
        elif tag == "select":
            self._select = None


def form_fields(
    html: str, *, form_id: str | None = None, action: str | None = None
) -> list[tuple[str, str]]:
    reader = _FormReader(form_id, action)
    reader.feed(html)
    return reader.pairs


def submit(
    client: TestClient[Any],
    page_url: str,
    *,
    form_id: str | None = None,
    action: str | None = None,
    changes: dict[str, str | list[str]] | None = None,
) -> Any:
    """GET ``page_url``, take the form's inputs, apply ``changes`` (a list
    replaces every value of a name) and post it to the form's action."""
    html = client.get(page_url).text
    pairs = form_fields(html, form_id=form_id, action=action)
    if action is None:
        found = re.search(rf'<form[^>]*action="([^"]+)"[^>]*id="{form_id}"', html)
        assert found, f"no form #{form_id} on {page_url}"
        action = found.group(1)
    for name, value in (changes or {}).items():
        pairs = [(n, v) for n, v in pairs if n != name]
        pairs += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return post_form(client, action, pairs)


def post_form(
    client: TestClient[Any], action: str, pairs: list[tuple[str, str]]
) -> Any:
    from urllib.parse import urlencode

    return client.post(
        action,
        content=urlencode(pairs).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
