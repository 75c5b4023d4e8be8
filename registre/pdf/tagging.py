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

import re
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
        self.kids: list[Node | tuple[int, int]] = []

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
# Writing the recorded structure into the segment's PDF
# --------------------------------------------------------------------------------------------

_KIDS = re.compile(rb"/Kids \[([^\]]*)\]\s*/Type /Pages")
_REFERENCE = re.compile(rb"(\d+) 0 R")
_SIZE = re.compile(rb"/Size (\d+)")
_ROOT = re.compile(rb"/Root (\d+ 0 R)")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def append_structure(data: bytes, tagger: Tagger) -> tuple[bytes, int]:
    """``data`` (a ReportLab PDF) with the recorded structure appended as an incremental
    update; returns the new bytes and the number of the index object: an array of the top
    elements, the per-page arrays of MCID owners, and the Link elements of contents lines."""
    page_tree = _KIDS.search(data)
    size = _SIZE.findall(data)
    root = _ROOT.findall(data)
    start = _STARTXREF.search(data)
    if page_tree is None or not size or not root or start is None:
        raise AssertionError("unexpected PDF layout from ReportLab")
    page_numbers = [int(number) for number in _REFERENCE.findall(page_tree.group(1))]
    if len(page_numbers) < len(tagger.pages):
        raise AssertionError("structure recorded on pages the segment does not have")
    first = int(size[-1])
    numbers: dict[int, int] = {}
    parents: dict[int, int] = {}
    order: list[Node] = []
    pending = [(node, 0) for node in reversed(tagger.top)]
    while pending:  # pre-order: elements numbered in reading order
        node, parent = pending.pop()
        numbers[id(node)] = first + len(order)
        parents[id(node)] = parent
        order.append(node)
        for kid in reversed(node.kids):
            if isinstance(kid, Node):
                pending.append((kid, numbers[id(node)]))
    chunks: list[str] = []
    for node in order:
        entries = [f"/Type /StructElem /S /{node.role}"]
        parent = parents[id(node)]
        if parent:
            entries.append(f"/P {parent} 0 R")
        page = -1
        kids: list[str] = []
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(f"{numbers[id(kid)]} 0 R")
                continue
            kid_page, mcid = kid
            if page < 0:
                page = kid_page
                entries.append(f"/Pg {page_numbers[page]} 0 R")
            if kid_page == page:
                kids.append(str(mcid))
            else:
                kids.append(f"<</Type /MCR /Pg {page_numbers[kid_page]} 0 R /MCID {mcid}>>")
        if len(kids) == 1 and node.role != "Link":  # a Link gains kids at assembly
            entries.append(f"/K {kids[0]}")
        elif kids:
            entries.append(f"/K [{' '.join(kids)}]")
        if node.attributes:
            entries.append(node.attributes)
        chunks.append(f"<<{' '.join(entries)}>>")
    for owners in tagger.pages:
        chunks.append("[" + " ".join(f"{numbers[id(owner)]} 0 R" for owner in owners) + "]")
    pages_first = first + len(order)
    index_number = pages_first + len(tagger.pages)
    tops = " ".join(f"{numbers[id(node)]} 0 R" for node in tagger.top)
    page_arrays = " ".join(f"{pages_first + i} 0 R" for i in range(len(tagger.pages)))
    links = " ".join(f"{numbers[id(node)]} 0 R" for _key, node in tagger.links)
    chunks.append(f"[[{tops}] [{page_arrays}] [{links}]]")
    output = bytearray(data)
    if not output.endswith(b"\n"):
        output += b"\n"
    offsets: list[int] = []
    for number, chunk in enumerate(chunks, first):
        offsets.append(len(output))
        output += f"{number} 0 obj\n{chunk}\nendobj\n".encode("latin-1")
    xref = len(output)
    lines = [f"xref\n{first} {len(chunks)}\n"]
    lines.extend(f"{offset:010d} 00000 n \n" for offset in offsets)
    lines.append(
        f"trailer\n<< /Size {first + len(chunks)} /Root {root[-1].decode()} "
        f"/Prev {start.group(1).decode()} >>\nstartxref\n{xref}\n%%EOF\n"
    )
    output += "".join(lines).encode("latin-1")
    return bytes(output), index_number


__all__ = [
    "ARTIFACT",
    "FOOTER_ARTIFACT",
    "HEADER_ARTIFACT",
    "LAYOUT_ARTIFACT",
    "Node",
    "Tagger",
    "append_structure",
    "artifact",
    "tagger_of",
]
