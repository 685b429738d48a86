# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""The words around the content in the demo's templates, per language, and
the Jinja prelude that picks them (``t``) for the render language."""

from __future__ import annotations

import json
from typing import Any

Strings = dict[str, dict[str, Any]]


def strings(table: Strings) -> str:
    """A Jinja prelude that sets ``t`` to the strings of the render language."""
    literal = json.dumps(table, ensure_ascii=False)
    return (
        "{%- set t = " + literal + " -%}\n"
        "{%- set t = t[lang.split('-')[0]] if lang.split('-')[0] in t "
        "else t['en'] -%}\n"
    )


def pick(table: Strings, *keys: str) -> Strings:
    """Only the strings a part uses (every part is compiled on its own)."""
    return {lang: {k: words[k] for k in keys} for lang, words in table.items()}


# --------------------------------------------------------------------------
# The words around the content, per language (zh = zh-Hans, de covers de-CH).

EMAIL: Strings = {
    "en": {
        "hello": "Hello,",
        "hello_name": "Hello {name},",
        "why": "You are receiving this email because you subscribed to news "
        "from Voltaro.",
        "why_tip": "You are receiving these tips because you recently got a Voltaro.",
        "unsubscribe": "Unsubscribe",
        "link": "{label}: {url}",
    },
    "de": {
        "hello": "Hallo,",
        "hello_name": "Hallo {name},",
        "why": "Sie erhalten diese E-Mail, weil Sie Neuigkeiten von Voltaro "
        "abonniert haben.",
        "why_tip": "Sie erhalten diese Tipps, weil Sie seit Kurzem einen Voltaro "
        "fahren.",
        "unsubscribe": "Abmelden",
        "link": "{label}: {url}",
    },
    "nb": {
        "hello": "Hei,",
        "hello_name": "Hei {name},",
        "why": "Du får denne e-posten fordi du abonnerer på nyheter fra Voltaro.",
        "why_tip": "Du får disse tipsene fordi du nylig har fått en Voltaro.",
        "unsubscribe": "Meld deg av",
        "link": "{label}: {url}",
    },
    "zh": {
        "hello": "您好：",
        "hello_name": "{name}，您好：",
        "why": "您收到这封邮件，是因为您订阅了 Voltaro 的最新资讯。",
        "why_tip": "您收到这些小贴士，是因为您最近成为了 Voltaro 车主。",
        "unsubscribe": "退订",
        "link": "{label}：{url}",
    },
    "ar": {
        "hello": "مرحبًا،",
        "hello_name": "مرحبًا {name}،",
        "why": "تصلك هذه الرسالة لأنك اشتركت في أخبار Voltaro.",
        "why_tip": "تصلك هذه النصائح لأنك حصلت مؤخرًا على منتج من Voltaro.",
        "unsubscribe": "إلغاء الاشتراك",
        "link": "{label}: {url}",
    },
}

OFFER: Strings = {
    "en": {
        "cta": "View offer",
        "until": "Offer ends {date}",
        "per_month": "{price}/month",
        "now": "Price: {price}.",
        "now_was": "Now {price} instead of {was}{off}.",
        "off": " (-{pct})",
        "stop": "STOP to opt out",
        "dot": ".",
        "sp": " ",
    },
    "de": {
        "cta": "Zum Angebot",
        "until": "Angebot gültig bis {date}",
        "per_month": "{price}/Monat",
        "now": "Preis: {price}.",
        "now_was": "Jetzt {price} statt {was}{off}.",
        "off": " (-{pct})",
        "stop": "Abmelden: STOP",
        "dot": ".",
        "sp": " ",
    },
    "nb": {
        "cta": "Se tilbudet",
        "until": "Tilbudet gjelder til {date}",
        "per_month": "{price} per måned",
        "now": "Pris: {price}.",
        "now_was": "Nå {price}, før {was}{off}.",
        "off": " (-{pct})",
        "stop": "Avmelding: STOPP",
        "dot": ".",
        "sp": " ",
    },
    "zh": {
        "cta": "查看优惠",
        "until": "优惠截至{date}",
        "per_month": "{price}/月",
        "now": "售价 {price}。",
        "now_was": "现价 {price}，原价 {was}{off}。",
        "off": "（-{pct}）",
        "stop": "回复TD退订",
        "dot": "。",
        "sp": "",
    },
    "ar": {
        "cta": "اطّلع على العرض",
        "until": "ينتهي العرض في {date}",
        "per_month": "{price} شهريًا",
        "now": "السعر: {price}.",
        "now_was": "الآن بسعر {price} بدلًا من {was}{off}.",
        "off": " (-{pct})",
        "stop": "لإلغاء الاشتراك أرسل STOP",
        "dot": ".",
        "sp": " ",
    },
}

ARTICLE: Strings = {
    "en": {
        "read_more": "Read the full story",
        "published": "Published {date}",
        "from_price": "From {price}",
        "minutes": {"one": "# min read", "other": "# min read"},
    },
    "de": {
        "read_more": "Weiterlesen",
        "published": "Veröffentlicht am {date}",
        "from_price": "Ab {price}",
        "minutes": {"one": "# Min. Lesezeit", "other": "# Min. Lesezeit"},
    },
    "nb": {
        "read_more": "Les hele saken",
        "published": "Publisert {date}",
        "from_price": "Fra {price}",
        "minutes": {"one": "# min lesetid", "other": "# min lesetid"},
    },
    "zh": {
        "read_more": "阅读全文",
        "published": "发布于 {date}",
        "from_price": "{price} 起",
        "minutes": {"other": "阅读约 # 分钟"},
    },
    "ar": {
        "read_more": "اقرأ المقال كاملًا",
        "published": "نُشر في {date}",
        "from_price": "ابتداءً من {price}",
        "minutes": {
            "zero": "قراءة سريعة",
            "one": "دقيقة واحدة للقراءة",
            "two": "دقيقتان للقراءة",
            "few": "# دقائق للقراءة",
            "many": "# دقيقة للقراءة",
            "other": "# دقيقة للقراءة",
        },
    },
}

BANNER: Strings = {
    "en": {"cta": "Discover more", "until": "Until {date}"},
    "de": {"cta": "Mehr erfahren", "until": "Bis {date}"},
    "nb": {"cta": "Les mer", "until": "Til og med {date}"},
    "zh": {"cta": "了解更多", "until": "截至{date}"},
    "ar": {"cta": "اكتشف المزيد", "until": "حتى {date}"},
}

TIP: Strings = {
    "en": {
        "label": "Tip {n}",
        "subject": "Tip {n}: {title}",
        "cta": "Show me in the app",
    },
    "de": {
        "label": "Tipp {n}",
        "subject": "Tipp {n}: {title}",
        "cta": "In der App zeigen",
    },
    "nb": {
        "label": "Tips {n}",
        "subject": "Tips {n}: {title}",
        "cta": "Vis meg i appen",
    },
    "zh": {
        "label": "小贴士 {n}",
        "subject": "小贴士 {n}：{title}",
        "cta": "在应用中查看",
    },
    "ar": {
        "label": "النصيحة {n}",
        "subject": "النصيحة {n}: {title}",
        "cta": "اعرضها في التطبيق",
    },
}


def merge(*tables: Strings) -> Strings:
    out: Strings = {}
    for table in tables:
        for lang, words in table.items():
            out.setdefault(lang, {}).update(words)
    return out
