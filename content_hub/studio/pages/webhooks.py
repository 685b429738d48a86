"""Webhook subscriptions (admins only, as ``/manage/v1/webhooks``:
``WebhookService`` refuses anyone else, and the Studio shows its 403 page).

``/studio/webhooks`` lists them and makes a new one, whose signing secret
the answer shows once. ``/studio/webhooks/{id}`` is a subscription's form
(its version sent as If-Match: a stale save keeps what was typed and shows
what is stored now), a new signing secret (shown once), a test event, delete
(after ticking a confirmation) and the delivery log, newest first, each
delivery with its attempts and a redeliver button; while one is pending,
htmx refreshes the log. Every action is the API's service call, so its
validation (URL and address guard, headers, events) answers here too, next
to the input it is about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import (
    FieldError,
    HubError,
    PreconditionFailed,
    ValidationFailed,
)
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.webhooks import STATUSES, WebhookService
from content_hub.studio.forms import Form
from content_hub.studio.pages.params import CursorParam, StatusParam
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.pages.webhook_form import (
    blank,
    choices,
    field_errors,
    typed,
    values_of,
    webhook_in,
)
from content_hub.studio.views import page, problem_of, redirect

PATH = "/webhooks/{webhook_id:str}"
LOG_PAGE = 20
"""Deliveries per page of the log."""


def _refusal(exc: HubError | None) -> dict[str, Any]:
    """The problem box and the errors by input of a refused action."""
    if exc is None:
        return {"problem": None, "errors": {}}
    errors, other = field_errors(exc)
    return {"problem": problem_of(exc) | {"other": other}, "errors": errors}


async def show_webhooks(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    exc: HubError | None = None,
    form: dict[str, Any] | None = None,
) -> Response[str]:
    hooks = await WebhookService(deps).all()
    return page(
        request,
        "webhooks.html",
        principal=principal,
        status=exc.status if exc is not None else 200,
        hooks=hooks,
        form=form or blank(),
        **_refusal(exc),
        **await choices(deps),
    )


async def show_webhook(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    webhook_id: str,
    *,
    exc: HubError | None = None,
    form: Form | None = None,
    status: int = 200,
    cursor: str | None = None,
    only: str | None = None,
    secret: str | None = None,
) -> Response[str]:
    """The subscription's page; after a refusal what was typed (``form``),
    and after a stale save also what is stored now."""
    service = WebhookService(deps)
    hook = await service.get(webhook_id)
    log = await service.deliveries(
        webhook_id, cursor=cursor, limit=LOG_PAGE, status=only
    )
    stored = values_of(hook)
    shown = typed(form) if form is not None else stored
    theirs = [
        (name, stored[name], shown[name])
        for name in stored
        if stored[name] != shown[name]
    ]
    query = {k: v for k, v in (("cursor", cursor), ("status", only)) if v}
    return page(
        request,
        "webhook.html",
        principal=principal,
        status=exc.status if exc is not None else status,
        hook=hook,
        form=shown,
        theirs=theirs if isinstance(exc, PreconditionFailed) else [],
        secret=secret,
        log=log,
        log_url=f"/studio/webhooks/{hook.id}"
        + (f"?{urlencode(query)}" if query else ""),
        only=only or "",
        statuses=STATUSES,
        pending=any(d.status == "pending" for d in log.items),
        **_refusal(exc),
        **await choices(deps),
    )


@get("/webhooks", name="studio_webhooks")
async def list_webhooks(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await show_webhooks(request, studio_deps, studio_principal)


@post("/webhooks", status_code=201)
async def create_webhook(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    """A new subscription; its signing secret is in this answer only."""
    form = await read_form(request)
    try:
        made = await WebhookService(studio_deps).create(webhook_in(form))
    except HubError as exc:
        await studio_deps.session.rollback()
        return await show_webhooks(
            request, studio_deps, studio_principal, exc=exc, form=typed(form)
        )
    return await show_webhook(
        request,
        studio_deps,
        studio_principal,
        made.webhook.id,
        status=201,
        secret=made.secret,
    )


@get(PATH, name="studio_webhook")
async def webhook_page(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    webhook_id: FromPath[str],
    cursor: CursorParam = None,
    status: StatusParam = None,
) -> Response[str]:
    """The page; ``cursor`` and ``status`` page and filter its log."""
    return await show_webhook(
        request,
        studio_deps,
        studio_principal,
        webhook_id,
        cursor=cursor or None,
        only=status or None,
    )


Act = Callable[[WebhookService], Awaitable[object]]


async def _act(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    webhook_id: str,
    act: Act,
    *,
    done: tuple[str, str],
    form: Form | None = None,
) -> Response[Any]:
    """Do ``act``; then to ``done`` (path, flash), or on a refusal the page
    again with the problem (and ``form`` as typed), nothing changed."""
    try:
        await act(WebhookService(deps))
    except HubError as exc:
        await deps.session.rollback()
        return await show_webhook(
            request, deps, principal, webhook_id, exc=exc, form=form
        )
    return redirect(*done)


@post(PATH, status_code=303)
async def save_webhook(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    webhook_id: FromPath[str],
) -> Response[Any]:
    """Replace the subscription (the form's ``version`` as If-Match)."""
    form = await read_form(request)

    async def save(service: WebhookService) -> object:
        return await service.update(webhook_id, webhook_in(form), version_of(form))

    return await _act(
        request,
        studio_deps,
        studio_principal,
        webhook_id,
        save,
        done=(f"/studio/webhooks/{webhook_id}", "webhook_saved"),
        form=form,
    )


@post(PATH + "/rotate-secret", status_code=200)
async def rotate_secret(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    webhook_id: FromPath[str],
) -> Response[str]:
    """A new signing secret (the old one stops at once), shown in this
    answer only."""
    made = await WebhookService(studio_deps).rotate_secret(webhook_id)
    return await show_webhook(
        request, studio_deps, studio_principal, webhook_id, secret=made.secret
    )


@post(PATH + "/test", status_code=303)
async def send_test(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    webhook_id: FromPath[str],
) -> Response[Any]:
    """Queue a ``webhook.test`` event; the log shows it once sent."""
    return await _act(
        request,
        studio_deps,
        studio_principal,
        webhook_id,
        lambda service: service.test(webhook_id),
        done=(f"/studio/webhooks/{webhook_id}#log", "webhook_test"),
    )


@post(PATH + "/delete", status_code=303)
async def delete_webhook(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    webhook_id: FromPath[str],
) -> Response[Any]:
    """Delete it and its log, once ``confirm`` is ticked (If-Match: the
    form's ``version``)."""
    form = await read_form(request)

    async def delete(service: WebhookService) -> None:
        if form.get("confirm") != "yes":
            await service.get(webhook_id)  # an admin's, and there, first
            raise ValidationFailed(
                "Nothing was deleted: tick the box to confirm.",
                errors=[FieldError(loc=["confirm"], msg="tick it to delete")],
            )
        await service.delete(webhook_id, version_of(form))

    return await _act(
        request,
        studio_deps,
        studio_principal,
        webhook_id,
        delete,
        done=("/studio/webhooks", "webhook_deleted"),
    )


@post(PATH + "/deliveries/{delivery_id:str}/redeliver", status_code=303)
async def redeliver(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    webhook_id: FromPath[str],
    delivery_id: FromPath[str],
) -> Response[Any]:
    """Send one delivery again, with the same ``webhook-id``."""
    return await _act(
        request,
        studio_deps,
        studio_principal,
        webhook_id,
        lambda service: service.redeliver(webhook_id, delivery_id),
        done=(f"/studio/webhooks/{webhook_id}#log", "webhook_redeliver"),
    )


WEBHOOK_PAGES = [
    list_webhooks,
    create_webhook,
    webhook_page,
    save_webhook,
    rotate_secret,
    send_test,
    delete_webhook,
    redeliver,
]
