"""The fiche of one processing activity as a PDF, laid out with the register's engine.

A fiche is what a secretary hands the DPO after a declaration (``registre.declaration.Fiche``):
the activity, what is to be seen with the DPO, what is still missing and every answer. It
uses the register's fonts, styles and plain-text flowables (user text never goes through a
markup parser), on A4 pages with « page x / y » at the foot. It is a working paper: not
signed, not recorded in the audit trail.

Like the register, it is a tagged PDF (PDF/UA-1 aimed at): the engine marks what it draws
(``registre.pdf.tagging``), the title and section titles are headings (H1, then H2), the lists
are L/LI with their bullet as label (Lbl) and their text as body (LBody), the answers a table
whose questions head their rows, and the foot line an artifact; the structure tree, language
and title are written once the pages are laid out (``registre.pdf.assemble.tag_document``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageTemplate, Spacer

from registre.declaration import Fiche, fiche_facts, fiche_texts, overview_text
from registre.pdf.assemble import tag_document
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
    TextStyle,
    register_fonts,
)
from registre.pdf.tagging import FOOTER_ARTIFACT, Node, Tagger, tagger_of

_INDENT = 4 * mm  # from the margin to the bullet
_HANG = 3.5 * mm  # from the bullet to its text (wrapped lines start there too)


class _Heading(Text):
    """A title: a heading element (``role``: H1, H2) rather than a paragraph."""

    def __init__(self, text: str, style: TextStyle, role: str) -> None:
        super().__init__(text, style)
        self.role = role

    def structure(self, tagger: Tagger) -> Node:
        if self.node is None:
            self.node = tagger.add(Node(self.role))
        return self.node


class _List:
    """The list element the items of one list share."""

    def __init__(self) -> None:
        self.node: Node | None = None


class _Item:
    """One list item's elements (LI, its label and its body), shared by its parts."""

    def __init__(self, owner: _List) -> None:
        self.owner = owner
        self.label: Node | None = None
        self.body: Node | None = None

    def nodes(self, tagger: Tagger) -> tuple[Node, Node]:
        """(Lbl, LBody), created when the item is first drawn."""
        if self.label is None or self.body is None:
            if self.owner.node is None:
                self.owner.node = tagger.add(Node("L"))
            item = self.owner.node.add(Node("LI"))
            self.label, self.body = item.add(Node("Lbl")), item.add(Node("LBody"))
        return self.label, self.body


class _Bullet(Flowable):  # type: ignore[misc]
    """One item of a list: « • » then plain text whose wrapped lines hang under its start."""

    def __init__(self, body: Text, item: _Item, *, marked: bool = True) -> None:
        super().__init__()
        self.body = body
        self.item = item
        self.marked = marked  # False for the part continued on the next page

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.body.measure(available_width - _INDENT - _HANG)
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.body.split_at(available_width - _INDENT - _HANG, available_height)
        if parts is None:
            return []
        return [
            _Bullet(parts[0], self.item, marked=self.marked),
            _Bullet(parts[1], self.item, marked=False),
        ]

    def draw(self) -> None:
        canvas = self.canv
        tagger = tagger_of(canvas)
        label, body = self.item.nodes(tagger) if tagger is not None else (None, None)
        if self.marked:
            if label is not None and tagger is not None:
                canvas.addLiteral(tagger.mark(label, canvas.getPageNumber() - 1))
            canvas.setFont(BODY.font, BODY.size)
            canvas.setFillColor(BODY.color)
            canvas.drawString(_INDENT, self.height - BODY.baseline, "•")
            if label is not None:
                canvas.addLiteral("EMC")
        self.body.draw_at(canvas, _INDENT + _HANG, self.height, body)


def _bullets(lines: Sequence[str]) -> list[Flowable]:
    owner = _List()
    return [_Bullet(Text(line, BODY), _Item(owner)) for line in lines]


def _no_break(text: str) -> str:
    """French punctuation kept with its word: « traitement ? » never breaks before « ? »."""
    return text.replace(" ?", "\u00a0?").replace(" :", "\u00a0:")


def _section(title: str) -> list[Flowable]:
    return [Spacer(0, 3 * mm), _Heading(title, SUBTITLE, "H2"), Spacer(0, 1.2 * mm)]


def fiche_story(fiche: Fiche, lang: str = "fr") -> list[Flowable]:
    """The fiche's flowables: title, facts, to-dos, what is missing, the answers."""
    texts = fiche_texts(lang)
    story: list[Flowable] = [
        _Heading(texts.title, H1, "H1"),
        _Heading(fiche.name, H2, "H2"),
        Spacer(0, 1 * mm),
    ]
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
        self.tagger = Tagger()  # what the flowables record for the structure tree

    def _foot(self, canvas: Any, _doc: Any) -> None:
        number = canvas.getPageNumber()
        counter = f"page {number} / {self.pages}" if self.pages else f"page {number}"
        canvas.addLiteral(FOOTER_ARTIFACT)
        canvas.saveState()
        canvas.setFont(FOOTER.font, FOOTER.size)
        canvas.setFillColor(FOOTER.color)
        y = MARGIN_BOTTOM - 8 * mm
        canvas.drawString(MARGIN_X, y, truncate(self.label, FOOTER, FRAME_WIDTH * 0.75))
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y, counter)
        canvas.restoreState()
        canvas.addLiteral("EMC")


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
    return tag_document(output.getvalue(), template.tagger, "fr-FR" if lang == "fr" else "en")
