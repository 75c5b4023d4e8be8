"""Tagged PDF (PDF/UA): marked content while drawing, the structure tree written afterwards.

While a segment is drawn, every piece of text the engine shows is either **real content**,
wrapped in a marked-content sequence (``/P <</MCID 3>> BDC`` … ``EMC``) owned by a structure
element recorded here (``Node``: H1–H6, P, Table/TR/TH/TD, L/LI/LBody, TOC/TOCI/Link, Sect), or
an **artifact** (running headers and footers, page numbers, rules, fills, the « (suite) »
repeated in a split table row, a repeated table header).

A segment may be laid out in another process, so the structure it records is written as PDF
objects by that process, appended to its own PDF (``append_structure``, an incremental update
whose objects point at the segment's pages). The assembly copies these objects with the pages
(qpdf maps the page references to the copied pages), hangs every segment's top elements under
one ``Document`` element and writes the parent tree (page → the elements owning its MCIDs).
MCIDs are numbered per page, so nothing needs renumbering when segments are joined; each page's
``/StructParents`` key is its index in the assembled document.

Writing the elements as text in the workers keeps the cost of tagging small: creating 100,000
structure elements one by one through pikepdf would take longer than laying out the pages.
"""

from __future__ import annotations

import array
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ARTIFACT = "/Artifact BMC"
HEADER_ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Header>> BDC"
FOOTER_ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
LAYOUT_ARTIFACT = "/Artifact <</Type /Layout>> BDC"


def artifact(operators: str, kind: str = ARTIFACT) -> str:
    """``operators`` (a complete drawing) marked as an artifact."""
    return f"{kind}\n{operators}\nEMC"


class Node:
    """A structure element being recorded: its type, PDF attributes (raw dictionary entries,
    e.g. ``/A <</O /Table /Scope /Column>>``) and kids — elements, or (page, MCID) pairs of
    the content it owns."""

    __slots__ = ("attributes", "kids", "role")

    def __init__(self, role: str, attributes: str = "") -> None:
        self.role = role
        self.attributes = attributes
        self.kids: list[Node | tuple[int, int] | int] = []  # int: a link annotation

    def add(self, node: Node) -> Node:
        self.kids.append(node)
        return node


class Tagger:
    """What the drawn flowables of one segment record: structure elements in reading order,
    and, per page, the element owning each MCID."""

    def __init__(self) -> None:
        self.top: list[Node] = []
        self.sheet: Node | None = None  # the Sect of the activity sheet being drawn
        self.pages: list[list[Node]] = []
        self.level = 1  # level of the last heading drawn (H1…H6)
        self.section_open = False  # a section title was drawn since that heading
        self.toc: Node | None = None
        self.links: list[tuple[str, Node]] = []  # (heading key, Link element) of contents lines

    def add(self, node: Node) -> Node:
        """``node`` appended to the current container (the sheet's Sect, or the top)."""
        if self.sheet is not None:
            self.sheet.kids.append(node)
        else:
            self.top.append(node)
        return node

    def mark(self, node: Node, page: int) -> str:
        """The ``BDC`` opening a marked-content sequence owned by ``node`` on ``page``."""
        pages = self.pages
        while len(pages) <= page:
            pages.append([])
        owners = pages[page]
        mcid = len(owners)
        owners.append(node)
        node.kids.append((page, mcid))
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def heading(self, level: int, *, sheet: bool) -> Node:
        """A heading of outline ``level`` (0 = H1); a sheet's heading opens its Sect, any other
        closes it."""
        self.level = min(level + 1, 6)
        self.section_open = False
        node = Node(f"H{self.level}")
        if sheet:
            self.sheet = None
            self.sheet = self.add(Node("Sect"))
        else:
            self.sheet = None
        return self.add(node)

    def title(self, section: bool) -> Node:
        """A title bar inside the current heading: a section (one level below it) or a
        sub-title (one below the section, when there is one)."""
        if section:
            self.section_open = True
            level = self.level + 1
        else:
            level = self.level + (2 if self.section_open else 1)
        return self.add(Node(f"H{min(level, 6)}"))

    def toc_entry(self, key: str | None) -> Node:
        """The element a contents line's title is marked with (a Link when it points to a
        heading)."""
        if self.toc is None:
            self.toc = self.add(Node("TOC"))
        item = self.toc.add(Node("TOCI"))
        if key is None:
            return item.add(Node("P"))
        link = item.add(Node("Link"))
        self.links.append((key, link))
        return link


def tagger_of(canvas: Any) -> Tagger | None:
    """The tagger of the document ``canvas`` draws (None outside a tagged rendering)."""
    template = getattr(canvas, "_doctemplate", None)
    return getattr(template, "tagger", None)


# --------------------------------------------------------------------------------------------
# Writing the recorded structure as relocatable PDF objects
# --------------------------------------------------------------------------------------------

# Where an object number goes: a formatting placeholder, replaced by seven digits at assembly
# (the structure's text holds no other « % »).
SLOT = "%s"
SLOT_WIDTH = 7
# What a slot refers to (the low two bits of its value; the index above them).
ELEMENT, PAGE, ANNOTATION, DOCUMENT = 0, 1, 2, 3


@dataclass(frozen=True)
class Structure:
    """A segment's structure elements, then one array per page of the elements owning its
    MCIDs, written as the content of an object stream whose object numbers are not known yet.

    ``body`` is the stream's content: its header (the number and offset of each of its
    ``objects``), then the objects from offset ``first``. Every object number is a ``SLOT``
    whose value in ``slots`` (in order) says what it refers to (``kind | index << 2``): an
    object of this stream, a page of this segment, a link annotation or the document element.
    Slots have the width of the numbers that replace them, so the offsets stay true. ``tops``:
    the elements directly under the document; ``links``: the Link element of each contents
    line, in drawing order."""

    body: bytes
    slots: array.array[int]  # unsigned 32-bit: compact in memory and between processes
    first: int
    objects: int
    tops: tuple[int, ...]
    links: tuple[int, ...]
    elements: int
    pages: int


def _annotation(index: int) -> int:
    return ANNOTATION | index << 2


def write_structure(tagger: Tagger, pages: int) -> Structure:
    """The elements ``tagger`` recorded on ``pages`` pages, as a relocatable object stream."""
    local: dict[int, int] = {}
    parents: list[int] = []
    order: list[Node] = []
    pending = [(node, -1) for node in reversed(tagger.top)]
    while pending:  # pre-order: elements numbered in reading order
        node, parent = pending.pop()
        local[id(node)] = len(order)
        parents.append(parent)
        order.append(node)
        for kid in reversed(node.kids):
            if isinstance(kid, Node):
                pending.append((kid, local[id(node)]))
    slots: list[int] = []
    add = slots.append
    ref = SLOT + " 0 R"
    chunks: list[str] = []
    for index, node in enumerate(order):
        parent = parents[index]
        node_kids = node.kids
        if len(node_kids) == 1 and type(node_kids[0]) is tuple and node.role != "Link":
            # The usual element (a cell, a paragraph, a title): content on one page.
            page, mcid = node_kids[0]
            chunks.append(f"<</S/{node.role}/P {ref}/Pg {ref}/K {mcid}{node.attributes}>>\n")
            add(parent << 2 if parent >= 0 else DOCUMENT)
            add(PAGE | page << 2)
            continue
        parts = [f"<</S/{node.role}"]
        parts.append(f"/P {ref}")
        add(parent << 2 if parent >= 0 else DOCUMENT)
        page = -1
        kids: list[str] = []
        kid_slots: list[int] = []
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(ref)
                kid_slots.append(local[id(kid)] << 2)
            elif isinstance(kid, int):  # a link annotation (object reference)
                kids.append(f"<</Type/OBJR/Obj {ref}/Pg {ref}>>")
                kid_slots += (_annotation(kid), PAGE | page << 2)
            else:
                kid_page, mcid = kid
                if page < 0:
                    page = kid_page
                if kid_page == page:
                    kids.append(str(mcid))
                else:
                    kids.append(f"<</Type/MCR/Pg {ref}/MCID {mcid}>>")
                    kid_slots.append(PAGE | kid_page << 2)
        if page >= 0:
            parts.append(f"/Pg {ref}")
            add(PAGE | page << 2)
        slots += kid_slots
        if len(kids) == 1 and node.role != "Link":
            parts.append(f"/K {kids[0]}")
        elif kids:
            parts.append(f"/K [{' '.join(kids)}]")
        if node.attributes:
            parts.append(node.attributes)
        parts.append(">>\n")
        chunks.append("".join(parts))
    owners = tagger.pages + [[] for _ in range(pages - len(tagger.pages))]
    for page_owners in owners:
        chunks.append("[" + " ".join(ref for _ in page_owners) + "]\n")
        slots.extend(local[id(owner)] << 2 for owner in page_owners)
    # The object stream's header: each object's number (a slot) and offset.
    header: list[str] = []
    position = 0
    for chunk in chunks:
        header.append(f"{SLOT} {position}")
        position += len(chunk) + (SLOT_WIDTH - len(SLOT)) * chunk.count(SLOT)
    head = " ".join(header) + "\n"
    return Structure(
        (head + "".join(chunks)).encode("latin-1"),
        array.array("I", itertools.chain((n << 2 for n in range(len(chunks))), slots)),
        len(head) + (SLOT_WIDTH - len(SLOT)) * len(chunks),
        len(chunks),
        tuple(local[id(node)] for node in tagger.top),
        tuple(local[id(node)] for _key, node in tagger.links),
        len(order),
        len(owners),
    )


def fill_slots(
    structure: Structure,
    first: int,
    pages: Sequence[int],
    annotations: Sequence[int],
    document: int,
) -> bytes:
    """``structure``'s body with its references: its objects numbered from ``first``, its
    pages, the link annotations and the document element given by their object numbers."""
    count = structure.objects
    if first + count > 9_999_999:  # beyond what PDF/A allows anyway
        raise AssertionError("too many objects for seven-digit references")
    # One formatted number per possible slot value, looked up rather than formatted per slot.
    table = [b""] * (4 * max(count, len(pages), len(annotations), 1))
    table[0 : 4 * count : 4] = [b"%07d" % number for number in range(first, first + count)]
    table[1 : 4 * len(pages) : 4] = [b"%07d" % number for number in pages]
    table[2 : 4 * len(annotations) : 4] = [b"%07d" % number for number in annotations]
    table[3] = b"%07d" % document
    numbers = list(map(table.__getitem__, structure.slots))
    return structure.body % tuple(numbers)


__all__ = [
    "ARTIFACT",
    "FOOTER_ARTIFACT",
    "HEADER_ARTIFACT",
    "LAYOUT_ARTIFACT",
    "SLOT",
    "Node",
    "Structure",
    "Tagger",
    "artifact",
    "fill_slots",
    "tagger_of",
    "write_structure",
]
