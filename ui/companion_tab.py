"""The companion registers' tabs: breaches, rights requests, impact assessments, contracts.

Each is a ``RecordsTab`` (the list and the schema-built form, undo and audit like any record)
with a « Délai / état » column computed by ``registre.companion`` from the register's clock:
the 72-hour clock of a breach until it is notified or a decision not to notify is documented,
the time limit of a rights request, what a contract or an assessment still lacks. What needs
attention stands out (icon, bold, colour and words) in the list, above the list and above the
form. Looking computes; it never writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle

from registre.companion import day_of, dpia_review_overdue, record_status
from registre.schema import ENTITIES, Entity
from registre_ui.editing import ChangeEvent
from registre_ui.editor import Options
from registre_ui.i18n import language
from registre_ui.models import Column, RecordTableModel, TableRow, field_column, schema_row
from registre_ui.pages import InventoryPage, list_fields
from registre_ui.records_tab import RecordsTab, RecordTexts
from registre_ui.tabs import TabHost, references_moved
from registre_ui.widgets import NOTICE_STYLE, WARNING_STYLE, plain_label

AnyIndex = QModelIndex | QPersistentModelIndex
ATTENTION_COLOUR = QBrush(QColor("#a3151a"))  # 6.6:1 on white
REFRESH_MS = 60_000  # the clocks are read again every minute (nothing is written)

translate = QCoreApplication.translate


def companion_texts(entity: str) -> tuple[str, RecordTexts, tuple[str, str, str], str]:
    """Tab title, record texts, list texts (search, new, delete) and « to watch » wording."""
    if entity == "breach":
        return (
            translate("CompanionTab", "Violations"),
            RecordTexts(
                translate("CompanionTab", "Nouvelle violation de données"),
                translate(
                    "CompanionTab",
                    "Supprimer la violation « {name} » du registre des violations ? Vous "
                    "pourrez l'annuler (Ctrl+Z).",
                ),
            ),
            (
                translate("CompanionTab", "Rechercher une violation"),
                translate("CompanionTab", "Nouvelle violation"),
                translate("CompanionTab", "Supprimer la violation…"),
            ),
            translate("CompanionTab", "{count} violation(s) sans notification ni décision :"),
        )
    if entity == "rights_request":
        return (
            translate("CompanionTab", "Demandes de droits"),
            RecordTexts(
                translate("CompanionTab", "Nouveau demandeur"),
                translate(
                    "CompanionTab",
                    "Supprimer la demande de « {name} » ? Vous pourrez l'annuler (Ctrl+Z).",
                ),
            ),
            (
                translate("CompanionTab", "Rechercher une demande"),
                translate("CompanionTab", "Nouvelle demande"),
                translate("CompanionTab", "Supprimer la demande…"),
            ),
            translate("CompanionTab", "{count} demande(s) en retard :"),
        )
    if entity == "dpia":
        return (
            translate("CompanionTab", "Analyses d'impact"),
            RecordTexts(
                translate("CompanionTab", "Nouvelle analyse d'impact"),
                translate(
                    "CompanionTab",
                    "Supprimer l'analyse d'impact « {name} » ? Vous pourrez l'annuler (Ctrl+Z).",
                ),
            ),
            (
                translate("CompanionTab", "Rechercher une analyse d'impact"),
                translate("CompanionTab", "Nouvelle analyse d'impact"),
                translate("CompanionTab", "Supprimer l'analyse…"),
            ),
            translate("CompanionTab", "{count} analyse(s) d'impact à terminer ou à revoir :"),
        )
    if entity == "contract":
        return (
            translate("CompanionTab", "Contrats (art. 28)"),
            RecordTexts(
                translate("CompanionTab", "Nouveau contrat de sous-traitance"),
                translate(
                    "CompanionTab",
                    "Supprimer le contrat « {name} » ? Vous pourrez l'annuler (Ctrl+Z).",
                ),
            ),
            (
                translate("CompanionTab", "Rechercher un contrat"),
                translate("CompanionTab", "Nouveau contrat"),
                translate("CompanionTab", "Supprimer le contrat…"),
            ),
            translate("CompanionTab", "{count} contrat(s) incomplet(s) ou échu(s) :"),
        )
    raise KeyError(entity)


REFERENCE_PREFIXES = {"breach": "V", "rights_request": "D"}  # « V-2026-05 », « D-2026-12 »
NEW_STATUS = {"breach": "open", "rights_request": "open", "dpia": "planned"}  # where each starts
# The article requiring the starred elements of each form, as French and English cite it.
REQUIRING_ARTICLE = {
    "breach": ("33.5", "33(5)"),
    "rights_request": ("12", "12"),
    "dpia": ("35.7", "35(7)"),
    "contract": ("28.3", "28(3)"),
}


def legend_text(entity: str) -> str:
    """What the asterisk of a companion form means: the article that requires the element."""
    return translate(
        "CompanionTab",
        "Les éléments marqués d'un astérisque (*) sont exigés par le RGPD (art. {article}). "
        "Chaque modification est enregistrée dès que vous quittez le champ.",
    ).format(article=REQUIRING_ARTICLE[entity][1 if language() == "en" else 0])


def next_reference(stem: str, existing: Sequence[str]) -> str:
    """``stem`` followed by the number after the highest one already used (two digits)."""
    numbers = [
        int(reference[len(stem) :])
        for reference in existing
        if reference.startswith(stem) and reference[len(stem) :].isdigit()
    ]
    return f"{stem}{max(numbers, default=0) + 1:02d}"


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class CompanionTableModel(RecordTableModel):
    """The records of a companion register with their « Délai / état » at the clock's time."""

    def __init__(
        self, entity: Entity, clock: Callable[[], dt.datetime], parent: QObject | None = None
    ) -> None:
        fields = list_fields(entity)
        columns = [
            *(field_column(spec) for spec in fields),
            Column(
                translate("CompanionTab", "Délai / état"),
                translate(
                    "CompanionTab",
                    "Ce qui reste à faire et dans quel délai ; en rouge, ce qui demande "
                    "votre attention.",
                ),
            ),
        ]
        super().__init__(entity, fields, columns, parent)
        self.clock = clock
        self.status_column = len(fields)
        self._records: list[Mapping[str, Any]] = []
        self._names: Mapping[str, str] = {}
        self.attention: dict[str, str] = {}  # record id → its status, for those needing it
        # An impact assessment past its review date: its « Prochaine revue » stands out too.
        keys = [spec.key for spec in fields]
        self.review_column = keys.index("next_review_on") if "next_review_on" in keys else -1
        self.late_reviews: set[str] = set()

    def set_records(
        self,
        records: Sequence[Mapping[str, Any]],
        names: Mapping[str, str] | None = None,
        category_field: str = "",
    ) -> None:
        """Show ``records`` with their state now."""
        self._records = list(records)
        self._names = dict(names or {})
        self._replace_rows([self._row(record) for record in self._records])

    def refresh_statuses(self) -> None:
        """Read the clock again (the records are not read again)."""
        self._replace_rows([self._row(record) for record in self._records])

    def status(self, record: Mapping[str, Any]) -> tuple[str, bool]:
        """The state of ``record`` now, and whether it needs attention."""
        return record_status(self.entity.name, record, self.clock(), language())

    def _row(self, record: Mapping[str, Any]) -> TableRow:
        base = schema_row(str(record["id"]), self.fields, record, self._names)
        text, attention = self.status(record)
        if attention:
            self.attention[base.id] = text
        else:
            self.attention.pop(base.id, None)
        if self.review_column >= 0 and dpia_review_overdue(record, day_of(self.clock())):
            self.late_reviews.add(base.id)
        else:
            self.late_reviews.discard(base.id)
        order = "0" if attention else "1"  # what needs attention first
        return TableRow.build(
            base.id, [*base.display, text], [*base.sort_keys, order + text.casefold()]
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The state column stands out when the record needs attention."""
        if not index.isValid():
            return super().data(index, role)
        if index.column() == self.review_column and self.row_id(index.row()) in self.late_reviews:
            if role == Qt.ItemDataRole.ForegroundRole:
                return ATTENTION_COLOUR
            if role == Qt.ItemDataRole.FontRole:
                return _bold()
        if index.column() == self.status_column:
            attention = self.row_id(index.row()) in self.attention
            if attention and role == Qt.ItemDataRole.ForegroundRole:
                return ATTENTION_COLOUR
            if attention and role == Qt.ItemDataRole.FontRole:
                return _bold()
            if attention and role == Qt.ItemDataRole.DecorationRole:
                app = QApplication.instance()
                if isinstance(app, QApplication):
                    return app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return super().data(index, role)


class CompanionTab(RecordsTab):
    """One companion register of the organisation shown."""

    def __init__(self, entity_name: str, host: TabHost, parent: QObject | None = None) -> None:
        entity = ENTITIES[entity_name]
        title, texts, list_texts, watch_text = companion_texts(entity_name)
        model = CompanionTableModel(entity, host.register.context.clock)
        inventory = InventoryPage(entity, host.recorder, model=model, texts=list_texts)
        super().__init__(entity, host, texts, parent, inventory=inventory)
        model.setParent(self)
        self.companion_model = model
        self._title = title
        self._watch_text = watch_text
        table = self.inventory.table
        # A title and a state are read whole: a long one wraps on a second line rather than
        # being cut (these lists are short, the height of their rows costs little).
        table.setWordWrap(True)
        rows = table.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())  # one line keeps its usual height
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.sortByColumn(model.status_column, Qt.SortOrder.AscendingOrder)  # urgent first
        inventory.setSizes([600, 400])  # the list holds the state column as well
        self.alert_label = plain_label("", selectable=True)
        self.alert_label.setStyleSheet(WARNING_STYLE)
        self.alert_label.setAccessibleName(translate("CompanionTab", "À surveiller"))
        self.alert_label.hide()
        self.inventory.list_layout.insertWidget(0, self.alert_label)
        self.status_label = plain_label("", selectable=True)
        self.status_label.setAccessibleName(translate("CompanionTab", "Délai / état"))
        self.status_label.hide()
        self.inventory.form_layout.insertWidget(0, self.status_label)
        self.inventory.editor.legend.setText(legend_text(entity_name))
        self.inventory.table.selectionModel().currentRowChanged.connect(self._show_status)
        self.inventory.editor.record_saved.connect(lambda _key: self._show_status())
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_clock)
        self.timer.start()

    def title(self) -> str:
        """The tab's short title: « Violations »."""
        return self._title

    def _new_values(self) -> dict[str, Any]:
        """A breach starts its 72-hour clock now, a request is received today, each with the
        next reference of the year (« V-2026-05 »); all of it can be changed."""
        now = self.host.register.context.clock()
        today = now.astimezone().date()
        prefix = REFERENCE_PREFIXES.get(self.entity.name)
        values: dict[str, Any] = {}
        if prefix is not None:
            existing = [str(record.get("reference") or "") for record in self.records]
            values["reference"] = next_reference(f"{prefix}-{today.year}-", existing)
        if self.entity.name == "breach":
            values["discovered_at"] = now
        if self.entity.name == "rights_request":
            values["received_on"] = today
        if self.entity.name in NEW_STATUS:
            values["status"] = NEW_STATUS[self.entity.name]
        return values

    def show_fetched(self, options: Options) -> None:
        """Show the records read, with their state."""
        super().show_fetched(options)
        self._show_alert()
        self._show_status()

    def on_change(self, event: ChangeEvent) -> None:
        """A record changed: its line and its state (a notification stops the clock)."""
        if references_moved(event, self.entity.title_field):
            super().on_change(event)
            return
        self.fetch(self.host.organisation_id())
        self.show_fetched(self._options)

    def clear(self) -> None:
        """Forget the records read."""
        super().clear()
        self.alert_label.hide()
        self.status_label.hide()

    def refresh_clock(self) -> None:
        """Read the clock again: the states move with time (nothing is read nor written)."""
        if not self.records:
            return
        self.companion_model.refresh_statuses()
        self._show_alert()
        self._show_status()

    def _show_alert(self) -> None:
        attention = self.companion_model.attention
        if not attention:
            self.alert_label.hide()
            return
        names = self.names()
        lines = [self._watch_text.format(count=len(attention))]
        lines += [f"• {names.get(record_id, '')} — {text}" for record_id, text in attention.items()]
        self.alert_label.setText("\n".join(lines))
        self.alert_label.show()

    def _show_status(self, *_args: object) -> None:
        record_id = self.inventory.editor.record_id
        record = next((r for r in self.records if str(r["id"]) == record_id), None)
        if record is None:
            self.status_label.hide()
            return
        text, attention = self.companion_model.status(record)
        self.status_label.setText(text)
        self.status_label.setStyleSheet(WARNING_STYLE if attention else NOTICE_STYLE)
        self.status_label.show()
