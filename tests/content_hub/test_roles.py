"""Roles by actions, through the real API on a signed-in session and through
the services called directly: what the issue allows answers 2xx, anything
else 403 and changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.errors import Forbidden, HubError
from content_hub.domain.inputs import (
    ContentTypeCreate,
    EntryCreate,
    EntryPatch,
    KeyCreate,
    LocaleCreate,
    MediaWrite,
    ScheduleUpdate,
    TaxonomyCreate,
)
from content_hub.domain.permissions import Action, PermissionDenied
from content_hub.domain.render import AudienceCreate, Personalization, TemplateIn
from content_hub.domain.roles import Role
from content_hub.domain.samples import SampleCustomerCreate
from content_hub.domain.users import User, UserCreate, principal_for
from content_hub.domain.webhooks import EventType, WebhookIn
from content_hub.services.audiences import AudienceService
from content_hub.services.audit import AuditService
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entries import EntryService
from content_hub.services.keys import KeyService
from content_hub.services.locales import LocaleService
from content_hub.services.media import MediaService
from content_hub.services.personalization import PersonalizationService
from content_hub.services.revisions import RevisionService
from content_hub.services.sample_customers import SampleCustomerService
from content_hub.services.schedules import set_schedule
from content_hub.services.taxonomy import TaxonomyService
from content_hub.services.templates import TemplateService
from content_hub.services.users import UserService
from content_hub.services.webhooks import WebhookService
from content_hub.settings import Settings
from content_hub.store.db import create_engine, create_session_factory
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_locale, add_type
from tests.content_hub.roles_support import OPS, World
from tests.content_hub.test_permissions import SPEC
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    cheap_passwords,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("cheap_passwords")


def _expected(role: Role, action: Action | None) -> bool:
    return action is None or action in SPEC[role]


@pytest.mark.parametrize("role", list(Role))
def test_the_api_on_a_session(settings: Settings, keys: Keys, role: Role) -> None:
    """Every management call as a signed-in user of ``role``."""
    with TestClient(app_for(settings)) as client:
        world = World(client, keys.headers("admin"))
        add_locale(client, world.admin, "de")
        add_type(client, world.admin)
        make_user(
            settings, "me@example.com", role, ["de"] if role == "translator" else []
        )
        token = sign_in(client, "me@example.com")["csrf_token"]
        wrong: list[str] = []
        for name, (action, make) in OPS.items():
            call = make(world)
            before = world.ok("GET", call.read) if call.read else None
            audit = world.ok("GET", "/manage/v1/audit?limit=1")["items"]
            headers = {"X-CSRF-Token": token}
            if call.version is not None:
                headers["If-Match"] = f'"{call.version}"'
            r = client.request(call.method, call.path, json=call.json, headers=headers)
            if _expected(role, action):
                if not 200 <= r.status_code < 300:
                    wrong.append(f"{name}: {r.status_code} {r.text[:300]}")
                continue
            problem = r.json() if r.status_code == 403 else {}
            if r.status_code != 403 or not problem["type"].endswith(
                ("/permission-denied", "/forbidden")
            ):
                wrong.append(
                    f"{name}: expected 403, got {r.status_code} {r.text[:300]}"
                )
            elif problem["type"].endswith("/permission-denied"):
                assert str(role) in problem["detail"] and problem["role"] == role
            if call.read and world.ok("GET", call.read) != before:
                wrong.append(f"{name}: refused but {call.read} changed")
            if world.ok("GET", "/manage/v1/audit?limit=1")["items"] != audit:
                wrong.append(f"{name}: refused but audited")
        assert not wrong, "\n".join(wrong)


NOW = datetime(2026, 1, 1, tzinfo=UTC)
Op = Callable[[Deps], Awaitable[object]]
#: One call of every mutating service function, with the action it needs.
#: Targets need not exist: the permission is checked before anything is read.
SERVICE_CALLS: list[tuple[str, Action, Op]] = [
    ("entries.create", Action.ENTRIES_WRITE,
     lambda d: EntryService(d).create(EntryCreate(type="article", key="k", fields={}))),
    ("entries.replace", Action.ENTRIES_TRANSLATE,
     lambda d: EntryService(d).patch("nope", EntryPatch(), 1)),
    ("entries.delete", Action.ENTRIES_WRITE, lambda d: EntryService(d).delete("nope", 1)),
    ("entries.publish", Action.ENTRIES_PUBLISH, lambda d: EntryService(d).publish("nope", 1)),
    ("entries.unpublish", Action.ENTRIES_PUBLISH,
     lambda d: EntryService(d).unpublish("nope", 1)),
    ("entries.schedule", Action.ENTRIES_PUBLISH,
     lambda d: set_schedule(d, "nope", ScheduleUpdate())),
    ("entries.revert", Action.ENTRIES_WRITE, lambda d: RevisionService(d).revert("nope", 1, 1)),
    ("entries.archive", Action.ENTRIES_WRITE, lambda d: RevisionService(d).archive("nope", 1)),
    ("entries.restore", Action.ENTRIES_WRITE, lambda d: RevisionService(d).restore("nope", 1)),
    ("variants.set", Action.ENTRIES_TRANSLATE,
     lambda d: PersonalizationService(d).set("nope", Personalization(), 1)),
    ("types.create", Action.TYPES_WRITE,
     lambda d: ContentTypeService(d).create(ContentTypeCreate(key="t", name="T"))),
    ("types.delete", Action.TYPES_WRITE, lambda d: ContentTypeService(d).delete("nope", 1)),
    ("taxonomy.create", Action.TAXONOMY_WRITE,
     lambda d: TaxonomyService(d).create(TaxonomyCreate(key="x", name="X"))),
    ("taxonomy.delete_term", Action.TAXONOMY_WRITE,
     lambda d: TaxonomyService(d).delete_term("nope", "nope", 1, None)),
    ("media.create", Action.MEDIA_WRITE,
     lambda d: MediaService(d).create(MediaWrite(url="https://a.example/x", mime_type="image/png"))),
    ("media.delete", Action.MEDIA_WRITE, lambda d: MediaService(d).delete("nope", 1)),
    ("audiences.create", Action.AUDIENCES_WRITE,
     lambda d: AudienceService(d).create(AudienceCreate(key="a", condition={}))),
    ("audiences.delete", Action.AUDIENCES_WRITE, lambda d: AudienceService(d).delete("nope", 1)),
    ("templates.save", Action.TEMPLATES_WRITE,
     lambda d: TemplateService(d).save("nope", "web", TemplateIn(parts=_web()))),
    ("samples.create", Action.SAMPLES_WRITE,
     lambda d: SampleCustomerService(d).create(SampleCustomerCreate(key="s"))),
    ("samples.delete", Action.SAMPLES_WRITE,
     lambda d: SampleCustomerService(d).delete("nope", 1)),
    ("templates.publish", Action.TEMPLATES_WRITE,
     lambda d: TemplateService(d).publish("nope", "web", 1)),
    ("templates.restore", Action.TEMPLATES_WRITE,
     lambda d: TemplateService(d).restore("nope", "web", 1, 1)),
    ("locales.create", Action.LOCALES_WRITE,
     lambda d: LocaleService(d).create(LocaleCreate(code="fr"))),
    ("locales.delete", Action.LOCALES_WRITE, lambda d: LocaleService(d).delete("nope", 1)),
    ("keys.create", Action.KEYS_MANAGE,
     lambda d: KeyService(d).create(KeyCreate(name="k", scopes=[]))),
    ("keys.all", Action.KEYS_MANAGE, lambda d: KeyService(d).all()),
    ("keys.revoke", Action.KEYS_MANAGE, lambda d: KeyService(d).revoke("nope")),
    ("users.create", Action.USERS_MANAGE,
     lambda d: UserService(d).create(UserCreate(email="n@example.com", role=Role.VIEWER))),
    ("users.all", Action.USERS_MANAGE, lambda d: UserService(d).all()),
    ("users.set_password", Action.USERS_MANAGE,
     lambda d: UserService(d).set_password("nope", "x" * 12)),
    ("users.delete", Action.USERS_MANAGE, lambda d: UserService(d).delete("nope", 1)),
    ("webhooks.create", Action.WEBHOOKS_MANAGE,
     lambda d: WebhookService(d).create(
         WebhookIn(url="https://hooks.example.com/in", events=[EventType.ENTRY_DELETED]))),
    ("webhooks.all", Action.WEBHOOKS_MANAGE, lambda d: WebhookService(d).all()),
    ("webhooks.delete", Action.WEBHOOKS_MANAGE, lambda d: WebhookService(d).delete("nope", 1)),
    ("webhooks.rotate", Action.WEBHOOKS_MANAGE,
     lambda d: WebhookService(d).rotate_secret("nope")),
    ("webhooks.test", Action.WEBHOOKS_MANAGE, lambda d: WebhookService(d).test("nope")),
    ("audit.page", Action.AUDIT_READ,
     lambda d: AuditService(d).page(resource=None, actor=None, action=None, since=None,
                                    cursor=None, limit=1)),
]  # fmt: skip


def _web() -> Any:
    from content_hub.domain.render import WebParts

    return WebParts(html="<p>Hi</p>")


def test_every_action_has_a_service_call() -> None:
    needed = {a for _, a, _ in SERVICE_CALLS} | {Action.ENTRIES_WRITE}
    assert needed >= set(Action) - {Action.VARIANTS_WRITE}


@pytest.mark.parametrize("role", list(Role))
def test_the_services_directly(settings: Settings, role: Role) -> None:
    """The same answers without HTTP (the CLI's and the Studio's way in):
    refused before anything is read; allowed calls fail only for their
    made-up targets (404, 409, 422), never for the role. Each call is rolled
    back."""
    actor = principal_for(
        User(id="u1", email="u@example.com", role=role,
             locales=("en",) if role == "translator" else (), created_at=NOW)
    )  # fmt: skip

    async def run() -> list[str]:
        engine = create_engine(settings.database.url)
        sessions = create_session_factory(engine)
        wrong: list[str] = []
        try:
            for name, action, call in SERVICE_CALLS:
                async with sessions() as session:
                    try:
                        await call(Deps(session, actor, settings))
                        outcome: HubError | None = None
                    except HubError as exc:
                        outcome = exc
                    finally:
                        await session.rollback()
                refused = isinstance(outcome, Forbidden)
                if refused == (action in SPEC[role]):
                    wrong.append(f"{name}: {role} got {outcome!r}")
                elif refused:
                    assert isinstance(outcome, PermissionDenied)
                    assert outcome.extra["role"] == role
        finally:
            await engine.dispose()
        return wrong

    assert not asyncio.run(run())
