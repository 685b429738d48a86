"""Every management call of the API, each with the action it needs, a fresh
target made with the admin key, and the resource to re-read after a refusal
(for the role matrix in ``test_roles.py``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from litestar.testing import TestClient

from content_hub.domain.permissions import Action
from tests.content_hub.editorial import add_media, add_taxonomy, add_term
from tests.content_hub.factories import add_entry, add_type

E = "/manage/v1/entries"


@dataclass
class Call:
    method: str
    path: str
    json: Any = None
    version: int | None = None
    """Sent as If-Match."""
    read: str | None = None
    """Re-read with the admin key: a refused call leaves it as it was."""


@dataclass
class World:
    client: TestClient[Any]
    admin: dict[str, str]
    serial: Callable[[], int] = field(
        default_factory=lambda: itertools.count(1).__next__
    )

    def name(self, prefix: str) -> str:
        return f"{prefix}{self.serial()}"

    def ok(
        self, method: str, path: str, json: Any = None, version: int | None = None
    ) -> Any:
        headers = dict(self.admin)
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        r = self.client.request(method, path, json=json, headers=headers)
        assert 200 <= r.status_code < 300, (method, path, r.text)
        return r.json() if r.content else None

    def entry(self) -> dict[str, Any]:
        fields = {"title": {"en": "Title", "de": "Titel"}, "price": 1}
        return add_entry(self.client, self.admin, self.name("e"), fields)


def _entry_call(
    method: str, tail: str = "", json: Any = None
) -> Callable[[World], Call]:
    def make(w: World) -> Call:
        e = w.entry()
        path = f"{E}/{e['id']}{tail}"
        return Call(method, path, json, e["version"], f"{E}/{e['id']}")

    return make


def _unpublish(w: World) -> Call:
    e = w.entry()
    e = w.ok("POST", f"{E}/{e['id']}/publish", version=e["version"])
    return Call(
        "POST", f"{E}/{e['id']}/unpublish", None, e["version"], f"{E}/{e['id']}"
    )


def _restore(w: World) -> Call:
    e = w.entry()
    e = w.ok("POST", f"{E}/{e['id']}/archive", version=e["version"])
    return Call("POST", f"{E}/{e['id']}/restore", None, e["version"], f"{E}/{e['id']}")


def _revert(w: World) -> Call:
    e = w.entry()
    e = w.ok("PATCH", f"{E}/{e['id']}", {"fields": {"price": 2}}, e["version"])
    return Call(
        "POST", f"{E}/{e['id']}/revert", {"version": 1}, e["version"], f"{E}/{e['id']}"
    )


def _type(w: World) -> str:
    key = w.name("t")
    add_type(w.client, w.admin, key, [{"key": "title", "type": "text"}], ["web"])
    return key


def _type_update(w: World) -> Call:
    key = _type(w)
    body = {
        "name": "Renamed",
        "fields": [{"key": "title", "type": "text"}],
        "channels": ["web"],
    }
    path = f"/manage/v1/content-types/{key}"
    return Call("PUT", path, body, 1, path)


def _type_delete(w: World) -> Call:
    path = f"/manage/v1/content-types/{_type(w)}"
    return Call("DELETE", path, None, 1, path)


def _taxonomy(method: str, json: Any = None) -> Callable[[World], Call]:
    def make(w: World) -> Call:
        path = f"/manage/v1/taxonomies/{add_taxonomy(w.client, w.admin, w.name('x'))['key']}"
        return Call(method, path, json, 1, path)

    return make


def _term(method: str, json: Any = None) -> Callable[[World], Call]:
    def make(w: World) -> Call:
        tax = add_taxonomy(w.client, w.admin, w.name("x"))["key"]
        term = add_term(w.client, w.admin, "city", taxonomy=tax)
        path = f"/manage/v1/taxonomies/{tax}/terms/{term['id']}"
        return Call(
            method, path, json, term["version"], f"/manage/v1/taxonomies/{tax}/terms"
        )

    return make


def _media(method: str, json: Any = None) -> Callable[[World], Call]:
    def make(w: World) -> Call:
        m = add_media(w.client, w.admin)
        path = f"/manage/v1/media/{m['id']}"
        return Call(method, path, json, m["version"], path)

    return make


def _keyed(
    collection: str, body: dict[str, Any]
) -> Callable[[str, Any], Callable[[World], Call]]:
    """Calls on one record of a keyed collection, created first (version 1)."""

    def call(method: str, json: Any = None) -> Callable[[World], Call]:
        def make(w: World) -> Call:
            key = w.name("a")
            w.ok("POST", f"/manage/v1/{collection}", {"key": key, **body})
            path = f"/manage/v1/{collection}/{key}"
            return Call(method, path, json, 1, path)

        return make

    return call


_audience = _keyed("audiences", {"condition": {"country": "DE"}})
_sample = _keyed("sample-customers", {"customer": {"segments": ["vip"]}})


def _template(w: World) -> Call:
    path = "/manage/v1/content-types/article/templates/web"
    return Call(
        "PUT",
        path,
        {"parts": {"type": "web", "html": "<p>Hi</p>"}},
        None,
        path + "/versions",
    )


def _template_draft(tail: str) -> Callable[[World], Call]:
    """A fresh draft (saved with the admin key), then ``tail`` on it with
    the draft's version as If-Match."""

    def make(w: World) -> Call:
        path = "/manage/v1/content-types/article/templates/web"
        html = f"<p>Hi {w.serial()}</p>"
        draft = w.ok("PUT", path, {"parts": {"type": "web", "html": html}})
        tail_path = tail.format(version=draft["version"])
        return Call("POST", path + tail_path, None, draft["version"], path)

    return make


def _locale(method: str, json: Any = None) -> Callable[[World], Call]:
    def make(w: World) -> Call:
        code = ["fr", "it", "es", "pt", "nl", "sv"][w.serial() % 6]
        locale = w.ok("POST", "/manage/v1/locales", {"code": code})
        path = f"/manage/v1/locales/{code}"
        return Call(method, path, json, locale["version"], "/manage/v1/locales")

    return make


def _key_revoke(w: World) -> Call:
    key = w.ok("POST", "/manage/v1/keys", {"name": w.name("k"), "scopes": ["delivery"]})
    return Call("DELETE", f"/manage/v1/keys/{key['id']}", read="/manage/v1/keys")


HOOK = {"url": "https://hooks.example.com/in", "events": ["entry.published"]}


def _webhook(method: str, tail: str = "", json: Any = None) -> Callable[[World], Call]:
    def make(w: World) -> Call:
        hook = w.ok("POST", "/manage/v1/webhooks", HOOK)["webhook"]
        path = f"/manage/v1/webhooks/{hook['id']}"
        return Call(method, path + tail, json, hook["version"], path)

    return make


def _user_update(w: World) -> Call:
    body = {"email": f"{w.name('u')}@example.com", "role": "viewer"}
    user = w.ok("POST", "/manage/v1/users", body)
    path = f"/manage/v1/users/{user['id']}"
    return Call("PATCH", path, {"disabled": True}, user["version"], path)


def _get(path: str) -> Callable[[World], Call]:
    return lambda w: Call("GET", path)


def _entry_get(tail: str) -> Callable[[World], Call]:
    return lambda w: Call("GET", f"{E}/{w.entry()['id']}{tail}")


VARIANT = {"variants": {"v1": {"fields": {"price": 3}}}, "rules": []}
#: name -> (the action it needs, None for a read; how to make the call)
OPS: dict[str, tuple[Action | None, Callable[[World], Call]]] = {
    "entries.create": (
        Action.ENTRIES_WRITE,
        lambda w: Call("POST", E, {"type": "article", "key": w.name("n"), "fields": {}},
                       read=f"{E}?type=article&limit=200"),
    ),
    "entries.edit": (Action.ENTRIES_WRITE, _entry_call("PATCH", "", {"fields": {"price": 7}})),
    "entries.translate": (
        Action.ENTRIES_TRANSLATE,
        _entry_call("PATCH", "", {"fields": {"title": {"de": "Neu"}}}),
    ),
    "entries.delete": (Action.ENTRIES_WRITE, _entry_call("DELETE")),
    "entries.publish": (Action.ENTRIES_PUBLISH, _entry_call("POST", "/publish")),
    "entries.unpublish": (Action.ENTRIES_PUBLISH, _unpublish),
    "entries.schedule": (
        Action.ENTRIES_PUBLISH,
        _entry_call("PUT", "/schedule", {"publish_at": "2030-01-01T00:00:00Z"}),
    ),
    "entries.archive": (Action.ENTRIES_WRITE, _entry_call("POST", "/archive")),
    "entries.restore": (Action.ENTRIES_WRITE, _restore),
    "entries.revert": (Action.ENTRIES_WRITE, _revert),
    "variants.set": (Action.VARIANTS_WRITE, _entry_call("PUT", "/personalization", VARIANT)),
    "types.create": (
        Action.TYPES_WRITE,
        lambda w: Call("POST", "/manage/v1/content-types",
                       {"key": w.name("t"), "name": "T", "fields": [], "channels": ["web"]},
                       read="/manage/v1/content-types"),
    ),
    "types.update": (Action.TYPES_WRITE, _type_update),
    "types.delete": (Action.TYPES_WRITE, _type_delete),
    "taxonomy.create": (
        Action.TAXONOMY_WRITE,
        lambda w: Call("POST", "/manage/v1/taxonomies", {"key": w.name("x"), "name": "X"},
                       read="/manage/v1/taxonomies"),
    ),
    "taxonomy.update": (Action.TAXONOMY_WRITE, _taxonomy("PUT", {"name": "Renamed"})),
    "taxonomy.delete": (Action.TAXONOMY_WRITE, _taxonomy("DELETE")),
    "terms.update": (
        Action.TAXONOMY_WRITE, _term("PUT", {"key": "town", "labels": {"en": "Town"}})
    ),
    "terms.delete": (Action.TAXONOMY_WRITE, _term("DELETE")),
    "media.create": (
        Action.MEDIA_WRITE,
        lambda w: Call("POST", "/manage/v1/media",
                       {"url": "https://cdn.example/x.png", "mime_type": "image/png"},
                       read="/manage/v1/media"),
    ),
    "media.replace": (
        Action.MEDIA_WRITE,
        _media("PUT", {"url": "https://cdn.example/y.png", "mime_type": "image/png"}),
    ),
    "media.delete": (Action.MEDIA_WRITE, _media("DELETE")),
    "audiences.create": (
        Action.AUDIENCES_WRITE,
        lambda w: Call("POST", "/manage/v1/audiences",
                       {"key": w.name("a"), "condition": {"vip": True}},
                       read="/manage/v1/audiences"),
    ),
    "audiences.update": (Action.AUDIENCES_WRITE, _audience("PUT", {"condition": {"x": 1}})),
    "audiences.delete": (Action.AUDIENCES_WRITE, _audience("DELETE")),
    "templates.save": (Action.TEMPLATES_WRITE, _template),
    "samples.create": (
        Action.SAMPLES_WRITE,
        lambda w: Call("POST", "/manage/v1/sample-customers", {"key": w.name("s")},
                       read="/manage/v1/sample-customers"),
    ),
    "samples.update": (Action.SAMPLES_WRITE, _sample("PUT", {"name": "Renamed"})),
    "samples.delete": (Action.SAMPLES_WRITE, _sample("DELETE")),
    "templates.publish": (Action.TEMPLATES_WRITE, _template_draft("/publish")),
    "templates.restore": (
        Action.TEMPLATES_WRITE, _template_draft("/versions/{version}/restore")
    ),
    "locales.create": (
        Action.LOCALES_WRITE,
        lambda w: Call("POST", "/manage/v1/locales", {"code": "ja"}, read="/manage/v1/locales"),
    ),
    "locales.update": (Action.LOCALES_WRITE, _locale("PATCH", {"name": "Renamed"})),
    "locales.delete": (Action.LOCALES_WRITE, _locale("DELETE")),
    "keys.create": (
        Action.KEYS_MANAGE,
        lambda w: Call("POST", "/manage/v1/keys", {"name": "k", "scopes": ["delivery"]},
                       read="/manage/v1/keys"),
    ),
    "keys.revoke": (Action.KEYS_MANAGE, _key_revoke),
    "keys.list": (Action.KEYS_MANAGE, _get("/manage/v1/keys")),
    "users.create": (
        Action.USERS_MANAGE,
        lambda w: Call("POST", "/manage/v1/users",
                       {"email": f"{w.name('n')}@example.com", "role": "viewer"},
                       read="/manage/v1/users"),
    ),
    "users.update": (Action.USERS_MANAGE, _user_update),
    "users.list": (Action.USERS_MANAGE, _get("/manage/v1/users")),
    "audit.read": (Action.AUDIT_READ, _get("/manage/v1/audit")),
    "webhooks.create": (
        Action.WEBHOOKS_MANAGE,
        lambda w: Call("POST", "/manage/v1/webhooks", HOOK, read="/manage/v1/webhooks"),
    ),
    "webhooks.update": (Action.WEBHOOKS_MANAGE, _webhook("PUT", "", {**HOOK, "active": False})),
    "webhooks.delete": (Action.WEBHOOKS_MANAGE, _webhook("DELETE")),
    "webhooks.rotate": (Action.WEBHOOKS_MANAGE, _webhook("POST", "/rotate-secret")),
    "webhooks.test": (Action.WEBHOOKS_MANAGE, _webhook("POST", "/test")),
    "webhooks.list": (Action.WEBHOOKS_MANAGE, _get("/manage/v1/webhooks")),
    "read.entries": (None, _get(f"{E}?limit=5")),
    "read.entry": (None, _entry_get("")),
    "read.revisions": (None, _entry_get("/revisions")),
    "read.personalization": (None, _entry_get("/personalization")),
    "read.types": (None, _get("/manage/v1/content-types")),
    "read.taxonomies": (None, _get("/manage/v1/taxonomies")),
    "read.media": (None, _get("/manage/v1/media")),
    "read.audiences": (None, _get("/manage/v1/audiences")),
    "read.search": (None, _get("/manage/v1/search?q=title")),
}  # fmt: skip
