"""« Contrôle »: the checker's findings and a dashboard per organisation.

The findings table can be filtered by severity, by article and by text; opening a finding
(double-click or Enter) shows the record with the field to complete focused. The dashboard
gives the organisation's score, its counts by severity, its most frequent gaps, and a bar
chart of the scores of every organisation of the register (a DPO shared by several communes),
each bar labelled with its name and its percentage: nothing is told by colour alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPaintEvent,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from registre.checker import CheckReport, Finding, OrganisationScore, counts_text
from registre.companion import CompanionSummary
from registre.rules import (
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    Severity,
    article_sort_key,
    article_title,
)
from registre.schema import ENTITIES
from registre.services import ROW_COLLECTIONS
from registre.undo import item_label
from registre_ui.i18n import language
from registre_ui.models import AnyIndex, Column, ReadOnlyTableModel, SearchFilterProxy, TableRow
from registre_ui.widgets import (
    NOTICE_STYLE,
    WARNING_STYLE,
    RecordTableView,
    heading_label,
    plain_label,
    secondary,
)

TOP_GAPS = 5
VISIBLE_BARS = 8  # more organisations than this scroll inside the chart's frame
SEVERITY_KEYS = (Severity.ERROR, Severity.WARNING, Severity.INFO)


SEVERITY_COLOURS = {  # text colours of at least 4.5:1 on white and on the alternate row colour
    Severity.ERROR.value: QBrush(QColor("#a3151a")),
    Severity.WARNING.value: QBrush(QColor("#8a4600")),
    Severity.INFO.value: QBrush(QColor("#1f4e8c")),
}
_SEVERITY_ICONS = {
    Severity.ERROR.value: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING.value: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO.value: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def severity_icon(severity: str) -> QIcon | None:
    """The standard icon of a severity (the same as in message boxes)."""
    pixmap = _SEVERITY_ICONS.get(severity)
    if pixmap is None or not isinstance(QApplication.instance(), QApplication):
        return None
    return QApplication.style().standardIcon(pixmap)


def severity_label(severity: Severity) -> str:
    """« Erreur », « Avertissement », « Conseil »."""
    french, english = SEVERITY_LABELS[severity]
    return (english if language() == "en" else french).capitalize()


def _article_key(article: str) -> str:
    """A text that sorts like ``article_sort_key`` (Article 30 first, then by number)."""
    first, parts = article_sort_key(article)
    return f"{first}" + "".join(f"{kind}{number:04d}{text}" for kind, number, text in parts)


def element_label(finding: Finding) -> str:
    """« Traitement « Cantine » », « Sous-traitant « Hébergis » »…"""
    entity = ENTITIES.get(finding.entity)
    kind = entity.label(language()) if entity is not None else finding.entity
    if language() == "en":
        return f"{kind} “{finding.record_name}”"
    return f"{kind} « {finding.record_name} »"


def field_label(finding: Finding) -> str:
    """The field to complete: « Catégories de données (ligne 2) › Durée de conservation »."""
    entity = ENTITIES.get(finding.entity)
    if entity is None or not finding.field:
        return ""
    collection_key, _dot, key = finding.field.partition(".")
    if not key:
        return item_label(entity, collection_key, language())
    collection = entity.collection(collection_key)
    text = collection.label(language())
    position = finding.details.get("position")
    if isinstance(position, int):
        line = "row" if language() == "en" else "ligne"
        text = f"{text} ({line} {position})"
    return f"{text} › {item_label(collection.entity, key, language())}"


def render_findings(report: CheckReport) -> list[TableRow]:
    """One table row per finding (runs in the worker thread; row id = index of the finding)."""
    rows = []
    for position, finding in enumerate(report.findings):
        article = finding.article or finding.rule.article
        cells = [
            severity_label(finding.severity),
            article,
            element_label(finding),
            finding.message(language()),
            field_label(finding),
        ]
        full = [
            cells[0],
            f"{article} — {article_title(article, language())}".strip(" —"),
            cells[2],
            "\n".join(
                part for part in (finding.message(language()), finding.hint(language())) if part
            ),
            cells[4],
        ]
        rows.append(
            TableRow.build(
                str(position),
                cells,
                [SEVERITY_ORDER[finding.severity], _article_key(article)],
                finding.severity.value,
                (finding.organisation_id, article),
                full,
            )
        )
    return rows


def _finding_columns() -> list[Column]:
    translate = QCoreApplication.translate
    return [
        Column(translate("FindingsModel", "Gravité")),
        Column(
            translate("FindingsModel", "Article"),
            translate("FindingsModel", "Article du RGPD concerné"),
        ),
        Column(translate("FindingsModel", "Élément")),
        Column(translate("FindingsModel", "Constat")),
        Column(
            translate("FindingsModel", "Champ"),
            translate("FindingsModel", "Ce qu'il faut compléter ou corriger"),
        ),
    ]


class FindingsModel(ReadOnlyTableModel):
    """The findings of a check; ``finding(row)`` gives the checker's ``Finding``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_finding_columns(), parent)
        self._findings: list[Finding] = []

    def set_findings(self, report: CheckReport, rows: Sequence[TableRow]) -> None:
        """Show the findings of ``report`` (``rows`` from ``render_findings``)."""
        self._findings = list(report.findings)
        self._replace_rows(list(rows))

    def clear(self) -> None:
        """Show nothing (the register is locked)."""
        self._findings = []
        self._replace_rows([])

    def finding(self, row: int) -> Finding:
        """The finding shown at ``row``."""
        return self._findings[int(self.row_id(row))]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The severity reads as an icon, a word and a colour (never a colour alone)."""
        if index.isValid() and index.column() == 0 and index.row() < self.rowCount():
            if role == Qt.ItemDataRole.DecorationRole:
                return severity_icon(self.category(index.row()))
            if role == Qt.ItemDataRole.ForegroundRole:
                return SEVERITY_COLOURS.get(self.category(index.row()))
        return super().data(index, role)


class FindingsProxy(SearchFilterProxy):
    """Findings of one organisation, filtered by severity, article and words."""

    def __init__(self, model: FindingsModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent)
        self._findings_model = model
        self._organisation: str | None = None
        self._severity: str | None = None
        self._article: str | None = None

    def _set(self, name: str, value: str | None) -> None:
        if getattr(self, name) != value:
            self._refilter(lambda: setattr(self, name, value))

    def set_organisation(self, organisation_id: str | None) -> None:
        """Keep the findings of one organisation (all when None)."""
        self._set("_organisation", organisation_id)

    def set_severity(self, severity: str | None) -> None:
        """Keep the findings of one severity (all when None)."""
        self._set("_severity", severity)

    def set_article(self, article: str | None) -> None:
        """Keep the findings of one article (all when None)."""
        self._set("_article", article)

    def _row_accepted(self, row: TableRow) -> bool:
        """True when the finding passes every filter."""
        if self._organisation is not None and row.facets[0] != self._organisation:
            return False
        if self._severity is not None and row.category != self._severity:
            return False
        if self._article is not None and row.facets[1] != self._article:
            return False
        return super()._row_accepted(row)

    def finding(self, index: QModelIndex) -> Finding:
        """The finding at ``index`` of this proxy."""
        return self._findings_model.finding(self.mapToSource(index).row())


@dataclass(frozen=True)
class Bar:
    """One bar of the chart."""

    label: str
    percent: int
    current: bool = False


class ScoreChart(QWidget):
    """Horizontal bars of the organisations' scores, each with its name and percentage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.setAccessibleName(
            QCoreApplication.translate("ScoreChart", "Complétude des organismes")
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        """Draw ``bars`` (and describe them for screen readers)."""
        self.bars = list(bars)
        self.setAccessibleDescription(
            "; ".join(f"{bar.label} : {bar.percent} %" for bar in self.bars)
        )
        self.setToolTip("\n".join(f"{bar.label} : {bar.percent} %" for bar in self.bars))
        self.setFixedHeight(self.height_for(len(self.bars)))
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 12

    def height_for(self, bars: int) -> int:
        """Height of ``bars`` rows of bars."""
        return self._row_height() * max(bars, 1) + 8

    def bar_top(self, row: int) -> int:
        """Top of the bar on ``row``."""
        return 4 + row * self._row_height()

    def sizeHint(self) -> QSize:
        """Room for every bar."""
        return QSize(480, self.height_for(len(self.bars)))

    def paintEvent(self, event: QPaintEvent) -> None:
        """Names on the left, bars with their percentage written on them."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        row_height = self._row_height()
        name_width = min(
            max((bold_metrics.horizontalAdvance(bar.label) for bar in self.bars), default=0) + 12,
            self.width() // 2,
        )
        bar_area = max(self.width() - name_width - 8, 40)
        for row, bar in enumerate(self.bars):
            top = 4 + row * row_height
            painter.setFont(bold if bar.current else self.font())
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            name_rect = QRectF(0, top, name_width - 8, row_height)
            painter.drawText(
                name_rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                (bold_metrics if bar.current else metrics).elidedText(
                    bar.label, Qt.TextElideMode.ElideRight, name_width - 8
                ),
            )
            painter.setFont(self.font())
            track = QRectF(name_width, top + 3, bar_area, row_height - 6)
            painter.setPen(QColor("#8a94a3"))
            painter.setBrush(QColor("#eef1f5"))
            painter.drawRect(track)
            filled = QRectF(
                track.left(), track.top(), track.width() * bar.percent / 100, track.height()
            )
            painter.setBrush(QColor("#1f5fa8") if bar.current else QColor("#6f8fb8"))
            painter.drawRect(filled)
            text = f"{bar.percent} %"
            text_width = metrics.horizontalAdvance(text) + 8
            if filled.width() >= text_width:  # on the bar, in white
                painter.setPen(QColor("#ffffff"))
                text_rect = QRectF(filled.right() - text_width, top, text_width, row_height)
            else:  # after the bar, in the text colour
                painter.setPen(palette.color(QPalette.ColorRole.WindowText))
                text_rect = QRectF(filled.right() + 4, top, text_width, row_height)
            painter.drawText(
                text_rect, int(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter), text
            )
        painter.end()


class ControlPage(QWidget):
    """The dashboard of the organisation and the findings table."""

    open_requested = Signal(object)  # a Finding
    check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.organisation_id: str | None = None
        self.report: CheckReport | None = None

        self.score_label = heading_label("", scale=2.0)
        self.score_label.setAccessibleName(translate("ControlPage", "Complétude de l'organisme"))
        self.score_caption = plain_label(
            translate(
                "ControlPage",
                "Complétude du registre de l'organisme : moyenne des fiches de traitement.",
            )
        )
        self.counts_label = plain_label("")
        self.counts_label.setAccessibleName(translate("ControlPage", "Constats par gravité"))
        self.companions_label = plain_label("", selectable=True)
        self.companions_label.setAccessibleName(
            translate("ControlPage", "Violations et demandes de droits")
        )
        self.companions: list[tuple[str, str, CompanionSummary]] = []
        self.gaps_title = heading_label(
            translate("ControlPage", "Lacunes les plus fréquentes"), scale=1.1
        )
        self.gaps_label = plain_label("", selectable=True)
        self.gaps_label.setAccessibleName(translate("ControlPage", "Lacunes les plus fréquentes"))
        self.chart_title = heading_label(
            translate("ControlPage", "Complétude des organismes du registre"), scale=1.1
        )
        self.chart = ScoreChart()
        # A register of fifty communes has fifty bars: they scroll in a frame of a few rows,
        # so the dashboard never makes the window taller than the screen.
        self.chart_area = QScrollArea()
        self.chart_area.setWidget(self.chart)
        self.chart_area.setWidgetResizable(True)
        self.chart_area.setFrameShape(QFrame.Shape.NoFrame)
        self.chart_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._size_chart_area()
        self.status_label = plain_label(translate("ControlPage", "Contrôle en cours…"))
        self.status_label.setStyleSheet(NOTICE_STYLE)

        dashboard = QWidget()
        grid = QGridLayout(dashboard)
        left = QVBoxLayout()
        left.addWidget(self.score_label)
        left.addWidget(self.score_caption)
        left.addWidget(self.counts_label)
        left.addStretch()
        middle = QVBoxLayout()
        middle.addWidget(self.gaps_title)
        middle.addWidget(self.gaps_label)
        middle.addStretch()
        right = QVBoxLayout()
        right.addWidget(self.chart_title)
        right.addWidget(self.chart_area)
        right.addStretch()
        grid.addLayout(left, 0, 0)
        grid.addLayout(middle, 0, 1)
        grid.addLayout(right, 0, 2)
        grid.addWidget(self.companions_label, 1, 0, 1, 3)  # under the three columns
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)

        self.model = FindingsModel(self)
        self.proxy = FindingsProxy(self.model, self)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(translate("ControlPage", "Rechercher…"))
        self.search_edit.setAccessibleName(translate("ControlPage", "Rechercher un constat"))
        self.search_edit.textChanged.connect(self._filter_changed)
        self.severity_combo = QComboBox()
        self.severity_combo.addItem(translate("ControlPage", "Toutes"), None)
        for severity in SEVERITY_KEYS:
            self.severity_combo.addItem(severity_label(severity), severity.value)
        self.severity_combo.currentIndexChanged.connect(self._filter_changed)
        severity_label_widget = QLabel(translate("ControlPage", "&Gravité :"))
        severity_label_widget.setBuddy(self.severity_combo)
        self.article_combo = QComboBox()
        self.article_combo.setMinimumContentsLength(28)
        self.article_combo.currentIndexChanged.connect(self._filter_changed)
        article_label = QLabel(translate("ControlPage", "A&rticle :"))
        article_label.setBuddy(self.article_combo)
        self.organisation_check = QCheckBox(translate("ControlPage", "Cet organisme seulement"))
        self.organisation_check.setChecked(True)
        self.organisation_check.toggled.connect(self._filter_changed)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(severity_label_widget)
        filters.addWidget(self.severity_combo)
        filters.addWidget(article_label)
        filters.addWidget(self.article_combo)
        filters.addWidget(self.organisation_check)
        self.table = RecordTableView(translate("ControlPage", "Constats du contrôle"))
        self.table.priority_column = 3
        self.table.whole_columns = {0, 1}  # severity and article
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._open)
        hint = plain_label(
            translate(
                "ControlPage",
                "Double-cliquez sur un constat (ou appuyez sur Entrée) pour ouvrir la fiche "
                "sur le champ à compléter.",
            )
        )
        secondary(hint)

        findings = QWidget()
        findings_layout = QVBoxLayout(findings)
        findings_layout.setContentsMargins(0, 0, 0, 0)
        findings_layout.addLayout(filters)
        findings_layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.count_label)
        findings_layout.addLayout(bottom)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(dashboard)
        splitter.addWidget(findings)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)
        self._fill_articles([])

    # -- content -----------------------------------------------------------------------------

    def set_report(self, report: CheckReport, rows: Sequence[TableRow]) -> None:
        """Show a new check of the register."""
        self.report = report
        self.status_label.hide()
        self.model.set_findings(report, rows)
        self._fill_articles(
            sorted(
                {finding.article or finding.rule.article for finding in report.findings},
                key=article_sort_key,
            )
        )
        self._refresh_dashboard()
        self._update_count()

    def set_organisation(self, organisation_id: str | None) -> None:
        """Show the dashboard and findings of ``organisation_id``."""
        self.organisation_id = organisation_id
        self._filter_changed()
        self._refresh_dashboard()
        self._show_companions()

    def set_companions(self, summaries: Sequence[tuple[str, str, CompanionSummary]]) -> None:
        """Open breaches and rights requests of each organisation: (id, name, summary)."""
        self.companions = list(summaries)
        self._show_companions()

    def _show_companions(self) -> None:
        """The organisation's breaches and requests, then the other organisations' urgent ones."""
        translate = QCoreApplication.translate
        lines: list[str] = []
        urgent = False
        others: list[str] = []
        for organisation_id, name, summary in self.companions:
            to_notify, overdue = summary.breaches_to_notify, summary.overdue_requests
            if organisation_id == self.organisation_id:
                reviews = summary.reviews_overdue
                urgent = bool(to_notify or overdue or reviews)
                line = translate(
                    "ControlPage",
                    "Violations : {open} en cours, {to_notify} à notifier ou décider "
                    "(72 h) · Demandes de droits : {requests} en cours, {late} en retard",
                ).format(
                    open=summary.open_breaches,
                    to_notify=to_notify,
                    requests=summary.open_requests,
                    late=overdue,
                )
                if reviews:
                    line += translate(
                        "ControlPage", " · Analyses d'impact : {count} à revoir (revue dépassée)"
                    ).format(count=reviews)
                lines.append(line)
            elif to_notify or overdue:
                others.append(
                    translate("ControlPage", "{name} ({to_notify} à notifier, {late} en retard)")
                    .format(name=name, to_notify=to_notify, late=overdue)
                )
        if others:
            lines.append(
                translate("ControlPage", "Autres organismes : {list}").format(
                    list=" ; ".join(others)
                )
            )
        self.companions_label.setText("\n".join(lines))
        self.companions_label.setStyleSheet(WARNING_STYLE if urgent or others else NOTICE_STYLE)
        self.companions_label.setVisible(bool(lines))

    def show_pending(self) -> None:
        """Say a check is running."""
        self.status_label.show()

    def clear(self) -> None:
        """Show nothing (the register is locked)."""
        self.report = None
        self.model.clear()
        self.chart.set_bars([])
        self._size_chart_area()
        self.score_label.clear()
        self.counts_label.clear()
        self.gaps_label.clear()
        self.set_companions([])
        self.status_label.show()

    def _fill_articles(self, articles: Sequence[str]) -> None:
        current = self.article_combo.currentData()
        self.article_combo.blockSignals(True)
        self.article_combo.clear()
        self.article_combo.addItem(QCoreApplication.translate("ControlPage", "Tous"), None)
        for article in articles:
            title = article_title(article, language())
            self.article_combo.addItem(f"{article} — {title}" if title else article, article)
        position = self.article_combo.findData(current) if current is not None else 0
        self.article_combo.setCurrentIndex(max(position, 0))
        self.article_combo.blockSignals(False)
        self._filter_changed()

    def _filter_changed(self) -> None:
        only_this = self.organisation_check.isChecked()
        self.proxy.set_organisation(self.organisation_id if only_this else None)
        self.proxy.set_severity(self.severity_combo.currentData())
        self.proxy.set_article(self.article_combo.currentData())
        self.proxy.set_search_text(self.search_edit.text())
        self._update_count()

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        translate = QCoreApplication.translate
        if shown == 0:
            text = translate("ControlPage", "Aucun constat affiché")
        elif shown == 1:
            text = translate("ControlPage", "1 constat affiché")
        else:
            text = translate("ControlPage", "{count} constats affichés").format(count=shown)
        self.count_label.setText(text)

    def _findings_of_organisation(self) -> list[Finding]:
        if self.report is None:
            return []
        return [f for f in self.report.findings if f.organisation_id == self.organisation_id]

    def _refresh_dashboard(self) -> None:
        report = self.report
        if report is None:
            return
        translate = QCoreApplication.translate
        score: OrganisationScore | None = report.organisation_scores.get(self.organisation_id or "")
        self.score_label.setText("" if score is None else f"{score.percent} %")
        findings = self._findings_of_organisation()
        counts = {severity.value: 0 for severity in Severity}
        for finding in findings:
            counts[finding.severity.value] += 1
        self.counts_label.setText(
            translate("ControlPage", "Constats : {counts}.").format(
                counts=counts_text(counts, language())
            )
        )
        lines = [
            f"{count} × {message} ({article})"
            for (message, article), count in Counter(
                (finding.message(language()), finding.article or finding.rule.article)
                for finding in findings
            ).most_common(TOP_GAPS)
        ]
        self.gaps_label.setText(
            "\n".join(lines) if lines else translate("ControlPage", "Aucune lacune : bravo !")
        )
        self.chart.set_bars(
            [
                Bar(
                    organisation.name, organisation.percent, organisation_id == self.organisation_id
                )
                for organisation_id, organisation in sorted(
                    report.organisation_scores.items(), key=lambda item: item[1].name
                )
            ]
        )
        self._size_chart_area()

    def _size_chart_area(self) -> None:
        """Every bar when there are few, else ``VISIBLE_BARS`` rows, the shown organisation's
        bar scrolled into view."""
        self.chart_area.setFixedHeight(
            self.chart.height_for(min(len(self.chart.bars), VISIBLE_BARS))
        )
        QTimer.singleShot(0, self._scroll_to_current)  # once the frame has its new size

    def _scroll_to_current(self) -> None:
        current = [row for row, bar in enumerate(self.chart.bars) if bar.current]
        if current:
            margin = self.chart_area.height() // 2
            self.chart_area.ensureVisible(0, self.chart.bar_top(current[0]), 0, margin)

    def showEvent(self, event: QShowEvent) -> None:
        """The shown organisation's bar in view when the page comes up."""
        super().showEvent(event)
        QTimer.singleShot(0, self._scroll_to_current)

    # -- navigation --------------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.proxy.finding(index))

    def row_of_rule(self, rule_id: str, record_id: str | None = None) -> int:
        """Row of this proxy showing a finding of ``rule_id`` (on ``record_id``), or -1."""
        for row in range(self.proxy.rowCount()):
            finding = self.proxy.finding(self.proxy.index(row, 0))
            if finding.rule.id == rule_id and record_id in (None, finding.record_id):
                return row
        return -1


def is_row_field(finding: Finding) -> bool:
    """True when the finding points at a row of a collection (a data category…)."""
    return finding.row_id is not None or finding.entity in ROW_COLLECTIONS
