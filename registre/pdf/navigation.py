"""Headings, bookmarks, table-of-contents lines and page numbers filled in at the end.

Page numbers of the table of contents and the page total are PDF form XObjects written by the
last flowable, once every heading has been placed: a document is laid out in one pass.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from registre.pdf.engine import Text, one_line, text_width
from registre.pdf.styles import FOOTER, MUTED, TextStyle

Progress = Callable[[int, int], None]

# --------------------------------------------------------------------------------------------
# Headings, bookmarks, table of contents, page numbers
# --------------------------------------------------------------------------------------------

TOTAL_FORM = "RegistreTotalPages"


class Registry:
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
        registry: Registry,
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
        title = one_line(self.outline_title)
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


class FillForms(Flowable):  # type: ignore[misc]
    """Last flowable: writes the page numbers of the contents and the page total as forms."""

    _ZEROSIZE = True

    def __init__(self, registry: Registry, style: TextStyle) -> None:
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
