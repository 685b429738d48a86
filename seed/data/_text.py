"""Small helpers that keep the demo data readable."""

from __future__ import annotations

from typing import Any

Localised = dict[str, str]

LOCALE_CODES = ("en", "de", "de-CH", "nb", "zh-Hans", "ar")


def tr(
    en: str,
    de: str,
    *,
    de_ch: str | None = None,
    nb: str | None = None,
    zh: str | None = None,
    ar: str | None = None,
) -> Localised:
    """A localised value: English and German always, the others when written.

    A locale left out falls back along its chain (de-CH -> de -> en,
    nb / zh-Hans / ar -> en), field by field.
    """
    values = {"en": en, "de": de, "de-CH": de_ch, "nb": nb, "zh-Hans": zh, "ar": ar}
    return {code: text for code, text in values.items() if text is not None}


def paragraphs(*texts: str) -> str:
    """A multi-paragraph text field: paragraphs separated by a blank line."""
    return "\n\n".join(texts)


def field(
    key: str,
    type_: str,
    name: str,
    *,
    localized: bool = False,
    required: bool = False,
    **validations: Any,
) -> dict[str, Any]:
    """A content-type field definition as the management API takes it."""
    out: dict[str, Any] = {
        "key": key,
        "type": type_,
        "name": name,
        "localized": localized,
        "required": required,
    }
    if validations:
        out["validations"] = validations
    return out
