"""The offer's templates: web, email (HTML and text) and SMS (its push
template is in ``_templates.TEMPLATES``). See ``_templates`` for how the
templates are written."""

from __future__ import annotations

from seed.data._email_parts import (
    EMAIL_HEAD,
    FOOTER_HTML,
    FOOTER_TEXT,
    GREETING,
    UNSUBSCRIBE,
)
from seed.data._template_strings import (
    EMAIL,
    OFFER,
    merge,
    pick,
    strings,
)

# --------------------------------------------------------------------------
# offer: web, email, sms

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
    EMAIL_HEAD
    + strings(
        pick(_OFFER_STRINGS, "hello", "hello_name", "why", "unsubscribe", *_OFFER_KEYS)
    )
    + GREETING
    + UNSUBSCRIBE
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
    + FOOTER_HTML % "why"
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
    + GREETING
    + UNSUBSCRIBE
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
    + FOOTER_TEXT % "why"
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
