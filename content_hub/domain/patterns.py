"""``validations.pattern``: editors' regular expressions, run in linear time.

A content type's pattern is checked against every value saved for its field.
Python's backtracking ``re`` takes exponential time on patterns such as
``(a+)+$`` (one 30-character value stalled a worker for minutes), so
patterns run on RE2, whose matching time is linear in the value for every
pattern it accepts. RE2 refuses what only backtracking can do (lookarounds,
backreferences, possessive quantifiers): such a pattern, an invalid one and
one that compiles to more than :data:`MAX_PROGRAM` instructions (the linear
factor) are refused when the content type is saved, naming the field.

The syntax is Python's ``re`` as far as RE2 has it (``\\d``, ``\\w`` and ``\\b`` are
ASCII); ``\\Z``, ``\\uXXXX`` and ``\\UXXXXXXXX`` are translated. The whole value
must match (``fullmatch``).
"""

from __future__ import annotations

import functools

import re2

__all__ = ["MAX_PROGRAM", "Pattern", "PatternRefused", "compile_pattern"]

MAX_PROGRAM = 2000
"""RE2 instructions a pattern may compile to (``[a-z0-9-]+``: 8; an e-mail
check with counted repetitions ``{1,64}@...{1,255}``: about 1,500). Bounded,
the worst full match of a 200,000-character value stays around 0.05 s."""
_MAX_MEM = 1 << 20
"""RE2's memory per pattern (program and DFA cache); full matches need little."""
_HEX = frozenset("0123456789abcdefABCDEF")


class PatternRefused(ValueError):
    """RE2 cannot run the pattern: the reason is the message."""


class Pattern:
    """A compiled ``validations.pattern``: :meth:`matches` is a full match."""

    __slots__ = ("_set", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        options = re2.Options()
        options.log_errors = False
        options.max_mem = _MAX_MEM
        translated = _translate(source)
        try:
            program = re2.compile(translated, options).programsize
        except re2.error as exc:
            raise PatternRefused(_reason(exc, translated)) from None
        if program > MAX_PROGRAM:
            raise PatternRefused(
                f"pattern is too complex ({program} RE2 instructions, "
                f"at most {MAX_PROGRAM})"
            )
        # A set answers "does it match" without computing submatch positions.
        self._set = re2.Set.FullMatchSet(options)
        self._set.Add(translated)
        self._set.Compile()

    def matches(self, value: str) -> bool:
        """Whether all of ``value`` matches."""
        return self._set.Match(value.encode("utf-8", "surrogatepass")) is not None


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> Pattern | str:
    """The pattern, or why it is refused (a string: no traceback kept)."""
    try:
        return Pattern(source)
    except PatternRefused as exc:
        return str(exc)


def compile_pattern(source: str) -> Pattern:
    """The compiled pattern (cached); raises :class:`PatternRefused`."""
    found = _compiled(source)
    if isinstance(found, str):
        raise PatternRefused(found)
    return found


def _reason(exc: re2.error, source: str) -> str:
    """RE2's message, in words an editor knows for what RE2 leaves out."""
    raw = exc.args[0] if exc.args else exc
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if "invalid perl operator: (?=" in text or "invalid perl operator: (?!" in text:
        return "lookahead assertions are not supported (linear-time RE2 syntax)"
    if "invalid perl operator: (?<" in text:
        return "lookbehind assertions are not supported (linear-time RE2 syntax)"
    if ("invalid perl operator: (?P" in text and "(?P=" in source) or (
        "invalid escape sequence: \\" in text and text[-1:].isdigit()
    ):
        return "backreferences are not supported (linear-time RE2 syntax)"
    if "bad repetition operator: " in text and text.endswith(("++", "*+", "?+")):
        return "possessive quantifiers are not supported (linear-time RE2 syntax)"
    return f"invalid regular expression: {text}"


def _translate(source: str) -> str:
    """Python escapes RE2 spells differently: ``\\Z``, ``\\uXXXX``, ``\\UXXXXXXXX``."""
    if "\\" not in source:
        return source
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c != "\\" or i + 1 == n:
            out.append(c)
            i += 1
            continue
        e = source[i + 1]
        width = {"u": 4, "U": 8}.get(e, 0)
        digits = source[i + 2 : i + 2 + width]
        if width and len(digits) == width and set(digits) <= _HEX:
            out.append(f"\\x{{{digits}}}")
            i += 2 + width
        elif e == "Z":
            out.append("\\z")
            i += 2
        else:
            out.append(source[i : i + 2])
            i += 2
    return "".join(out)
