"""The official PDF of the register, laid out with ReportLab (platypus), never signed here.

Layers, each in its own module:

- ``styles``: fonts (DejaVu Sans, embedded as subsets), colours, text styles, page geometry;
- ``engine``: the layout engine — plain text that wraps and splits line by line, grids of text
  cells that split inside rows; user text never goes through a markup parser;
- ``navigation``: headings (bookmarks, outline, table-of-contents entries), table-of-contents
  lines and the page numbers filled in at the end;
- ``story``: the export model (``registre.export_model``) turned into flowables;
- ``render``: the A4 page templates (running header and footer) and ``render_pdf``.

Signing, the checker, writing the file and the audit record are the official export service's
(``registre.official_export``); ``render_pdf`` only lays a model out (golden tests, benchmarks).
"""

from registre.pdf.engine import para_text, text_width, wrap_text
from registre.pdf.navigation import Progress
from registre.pdf.render import RenderedPdf, render_pdf, reportlab_accelerated
from registre.pdf.story import SignerInfo
from registre.pdf.styles import register_fonts

__all__ = [
    "Progress",
    "RenderedPdf",
    "SignerInfo",
    "para_text",
    "register_fonts",
    "render_pdf",
    "reportlab_accelerated",
    "text_width",
    "wrap_text",
]
