"""HTML as plain text for the text parts: email text, push, SMS, in-app cards.

What a reader of the HTML would see, laid out with characters only: block
elements end lines (paragraphs, headings, lists and tables are separated by a
blank line), list items get ``- `` or their number, nested lists are
indented, quotes are prefixed with ``> ``, a link keeps its text followed by
its address in parentheses (``Terms (https://...)``; a link whose text is the
address is written once), an image gives its alt text, ``<pre>`` keeps its
line breaks, whitespace elsewhere collapses as a browser collapses it, and
entities are decoded. No tag survives: the input is sanitised with nh3
first, so scripts and styles are gone with their content and the parser only
ever sees well-formed markup (one linear pass).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

__all__ = ["html_to_text", "sanitise"]

_PARAGRAPH = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "dl"}
    | {"figure", "hr", "details", "address", "center", "hgroup"}
)
"""Blocks separated from their neighbours by a blank line."""
_LINE = frozenset(
    {"div", "li", "tr", "dt", "dd", "caption", "figcaption", "summary", "article"}
    | {"aside", "footer", "header", "nav", "section", "thead", "tbody", "tfoot"}
)
"""Blocks that start and end a line."""
_LISTS = frozenset({"ul", "ol"})
_CELLS = frozenset({"td", "th"})
_LINKED = ("http://", "https://", "mailto:", "tel:")
_SPACE = re.compile(r"[ \t\n\r\f]+")
_PRE_LINES = re.compile(r"\r\n?|\n")


_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "textarea", "title", "select"}
    | {"option", "iframe", "object", "embed", "applet", "svg", "math", "head"}
    | {"frame", "frameset", "noframes", "noembed", "xmp", "plaintext"}
)
"""Removed with everything inside: what they hold is script, markup parsed as
text (``<textarea><p>`` would print a literal ``<p>``) or never shown."""


def sanitise(html: str) -> str:
    """nh3's allow-list of tags, attributes and URL schemes; the elements
    above go with their content."""
    return nh3.clean(html, clean_content_tags=_DROPPED_WITH_CONTENT)


def html_to_text(html: str) -> str:
    """Plain text of ``html`` (sanitised first; see the module docstring)."""
    writer = _TextWriter()
    writer.feed(sanitise(html))
    writer.close()
    return writer.text()


class _TextWriter(HTMLParser):
    """Writes text as the parser streams through the markup (linear)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pending = 0
        """Newlines owed before the next text (a block ended or started)."""
        self.trailing = 0
        """Newlines at the end of ``out``."""
        self.line_open = False
        """Whether the current line has text (else the next text is a line start)."""
        self.space = False
        """A collapsed space is owed before the next text on this line."""
        self.lists: list[list[int]] = []
        """Open lists: [ordered (0/1), next number]."""
        self.marker: str | None = None
        """The list marker the next line starts with."""
        self.quotes = 0
        self.pre = 0
        self.links: list[tuple[str, int]] = []
        """Open links: (address to show, index in ``out`` where the text began)."""
        self.cell = 0

    # -- output -------------------------------------------------------------

    def block(self, newlines: int) -> None:
        self.pending = max(self.pending, newlines)
        self.space = False

    def write(self, text: str) -> None:
        if not text:
            return
        if self.pending and self.out:
            missing = self.pending - self.trailing
            if missing > 0:
                self.out.append("\n" * missing)
            self.line_open = False
        self.pending = 0
        if not self.line_open:
            prefix = "> " * self.quotes
            if self.marker is not None:
                prefix += "  " * (len(self.lists) - 1) + self.marker
                self.marker = None
            else:
                prefix += "  " * len(self.lists)
            if prefix:
                self.out.append(prefix)
            self.line_open = True
        elif self.space:
            self.out.append(" ")
        self.space = False
        self.out.append(text)
        self.trailing = 0

    def newline(self) -> None:
        """A hard line break (``<br>``, a line of ``<pre>``)."""
        if not self.out:
            return
        self.out.append("\n")
        self.trailing += 1
        self.line_open = False
        self.space = False

    def text(self) -> str:
        lines = "".join(self.out).split("\n")
        return "\n".join(line.rstrip() for line in lines).strip("\n")

    # -- parser callbacks ---------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LISTS:
            self.block(1 if self.lists else 2)
            start = dict(attrs).get("start") if tag == "ol" else None
            number = int(start) if start and start.isdigit() else 1
            self.lists.append([int(tag == "ol"), number])
        elif tag == "li":
            self.block(1)
            if self.lists:
                kind = self.lists[-1]
                self.marker = f"{kind[1]}. " if kind[0] else "- "
                kind[1] += 1
        elif tag in _PARAGRAPH or tag in _LINE:
            self.block(2 if tag in _PARAGRAPH else 1)
            if tag == "blockquote":
                self.quotes += 1
            elif tag == "pre":
                self.pre += 1
            elif tag == "hr":
                self.write("----")
                self.block(2)
            elif tag == "tr":
                self.cell = 0
        elif tag == "br":
            self.newline()
        elif tag in _CELLS:
            if self.cell and self.line_open:
                self.out.append(" | ")
                self.space = False
            self.cell += 1
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            shown = href if href.lower().startswith(_LINKED) else ""
            self.links.append((shown, len(self.out)))
        elif tag == "img":
            alt = _SPACE.sub(" ", dict(attrs).get("alt") or "").strip()
            if alt:
                self.write(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _LISTS:
            if self.lists:
                self.lists.pop()
            self.block(1 if self.lists else 2)
        elif tag == "li":
            self.block(1)
        elif tag in _PARAGRAPH or tag in _LINE:
            if tag == "blockquote" and self.quotes:
                self.quotes -= 1
            elif tag == "pre" and self.pre:
                self.pre -= 1
            self.block(2 if tag in _PARAGRAPH else 1)
        elif tag == "a" and self.links:
            self.end_link(*self.links.pop())

    def end_link(self, shown: str, began: int) -> None:
        if not shown:
            return
        address = (
            shown.split(":", 1)[1] if shown.startswith(("mailto:", "tel:")) else shown
        )
        text = "".join(self.out[began:]).strip()
        if text in (shown, address):
            return
        if text:
            self.space = True
        self.write(f"({address})" if text else address)

    def handle_data(self, data: str) -> None:
        if self.pre:
            for i, line in enumerate(_PRE_LINES.split(data)):
                if i:
                    self.newline()
                self.write(line)
            return
        collapsed = _SPACE.sub(" ", data)
        if collapsed.startswith(" ") and self.line_open:
            self.space = True
        words = collapsed.strip(" ")
        if words:
            self.write(words)
            if collapsed.endswith(" "):
                self.space = True
