"""Channel renderers: resolved fields + customer + locale -> sendable output.

A pure library (stdlib, msgspec, jinja2, babel, markupsafe, css-inline, mrml,
nh3, markdown-it-py, regex): no service, HTTP or database imports. Templates
run in one hardened Jinja2 sandbox and are compiled once (``TemplateCache``
keys them by id, version, sources and limits); every render returns a frozen
output Struct with warnings, or raises a ``RenderError`` (``render_many``
turns those into per-item failures).

Example::

    from renderers import (
        Customer, EmailTemplates, RenderContext, RenderRequest, TemplateCache,
        render_many,
    )

    cache = TemplateCache()
    email = cache.get("welcome", 3, EmailTemplates(
        subject="{{ fields.title }}, {{ customer.first_name | default('there') }}",
        preheader="{{ fields.lead }}",
        html="<html><body><p>{{ fields.lead }}</p>"
        "<a href='{{ fields.url }}'>{{ fields.price | currency('EUR') }}</a>"
        "<a href='{{ context.unsubscribe_url }}'>x</a></body></html>",
        text="{{ fields.lead }} {{ fields.url }}",
    ))
    request = RenderRequest(
        fields={"title": "Willkommen", "lead": "Schön, dass du da bist.",
                "url": "https://shop.example/", "price": 19.9},
        customer=Customer(id="c1", attributes={"first_name": "Jan"}),
        locale="de-DE",
        context=RenderContext(utm={"source": "hub"},
                              unsubscribe_url="https://shop.example/u/c1"),
    )
    out = email.render(request)
    assert out.subject == "Willkommen, Jan"
    assert "19,90\xa0€" in out.html and "utm_source=hub" in out.html
    assert out.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (outcome,) = render_many(email, [request])
    assert outcome.ok and outcome.output == out
"""

from renderers._base import ChannelRenderer
from renderers._batch import (
    TemplateCache,
    Templates,
    compile_renderer,
    render_many,
    validate_templates,
)
from renderers._card import CardButton, CardOutput, CardRenderer, CardTemplates
from renderers._email import EmailOutput, EmailRenderer, EmailTemplates
from renderers._errors import (
    CompileError,
    LocaleError,
    MissingVariableError,
    PayloadTooLargeError,
    RenderBudgetExceededError,
    RenderError,
    ResourceLimitError,
    SandboxViolationError,
    TemplateRuntimeError,
)
from renderers._graphemes import graphemes, truncate_graphemes
from renderers._gsm import SmsCount, count_sms, smart_encode
from renderers._limits import Limits
from renderers._locale import LocaleInfo, locale_fallback_chain, parse_locale
from renderers._names import TemplateNames, template_names
from renderers._preempt import RenderSliceExpired
from renderers._push import PushOutput, PushRenderer, PushTemplates
from renderers._richtext import html_to_text, markdown_html, rich_text, text_view
from renderers._sandbox import StrictChainableUndefined
from renderers._sms import SmsOutput, SmsRenderer, SmsTemplates, normalise_spaces
from renderers._types import (
    Customer,
    RenderContext,
    RenderFailure,
    RenderOutcome,
    RenderRequest,
    RenderWarning,
)
from renderers._web import WebOutput, WebRenderer, WebTemplates

__all__ = [
    "CardButton",
    "CardOutput",
    "CardRenderer",
    "CardTemplates",
    "ChannelRenderer",
    "CompileError",
    "Customer",
    "EmailOutput",
    "EmailRenderer",
    "EmailTemplates",
    "Limits",
    "LocaleError",
    "LocaleInfo",
    "MissingVariableError",
    "PayloadTooLargeError",
    "PushOutput",
    "PushRenderer",
    "PushTemplates",
    "RenderBudgetExceededError",
    "RenderContext",
    "RenderError",
    "RenderFailure",
    "RenderOutcome",
    "RenderRequest",
    "RenderSliceExpired",
    "RenderWarning",
    "ResourceLimitError",
    "SandboxViolationError",
    "SmsCount",
    "SmsOutput",
    "SmsRenderer",
    "SmsTemplates",
    "StrictChainableUndefined",
    "TemplateCache",
    "TemplateNames",
    "TemplateRuntimeError",
    "Templates",
    "WebOutput",
    "WebRenderer",
    "WebTemplates",
    "compile_renderer",
    "count_sms",
    "graphemes",
    "html_to_text",
    "locale_fallback_chain",
    "markdown_html",
    "normalise_spaces",
    "parse_locale",
    "render_many",
    "rich_text",
    "smart_encode",
    "template_names",
    "text_view",
    "truncate_graphemes",
    "validate_templates",
]
