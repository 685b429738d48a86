"""Compile-time preparation of an email's HTML template, and per-render checks.

MJML is converted to HTML **once per template**: Jinja tags are swapped for
placeholders mrml passes through (statements between elements become HTML
comments, which stay in place even inside ``<table>``), then swapped back. The
``lang``/``dir`` attributes and the hidden preheader block are woven in as Jinja
expressions, so none of this costs anything per render. A Jinja comment made of
newlines is put before each restored tag so error line numbers still point into
the editor's source.

CSS inlining (css-inline, no remote fetches, media queries kept):

* ``render``: after every render (the notes' rule; always correct, ~1 ms);
* ``compile``: once per template, ``<style>`` kept for the clients that read it;
  refused when the CSS depends on the render (tags in ``<style>``, dynamic
  ``class``/``id``/``style`` attributes, structural or attribute selectors);
* ``auto`` (default): ``compile`` when those checks pass, else ``render``; a
  render that inserts HTML (a ``Markup`` field) styles it too: when every
  selector is a simple one (no combinator, pseudo-class or at-rule outside
  ``@media``), only the inserted fragment is inlined, once per distinct value
  (:func:`fragment_css`), since no rule can then depend on the document
  around it; otherwise the whole document is inlined again.
"""

from __future__ import annotations

import re

import css_inline
import mrml
import re2

from renderers._errors import CompileError

__all__ = [
    "find_images_without_alt",
    "fragment_css",
    "make_inliner",
    "prepare_email_html",
]

# Patterns that scan a template or its output (both editor-controlled) run on
# RE2: linear time, where ``re`` backtracks quadratically on ``{{ {{ {{ ...``
# or ``<html <html ...`` (measured: 0.4 s for 30 KB, growing with the square).
_JINJA = re2.compile(r"(?s)\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_PLACEHOLDER = re.compile(r"<!--JJ(\d{5})JJ-->|JJ(\d{5})JJ")
_TAG_OPEN = re.compile(r"<[A-Za-z!/]")
_STYLE_BLOCK = re2.compile(r"(?is)<style\b[^>]*>(.*?)</style>")
_DYNAMIC_ATTR = re.compile(r"\b(?:class|id|style)\s*=\s*[\"'][^\"']*JJ\d{5}JJ", re.I)
_STRUCTURAL = re.compile(r":(?:first|last|nth|only)-|:empty|:not\(|:has\(|\[|[+~]")
_BODY_OPEN = re2.compile(r"(?i)<body\b[^>]*>")
_HTML_OPEN = re2.compile(r"(?i)<html\b([^>]*)>")
_MJML_OPEN = re2.compile(r"(?i)<mjml\b([^>]*)>")
_IMG = re2.compile(r"<(?:img|IMG|Img)\b[^>]*>")
_SELECTORS = re2.compile(r"([^{}]+)\{")
_IMG_ALT = re.compile(r"\s(?:alt|ALT)\s*=")
_IMG_SRC = re.compile(r"\ssrc\s*=\s*[\"']?([^\"'\s>]*)", re.I)

_PREHEADER = (
    "{% if preheader %}"
    '<div style="display:none;font-size:1px;line-height:1px;max-height:0;'
    'max-width:0;opacity:0;overflow:hidden;mso-hide:all" aria-hidden="true">'
    "{{ preheader }}{{ preheader_padding }}</div>"
    "{% endif %}"
)
PREHEADER_PADDING = "\u034f\u00a0" * 60
"""Keeps the start of the body text out of the inbox preview after a short
preheader (a combining grapheme joiner and a no-break space, repeated)."""


def make_inliner(*, keep_style_tags: bool = False) -> css_inline.CSSInliner:
    """css-inline as the notes require: no remote fetches, media queries kept."""
    return css_inline.CSSInliner(
        keep_at_rules=True,
        load_remote_stylesheets=False,
        minify_css=True,
        keep_style_tags=keep_style_tags,
    )


def _protect(source: str) -> tuple[str, list[tuple[str, int]]]:
    """Swap Jinja tags for placeholders; remember each tag and its line."""
    out: list[str] = []
    tokens: list[tuple[str, int]] = []
    position = 0
    line = 1
    in_tag = False
    for match in _JINJA.finditer(source):
        between = source[position : match.start()]
        in_tag = _scan_tag_state(between, in_tag)
        line += between.count("\n")
        text = match.group(0)
        index = len(tokens)
        tokens.append((text, line))
        line += text.count("\n")
        statement = not text.startswith("{{")
        if statement and not in_tag:
            out.append(f"{between}<!--JJ{index:05d}JJ-->")
        else:
            out.append(f"{between}JJ{index:05d}JJ")
        position = match.end()
    out.append(source[position:])
    return "".join(out), tokens


def _scan_tag_state(text: str, in_tag: bool) -> bool:
    index = 0
    while True:
        if in_tag:
            close = text.find(">", index)
            if close < 0:
                return True
            in_tag, index = False, close + 1
        else:
            match = _TAG_OPEN.search(text, index)
            if match is None:
                return False
            in_tag, index = True, match.end()


def _restore(html: str, tokens: list[tuple[str, int]]) -> str:
    out: list[str] = []
    position = 0
    line = 1
    for match in _PLACEHOLDER.finditer(html):
        before = html[position : match.start()]
        line += before.count("\n")
        text, original = tokens[int(match.group(1) or match.group(2))]
        out.append(before)
        if original > line:
            out.append("{#" + "\n" * (original - line) + "#}")
            line = original
        out.append(text)
        line += text.count("\n")
        position = match.end()
    out.append(html[position:])
    return "".join(out)


def _check_static_css(html: str) -> None:
    for block in _STYLE_BLOCK.findall(html):
        if "JJ" in block and re.search(r"JJ\d{5}JJ", block):
            raise CompileError(
                "inline_css='compile' needs <style> blocks without template tags"
            )
        rules = _MEDIA.sub("", block)
        selectors = " ".join(_SELECTORS.findall(rules))
        if _STRUCTURAL.search(selectors):
            raise CompileError(
                "inline_css='compile' cannot inline structural or attribute "
                "selectors (:first-child, :nth-child, [attr], +, ~) ahead of the "
                "render; use inline_css='render'"
            )
    if _DYNAMIC_ATTR.search(html):
        raise CompileError(
            "inline_css='compile' needs static class, id and style attributes"
        )


_MEDIA = re2.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")
_SIMPLE_SELECTOR = re.compile(r"^[A-Za-z0-9_*.#-]+$")


def fragment_css(html: str) -> str | None:
    """The CSS of ``html``'s ``<style>`` blocks when inlining it into an
    inserted fragment alone gives what inlining the whole document would:
    every selector outside ``@media`` is a simple one (type, class, id and
    their compounds). ``None`` when a rule could depend on the document
    around the fragment (descendant or sibling combinators, pseudo-classes,
    other at-rules)."""
    blocks = _STYLE_BLOCK.findall(html)
    css = "\n".join(blocks)
    rules = _MEDIA.sub("", css)
    rules = re.sub(r"/\*.*?\*/", "", rules, flags=re.S)
    if "@" in rules:
        return None
    for selectors in _SELECTORS.findall(rules):
        for selector in selectors.split(","):
            if not _SIMPLE_SELECTOR.match(selector.strip()):
                return None
    return css


def _add_lang_dir(html: str, match: re.Match[str]) -> str:
    attrs = match.group(1)
    extra = ""
    if re.search(r"\blang\s*=", attrs) is None:
        extra += ' lang="JJLANGJJ"'
    if re.search(r"\bdir\s*=", attrs) is None:
        extra += ' dir="JJDIRJJ"'
    end = match.end() - 1
    if html[end - 1] == "/":
        end -= 1
    return html[:end] + extra + html[end:]


def prepare_email_html(
    source: str, *, mjml_source: bool, inline_css: str
) -> tuple[str, bool]:
    """The Jinja source of the email HTML (MJML converted, lang/dir and the
    preheader woven in, CSS inlined ahead when it can be) and whether the CSS
    was inlined ahead of the render."""
    protected, tokens = _protect(source)
    if mjml_source:
        match = _MJML_OPEN.search(protected)
        if match is None:
            raise CompileError("an MJML template must start with <mjml>")
        protected = _add_lang_dir(protected, match)
        try:
            html = str(mrml.to_html(protected).content)
        except Exception as exc:  # mrml raises OSError for any parse error
            raise CompileError(f"MJML could not be converted: {exc}") from None
        # mrml writes its defaults as direction:ltr / text-align:left; follow the
        # render locale instead so Arabic or Hebrew read right to left.
        # The generated <head> spans dozens of lines: fold it into one so the
        # line numbers of the body's template tags can be kept as the editor's.
        head, body_tag, rest = html.partition("<body")
        html = head.replace("\n", " ") + body_tag + rest
        html = html.replace("direction:ltr", "direction:JJDIRJJ")
        html = html.replace("text-align:left", "text-align:JJSTARTJJ")
    else:
        html = protected
        match = _HTML_OPEN.search(html)
        if match is not None:
            html = _add_lang_dir(html, match)
    inlined = False
    if inline_css in ("compile", "auto"):
        try:
            _check_static_css(html)
        except CompileError:
            if inline_css == "compile":
                raise
        else:
            html = make_inliner(keep_style_tags=True).inline(html)
            inlined = True
    body = _BODY_OPEN.search(html)
    if body is not None:
        html = html[: body.end()] + "JJPREHEADERJJ" + html[body.end() :]
    html = _restore(html, tokens)
    html = html.replace("JJLANGJJ", "{{ lang }}").replace("JJDIRJJ", "{{ dir }}")
    html = html.replace("JJSTARTJJ", "{{ 'right' if dir == 'rtl' else 'left' }}")
    return html.replace("JJPREHEADERJJ", _PREHEADER), inlined


def find_images_without_alt(html: str) -> list[str]:
    """``src`` of every ``<img>`` with no ``alt`` attribute (``alt=""`` is fine:
    it marks a decorative image)."""
    if "<img" not in html and "<IMG" not in html:
        return []
    missing: list[str] = []
    for tag in _IMG.findall(html):
        if _IMG_ALT.search(tag) is None:
            src = _IMG_SRC.search(tag)
            missing.append(src.group(1) if src else "")
    return missing
