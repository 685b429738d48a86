"""/manage/v1/webhooks: the secret shown once, rotation, the SSRF guard at
subscription time and at connection time (an injected resolver plays a DNS
that changes its answer), header rules, and bad bodies (4xx, never 500)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from standardwebhooks.webhooks import Webhook as Signer

from content_hub.settings import Settings
from content_hub.workers.webhooks import GuardedClient, Refused, safe_addresses
from content_hub.workers.webhooks.secrets import (
    SecretBox,
    SecretUnreadable,
    new_secret,
)
from tests.content_hub.conftest import Keys
from tests.content_hub.webhook_support import Receiver, serve

W = "/manage/v1/webhooks"
HOOK = {"url": "https://hooks.example.com/in", "events": ["entry.published"]}


def create(client: TestClient[Any], admin: dict[str, str], **extra: Any) -> Any:
    r = client.post(W, json={**HOOK, **extra}, headers=admin)
    assert r.status_code == 201, r.text
    return r.json()


class TestSecret:
    def test_shown_once_stored_encrypted_and_rotated(
        self, client: TestClient[Any], keys: Keys, settings: Settings
    ) -> None:
        admin = keys.headers("admin")
        made = create(client, admin)
        secret, hook = made["secret"], made["webhook"]
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
        for path in (W, f"{W}/{hook['id']}"):
            text = client.get(path, headers=admin).text
            assert secret not in text and "secret" not in text
        import sqlalchemy as sa

        engine = sa.create_engine(settings.database.url.replace("+aiosqlite", ""))
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT secret FROM webhook")).scalar_one()
        engine.dispose()
        assert secret not in stored and secret.removeprefix("whsec_") not in stored
        rotated = client.post(f"{W}/{hook['id']}/rotate-secret", headers=admin)
        assert rotated.status_code == 200, rotated.text
        assert rotated.json()["secret"] != secret
        assert rotated.json()["webhook"]["version"] == hook["version"] + 1
        audit = client.get(
            f"/manage/v1/audit?resource=webhook:{hook['id']}", headers=admin
        )
        assert [a["action"] for a in audit.json()["items"]] == [
            "rotate-secret",
            "create",
        ]

    def test_another_key_cannot_open_it(self) -> None:
        sealed = SecretBox("one key").seal("whsec_abc")
        assert SecretBox("one key").open(sealed) == "whsec_abc"
        assert SecretBox("new", "one key").open(sealed) == "whsec_abc"
        with pytest.raises(SecretUnreadable):
            SecretBox("another key").open(sealed)


REFUSED = [
    "http://hooks.example.com/in",  # http without the allow setting
    "https://localhost/in",
    "https://127.0.0.1/in",
    "https://127.1.2.3:8443/in",
    "https://[::1]/in",
    "https://10.0.0.8/in",
    "https://192.168.1.1/in",
    "https://172.16.5.4/in",
    "https://100.64.0.1/in",
    "https://169.254.169.254/latest/meta-data",
    "https://[fd00:ec2::254]/",
    "https://[::ffff:127.0.0.1]/in",
    "https://0.0.0.0/in",
    "https://224.0.0.1/in",
    "https://user:pw@hooks.example.com/in",
    "ftp://hooks.example.com/in",
    "https:///in",
]


class TestSubscriptionTimeGuard:
    @pytest.mark.parametrize("url", REFUSED)
    def test_refused(self, client: TestClient[Any], keys: Keys, url: str) -> None:
        r = client.post(W, json={**HOOK, "url": url}, headers=keys.headers("admin"))
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"] == ["body", "url"]
        assert client.get(W, headers=keys.headers("admin")).json()["items"] == []

    @pytest.mark.parametrize(
        "name", ["Connection", "host", "Transfer-Encoding", "webhook-signature", "a b"]
    )
    def test_headers_refused(
        self, client: TestClient[Any], keys: Keys, name: str
    ) -> None:
        body = {**HOOK, "headers": {name: "x"}}
        r = client.post(W, json=body, headers=keys.headers("admin"))
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"][:2] == ["body", "headers"]

    def test_if_match_and_permissions(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        hook = create(client, admin, headers={"Authorization": "Bearer t"})["webhook"]
        path = f"{W}/{hook['id']}"
        assert client.put(path, json=HOOK, headers=admin).status_code == 428
        stale = client.put(path, json=HOOK, headers={**admin, "If-Match": '"9"'})
        assert stale.status_code == 412
        assert client.get(W, headers=keys.headers("manage")).status_code == 403
        gone = client.delete(path, headers={**admin, "If-Match": '"1"'})
        assert gone.status_code == 204
        assert client.get(path, headers=admin).status_code == 404


class TestConnectionTimeGuard:
    """DNS rebinding: a name that was public when saved answers 127.0.0.1
    when the dispatcher connects; the pinned transport refuses it, and with
    the allow setting connects to the address it checked (Host kept)."""

    @pytest.fixture
    def receiver(self) -> Iterator[Receiver]:
        yield from serve(Receiver())

    def test_rebinding_is_refused_and_pinning_keeps_the_name(
        self, receiver: Receiver
    ) -> None:
        port = int(receiver.url.split(":")[2].split("/")[0])
        answers = {"hooks.example.com": ["93.184.215.14"]}

        async def resolve(host: str, _port: int) -> list[str]:
            return answers[host]

        async def run() -> None:
            # saved: public, so allowed
            assert await safe_addresses(
                "hooks.example.com", 443, resolve, allow_private=False
            ) == ["93.184.215.14"]
            answers["hooks.example.com"] = ["93.184.215.14", "127.0.0.1"]
            with pytest.raises(Refused, match=r"127\.0\.0\.1"):
                await safe_addresses(
                    "hooks.example.com", 443, resolve, allow_private=False
                )
            answers["hooks.example.com"] = ["127.0.0.1"]
            url = f"http://hooks.example.com:{port}/hook"
            async with GuardedClient(resolve, allow_http=True) as guarded:
                with pytest.raises(aiohttp.ClientConnectorError, match="refused"):
                    await guarded.post(url, b"{}", {}, read=100)
                # an address in the URL is never looked up: checked before
                with pytest.raises(Refused, match=r"127\.0\.0\.1"):
                    await guarded.post(receiver.url, b"{}", {}, read=100)
            assert receiver.requests == [] and receiver.bad_signatures == 0
            async with GuardedClient(
                resolve, allow_http=True, allow_private=True
            ) as allowed:
                status, _ = await allowed.post(url, b"{}", {}, read=100)
                assert status == 400  # reached: unsigned, so the receiver says no
                assert receiver.bad_signatures == 1
                receiver.secret = new_secret()
                now = datetime.now(UTC)
                signed = {
                    "webhook-id": "msg_pinned",
                    "webhook-timestamp": str(int(now.timestamp())),
                    "webhook-signature": Signer(receiver.secret).sign(
                        "msg_pinned", now, "{}"
                    ),
                }
                status, _ = await allowed.post(url, b"{}", signed, read=100)
            assert status == 204
            # the connection went to the checked address, the name was kept
            assert receiver.requests[0].headers["host"] == f"hooks.example.com:{port}"

        asyncio.run(run())


BODY = st.fixed_dictionaries(
    {},
    optional={
        "url": st.one_of(st.text(max_size=30), st.integers(), st.none()),
        "events": st.one_of(
            st.lists(st.sampled_from(["entry.published", "nope", ""]), max_size=3),
            st.text(max_size=5),
        ),
        "content_types": st.one_of(
            st.lists(st.text(max_size=70), max_size=2), st.text()
        ),
        "terms": st.lists(st.text(max_size=40), max_size=2),
        "active": st.one_of(st.booleans(), st.text(max_size=3)),
        "headers": st.one_of(
            st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
            st.lists(st.text(), max_size=1),
        ),
        "extra": st.integers(),
    },
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=st.one_of(BODY, st.lists(st.integers(), max_size=2), st.text(max_size=5)))
def test_bad_bodies_are_4xx_never_500(
    client: TestClient[Any], keys: Keys, body: Any
) -> None:
    r = client.post(W, json=body, headers=keys.headers("admin"))
    assert r.status_code in {201, 400, 422}, r.text
    if r.status_code != 201:
        assert r.headers["content-type"].startswith("application/problem+json")


def test_the_readme_verification_example_accepts_a_hub_signature() -> None:
    """The README's Python example, run against a body signed the way the
    dispatcher signs it (and refusing a tampered one)."""
    import re
    from datetime import UTC, datetime
    from pathlib import Path

    from standardwebhooks.webhooks import Webhook

    from content_hub.workers.webhooks.secrets import new_secret

    text = (Path(__file__).parents[2] / "README.md").read_text()
    section = text[text.index("### Webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    scope: dict[str, Any] = {}
    exec(code.group(1), scope)
    secret, now = new_secret(), datetime.now(UTC)
    body = b'{"type": "webhook.test"}'
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign("msg_1", now, body.decode()),
    }
    assert scope["verify"](body, headers, secret) == {"type": "webhook.test"}
    with pytest.raises(Exception, match="signature"):
        scope["verify"](body + b" ", headers, secret)
