"""Rendering: the story laid out on A4 pages, segment by segment, then assembled.

The body is cut into segments of about a hundred sheets, each starting on a new page
(``registre.pdf.story``). Segments are laid out independently — in worker processes when the
platform can fork them, one after the other otherwise — each into a small PDF of its own;
``registre.pdf.assemble`` then joins them behind the front matter (cover and contents), writes
the page numbers, the contents' page numbers and links, the bookmarks and the metadata, and
signs. Cut points are fixed by the content, never by the number of processors, so the same
document gives the same bytes everywhere.

Every body page has a running header (organisation and profile, « BROUILLON » on a draft's
sheet) and a footer (export date and register revision, short content fingerprint, and the
« Page x / y » written at assembly).
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import sys
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Flowable, PageTemplate

from registre.export_model import ExportDocument, short_datetime
from registre.pdf.engine import Text, _encoder, _rgb, text_operators, text_width, truncate
from registre.pdf.navigation import HeadingMark, Progress, Registry, TocMark
from registre.pdf.story import Deferred, Layout, SignerInfo, Story, expand
from registre.pdf.styles import (
    DRAFT,
    DRAFT_FILL,
    DRAFT_HEADER,
    FOOTER,
    HEADER,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    NAVY,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    A4Document,
    register_fonts,
)
from registre.pdf.tagging import (
    FOOTER_ARTIFACT,
    HEADER_ARTIFACT,
    LAYOUT_ARTIFACT,
    Structure,
    Tagger,
    artifact,
    write_structure,
)

_render_lock = threading.Lock()
DRAFT_LABEL = "BROUILLON"
FOOTER_Y = MARGIN_BOTTOM - 9 * mm
NUMBER_CHARACTERS = "Page0123456789/ —"  # what the assembly writes: page numbers, totals


@dataclass(frozen=True)
class RenderedSegment:
    """One laid-out segment: its PDF, pages, and what its flowables recorded (pages counted
    from 0 within the segment); ``glyphs`` encodes the characters the assembly writes.

    ``structure``: its structure elements, written by the process that laid it out (the
    front matter, laid out by the assembling process, keeps its ``tagger`` instead: its links
    get their annotations at assembly); ``links`` the heading keys of its contents lines' Link
    elements, ``marks`` the number of MCIDs used on each page."""

    data: bytes
    pages: int
    headings: tuple[HeadingMark, ...]
    toc: tuple[TocMark, ...]
    sheets: int
    glyphs: dict[str, tuple[str, str]]
    structure: Structure | None
    tagger: Tagger | None
    links: tuple[str, ...]
    marks: tuple[int, ...]


@dataclass(frozen=True)
class RenderedPdf:
    """A rendering: the bytes, the page count and the outline (level, title, page)."""

    data: bytes
    pages: int
    outline: tuple[tuple[int, str, int], ...]


Sign = Callable[[bytes], bytes]  # SHA-256 of the signed byte ranges -> DER CMS signature


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


class _Template(A4Document):
    """A4 pages: the cover template and the body template with running header and footer."""

    def __init__(
        self, output: io.BytesIO, document: ExportDocument, registry: Registry, *, cover: bool
    ) -> None:
        self.document = document
        self.registry = registry
        # the assembled document carries the real dates and identifier
        super().__init__(output, invariant=1)
        frame = self.body_frame
        body = PageTemplate("body", [frame], onPageEnd=self._body_page)
        templates = [PageTemplate("cover", [frame], onPageEnd=self._cover_page), body]
        self.addPageTemplates(templates if cover else [body])
        self._names = document.organisation_names or document.register_name
        self.tagger = Tagger()  # what the flowables record for the structure tree
        self._literals: dict[tuple[str, bool], str] = {}
        self._footer_literal = ""

    # Headers and footers are the same on many pages: their operators are written once per
    # organisation (and draft state) and reused.

    def _footer(self, canvas: Any) -> str:
        if not self._footer_literal:
            document = self.document
            center = (
                f"Exporté le {short_datetime(document.generated_at)} · "
                f"registre révision {document.revision}"
            )
            right = f"Empreinte {document.short_fingerprint}"
            top = FOOTER_Y + FOOTER.baseline
            texts = [
                (Text(center, FOOTER, lines=[center]), (PAGE_WIDTH - _width(center)) / 2, top),
                (Text(right, FOOTER, lines=[right]), PAGE_WIDTH - MARGIN_X - _width(right), top),
            ]
            rule = FOOTER_Y + 3.8 * mm
            footer = "\n".join(
                [
                    "q",
                    f"{_rgb(LINE)} RG 0.5 w {MARGIN_X:.2f} {rule:.2f} m "
                    f"{PAGE_WIDTH - MARGIN_X:.2f} {rule:.2f} l S",
                    *text_operators(canvas, texts),
                    "Q",
                ]
            )
            self._footer_literal = artifact(footer, FOOTER_ARTIFACT)
        return self._footer_literal

    def _header(self, canvas: Any) -> str:
        registry = self.registry
        key = (registry.part or self._names, registry.draft)
        found = self._literals.get(key)
        if found is None:
            y = PAGE_HEIGHT - MARGIN_TOP + 6 * mm
            header = f"{key[0]} — {self.document.profile.label}"
            room = self.width
            operators = ["q"]
            texts: list[tuple[Text, float, float]] = []
            if registry.draft:  # every page of a draft's sheet says so, top right
                mark_width = text_width(DRAFT_LABEL, DRAFT_HEADER) + 8
                room -= mark_width + 6
                left = PAGE_WIDTH - MARGIN_X - mark_width
                operators.append(
                    f"{_rgb(DRAFT_FILL)} rg {_rgb(DRAFT)} RG 0.6 w "
                    f"{left:.2f} {y - 2.2:.2f} {mark_width:.2f} 10.50 re B"
                )
                texts.append(
                    (
                        Text(DRAFT_LABEL, DRAFT_HEADER, lines=[DRAFT_LABEL]),
                        left + 4,
                        y + DRAFT_HEADER.baseline,
                    )
                )
            shown = truncate(header, HEADER, room)
            texts.insert(0, (Text(shown, HEADER, lines=[shown]), MARGIN_X, y + HEADER.baseline))
            operators += text_operators(canvas, texts)
            rule = y - 2.5 * mm
            operators.append(
                f"{_rgb(LINE)} RG 0.5 w {MARGIN_X:.2f} {rule:.2f} m "
                f"{PAGE_WIDTH - MARGIN_X:.2f} {rule:.2f} l S"
            )
            operators.append("Q")
            found = self._literals[key] = artifact("\n".join(operators), HEADER_ARTIFACT)
        return found

    def _cover_page(self, canvas: Any, _doc: Any) -> None:
        band = (
            f"q {_rgb(NAVY)} rg 0 {PAGE_HEIGHT - 8 * mm:.2f} {PAGE_WIDTH:.2f} {8 * mm:.2f} re f Q"
        )
        canvas.addLiteral(artifact(band, LAYOUT_ARTIFACT))
        canvas.addLiteral(self._footer(canvas))

    def _body_page(self, canvas: Any, _doc: Any) -> None:
        canvas.addLiteral(self._header(canvas))
        canvas.addLiteral(self._footer(canvas))


def _width(text: str) -> float:
    return text_width(text, FOOTER)


def reportlab_accelerated() -> bool:
    """Whether ReportLab runs its C accelerator (``rl_accel``) rather than pure Python for
    number formatting, string escaping and width measurement."""
    try:
        import _rl_accel  # type: ignore[import-not-found]
    except ImportError:
        return False
    from reportlab.lib import rl_accel

    return all(
        getattr(rl_accel, name) is getattr(_rl_accel, name)
        for name in ("fp_str", "escapePDF", "instanceStringWidthTTF")
    )


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]
    """Flate at zlib's fastest level: the pages' streams compress three times faster for a
    file about a tenth larger (the default level took a tenth of the layout's time)."""

    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


_FAST_FLATE = _FastFlate()


@contextmanager
def _stream_encoding() -> Iterator[None]:
    """Plain Flate streams (ReportLab adds ASCII85 by default: 25 % larger, slower), at the
    fastest level."""
    previous = rl_config.useA85, pdfdoc.PDFZCompress
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress = _FAST_FLATE
    try:
        yield
    finally:
        rl_config.useA85, pdfdoc.PDFZCompress = previous


# --------------------------------------------------------------------------------------------
# Segments
# --------------------------------------------------------------------------------------------


def _render_segment(
    document: ExportDocument,
    flowables: Sequence[Flowable | Deferred],
    registry: Registry,
    part: str | None,
    *,
    cover: bool,
) -> RenderedSegment:
    """Lay ``flowables`` out as a PDF of their own (``cover``: the front matter)."""
    registry.headings.clear()
    registry.toc.clear()
    registry.steps = 0
    registry.part = part
    registry.draft = False
    output = io.BytesIO()
    glyphs: dict[str, tuple[str, str]] = {}

    class _Glyphs(Flowable):  # type: ignore[misc]
        """Last flowable: encodes the characters the assembly will write on these pages."""

        _ZEROSIZE = True

        def wrap(self, _width: float, _height: float) -> tuple[float, float]:
            return 0.0, 0.0

        def draw(self) -> None:
            encoder = _encoder(self.canv)
            for char in NUMBER_CHARACTERS:
                ((font, chunk),) = encoder.pieces(REGULAR, char)
                glyphs[char] = (font, chunk)

    with _render_lock, _stream_encoding():
        template = _Template(output, document, registry, cover=cover)
        template.build([*expand(flowables), _Glyphs()])
    tagger = template.tagger
    tagger.pages += [[] for _ in range(template.page - len(tagger.pages))]
    return RenderedSegment(
        output.getvalue(),
        template.page,
        tuple(registry.headings),
        tuple(registry.toc),
        registry.steps,
        glyphs,
        None if cover else write_structure(tagger, template.page),
        tagger if cover else None,
        tuple(key for key, _node in tagger.links),
        tuple(len(owners) for owners in tagger.pages),
    )


_FORKED: tuple[ExportDocument, Layout] | None = None  # what forked workers inherit
# A worker collects its garbage (each segment leaves some 100,000 objects in reference cycles:
# split parts, the canvas and its document) every few segments only: collecting after each one
# cost about an eighth of the export's processor time. Meanwhile the worker grows by about 7 MB
# a segment; what is left ends with the process.
SEGMENTS_BETWEEN_COLLECTIONS = 8
_uncollected = 0  # segments laid out by this worker since its last collection


def _forked_segment(index: int) -> RenderedSegment:
    global _uncollected  # noqa: PLW0603 - the worker's own count
    assert _FORKED is not None
    document, layout = _FORKED
    segment = layout.segments[index]
    rendered = _render_segment(
        document, segment.flowables, layout.registry, segment.part, cover=False
    )
    _uncollected += 1
    if _uncollected >= SEGMENTS_BETWEEN_COLLECTIONS:
        gc.collect()  # what the worker inherited is frozen: only its own garbage is examined
        _uncollected = 0
    return rendered


def worker_count(segments: int) -> int:
    """Processes to lay segments out in: one per processor, when this process may fork."""
    if segments < 2 or sys.platform != "linux" or threading.active_count() > 1:
        return 1  # spawning would cost more than it saves; forking a threaded process is unsafe
    return max(1, min(segments, os.cpu_count() or 1))


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Layout creates millions of small objects that live until the document is written (cells,
    lines, structure elements): the cycle collector's repeated passes over them cost a fifth
    to a third of the rendering and find almost nothing to free. It runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def prepare() -> None:
    """Load what laying out and assembling a document needs (the assembly's modules, the fonts)
    ahead of the first rendering: the command line does it while the register is unlocked."""
    import registre.pdf.assemble  # noqa: F401 - loaded now rather than after the layout

    register_fonts()


def render_pdf(
    document: ExportDocument,
    *,
    signer: SignerInfo | None = None,
    progress: Progress | None = None,
    sign: Sign | None = None,
) -> RenderedPdf:
    """Lay ``document`` out as a PDF; signed when ``sign`` is given (it receives the SHA-256 of
    the signed byte ranges and returns the DER CMS signature)."""
    with _without_cycle_collector():
        return _render(document, signer, progress, sign)


def _render(
    document: ExportDocument,
    signer: SignerInfo | None,
    progress: Progress | None,
    sign: Sign | None,
) -> RenderedPdf:
    from registre.pdf.assemble import assemble

    register_fonts()
    layout = Story(document, signer).build()
    total = document.sheet_count + 1
    done = 0

    def advance(sheets: int) -> None:
        nonlocal done
        done += sheets
        if progress is not None:
            progress(min(done, total), total)

    workers = worker_count(len(layout.segments))
    body: list[RenderedSegment] = []
    if workers == 1:
        layout.registry.on_step = lambda: advance(1)
        try:
            for segment in layout.segments:
                body.append(
                    _render_segment(
                        document, segment.flowables, layout.registry, segment.part, cover=False
                    )
                )
        finally:
            layout.registry.on_step = None
        front = _render_segment(document, layout.front, layout.registry, None, cover=True)
        return assemble(document, front, body, signer=signer, sign=sign)
    global _FORKED  # noqa: PLW0603 - handed to the forked workers, cleared right after
    _FORKED = (document, layout)
    gc.freeze()  # the workers' collections leave the inherited objects (and their pages) alone
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.imap(_forked_segment, range(len(layout.segments)))
            # The front matter is laid out here while the workers lay out the body.
            front = _render_segment(document, layout.front, layout.registry, None, cover=True)
            for rendered in results:
                body.append(rendered)
                advance(rendered.sheets)
    finally:
        _FORKED = None
        gc.unfreeze()
    return assemble(document, front, body, signer=signer, sign=sign)


__all__ = ["RenderedPdf", "RenderedSegment", "prepare", "render_pdf", "reportlab_accelerated"]
