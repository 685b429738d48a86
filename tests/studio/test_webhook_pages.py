"""The webhook screens over HTTP with real sessions (CSRF applies): an admin
subscribes (the secret shown once), edits (a stale version keeps what was
typed), rotates the secret, sends a test event to a real receiver and sees
it in the delivery log, redelivers it, deletes after confirming; bad input
is refused at its input and changes nothing; an editor gets 403 for all."""

from __future__ import annotations

import html as html_text
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_type
from tests.content_hub.test_webhooks_delivery import (  # noqa: F401 - a fixture
    local,
    receiver,
)
from tests.content_hub.webhook_support import Receiver
from tests.studio.admin_support import (
    client_as,
    csrf_of,
    make_accounts,
    post_page_form,
    shown_secret,
)
from tests.studio.forms_support import form_fields, post_form

pytestmark = pytest.mark.usefixtures("cheap_passwords")
W = "/manage/v1/webhooks"
JSON = {"Accept": "application/json"}
HOOK = "https://hooks.example.com/in"


@pytest.fixture
def hub(settings: Settings) -> Settings:
    hub = local(settings)
    make_accounts(hub)
    return hub


@pytest.fixture
def admin(hub: Settings) -> Iterator[TestClient[Any]]:
    client = client_as(hub, "admin@example.com")
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def editor(hub: Settings) -> Iterator[TestClient[Any]]:
    client = client_as(hub, "ed@example.com")
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def api(hub: Settings) -> dict[str, str]:
    return {**Keys(hub).headers("admin"), **JSON}


def _hooks(client: TestClient[Any], api: dict[str, str]) -> list[dict[str, Any]]:
    return list(client.get(W, headers=api).json()["items"])


def _create(client: TestClient[Any], url: str = HOOK, **changes: Any) -> Any:
    return post_page_form(
        client, "/studio/webhooks", "webhook-new", {"url": url, **changes}
    )


def _made(
    client: TestClient[Any], api: dict[str, str], **changes: Any
) -> tuple[dict[str, Any], str]:
    r = _create(client, **changes)
    assert r.status_code == 201, r.text
    (hook,) = _hooks(client, api)
    return hook, shown_secret(r.text)


def _errors(html: str, input_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{input_id}-err">([^<]*)</p>', html)
    assert found, f"no error at #{input_id}"
    described = rf'id="{input_id}"[^>]*aria-describedby="[^"]*{input_id}-err"'
    assert re.search(described, html), f"#{input_id} does not point at its error"
    return html_text.unescape(found.group(1))


class TestAccess:
    def test_admins_see_the_link_and_an_editor_gets_403(
        self, admin: TestClient[Any], editor: TestClient[Any], api: dict[str, str]
    ) -> None:
        assert 'href="/studio/webhooks"' in admin.get("/studio").text
        assert 'href="/studio/webhooks"' not in editor.get("/studio").text
        hook, _ = _made(admin, api)
        base = f"/studio/webhooks/{hook['id']}"
        for path in ("/studio/webhooks", base):
            r = editor.get(path)
            assert r.status_code == 403 and "Your role does not allow this" in r.text
        token = csrf_of(editor.get("/studio").text)
        form = [
            ("_csrf", token),
            ("url", "https://evil.example/x"),
            ("events", "entry.deleted"),
            ("version", "1"),
            ("confirm", "yes"),
        ]
        for action in (
            "/studio/webhooks",
            base,
            base + "/rotate-secret",
            base + "/test",
            base + "/delete",
            base + "/deliveries/msg_x/redeliver",
        ):
            r = post_form(editor, action, form)
            assert r.status_code == 403, (action, r.status_code)
        assert _hooks(admin, api) == [hook]  # nothing changed, no delivery queued
        log = admin.get(f"{W}/{hook['id']}/deliveries", headers=api).json()
        assert log["items"] == []


class TestCreate:
    def test_the_secret_is_shown_once(
        self, admin: TestClient[Any], api: dict[str, str]
    ) -> None:
        r = _create(
            admin,
            description="CDN purge",
            events=["entry.published", "entry.deleted"],
            headers="X-Token: abc\n\nX-Env: test",
        )
        assert r.status_code == 201, r.text
        secret = shown_secret(r.text)
        assert secret.startswith("whsec_")
        (hook,) = _hooks(admin, api)
        assert hook["url"] == HOOK and hook["description"] == "CDN purge"
        assert hook["events"] == ["entry.published", "entry.deleted"]
        assert hook["headers"] == {"X-Token": "abc", "X-Env": "test"}
        assert hook["active"] is True
        listed = admin.get("/studio/webhooks").text
        assert f'href="/studio/webhooks/{hook["id"]}"' in listed
        for path in ("/studio/webhooks", f"/studio/webhooks/{hook['id']}"):
            assert secret not in admin.get(path).text
            assert 'class="secret"' not in admin.get(path).text

    @pytest.mark.parametrize(
        ("changes", "input_id", "message"),
        [
            ({"events": []}, "new-events", "length >= 1"),
            ({"events": ["entry.nope"]}, "new-events", "Invalid enum value"),
            ({"url": "ftp://hooks.example.com/x"}, "new-url", "http"),
            ({"headers": "Host: a.example"}, "new-headers", "Host: a hop-by-hop"),
            (
                {"headers": "Bad Name: x"},
                "new-headers",
                "Bad Name: not an HTTP header name",
            ),
            ({"headers": "no colon here"}, "new-headers", "line 1 has no colon"),
            ({"description": "x" * 501}, "new-description", "length <= 500"),
        ],
    )
    def test_bad_input_is_refused_at_its_input(
        self,
        admin: TestClient[Any],
        api: dict[str, str],
        changes: dict[str, Any],
        input_id: str,
        message: str,
    ) -> None:
        r = _create(admin, **changes)
        assert r.status_code in (400, 422), r.text
        assert message in _errors(r.text, input_id)
        assert _hooks(admin, api) == []
        for name, value in changes.items():  # what was typed is kept
            if name in ("url", "description"):
                assert f'value="{value}"' in r.text

    def test_the_address_guard_answers_at_the_url(
        self, settings: Settings, hub: Settings, api: dict[str, str]
    ) -> None:
        """Without the allow-private and allow-http settings (the default)."""
        strict = msgspec.structs.replace(hub, webhooks=settings.webhooks)
        client = client_as(strict, "admin@example.com")
        try:
            for url, why in [
                ("http://hooks.example.com/in", "https"),
                ("https://127.0.0.1/in", "loopback"),
                ("https://169.254.169.254/latest", "link-local"),
            ]:
                r = _create(client, url)
                assert r.status_code == 422, r.text
                assert why in _errors(r.text, "new-url"), url
            assert _hooks(client, api) == []
        finally:
            client.__exit__(None, None, None)


class TestEdit:
    def test_events_filters_active_and_headers(
        self, admin: TestClient[Any], api: dict[str, str]
    ) -> None:
        add_type(admin, api, "article")
        tax = admin.post(
            "/manage/v1/taxonomies", json={"key": "topic", "name": "Topic"}, headers=api
        )
        assert tax.status_code == 201, tax.text
        term = admin.post(
            "/manage/v1/taxonomies/topic/terms",
            json={"key": "bikes", "labels": {"en": "Bikes"}},
            headers=api,
        ).json()
        hook, _ = _made(admin, api)
        page = f"/studio/webhooks/{hook['id']}"
        html = admin.get(page).text
        assert 'value="article"' in html and f'value="{term["id"]}"' in html
        r = post_page_form(
            admin,
            page,
            "webhook-edit",
            {
                "events": ["entry.archived", "template.changed"],
                "content_types": ["article"],
                "terms": [term["id"]],
                "active": [],
                "headers": "X-A: 1",
            },
        )
        assert r.status_code == 303, r.text
        after = admin.get(f"{W}/{hook['id']}", headers=api).json()
        assert after["events"] == ["entry.archived", "template.changed"]
        assert after["content_types"] == ["article"] and after["terms"] == [term["id"]]
        assert after["active"] is False and after["headers"] == {"X-A": "1"}
        assert after["version"] == hook["version"] + 1
        shown = admin.get(page).text
        assert "Subscription saved." in shown and "inactive" in shown

    def test_bad_input_changes_nothing(
        self, admin: TestClient[Any], api: dict[str, str]
    ) -> None:
        hook, _ = _made(admin, api)
        page = f"/studio/webhooks/{hook['id']}"
        r = post_page_form(
            admin,
            page,
            "webhook-edit",
            {"events": [], "url": "https://other.example/x"},
        )
        assert r.status_code == 422
        assert "length >= 1" in _errors(r.text, "edit-events")
        assert 'value="https://other.example/x"' in r.text  # kept as typed
        assert admin.get(f"{W}/{hook['id']}", headers=api).json() == hook

    def test_a_stale_save_keeps_what_was_typed(
        self, admin: TestClient[Any], api: dict[str, str]
    ) -> None:
        hook, _ = _made(admin, api)
        page = f"/studio/webhooks/{hook['id']}"
        html = admin.get(page).text
        theirs = {"url": HOOK, "events": ["entry.deleted"], "description": "theirs"}
        r = admin.put(
            f"{W}/{hook['id']}",
            json=theirs,
            headers={**api, "If-Match": f'"{hook["version"]}"'},
        )
        assert r.status_code == 200, r.text
        pairs = [
            (n, v)
            for n, v in form_fields(html, form_id="webhook-edit")
            if n != "description"
        ]
        r = post_form(admin, page, [*pairs, ("description", "mine")])
        assert r.status_code == 412, r.text
        assert "Saved meanwhile" in r.text and 'value="mine"' in r.text
        stored = admin.get(f"{W}/{hook['id']}", headers=api).json()
        assert stored["description"] == "theirs"
        # the page carries the current version now: saving again is a decision
        again = post_page_form(admin, page, "webhook-edit", {"description": "mine"})
        assert again.status_code == 303, again.text
        assert (
            admin.get(f"{W}/{hook['id']}", headers=api).json()["description"] == "mine"
        )


class TestActions:
    def test_rotate_shows_a_new_secret_once(
        self, admin: TestClient[Any], api: dict[str, str]
    ) -> None:
        hook, first = _made(admin, api)
        page = f"/studio/webhooks/{hook['id']}"
        r = post_page_form(admin, page, "webhook-rotate")
        assert r.status_code == 200, r.text
        second = shown_secret(r.text)
        assert second.startswith("whsec_") and second != first
        assert second not in admin.get(page).text
        assert admin.get(f"{W}/{hook['id']}", headers=api).json()["version"] == 2

    def test_delete_needs_the_confirmation(
        self, admin: TestClient[Any], api: dict[str, str]
    ) -> None:
        hook, _ = _made(admin, api)
        page = f"/studio/webhooks/{hook['id']}"
        r = post_page_form(admin, page, "webhook-delete")  # the box not ticked
        assert r.status_code == 422
        assert "tick it to delete" in _errors(r.text, "delete-confirm")
        assert _hooks(admin, api) == [hook]
        r = post_page_form(admin, page, "webhook-delete", {"confirm": "yes"})
        assert r.status_code == 303 and r.headers["location"] == "/studio/webhooks"
        assert _hooks(admin, api) == []
        assert admin.get(page).status_code == 404

    def test_a_test_event_reaches_the_receiver_and_the_log(
        self,
        admin: TestClient[Any],
        api: dict[str, str],
        receiver: Receiver,  # noqa: F811 - the imported fixture
    ) -> None:
        hook, receiver.secret = _made(admin, api, url=receiver.url)
        page = f"/studio/webhooks/{hook['id']}"
        r = post_page_form(admin, page, "webhook-test")
        assert r.status_code == 303, r.text
        (sent,) = receiver.wait_for(1)  # verified with the secret shown
        assert sent.body["type"] == "webhook.test"
        html = _wait_for_log(admin, page, "delivered")
        assert sent.id in html and "webhook.test" in html
        assert re.search(r"<td>204</td><td>\d+ ms</td>", html), html
        redeliver = f"{page}/deliveries/{sent.id}/redeliver"
        r = post_form(admin, redeliver, [("_csrf", csrf_of(html))])
        assert r.status_code == 303, r.text
        _until(lambda: [x.id for x in receiver.delivered()].count(sent.id) == 2)
        _until(lambda: admin.get(page).text.count("<td>204</td>") == 2)
        assert (
            "No deliveries with status failed yet."
            in admin.get(f"{page}?status=failed").text
        )
        assert admin.get(f"{page}?status=bogus").status_code == 400
        r = post_form(
            admin, f"{page}/deliveries/msg_nope/redeliver", [("_csrf", csrf_of(html))]
        )
        assert r.status_code == 404 and "No delivery" in r.text


def _until(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.05)


def _wait_for_log(client: TestClient[Any], page: str, status: str) -> str:
    _until(lambda: f">{status}</span>" in client.get(page).text)
    return str(client.get(page).text)


def test_the_log_pages_and_filters(admin: TestClient[Any], api: dict[str, str]) -> None:
    hook, _ = _made(admin, api, active=[])  # inactive: the events wait in the log
    for _ in range(21):
        assert admin.post(f"{W}/{hook['id']}/test", headers=api).status_code == 202
    page = f"/studio/webhooks/{hook['id']}"
    html = admin.get(page).text
    assert html.count('<li id="d-msg_') == 20 and html.count(">pending</span>") == 20
    assert 'hx-trigger="every 2s"' in html  # refreshed while one is pending
    refresh = re.search(r'hx-get="([^"]+)" hx-select="#log"', html)
    assert refresh and admin.get(html_text.unescape(refresh.group(1))).text == html
    older = re.search(r'href="([^"]+)">Older deliveries<', html)
    assert older, "no link to the older deliveries"
    rest = admin.get(html_text.unescape(older.group(1))).text
    assert rest.count('<li id="d-msg_') == 1 and "Older deliveries" not in rest
    assert admin.get(f"{page}?status=pending").text.count('<li id="d-msg_') == 20
    delivered = admin.get(f"{page}?status=delivered").text
    assert "No deliveries with status delivered yet." in delivered
    for query in ("?status=&cursor=", "?status=delivered"):  # the filter's own form
        assert admin.get(page + query).status_code == 200
    assert 'hx-trigger="every 2s"' not in delivered
