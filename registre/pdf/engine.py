"""The PDF layout engine: plain text that wraps and splits, and grids of text cells.

Safety and speed rest on one choice: **user text never goes through a markup parser**. Values
are laid out by a small text engine (``Text``: word wrap with cached word widths, long words
broken, split across pages line by line) and drawn as plain strings, so ``<b>``, ``<a href>``,
``<img src>`` or ``&`` in a field are printed as they were typed and can create no link, no
image and no font change. ``para_text`` is the escaping helper for the rare case where a
ReportLab ``Paragraph`` with markup must show user text. Tables are ``Grid`` flowables that
split inside a row (like ReportLab's ``Table(splitInRow=1)``), so a 30,000-character field or a
5,000-character word never raises a LayoutError.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from registre.export_model import clean_text
from registre.pdf.styles import LABEL, LINE, SECTION, TextStyle
from registre.pdf.tagging import ARTIFACT, Node, Tagger, tagger_of

# --------------------------------------------------------------------------------------------
# Escaping (for ReportLab markup) — the renderer itself never parses markup
# --------------------------------------------------------------------------------------------


def para_text(value: str) -> str:
    """``value`` made safe for a ReportLab ``Paragraph``: control characters removed, ``&``,
    ``<`` and ``>`` escaped, newlines turned into ``<br/>``. Never use user text as a tag
    attribute (href, src, font name)."""
    return escape(clean_text(value)).replace("\n", "<br/>")


# --------------------------------------------------------------------------------------------
# Text engine
# --------------------------------------------------------------------------------------------


_WIDTHS: dict[str, dict[str, float]] = {}
_WIDTH_CACHE_LIMIT = 200_000


def unit_width(font: str, word: str) -> float:
    """Width of ``word`` at size 1 (cached: registers repeat their vocabulary)."""
    table = _WIDTHS.get(font)
    if table is None:
        table = _WIDTHS[font] = {}
    width = table.get(word)
    if width is None:
        if len(table) > _WIDTH_CACHE_LIMIT:
            table.clear()
        width = table[word] = float(pdfmetrics.stringWidth(word, font, 1.0))
    return width


_WIDEST: dict[tuple[str, str], float] = {}


def widest_word(font: str, text: str) -> float:
    """Width at size 1 of the widest word of ``text`` (cached per font and text)."""
    key = (font, text)
    width = _WIDEST.get(key)
    if width is None:
        if len(_WIDEST) > _WIDTH_CACHE_LIMIT:
            _WIDEST.clear()
        width = _WIDEST[key] = max((unit_width(font, word) for word in text.split()), default=0.0)
    return width


def text_width(text: str, style: TextStyle) -> float:
    """Width of one line of ``text`` in ``style``."""
    return pdfmetrics.stringWidth(text, style.font, style.size)  # type: ignore[no-any-return]


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """``word`` cut into pieces no wider than ``width`` (at least one character each)."""
    pieces: list[str] = []
    start = 0
    used = 0.0
    for index, char in enumerate(word):
        char_width = unit_width(font, char) * size
        if used + char_width > width and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += char_width
    pieces.append(word[start:])
    return pieces


_WRAPPED: dict[tuple[str, str, float, float], list[str]] = {}
_WRAP_CACHE_LIMIT = 100_000


def wrap_text(text: str, style: TextStyle, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (breaks at spaces and newlines).

    No-break spaces (U+00A0, U+202F) never break; a word wider than the line is cut. Results
    are cached per (text, font, size, width): labels and vocabulary repeat on every sheet. The
    list returned is shared: never change it.
    """
    if not text:
        return []
    key = (text, style.font, style.size, width)
    lines = _WRAPPED.get(key)
    if lines is None:
        if len(_WRAPPED) > _WRAP_CACHE_LIMIT:
            _WRAPPED.clear()
        lines = _WRAPPED[key] = _wrap(text, style.font, style.size, width)
    return lines


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    space = unit_width(font, " ") * size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            word_width = unit_width(font, word) * size
            if word_width > width:
                if current:
                    lines.append(" ".join(current))
                pieces = _break_word(word, font, size, width)
                lines.extend(pieces[:-1])
                current = [pieces[-1]]
                used = unit_width(font, pieces[-1]) * size
            elif current and used + space + word_width > width:
                lines.append(" ".join(current))
                current, used = [word], word_width
            else:
                used = used + space + word_width if current else word_width
                current.append(word)
        lines.append(" ".join(current))
    return lines


def truncate(text: str, style: TextStyle, width: float) -> str:
    """``text`` on one line, cut with « … » to fit ``width``."""
    text = one_line(text)
    if text_width(text, style) <= width:
        return text
    lines = wrap_text(text, style, width - text_width("…", style))
    return (lines[0] if lines else "") + "…"


_SPACES = re.compile(r"[ \t\r\n]+")


def one_line(text: str) -> str:
    """``text`` on one line (no-break spaces kept)."""
    return _SPACES.sub(" ", text).strip(" ")


def draw_on(flowable: Flowable, canvas: Any, x: float, y: float) -> None:
    """``Flowable.drawOn`` for flowables that draw only literal operators (inside ``q`` …
    ``Q``, changing none of the canvas' own state): the same operators, written without
    saving and restoring the canvas' state and matrix, which those flowables never change.
    Left-aligned flowables only (a frame gives them no extra width to align in)."""
    code = canvas._code
    code.append("q")
    code.append(f"{fp_str(1, 0, 0, 1, x, y)} cm")
    flowable.canv = canvas
    flowable.draw()
    del flowable.canv
    code.append("Q")


class Text(Flowable):  # type: ignore[misc]
    """Plain text (never markup) that wraps and splits line by line."""

    # Flowable's per-instance defaults as class attributes: grids hold 100,000s of these.
    width = 0.0
    height = 0.0
    wrapped = 0
    hAlign = "LEFT"
    vAlign = "BOTTOM"
    _traceInfo = None
    _showBoundary = None
    encoding = None
    origin: Text | None = None  # the text this one continues (split across pages)
    node: Node | None = None  # its structure element, once drawn

    def __init__(self, text: str, style: TextStyle, *, lines: list[str] | None = None) -> None:
        # Flowable.__init__ only sets the defaults above.
        self.text = text
        self.style = style
        self._lines = lines
        self._for_width: float | None = None if lines is None else -1.0

    def lines_for(self, width: float) -> list[str]:
        """The lines at ``width`` (computed once per width)."""
        if self._lines is None or self._for_width not in (width, -1.0):
            self._lines = wrap_text(self.text, self.style, width)
            self._for_width = width
        return self._lines

    def measure(self, width: float) -> float:
        """Height at ``width``."""
        return len(self.lines_for(width)) * self.style.leading

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.measure(available_width)
        return available_width, self.height

    def split_at(self, width: float, height: float) -> tuple[Text, Text] | None:
        """Two parts, the first no taller than ``height``; None when not even a line fits."""
        lines = self.lines_for(width)
        count = int((height + 1e-6) // self.style.leading)
        if count <= 0:
            return None
        first = self._part(lines[:count])
        second = self._part(lines[count:])
        return first, second

    def _part(self, lines: list[str]) -> Text:
        part = Text("\n".join(lines), self.style, lines=lines)
        part.origin = self.origin or self
        return part

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self.lines_for(available_width)
        if len(lines) * self.style.leading <= available_height + 1e-6:
            return [self]
        parts = self.split_at(available_width, available_height)
        return list(parts) if parts else []

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        draw_on(self, canvas, x, y)

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        node = None if tagger is None else self.structure(tagger)
        self.draw_at(self.canv, 0.0, self.height, node)

    def structure(self, tagger: Tagger) -> Node:
        """The element owning this text (a paragraph; the same for every part of a text split
        across pages)."""
        origin = self.origin or self
        if origin.node is None:
            origin.node = tagger.add(Node("P"))
        return origin.node

    def draw_at(self, canvas: Any, x: float, top: float, tag: Node | str | None = None) -> None:
        """Draw the lines with the first line box's top at ``top`` (marked with ``tag``)."""
        draw_texts(canvas, [(self, x, top)], None if tag is None else [tag])


# --------------------------------------------------------------------------------------------
# Grid: rows of cells, splitting inside rows
# --------------------------------------------------------------------------------------------

PAD_X = 4.0
PAD_Y = 2.6
GLUE_LIMIT = 80.0  # a glued row taller than this may be separated from the row before it


class Cell:
    """A grid cell: its text, its share of the width, its background; ``origin`` is the cell
    a part of a split row continues (its structure element is the origin's), ``repeat`` marks
    the « … (suite) » label printed again on the next page (an artifact)."""

    __slots__ = ("fill", "frac", "node", "origin", "repeat", "text")

    def __init__(
        self,
        text: Text,
        frac: float,
        fill: Any = None,
        *,
        origin: Cell | None = None,
        repeat: bool = False,
    ) -> None:
        self.text = text
        self.frac = frac
        self.fill = fill
        self.origin = origin
        self.repeat = repeat
        self.node: Node | None = None


class Row:
    """A grid row; ``kind`` is "title" (only before the first body row), "header" or "body"."""

    __slots__ = ("_height", "_width", "cells", "continued", "glued", "kind", "node", "origin")

    def __init__(
        self,
        cells: Sequence[Cell],
        kind: str = "body",
        continued: Text | None = None,
        *,
        glued: bool = False,
    ) -> None:
        self.cells = list(cells)
        self.kind = kind
        self.continued = continued  # shown in the first cell when the row continues a split
        self.glued = glued  # kept on the page of the row before it (when short)
        self.origin: Row | None = None  # the row this part of a split row continues
        self.node: Node | None = None
        self._width = -1.0
        self._height = 0.0

    def height(self, width: float) -> float:
        """Height at ``width``, padding included."""
        if width != self._width:
            self._height = (
                max(cell.text.measure(cell.frac * width - 2 * PAD_X) for cell in self.cells)
                + 2 * PAD_Y
            )
            self._width = width
        return self._height

    def split(self, width: float, room: float) -> tuple[Row, Row] | None:
        """The row cut so its first part fits ``room``; None when no line fits."""
        inner = room - 2 * PAD_Y
        first: list[Cell] = []
        second: list[Cell] = []
        for index, cell in enumerate(self.cells):
            cell_width = cell.frac * width - 2 * PAD_X
            origin = cell.origin or cell
            if cell.text.measure(cell_width) <= inner + 1e-6:
                first.append(cell)
                rest = self.continued if index == 0 and self.continued else None
                second.append(
                    Cell(
                        rest or Text("", cell.text.style),
                        cell.frac,
                        cell.fill,
                        origin=origin,
                        repeat=rest is not None,
                    )
                )
                continue
            parts = cell.text.split_at(cell_width, inner)
            if parts is None:
                return None
            first.append(Cell(parts[0], cell.frac, cell.fill, origin=origin))
            second.append(Cell(parts[1], cell.frac, cell.fill, origin=origin))
        head, rest_row = Row(first, self.kind), Row(second, self.kind, self.continued)
        head.origin = rest_row.origin = self.origin or self
        return head, rest_row


class Grid(Flowable):  # type: ignore[misc]
    """Rows of text cells with borders; titles first, a header repeated on every page.

    Splits between rows and, like ``Table(splitInRow=1)``, inside a row, so any amount of text
    fits. The first part always holds some body content unless the grid starts a frame.

    Tagged as a table (TR, TH with its scope, TD with its column span), as a list (``kind``
    "list": L, LI, LBody) or, when it only frames single cells, as paragraphs; title bars are
    headings. Parts of a split grid share their elements.
    """

    def __init__(
        self,
        rows: Sequence[Row],
        header: Row | None = None,
        *,
        line_color: Any = None,
        space_after: float = 6.0,
        kind: str = "",
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.header = header
        self.line_color = line_color or LINE
        self.spaceAfter = space_after
        self.kind = kind
        self.origin = self  # the whole grid, for the parts of a split one
        self.node: Node | None = None
        self.header_drawn = False
        self._columns: list[float] | None = None

    def _sequence(self) -> list[Row]:
        titles = [row for row in self.rows if row.kind == "title"]
        body = [row for row in self.rows if row.kind != "title"]
        if self.header is not None and body:
            return [*titles, self.header, *body]
        return titles + body

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = sum(row.height(available_width) for row in self._sequence())
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        width = available_width
        sequence = self._sequence()
        used = 0.0
        fitted: list[Row] = []
        remaining: list[Row] = []
        for index, row in enumerate(sequence):
            height = row.height(width)
            if used + height <= available_height + 1e-6:
                fitted.append(row)
                used += height
                continue
            later = [r for r in sequence[index + 1 :] if r is not self.header]
            if row is self.header:
                remaining = later
                break
            if row.glued and height <= GLUE_LIMIT and fitted and fitted[-1] is sequence[index - 1]:
                remaining = [fitted.pop(), row, *later]  # a short detail row stays with its row
                break
            parts = row.split(width, available_height - used)
            if parts is None:
                remaining = [row, *later]
            else:
                fitted.append(parts[0])
                remaining = [parts[1], *later]
            break
        else:
            return [self]
        has_body = any(row.kind == "body" for row in fitted)
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        if not fitted or (not has_body and not at_top):
            return []
        first_rows = [row for row in fitted if row is not self.header]
        first = Grid(first_rows, self.header, line_color=self.line_color, space_after=0)
        second = Grid(remaining, self.header, line_color=self.line_color)
        second.spaceAfter = self.spaceAfter
        first.origin = second.origin = self.origin
        return [first, second]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        draw_on(self, canvas, x, y)

    def draw(self) -> None:
        # Fills, rules and texts are written as PDF operators in one literal (canvas calls
        # format each number and encode each string again); texts share one text object.
        # Each row's top and bottom are formatted once, cell edges come from a cache.
        canvas = self.canv
        width = self.width
        top = self.height
        right = _two(width)
        fills: dict[str, list[str]] = {}
        rules = [f"0 {top:.2f} m {right} {top:.2f} l"]
        texts: list[tuple[Text, float, float]] = []
        tagger = tagger_of(canvas)
        sequence = self._sequence()
        tags = None if tagger is None else self.origin._tags(tagger, sequence)
        for row in sequence:
            bottom = top - row.height(width)
            low = f"{bottom:.2f}"
            high = f"{top:.2f}"
            x = 0.0
            for cell in row.cells:
                cell_width = cell.frac * width
                left = _two(x)
                if cell.fill is not None:
                    fills.setdefault(_rgb(cell.fill), []).append(
                        f"{left} {low} {_two(cell_width)} {top - bottom:.2f} re f"
                    )
                cell.text.lines_for(cell_width - 2 * PAD_X)
                texts.append((cell.text, x + PAD_X, top - PAD_Y))
                rules.append(f"{left} {low} m {left} {high} l")
                x += cell_width
            rules.append(f"{right} {low} m {right} {high} l")
            rules.append(f"0 {low} m {right} {low} l")
            top = bottom
        operators = ["q", ARTIFACT]  # fills and rules are decoration
        for color, rects in fills.items():
            operators.append(f"{color} rg")
            operators.extend(rects)
        operators.append(f"{_rgb(self.line_color)} RG 0.4 w")
        operators.extend(rules)
        operators.append("S EMC")
        operators.extend(text_operators(canvas, texts, tags))
        operators.append("Q")
        canvas.addLiteral("\n".join(operators))

    # -- structure -------------------------------------------------------------------------

    def _tags(self, tagger: Tagger, sequence: Sequence[Row]) -> list[Node | str]:
        """The element (or artifact) of each cell of ``sequence``, in drawing order; called
        on the whole grid (``origin``) for each of its parts."""
        tags: list[Node | str] = []
        header = self.header
        kind = self.kind or (
            "table"
            if header is not None or any(len(row.cells) > 1 for row in self.rows)
            else "paragraphs"
        )
        for row in sequence:
            if row.kind == "title":
                style = row.cells[0].text.style
                node = tagger.title(style is SECTION)
                tags.extend(node for _cell in row.cells)
                continue
            if row is header:
                if self.header_drawn:  # repeated on a later page
                    tags.extend(ARTIFACT for _cell in row.cells)
                    continue
                self.header_drawn = True
            if kind == "paragraphs":
                for cell in row.cells:
                    tags.append(_cell_owner(cell) or _own(cell, tagger.add(Node("P"))))
                continue
            if self.node is None:
                self.node = tagger.add(Node("L" if kind == "list" else "Table"))
            table = self.node
            if row is header:  # a header row may be shared by several grids: no cache
                line = table.add(Node("TR"))
                tags.extend(line.add(self._cell(row, cell)) for cell in row.cells)
                continue
            origin = row.origin or row
            if origin.node is None:
                origin.node = table.add(Node("LI" if kind == "list" else "TR"))
            line = origin.node
            for cell in row.cells:
                found = _cell_owner(cell)
                if found is None:
                    found = _own(
                        cell, line.add(Node("LBody") if kind == "list" else self._cell(row, cell))
                    )
                tags.append(found)
        return tags

    def _cell(self, row: Row, cell: Cell) -> Node:
        """A table cell: a heading of its column (header row), of its row (a label on the
        left of a grid without header) or a data cell, spanning the columns it covers."""
        if row is self.header:
            role, scope = "TH", "/Scope /Column"
        elif self.header is None and cell.text.style is LABEL:
            role, scope = "TH", "/Scope /Row"
        else:
            role, scope = "TD", ""
        span = self._span(row, cell)
        attributes = _ATTRIBUTES.get((scope, span))
        return Node(role, _attributes(scope, span) if attributes is None else attributes)

    def _span(self, row: Row, cell: Cell) -> int:
        """Columns ``cell`` covers, the columns being the cell edges of all rows."""
        columns = self._columns
        if columns is None:
            edges: set[float] = set()
            for each in [*([self.header] if self.header else []), *self.rows]:
                if each.kind == "title":
                    continue
                position = 0.0
                for item in each.cells:
                    position += item.frac
                    edges.add(round(position, 4))
            columns = self._columns = sorted(edges)
        if len(row.cells) == len(columns):  # the usual row: one cell per column
            return 1
        start = 0.0
        for item in row.cells:
            if item is cell:
                break
            start += item.frac
        low, high = round(start, 4), round(start + cell.frac, 4)
        return sum(1 for edge in columns if low < edge <= high) or 1


_ATTRIBUTES: dict[tuple[str, int], str] = {}


def _attributes(scope: str, span: int) -> str:
    """The table attributes of a cell (« /A <<…>> »), written once per kind of cell."""
    entries = [scope] if scope else []
    if span > 1:
        entries.append(f"/ColSpan {span}")
    text = f"/A <</O /Table {' '.join(entries)}>>" if entries else ""
    _ATTRIBUTES[scope, span] = text
    return text


def _cell_owner(cell: Cell) -> Node | str | None:
    """The element already owning ``cell``'s text (that of the cell it continues), the
    artifact mark of a repeated label, or None for a cell drawn for the first time."""
    if cell.repeat:
        return ARTIFACT
    return (cell.origin or cell).node


def _own(cell: Cell, node: Node) -> Node:
    (cell.origin or cell).node = node
    return node


_TWO: dict[float, str] = {}


def _two(value: float) -> str:
    """``value`` with two decimals, as an operand (cached: cell edges and widths repeat)."""
    text = _TWO.get(value)
    if text is None:
        if len(_TWO) > _WIDTH_CACHE_LIMIT:
            _TWO.clear()
        text = _TWO[value] = f"{value:.2f}"
    return text


_RGB: dict[int, tuple[Any, str]] = {}


def _rgb(color: Any) -> str:
    """« r g b » of a ReportLab colour, for the rg / RG operators."""
    found = _RGB.get(id(color))
    if found is None or found[0] is not color:
        red, green, blue = color.rgb()
        found = _RGB[id(color)] = (color, f"{red:.3f} {green:.3f} {blue:.3f}")
    return found[1]


class _Encoder:
    """PDF text operators for the lines of one document, each line encoded once.

    ReportLab assigns every character of an embedded TrueType font a code in one of its
    256-glyph subsets as the document first uses it; a line's encoded form (subset font names
    and escaped byte strings) is therefore cached per document and reused for every repeat of
    the line (registers repeat their labels and vocabulary on every sheet).
    """

    __slots__ = ("cache", "document", "shows")

    def __init__(self, document: Any) -> None:
        self.document = document
        self.cache: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self.shows: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}

    def pieces(self, font_name: str, line: str) -> tuple[tuple[str, str], ...]:
        """(subset font name, escaped string) pairs that draw ``line`` in ``font_name``."""
        key = (font_name, line)
        found = self.cache.get(key)
        if found is None:
            font = pdfmetrics.getFont(font_name)
            document = self.document
            found = self.cache[key] = tuple(
                (font.getSubsetInternalName(subset, document), escapePDF(chunk))
                for subset, chunk in font.splitString(line, document)
            )
        return found

    def shown(self, font_name: str, line: str) -> tuple[tuple[str, str], ...]:
        """(subset font name, ``Tj`` operator) pairs that draw ``line`` in ``font_name``."""
        key = (font_name, line)
        found = self.shows.get(key)
        if found is None:
            found = self.shows[key] = tuple(
                (font, f"({chunk}) Tj") for font, chunk in self.pieces(font_name, line)
            )
        return found


def _encoder(canvas: Any) -> _Encoder:
    document = canvas._doc
    encoder: _Encoder | None = getattr(document, "_registre_encoder", None)
    if encoder is None:
        encoder = _Encoder(document)
        document._registre_encoder = encoder
    return encoder


def text_operators(
    canvas: Any,
    texts: Sequence[tuple[Text, float, float]],
    tags: Sequence[Node | str] | None = None,
) -> list[str]:
    """PDF operators drawing ``texts`` (each with the top-left corner of its first line box),
    in the given order, inside one text object (``BT`` … ``ET``); empty when nothing shows.

    ``tags`` (one per text) marks each shown text as content of a structure element (a new
    MCID on this page) or with a marked-content opening given as is (an artifact).

    The operators are written here rather than through ReportLab's text object, which formats
    every number and re-encodes every string on each call.
    """
    encoder = _encoder(canvas)
    tagger = tagger_of(canvas) if tags is not None else None
    page = canvas.getPageNumber() - 1
    shown = encoder.shown
    operators: list[str] = []
    append = operators.append
    current_font = ""
    size = leading = -1.0
    color = None
    for index, (text, x, top) in enumerate(texts):
        lines = text._lines
        if not lines:
            continue
        tag = None if tags is None else tags[index]
        if tag is not None:
            if isinstance(tag, str):
                append(tag)
            elif tagger is not None:
                append(tagger.mark(tag, page))
            else:
                tag = None
        style = text.style
        if style.size != size or style.leading != leading:
            size, leading = style.size, style.leading
            current_font = ""
            append(f"{leading:.2f} TL")
        if style.color is not color:
            color = style.color
            append(f"{_rgb(color)} rg")
        append(f"1 0 0 1 {_two(x)} {top - style.baseline:.2f} Tm")
        font_name = style.font
        for number, line in enumerate(lines):
            if number:
                append("T*")
            for subset_font, show in shown(font_name, line):
                if subset_font != current_font:
                    current_font = subset_font
                    append(f"{subset_font} {size:g} Tf")
                append(show)
        if tag is not None:
            append("EMC")
    if not operators:
        return []
    return ["BT", *operators, "ET"]


def draw_texts(
    canvas: Any,
    texts: Sequence[tuple[Text, float, float]],
    tags: Sequence[Node | str] | None = None,
) -> None:
    """Draw several texts (each with its top-left corner) in reading order."""
    operators = text_operators(canvas, texts, tags)
    if operators:
        canvas.addLiteral("\n".join(["q", *operators, "Q"]))
