"""Meilisearch index naming, settings and document shape (no I/O here)."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from content_hub.search._errors import SearchBackendError, SearchDocumentError
from content_hub.search._filters import FILTERABLE_FIELDS
from content_hub.search._models import SearchDocument

PRIMARY_KEY = "pk"
MAX_FACET_VALUES = 100
MAX_TOTAL_HITS = 11_000  # MAX_OFFSET + MAX_LIMIT of SearchQuery
PRE_TAG = "\ue000"  # private-use sentinels: the snippet is escaped, then marked
POST_TAG = "\ue001"

# BCP 47 primary language subtag -> the ISO 639-3 code Meilisearch's
# tokenizer (charabia) knows. Languages not listed are auto-detected.
ISO_639_3: dict[str, str] = {
    "af": "afr", "am": "amh", "ar": "ara", "az": "aze", "be": "bel", "bg": "bul",
    "bn": "ben", "ca": "cat", "cs": "ces", "da": "dan", "de": "deu", "el": "ell",
    "en": "eng", "eo": "epo", "es": "spa", "et": "est", "fa": "pes", "fi": "fin",
    "fr": "fra", "gsw": "deu", "gu": "guj", "he": "heb", "hi": "hin", "hr": "hrv",
    "hu": "hun", "hy": "hye", "id": "ind", "it": "ita", "ja": "jpn", "jv": "jav",
    "ka": "kat", "km": "khm", "kn": "kan", "ko": "kor", "la": "lat", "lt": "lit",
    "lv": "lav", "mk": "mkd", "ml": "mal", "mr": "mar", "my": "mya", "nb": "nob",
    "ne": "nep", "nl": "nld", "nn": "nob", "no": "nob", "or": "ori", "pa": "pan",
    "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "si": "sin", "sk": "slk",
    "sl": "slv", "sn": "sna", "sr": "srp", "sv": "swe", "ta": "tam", "te": "tel",
    "th": "tha", "tk": "tuk", "tl": "tgl", "tr": "tur", "uk": "ukr", "ur": "urd",
    "uz": "uzb", "vi": "vie", "yi": "yid", "zh": "cmn", "zu": "zul",
}  # fmt: skip

_PREFIX_RE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")
_SAFE_PK_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
)
_RETRIEVE = [
    "id",
    "entry_id",
    "locale",
    "stage",
    "type_key",
    "key",
    "title",
    "revision",
]


def check_prefix(prefix: str) -> str:
    if not _PREFIX_RE.match(prefix):
        raise SearchBackendError(
            f"index prefix {prefix!r} may only hold letters, digits, '-' and '_'"
        )
    return prefix


def index_uid(prefix: str, locale: str) -> str:
    """``content_hub_de-ch`` for ``de-CH``: one index per (case-folded) locale."""
    return f"{prefix}_{locale.lower()}"


def language_code(locale: str) -> str | None:
    """ISO 639-3 code for a BCP 47 tag (``zh-Hans`` -> ``cmn``), if known."""
    return ISO_639_3.get(locale.split("-", 1)[0].lower())


def primary_key(doc_id: str) -> str:
    """Meilisearch ids allow ``[A-Za-z0-9_-]``: escape anything else as ``_xx``."""
    out: list[str] = []
    for char in doc_id:
        if char in _SAFE_PK_CHARS:
            out.append(char)
        else:
            out.extend(f"_{byte:02x}" for byte in char.encode())
    pk = "".join(out)
    if len(pk) > 511:
        raise SearchDocumentError(f"document id too long for Meilisearch: {doc_id!r}")
    return pk


def ranking_rules(version: tuple[int, int]) -> list[str]:
    """Default ranking rules in the names this server version knows.

    ``attribute`` was split into ``attributeRank`` + ``wordPosition`` in v1.36;
    1.21 (the test server) rejects the new names.
    """
    if version >= (1, 36):
        return [
            "words",
            "typo",
            "proximity",
            "attributeRank",
            "sort",
            "wordPosition",
            "exactness",
        ]
    return ["words", "typo", "proximity", "attribute", "sort", "exactness"]


def parse_version(raw: str) -> tuple[int, int]:
    match = re.match(r"^v?(\d+)\.(\d+)", raw)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def index_settings(locale: str, version: tuple[int, int]) -> dict[str, Any]:
    """The same settings on every index (so federation can merge), plus language."""
    settings: dict[str, Any] = {
        "searchableAttributes": ["title", "summary", "body"],
        "displayedAttributes": ["*"],
        "filterableAttributes": [*FILTERABLE_FIELDS, "entry_id", "id"],
        "sortableAttributes": ["updated_at", "published_at"],
        "rankingRules": ranking_rules(version),
        "faceting": {
            "maxValuesPerFacet": MAX_FACET_VALUES,
            "sortFacetValuesBy": {"*": "count"},
        },
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    }
    code = language_code(locale)
    if code is not None:
        settings["localizedAttributes"] = [
            {"attributePatterns": ["title", "summary", "body"], "locales": [code]}
        ]
    return settings


def to_meilisearch(doc: SearchDocument) -> dict[str, Any]:
    body: dict[str, Any] = msgspec.to_builtins(doc)
    body[PRIMARY_KEY] = primary_key(doc.id)
    return body


def search_params(
    *,
    q: str,
    locale: str,
    filter_: str | None,
    highlight: bool,
) -> dict[str, Any]:
    """Per-index query parameters of a federated multi-search."""
    params: dict[str, Any] = {
        "q": q,
        "matchingStrategy": "all",
        "showRankingScore": True,
        "attributesToRetrieve": _RETRIEVE,
    }
    if not q:
        params["sort"] = ["updated_at:desc"]
    if filter_ is not None:
        params["filter"] = filter_
    code = language_code(locale)
    if code is not None and q:
        params["locales"] = [code]
    if highlight and q:
        params.update(
            attributesToHighlight=["title", "summary", "body"],
            attributesToCrop=["body", "summary"],
            cropLength=24,
            highlightPreTag=PRE_TAG,
            highlightPostTag=POST_TAG,
        )
    elif highlight:
        params.update(attributesToCrop=["body", "summary"], cropLength=24)
    return params
