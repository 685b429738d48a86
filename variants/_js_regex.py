"""GrowthBook's ``$regex`` / ``$regexi`` on RE2: linear time, whatever the pattern.

A condition's pattern comes from an audience or rule an editor saved, and it
is run against a customer attribute on every render that reaches the rule.
Python's backtracking ``re`` takes exponential time on patterns such as
``(a+)+$``, so one saved pattern could stall a worker for minutes. RE2 runs in
time linear in the input for any pattern it accepts; it refuses what needs
backtracking (lookarounds, backreferences), and such a condition never
matches (as an invalid pattern does in the JavaScript SDK).

The JavaScript syntax is translated to RE2's where they differ (``\\uXXXX``,
``\\cX``, ``\\s``, ``.``, ``[]``, ``[^]``, ``(?<name>``); what RE2 cannot
express is refused, never approximated by a slower engine. Patterns whose
compiled program is larger than :data:`MAX_PROGRAM` instructions are refused
too: the linear factor grows with the program, and a bounded program keeps a
100,000-character attribute well under a second.
"""

from __future__ import annotations

import re2

__all__ = ["MAX_PROGRAM", "JsRegex", "js_regex", "js_regex_problem"]

MAX_PROGRAM = 1000
"""RE2 instructions a condition pattern may compile to (``(Mobile|Tablet)``: 12)."""
_MAX_MEM = 8 << 20
"""RE2's memory budget per pattern (program and DFA cache): its default."""
_CACHE_LIMIT = 4096

_JS_SPACE = (
    r"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}"
    r"\x{202F}\x{205F}\x{3000}\x{FEFF}"
)
"""JavaScript's ``\\s`` (RE2's is ASCII only)."""
_JS_DOT = r"[^\n\r\x{2028}\x{2029}]"
"""JavaScript's ``.``: anything but a line terminator (RE2's excludes ``\\n`` only)."""
_ANY = r"[\x00-\x{10FFFF}]"
_HEX = frozenset("0123456789abcdefABCDEF")


class RegexRefused(ValueError):
    """RE2 cannot run the pattern (invalid, backtracking-only or too large)."""


class JsRegex:
    """A compiled ``new RegExp(source[, "i"])`` answering ``.test(text)``."""

    __slots__ = ("_set", "source")

    def __init__(self, source: str, insensitive: bool) -> None:
        self.source = source
        options = _options(insensitive)
        translated = translate(source)
        try:
            program = re2.compile(translated, options).programsize
        except re2.error as exc:
            raise RegexRefused(_reason(exc)) from None
        if program > MAX_PROGRAM:
            raise RegexRefused(
                f"the pattern is too complex ({program} RE2 instructions, "
                f"at most {MAX_PROGRAM})"
            )
        # A Set answers "is there a match" without the submatch positions a
        # search computes: about five times faster, and it never backtracks.
        self._set = re2.Set.SearchSet(options)
        self._set.Add(translated)
        self._set.Compile()

    def test(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text`` (``RegExp.test``)."""
        # surrogatepass: a lone surrogate (possible in a Python str) is bytes
        # RE2 treats as invalid UTF-8, never an exception on the render path.
        return self._set.Match(text.encode("utf-8", "surrogatepass")) is not None


def _options(insensitive: bool) -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = _MAX_MEM
    options.case_sensitive = not insensitive
    return options


def _reason(exc: re2.error) -> str:
    raw = exc.args[0] if exc.args else exc
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if "invalid perl operator: (?=" in text or "invalid perl operator: (?!" in text:
        return "lookahead assertions are not supported (RE2)"
    if "(?<=" in text or "(?<!" in text:
        return "lookbehind assertions are not supported (RE2)"
    if "invalid escape sequence: \\k" in text or (
        "invalid escape sequence: \\" in text and text[-1:].isdigit()
    ):
        return "backreferences are not supported (RE2)"
    return text


_CACHE: dict[tuple[str, bool], JsRegex | None] = {}


def js_regex(pattern: str, insensitive: bool = False) -> JsRegex | None:
    """The compiled pattern, or None when RE2 refuses it (never matches).

    Compiled once per (pattern, flag) and kept: the render path only tests.
    """
    key = (pattern, insensitive)
    try:
        return _CACHE[key]
    except KeyError:
        pass
    try:
        compiled: JsRegex | None = JsRegex(pattern, insensitive)
    except RegexRefused:
        compiled = None
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = compiled
    return compiled


def js_regex_problem(pattern: str, insensitive: bool = False) -> str | None:
    """Why the pattern cannot be used, for the editor; None when it can."""
    try:
        JsRegex(pattern, insensitive)
    except RegexRefused as exc:
        return str(exc)
    return None


def translate(source: str) -> str:
    """JavaScript (no ``u`` flag) regular-expression syntax as RE2 syntax.

    One pass over the source (escapes taken in pairs, character classes
    tracked); anything RE2 then rejects is refused by the caller.
    """
    out: list[str] = []
    i, n = 0, len(source)
    in_class = False
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n:
            step, text = _escape(source, i, in_class)
            out.append(text)
            i += step
            continue
        if in_class:
            in_class = c != "]"
            out.append(c)
        elif c == "[":
            if source.startswith("[^]", i):
                out.append(_ANY)
                i += 3
                continue
            if source.startswith("[]", i):
                out.append(f"[^{_ANY[1:]}")
                i += 2
                continue
            in_class = True
            out.append(c)
            if source.startswith("[^", i):
                out.append("^")
                i += 1
        elif c == ".":
            out.append(_JS_DOT)
        elif source.startswith("(?<", i) and source[i + 3 : i + 4] not in ("=", "!"):
            out.append("(?P<")
            i += 3
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _escape(source: str, i: int, in_class: bool) -> tuple[int, str]:
    """(characters consumed, RE2 text) for the escape at ``source[i]``."""
    e = source[i + 1]
    if e == "u" and len(source) >= i + 6 and set(source[i + 2 : i + 6]) <= _HEX:
        return 6, f"\\x{{{source[i + 2 : i + 6]}}}"
    if e == "c" and i + 2 < len(source) and source[i + 2].isascii():
        letter = source[i + 2]
        if letter.isalpha():
            return 3, f"\\x{{{ord(letter) % 32:02X}}}"
    if e == "s":
        return 2, _JS_SPACE if in_class else f"[{_JS_SPACE}]"
    if e == "S" and not in_class:
        return 2, f"[^{_JS_SPACE}]"
    return 2, source[i : i + 2]
