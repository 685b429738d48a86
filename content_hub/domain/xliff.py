"""XLIFF 2.1 documents (OASIS XLIFF Version 2.1, core namespace
``urn:oasis:names:tc:xliff:document:2.0``) for translation agencies.

One ``<file>`` per document, one ``<unit>`` per entry field
(``e.<entry>.<field>``) or variant override (``v.<entry>.<variant>.<field>``),
one ``<segment>`` per unit. Values travel as text: rich text (HTML, markdown)
and placeholders (``{{ name }}``) are escaped character data inside
``<source>``/``<target>`` (``xml:space="preserve"``), so they come back
byte for byte. Each unit carries the hash of the source value it was
exported from in ``<note category="content-hub:source-hash">``; an import
compares it with the current source (see ``services.xliff``).

Parsing refuses DTDs and entities (no XXE, no billion laughs) and anything
that is not XLIFF 2.x.
"""

from __future__ import annotations

import re

import msgspec
from lxml import etree

NS = "urn:oasis:names:tc:xliff:document:2.0"
HASH_NOTE = "content-hub:source-hash"
_Q = f"{{{NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ID = re.compile(r"^e\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{1,64})$")
_VARIANT_ID = re.compile(
    r"^v\.([A-Za-z0-9_-]{1,32})\.([a-z][a-z0-9_-]{0,63})\.([A-Za-z0-9_-]{1,64})$"
)


class XliffError(ValueError):
    """The document is not an XLIFF 2 file this hub can read."""


class Unit(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: str
    field: str
    source: str
    target: str | None
    source_hash: str | None
    name: str = ""
    variant: str | None = None
    """A variant's override of ``field`` (``None``: the entry's own value)."""

    @property
    def id(self) -> str:
        if self.variant is not None:
            return f"v.{self.entry_id}.{self.variant}.{self.field}"
        return f"e.{self.entry_id}.{self.field}"


class Document(msgspec.Struct, frozen=True, kw_only=True):
    source_locale: str
    target_locale: str
    units: list[Unit]


def unit_key(unit_id: str) -> tuple[str, str | None, str] | None:
    """(entry id, variant or ``None``, field) of a unit id this hub wrote."""
    match = _ID.match(unit_id)
    if match is not None:
        return match.group(1), None, match.group(2)
    match = _VARIANT_ID.match(unit_id)
    if match is not None:
        return match.group(1), match.group(2), match.group(3)
    return None


def write(doc: Document) -> bytes:
    """The XLIFF 2.1 document of ``doc``."""
    root = etree.Element(
        _Q + "xliff",
        nsmap={None: NS},
        attrib={
            "version": "2.1",
            "srcLang": doc.source_locale,
            "trgLang": doc.target_locale,
        },
    )
    file_el = etree.SubElement(root, _Q + "file", id="content-hub")
    for unit in doc.units:
        unit_el = etree.SubElement(file_el, _Q + "unit", id=unit.id)
        if unit.name:
            unit_el.set("name", unit.name)
        if unit.source_hash is not None:
            notes = etree.SubElement(unit_el, _Q + "notes")
            note = etree.SubElement(notes, _Q + "note", category=HASH_NOTE)
            note.text = unit.source_hash
        segment = etree.SubElement(unit_el, _Q + "segment")
        segment.set("state", "initial" if unit.target is None else "translated")
        source = etree.SubElement(segment, _Q + "source")
        source.set(_XML_SPACE, "preserve")
        source.text = unit.source
        if unit.target is not None:
            target = etree.SubElement(segment, _Q + "target")
            target.set(_XML_SPACE, "preserve")
            target.text = unit.target
    out: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return out


def _text(element: etree._Element | None) -> str | None:
    """Character data of ``element``; inline markup is refused (this hub
    writes none: markup travels escaped)."""
    if element is None:
        return None
    if len(element):
        raise XliffError(
            f"inline elements in <{etree.QName(element).localname}> are not "
            "supported: keep markup as text"
        )
    return element.text or ""


def read(data: bytes) -> tuple[Document, list[tuple[str, str]]]:
    """The document and, per unit that could not be read, (unit id, why)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"not well-formed XML: {exc}") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise XliffError("a DOCTYPE is not allowed")
    if root.tag != _Q + "xliff" or not str(root.get("version", "")).startswith("2."):
        raise XliffError(f"not an XLIFF 2 document (root <{root.tag}>)")
    src, trg = root.get("srcLang"), root.get("trgLang")
    if not src or not trg:
        raise XliffError("srcLang and trgLang are required")
    units: list[Unit] = []
    bad: list[tuple[str, str]] = []
    for unit_el in root.iter(_Q + "unit"):
        uid = str(unit_el.get("id", ""))
        key = unit_key(uid)
        if key is None:
            bad.append((uid, "not a unit id this hub exported"))
            continue
        segments = unit_el.findall(_Q + "segment")
        if len(segments) != 1:
            bad.append((uid, "a unit must have exactly one segment"))
            continue
        try:
            source = _text(segments[0].find(_Q + "source"))
            target = _text(segments[0].find(_Q + "target"))
        except XliffError as exc:
            bad.append((uid, str(exc)))
            continue
        digest = None
        for note in unit_el.iter(_Q + "note"):
            if note.get("category") == HASH_NOTE:
                digest = (note.text or "").strip()
        units.append(
            Unit(
                entry_id=key[0],
                variant=key[1],
                field=key[2],
                source=source or "",
                target=target,
                source_hash=digest,
                name=str(unit_el.get("name", "")),
            )
        )
    return Document(source_locale=src, target_locale=trg, units=units), bad
