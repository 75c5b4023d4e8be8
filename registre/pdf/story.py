"""The document story: the export model (``registre.export_model``) as a list of flowables.

Cover page (organisation, SIREN, DPO, export date, register revision, completeness, certificate
fingerprint), table of contents, organisation identity, summary table, one sheet per activity in
Article 30 order, the processor register (30.2), annexes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak, Spacer

from registre.export_model import (
    ARTICLE_30_WORDS,
    MASK_REASON,
    NBSP,
    NNBSP,
    NOT_FILLED,
    Block,
    Card,
    ExportDocument,
    Item,
    Part,
    Sheet,
    Table,
    french_label,
    grouped_hex,
    quoted,
    summary_row,
)
from registre.pdf.engine import PAD_X, Cell, Grid, Row, Text, text_width, widest_word
from registre.pdf.navigation import Heading, Registry, TocLine
from registre.pdf.styles import (
    BODY,
    BOLD,
    COVER_KICKER,
    COVER_PROFILE,
    COVER_TITLE,
    DETAIL,
    DETAIL_FILL,
    DRAFT,
    DRAFT_FILL,
    DRAFT_MARK,
    ERROR,
    FRAME_WIDTH,
    H1,
    H2,
    HEADER,
    HEADER_FILL,
    LABEL,
    LABEL_FILL,
    LABEL_FRAC,
    MASKED_STYLE,
    META,
    NAVY,
    NOTE,
    SECTION,
    SMALL,
    SMALL_BOLD,
    SUBTITLE,
    SUBTITLE_FILL,
    TOC0,
    TOC1,
    TextStyle,
)


@dataclass(frozen=True)
class SignerInfo:
    """What the cover says about the signature."""

    name: str
    certificate_sha256: str


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
            word_width = widest_word(style.font, text) * style.size
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
        return Grid(rows, kind="list")
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
                ],
                continued=_continued(values[0] or "—"),
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


class SegmentBreak(PageBreak):  # type: ignore[misc]
    """A page break where the body may be cut into separately rendered segments."""

    def __init__(self, part: str | None) -> None:
        super().__init__()
        self.part = part  # the organisation whose pages follow (for the running header)


SEGMENT_SHEETS = 100  # sheets per segment: fixed, so the output never depends on the cores


@dataclass
class Segment:
    """Pages of the body rendered on their own: they start on a new page."""

    part: str | None
    flowables: list[Flowable | Deferred]
    sheets: int = 0


@dataclass
class Layout:
    """The document as flowables: the front matter (cover, contents) and the body segments,
    sharing one registry (each segment resets it before it is drawn)."""

    front: list[Flowable]
    segments: list[Segment]
    registry: Registry


class Deferred:
    """Flowables built only when their segment is laid out (in its own process, if any)."""

    def __init__(self, build: Callable[[], list[Flowable]]) -> None:
        self.build = build


def expand(flowables: Sequence[Flowable | Deferred]) -> list[Flowable]:
    """``flowables`` with every ``Deferred`` built."""
    result: list[Flowable] = []
    for flowable in flowables:
        if isinstance(flowable, Deferred):
            result.extend(flowable.build())
        else:
            result.append(flowable)
    return result


DRAFT_BANNER = (
    "BROUILLON — fiche en cours de rédaction, pas encore complétée ni validée : son contenu "
    "peut changer."
)


def sheet_flowables(sheet: Sheet) -> list[Flowable]:
    """What follows a sheet's heading: the draft banner, the summary line, its sections."""
    flowables: list[Flowable] = []
    if sheet.draft:
        banner = Row([Cell(Text(DRAFT_BANNER, DRAFT_MARK), 1.0, DRAFT_FILL)])
        flowables.append(Grid([banner], line_color=DRAFT, space_after=5))
    meta = []
    if sheet.service:
        meta.append(f"Service{NBSP}: {sheet.service}")
    if sheet.role in ("controller", "processor"):
        actor = "Responsable de traitement" if sheet.role == "controller" else "Sous-traitant"
        paragraph = "1" if sheet.role == "controller" else "2"
        where = f"directive 2016/680, art. 24.{paragraph}" if sheet.law_enforcement else None
        meta.append(f"{actor} ({where or f'art. 30.{paragraph}'})")
    if sheet.status:
        meta.append(sheet.status)
    meta.append(f"Données sensibles{NBSP}: {'oui' if sheet.sensitive else 'non'}")
    if sheet.score is not None:
        meta.append(f"Complétude{NBSP}: {sheet.score}{NNBSP}%")
    flowables += [Text(" · ".join(meta), META), Spacer(1, 7)]
    for block in sheet.blocks:
        flowables += block_flowables(block)
    return flowables


def _segments(body: Sequence[Flowable | Deferred]) -> list[Segment]:
    """``body`` cut at its page breaks into segments of about ``SEGMENT_SHEETS`` sheets."""
    segments: list[Segment] = []
    for flowable in body:
        if isinstance(flowable, SegmentBreak) and (
            not segments or segments[-1].sheets >= SEGMENT_SHEETS
        ):
            segments.append(Segment(flowable.part, []))
            continue
        segments[-1].flowables.append(flowable)
        if isinstance(flowable, Heading) and flowable.step:
            segments[-1].sheets += 1
    return segments


class Story:
    """Builds the flowables of one document."""

    def __init__(self, document: ExportDocument, signer: SignerInfo | None) -> None:
        self.document = document
        self.signer = signer
        self.registry = Registry()
        self.flowables: list[Flowable | Deferred] = []
        self.toc: list[tuple[int, str, str]] = []  # (level, title, key)
        self._keys = 0
        self.current_part: str | None = None

    def new_page(self) -> None:
        """Start a new page (a place where the body may be cut into segments)."""
        self.add(SegmentBreak(self.current_part))

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
        draft: bool = False,
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
            draft=draft,
        )

    def add(self, *flowables: Flowable | Deferred) -> None:
        self.flowables.extend(flowables)

    # -- document ------------------------------------------------------------------------

    def build(self) -> Layout:
        document = self.document
        cover = self.cover()
        body: list[Flowable | Deferred] = []
        self.flowables = body
        multi = len(document.parts) > 1
        for part in document.parts:
            self.part(part, 1 if multi else 0, multi)
        if document.masked:
            self.masked_annex()
        if not document.parts:
            self.new_page()
            self.add(Text("Ce registre ne contient encore aucun organisme.", NOTE))
        contents = self.contents()
        front = [*cover, NextPageTemplate("body"), PageBreak(), *contents]
        return Layout(front, _segments(body), self.registry)

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
        for level, title, key in self.toc:
            style = TOC0 if level == 0 else TOC1
            flowables.append(TocLine(title, level, key, style, self.registry))
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
                lines=[document.profile.words.kicker],
            ),
            Spacer(1, 4),
            Text(document.profile.words.register_title, COVER_TITLE),
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
                "du registre. Le journal ne fait que s'allonger : un export ultérieur dont le "
                "journal compterait moins d'entrées, ou une autre tête de chaîne pour le même "
                "nombre d'entrées, révélerait un journal modifié.",
                NOTE,
            )
        )
        return flowables

    def cover_organisation(self, part: Part) -> Grid:
        items: list[Item] = [part.kind, part.siren, part.dpo]
        words = self.document.profile.words
        if words is ARTICLE_30_WORDS:
            counts = (
                f"{len(part.sheets)} au total : {len(part.controller_sheets)} en tant que "
                f"responsable de traitement, {len(part.processor_sheets)} en tant que "
                "sous-traitant"
            )
        else:
            counts = str(len(part.sheets))
        items.append(Item(words.records, counts))
        if part.completeness is not None:
            completeness = part.completeness
            items.append(
                Item(
                    "Complétude (article 30)",
                    f"{completeness.percent}{NNBSP}% — {completeness.counts_text} ; "
                    f"{completeness.activities_without_findings} traitement(s) sans remarque",
                )
            )
        if part.changes_since:
            items.append(Item("Changements depuis la dernière publication", part.changes_since))
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
            Item(
                "Journal des modifications",
                f"{document.audit_entries} entrées ; dernière entrée (tête de chaîne, "
                f"SHA-256) {grouped_hex(document.audit_head)}"
                if document.audit_head
                else "aucune entrée",
            ),
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
            self.current_part = part.name
            self.new_page()
            self.add(self.heading(part.name, H1, 0, part=part.name))
        heading = self.heading("Identification de l'organisme", style, level, space_before=6)
        if not multi:
            self.new_page()
        self.add(heading)
        for block in part.identity:
            self.add(*block_flowables(block))
        if self.signer is not None:  # how to recognise this organisation's exports
            signature = Block(
                "Signature électronique des exports",
                "",
                (
                    Item("Signataire", self.signer.name),
                    Item(
                        "Empreinte du certificat de signature (SHA-256)",
                        grouped_hex(self.signer.certificate_sha256),
                    ),
                    Item(
                        "Vérifier un export",
                        "registre verify FICHIER --expect-fingerprint EMPREINTE : l'empreinte "
                        "ci-dessus, publiée par l'organisme, doit être celle du certificat qui a "
                        "signé le fichier.",
                    ),
                ),
            )
            self.add(*block_flowables(signature))
        self.summary(part, level)
        words = self.document.profile.words
        self.sheets(
            part.controller_sheets,
            words.sheets_title,
            level,
            empty=(
                "Aucun traitement tenu en tant que responsable de traitement."
                if words is ARTICLE_30_WORDS
                else words.no_record
            ),
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
            self.new_page()
            self.add(self.heading(f"Annexe {number} — Inventaire des logiciels", style, level))
            self.cards(part.software, "Aucun logiciel inventorié.")
        if part.processors is not None:
            number += 1
            self.new_page()
            self.add(self.heading(f"Annexe {number} — Sous-traitants", style, level))
            self.cards(part.processors, "Aucun sous-traitant déclaré.")
        if part.completeness is not None:
            number += 1
            self.new_page()
            self.add(self.heading(f"Annexe {number} — Rapport de complétude", style, level))
            self.completeness(part)

    def summary(self, part: Part, level: int) -> None:
        self.add(
            CondPageBreak(70 * mm),
            self.heading(
                self.document.profile.words.summary_title,
                H1 if level == 0 else H2,
                level,
                space_before=10,
            ),
        )
        if not part.sheets:
            self.add(Text(self.document.profile.words.no_record, NOTE), Spacer(1, 6))
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
                        ],
                        continued=_continued(values[0] or "—"),
                    )
                )
        self.add(Grid(rows, header))

    def sheets(self, sheets: Sequence[Sheet], title: str, level: int, empty: str = "") -> None:
        self.new_page()
        self.add(self.heading(title, H1 if level == 0 else H2, level))
        if not sheets:
            self.add(Text(empty, NOTE))
            return
        for index, sheet in enumerate(sheets):
            if index:
                self.new_page()
            self.sheet(sheet, level + 1)

    def sheet(self, sheet: Sheet, level: int) -> None:
        self.add(
            self.heading(sheet.title, H2, level, step=True, space_before=2, draft=sheet.draft),
            Deferred(lambda: sheet_flowables(sheet)),
        )

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
        self.new_page()
        self.add(
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
            Spacer(1, 5),
        )
        options = document.options
        if options is not None and options.mask_security:
            self.add(
                Text(
                    f"La mention {quoted('[masqué — article L311-5 2° d du CRPA]')} remplace "
                    "la description des mesures de sécurité : leur communication porterait "
                    "atteinte à la sécurité des systèmes d'information de l'administration.",
                    BODY,
                ),
                Spacer(1, 5),
            )
        if options is not None and not options.mask_officials:
            self.add(
                Text(
                    "Le nom du représentant légal, élu agissant en cette qualité (le maire, le "
                    "président), n'est pas occulté.",
                    BODY,
                ),
                Spacer(1, 5),
            )
        self.add(Spacer(1, 3))
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
