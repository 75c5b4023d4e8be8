"""« Historique »: the audit trail of the organisation, each change with its old and new value.

One row per audit entry, newest first: when (local time), who, what was done, on which record,
which fields, and what they held before and after. The list can be narrowed to one record, one
person and a period, and searched like the other lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from registre import todos
from registre.presentation import clock_datetime
from registre.schema import ENTITIES, Entity, Kind
from registre_ui.i18n import language
from registre_ui.models import Column, ReadOnlyTableModel, SearchFilterProxy, TableRow
from registre_ui.values import format_value
from registre_ui.widgets import RecordTableView

EMPTY_VALUE = "—"


def _columns() -> list[Column]:
    translate = QCoreApplication.translate
    return [
        Column(translate("AuditTableModel", "Date")),
        Column(translate("AuditTableModel", "Qui"), translate("AuditTableModel", "Compte")),
        Column(translate("AuditTableModel", "Action")),
        Column(translate("AuditTableModel", "Élément")),
        Column(translate("AuditTableModel", "Champs modifiés")),
        Column(
            translate("AuditTableModel", "Avant"),
            translate("AuditTableModel", "Valeur avant la modification"),
        ),
        Column(
            translate("AuditTableModel", "Après"),
            translate("AuditTableModel", "Valeur après la modification"),
        ),
    ]


def entity_of(name: str) -> Entity | None:
    """The schema of an entity named in an audit entry (None for an export)."""
    return todos.TODO if name == todos.ENTITY else ENTITIES.get(name)


def action_label(action: str) -> str:
    """« Création », « Modification », « Suppression », « Export »."""
    translate = QCoreApplication.translate
    labels = {
        "created": translate("AuditTableModel", "Création"),
        "updated": translate("AuditTableModel", "Modification"),
        "deleted": translate("AuditTableModel", "Suppression"),
        "exported": translate("AuditTableModel", "Export"),
    }
    return labels.get(action, action)


def changed_field_label(entity: Entity | None, key: str) -> str:
    """Schema label of a field or collection named in an audit entry (the key when unknown)."""
    if entity is not None:
        for spec in entity.fields:
            if spec.key == key:
                return spec.label(language())
        for collection in entity.collections:
            if collection.key == key:
                return collection.label(language())
    return key


def change_value(entity: Entity | None, key: str, value: Any, names: Mapping[str, str]) -> str:
    """A value recorded in the audit trail as the user reads it (« — » when empty)."""
    if value in (None, "", []):
        return EMPTY_VALUE
    spec = next((f for f in entity.fields if f.key == key), None) if entity else None
    if spec is None:  # a collection: its rows
        if isinstance(value, list):
            if len(value) == 1:
                return QCoreApplication.translate("AuditTableModel", "1 ligne")
            return QCoreApplication.translate("AuditTableModel", "{count} lignes").format(
                count=len(value)
            )
        return str(value)
    if spec.kind in (Kind.DATE, Kind.DATETIME) and isinstance(value, str):
        parse = dt.date.fromisoformat if spec.kind == Kind.DATE else dt.datetime.fromisoformat
        text = value
        try:
            value = parse(text)
        except ValueError:
            return text
    try:
        return format_value(spec, value, names) or EMPTY_VALUE
    except (KeyError, TypeError, ValueError):  # a key the vocabulary no longer has
        return str(value)


def element_label(entry: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """« Traitement « Cantine » » from the entity label and the record's known name."""
    entity = entity_of(entry["entity"])
    if entity is None:
        return technical_label(entry)
    kind = entity.label(language())
    name = names.get(entry["entity_id"])
    if name is None:
        old_new = entry["changes"].get(entity.title_field) or [None, None]
        name = old_new[1] or old_new[0]
    return f"{kind} « {name} »" if isinstance(name, str) and name else kind


def technical_label(entry: Mapping[str, Any]) -> str:
    """An export (« Export PDF « registre.pdf » ») or the register's signing certificate."""
    translate = QCoreApplication.translate
    changes = entry.get("changes") or {}
    if entry["entity"] == "export":
        kind = str(changes.get("format", "")).upper()
        file_name = changes.get("file")
        label = translate("AuditTableModel", "Export {format}").format(format=kind).strip()
        return f"{label} « {file_name} »" if isinstance(file_name, str) else label
    if entry["entity"] == "signing_certificate":
        return translate("AuditTableModel", "Certificat de signature des exports")
    return str(entry["entity"])


def local_date(at: dt.datetime) -> dt.date:
    """The local day of a stored (UTC) time."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return aware.astimezone().date()


class AuditTableModel(ReadOnlyTableModel):
    """The audit trail (``services.audit_entries``), newest first.

    Facets of each row: the record's id, the account and the local day (ISO), for the filters.
    """

    RECORD, ACTOR, DAY = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_columns(), parent)
        self.records: dict[str, str] = {}  # record id → its label, for the record filter
        self.actors: list[str] = []

    def set_entries(
        self, entries: Sequence[Mapping[str, Any]], names: Mapping[str, str] | None = None
    ) -> None:
        """Show ``entries``; ``names`` maps record ids to their current names."""
        known = names or {}
        rows = []
        self.records = {}
        actors: set[str] = set()
        for entry in entries:
            entity = entity_of(entry["entity"])
            changes = entry.get("changes") or {}
            keys = list(changes)
            if entity is None:  # an export: its fingerprint, to compare with the file
                digest = changes.get("sha256")
                fields = f"SHA-256 {digest}" if isinstance(digest, str) else ""
                before = after = ""
            else:
                fields = ", ".join(changed_field_label(entity, key) for key in keys)
                before = after = ""  # nothing before a creation, nothing after a deletion
                if entry["action"] != "created":
                    before = " ; ".join(
                        change_value(entity, key, _pair(changes[key])[0], known) for key in keys
                    )
                if entry["action"] != "deleted":
                    after = " ; ".join(
                        change_value(entity, key, _pair(changes[key])[1], known) for key in keys
                    )
            at: dt.datetime = entry["at"]
            element = element_label(entry, known)
            self.records.setdefault(str(entry["entity_id"]), element)
            actors.add(str(entry["actor"]))
            cells = [
                clock_datetime(at),
                str(entry["actor"]),
                action_label(entry["action"]),
                element,
                fields,
                before,
                after,
            ]
            facets = [str(entry["entity_id"]), str(entry["actor"]), local_date(at).isoformat()]
            rows.append(TableRow.build(str(entry["seq"]), cells, [entry["seq"]], "", facets))
        self.actors = sorted(actors)
        self._replace_rows(rows)


def _pair(value: Any) -> tuple[Any, Any]:
    """(old, new) of a recorded change."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


class AuditFilterProxy(SearchFilterProxy):
    """The audit trail narrowed to one record, one account and a recent period."""

    def __init__(self, model: AuditTableModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent)
        self._record: str | None = None
        self._actor: str | None = None
        self._since: str = ""

    def set_filters(
        self, *, record: str | None = None, actor: str | None = None, since: dt.date | None = None
    ) -> None:
        """Keep the entries about ``record``, by ``actor``, from the day ``since`` (local)."""
        wanted = (record, actor, since.isoformat() if since else "")
        if wanted != (self._record, self._actor, self._since):
            self._refilter(lambda: self._set(*wanted))

    def _set(self, record: str | None, actor: str | None, since: str) -> None:
        self._record, self._actor, self._since = record, actor, since

    def _row_accepted(self, row: TableRow) -> bool:
        """True when the entry passes every filter."""
        record, actor, day = row.facets
        if self._record is not None and record != self._record:
            return False
        if self._actor is not None and actor != self._actor:
            return False
        if self._since and day < self._since:
            return False
        return super()._row_accepted(row)


class HistoryPage(QWidget):
    """The « Historique » tab: filters over the audit trail of the organisation shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.model = AuditTableModel(self)
        self.proxy = AuditFilterProxy(self.model, self)
        self.table = RecordTableView(translate("HistoryPage", "Historique"))
        self.table.priority_column = 3
        self.table.whole_columns = {0, 2}  # date and action
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(translate("HistoryPage", "Rechercher…"))
        self.search_edit.setAccessibleName(translate("HistoryPage", "Rechercher dans l'historique"))
        self.search_edit.textChanged.connect(self.proxy.set_search_text)
        self.record_combo = QComboBox()
        self.record_combo.setMinimumContentsLength(24)
        self.record_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        record_label = QLabel(translate("HistoryPage", "Élé&ment :"))
        record_label.setBuddy(self.record_combo)
        self.actor_combo = QComboBox()
        actor_label = QLabel(translate("HistoryPage", "&Qui :"))
        actor_label.setBuddy(self.actor_combo)
        self.period_combo = QComboBox()
        for period, days in (
            (translate("HistoryPage", "Toutes les dates"), None),
            (translate("HistoryPage", "Aujourd'hui"), 0),
            (translate("HistoryPage", "7 derniers jours"), 6),
            (translate("HistoryPage", "30 derniers jours"), 29),
            (translate("HistoryPage", "12 derniers mois"), 364),
        ):
            self.period_combo.addItem(period, days)
        period_label = QLabel(translate("HistoryPage", "&Période :"))
        period_label.setBuddy(self.period_combo)
        for combo in (self.record_combo, self.actor_combo, self.period_combo):
            combo.currentIndexChanged.connect(self._filter_changed)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        for label, widget in (
            (record_label, self.record_combo),
            (actor_label, self.actor_combo),
            (period_label, self.period_combo),
        ):
            filters.addWidget(label)
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self._fill_filters()

    def set_entries(
        self, entries: Sequence[Mapping[str, Any]], names: Mapping[str, str] | None = None
    ) -> None:
        """Show ``entries`` (newest first); the filters keep what they were set to."""
        self.model.set_entries(entries, names)
        self._fill_filters()

    def _fill_filters(self) -> None:
        translate = QCoreApplication.translate
        for combo, everything, items in (
            (
                self.record_combo,
                translate("HistoryPage", "Tous les éléments"),
                sorted(self.model.records.items(), key=lambda item: item[1].casefold()),
            ),
            (
                self.actor_combo,
                translate("HistoryPage", "Tout le monde"),
                [(actor, actor) for actor in self.model.actors],
            ),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for key, label in items:
                combo.addItem(label, key)
            position = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(position, 0))
            combo.blockSignals(False)
        self._filter_changed()

    def show_record(self, record_id: str | None) -> None:
        """Narrow the list to the entries about ``record_id`` (all when None)."""
        position = self.record_combo.findData(record_id) if record_id is not None else 0
        self.record_combo.setCurrentIndex(max(position, 0))

    def _filter_changed(self) -> None:
        days = self.period_combo.currentData()
        since = dt.date.today() - dt.timedelta(days=days) if isinstance(days, int) else None
        self.proxy.set_filters(
            record=self.record_combo.currentData(),
            actor=self.actor_combo.currentData(),
            since=since,
        )

    def clear(self) -> None:
        """Show nothing (the register is locked)."""
        self.set_entries([], {})
