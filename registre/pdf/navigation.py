"""Headings, table-of-contents lines and what they record for the assembled document.

A document is rendered in segments (``registre.pdf.render``) that may be laid out in separate
processes, each starting on a new page: no segment knows its first page number. Headings and
table-of-contents lines therefore only *record* where they were drawn (page within the segment,
position); the assembly (``registre.pdf.assemble``) turns these records into bookmarks, page
numbers and links once every segment is laid out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable

from registre.pdf.engine import Text, one_line, text_width
from registre.pdf.styles import MUTED, TextStyle
from registre.pdf.tagging import ARTIFACT, Node, Tagger, tagger_of

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class HeadingMark:
    """Where a heading was drawn: page within its segment (from 0), top of its first line."""

    key: str
    level: int
    title: str
    page: int
    top: float


@dataclass(frozen=True)
class TocMark:
    """A table-of-contents line: the heading it points to, where its page number goes (right
    edge and baseline) and the rectangle a reader clicks (page within the segment)."""

    key: str
    page: int
    right: float
    baseline: float
    rect: tuple[float, float, float, float]


class Registry:
    """What the flowables of one segment record while it is drawn."""

    def __init__(self, part: str | None = None) -> None:
        self.headings: list[HeadingMark] = []
        self.toc: list[TocMark] = []
        self.steps = 0  # activity sheets started in this segment
        self.part = part  # organisation of the page being drawn (several parts)
        self.draft = False  # the page being drawn belongs to the sheet of a draft activity
        self.on_step: Callable[[], None] | None = None  # told of each sheet (in this process)


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
        draft: bool = False,
    ) -> None:
        super().__init__(text, style, lines=lines)
        self.draft = draft
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
                draft=self.draft,
            )
        return list(parts)

    # Its position is read from the canvas' matrix: drawn the way ReportLab draws flowables.
    drawOn = Flowable.drawOn

    def structure(self, tagger: Tagger) -> Node:
        """A heading element (H1 for the outline's first level); an activity sheet's heading
        opens the sheet's section."""
        return tagger.heading(self.level, sheet=self.step)

    def draw(self) -> None:
        super().draw()
        canvas = self.canv
        _x, top = canvas.absolutePosition(0, self.height)
        title = one_line(self.outline_title)
        if len(title) > 200:
            title = title[:199] + "…"
        registry = self.registry
        registry.headings.append(
            HeadingMark(self.key, self.level, title, canvas.getPageNumber() - 1, top)
        )
        if self.part is not None:
            registry.part = self.part
        registry.draft = self.draft
        if self.step:
            registry.steps += 1
            if registry.on_step is not None:
                registry.on_step()


class TocLine(Flowable):  # type: ignore[misc]
    """One line of the table of contents; its page number is written when the document is
    assembled, at the place it records."""

    NUMBER_WIDTH = 30.0
    INDENT = 12.0

    def __init__(
        self,
        title: str,
        level: int,
        key: str | None,
        style: TextStyle,
        registry: Registry,
        *,
        lines: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.title = title
        self.level = level
        self.key = key  # the heading it points to (None: first part of a split line)
        self.style = style
        self.registry = registry
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
        registry = self.registry
        first = TocLine(
            self.title, self.level, None, self.style, registry, lines=parts[0].lines_for(0)
        )
        second = TocLine(
            self.title, self.level, self.key, self.style, registry, lines=parts[1].lines_for(0)
        )
        return [first, second]

    def draw(self) -> None:
        canvas = self.canv
        x = self.level * self.INDENT
        lines = self.text.lines_for(self._text_width(self.width))
        tagger = tagger_of(canvas)
        node = None if tagger is None or not lines else tagger.toc_entry(self.key)
        self.text.draw_at(canvas, x, self.height, node)
        if self.key is None or not lines:
            return
        baseline = self.height - (len(lines) - 1) * self.style.leading - self.style.baseline
        start = x + text_width(lines[-1], self.style) + 4
        end = self.width - self.NUMBER_WIDTH
        if end - start > 6:
            canvas.addLiteral(
                f"q {ARTIFACT} {_MUTED} RG 0.6 w [0.6 2.4] 0 d {start:.2f} {baseline + 0.5:.2f} m "
                f"{end:.2f} {baseline + 0.5:.2f} l S EMC Q"
            )
        left, bottom = canvas.absolutePosition(x, 0)
        right, top = canvas.absolutePosition(self.width, self.height)
        _x, absolute_baseline = canvas.absolutePosition(0, baseline)
        self.registry.toc.append(
            TocMark(
                self.key,
                canvas.getPageNumber() - 1,
                right,
                absolute_baseline,
                (left, bottom, right, top),
            )
        )


_MUTED = " ".join(f"{c:.3f}" for c in MUTED.rgb())
