"""Text folding, CJK bigrams, FTS5 query building and snippet highlighting.

Everything that decides *which words match* on the FTS5 side lives here, in
Python, so that indexing, querying and highlighting agree:

* :func:`fold` lower-cases, strips diacritics (``Über`` -> ``uber``) and folds
  the Nordic letters the SQLite tokenizer keeps (``ø`` -> ``o``, ``æ`` -> ``ae``),
  which is what Meilisearch does as well.
* CJK runs (Han, Kana, Hangul) have no spaces, and ``unicode61`` would make a
  whole sentence one token. They are indexed as overlapping character bigrams
  (Lucene's CJKAnalyzer approach) and a CJK query run becomes a phrase of its
  bigrams, so ``中文`` matches inside ``这是一个快速的中文搜索引擎测试``.
* German-like compounds: for locales in :data:`COMPOUNDING_LANGUAGES` every
  long word also contributes its suffixes (at least :data:`MIN_PART` letters)
  to a low-weight ``parts`` column; a prefix query on it is a substring search,
  so ``Fahrrad`` finds ``Lastenfahrrad``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from content_hub.search._models import MARK_CLOSE, MARK_OPEN

COMPOUNDING_LANGUAGES = frozenset(
    {"de", "gsw", "nl", "sv", "da", "nb", "nn", "no", "is", "fo", "lb"}
)
MIN_PART = 4
MIN_COMPOUND = 8

_SPECIAL = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002ffff"
)
_WORD_RE = re.compile(r"[^\W_]+")
_CJK_SPLIT_RE = re.compile(f"([{_CJK}]+)")
_CJK_RE = re.compile(f"[{_CJK}]")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "".join(_SPECIAL.get(c, c) for c in stripped)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: ``Ærlig Über`` -> ``aerlig uber``."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """:func:`fold` plus, for each folded character, its index in *text*.

    The offsets are ``None`` when folding kept every position (the usual case:
    ``ü`` -> ``u``), so callers can map positions one to one.
    """
    if text.isascii():
        return text.lower(), None
    chars = [_fold_char(c) for c in text]
    folded = "".join(chars)
    if len(folded) == len(text) and all(len(c) == 1 for c in chars):
        return folded, None
    offsets: list[int] = []
    for index, char in enumerate(chars):
        offsets.extend([index] * len(char))
    return folded, offsets


def is_cjk(token: str) -> bool:
    return bool(_CJK_RE.match(token))


def _pieces(folded: str) -> Iterator[str]:
    """Word pieces of folded text, CJK runs split from the rest."""
    if not _CJK_RE.search(folded):
        yield from _WORD_RE.findall(folded)
        return
    for word in _WORD_RE.findall(folded):
        for piece in _CJK_SPLIT_RE.split(word):
            if piece:
                yield piece


def bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """Text for an FTS5 column: folded, with CJK runs as bigrams."""
    folded = fold(text)
    if not _CJK_RE.search(folded):
        return " ".join(_WORD_RE.findall(folded))
    out: list[str] = []
    for piece in _pieces(folded):
        if is_cjk(piece):
            out.extend(bigrams(piece))
        else:
            out.append(piece)
    return " ".join(out)


def compound_parts(texts: tuple[str, ...]) -> str:
    """Suffixes of long words, for the ``parts`` column of compounding locales."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        for piece in _pieces(fold(text)):
            if len(piece) < MIN_COMPOUND or is_cjk(piece) or piece in seen:
                continue
            seen.add(piece)
            out.extend(piece[i:] for i in range(1, len(piece) - MIN_PART + 1))
    return " ".join(out)


def is_compounding(locale: str) -> bool:
    return locale.split("-", 1)[0].lower() in COMPOUNDING_LANGUAGES


# -- queries ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryToken:
    """One positive query word (folded), for highlighting."""

    text: str
    cjk: bool
    prefix: bool


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query as FTS5 sees it.

    ``match`` is ``None`` when the query has no positive word: then every
    document matches except those matching ``exclude`` (negated words only).
    """

    match: str | None
    tokens: list[QueryToken]
    exclude: str | None = None


# Meilisearch query syntax: "exact phrase", -excluded, -"excluded phrase".
_CHUNK_RE = re.compile(r'(?:(?<=\s)|^)(-?)"([^"]*)"?|(?:(?<=\s)|^)(-?)([^\s"]+)')
_COLUMNS = "{title summary body}"
MAX_QUERY_WORDS = 32


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _word_clause(piece: str, prefix: bool) -> str:
    if is_cjk(piece):
        grams = bigrams(piece)
        if len(grams[0]) == 1:
            return f"{_COLUMNS} : {_quote(piece)}*"
        return f"{_COLUMNS} : {_quote(' '.join(grams))}"
    clause = f"{_COLUMNS} : {_quote(piece)}{'*' if prefix else ''}"
    if len(piece) >= MIN_PART:
        clause = f"({clause} OR parts : {_quote(piece)}*)"
    return clause


def _phrase_clause(pieces: list[str]) -> str:
    grams = [g for p in pieces for g in (bigrams(p) if is_cjk(p) else [p])]
    return f"{_COLUMNS} : {_quote(' '.join(grams))}"


def parse_query(q: str) -> ParsedQuery:
    """Compile a user query to an FTS5 MATCH expression (all words must match).

    Words only ever appear inside FTS5 string literals, so query text cannot
    inject FTS5 syntax (``OR``, ``NEAR``, column filters). As in Meilisearch,
    the last word is a prefix, ``"..."`` is a phrase and ``-word`` excludes.
    """
    chunks: list[tuple[bool, bool, list[str]]] = []
    words = 0
    for match in _CHUNK_RE.finditer(q):
        quoted = match.group(2) is not None
        negated = bool(match.group(1) if quoted else match.group(3))
        pieces = list(_pieces(fold(match.group(2) if quoted else match.group(4))))
        pieces = pieces[: max(0, MAX_QUERY_WORDS - words)]
        words += len(pieces)
        if pieces:
            chunks.append((negated, quoted, pieces))
    positive: list[str] = []
    negative: list[str] = []
    tokens: list[QueryToken] = []
    for index, (negated, quoted, pieces) in enumerate(chunks):
        last_chunk = index == len(chunks) - 1 and not quoted
        if quoted and len(pieces) > 1:
            clauses = [_phrase_clause(pieces)]
        else:
            clauses = [
                _word_clause(p, last_chunk and i == len(pieces) - 1 and not negated)
                for i, p in enumerate(pieces)
            ]
        if negated:
            negative.append(" AND ".join(clauses))
            continue
        positive.extend(clauses)
        tokens.extend(
            QueryToken(
                text=p,
                cjk=is_cjk(p),
                prefix=last_chunk and i == len(pieces) - 1,
            )
            for i, p in enumerate(pieces)
        )
    excluded = " OR ".join(f"({n})" for n in negative) if negative else None
    if not positive:
        return ParsedQuery(match=None, tokens=[], exclude=excluded)
    expr = " AND ".join(positive)
    if excluded:
        expr = f"({expr}) NOT ({excluded})"
    return ParsedQuery(match=expr, tokens=tokens)


def query_tokens(q: str) -> list[QueryToken]:
    """The positive words of a query, for highlighting."""
    return parse_query(q).tokens


# -- highlighting -------------------------------------------------------------

_WORD_CHAR_RE = re.compile(r"[^\W_]")


def _spans(
    folded: str, tokens: list[QueryToken], substrings: bool
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for token in tokens:
        anywhere = token.cjk or (substrings and len(token.text) >= MIN_PART)
        start = folded.find(token.text)
        while start != -1:
            end = start + len(token.text)
            at_word_start = start == 0 or not _WORD_CHAR_RE.match(folded[start - 1])
            at_word_end = end == len(folded) or not _WORD_CHAR_RE.match(folded[end])
            if anywhere or (at_word_start and (token.prefix or at_word_end)):
                if not anywhere and token.prefix:
                    while end < len(folded) and _WORD_CHAR_RE.match(folded[end]):
                        end += 1
                spans.append((start, end))
            start = folded.find(token.text, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(
    text: str,
    tokens: list[QueryToken],
    *,
    substrings: bool = False,
    crop: int | None = None,
) -> tuple[str, bool]:
    """HTML-escaped *text* with matches in ``<mark>``, optionally cropped.

    *crop* is the approximate number of characters kept around the first match
    (with ``…`` where text was cut). Returns the snippet and whether it marks
    anything.
    """
    folded, offsets = fold_with_offsets(text)
    spans = _spans(folded, tokens, substrings) if tokens else []
    if offsets is not None:
        spans = [(offsets[start], offsets[end - 1] + 1) for start, end in spans]
    lo, hi = 0, len(text)
    if crop is not None and len(text) > crop:
        first = spans[0][0] if spans else 0
        lo = max(0, first - crop // 3)
        hi = min(len(text), lo + crop)
        lo = max(0, hi - crop)
        while lo > 0 and not text[lo - 1].isspace() and lo > first - crop // 2:
            lo -= 1
        while hi < len(text) and not text[hi].isspace() and hi < lo + crop + 20:
            hi += 1
    parts: list[str] = ["…"] if lo > 0 else []
    cursor = lo
    for span_start, span_end in spans:
        if span_end <= lo or span_start >= hi:
            continue
        start, end = max(span_start, lo), min(span_end, hi)
        parts.append(html.escape(text[cursor:start], quote=False))
        marked_text = html.escape(text[start:end], quote=False)
        parts.append(MARK_OPEN + marked_text + MARK_CLOSE)
        cursor = end
    parts.append(html.escape(text[cursor:hi], quote=False))
    if hi < len(text):
        parts.append("…")
    marked = any(start < hi and end > lo for start, end in spans)
    return "".join(parts).strip(), marked
