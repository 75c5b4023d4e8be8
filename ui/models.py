"""Table models over the plain data returned by ``registre.services``, and their filter proxies.

Every cell is rendered once when the data arrive (display text, tooltip, sort key and the folded
search text of the row), so painting, sorting and filtering never call back into the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from registre.schema import ACTIVITY, ENTITIES, Entity, Field
from registre.services import ActivitySummary
from ui.i18n import language
from ui.values import (
    fold_text,
    format_date,
    format_timestamp,
    format_value,
    one_line,
    typed_sort_key,
)

ID_ROLE = Qt.ItemDataRole.UserRole
TOOLTIP_MIN_LENGTH = 24  # shorter cells are rarely cut off; no tooltip needed

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column header and its explanation."""

    title: str
    tooltip: str = ""


SortKey = str | int


@dataclass(frozen=True)
class TableRow:
    """One rendered row: what each cell shows, explains and sorts on, and its search text."""

    id: str
    display: tuple[str, ...]
    tooltips: tuple[str, ...]
    sort_keys: tuple[SortKey, ...]
    folded: str
    category: str = ""  # what a proxy may filter on besides text (an activity's status)

    @classmethod
    def build(
        cls,
        row_id: str,
        cells: Sequence[str],
        sort_keys: Sequence[SortKey | None] = (),
        category: str = "",
    ) -> TableRow:
        """A row from the full text of its cells; a missing sort key means the folded text."""
        display = tuple(one_line(cell) for cell in cells)
        folded = [fold_text(text) for text in display]
        tooltips = tuple(
            cell if len(cell) > TOOLTIP_MIN_LENGTH or "\n" in cell else "" for cell in cells
        )
        keys = list(sort_keys) + [None] * (len(cells) - len(sort_keys))
        resolved = tuple(
            text if key is None else key for key, text in zip(keys, folded, strict=True)
        )
        return cls(row_id, display, tooltips, resolved, " \n".join(folded), category)


class ReadOnlyTableModel(QAbstractTableModel):
    """A read-only table of rendered rows; ``ID_ROLE`` gives a row's record id.

    The model sorts itself on precomputed keys (``sort``), so that sorting and filtering
    10,000 rows never call back into Python once per comparison.
    """

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[TableRow] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def _replace_rows(self, rows: list[TableRow]) -> None:
        self.beginResetModel()
        self._rows = [rows[position] for position in self._sorted_positions(rows)]
        self.endResetModel()

    def _sorted_positions(self, rows: Sequence[TableRow]) -> list[int]:
        """Positions of ``rows`` in the current sort order (unchanged when unsorted)."""
        column = self._sort_column
        if not 0 <= column < len(self._columns):
            return list(range(len(rows)))
        return sorted(
            range(len(rows)),
            key=lambda position: rows[position].sort_keys[column],
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows on ``column``, keeping selections on the same records."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        positions = self._sorted_positions(self._rows)
        new_position = [0] * len(positions)
        for new, old in enumerate(positions):
            new_position[old] = new
        self._rows = [self._rows[old] for old in positions]
        persistent = self.persistentIndexList()
        moved = [self.index(new_position[index.row()], index.column()) for index in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of rows (none under a valid parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of columns."""
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, tooltip or record id of a cell."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.display[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltips[column] or None
        if role == ID_ROLE:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles and their explanations (rows have no header)."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[section].tooltip or None
        return None

    def row_id(self, row: int) -> str:
        """Record id of ``row``."""
        return self._rows[row].id

    def row_of(self, row_id: str) -> int:
        """Row showing the record ``row_id``, or -1."""
        for position, row in enumerate(self._rows):
            if row.id == row_id:
                return position
        return -1

    def search_text(self, row: int) -> str:
        """Every cell of ``row``, folded (no accents, no case) for searching."""
        return self._rows[row].folded

    def category(self, row: int) -> str:
        """The category of ``row`` (an activity's status)."""
        return self._rows[row].category


def field_column(spec: Field, title: str = "") -> Column:
    """A column for ``spec``: its label (or a shorter ``title``), with label and help as tooltip."""
    label = spec.label(language())
    return Column(title or label, f"{label}\n{spec.help(language())}".strip())


def schema_row(
    row_id: str,
    fields: Sequence[Field],
    record: Mapping[str, Any],
    names: Mapping[str, str],
    category: str = "",
) -> TableRow:
    """A rendered row of the ``fields`` of ``record``."""
    cells = [format_value(spec, record.get(spec.key), names) for spec in fields]
    keys = [typed_sort_key(spec, record.get(spec.key)) for spec in fields]
    return TableRow.build(row_id, cells, keys, category)


class RecordTableModel(ReadOnlyTableModel):
    """Records of one schema entity (processors, software…), one column per field."""

    def __init__(
        self,
        entity: Entity,
        fields: Sequence[Field] | None = None,
        columns: Sequence[Column] | None = None,
        parent: QObject | None = None,
    ) -> None:
        self.entity = entity
        self.fields = tuple(fields if fields is not None else entity.fields)
        super().__init__(columns or [field_column(spec) for spec in self.fields], parent)

    def set_records(
        self,
        records: Sequence[Mapping[str, Any]],
        names: Mapping[str, str] | None = None,
        category_field: str = "",
    ) -> None:
        """Show ``records`` (dicts keyed by field, with their ``id``).

        ``category_field`` names the value proxies may filter on (an activity's status).
        """
        known = names or {}
        self._replace_rows(
            [schema_row(r["id"], self.fields, r, known, r.get(category_field, "")) for r in records]
        )


def _activity_columns() -> list[tuple[str, str]]:
    """Field keys of the activity list and their short column titles."""
    translate = QCoreApplication.translate
    return [
        ("reference", translate("ActivityTableModel", "Référence")),
        ("name", translate("ActivityTableModel", "Nom")),
        ("service", translate("ActivityTableModel", "Service")),
        ("role", translate("ActivityTableModel", "Rôle")),
        ("legal_basis", translate("ActivityTableModel", "Base légale")),
        ("status", translate("ActivityTableModel", "État")),
        ("updated_on", translate("ActivityTableModel", "Mis à jour")),
    ]


class ActivityTableModel(RecordTableModel):
    """The activity list of an organisation (``services.list_activities``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        keys_and_titles = _activity_columns()
        fields = [ACTIVITY.field(key) for key, _title in keys_and_titles]
        columns = [
            field_column(spec, title)
            for spec, (_key, title) in zip(fields, keys_and_titles, strict=True)
        ]
        super().__init__(ACTIVITY, fields, columns, parent)
        self.name_column = [spec.key for spec in fields].index("name")

    def set_activities(self, activities: Sequence[ActivitySummary]) -> None:
        """Show ``activities``; their status is the row category."""
        keys = [spec.key for spec in self.fields]
        self.set_records(
            [{"id": a.id, **{k: getattr(a, k) for k in keys}} for a in activities],
            category_field="status",
        )


def _audit_columns() -> list[Column]:
    translate = QCoreApplication.translate
    return [
        Column(translate("AuditTableModel", "Date")),
        Column(translate("AuditTableModel", "Qui"), translate("AuditTableModel", "Compte")),
        Column(translate("AuditTableModel", "Action")),
        Column(translate("AuditTableModel", "Élément")),
        Column(translate("AuditTableModel", "Champs modifiés")),
    ]


def _action_label(action: str) -> str:
    translate = QCoreApplication.translate
    labels = {
        "created": translate("AuditTableModel", "Création"),
        "updated": translate("AuditTableModel", "Modification"),
        "deleted": translate("AuditTableModel", "Suppression"),
    }
    return labels.get(action, action)


def _changed_field_label(entity: Entity | None, key: str) -> str:
    """Schema label of a field or collection named in an audit entry (the key when unknown)."""
    if entity is not None:
        for spec in entity.fields:
            if spec.key == key:
                return spec.label(language())
        for collection in entity.collections:
            if collection.key == key:
                return collection.label(language())
    return key


def _element_label(entry: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """« Traitement « Cantine » » from the entity label and the record's known name."""
    entity = ENTITIES.get(entry["entity"])
    kind = entity.label(language()) if entity is not None else entry["entity"]
    name = names.get(entry["entity_id"])
    if name is None and entity is not None:
        old_new = entry["changes"].get(entity.title_field) or [None, None]
        name = old_new[1] or old_new[0]
    return f"{kind} « {name} »" if isinstance(name, str) and name else kind


class AuditTableModel(ReadOnlyTableModel):
    """The audit trail (``services.audit_entries``), newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_audit_columns(), parent)

    def set_entries(
        self, entries: Sequence[Mapping[str, Any]], names: Mapping[str, str] | None = None
    ) -> None:
        """Show ``entries``; ``names`` maps record ids to their current names."""
        known = names or {}
        rows = []
        for entry in entries:
            entity = ENTITIES.get(entry["entity"])
            changed = ", ".join(_changed_field_label(entity, key) for key in entry["changes"])
            at: dt.datetime = entry["at"]
            cells = [
                format_timestamp(at),
                entry["actor"],
                _action_label(entry["action"]),
                _element_label(entry, known),
                changed,
            ]
            rows.append(TableRow.build(str(entry["seq"]), cells, [entry["seq"]]))
        self._replace_rows(rows)


@dataclass(frozen=True)
class RegisterEntry:
    """A register folder of the library."""

    path: Path
    name: str
    modified: dt.datetime
    demo: bool


class LibraryModel(ReadOnlyTableModel):
    """The registers found in the library folder; ``ID_ROLE`` gives the folder path."""

    def __init__(self, parent: QObject | None = None) -> None:
        translate = QCoreApplication.translate
        super().__init__(
            [
                Column(translate("LibraryModel", "Registre")),
                Column(
                    translate("LibraryModel", "Modifié le"),
                    translate("LibraryModel", "Dernière modification du dossier du registre"),
                ),
                Column(
                    translate("LibraryModel", "Démo"),
                    translate("LibraryModel", "Registre de démonstration"),
                ),
            ],
            parent,
        )

    def set_registers(self, entries: Sequence[RegisterEntry]) -> None:
        """Show ``entries``."""
        demo = QCoreApplication.translate("LibraryModel", "démo")
        rows = []
        for entry in entries:
            modified = f"{format_date(entry.modified.date())} {entry.modified:%H:%M}"
            cells = [entry.name, modified, demo if entry.demo else ""]
            rows.append(TableRow.build(str(entry.path), cells, [None, entry.modified.isoformat()]))
        self._replace_rows(rows)


class SearchFilterProxy(QSortFilterProxyModel):
    """Keeps the rows containing every word typed; sorting is done by the source model.

    The match ignores case and accents (« ecole » finds « École ») and reads the folded text
    the model computed once per row, so a keystroke filters 10,000 rows in a few milliseconds.
    """

    def __init__(self, model: ReadOnlyTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = model
        self._words: tuple[str, ...] = ()
        self.setSourceModel(model)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Let the source model sort on its precomputed keys (the proxy keeps its order)."""
        self._table.sort(column, order)

    def set_search_text(self, text: str) -> None:
        """Keep only the rows containing every word of ``text``."""
        words = tuple(fold_text(text).split())
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        """True when the row contains every searched word."""
        if not self._words:
            return True
        text = self._table.search_text(source_row)
        return all(word in text for word in self._words)

    def record_id(self, index: QModelIndex) -> str:
        """Record id of the row at ``index`` of this proxy."""
        return self._table.row_id(self.mapToSource(index).row())


class ActivityFilterProxy(SearchFilterProxy):
    """The activity list filtered by search text and by status."""

    def __init__(self, model: ActivityTableModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent)
        self._status: str | None = None

    def set_status(self, status: str | None) -> None:
        """Keep only activities of ``status`` (all when None)."""
        if status == self._status:
            return
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        """True when the row has the chosen status and contains every searched word."""
        if self._status is not None and self._table.category(source_row) != self._status:
            return False
        return super().filterAcceptsRow(source_row, source_parent)
