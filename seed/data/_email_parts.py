"""The pieces every email template of the demo shares: the HTML head and its
styles, the greeting, the unsubscribe link and the legal footer (HTML and
text; ``%s`` names the footer's line in the template's word table)."""

from __future__ import annotations

EMAIL_HEAD = """<!DOCTYPE html>
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

GREETING = (
    "{%- set name = customer.first_name | default('', true) -%}\n"
    "{%- set greeting = t.hello_name | replace('{name}', name) if name "
    "else t.hello -%}\n"
)

UNSUBSCRIBE = "{%- set unsub = context.unsubscribe_url | default('', true) -%}\n"

FOOTER_HTML = """<p class="legal">{{ t.%s }}
<br>Voltaro GmbH · Am Kanal 12 · 10999 Berlin
{%% if unsub %%}<br><a href="{{ unsub }}">{{ t.unsubscribe }}</a>{%% endif %%}</p>
</div>
</body>
</html>
"""

FOOTER_TEXT = """
--
{{ t.%s }}
Voltaro GmbH, Am Kanal 12, 10999 Berlin
{%% if unsub %%}
{{ t.link | replace('{label}', t.unsubscribe) | replace('{url}', unsub) }}
{%% endif %%}"""
