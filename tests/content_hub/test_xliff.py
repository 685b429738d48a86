"""XLIFF 2.1 export and import through the API: rich text and
placeholders survive the round trip byte for byte; a unit whose source
changed since the export is reported as a conflict and not written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from lxml import etree

from content_hub.cli import main
from content_hub.domain.xliff import NS
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    cheap_passwords,
    make_user,
    sign_in,
)

X = "/manage/v1/xliff"
Q = f"{{{NS}}}"
BODY = '<p>Hi <strong>{{ customer.name }}</strong> &amp; "co" <br>\n  ride</p>'
TITLE = "Save {{ percent }}% now"


@pytest.fixture
def admin(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    headers = keys.headers("admin")
    add_locale(client, headers, "de")
    add_type(client, headers)
    return headers


def translated(document: bytes, values: dict[str, str]) -> bytes:
    """The agency's work: a target per unit (by field), as lxml writes it."""
    root = etree.fromstring(document)
    for unit in root.iter(Q + "unit"):
        field = unit.get("id").rsplit(".", 1)[1]
        segment = unit.find(Q + "segment")
        target = segment.find(Q + "target")
        if target is None:
            target = etree.SubElement(segment, Q + "target")
        target.text = values[field]
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return out


def units(document: bytes) -> dict[str, str]:
    root = etree.fromstring(document)
    assert root.get("version") == "2.1"
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "de")
    return {
        u.get("id").rsplit(".", 1)[1]: u.find(Q + "segment").find(Q + "source").text
        for u in root.iter(Q + "unit")
    }


def test_round_trip_keeps_markup_and_placeholders(
    client: TestClient[Any], admin: dict[str, str]
) -> None:
    e = add_entry(client, admin, "x", {"title": {"en": TITLE}, "body": {"en": BODY}})
    r = client.get(X, params={"target": "de", "only": "missing"}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/xliff+xml")
    assert units(r.content) == {"title": TITLE, "body": BODY}
    german = {
        "title": "Spare {{ percent }}% jetzt",
        "body": BODY.replace("Hi", "Hallo"),
    }
    r = client.post(X, content=translated(r.content, german), headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["written"] == 2 and r.json()["conflicts"] == 0
    fields = client.get(f"/manage/v1/entries/{e['id']}", headers=admin).json()["fields"]
    assert fields["title"]["de"] == german["title"]
    assert fields["body"]["de"] == german["body"]
    # nothing is missing any more; the same import again changes nothing
    again = client.get(X, params={"target": "de", "only": "missing"}, headers=admin)
    assert units(again.content) == {}
    full = client.get(X, params={"target": "de", "entry": e["id"]}, headers=admin)
    assert units(full.content) == {"title": TITLE, "body": BODY}


def test_a_changed_source_is_a_conflict_and_not_written(
    client: TestClient[Any], admin: dict[str, str]
) -> None:
    e = add_entry(
        client, admin, "c", {"title": {"en": TITLE, "de": "Alt"}, "body": {"en": BODY}}
    )
    exported = client.get(X, params={"target": "de"}, headers=admin).content
    r = client.patch(
        f"/manage/v1/entries/{e['id']}",
        json={"fields": {"title": {"en": "Changed"}}},
        headers={**admin, "If-Match": f'"{e["version"]}"'},
    )
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    r = client.post(
        X,
        content=translated(exported, {"title": "Neu", "body": "Körper"}),
        headers=admin,
    )
    assert r.status_code == 200, r.text
    report = {u["unit"]: u for u in r.json()["units"]}
    assert report[f"e.{e['id']}.title"]["status"] == "conflict"
    assert "changed" in report[f"e.{e['id']}.title"]["detail"]
    assert report[f"e.{e['id']}.body"]["status"] == "written"
    after = client.get(f"/manage/v1/entries/{e['id']}", headers=admin).json()
    assert after["fields"]["title"]["de"] == "Alt"
    assert after["fields"]["body"]["de"] == "Körper"
    assert after["version"] == version + 1


@pytest.mark.parametrize(
    "document",
    [
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>',
        f'<xliff xmlns="{NS}" version="2.1" srcLang="en" trgLang="fr"/>'.encode(),
    ],
)
def test_unreadable_documents_are_400(
    client: TestClient[Any], admin: dict[str, str], document: bytes
) -> None:
    r = client.post(X, content=document, headers=admin)
    assert r.status_code == 400, r.text


def test_bad_export_filters_are_400(
    client: TestClient[Any], admin: dict[str, str]
) -> None:
    for params in ({"target": "fr"}, {"target": "en"}, {"target": "de", "type": "no"}):
        r = client.get(X, params=params, headers=admin)
        assert r.status_code == 400, (params, r.text)


def test_cli_export_and_import(
    client: TestClient[Any],
    admin: dict[str, str],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    e = add_entry(client, admin, "k", {"title": {"en": TITLE}, "body": {"en": BODY}})
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONTENT_HUB_DATABASE_URL", settings.database.url)
    path = tmp_path / "de.xlf"
    assert main(["xliff", "export", "--target", "de", "-o", str(path)]) == 0
    assert units(path.read_bytes()) == {"title": TITLE, "body": BODY}
    german = {"title": "Spare {{ percent }}%", "body": BODY.replace("Hi", "Hallo")}
    path.write_bytes(translated(path.read_bytes(), german))
    capsys.readouterr()
    assert main(["xliff", "import", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["written"], report["conflicts"]) == (2, 0)
    fields = client.get(f"/manage/v1/entries/{e['id']}", headers=admin).json()["fields"]
    assert fields["body"]["de"] == german["body"]
    assert main(["xliff", "export", "--target", "xx"]) == 2


@pytest.mark.usefixtures("cheap_passwords")
def test_a_translator_imports_only_their_locales(
    client: TestClient[Any], admin: dict[str, str], settings: Settings
) -> None:
    add_locale(client, admin, "nb")
    e = add_entry(client, admin, "t", {"title": {"en": TITLE}})
    make_user(settings, "tr@example.com", "translator", ["de"])
    token = {"X-CSRF-Token": sign_in(client, "tr@example.com")["csrf_token"]}
    for target, status in (("nb", "error"), ("de", "written")):
        exported = client.get(X, params={"target": target}, headers=token)
        assert exported.status_code == 200, exported.text
        document = translated(exported.content, {"title": "T"})
        r = client.post(X, content=document, headers=token)
        assert r.status_code == 200, r.text
        assert [u["status"] for u in r.json()["units"]] == [status]
    fields = client.get(f"/manage/v1/entries/{e['id']}", headers=admin).json()["fields"]
    assert fields["title"] == {"en": TITLE, "de": "T"}


def test_variant_overrides_travel_as_their_own_units(
    client: TestClient[Any], admin: dict[str, str]
) -> None:
    e = add_entry(client, admin, "p", {"title": {"en": TITLE}})
    body = {"variants": {"vip": {"fields": {"title": {"en": BODY}}}}, "rules": []}
    path = f"/manage/v1/entries/{e['id']}/personalization"
    r = client.put(path, json=body, headers={**admin, "If-Match": f'"{e["version"]}"'})
    assert r.status_code == 200, r.text
    exported = client.get(X, params={"target": "de"}, headers=admin).content
    ids = [u.get("id") for u in etree.fromstring(exported).iter(Q + "unit")]
    assert ids == [f"e.{e['id']}.title", f"v.{e['id']}.vip.title"]
    root = etree.fromstring(exported)
    for unit in root.iter(Q + "unit"):
        segment = unit.find(Q + "segment")
        source = segment.find(Q + "source").text
        etree.SubElement(segment, Q + "target").text = "DE " + source
    r = client.post(X, content=etree.tostring(root), headers=admin)
    assert r.status_code == 200, r.text
    assert [u["status"] for u in r.json()["units"]] == ["written", "written"]
    got = client.get(path, headers=admin).json()["variants"]["vip"]["fields"]
    assert got["title"] == {"en": BODY, "de": "DE " + BODY}
    fields = client.get(f"/manage/v1/entries/{e['id']}", headers=admin).json()["fields"]
    assert fields["title"]["de"] == "DE " + TITLE
    # the override's source changes: its unit conflicts, the entry's does not
    version = client.get(f"/manage/v1/entries/{e['id']}", headers=admin).json()[
        "version"
    ]
    body["variants"]["vip"]["fields"]["title"] = {"en": "new", "de": "DE " + BODY}
    r = client.put(path, json=body, headers={**admin, "If-Match": f'"{version}"'})
    assert r.status_code == 200, r.text
    r = client.post(
        X, content=etree.tostring(root).replace(b"DE ", b"XX "), headers=admin
    )
    report = {u["unit"]: u["status"] for u in r.json()["units"]}
    assert report == {
        f"e.{e['id']}.title": "written",
        f"v.{e['id']}.vip.title": "conflict",
    }


def test_export_by_term_includes_descendants(
    client: TestClient[Any], admin: dict[str, str]
) -> None:
    assert (
        client.post(
            "/manage/v1/taxonomies",
            json={"key": "topic", "name": "Topic"},
            headers=admin,
        ).status_code
        == 201
    )

    def term(key: str, parent: str | None = None) -> str:
        body = {"key": key, "labels": {"en": key}, "parent": parent}
        r = client.post("/manage/v1/taxonomies/topic/terms", json=body, headers=admin)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    bikes = term("bikes")
    ebikes = term("ebikes", bikes)
    cars = term("cars")
    ids = {}
    for key, terms in (("a", [ebikes]), ("b", [cars]), ("c", [])):
        body = {"type": "article", "key": key, "terms": terms,
                "fields": {"title": {"en": f"Title {key}"}}}  # fmt: skip
        r = client.post("/manage/v1/entries", json=body, headers=admin)
        assert r.status_code == 201, r.text
        ids[r.json()["id"]] = key

    def exported(**params: Any) -> set[str]:
        r = client.get(X, params={"target": "de", **params}, headers=admin)
        assert r.status_code == 200, r.text
        root = etree.fromstring(r.content)
        return {ids[u.get("id").split(".")[1]] for u in root.iter(Q + "unit")}

    assert exported() == {"a", "b", "c"}
    assert exported(term="topic:bikes") == {"a"}  # ebikes is under bikes
    assert exported(term=cars) == {"b"}
    assert exported(term=["topic:bikes", cars]) == {"a", "b"}
    assert exported(term=ebikes, type="article") == {"a"}
    r = client.get(X, params={"target": "de", "term": "topic:nope"}, headers=admin)
    assert r.status_code == 400, r.text
