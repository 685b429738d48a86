"""Rendering Studio pages: the Jinja2 environment, flash messages and the
HTML face of problems.

The environment is a plain autoescaping one (the Studio's own templates are
trusted code; customer templates run in the render sandbox elsewhere), with
``StrictUndefined`` so a misspelt name fails the tests instead of rendering
blank.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.response import Redirect

from content_hub.api.problems import hub_error_handler
from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.domain.locales import InvalidLocaleCode, parse_code
from content_hub.studio.assets import asset_url
from content_hub.studio.identity import can_edit, can_publish, csrf, role

TEMPLATES = Path(__file__).with_name("templates")
FLASH_COOKIE = "studio_flash"
FLASHES = {
    "saved": "Draft saved.",
    "unchanged": "Nothing to save: no value changed.",
    "created": "Entry created.",
    "published": "Published: delivery serves this version now.",
    "unpublished": "Unpublished: delivery no longer serves this entry.",
    "archived": "Archived.",
    "restored": "Restored as a draft.",
    "scheduled": "Schedule saved.",
    "reverted": "Reverted: the old revision is the draft again.",
    "signed_out": "You are signed out.",
    "term_created": "Term added.",
    "term_renamed": "Term renamed.",
    "term_moved": "Term moved.",
    "term_deleted": "Term deleted.",
    "media_created": "Media record created.",
    "media_saved": "Media record saved.",
    "media_deleted": "Media record deleted.",
    "type_created": "Content type created.",
    "type_saved": "Content type saved.",
    "locale_added": "Locale added.",
    "locale_saved": "Locale saved.",
    "user_saved": "User saved.",
    "user_disabled": "Account disabled: its sessions are signed out.",
    "user_enabled": "Account enabled.",
    "user_deleted": "User deleted.",
    "key_revoked": "Key revoked: it no longer authenticates.",
    "webhook_saved": "Subscription saved.",
    "webhook_deleted": "Subscription deleted, with its delivery log.",
    "webhook_test": "Test event queued: the log shows it once sent.",
    "webhook_redeliver": "Delivery queued again: the log shows the attempt once made.",
    "password_changed": "Password changed: your other sessions are signed out.",
    "template_saved": "Template draft saved: renders do not use it until published.",
    "template_published": "Template published: renders use this version now.",
    "release_publish": "The release is live: every item went live together.",
    "release_rollback": "The release is rolled back: what was live before it is back.",
    "release_created": "Release created: add the entries, templates and audiences "
    "that go live together.",
    "release_saved": "Release saved.",
    "release_scheduled": "Release schedule saved.",
    "release_deleted": "Release deleted: nothing of it went live.",
    "release_item_added": "Added to the release: it goes live when the release does.",
    "release_item_removed": "Removed from the release.",
    "added_to_release": "Added this draft to the release: it goes live when the "
    "release does.",
    "template_restored": "Restored as the draft: publish it to make it live.",
    "audience_created": "Audience created: it matches everyone until you refine it.",
    "audience_saved": "Audience saved: rules use it from now on.",
    "audience_deleted": "Audience deleted.",
    "variants_saved": "Variants saved in the draft: publish the entry to go live.",
    "variant_added": "Variant added.",
    "variant_renamed": "Variant renamed (and its rules with it).",
    "variant_deleted": "Variant deleted.",
    "rules_saved": "Rules saved in the draft: publish the entry to go live.",
}
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@lru_cache(maxsize=512)
def direction(code: str) -> str:
    """``rtl`` or ``ltr`` for a locale code (CLDR, through Babel)."""
    try:
        return str(parse_code(code).text_direction)
    except InvalidLocaleCode:
        return "ltr"


def when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(
        asset=asset_url,
        can_edit=can_edit,
        can_publish=can_publish,
        role=role,
    )
    env.filters.update(direction=direction, when=when)
    return env


ENV = _environment()


def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    principal: Principal | None,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    """Render a full page (or, for htmx, whatever the template renders)."""
    flash_key = request.cookies.get(FLASH_COOKIE)
    html = ENV.get_template(template).render(
        request_path=request.url.path,
        user=principal,
        # only a signed-in page makes the session's token: an anonymous page
        # (sign-in, errors) must not start a session by being read
        csrf_token=csrf(request) if principal is not None else "",
        flash=FLASHES.get(flash_key or ""),
        **context,
    )
    cookies = [Cookie(key=FLASH_COOKIE, value="", max_age=0, path="/studio")]
    return Response(
        html,
        status_code=status,
        media_type="text/html",
        headers=NO_STORE,
        cookies=cookies if flash_key else None,
    )


def redirect(path: str, flash: str | None = None) -> Redirect:
    """A 303 to ``path`` (a Studio path), with a flash message for the next page."""
    cookies = (
        [
            Cookie(
                key=FLASH_COOKIE,
                value=flash,
                path="/studio",
                httponly=True,
                samesite="lax",
                max_age=60,
            )
        ]
        if flash in FLASHES
        else None
    )
    return Redirect(path, status_code=303, cookies=cookies, headers=NO_STORE)


def problem_of(exc: HubError) -> dict[str, Any]:
    """What a page shows of a problem: title, detail, field errors."""
    return {
        "status": exc.status,
        "title": exc.title,
        "detail": exc.detail,
        "errors": [{"loc": list(e.loc), "msg": e.msg} for e in exc.errors],
    }


def wants_html(request: Request[Any, Any, Any]) -> bool:
    """A browser asking for a page (GET or a form post), not a program."""
    best = request.accept.best_match(
        ["application/json", "application/problem+json", "text/html"],
        default="application/json",
    )
    return best == "text/html"


def html_problem(request: Request[Any, Any, Any], exc: HubError) -> Response[Any]:
    """The Studio's exception handler: for a browser an HTML page with the
    problem, for anything else the API's problem document (a missing sign-in
    is ``auth.py``'s: a redirect to the sign-in page)."""
    if not wants_html(request):
        return hub_error_handler(request, exc)
    return page(
        request,
        "error.html",
        principal=None,
        status=exc.status,
        problem=problem_of(exc),
    )
