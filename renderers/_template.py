"""Compiling, validating and rendering one template part in the sandbox."""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from jinja2 import Template, meta, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.parser import Parser
from jinja2.runtime import Context
from jinja2.visitor import NodeTransformer, NodeVisitor

from renderers._errors import (
    CompileError,
    MissingVariableError,
    RenderError,
    ResourceLimitError,
    SandboxViolationError,
    TemplateRuntimeError,
)
from renderers._limits import Limits
from renderers._sandbox import HubEnvironment

__all__ = ["GLOBALS", "CompiledPart", "compile_part", "environment"]

_ENVIRONMENTS = {True: HubEnvironment(html=True), False: HubEnvironment(html=False)}
GLOBALS: dict[str, Any] = dict(_ENVIRONMENTS[True].globals)
"""The environment globals (identical for both environments)."""
_TAGS = re.compile(r"\{[{%#]")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.:/-]")
_DISALLOWED = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)


def environment(html: bool) -> HubEnvironment:
    """The shared environment: autoescaping for HTML outputs, none for text."""
    return _ENVIRONMENTS[html]


_RUNTIME_OBJECTS = frozenset({"loop", "self", "caller", "super"})
"""Names of Jinja's own objects: usable by attribute or call (``loop.index``,
``caller()``), never as values (they would print as ``<LoopContext 1/3>``)."""


class _Checker(NodeVisitor):
    """Compile-time checks; also records dotted variable paths per line."""

    def __init__(self, env: HubEnvironment, limits: Limits, tree: nodes.Node) -> None:
        self.env = env
        self.limits = limits
        self.depth = 0
        self.paths: dict[int, list[str]] = {}
        self.objects = _RUNTIME_OBJECTS | {m.name for m in tree.find_all(nodes.Macro)}
        self.accessed: set[int] = set()

    def generic_visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Call):
            self.accessed.add(id(node.node))
        elif (
            isinstance(node, nodes.Name)
            and node.name in self.objects
            and node.ctx == "load"
            and id(node) not in self.accessed
        ):
            raise CompileError(
                f"{node.name!r} can only be called or used by attribute "
                f"(e.g. {node.name}.index or {node.name}()), not as a value",
                line=node.lineno,
            )
        if isinstance(node, _DISALLOWED):
            kind = type(node).__name__.lower()
            raise CompileError(
                f"{{% {kind} %}} is not allowed in templates", line=node.lineno
            )
        if isinstance(node, nodes.Filter | nodes.Test) and node.name is not None:
            known = self.env.filters if isinstance(node, nodes.Filter) else None
            known = known if known is not None else self.env.tests
            if node.name.startswith("_") or node.name not in known:
                kind = "filter" if isinstance(node, nodes.Filter) else "test"
                raise CompileError(f"unknown {kind} {node.name!r}", line=node.lineno)
        if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
            path = _path(node)
            if path:
                self.paths.setdefault(node.lineno, []).append(path)
        if isinstance(node, nodes.For):
            self.depth += 1
            if self.depth > self.limits.max_loop_depth:
                raise CompileError(
                    f"loops nested deeper than {self.limits.max_loop_depth}",
                    line=node.lineno,
                )
            super().generic_visit(node, *args, **kwargs)
            self.depth -= 1
            return None
        return super().generic_visit(node, *args, **kwargs)


def _path(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _path(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = _path(node.node)
        return f"{base}.{node.arg.value}" if base else None
    return None


def _wrap(node: nodes.Node, name: str) -> nodes.Expr:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class _Hardener(NodeTransformer):
    """Guards loops (iteration budget) and built values (size checks)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        node.iter = _wrap(node.iter, "_hub_iter")
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return _wrap(node, "_hub_value")

    def _check_literal(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":
            return node
        if all(isinstance(child, nodes.Const) for child in node.iter_child_nodes()):
            return node
        return _wrap(node, "_hub_value")

    def visit_List(self, node: nodes.List) -> nodes.Node:  # noqa: N802
        return self._check_literal(node)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:  # noqa: N802
        return self._check_literal(node)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:  # noqa: N802
        return self._check_literal(node)


class CompiledPart:
    """One compiled template part (e.g. an email's subject), ready to render."""

    __slots__ = (
        "_filename",
        "_paths",
        "_template",
        "constant",
        "html",
        "part",
        "reads",
        "template_id",
        "uses_clock",
    )

    def __init__(
        self,
        template: Template,
        *,
        template_id: str,
        part: str,
        html: bool,
        filename: str,
        paths: dict[int, list[str]],
        constant: str | None = None,
        reads: frozenset[str] = frozenset(),
        uses_clock: bool = False,
    ) -> None:
        self.constant = constant
        """The output when the source has no template tags (no render needed)."""
        self.reads = reads
        """The variables the source reads (``fields``, ``customer``, ...)."""
        self.uses_clock = uses_clock
        """Whether a filter depends on the time zone or the current time."""
        self._template = template
        self._filename = filename
        self._paths = paths
        self.template_id = template_id
        self.part = part
        self.html = html

    def render(self, variables: dict[str, Any], limits: Limits) -> str:
        """Render with the current scope's budgets; raise a ``RenderError``.

        ``variables`` must already hold :data:`GLOBALS` (the renderer adds them).
        """
        if self.constant is not None and len(self.constant) <= limits.max_output_chars:
            return self.constant
        template = self._template
        try:
            context = Context(
                template.environment, variables, None, template.blocks, GLOBALS
            )
            parts: list[str] = []
            size = 0
            cap = limits.max_output_chars
            for chunk in template.root_render_func(context):
                size += len(chunk)
                if size > cap:
                    raise ResourceLimitError(
                        f"output exceeds the limit of {cap} characters"
                    )
                parts.append(chunk)
            return "".join(parts)
        except Exception as exc:
            raise self._translate(exc) from None

    def _line(self, tb: TracebackType | None) -> int | None:
        line = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self._filename:
                line = self._template.get_corresponding_lineno(tb.tb_lineno)
            tb = tb.tb_next
        return line

    def _translate(self, exc: BaseException) -> RenderError:
        line = self._line(exc.__traceback__)
        tid, part = self.template_id, self.part
        if isinstance(exc, RenderError):
            exc.template_id, exc.part = tid, part
            if exc.line is None:
                exc.line = line
            return exc
        if isinstance(exc, SecurityError):
            return SandboxViolationError(
                str(exc), template_id=tid, line=line, part=part
            )
        if isinstance(exc, UndefinedError):
            variable = self._variable(str(exc), line)
            return MissingVariableError(
                f"{variable!r} is undefined and has no default ({exc})",
                variable=variable,
                template_id=tid,
                line=line,
                part=part,
            )
        if isinstance(exc, MemoryError | RecursionError | OverflowError):
            return ResourceLimitError(
                f"{type(exc).__name__}: {exc}", template_id=tid, line=line, part=part
            )
        return TemplateRuntimeError(
            f"{type(exc).__name__}: {exc}", template_id=tid, line=line, part=part
        )

    def _variable(self, message: str, line: int | None) -> str:
        match = re.search(r"'([^']+)' is undefined|attribute '([^']+)'", message)
        match = match or re.search(r"has no element (\S+)", message)
        name = next((g for g in match.groups() if g), "?") if match else "?"
        for path in self._paths.get(line or -1, ()):
            parts = path.split(".")
            if name in parts[1:] or parts[0] == name:
                return ".".join(parts[: parts.index(name) + 1])
        return name


_OPENING_TAGS = frozenset(
    {"if", "for", "macro", "call", "filter", "with", "block", "autoescape", "raw"}
)
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def _check_nesting(env: HubEnvironment, source: str, limit: int) -> None:
    """Refuse blocks and brackets nested deeper than ``limit``, with the line
    where the limit is passed, before the recursive parser and compiler meet
    them (a block ``set`` without ``=`` is counted as a block too)."""
    depth = 0
    expect_tag = False
    tag_tokens: list[str] = []
    for lineno, kind, value in env.lexer.tokeniter(source, None):
        if kind == "block_begin":
            expect_tag, tag_tokens = True, []
            continue
        if expect_tag and kind != "whitespace":
            tag_tokens.append(value)
            if kind == "block_end":
                expect_tag = False
                name = tag_tokens[0].strip() if tag_tokens else ""
                if name in _OPENING_TAGS or (name == "set" and "=" not in tag_tokens):
                    depth += 1
                elif name.startswith("end"):
                    depth -= 1
        if kind == "operator":
            if value in _BRACKETS:
                depth += 1
            elif value in _BRACKETS.values():
                depth -= 1
        if depth > limit:
            raise CompileError(
                f"blocks and brackets nested deeper than the limit of {limit}",
                line=lineno,
            )


_TOO_DEEP = (RecursionError, MemoryError, SyntaxError, OverflowError)
"""What Python's parser and compiler raise for input nested or chained too
deeply (``IndentationError`` is a ``SyntaxError``)."""


def compile_part(
    source: str,
    *,
    template_id: str,
    part: str,
    html: bool,
    limits: Limits,
) -> CompiledPart:
    """Parse, check and compile one template part; raise ``CompileError``."""
    try:
        return _compile(
            source, template_id=template_id, part=part, html=html, limits=limits
        )
    except TemplateSyntaxError as exc:
        raise CompileError(
            exc.message or "syntax error",
            template_id=template_id,
            line=exc.lineno,
            part=part,
        ) from None
    except CompileError as exc:
        exc.template_id, exc.part = template_id, part
        raise
    except _TOO_DEEP as exc:
        raise CompileError(
            "the template nests or chains expressions too deeply to compile "
            f"({type(exc).__name__}); split long chains of operators or filters",
            template_id=template_id,
            part=part,
        ) from None
    except Exception as exc:
        # Jinja folds constant expressions while compiling (``'a'.upper ~ ''``),
        # through the sandbox: what it refuses is a compile error, never a 500.
        line = getattr(exc, "lineno", None)
        raise CompileError(
            str(exc) or type(exc).__name__,
            template_id=template_id,
            line=line if isinstance(line, int) else None,
            part=part,
        ) from None


def _undeclared(env: HubEnvironment, tree: nodes.Template) -> frozenset[str]:
    """``meta.find_undeclared_variables`` without Jinja's optimizer.

    Its code generator folds constants whatever the environment says, and the
    optimizer is cubic in a chain's length (``fields.title.title…``,
    ``x|lower|lower…``, ``1 + 1 + …``): a 3,000-character template took 213 s
    to save. The hub's environment turns it off for compiling too.
    """
    codegen = meta.TrackingCodeGenerator(env)
    codegen.optimizer = None
    codegen.visit(tree)
    return frozenset(codegen.undeclared_identifiers)


def _compile(
    source: str, *, template_id: str, part: str, html: bool, limits: Limits
) -> CompiledPart:
    env = environment(html)
    filename = f"<template {_SAFE_ID.sub('_', template_id)[:100]}:{part}>"
    _check_nesting(env, source, limits.max_nesting_depth)
    tree = Parser(env, source, name=None, filename=filename).parse()
    checker = _Checker(env, limits, tree)
    checker.visit(tree)
    reads = _undeclared(env, tree)
    uses_clock = any(f.name in CLOCK_FILTERS for f in tree.find_all(nodes.Filter))
    tree = _Hardener().visit(tree)
    code = env.compile(tree, name=None, filename=filename)
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return CompiledPart(
        template,
        template_id=template_id,
        part=part,
        html=html,
        filename=filename,
        paths=checker.paths,
        constant=None if _TAGS.search(source) else source,
        reads=reads,
        uses_clock=uses_clock,
    )


RECIPIENT_FREE_NAMES = frozenset(
    {"fields", "locale", "lang", "dir", "text_direction", *GLOBALS}
)
"""Template variables that are the same for every recipient of one render of
an entry's variant in one locale."""
CLOCK_FILTERS = frozenset({"date", "datetime", "time", "timedelta", "relative_time"})
"""Filters whose output depends on the time zone or the current time."""
