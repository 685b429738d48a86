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

from seed.data._email_parts import (
    EMAIL_HEAD,
    FOOTER_HTML,
    FOOTER_TEXT,
    GREETING,
    UNSUBSCRIBE,
)
from seed.data._template_strings import (
    ARTICLE,
    BANNER,
    EMAIL,
    TIP,
    merge,
    pick,
    strings,
)
from seed.data._templates_offer import (
    OFFER_EMAIL_HTML,
    OFFER_EMAIL_TEXT,
    OFFER_SMS,
    OFFER_WEB,
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
    EMAIL_HEAD
    + strings(merge(EMAIL, ARTICLE))
    + GREETING
    + UNSUBSCRIBE
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
    + FOOTER_HTML % "why"
)

ARTICLE_EMAIL_TEXT = (
    strings(merge(EMAIL, pick(ARTICLE, "read_more", "from_price", "minutes")))
    + GREETING
    + UNSUBSCRIBE
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
    + FOOTER_TEXT % "why"
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
    EMAIL_HEAD
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
    + GREETING
    + UNSUBSCRIBE
    + _TIP_FIELDS
    + """<div class="wrap">
<p class="brand">Voltaro</p>
<p>{{ greeting }}</p>
<p class="eyebrow">{{ t.label | replace('{n}', step) }}</p>
<h1>{{ fields.title }}</h1>
{{ fields.body }}
<p><a class="button" href="{{ open_url }}">{{ cta }}</a></p>
"""
    + FOOTER_HTML % "why_tip"
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
    + GREETING
    + UNSUBSCRIBE
    + _TIP_FIELDS
    + """{{ greeting }}

{{ t.subject | replace('{n}', step) | replace('{title}', fields.title) }}

{{ fields.body }}

{{ t.link | replace('{label}', cta) | replace('{url}', open_url) }}
"""
    + FOOTER_TEXT % "why_tip"
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
