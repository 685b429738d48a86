"""/manage/v1/webhooks (admin): subscriptions, their signing secrets (shown
once), the delivery log, redelivery and test events."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.params import Cursor, IfMatch, Limit, etag, version_from
from content_hub.domain.keys import Scope
from content_hub.domain.webhooks import (
    Delivery,
    DeliveryList,
    Webhook,
    WebhookIn,
    WebhookList,
    WebhookWithSecret,
)
from content_hub.services.base import Deps
from content_hub.services.webhooks import WebhookService

Status = Annotated[
    str | None,
    QueryParameter(
        name="status", max_length=20, description="pending, delivered or failed."
    ),
]
ID = "/{webhook_id:str}"


def _tagged(hook: Webhook, status: int = 200) -> Response[Webhook]:
    return Response(hook, status_code=status, headers=etag(hook.version))


def _with_secret(made: WebhookWithSecret, status: int) -> Response[WebhookWithSecret]:
    return Response(made, status_code=status, headers=etag(made.webhook.version))


class WebhookController(Controller):
    path = "/manage/v1/webhooks"
    tags = ["webhooks"]
    opt = {"scopes": (Scope.ADMIN,)}

    @get("/", summary="List webhook subscriptions (never their secrets)")
    async def list_webhooks(self, deps: NamedDependency[Deps]) -> WebhookList:
        return WebhookList(items=await WebhookService(deps).all())

    @post("/", summary="Subscribe; the signing secret is in this response only")
    async def create_webhook(
        self, deps: NamedDependency[Deps], data: JSONBody[WebhookIn]
    ) -> Response[WebhookWithSecret]:
        return _with_secret(await WebhookService(deps).create(data), 201)

    @get(ID, summary="Get a webhook subscription")
    async def get_webhook(
        self, deps: NamedDependency[Deps], webhook_id: FromPath[str]
    ) -> Response[Webhook]:
        return _tagged(await WebhookService(deps).get(webhook_id))

    @put(ID, summary="Change a webhook subscription (If-Match required)")
    async def update_webhook(
        self,
        deps: NamedDependency[Deps],
        webhook_id: FromPath[str],
        data: JSONBody[WebhookIn],
        if_match: IfMatch = None,
    ) -> Response[Webhook]:
        service = WebhookService(deps)
        return _tagged(await service.update(webhook_id, data, version_from(if_match)))

    @delete(ID, summary="Delete a webhook subscription and its log (If-Match)")
    async def delete_webhook(
        self,
        deps: NamedDependency[Deps],
        webhook_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> None:
        await WebhookService(deps).delete(webhook_id, version_from(if_match))

    @post(ID + "/rotate-secret", status_code=200, summary="A new signing secret")
    async def rotate_webhook_secret(
        self,
        deps: NamedDependency[Deps],
        webhook_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> Response[WebhookWithSecret]:
        service = WebhookService(deps)
        made = await service.rotate_secret(webhook_id, version_from(if_match))
        return _with_secret(made, 200)

    @post(ID + "/test", status_code=202, summary="Queue a webhook.test event")
    async def test_webhook(
        self, deps: NamedDependency[Deps], webhook_id: FromPath[str]
    ) -> Delivery:
        return await WebhookService(deps).test(webhook_id)

    @get(ID + "/deliveries", summary="The delivery log, newest first")
    async def list_deliveries(
        self,
        deps: NamedDependency[Deps],
        webhook_id: FromPath[str],
        limit: Limit = 50,
        cursor: Cursor = None,
        status: Status = None,
    ) -> DeliveryList:
        page = await WebhookService(deps).deliveries(
            webhook_id, cursor=cursor, limit=limit, status=status
        )
        return DeliveryList(items=page.items, next_cursor=page.next_cursor)

    @get(ID + "/deliveries/{delivery_id:str}", summary="One delivery and its attempts")
    async def get_delivery(
        self,
        deps: NamedDependency[Deps],
        webhook_id: FromPath[str],
        delivery_id: FromPath[str],
    ) -> Delivery:
        return await WebhookService(deps).delivery(webhook_id, delivery_id)

    @post(
        ID + "/deliveries/{delivery_id:str}/redeliver",
        status_code=202,
        summary="Send one delivery again (same webhook-id)",
    )
    async def redeliver(
        self,
        deps: NamedDependency[Deps],
        webhook_id: FromPath[str],
        delivery_id: FromPath[str],
    ) -> Delivery:
        return await WebhookService(deps).redeliver(webhook_id, delivery_id)
