"""How :class:`~content_hub.settings.Settings` is read from ``CONTENT_HUB_*``.

Every field of the settings Struct and of its sub-Structs is one environment
variable. A field declares itself with ``Annotated[type, Meta(...), Env(doc)]``:
msgspec's ``Meta`` holds the constraints, :class:`Env` the meaning (for the
README) and, when the default rule does not fit, the variable's name, a parser
or the documented default. The name is ``CONTENT_HUB_<SECTION>_<FIELD>`` for a
field of a sub-Struct (``events.buffer_size`` -> ``CONTENT_HUB_EVENTS_BUFFER_SIZE``)
and ``CONTENT_HUB_<FIELD>`` at the top level; ``Env(name=...)`` keeps a
historical name (``delivery.poll_interval`` -> ``CONTENT_HUB_POLL_INTERVAL``).

Text is decoded with msgspec (lax string-to-number conversion, then the
``Meta`` constraints); booleans accept ``1/0 true/false yes/no on/off`` and
nothing else; list types take comma-separated items. Every bad variable is
reported at once, each with its value and its allowed values, so a deployment
fails at start with a message that says what to fix. The README's
Configuration table is :func:`markdown_table` (a test keeps them equal).
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
import msgspec.inspect as mi

PREFIX = "CONTENT_HUB_"
IGNORED_PREFIXES = (PREFIX + "TEST_",)
"""Variables the test suite reads itself; not settings."""
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
_PASSWORD = re.compile(r"(://[^/@:\s]*:)[^@\s]*@")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Env:
    """How one settings field is read and documented (an ``Annotated`` marker).

    ``doc`` is the README's "meaning"; ``name`` overrides the derived variable
    name (without the prefix); ``parse`` turns the stripped text into the value
    msgspec then checks against the field's type and constraints (raise
    ``ValueError`` to refuse it); ``allowed`` and ``default`` override the
    allowed values and default that the README and errors would derive;
    ``fallback`` is the text used when the variable is unset, for a field the
    Struct requires; a ``secret`` value is never repeated in an error (URL
    passwords never are).
    """

    doc: str
    name: str | None = None
    parse: Callable[[str], object] | None = None
    allowed: str | None = None
    default: str | None = None
    fallback: str | None = None
    secret: bool = False


@dataclass(frozen=True)
class Var:
    """One settable field: where it lives and how it is read."""

    env: str
    section: str | None
    field: str
    annotation: Any
    spec: Env
    default: object

    @property
    def info(self) -> mi.Type:
        return mi.type_info(self.annotation)

    @property
    def allowed(self) -> str:
        return self.spec.allowed or describe(self.info)

    @property
    def default_text(self) -> str:
        if self.spec.default is not None:
            return self.spec.default
        if self.spec.fallback is not None:
            return f"`{self.spec.fallback}`"
        return format_default(self.default)


class SettingsError(ValueError):
    """One or more ``CONTENT_HUB_*`` variables have values that are not allowed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid settings:\n" + "\n".join(f"  {p}" for p in problems))


@functools.cache
def variables(settings_type: type[msgspec.Struct]) -> tuple[Var, ...]:
    """Every settable field of ``settings_type`` and its sub-Structs, in order."""
    found: list[Var] = []
    for section, field, annotation, default in _fields(settings_type):
        spec = _spec(annotation)
        if spec is None:
            raise TypeError(f"settings field {section}.{field} has no Env(...) marker")
        derived = f"{section}_{field}" if section else field
        env = PREFIX + (spec.name or derived).upper()
        found.append(Var(env, section, field, annotation, spec, default))
    names = [var.env for var in found]
    if len(set(names)) != len(names):
        raise TypeError(f"two settings share a variable name: {sorted(names)}")
    return tuple(found)


def _fields(
    cls: type[msgspec.Struct], section: str | None = None
) -> list[tuple[str | None, str, Any, object]]:
    hints = typing.get_type_hints(cls, include_extras=True)
    out: list[tuple[str | None, str, Any, object]] = []
    for field in msgspec.structs.fields(cls):
        annotation = hints[field.name]
        if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
            out += _fields(annotation, field.name)
            continue
        default = (
            field.default_factory()
            if field.default_factory is not msgspec.NODEFAULT
            else field.default
        )
        out.append((section, field.name, annotation, default))
    return out


def _spec(annotation: Any) -> Env | None:
    for extra in getattr(annotation, "__metadata__", ()):
        if isinstance(extra, Env):
            return extra
    return None


def decode_env(
    settings_type: type[msgspec.Struct], environ: Mapping[str, str]
) -> dict[str, Any]:
    """The values of every set variable, nested by section (``{"events": {...}}``).

    Unset or empty variables are left out (the field keeps its default), except
    those with a ``fallback``. Raises :class:`SettingsError` listing every
    variable whose value is not allowed.
    """
    known = variables(settings_type)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for var in known:
        raw = environ.get(var.env)
        text = (raw or "").strip() or var.spec.fallback
        if text is None:
            continue
        try:
            value = _decode(var, text)
        except (ValueError, msgspec.ValidationError) as exc:
            shown = "'<secret>'" if var.spec.secret else repr(_redact(raw or ""))
            problems.append(
                f"{var.env}={shown} is not allowed ({_redact(str(exc))}); "
                f"allowed: {var.allowed}"
            )
            continue
        target = values.setdefault(var.section, {}) if var.section else values
        target[var.field] = value
    if problems:
        raise SettingsError(problems)
    _warn_unknown(environ, [var.env for var in known])
    return values


def _decode(var: Var, text: str) -> object:
    info = _unwrap(var.info)
    value: object = text
    if var.spec.parse is not None:
        value = var.spec.parse(text)
    elif isinstance(info, mi.BoolType):
        value = _bool(text)
    elif isinstance(info, mi.ListType | mi.VarTupleType | mi.FrozenSetType):
        value = [item.strip() for item in text.split(",") if item.strip()]
    if isinstance(info, mi.CustomType):  # e.g. a Path: the parser made it
        return value
    return msgspec.convert(value, var.annotation, strict=False)


def _redact(text: str) -> str:
    """Hide the password of any URL in ``text`` (``scheme://user:***@host``)."""
    return _PASSWORD.sub(r"\1***@", text)


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError("not a boolean")


def _warn_unknown(environ: Mapping[str, str], names: list[str]) -> None:
    """A misspelt variable would silently keep the default: say so."""
    for key in environ:
        if key.startswith(PREFIX) and key not in names:
            if key.startswith(IGNORED_PREFIXES):
                continue
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            log.warning("%s is not a content hub setting%s", key, hint)


def _unwrap(info: mi.Type) -> mi.Type:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def describe(info: mi.Type) -> str:
    """The allowed values of a type and its constraints, in words."""
    info = _unwrap(info)
    if isinstance(info, mi.BoolType):
        return "1, 0, true, false, yes, no, on, off"
    if isinstance(info, mi.IntType | mi.FloatType):
        kind = "an integer" if isinstance(info, mi.IntType) else "a number"
        bounds = [
            f"{op} {format_number(limit)}"
            for op, limit in (
                (">", info.gt),
                (">=", info.ge),
                ("<", info.lt),
                ("<=", info.le),
            )
            if limit is not None
        ]
        return f"{kind} {' and '.join(bounds)}".strip()
    if isinstance(info, mi.StrType):
        text = "non-empty text" if info.min_length else "text"
        return f"{text} matching `{info.pattern}`" if info.pattern else text
    if isinstance(info, mi.LiteralType):
        return ", ".join(str(v) for v in info.values)
    if isinstance(info, mi.EnumType):
        return ", ".join(str(member.value) for member in info.cls)
    if isinstance(info, mi.ListType | mi.VarTupleType | mi.FrozenSetType):
        return f"comma-separated: {describe(info.item_type)}"
    if isinstance(info, mi.UnionType):
        parts = [describe(t) for t in info.types if not isinstance(t, mi.NoneType)]
        return " or ".join(parts) + (" (empty: unset)" if info.includes_none else "")
    raise TypeError(f"no description for settings type {info!r}")


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def format_default(value: object) -> str:
    if value is None or value is msgspec.NODEFAULT:
        return "unset"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, int | float):
        return f"`{format_number(value)}`"
    if isinstance(value, list | tuple | frozenset):
        return f"`{','.join(str(v) for v in value)}`" if value else "empty"
    return f"`{value}`"


def markdown_table(settings_type: type[msgspec.Struct]) -> str:
    """The README's Configuration table, one row per variable."""
    rows = [
        "| variable | default | allowed values | meaning |",
        "|---|---|---|---|",
    ]
    for var in variables(settings_type):
        cells = (f"`{var.env}`", var.default_text, var.allowed, var.spec.doc)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)
