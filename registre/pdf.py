"""The official PDF export of the register (ReportLab platypus), signed with PAdES.

``export_pdf`` builds the export model (``registre.export_model``), lays it out, signs it with the
register's key (``registre.signing``), writes the file atomically and records its SHA-256 in the
audit trail. ``render_pdf`` only lays a model out (golden tests, benchmarks).

Layout: cover page (organisation, SIREN, DPO, export date, register revision, completeness,
certificate fingerprint), table of contents, organisation identity, summary table, one sheet per
activity in Article 30 order, the processor register (30.2), annexes. Every page has the footer
« Page x / y », the export date, the register revision and the short content fingerprint.

Safety and speed rest on one choice: **user text never goes through a markup parser**. Values
are laid out by a small text engine (``Text``: word wrap with cached word widths, long words
broken, split across pages line by line) and drawn as plain strings, so ``<b>``, ``<a href>``,
``<img src>`` or ``&`` in a field are printed as they were typed and can create no link, no
image and no font change. ``para_text`` is the escaping helper for the rare case where a
ReportLab ``Paragraph`` with markup must show user text. Tables are ``Grid`` flowables that
split inside a row (like ReportLab's ``Table(splitInRow=1)``), so a 30,000-character field or a
5,000-character word never raises a LayoutError. Page numbers of the table of contents and the
page total are PDF form XObjects filled in at the end, so a document is laid out in one pass.

Fonts: DejaVu Sans (regular, bold, oblique, bold oblique) from ``resources/fonts``, embedded as
subsets; the canvas starts with it, so no standard font is referenced.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from registre import __version__
from registre.audit import AuditTrail
from registre.export_model import (
    MASK_REASON,
    NBSP,
    NNBSP,
    NOT_FILLED,
    Block,
    Card,
    ExportDocument,
    Item,
    Part,
    Profile,
    Sheet,
    Table,
    build_document,
    clean_text,
    french_label,
    grouped_hex,
    parse_profile,
    quoted,
    short_datetime,
    summary_row,
)
from registre.files import write_atomic
from registre.signing import SigningIdentity, ensure_signing_identity, sign_pdf
from registre.storage import Register

Progress = Callable[[int, int], None]

# --------------------------------------------------------------------------------------------
# Errors and results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignerInfo:
    """What the cover says about the signature."""

    name: str
    certificate_sha256: str


@dataclass(frozen=True)
class RenderedPdf:
    """An unsigned rendering: the bytes, the page count and the outline (level, title, page)."""

    data: bytes
    pages: int
    outline: tuple[tuple[int, str, int], ...]


@dataclass(frozen=True)
class ExportResult:
    """What ``export_pdf`` wrote."""

    path: Path
    sha256: str
    pages: int
    profile: str
    fingerprint: str
    certificate_sha256: str
    recorded: bool = True  # False when read-only: the audit trail could not take the SHA-256


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"
_FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    OBLIQUE: "DejaVuSans-Oblique.ttf",
    BOLD_OBLIQUE: "DejaVuSans-BoldOblique.ttf",
}
_font_lock = threading.Lock()
_render_lock = threading.Lock()


def register_fonts() -> None:
    """Register the shipped DejaVu Sans family with ReportLab (once per process)."""
    with _font_lock:
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FONT_FILES.items():
            if name in known:
                continue
            data = (resources.files("resources") / "fonts" / filename).read_bytes()
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE
        )


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


@dataclass(frozen=True)
class TextStyle:
    """Font, size, leading and colour of a run of plain text."""

    font: str
    size: float
    leading: float
    color: Any  # reportlab Color

    @cached_property
    def baseline(self) -> float:
        """Distance from the top of a line box to its baseline."""
        ascent = pdfmetrics.getAscent(self.font, self.size)
        descent = pdfmetrics.getDescent(self.font, self.size)
        return float((self.leading - (ascent - descent)) / 2 + ascent)


_WIDTHS: dict[str, dict[str, float]] = {}
_WIDTH_CACHE_LIMIT = 200_000


def _unit_width(font: str, word: str) -> float:
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


def text_width(text: str, style: TextStyle) -> float:
    """Width of one line of ``text`` in ``style``."""
    return pdfmetrics.stringWidth(text, style.font, style.size)  # type: ignore[no-any-return]


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """``word`` cut into pieces no wider than ``width`` (at least one character each)."""
    pieces: list[str] = []
    start = 0
    used = 0.0
    for index, char in enumerate(word):
        char_width = _unit_width(font, char) * size
        if used + char_width > width and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += char_width
    pieces.append(word[start:])
    return pieces


def wrap_text(text: str, style: TextStyle, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (breaks at spaces and newlines).

    No-break spaces (U+00A0, U+202F) never break; a word wider than the line is cut.
    """
    if not text:
        return []
    font, size = style.font, style.size
    space = _unit_width(font, " ") * size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            word_width = _unit_width(font, word) * size
            if word_width > width:
                if current:
                    lines.append(" ".join(current))
                pieces = _break_word(word, font, size, width)
                lines.extend(pieces[:-1])
                current = [pieces[-1]]
                used = _unit_width(font, pieces[-1]) * size
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
    text = _one_line(text)
    if text_width(text, style) <= width:
        return text
    lines = wrap_text(text, style, width - text_width("…", style))
    return (lines[0] if lines else "") + "…"


_SPACES = re.compile(r"[ \t\r\n]+")


def _one_line(text: str) -> str:
    """``text`` on one line (no-break spaces kept)."""
    return _SPACES.sub(" ", text).strip(" ")


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
        return Text("\n".join(lines), self.style, lines=lines)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self.lines_for(available_width)
        if len(lines) * self.style.leading <= available_height + 1e-6:
            return [self]
        parts = self.split_at(available_width, available_height)
        return list(parts) if parts else []

    def draw(self) -> None:
        self.draw_at(self.canv, 0.0, self.height)

    def draw_at(self, canvas: Any, x: float, top: float) -> None:
        """Draw the lines with the first line box's top at ``top``."""
        draw_texts(canvas, [(self, x, top)])


# --------------------------------------------------------------------------------------------
# Grid: rows of cells, splitting inside rows
# --------------------------------------------------------------------------------------------

PAD_X = 4.0
PAD_Y = 2.6
GLUE_LIMIT = 80.0  # a glued row taller than this may be separated from the row before it


class Cell:
    """A grid cell: its text, its share of the width, its background."""

    __slots__ = ("fill", "frac", "text")

    def __init__(self, text: Text, frac: float, fill: Any = None) -> None:
        self.text = text
        self.frac = frac
        self.fill = fill


class Row:
    """A grid row; ``kind`` is "title" (only before the first body row), "header" or "body"."""

    __slots__ = ("_height", "_width", "cells", "continued", "glued", "kind")

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
            if cell.text.measure(cell_width) <= inner + 1e-6:
                first.append(cell)
                rest = self.continued if index == 0 and self.continued else None
                second.append(Cell(rest or Text("", cell.text.style), cell.frac, cell.fill))
                continue
            parts = cell.text.split_at(cell_width, inner)
            if parts is None:
                return None
            first.append(Cell(parts[0], cell.frac, cell.fill))
            second.append(Cell(parts[1], cell.frac, cell.fill))
        return Row(first, self.kind), Row(second, self.kind, self.continued)


class Grid(Flowable):  # type: ignore[misc]
    """Rows of text cells with borders; titles first, a header repeated on every page.

    Splits between rows and, like ``Table(splitInRow=1)``, inside a row, so any amount of text
    fits. The first part always holds some body content unless the grid starts a frame.
    """

    def __init__(
        self,
        rows: Sequence[Row],
        header: Row | None = None,
        *,
        line_color: Any = None,
        space_after: float = 6.0,
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.header = header
        self.line_color = line_color or LINE
        self.spaceAfter = space_after

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
        return [first, second]

    def draw(self) -> None:
        # Fills and rules are written as PDF operators in one literal (canvas calls format
        # each number with a slow pure-Python routine); texts share one text object.
        canvas = self.canv
        width = self.width
        top = self.height
        fills: dict[str, list[str]] = {}
        rules = [f"0 {top:.2f} m {width:.2f} {top:.2f} l"]
        texts: list[tuple[Text, float, float]] = []
        for row in self._sequence():
            bottom = top - row.height(width)
            x = 0.0
            for cell in row.cells:
                cell_width = cell.frac * width
                if cell.fill is not None:
                    fills.setdefault(_rgb(cell.fill), []).append(
                        f"{x:.2f} {bottom:.2f} {cell_width:.2f} {top - bottom:.2f} re f"
                    )
                cell.text.lines_for(cell_width - 2 * PAD_X)
                texts.append((cell.text, x + PAD_X, top - PAD_Y))
                rules.append(f"{x:.2f} {bottom:.2f} m {x:.2f} {top:.2f} l")
                x += cell_width
            rules.append(f"{width:.2f} {bottom:.2f} m {width:.2f} {top:.2f} l")
            rules.append(f"0 {bottom:.2f} m {width:.2f} {bottom:.2f} l")
            top = bottom
        operators = ["q"]
        for color, rects in fills.items():
            operators.append(f"{color} rg")
            operators.extend(rects)
        operators.append(f"{_rgb(self.line_color)} RG 0.4 w")
        operators.extend(rules)
        operators.append("S")
        canvas.addLiteral("\n".join(operators))
        draw_texts(canvas, texts)
        canvas.addLiteral("Q")


_RGB: dict[int, tuple[Any, str]] = {}


def _rgb(color: Any) -> str:
    """« r g b » of a ReportLab colour, for the rg / RG operators."""
    found = _RGB.get(id(color))
    if found is None or found[0] is not color:
        red, green, blue = color.rgb()
        found = _RGB[id(color)] = (color, f"{red:.3f} {green:.3f} {blue:.3f}")
    return found[1]


def _style_key(style: TextStyle) -> tuple[str, float, float, int]:
    return (style.font, style.size, style.leading, id(style.color))


def draw_texts(canvas: Any, texts: Sequence[tuple[Text, float, float]]) -> None:
    """Draw several texts (each with its top-left corner) in a single PDF text object.

    Texts are drawn style by style (all labels, then all values…): each change of font or
    colour costs operators, and their order on the page does not matter.
    """
    if len(texts) > 1:
        ranks: dict[tuple[str, float, float, int], int] = {}
        for text, _x, _top in texts:
            ranks.setdefault(_style_key(text.style), len(ranks))
        texts = sorted(texts, key=lambda item: ranks[_style_key(item[0].style)])
    text_object = None
    font: tuple[str, float, float] | None = None
    color = None
    for text, x, top in texts:
        lines = text._lines
        if not lines:
            continue
        style = text.style
        if text_object is None:
            text_object = canvas.beginText(x, top - style.baseline)
        else:
            text_object.setTextOrigin(x, top - style.baseline)
        if font != (style.font, style.size, style.leading):
            font = (style.font, style.size, style.leading)
            text_object.setFont(*font)
        if color is not style.color:
            color = style.color
            text_object.setFillColor(color)
        for line in lines:
            text_object.textLine(line)
    if text_object is not None:
        canvas.drawText(text_object)


# --------------------------------------------------------------------------------------------
# Headings, bookmarks, table of contents, page numbers
# --------------------------------------------------------------------------------------------

TOTAL_FORM = "RegistreTotalPages"


class _Registry:
    """What headings report while the document is drawn: pages, outline, progress."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.pages: dict[str, int] = {}
        self.outline: list[tuple[int, str, int]] = []
        self.toc: list[tuple[str, str]] = []  # (form name, heading key)
        self.total = total
        self.done = 0
        self.progress = progress
        self.last_page = 0
        self.part: str | None = None  # organisation of the page being drawn (several parts)

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


class Heading(Text):
    """A heading that is a bookmark, an outline entry and (maybe) a table-of-contents line."""

    def __init__(
        self,
        text: str,
        style: TextStyle,
        *,
        key: str,
        level: int,
        registry: _Registry,
        outline: str | None = None,
        step: bool = False,
        space_before: float = 0.0,
        space_after: float = 4.0,
        lines: list[str] | None = None,
        part: str | None = None,
    ) -> None:
        super().__init__(text, style, lines=lines)
        self.key = key
        self.level = level
        self.registry = registry
        self.outline_title = outline if outline is not None else text
        self.step = step
        self.part = part
        self.spaceBefore = space_before
        self.spaceAfter = space_after

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        if len(parts) == 2:  # only a huge title splits: the bookmark stays on its first line
            first = parts[0]
            parts[0] = Heading(
                first.text,
                self.style,
                key=self.key,
                level=self.level,
                registry=self.registry,
                outline=self.outline_title,
                step=self.step,
                lines=first.lines_for(available_width),
                part=self.part,
                space_before=self.spaceBefore,
            )
        return list(parts)

    def draw(self) -> None:
        super().draw()
        canvas = self.canv
        _x, top = canvas.absolutePosition(0, self.height)
        canvas.bookmarkPage(self.key, fit="XYZ", left=0, top=top + 6)
        title = _one_line(self.outline_title)
        if len(title) > 200:
            title = title[:199] + "…"
        canvas.addOutlineEntry(title, self.key, level=self.level, closed=self.level > 0)
        page = canvas.getPageNumber()
        self.registry.pages[self.key] = page
        self.registry.outline.append((self.level, title, page))
        if self.part is not None:
            self.registry.part = self.part
        if self.step:
            self.registry.step()


class TocLine(Flowable):  # type: ignore[misc]
    """One line of the table of contents; its page number is a form filled in at the end."""

    NUMBER_WIDTH = 30.0
    INDENT = 12.0

    def __init__(
        self,
        title: str,
        level: int,
        form: str | None,
        style: TextStyle,
        *,
        lines: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.title = title
        self.level = level
        self.form = form
        self.style = style
        self.text = Text(title, style, lines=lines)
        self.spaceAfter = 1.5 if level else 3.0
        self.spaceBefore = 0.0 if level else 3.0

    def _text_width(self, width: float) -> float:
        return width - self.level * self.INDENT - self.NUMBER_WIDTH - 6

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.text.measure(self._text_width(available_width))
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.text.split_at(self._text_width(available_width), available_height)
        if parts is None:
            return []
        if not parts[1].lines_for(0):
            return [self]
        first = TocLine(self.title, self.level, None, self.style, lines=parts[0].lines_for(0))
        second = TocLine(self.title, self.level, self.form, self.style, lines=parts[1].lines_for(0))
        return [first, second]

    def draw(self) -> None:
        canvas = self.canv
        x = self.level * self.INDENT
        lines = self.text.lines_for(self._text_width(self.width))
        self.text.draw_at(canvas, x, self.height)
        if self.form is None or not lines:
            return
        baseline = self.height - (len(lines) - 1) * self.style.leading - self.style.baseline
        start = x + text_width(lines[-1], self.style) + 4
        end = self.width - self.NUMBER_WIDTH
        if end - start > 6:
            canvas.saveState()
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.setDash(0.6, 2.4)
            canvas.line(start, baseline + 0.5, end, baseline + 0.5)
            canvas.restoreState()
        canvas.saveState()
        canvas.translate(self.width, baseline)
        canvas.doForm(self.form)
        canvas.restoreState()


class _FillForms(Flowable):  # type: ignore[misc]
    """Last flowable: writes the page numbers of the contents and the page total as forms."""

    _ZEROSIZE = True

    def __init__(self, registry: _Registry, style: TextStyle) -> None:
        super().__init__()
        self.registry = registry
        self.style = style

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        canvas = self.canv
        registry = self.registry
        for form, key in registry.toc:
            page = registry.pages.get(key)
            canvas.beginForm(form, lowerx=-60, lowery=-4, upperx=2, uppery=14)
            canvas.setFont(self.style.font, self.style.size)
            canvas.setFillColor(self.style.color)
            canvas.drawRightString(0, 0, str(page) if page else "—")
            canvas.endForm()
        registry.last_page = canvas.getPageNumber()
        canvas.beginForm(TOTAL_FORM, lowerx=-2, lowery=-4, upperx=60, uppery=14)
        canvas.setFont(FOOTER.font, FOOTER.size)
        canvas.setFillColor(FOOTER.color)
        canvas.drawString(0, 0, str(registry.last_page))
        canvas.endForm()


# --------------------------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------------------------

INK = colors.HexColor("#1A1F26")
NAVY = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2E6DA4")
MUTED = colors.HexColor("#5F6B7A")
MASKED = colors.HexColor("#8A4B08")
LINE = colors.HexColor("#B8C2CC")
LABEL_FILL = colors.HexColor("#EEF2F7")
HEADER_FILL = colors.HexColor("#DCE3EC")
SUBTITLE_FILL = colors.HexColor("#F6F8FB")
WHITE = colors.white
ERROR = colors.HexColor("#A61B1B")

BODY = TextStyle(REGULAR, 9.0, 11.6, INK)
LABEL = TextStyle(BOLD, 8.2, 10.8, colors.HexColor("#2B3A4A"))
NOTE = TextStyle(OBLIQUE, 8.6, 11.2, MUTED)
MASKED_STYLE = TextStyle(OBLIQUE, 8.6, 11.2, MASKED)
SMALL = TextStyle(REGULAR, 8.0, 10.4, INK)
SMALL_BOLD = TextStyle(BOLD, 8.0, 10.4, INK)
DETAIL = TextStyle(REGULAR, 7.6, 9.8, colors.HexColor("#3D4752"))
DETAIL_FILL = colors.HexColor("#FAFBFC")
HEADER = TextStyle(BOLD, 7.8, 10.0, NAVY)
FOOTER = TextStyle(REGULAR, 7.4, 9.0, MUTED)
SECTION = TextStyle(BOLD, 9.6, 12.4, WHITE)
SUBTITLE = TextStyle(BOLD, 8.8, 11.4, NAVY)
META = TextStyle(REGULAR, 8.6, 11.4, MUTED)
H1 = TextStyle(BOLD, 17.0, 21.5, NAVY)
H2 = TextStyle(BOLD, 13.0, 16.5, NAVY)
TOC0 = TextStyle(BOLD, 9.6, 12.4, NAVY)
TOC1 = TextStyle(REGULAR, 9.0, 11.6, INK)
COVER_KICKER = TextStyle(BOLD, 10.0, 13.0, ACCENT)
COVER_TITLE = TextStyle(BOLD, 26.0, 31.0, NAVY)
COVER_PROFILE = TextStyle(BOLD, 14.0, 18.0, ACCENT)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm
LABEL_FRAC = 0.30


# --------------------------------------------------------------------------------------------
# Laying out the model
# --------------------------------------------------------------------------------------------


def _value_text(item: Item) -> Text:
    if item.value is None:
        return Text(NOT_FILLED, NOTE)
    if item.masked:
        return Text(item.value, MASKED_STYLE)
    return Text(item.value, BODY)


def _title_row(text: str, style: TextStyle = SECTION, fill: Any = NAVY) -> Row:
    return Row([Cell(Text(text, style), 1.0, fill)], "title")


def _continued(label: str) -> Text:
    return Text(f"{label} (suite)", NOTE)


def _item_rows(items: Sequence[Item]) -> list[Row]:
    return [
        Row(
            [
                Cell(Text(french_label(item.label), LABEL), LABEL_FRAC, LABEL_FILL),
                Cell(_value_text(item), 1 - LABEL_FRAC),
            ],
            continued=_continued(item.label),
        )
        for item in items
    ]


def _fractions(weights: Sequence[float]) -> list[float]:
    total = sum(weights) or 1.0
    return [weight / total for weight in weights]


FRAME_WIDTH = A4[0] - 2 * 18 * mm
MAX_COLUMNS = 4  # more columns than this become « label : value » lines under each row
_MIN_WORD = 70.0  # a column is never made wider than this for one long word of its cells


def column_fractions(
    weights: Sequence[float],
    columns: Sequence[Sequence[str]],
    styles: Sequence[TextStyle],
    width: float = 0.0,
) -> list[float]:
    """Shares of ``width`` for table columns: by weight, but each column at least as wide as
    the longest word of its heading (and of its cells, up to a limit), so words are not cut.

    ``columns[i]`` holds the texts of column i (heading first); ``styles[i]`` their style.
    """
    width = width or FRAME_WIDTH
    minimum = []
    for index, texts in enumerate(columns):
        widest = 0.0
        for position, text in enumerate(texts):
            style = HEADER if position == 0 else styles[index]
            for word in text.split():
                word_width = _unit_width(style.font, word) * style.size
                if position and word_width > _MIN_WORD:
                    word_width = _MIN_WORD
                widest = max(widest, word_width)
        minimum.append(widest + 2 * PAD_X + 1)
    if sum(minimum) > width:
        scale = width / sum(minimum)
        return [m * scale / width for m in minimum]
    fixed: dict[int, float] = {}
    while True:
        free = width - sum(fixed.values())
        weight = sum(w for i, w in enumerate(weights) if i not in fixed) or 1.0
        widths = [fixed.get(i, free * w / weight) for i, w in enumerate(weights)]
        short = [i for i, w in enumerate(widths) if i not in fixed and w < minimum[i] - 1e-6]
        if not short:
            return [w / width for w in widths]
        for i in short:
            fixed[i] = minimum[i]


def _cell_text(value: str | None, masked: bool, style: TextStyle = SMALL) -> Text:
    if value is None:
        return Text("—", NOTE)
    if masked:
        return Text(value, MASKED_STYLE)
    return Text(value, style)


def _table_grid(table: Table, titles: list[Row]) -> Grid:
    count = f" ({len(table.rows)})" if table.rows else ""
    rows = [*titles, _title_row(table.title + count, SUBTITLE, SUBTITLE_FILL)]
    if not table.rows:
        rows.append(Row([Cell(Text(table.empty, NOTE), 1.0)]))
        return Grid(rows)
    shown = min(len(table.columns), MAX_COLUMNS)
    masked = table.masked_columns or tuple(False for _ in table.columns)
    if len(table.columns) == 1:  # a plain list: no heading row
        for values in table.rows:
            rows.append(Row([Cell(_cell_text(values[0], masked[0]), 1.0)]))
        return Grid(rows)
    fracs = column_fractions(
        table.weights[:shown],
        [[table.columns[i], *(row[i] or "" for row in table.rows)] for i in range(shown)],
        [SMALL] * shown,
    )
    header = Row(
        [
            Cell(Text(column, HEADER), frac, HEADER_FILL)
            for column, frac in zip(table.columns[:shown], fracs, strict=True)
        ],
        "header",
    )
    for values in table.rows:
        rows.append(
            Row(
                [
                    Cell(_cell_text(values[i], masked[i] and values[i] is not None), fracs[i])
                    for i in range(shown)
                ]
            )
        )
        extra = [
            f"{french_label(table.columns[i])} {values[i]}"
            for i in range(shown, len(table.columns))
            if values[i]
        ]
        if extra:
            rows.append(Row([Cell(Text("\n".join(extra), DETAIL), 1.0, DETAIL_FILL)], glued=True))
    return Grid(rows, header)


def block_flowables(block: Block) -> list[Flowable]:
    """A sheet section: its title bar, its items, then its tables."""
    heading = f"{block.article} · {block.title}" if block.article else block.title
    titles = [_title_row(heading)]
    flowables: list[Flowable] = []
    items: list[Item] = []

    def flush() -> None:
        nonlocal titles
        if items:
            flowables.append(Grid([*titles, *_item_rows(items)], space_after=4))
            titles = []
            items.clear()

    for content in block.content:
        if isinstance(content, Item):
            items.append(content)
            continue
        flush()
        flowables.append(_table_grid(content, titles))
        titles = []
    flush()
    if flowables:
        flowables[-1].spaceAfter = 9
    return flowables


def _card_grid(card: Card) -> Grid:
    rows: list[Row] = [_title_row(card.title or "—", SUBTITLE, SUBTITLE_FILL)]
    pending: list[Item] = []

    room = 0.31 * FRAME_WIDTH - 2 * PAD_X

    def short(item: Item) -> bool:
        """Fits on one line of a half-width value column."""
        if item.value is None:
            return True
        style = MASKED_STYLE if item.masked else BODY
        return "\n" not in item.value and text_width(item.value, style) <= room

    def flush_pair() -> None:
        if not pending:
            return
        cells: list[Cell] = []
        fracs = (0.19, 0.31) if len(pending) == 2 else (0.19, 0.81)
        for item in pending:
            cells.append(Cell(Text(french_label(item.label), LABEL), fracs[0], LABEL_FILL))
            cells.append(Cell(_value_text(item), fracs[1]))
        rows.append(Row(cells, continued=_continued(pending[0].label)))
        pending.clear()

    for item in card.items:
        if short(item):
            pending.append(item)
            if len(pending) == 2:
                flush_pair()
            continue
        flush_pair()
        pending.append(item)
        flush_pair()
    flush_pair()
    if len(rows) == 1:
        rows.append(Row([Cell(Text("Aucune autre information.", NOTE), 1.0)]))
    return Grid(rows, space_after=7)


class _Story:
    """Builds the flowables of one document."""

    def __init__(
        self, document: ExportDocument, signer: SignerInfo | None, registry: _Registry
    ) -> None:
        self.document = document
        self.signer = signer
        self.registry = registry
        self.flowables: list[Flowable] = []
        self.toc: list[tuple[int, str, str]] = []  # (level, title, key)
        self._keys = 0

    # -- helpers -------------------------------------------------------------------------

    def key(self) -> str:
        self._keys += 1
        return f"r{self._keys}"

    def heading(
        self,
        text: str,
        style: TextStyle,
        level: int,
        *,
        toc: bool = True,
        step: bool = False,
        space_before: float = 0.0,
        part: str | None = None,
    ) -> Heading:
        key = self.key()
        if toc:
            self.toc.append((level, text, key))
        return Heading(
            text,
            style,
            key=key,
            level=level,
            registry=self.registry,
            step=step,
            space_before=space_before,
            space_after=6.0,
            part=part,
        )

    def add(self, *flowables: Flowable) -> None:
        self.flowables.extend(flowables)

    # -- document ------------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        document = self.document
        cover = self.cover()
        body: list[Flowable] = []
        self.flowables = body
        multi = len(document.parts) > 1
        for part in document.parts:
            self.part(part, 1 if multi else 0, multi)
        if document.masked:
            self.masked_annex()
        if not document.parts:
            self.add(
                PageBreak(),
                Text("Ce registre ne contient encore aucun organisme.", NOTE),
            )
        contents = self.contents()
        return [
            *cover,
            NextPageTemplate("body"),
            PageBreak(),
            *contents,
            *body,
            _FillForms(self.registry, TOC1),
        ]

    def contents(self) -> list[Flowable]:
        flowables: list[Flowable] = [
            Heading(
                "Sommaire",
                H1,
                key="sommaire",
                level=0,
                registry=self.registry,
                space_after=10,
            )
        ]
        for index, (level, title, key) in enumerate(self.toc):
            form = f"RegistreToc{index}"
            self.registry.toc.append((form, key))
            flowables.append(TocLine(title, level, form, TOC0 if level == 0 else TOC1))
        return flowables

    # -- cover ---------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        document = self.document
        flowables: list[Flowable] = [
            Heading(
                "Page de garde",
                COVER_KICKER,
                key="garde",
                level=0,
                registry=self.registry,
                lines=["RÈGLEMENT GÉNÉRAL SUR LA PROTECTION DES DONNÉES — ARTICLE 30"],
            ),
            Spacer(1, 4),
            Text("Registre des activités de traitement", COVER_TITLE),
            Spacer(1, 6),
            Text(document.profile.label, COVER_PROFILE),
            Spacer(1, 2),
            Text(document.profile.description, META),
            Spacer(1, 12),
        ]
        for part in document.parts:
            flowables.append(self.cover_organisation(part))
        if not document.parts:
            flowables.append(Text("Aucun organisme dans ce registre.", NOTE))
        flowables.append(self.cover_export())
        flowables.append(
            Text(
                "Ce document est signé électroniquement (signature PAdES intégrée). Pour "
                "vérifier qu'il n'a pas été modifié depuis l'export : « registre verify "
                "FICHIER » ; l'empreinte du certificat affichée doit être celle ci-dessus. "
                "L'empreinte courte imprimée en pied de page identifie le contenu exporté : "
                "deux exports d'un registre inchangé, avec le même profil, ont la même "
                "empreinte. L'empreinte SHA-256 du fichier lui-même est inscrite au journal "
                "du registre.",
                NOTE,
            )
        )
        return flowables

    def cover_organisation(self, part: Part) -> Grid:
        items: list[Item] = [part.kind, part.siren, part.dpo]
        counts = (
            f"{len(part.sheets)} au total : {len(part.controller_sheets)} en tant que "
            f"responsable de traitement, {len(part.processor_sheets)} en tant que sous-traitant"
        )
        items.append(Item("Traitements", counts))
        if part.completeness is not None:
            completeness = part.completeness
            items.append(
                Item(
                    "Complétude (article 30)",
                    f"{completeness.percent}{NNBSP}% — {completeness.counts_text} ; "
                    f"{completeness.activities_without_findings} traitement(s) sans remarque",
                )
            )
        return Grid([_title_row(part.name), *_item_rows(items)], space_after=10)

    def cover_export(self) -> Grid:
        document = self.document
        items = [
            Item("Date et heure de l'export", document.generated_text),
            Item("Profil", document.profile.label),
            Item(
                "Version du registre",
                f"révision {document.revision} (schéma {document.schema_version}) — "
                f"Registre {document.app_version}",
            ),
            Item("Empreinte du contenu (SHA-256)", grouped_hex(document.fingerprint)),
        ]
        if self.signer is not None:
            items += [
                Item("Signature électronique", f"PAdES, par {quoted(self.signer.name)}"),
                Item(
                    "Empreinte du certificat (SHA-256)",
                    grouped_hex(self.signer.certificate_sha256),
                ),
            ]
        else:
            items.append(Item("Signature électronique", "Document non signé (rendu de contrôle)"))
        return Grid([_title_row("Export"), *_item_rows(items)], space_after=10)

    # -- one organisation ----------------------------------------------------------------

    def part(self, part: Part, level: int, multi: bool) -> None:
        style = H2 if multi else H1
        if multi:
            self.add(PageBreak(), self.heading(part.name, H1, 0, part=part.name))
        heading = self.heading("Identification de l'organisme", style, level, space_before=6)
        self.add(heading) if multi else self.add(PageBreak(), heading)
        for block in part.identity:
            self.add(*block_flowables(block))
        self.summary(part, level)
        self.sheets(
            part.controller_sheets,
            "Fiches des traitements — responsable de traitement (article 30.1)",
            level,
            empty="Aucun traitement tenu en tant que responsable de traitement.",
        )
        if part.processor_sheets:
            self.sheets(
                part.processor_sheets,
                "Registre des activités de sous-traitance (article 30.2)",
                level,
            )
        number = 0
        if part.software is not None:
            number += 1
            self.add(
                PageBreak(),
                self.heading(f"Annexe {number} — Inventaire des logiciels", style, level),
            )
            self.cards(part.software, "Aucun logiciel inventorié.")
        if part.processors is not None:
            number += 1
            self.add(
                PageBreak(),
                self.heading(f"Annexe {number} — Sous-traitants", style, level),
            )
            self.cards(part.processors, "Aucun sous-traitant déclaré.")
        if part.completeness is not None:
            number += 1
            self.add(
                PageBreak(),
                self.heading(f"Annexe {number} — Rapport de complétude", style, level),
            )
            self.completeness(part)

    def summary(self, part: Part, level: int) -> None:
        self.add(
            CondPageBreak(70 * mm),
            self.heading(
                "Synthèse des traitements", H1 if level == 0 else H2, level, space_before=10
            ),
        )
        if not part.sheets:
            self.add(Text("Aucun traitement.", NOTE), Spacer(1, 6))
            return
        cells = [summary_row(part, sheet) for sheet in part.sheets]
        styles = [SMALL_BOLD if i == 1 else SMALL for i in range(len(part.summary_columns))]
        fracs = column_fractions(
            part.summary_weights,
            [[c, *(row[i] for row in cells)] for i, c in enumerate(part.summary_columns)],
            styles,
        )
        header = Row(
            [
                Cell(Text(c, HEADER), f, HEADER_FILL)
                for c, f in zip(part.summary_columns, fracs, strict=True)
            ],
            "header",
        )
        rows: list[Row] = []
        position = 0
        for group, sheets in (
            ("Responsable de traitement (article 30.1)", part.controller_sheets),
            ("Sous-traitant (article 30.2)", part.processor_sheets),
        ):
            if not sheets:
                continue
            if part.processor_sheets:
                rows.append(Row([Cell(Text(group, SUBTITLE), 1.0, SUBTITLE_FILL)]))
            for _sheet in sheets:
                values = cells[position]
                position += 1
                rows.append(
                    Row(
                        [
                            Cell(Text(value or "—", styles[index]), fracs[index])
                            for index, value in enumerate(values)
                        ]
                    )
                )
        self.add(Grid(rows, header))

    def sheets(self, sheets: Sequence[Sheet], title: str, level: int, empty: str = "") -> None:
        self.add(PageBreak(), self.heading(title, H1 if level == 0 else H2, level))
        if not sheets:
            self.add(Text(empty, NOTE))
            return
        for index, sheet in enumerate(sheets):
            if index:
                self.add(PageBreak())
            self.sheet(sheet, level + 1)

    def sheet(self, sheet: Sheet, level: int) -> None:
        self.add(self.heading(sheet.title, H2, level, step=True, space_before=2))
        meta = []
        if sheet.service:
            meta.append(f"Service{NBSP}: {sheet.service}")
        meta.append(
            "Responsable de traitement (art. 30.1)"
            if sheet.role == "controller"
            else "Sous-traitant (art. 30.2)"
        )
        if sheet.status:
            meta.append(sheet.status)
        meta.append(f"Données sensibles{NBSP}: {'oui' if sheet.sensitive else 'non'}")
        if sheet.score is not None:
            meta.append(f"Complétude{NBSP}: {sheet.score}{NNBSP}%")
        self.add(Text(" · ".join(meta), META), Spacer(1, 7))
        for block in sheet.blocks:
            self.add(*block_flowables(block))

    def cards(self, cards: Sequence[Card], empty: str) -> None:
        if not cards:
            self.add(Text(empty, NOTE))
            return
        for card in cards:
            self.add(_card_grid(card))

    def completeness(self, part: Part) -> None:
        report = part.completeness
        assert report is not None
        self.add(
            Text(
                f"Conformité à l'article 30{NBSP}: {report.percent}{NNBSP}% — "
                f"{report.counts_text}. {report.activities_without_findings} traitement(s) "
                f"sur {len(part.sheets)} sans remarque.",
                BODY,
            ),
            Spacer(1, 4),
            Text(
                "Erreur : mention obligatoire de l'article 30 absente. Avertissement : mention "
                "demandée « dans la mesure du possible » ou « le cas échéant », ou incohérence. "
                "Conseil : bonne pratique. Le score d'un traitement est la part des exigences "
                "de l'article 30 applicables qui sont remplies.",
                NOTE,
            ),
            Spacer(1, 8),
        )
        if not report.findings:
            self.add(Text("Aucune remarque.", BODY))
            return
        groups: dict[str, list[Any]] = {}
        for finding in report.findings:
            groups.setdefault(finding.article, []).append(finding)
        header = Row(
            [
                Cell(Text(t, HEADER), f, HEADER_FILL)
                for t, f in (
                    ("Article", 0.16),
                    ("Objet", 0.42),
                    ("Erreurs", 0.14),
                    ("Avertissements", 0.16),
                    ("Conseils", 0.12),
                )
            ],
            "header",
        )
        rows = []
        for article, findings in groups.items():
            counts = {"error": 0, "warning": 0, "info": 0}
            for finding in findings:
                counts[finding.severity] = counts.get(finding.severity, 0) + 1
            rows.append(
                Row(
                    [
                        Cell(Text(article or "—", SMALL_BOLD), 0.16),
                        Cell(Text(findings[0].article_title or "—", SMALL), 0.42),
                        Cell(Text(str(counts["error"]), SMALL), 0.14),
                        Cell(Text(str(counts["warning"]), SMALL), 0.16),
                        Cell(Text(str(counts["info"]), SMALL), 0.12),
                    ]
                )
            )
        self.add(Grid([_title_row("Remarques par article"), *rows], header, space_after=12))
        finding_header = Row(
            [
                Cell(Text(t, HEADER), f, HEADER_FILL)
                for t, f in (("Élément", 0.30), ("Gravité", 0.14), ("Constat", 0.56))
            ],
            "header",
        )
        for article, findings in groups.items():
            title = f"Article {article}" if article else "Autres remarques"
            if findings[0].article_title:
                title += f" — {findings[0].article_title}"
            rows = [_title_row(title)]
            for finding in findings:
                style = TextStyle(BOLD, SMALL.size, SMALL.leading, ERROR)
                rows.append(
                    Row(
                        [
                            Cell(Text(finding.record, SMALL), 0.30),
                            Cell(
                                Text(
                                    finding.severity_label,
                                    style if finding.severity == "error" else SMALL,
                                ),
                                0.14,
                            ),
                            Cell(Text(f"{finding.message} ({finding.reference})", SMALL), 0.56),
                        ]
                    )
                )
            self.add(Grid(rows, finding_header, space_after=9))

    def masked_annex(self) -> None:
        document = self.document
        self.add(
            PageBreak(),
            self.heading("Annexe — Éléments occultés (article L311-6 du CRPA)", H1, 0),
            Text(MASK_REASON, BODY),
            Spacer(1, 5),
            Text(
                "Dans cette version communicable, la mention "
                f"{quoted('[masqué — article L311-6 du CRPA]')} remplace la valeur des champs "
                "ci-dessous, qui contiennent les noms et coordonnées directes d'agents. Le "
                "nombre indique combien de valeurs ont été occultées dans ce document (une "
                "même valeur répétée sur chaque fiche compte à chaque fois). Les champs de "
                "texte libre ne sont pas analysés : ils ne doivent pas contenir de noms "
                "d'agents.",
                BODY,
            ),
            Spacer(1, 8),
        )
        header = Row(
            [
                Cell(Text(t, HEADER), f, HEADER_FILL)
                for t, f in (("Fiche", 0.3), ("Champ occulté", 0.5), ("Valeurs occultées", 0.2))
            ],
            "header",
        )
        rows = [
            Row(
                [
                    Cell(Text(item.entity, SMALL), 0.3),
                    Cell(Text(item.label, SMALL_BOLD), 0.5),
                    Cell(Text(str(item.count), SMALL), 0.2),
                ]
            )
            for item in document.masked
        ]
        self.add(Grid(rows, header))


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


class _Template(BaseDocTemplate):  # type: ignore[misc]
    """A4 pages: a cover template and a body template with running header and footer."""

    def __init__(
        self, output: io.BytesIO, document: ExportDocument, registry: _Registry, **options: Any
    ) -> None:
        self.document = document
        self.registry = registry
        names = document.organisation_names or document.register_name
        title = f"Registre des activités de traitement — {names}"
        super().__init__(
            output,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=_metadata(title),
            author=_metadata(names),
            subject="RGPD article 30 — registre des activités de traitement",
            creator=f"Registre {__version__}",
            keywords="RGPD, article 30, registre des activités de traitement",
            lang="fr-FR",
            initialFontName=REGULAR,
            initialFontSize=9,
            initialLeading=11.6,
            pageCompression=1,
            **options,
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], onPageEnd=self._cover_page),
                PageTemplate("body", [frame], onPageEnd=self._body_page),
            ]
        )
        self._names = names
        self._footer_center = (
            f"Exporté le {short_datetime(document.generated_at)} · "
            f"registre révision {document.revision}"
        )
        self._footer_right = f"Empreinte {document.short_fingerprint}"

    def _cover_page(self, canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(NAVY)
        canvas.rect(0, PAGE_HEIGHT - 8 * mm, PAGE_WIDTH, 8 * mm, stroke=0, fill=1)
        canvas.restoreState()
        self._footer(canvas)

    def _body_page(self, canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        y = PAGE_HEIGHT - MARGIN_TOP + 6 * mm
        canvas.setFont(HEADER.font, HEADER.size)
        canvas.setFillColor(HEADER.color)
        header = f"{self.registry.part or self._names} — {self.document.profile.label}"
        canvas.drawString(MARGIN_X, y, truncate(header, HEADER, self.width))
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y - 2.5 * mm, PAGE_WIDTH - MARGIN_X, y - 2.5 * mm)
        canvas.restoreState()
        self._footer(canvas)

    def _footer(self, canvas: Any) -> None:
        canvas.saveState()
        y = MARGIN_BOTTOM - 9 * mm
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y + 3.8 * mm, PAGE_WIDTH - MARGIN_X, y + 3.8 * mm)
        canvas.setFont(FOOTER.font, FOOTER.size)
        canvas.setFillColor(FOOTER.color)
        label = f"Page {canvas.getPageNumber()} / "
        canvas.drawString(MARGIN_X, y, label)
        canvas.translate(MARGIN_X + text_width(label, FOOTER), y)
        canvas.doForm(TOTAL_FORM)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFont(FOOTER.font, FOOTER.size)
        canvas.setFillColor(FOOTER.color)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, self._footer_center)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y, self._footer_right)
        canvas.restoreState()


def _metadata(text: str) -> str:
    text = _one_line(clean_text(text))
    return text if len(text) <= 300 else text[:299] + "…"


@contextmanager
def _no_ascii85() -> Iterator[None]:
    """Plain Flate streams (ReportLab adds ASCII85 by default: 25 % larger, slower)."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def render_pdf(
    document: ExportDocument,
    *,
    signer: SignerInfo | None = None,
    invariant: bool = False,
    progress: Progress | None = None,
) -> RenderedPdf:
    """Lay ``document`` out as an unsigned PDF (one pass; ``invariant`` for golden tests)."""
    register_fonts()
    registry = _Registry(document.sheet_count + 1, progress)
    story = _Story(document, signer, registry).build()
    output = io.BytesIO()
    with _render_lock, _no_ascii85():
        template = _Template(output, document, registry, invariant=1 if invariant else 0)
        template.build(story)
    if registry.last_page != template.page:
        raise AssertionError(f"page total {registry.last_page} != {template.page} pages laid out")
    return RenderedPdf(output.getvalue(), template.page, tuple(registry.outline))


# --------------------------------------------------------------------------------------------
# The official export
# --------------------------------------------------------------------------------------------


def export_pdf(
    register: Register,
    output: Path | str,
    *,
    profile: str | Profile = "full",
    organisation_id: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Export the register (or one organisation) as a signed PDF written atomically to ``output``.

    ``progress(done, total)`` is called as activity sheets are laid out. The file's SHA-256 is
    recorded in the audit trail (action « exported », entity « export ») unless the register is
    read-only (``recorded=False``). Raises SigningKeyMissing on a read-only register without a
    key, RecordNotFound for an unknown organisation, UnknownProfile, StorageFailure when the
    file cannot be written.
    """
    chosen = parse_profile(profile)
    output = Path(output)
    identity = ensure_signing_identity(register)  # SigningKeyMissing if read-only and none
    document = build_document(register, profile=chosen, organisation_id=organisation_id)
    if progress is not None:
        progress(0, document.sheet_count + 1)
    rendered = render_pdf(
        document, signer=SignerInfo(identity.signer, identity.fingerprint), progress=progress
    )
    signed = _sign(rendered.data, identity, document)
    digest = hashlib.sha256(signed).hexdigest()
    write_atomic(output, signed)
    if register.read_only:  # read-only media: the signed file stands, its hash goes unrecorded
        if progress is not None:
            progress(document.sheet_count + 1, document.sheet_count + 1)
        return ExportResult(output, digest, rendered.pages, chosen.value, document.fingerprint,
                            identity.fingerprint, recorded=False)
    try:
        with register.write() as session, AuditTrail(session, register.context.actor) as trail:
            trail.append(
                at=register.context.clock(),
                action="exported",
                entity="export",
                entity_id=register.context.new_id(),
                organisation_id=organisation_id
                or (document.parts[0].id if len(document.parts) == 1 else None),
                changes={
                    "file": output.name,
                    "format": "pdf",
                    "sha256": digest,
                    "profile": chosen.value,
                    "organisation": document.organisation_names,
                    "pages": rendered.pages,
                    "fingerprint": document.fingerprint,
                    "certificate_sha256": identity.fingerprint,
                },
            )
    except BaseException:
        with suppress(OSError):
            output.unlink()  # no official export without its audit record
        raise
    if progress is not None:
        progress(document.sheet_count + 1, document.sheet_count + 1)
    return ExportResult(
        path=output,
        sha256=digest,
        pages=rendered.pages,
        profile=chosen.value,
        fingerprint=document.fingerprint,
        certificate_sha256=identity.fingerprint,
    )


def _sign(data: bytes, identity: SigningIdentity, document: ExportDocument) -> bytes:
    reason = f"Export officiel du registre des activités de traitement ({document.profile.label})"
    return sign_pdf(data, identity, reason=reason, location="")


__all__ = [
    "ExportResult",
    "RenderedPdf",
    "SignerInfo",
    "export_pdf",
    "para_text",
    "register_fonts",
    "render_pdf",
]
