"""The Studio's router, mounted at ``/studio`` by the app factory.

Its handlers get ``studio_principal`` (who is signed in, provided by
``auth.py`` at the app) and ``studio_deps``
(the request's unit of work, acting as that user, so services audit and
check permissions for them); a :class:`HubError` raised by a page is
answered as an HTML page (or, when nobody is signed in, a redirect to the
sign-in page), not as the API's problem JSON.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from litestar import Router
from litestar.di import NamedDependency, Provide

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.studio.assets import studio_asset
from content_hub.studio.pages.account import account, change_password
from content_hub.studio.pages.audiences import AUDIENCE_PAGES
from content_hub.studio.pages.audit import list_audit
from content_hub.studio.pages.content_types import (
    list_content_types,
    show_content_type,
)
from content_hub.studio.pages.dashboard import dashboard
from content_hub.studio.pages.editor import (
    WORKFLOW,
    edit_entry,
    resolve_conflict,
    save_entry,
)
from content_hub.studio.pages.entries import create_entry, list_entries, new_entry
from content_hub.studio.pages.experiments import EXPERIMENT_PAGES
from content_hub.studio.pages.keys import create_key, list_keys, revoke_key
from content_hub.studio.pages.locales import (
    add_locale,
    edit_locale,
    list_locales,
    save_locale,
)
from content_hub.studio.pages.media import MEDIA_PAGES
from content_hub.studio.pages.preview import markdown_preview
from content_hub.studio.pages.preview_matrix import PREVIEW_PAGES
from content_hub.studio.pages.release_items import RELEASE_ITEM_PAGES
from content_hub.studio.pages.releases import RELEASE_PAGES
from content_hub.studio.pages.revisions import (
    list_revisions,
    revert_entry,
    show_revision,
)
from content_hub.studio.pages.rules import RULE_PAGES
from content_hub.studio.pages.sign_in import sign_in_page
from content_hub.studio.pages.taxonomies import (
    list_taxonomies,
    show_taxonomy,
    show_term,
)
from content_hub.studio.pages.taxonomy_actions import TAXONOMY_ACTIONS
from content_hub.studio.pages.template_editor import TEMPLATE_EDITOR
from content_hub.studio.pages.template_versions import TEMPLATE_VERSIONS
from content_hub.studio.pages.type_editor import (
    create_content_type,
    edit_content_type,
    new_content_type,
    update_content_type,
)
from content_hub.studio.pages.users import USER_HANDLERS
from content_hub.studio.pages.variants import VARIANT_PAGES
from content_hub.studio.pages.webhooks import WEBHOOK_PAGES
from content_hub.studio.views import html_problem

HANDLERS: list[Any] = [
    studio_asset,
    dashboard,
    list_entries,
    new_entry,
    create_entry,
    edit_entry,
    save_entry,
    resolve_conflict,
    *WORKFLOW,
    list_revisions,
    show_revision,
    revert_entry,
    markdown_preview,
    list_content_types,
    show_content_type,
    list_taxonomies,
    show_taxonomy,
    show_term,
    *TAXONOMY_ACTIONS,
    *MEDIA_PAGES,
    new_content_type,
    create_content_type,
    edit_content_type,
    update_content_type,
    list_locales,
    add_locale,
    edit_locale,
    save_locale,
    *USER_HANDLERS,
    list_keys,
    create_key,
    revoke_key,
    *WEBHOOK_PAGES,
    list_audit,
    account,
    change_password,
    *EXPERIMENT_PAGES,
    *TEMPLATE_EDITOR,
    *TEMPLATE_VERSIONS,
    *PREVIEW_PAGES,
    *AUDIENCE_PAGES,
    *VARIANT_PAGES,
    *RULE_PAGES,
    *RELEASE_PAGES,
    *RELEASE_ITEM_PAGES,
]


async def studio_unit(
    deps: NamedDependency[Deps], studio_principal: NamedDependency[Principal]
) -> Deps:
    """The request's unit of work with the signed-in user as its actor."""
    return dataclasses.replace(deps, actor=studio_principal)


def studio_routes(overrides: Mapping[str, Provide] | None = None) -> list[Any]:
    """What the app registers: the sign-in page (beside the session layer's
    ``POST /studio/sign-in``) and the ``/studio`` router."""
    return [sign_in_page, studio_router(overrides)]


def studio_router(overrides: Mapping[str, Provide] | None = None) -> Router:
    """The ``/studio`` router; ``overrides`` replaces dependencies by name
    (tests sign a user in by overriding ``studio_principal``)."""
    dependencies = {
        "studio_deps": Provide(studio_unit),
        **(overrides or {}),
    }
    return Router(
        path="/studio",
        route_handlers=HANDLERS,
        dependencies=dependencies,
        exception_handlers={HubError: html_problem},
        include_in_schema=False,
    )
