"""One template per content type and channel.

Templates are shared by every locale: the words around the content come from
a small table per language at the top of each part (``t``, English when the
render language has none), and prices and dates go through the Babel filters
(``currency``, ``percent``, ``date``, ``number``, ``plural``), so they are
formatted for the render locale. Optional fields and customer data always go
through ``default(...)`` or ``is defined``: a template never fails because a
customer has no first name or an entry no summary. Rich text (an offer's
``details``) and Markdown (its ``conditions``, a tip's ``body``) are printed
as they are: HTML parts get sanitised HTML, text parts (email text, push,
in-app) plain text.
"""

from __future__ import annotations

from typing import Any

from seed.data._template_strings import (
    ARTICLE,
    BANNER,
    EMAIL,
    OFFER,
    TIP,
    merge,
    pick,
    strings,
)

# --------------------------------------------------------------------------
# Shared pieces of the email HTML.

_EMAIL_HEAD = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ fields.title }}</title>
<style>
body { margin: 0; padding: 0; background: #f3f2ee; color: #1d1d1b; font-family: Helvetica, Arial, sans-serif; }
.wrap { max-width: 600px; margin: 0 auto; padding: 32px 24px; background: #ffffff; }
.brand { font-size: 13px; font-weight: bold; letter-spacing: 2px; text-transform: uppercase; color: #0a7d5a; }
.eyebrow { font-size: 13px; color: #0a7d5a; margin: 24px 0 0; }
h1 { font-size: 28px; line-height: 1.25; margin: 12px 0 16px; }
p { font-size: 16px; line-height: 1.5; }
.price { font-size: 22px; font-weight: bold; }
.was { color: #8a8a85; font-weight: normal; }
.badge { background: #0a7d5a; color: #ffffff; padding: 2px 8px; border-radius: 4px; font-size: 14px; }
.until { font-size: 14px; color: #5b5b57; }
.button { display: inline-block; background: #0a7d5a; color: #ffffff; padding: 14px 28px; border-radius: 6px; text-decoration: none; font-weight: bold; }
.conditions { font-size: 13px; line-height: 1.5; color: #5b5b57; }
li { font-size: 16px; line-height: 1.5; }
.legal { font-size: 12px; line-height: 1.5; color: #8a8a85; margin-top: 40px; }
.legal a { color: #5b5b57; }
</style>
</head>
<body>
"""  # noqa: E501

_GREETING = (
    "{%- set name = customer.first_name | default('', true) -%}\n"
    "{%- set greeting = t.hello_name | replace('{name}', name) if name "
    "else t.hello -%}\n"
)

_UNSUBSCRIBE = "{%- set unsub = context.unsubscribe_url | default('', true) -%}\n"

_FOOTER_HTML = """<p class="legal">{{ t.%s }}
<br>Voltaro GmbH · Am Kanal 12 · 10999 Berlin
{%% if unsub %%}<br><a href="{{ unsub }}">{{ t.unsubscribe }}</a>{%% endif %%}</p>
</div>
</body>
</html>
"""

_FOOTER_TEXT = """
--
{{ t.%s }}
Voltaro GmbH, Am Kanal 12, 10999 Berlin
{%% if unsub %%}
{{ t.link | replace('{label}', t.unsubscribe) | replace('{url}', unsub) }}
{%% endif %%}"""


# --------------------------------------------------------------------------
# offer: web, email, push, sms

_OFFER_PRICE = """\
{%- set summary = fields.summary | default('', true) -%}
{%- set details = fields.details | default('', true) -%}
{%- set conditions = fields.conditions | default('', true) -%}
{%- set cur = fields.currency | default('EUR', true) -%}
{%- set show_price = not (fields.hide_price | default(false)) -%}
{%- set amount = fields.price | currency(cur) -%}
{%- set price = t.per_month | replace('{price}', amount) if fields.price_period | default('once') == 'month' else amount -%}
{%- set was = fields.original_price | currency(cur) if fields.original_price is defined else '' -%}
{%- set pct = fields.discount | percent if fields.discount is defined else '' -%}
{%- set cta = fields.cta_label | default(t.cta, true) -%}
"""  # noqa: E501

_OFFER_PRICE_HTML = """\
{% if show_price %}
<p class="price">{% if was %}<s class="was">{{ was }}</s> {% endif %}{{ price }}{% if pct %} <span class="badge">-{{ pct }}</span>{% endif %}</p>
{% if fields.valid_until is defined %}<p class="until">{{ t.until | replace('{date}', fields.valid_until | date('long')) }}</p>{% endif %}
{% endif %}
"""  # noqa: E501

_OFFER_PRICE_TEXT = (
    "{%- set off = t.off | replace('{pct}', pct) if pct else '' -%}\n"
    "{%- set deal = (t.now_was if was else t.now) | replace('{price}', price) "
    "| replace('{was}', was) | replace('{off}', off) -%}\n"
)

_OFFER_STRINGS = merge(EMAIL, OFFER)
_OFFER_KEYS = ("cta", "until", "per_month")

OFFER_WEB = (
    strings(pick(OFFER, *_OFFER_KEYS))
    + _OFFER_PRICE
    + """<article class="offer">
<h2 class="offer__title">{{ fields.title }}</h2>
{% if summary %}<p class="offer__summary">{{ summary }}</p>{% endif %}
{% if details %}<div class="offer__details">{{ details }}</div>{% endif %}
"""
    + _OFFER_PRICE_HTML.replace('class="', 'class="offer__')
    + """<a class="offer__cta" href="{{ fields.cta_url }}">{{ cta }}</a>
{% if conditions %}<div class="offer__conditions">{{ conditions }}</div>{% endif %}
</article>
"""
)

OFFER_EMAIL_HTML = (
    _EMAIL_HEAD
    + strings(
        pick(_OFFER_STRINGS, "hello", "hello_name", "why", "unsubscribe", *_OFFER_KEYS)
    )
    + _GREETING
    + _UNSUBSCRIBE
    + _OFFER_PRICE
    + """<div class="wrap">
<p class="brand">Voltaro</p>
<p>{{ greeting }}</p>
<h1>{{ fields.title }}</h1>
{% if summary %}<p>{{ summary }}</p>{% endif %}
{% if details %}<div class="details">{{ details }}</div>{% endif %}
"""
    + _OFFER_PRICE_HTML
    + """<p><a class="button" href="{{ fields.cta_url }}">{{ cta }}</a></p>
{% if conditions %}<div class="conditions">{{ conditions }}</div>{% endif %}
"""
    + _FOOTER_HTML % "why"
)

OFFER_EMAIL_TEXT = (
    strings(
        pick(
            _OFFER_STRINGS,
            "hello",
            "hello_name",
            "why",
            "unsubscribe",
            "link",
            "now",
            "now_was",
            "off",
            *_OFFER_KEYS,
        )
    )
    + _GREETING
    + _UNSUBSCRIBE
    + _OFFER_PRICE
    + _OFFER_PRICE_TEXT
    + """{{ greeting }}

{{ fields.title }}

{% if summary %}
{{ summary }}

{% endif %}
{% if details %}
{{ details }}

{% endif %}
{% if show_price %}
{{ deal }}
{% if fields.valid_until is defined %}
{{ t.until | replace('{date}', fields.valid_until | date('long')) }}
{% endif %}

{% endif %}
{{ t.link | replace('{label}', cta) | replace('{url}', fields.cta_url) }}
{% if conditions %}

{{ conditions }}
{% endif %}
"""
    + _FOOTER_TEXT % "why"
)

OFFER_SMS = (
    strings(
        pick(OFFER, "cta", "per_month", "now", "now_was", "off", "stop", "dot", "sp")
    )
    + _OFFER_PRICE
    + _OFFER_PRICE_TEXT
    # GSM-7 has no typographic apostrophe (de-CH groups digits with one): a
    # plain one keeps the message at 160 characters a segment.
    + "{% filter replace('\u2019', \"'\") %}"
    "Voltaro: {{ fields.title }}{{ t.dot }}"
    "{% if show_price %}{{ t.sp }}{{ deal }}{% endif %}"
    " {{ fields.cta_url }} {{ t.stop }}"
    "{% endfilter %}"
)

# --------------------------------------------------------------------------
# article: web, email

_ARTICLE_FIELDS = """\
{%- set summary = fields.summary | default('', true) -%}
{%- set body = fields.body | default('', true) -%}
{%- set cur = fields.currency | default('EUR', true) -%}
"""

_ARTICLE_BODY = """\
{% if summary %}<p class="lead">{{ summary }}</p>{% endif %}
{% for paragraph in body.splitlines() if paragraph.strip() %}
<p>{{ paragraph }}</p>
{% endfor %}
{% if fields.price_from is defined %}<p class="price">{{ t.from_price | replace('{price}', fields.price_from | currency(cur)) }}</p>{% endif %}
"""  # noqa: E501

_ARTICLE_META = (
    "{% if fields.published_on is defined %}"
    '<time datetime="{{ fields.published_on }}">'
    "{{ t.published | replace('{date}', fields.published_on | date('long')) }}</time>"
    "{% endif %}"
    "{% if fields.reading_minutes is defined %}"
    "{% if fields.published_on is defined %} · {% endif %}"
    "{{ fields.reading_minutes | plural(**t.minutes) }}"
    "{% endif %}"
)

ARTICLE_WEB = (
    strings(ARTICLE)
    + _ARTICLE_FIELDS
    + """<article class="article">
<p class="article__meta">"""
    + _ARTICLE_META
    + """</p>
<h1 class="article__title">{{ fields.title }}</h1>
"""
    + _ARTICLE_BODY
    + """<p><a class="article__link" href="{{ fields.url }}">{{ t.read_more }}</a></p>
</article>
"""
)

ARTICLE_EMAIL_HTML = (
    _EMAIL_HEAD
    + strings(merge(EMAIL, ARTICLE))
    + _GREETING
    + _UNSUBSCRIBE
    + _ARTICLE_FIELDS
    + """<div class="wrap">
<p class="brand">Voltaro</p>
<p>{{ greeting }}</p>
<p class="eyebrow">"""
    + _ARTICLE_META
    + """</p>
<h1>{{ fields.title }}</h1>
"""
    + _ARTICLE_BODY
    + """<p><a class="button" href="{{ fields.url }}">{{ t.read_more }}</a></p>
"""
    + _FOOTER_HTML % "why"
)

ARTICLE_EMAIL_TEXT = (
    strings(merge(EMAIL, pick(ARTICLE, "read_more", "from_price", "minutes")))
    + _GREETING
    + _UNSUBSCRIBE
    + _ARTICLE_FIELDS
    + """{{ greeting }}

{{ fields.title }}
{% if fields.reading_minutes is defined %}
({{ fields.reading_minutes | plural(**t.minutes) }})
{% endif %}
{% if summary %}

{{ summary }}
{% endif %}
{% for paragraph in body.splitlines() if paragraph.strip() %}

{{ paragraph }}
{% endfor %}
{% if fields.price_from is defined %}

{{ t.from_price | replace('{price}', fields.price_from | currency(cur)) }}
{% endif %}

{{ t.link | replace('{label}', t.read_more) | replace('{url}', fields.url) }}
"""
    + _FOOTER_TEXT % "why"
)

# --------------------------------------------------------------------------
# hero_banner: web, in_app

_BANNER_FIELDS = """\
{%- set subline = fields.subline | default('', true) -%}
{%- set cta = fields.cta_label | default(t.cta, true) -%}
"""

BANNER_WEB = (
    strings(BANNER)
    + _BANNER_FIELDS
    + """<section class="hero hero--{{ fields.theme | default('light', true) }}">
<h1 class="hero__headline">{{ fields.headline }}</h1>
{% if subline %}<p class="hero__subline">{{ subline }}</p>{% endif %}
{% if fields.ends_on is defined %}<p class="hero__until">{{ t.until | replace('{date}', fields.ends_on | date('long')) }}</p>{% endif %}
<a class="hero__cta" href="{{ fields.cta_url }}">{{ cta }}</a>
</section>
"""  # noqa: E501
)

_BANNER_CTA = strings(pick(BANNER, "cta")) + _BANNER_FIELDS + "{{ cta }}"

# --------------------------------------------------------------------------
# onboarding_tip: email, push, in_app

_TIP_FIELDS = """\
{%- set cta = fields.cta_label | default(t.cta, true) -%}
{%- set step = fields.step | number -%}
{%- set open_url = 'https://voltaro.example/open?link=' ~ (fields.deep_link | urlencode) -%}
"""  # noqa: E501

_TIP_STRINGS = merge(EMAIL, TIP)

TIP_EMAIL_SUBJECT = (
    strings(pick(TIP, "subject"))
    + "{{ t.subject | replace('{n}', fields.step | number) "
    "| replace('{title}', fields.title) }}"
)

TIP_EMAIL_HTML = (
    _EMAIL_HEAD
    + strings(
        pick(
            _TIP_STRINGS,
            "hello",
            "hello_name",
            "why_tip",
            "unsubscribe",
            "label",
            "cta",
        )
    )
    + _GREETING
    + _UNSUBSCRIBE
    + _TIP_FIELDS
    + """<div class="wrap">
<p class="brand">Voltaro</p>
<p>{{ greeting }}</p>
<p class="eyebrow">{{ t.label | replace('{n}', step) }}</p>
<h1>{{ fields.title }}</h1>
{{ fields.body }}
<p><a class="button" href="{{ open_url }}">{{ cta }}</a></p>
"""
    + _FOOTER_HTML % "why_tip"
)

TIP_EMAIL_TEXT = (
    strings(
        pick(
            _TIP_STRINGS,
            "hello",
            "hello_name",
            "why_tip",
            "unsubscribe",
            "link",
            "subject",
            "cta",
        )
    )
    + _GREETING
    + _UNSUBSCRIBE
    + _TIP_FIELDS
    + """{{ greeting }}

{{ t.subject | replace('{n}', step) | replace('{title}', fields.title) }}

{{ fields.body }}

{{ t.link | replace('{label}', cta) | replace('{url}', open_url) }}
"""
    + _FOOTER_TEXT % "why_tip"
)

_TIP_CTA = strings(pick(TIP, "cta")) + "{{ fields.cta_label | default(t.cta, true) }}"

# --------------------------------------------------------------------------

TEMPLATES: dict[tuple[str, str], dict[str, Any]] = {
    ("hero_banner", "web"): {"type": "web", "html": BANNER_WEB},
    ("hero_banner", "in_app"): {
        "type": "in_app",
        "title": "{{ fields.headline }}",
        "body": "{{ fields.subline | default('', true) }}",
        "buttons": [{"label": _BANNER_CTA, "action": "{{ fields.cta_url }}"}],
    },
    ("offer", "web"): {"type": "web", "html": OFFER_WEB},
    ("offer", "email"): {
        "type": "email",
        "subject": "{{ fields.title }}",
        "preheader": "{{ fields.summary | default('', true) }}",
        "html": OFFER_EMAIL_HTML,
        "text": OFFER_EMAIL_TEXT,
    },
    ("offer", "push"): {
        "type": "push",
        "title": "{{ fields.title }}",
        "body": "{{ fields.summary | default('', true) }}",
        "deep_link": "{{ fields.cta_url }}",
        "data": {"kind": "offer"},
    },
    ("offer", "sms"): {"type": "sms", "text": OFFER_SMS},
    ("article", "web"): {"type": "web", "html": ARTICLE_WEB},
    ("article", "email"): {
        "type": "email",
        "subject": "{{ fields.title }}",
        "preheader": "{{ fields.summary | default('', true) }}",
        "html": ARTICLE_EMAIL_HTML,
        "text": ARTICLE_EMAIL_TEXT,
    },
    ("onboarding_tip", "email"): {
        "type": "email",
        "subject": TIP_EMAIL_SUBJECT,
        "preheader": "{{ fields.body | truncate(90) }}",
        "html": TIP_EMAIL_HTML,
        "text": TIP_EMAIL_TEXT,
    },
    ("onboarding_tip", "push"): {
        "type": "push",
        "title": "{{ fields.title }}",
        "body": "{{ fields.body }}",
        "deep_link": "{{ fields.deep_link }}",
        "data": {"kind": "onboarding_tip", "step": "{{ fields.step }}"},
    },
    ("onboarding_tip", "in_app"): {
        "type": "in_app",
        "title": "{{ fields.title }}",
        "body": "{{ fields.body }}",
        "buttons": [{"label": _TIP_CTA, "action": "{{ fields.deep_link }}"}],
    },
}
