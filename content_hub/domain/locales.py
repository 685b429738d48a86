"""Locales: BCP 47 codes checked by Babel, CLDR fallback chains, negotiation.

Babel's ``negotiate_locale`` does not walk CLDR parent locales (``zh-Hant-HK``
does not reach ``zh-Hant``, ``nb`` does not reach ``no``), so the chain is
built here: follow CLDR ``parent_exceptions``, otherwise truncate the last
subtag, and stop at root when truncation would change the script (``zh-Hant``
must not fall back to Simplified ``zh``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Literal

import msgspec
from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.core import get_global

Direction = Literal["ltr", "rtl"]


class Locale(msgspec.Struct, frozen=True, kw_only=True):
    """A configured content locale."""

    code: str
    name: str
    native_name: str
    direction: Direction
    fallbacks: list[str]
    is_default: bool
    version: int
    created_at: datetime
    updated_at: datetime


class InvalidLocaleCode(ValueError):
    """The code is not a BCP 47 tag that CLDR knows."""


@functools.lru_cache(maxsize=1024)
def parse_code(code: str) -> BabelLocale:
    """Parse a BCP 47 tag (``de-CH``, ``zh-Hant-HK``) or raise InvalidLocaleCode."""
    if not code or len(code) > 35 or "_" in code or not code.isascii():
        raise InvalidLocaleCode(f"{code!r} is not a BCP 47 language tag")
    try:
        return BabelLocale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise InvalidLocaleCode(f"{code!r} is not a locale CLDR knows") from exc


def canonical_code(code: str) -> str:
    """Normalise the casing of a tag: ``zh-hant-hk`` -> ``zh-Hant-HK``."""
    parse_code(code)
    parts = code.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _default_script(language: str) -> str | None:
    likely: Mapping[str, str] = get_global("likely_subtags")
    full = likely.get(language)
    if not full:
        return None
    parts = full.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else None


def _parent(identifier: str) -> str | None:
    exceptions: Mapping[str, str] = get_global("parent_exceptions")
    if identifier in exceptions:
        parent = exceptions[identifier]
        return None if parent == "root" else parent
    parts = identifier.split("_")
    if len(parts) == 1:
        return None
    parent_parts = parts[:-1]
    dropped = parts[-1]
    # zh_Hant -> zh would switch script (zh is Hans): CLDR's parent is root.
    if (
        len(dropped) == 4
        and dropped.isalpha()
        and len(parent_parts) == 1
        and _default_script(parent_parts[0]) not in (None, dropped)
    ):
        return None
    return "_".join(parent_parts)


@functools.lru_cache(maxsize=1024)
def cldr_ancestors(code: str) -> tuple[str, ...]:
    """CLDR parent chain of ``code`` as BCP 47 tags, without the code itself.

    ``de-CH`` -> (``de``,); ``zh-Hant-HK`` -> (``zh-Hant``,); ``nb`` -> (``no``,).
    """
    identifier = _babel_identifier(code)
    chain: list[str] = []
    current = _parent(identifier)
    while current is not None and len(chain) < 8:
        chain.append(current.replace("_", "-"))
        current = _parent(current)
    return tuple(chain)


def _babel_identifier(code: str) -> str:
    """The Babel identifier of a tag, keeping an explicit script if given."""
    parsed = parse_code(code)
    parts = code.split("-")
    if len(parts) == 2 and len(parts[1]) == 2 and parsed.script and parsed.territory:
        # zh-HK: Babel adds the likely script; CLDR's chain starts at zh_Hant_HK.
        return str(parsed)
    return "_".join(p for p in (parsed.language, parsed.script, parsed.territory) if p)


def describe(code: str) -> tuple[str, str, Direction]:
    """English display name, native name and text direction of a tag."""
    parsed = parse_code(code)
    direction: Direction = "rtl" if parsed.text_direction == "rtl" else "ltr"
    return (
        parsed.get_display_name("en") or code,
        parsed.get_display_name() or code,
        direction,
    )


class LocaleSet(msgspec.Struct, frozen=True, kw_only=True):
    """The configured locales with their resolution chains, ready for reads."""

    default: str
    chains: dict[str, tuple[str, ...]]
    directions: dict[str, Direction]

    @classmethod
    def build(cls, locales: Sequence[Locale], default_code: str) -> LocaleSet:
        configured = {loc.code for loc in locales}
        default = next((loc.code for loc in locales if loc.is_default), default_code)
        chains: dict[str, tuple[str, ...]] = {}
        for loc in locales:
            chain = [loc.code]
            for code in (*loc.fallbacks, default):
                if code in configured and code not in chain:
                    chain.append(code)
            chains[loc.code] = tuple(chain)
        directions = {loc.code: loc.direction for loc in locales}
        return cls(default=default, chains=chains, directions=directions)

    def chain(self, code: str) -> tuple[str, ...]:
        return self.chains[code]

    def negotiate(self, accept_language: str | None) -> str | None:
        """Best configured locale for an Accept-Language header, CLDR-aware.

        Each requested tag in preference order is tried as is, then along its
        CLDR ancestors (``de-AT`` -> ``de``); ``*`` or nothing gives the default.
        """
        if not accept_language:
            return self.default
        lowered = {code.lower(): code for code in self.chains}
        for tag in _parse_accept_language(accept_language):
            if tag == "*":
                return self.default
            if tag.lower() in lowered:
                return lowered[tag.lower()]
            try:
                ancestors = cldr_ancestors(canonical_code(tag))
            except InvalidLocaleCode:
                continue
            for ancestor in ancestors:
                if ancestor.lower() in lowered:
                    return lowered[ancestor.lower()]
        return None


def _parse_accept_language(header: str) -> Iterable[str]:
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:32]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip()
        if not tag:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, index, tag.replace("_", "-")))
    return [tag for _, _, tag in sorted(weighted)]
