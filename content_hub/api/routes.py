"""Every route handler of the app, in one list (app.py registers them)."""

from __future__ import annotations

from typing import Any

from content_hub.api.audit import AuditController
from content_hub.api.content_types import ContentTypeController
from content_hub.api.delivery import DeliveryController
from content_hub.api.entries import EntryController
from content_hub.api.events import record_events
from content_hub.api.experiments import ExperimentController
from content_hub.api.features import sdk_features
from content_hub.api.health import health
from content_hub.api.keys import KeyController
from content_hub.api.locales import LocaleController
from content_hub.api.manage_render import (
    AudienceController,
    PersonalizationController,
    TemplateController,
)
from content_hub.api.media import MediaController
from content_hub.api.preview import PreviewLinkController, render_preview
from content_hub.api.releases import ReleaseController
from content_hub.api.render import render_batch, render_one
from content_hub.api.samples import AudienceMatchController, SampleCustomerController
from content_hub.api.sdk_stream import sdk_stream
from content_hub.api.search import delivery_search, manage_search
from content_hub.api.taxonomy import TaxonomyController
from content_hub.api.translations import TranslationController
from content_hub.api.users import OwnAccountController, UserController
from content_hub.api.webhooks import WebhookController
from content_hub.api.workflow import WorkflowController

ROUTE_HANDLERS: list[Any] = [
    record_events,
    ExperimentController,
    sdk_features,
    LocaleController,
    ContentTypeController,
    EntryController,
    WorkflowController,
    TaxonomyController,
    MediaController,
    AuditController,
    KeyController,
    UserController,
    OwnAccountController,
    DeliveryController,
    health,
    delivery_search,
    manage_search,
    TemplateController,
    AudienceController,
    PersonalizationController,
    SampleCustomerController,
    AudienceMatchController,
    render_one,
    render_batch,
    render_preview,
    PreviewLinkController,
    sdk_stream,
    WebhookController,
    ReleaseController,
    TranslationController,
]
