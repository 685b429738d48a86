"""Locale parsing (BCP 47 tags, cached) and the CLDR fallback chain."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Literal

import msgspec
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone

from renderers._errors import LocaleError

__all__ = ["LocaleInfo", "locale_fallback_chain", "parse_locale", "parse_timezone"]


class LocaleInfo(msgspec.Struct, frozen=True):
    """A parsed render locale: the tag templates see, Babel's Locale, direction."""

    tag: str
    """BCP 47 tag, e.g. ``zh-Hans-CN``, ``de-CH``, ``ar``."""
    locale: Locale
    direction: Literal["ltr", "rtl"]


@functools.lru_cache(maxsize=512)
def parse_locale(tag: str) -> LocaleInfo:
    """Parse a BCP 47 tag (``zh-Hans``, ``de-CH``, ``ar``; ``_`` also accepted).

    Parsed once per tag and cached: Babel formats faster with a ``Locale``
    object than with a string.
    """
    raw = tag.strip().replace("_", "-")
    if not raw or len(raw) > 35:
        raise LocaleError(f"invalid locale tag {tag!r}")
    try:
        locale = Locale.parse(raw, sep="-")
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise LocaleError(f"unknown locale {tag!r}: {exc}") from None
    direction: Literal["ltr", "rtl"] = (
        "rtl" if locale.text_direction == "rtl" else "ltr"
    )
    parts = [locale.language]
    if locale.script and "-" in raw and _has_script(raw):
        parts.append(locale.script)
    if locale.territory and _has_territory(raw):
        parts.append(locale.territory)
    return LocaleInfo(tag="-".join(parts), locale=locale, direction=direction)


def _has_script(raw: str) -> bool:
    return any(len(p) == 4 and p.isalpha() for p in raw.split("-")[1:])


def _has_territory(raw: str) -> bool:
    return any(
        (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())
        for p in raw.split("-")[1:]
    )


@functools.lru_cache(maxsize=128)
def parse_timezone(name: str | None) -> dt.tzinfo:
    """An IANA time zone (``Europe/Berlin``); ``None`` or empty means UTC."""
    if not name:
        return dt.UTC
    try:
        return get_timezone(name)
    except LookupError:
        raise LocaleError(f"unknown time zone {name!r}") from None


# CLDR parentLocales entries whose parent is root, which Babel's
# parent_exceptions omits: falling back by truncation would change the script.
_ROOT_PARENTS = frozenset(
    {
        "az_Arab", "az_Cyrl", "bal_Latn", "blt_Latn", "bm_Nkoo", "bs_Cyrl",
        "byn_Latn", "cu_Glag", "dje_Arab", "dyo_Arab", "en_Dsrt", "en_Shaw",
        "ff_Adlm", "ff_Arab", "ha_Arab", "hi_Latn", "iu_Latn", "kk_Arab",
        "ks_Deva", "ku_Arab", "ky_Arab", "ky_Latn", "ml_Arab", "mn_Mong",
        "mni_Mtei", "ms_Arab", "pa_Arab", "sat_Deva", "sd_Deva", "sd_Khoj",
        "sd_Sind", "shi_Latn", "so_Arab", "sr_Latn", "sw_Arab", "tg_Arab",
        "ug_Cyrl", "uz_Arab", "uz_Cyrl", "vai_Latn", "wo_Arab", "yo_Arab",
        "yue_Hans", "zh_Hant", "zh_Latn",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=512)
def locale_fallback_chain(tag: str) -> tuple[str, ...]:
    """CLDR fallback chain, most specific first, root excluded.

    ``de-CH`` gives ``de_CH, de``; ``zh-Hant-HK`` gives ``zh_Hant_HK, zh_Hant``
    (not ``zh``, which is Simplified); ``nb`` gives ``nb, no``. Babel's
    ``negotiate_locale`` does not walk these parents, so the hub does.
    """
    locale = parse_locale(tag).locale
    parents: Mapping[str, str] = get_global("parent_exceptions")
    ident = str(locale)
    # Drop the likely script when the tag did not carry one (de_Latn_CH -> de_CH)
    if locale.script and not _has_script(tag.replace("_", "-")):
        likely: Mapping[str, str] = get_global("likely_subtags")
        default = likely.get(locale.language, "")
        if f"_{locale.script}" in default or not default:
            ident = "_".join(p for p in (locale.language, locale.territory) if p)
    chain = [ident]
    while True:
        current = chain[-1]
        if current in _ROOT_PARENTS:
            break
        parent = parents.get(current)
        if parent is None:
            if "_" not in current:
                break
            parent = current.rsplit("_", 1)[0]
        if parent == "root" or parent in chain:
            break
        chain.append(parent)
    return tuple(chain)
