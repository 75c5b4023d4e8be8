"""Fonts, colours, text styles and page geometry of the official PDF.

DejaVu Sans (regular, bold, oblique, bold oblique) comes from ``resources/fonts`` and is embedded
as subsets; no standard PDF font is ever referenced.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import BaseDocTemplate, Frame

from registre.pdf.font_cache import load_font

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


def register_fonts() -> None:
    """Register the shipped DejaVu Sans family with ReportLab (once per process)."""
    with _font_lock:
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FONT_FILES.items():
            if name in known:
                continue
            data = (resources.files("registre_resources") / "fonts" / filename).read_bytes()
            pdfmetrics.registerFont(load_font(name, data))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE
        )


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
DRAFT = colors.HexColor("#B34700")
DRAFT_FILL = colors.HexColor("#FFF1E0")

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
DRAFT_MARK = TextStyle(BOLD, 8.6, 11.4, DRAFT)
DRAFT_HEADER = TextStyle(BOLD, 7.8, 10.0, DRAFT)
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
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X


class A4Document(BaseDocTemplate):  # type: ignore[misc]
    """A4 pages with the register's margins, body font and one body frame (``body_frame``),
    shared by the register and the fiche; each adds its page templates."""

    def __init__(self, output: io.BytesIO, **options: Any) -> None:
        super().__init__(
            output,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            initialFontName=REGULAR,
            initialFontSize=9,
            initialLeading=11.6,
            pageCompression=1,
            **options,
        )
        self.body_frame = Frame(
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
