"""Rendering: the story laid out on A4 pages with running header and footer.

Every body page has the footer « Page x / y », the export date, the register revision and the
short content fingerprint; the header names the organisation and the profile.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from registre import __version__
from registre.export_model import ExportDocument, clean_text, short_datetime
from registre.pdf.engine import one_line, text_width, truncate
from registre.pdf.navigation import TOTAL_FORM, Progress, Registry
from registre.pdf.story import SignerInfo, Story
from registre.pdf.styles import (
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
    register_fonts,
)

_render_lock = threading.Lock()


@dataclass(frozen=True)
class RenderedPdf:
    """An unsigned rendering: the bytes, the page count and the outline (level, title, page)."""

    data: bytes
    pages: int
    outline: tuple[tuple[int, str, int], ...]


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


class _Template(BaseDocTemplate):  # type: ignore[misc]
    """A4 pages: a cover template and a body template with running header and footer."""

    def __init__(
        self, output: io.BytesIO, document: ExportDocument, registry: Registry, **options: Any
    ) -> None:
        self.document = document
        self.registry = registry
        names = document.organisation_names or document.register_name
        title = f"Registre des activités de traitement — {names}"
        super().__init__(
            output,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
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
    text = one_line(clean_text(text))
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
    registry = Registry(document.sheet_count + 1, progress)
    story = Story(document, signer, registry).build()
    output = io.BytesIO()
    with _render_lock, _no_ascii85():
        template = _Template(output, document, registry, invariant=1 if invariant else 0)
        template.build(story)
    if registry.last_page != template.page:
        raise AssertionError(f"page total {registry.last_page} != {template.page} pages laid out")
    return RenderedPdf(output.getvalue(), template.page, tuple(registry.outline))
