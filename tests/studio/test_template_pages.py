"""The Studio's template editor over HTTP, on the demo data: the form posted
back as a browser would saves a draft that renders do not use until the
publish form is sent; compile problems come back at their part and line
(the live check and a refused save alike); a stale publish or save shows
the conflict view; versions, diff and restore; who may edit."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.keys import Principal, Scope
from content_hub.domain.roles import Role
from content_hub.settings import Settings
from renderers import template_names
from tests.content_hub.conftest import Keys
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form

PAGE = "/studio/content-types/offer/templates/email"
API = "/manage/v1/content-types/offer/templates/email"
BROKEN = "<html>\n<body>\n<p>{{ fields.title }</p>\n</body>\n</html>"


def _render(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    r = client.post(
        "/render/v1/render",
        json={"type": "offer", "key": "spring-city-one", "channel": "email"},
        headers={**keys.headers("render"), "Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    output: dict[str, Any] = r.json()["output"]
    return output


def _api(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    r = client.get(API, headers={**keys.headers("manage"), "Accept": "*/*"})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _form(client: TestClient[Any]) -> list[tuple[str, str]]:
    return form_fields(client.get(PAGE).text, form_id="template-form")


def _with(pairs: list[tuple[str, str]], **parts: str) -> list[tuple[str, str]]:
    names = {f"part:{k}" for k in parts}
    return [(n, v) for n, v in pairs if n not in names] + [
        (f"part:{k}", v) for k, v in parts.items()
    ]


def test_the_page_lists_every_part_and_what_templates_can_use(
    studio: TestClient[Any],
) -> None:
    html = studio.get(PAGE).text
    for part in ("subject", "preheader", "html", "text"):
        assert re.search(rf'<label for="part-{part}">{part}\b', html), part
        assert f'name="part:{part}"' in html
    for name in template_names().filters:  # the sandbox's own list
        assert f"<code>{name}</code>" in html, name
    for name in ("fields.title", "fields.price", "customer.segments"):
        assert f"<code>{name}</code>" in html
    assert "<code>context.unsubscribe_url</code>" in html
    assert (
        'href="/studio/content-types/offer/templates/email"'
        in studio.get("/studio/content-types/offer").text
    )


def test_save_draft_then_publish_round_trip(
    studio: TestClient[Any], keys: Keys
) -> None:
    before_render = _render(studio, keys)
    before = _api(studio, keys)
    pairs = _form(studio)
    assert ("version", str(before["version"])) in pairs
    assert dict(pairs)["part:html"] == before["parts"]["html"]  # shown as stored
    r = post_form(studio, PAGE, _with(pairs, subject="Draft: {{ fields.title }}"))
    assert r.status_code == 303, r.text
    draft = _api(studio, keys)
    assert draft["version"] == before["version"] + 1
    assert draft["parts"]["subject"] == "Draft: {{ fields.title }}"
    assert draft["parts"]["html"] == before["parts"]["html"]  # untouched parts kept
    assert draft["published_version"] == before["version"]
    assert _render(studio, keys) == before_render  # a draft is not live
    page = studio.get(PAGE).text
    assert "draft not published" in page
    publish = form_fields(page, action=f"{PAGE}/publish")
    assert ("version", str(draft["version"])) in publish
    r = post_form(studio, f"{PAGE}/publish", publish)
    assert r.status_code == 303, r.text
    assert _api(studio, keys)["published_version"] == draft["version"]
    assert _render(studio, keys)["subject"].startswith("Draft: ")


def test_a_broken_part_is_refused_at_its_part_and_line(
    studio: TestClient[Any], keys: Keys
) -> None:
    before = _api(studio, keys)
    r = post_form(studio, PAGE, _with(_form(studio), html=BROKEN))
    assert r.status_code == 422
    assert re.search(r'<a href="#part-html"[^>]*>html, line 3</a>', r.text)
    assert 'data-part="html" data-line="3"' in r.text
    assert "unexpected &#39;}&#39;" in r.text
    kept = dict(form_fields(r.text, form_id="template-form"))
    assert kept["part:html"] == BROKEN  # what was typed is kept
    assert _api(studio, keys)["version"] == before["version"]


def test_the_live_check_compiles_without_saving(
    studio: TestClient[Any], keys: Keys
) -> None:
    before = _api(studio, keys)
    pairs = _with(_form(studio), html=BROKEN, text="{% if %}")
    r = studio.post(
        f"{PAGE}/check",
        content="&".join(f"{n}={_q(v)}" for n, v in pairs).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
        },
    )
    assert r.status_code == 200, r.text
    assert "<html" not in r.text and "<main" not in r.text  # the list alone
    assert 'data-part="html" data-line="3"' in r.text
    assert 'data-part="text" data-line="1"' in r.text
    good = studio.post(
        f"{PAGE}/check",
        content="&".join(f"{n}={_q(v)}" for n, v in _form(studio)).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
        },
    )
    assert "No problems" in good.text
    no_js = post_form(studio, f"{PAGE}/check", pairs)  # the button, no script
    assert no_js.status_code == 422 and "html, line 3" in no_js.text
    assert _api(studio, keys)["version"] == before["version"]


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def test_a_stale_publish_shows_the_conflict_and_publishes_nothing(
    studio: TestClient[Any], keys: Keys
) -> None:
    before = _api(studio, keys)
    post_form(studio, PAGE, _with(_form(studio), subject="Mine"))
    page = studio.get(PAGE).text
    publish = form_fields(page, action=f"{PAGE}/publish")
    theirs = {**before["parts"], "subject": "Theirs {{ fields.title }}"}
    r = studio.put(
        API, json={"parts": theirs}, headers={**keys.headers("manage"), "Accept": "*/*"}
    )
    assert r.status_code == 200
    stale = post_form(studio, f"{PAGE}/publish", publish)
    assert stale.status_code == 409
    assert "Someone else saved" in stale.text
    assert "Theirs {{ fields.title }}" in stale.text  # what they changed
    assert _api(studio, keys)["published_version"] == before["version"]
    again = form_fields(stale.text, action=f"{PAGE}/publish")
    assert post_form(studio, f"{PAGE}/publish", again).status_code == 303
    assert _render(studio, keys)["subject"].startswith("Theirs ")


def test_a_stale_save_keeps_the_authors_parts(
    studio: TestClient[Any], keys: Keys
) -> None:
    pairs = _form(studio)
    first = post_form(studio, PAGE, _with(pairs, text="First"))
    assert first.status_code == 303
    stale = post_form(studio, PAGE, _with(pairs, text="Second"))
    assert stale.status_code == 409
    assert _api(studio, keys)["parts"]["text"] == "First"
    kept = form_fields(stale.text, action=PAGE)
    assert ("part:text", "Second") in kept
    assert post_form(studio, PAGE, kept).status_code == 303
    assert _api(studio, keys)["parts"]["text"] == "Second"


def test_versions_diff_and_restore(studio: TestClient[Any], keys: Keys) -> None:
    before = _api(studio, keys)
    post_form(studio, PAGE, _with(_form(studio), preheader="New preheader"))
    versions = studio.get(f"{PAGE}/versions").text
    assert re.search(
        rf"<th scope=\"row\">{before['version']} <span class=\"badge "
        r"badge-published\">published</span>",
        versions,
    )
    diff = studio.get(
        f"{PAGE}/diff?from={before['version']}&to={before['version'] + 1}"
    )
    assert diff.status_code == 200
    assert '<span class="add">+New preheader</span>' in diff.text
    restore = form_fields(
        versions, action=f"{PAGE}/versions/{before['version']}/restore"
    )
    r = post_form(studio, f"{PAGE}/versions/{before['version']}/restore", restore)
    assert r.status_code == 303, r.text
    now = _api(studio, keys)
    assert now["version"] == before["version"] + 2
    assert now["parts"] == before["parts"]
    assert now["published_version"] == before["version"]


@pytest.mark.parametrize("role", [Role.TRANSLATOR, Role.VIEWER, Role.REVIEWER])
def test_only_editors_and_admins_change_templates(
    demo: Settings, keys: Keys, role: Role
) -> None:
    who = Principal(
        f"user-{role}", f"{role}@example.com", frozenset({Scope.MANAGE}), role=role
    )
    with TestClient(studio_app(demo, who)) as client:
        client.headers["Accept"] = BROWSER_ACCEPT
        page = client.get(PAGE)
        assert page.status_code == 200
        assert "Save draft" not in page.text and "Publish version" not in page.text
        assert re.search(r'<textarea id="part-html"[^>]* readonly>', page.text)
        pairs = form_fields(page.text, form_id="template-form")
        before = _api(client, keys)
        for action in (PAGE, f"{PAGE}/check", f"{PAGE}/publish"):
            r = post_form(client, action, [*pairs, ("version", "1")])
            assert r.status_code == 403, (action, r.status_code)
        assert _api(client, keys) == before
        assert json.dumps(before)  # read access stays
