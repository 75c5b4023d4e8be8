"""The fiche of one processing activity as a PDF, laid out with the register's engine.

A fiche is what a secretary hands the DPO after a declaration (``registre.declaration.Fiche``):
the activity, what is to be seen with the DPO, what is still missing and every answer. It
uses the register's fonts, styles and plain-text flowables (user text never goes through a
markup parser), on A4 pages with « page x / y » at the foot. It is a working paper: not
signed, not recorded in the audit trail.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageTemplate, Spacer

from registre.declaration import Fiche, fiche_facts, fiche_texts, overview_text
from registre.pdf.engine import Cell, Grid, Row, Text, truncate
from registre.pdf.styles import (
    BODY,
    FOOTER,
    FRAME_WIDTH,
    H1,
    H2,
    LABEL,
    LABEL_FILL,
    LABEL_FRAC,
    MARGIN_BOTTOM,
    MARGIN_X,
    META,
    NOTE,
    PAGE_WIDTH,
    SMALL_BOLD,
    SUBTITLE,
    A4Document,
    register_fonts,
)

_INDENT = 4 * mm  # from the margin to the bullet
_HANG = 3.5 * mm  # from the bullet to its text (wrapped lines start there too)


class _Bullet(Flowable):  # type: ignore[misc]
    """One item of a list: « • » then plain text whose wrapped lines hang under its start."""

    def __init__(self, body: Text, *, marked: bool = True) -> None:
        super().__init__()
        self.body = body
        self.marked = marked  # False for the part continued on the next page

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.body.measure(available_width - _INDENT - _HANG)
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.body.split_at(available_width - _INDENT - _HANG, available_height)
        if parts is None:
            return []
        return [_Bullet(parts[0], marked=self.marked), _Bullet(parts[1], marked=False)]

    def draw(self) -> None:
        if self.marked:
            self.canv.setFont(BODY.font, BODY.size)
            self.canv.setFillColor(BODY.color)
            self.canv.drawString(_INDENT, self.height - BODY.baseline, "•")
        self.body.draw_at(self.canv, _INDENT + _HANG, self.height)


def _bullets(lines: Sequence[str]) -> list[Flowable]:
    return [_Bullet(Text(line, BODY)) for line in lines]


def _no_break(text: str) -> str:
    """French punctuation kept with its word: « traitement ? » never breaks before « ? »."""
    return text.replace(" ?", "\u00a0?").replace(" :", "\u00a0:")


def _section(title: str) -> list[Flowable]:
    return [Spacer(0, 3 * mm), Text(title, SUBTITLE), Spacer(0, 1.2 * mm)]


def fiche_story(fiche: Fiche, lang: str = "fr") -> list[Flowable]:
    """The fiche's flowables: title, facts, to-dos, what is missing, the answers."""
    texts = fiche_texts(lang)
    story: list[Flowable] = [Text(texts.title, H1), Text(fiche.name, H2), Spacer(0, 1 * mm)]
    story += [Text(fact, META) for fact in fiche_facts(fiche, lang)]
    story += [Spacer(0, 3 * mm), Text(overview_text(fiche, lang), SMALL_BOLD)]
    story += _section(texts.todos_heading)
    if fiche.todos:
        story += [Text(texts.todos_intro, BODY), *_bullets(fiche.todos)]
    else:
        story.append(Text(texts.no_todo, BODY))
    story += _section(texts.missing_heading)
    if fiche.missing:
        story += [*_bullets(fiche.missing), Spacer(0, 1 * mm), Text(texts.missing_note, NOTE)]
    else:
        story.append(Text(texts.nothing_missing, BODY))
    story += _section(texts.answers_heading)
    if fiche.answered:
        rows = [
            Row(
                [
                    Cell(Text(_no_break(question.title(lang)), LABEL), LABEL_FRAC, LABEL_FILL),
                    Cell(Text("\n".join(lines), BODY), 1 - LABEL_FRAC),
                ],
                continued=Text(question.title(lang), NOTE),
            )
            for question, lines in fiche.answered
        ]
        story.append(Grid(rows))
    else:
        story.append(Text(texts.no_answer, BODY))
    return story


class _FicheTemplate(A4Document):
    """A4 pages with the fiche's foot line: what it is, for whom, « page x / y »."""

    def __init__(self, output: io.BytesIO, fiche: Fiche, lang: str, pages: int, **options: Any):
        super().__init__(output, **options)
        frame = self.body_frame
        self.addPageTemplates([PageTemplate("fiche", [frame], onPageEnd=self._foot)])
        self.pages = pages
        self.lang = lang
        self.label = f"{fiche_texts(lang).title} · {fiche.organisation}"

    def _foot(self, canvas: Any, _doc: Any) -> None:
        number = canvas.getPageNumber()
        counter = f"page {number} / {self.pages}" if self.pages else f"page {number}"
        canvas.saveState()
        canvas.setFont(FOOTER.font, FOOTER.size)
        canvas.setFillColor(FOOTER.color)
        y = MARGIN_BOTTOM - 8 * mm
        canvas.drawString(MARGIN_X, y, truncate(self.label, FOOTER, FRAME_WIDTH * 0.75))
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y, counter)
        canvas.restoreState()


def fiche_pdf(fiche: Fiche, lang: str = "fr", *, invariant: bool = False) -> bytes:
    """The fiche as PDF bytes (two passes: the first counts the pages for « page x / y »).

    The metadata name the document only (« Fiche de traitement »), nothing of its content.
    """
    register_fonts()
    options = {
        "title": fiche_texts(lang).title,
        "author": "Registre",
        "creator": "Registre",
        "subject": "",
        "invariant": 1 if invariant else 0,
    }
    pages = 0
    for _pass in range(2):
        output = io.BytesIO()
        template = _FicheTemplate(output, fiche, lang, pages, **options)
        template.build(fiche_story(fiche, lang))
        pages = template.page
    return output.getvalue()
