"""The rows of an activity's collection (data categories, recipients…) as an editable table.

Columns come from the row entity of the schema; a number followed by its unit (a retention
period and « ans ») shares one column that reads « 5 ans ». Editing a cell saves the row at once
through ``services.update_row``; a refused value leaves the row as it was and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from registre import presentation, services
from registre.concurrency import EditConflict, Edition
from registre.errors import InvalidValue, RegistreError
from registre.schema import Collection, Entity, Field, Kind, Requirement
from registre_ui.editing import ChangeRecorder, DeleteRecord, UpdateRecord
from registre_ui.fields import FieldInput, LongTextInput, make_input
from registre_ui.i18n import language
from registre_ui.messages import error_text, show_error
from registre_ui.team_open import is_team_register
from registre_ui.values import format_value, one_line
from registre_ui.widgets import (
    MISSING_STYLE,
    WARNING_STYLE,
    fitted_widths,
    plain_label,
    secondary,
)

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ID_ROLE = Qt.ItemDataRole.UserRole
MAX_VISIBLE_ROWS = 8
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.SelectedClicked
)


@dataclass(frozen=True)
class RowColumn:
    """One column of a row table: one field, or a number and its unit."""

    fields: tuple[Field, ...]

    @property
    def key(self) -> str:
        """The first field's key (the column's name in findings)."""
        return self.fields[0].key

    @property
    def keys(self) -> tuple[str, ...]:
        """Keys of the column's fields."""
        return tuple(spec.key for spec in self.fields)

    def title(self) -> str:
        """Column title: the first field's label."""
        return self.fields[0].label(language())

    def tooltip(self) -> str:
        """Labels and help of the column's fields."""
        return "\n".join(
            f"{spec.label(language())} : {spec.help(language())}".rstrip(" :")
            for spec in self.fields
        )


def row_columns(entity: Entity) -> list[RowColumn]:
    """The columns of ``entity``'s rows: a ``*_value`` number is paired with its ``*_unit``."""
    columns: list[RowColumn] = []
    fields = list(entity.fields)
    position = 0
    while position < len(fields):
        spec = fields[position]
        following = fields[position + 1] if position + 1 < len(fields) else None
        if (
            spec.kind == Kind.INTEGER
            and spec.key.endswith("_value")
            and following is not None
            and following.kind == Kind.CHOICE
            and following.key == spec.key.removesuffix("_value") + "_unit"
        ):
            columns.append(RowColumn((spec, following)))
            position += 2
        else:
            columns.append(RowColumn((spec,)))
            position += 1
    return columns


def cell_text(column: RowColumn, row: Mapping[str, Any]) -> str:
    """What a cell shows, on one line."""
    if len(column.fields) == 2:
        number_spec, unit_spec = column.fields  # « 5 ans », « 1 an », « sans limite »
        return presentation.duration_text(
            row.get(number_spec.key), row.get(unit_spec.key), language()
        )
    spec = column.fields[0]
    return format_value(spec, row.get(spec.key))


class RowTableModel(QAbstractTableModel):
    """Rows of one collection; ``save(row_id, values)`` stores an edit and returns the row."""

    refused = Signal(object)  # the RegistreError of a refused edit

    def __init__(
        self,
        entity: Entity,
        save: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.entity = entity
        self.columns = row_columns(entity)
        self._rows: list[dict[str, Any]] = []
        self._save = save

    # -- content -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Show ``rows`` (dicts of the entity's keys with their ``id``)."""
        self.beginResetModel()
        self._rows = [dict(row) for row in rows]
        self.endResetModel()

    def shown_row(self, row_id: str) -> dict[str, Any]:
        """The values of row ``row_id`` as the table shows them."""
        return next((dict(row) for row in self._rows if str(row["id"]) == row_id), {})

    def append_row(self, row: Mapping[str, Any]) -> int:
        """Add ``row`` at the end; returns its position."""
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(dict(row))
        self.endInsertRows()
        return position

    def remove_row(self, row_id: str) -> None:
        """Remove the row ``row_id`` if shown."""
        position = self.row_of(row_id)
        if position >= 0:
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            self.endRemoveRows()

    def row_of(self, row_id: str) -> int:
        """Position of ``row_id`` (-1 when absent)."""
        for position, row in enumerate(self._rows):
            if row["id"] == row_id:
                return position
        return -1

    def row_id(self, position: int) -> str:
        """Identifier of the row at ``position``."""
        return str(self._rows[position]["id"])

    def column_of(self, key: str) -> int:
        """Column showing the field ``key`` (-1 when none)."""
        for position, column in enumerate(self.columns):
            if key in column.keys:
                return position
        return -1

    # -- Qt's model interface ----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of rows."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of columns."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, its full text as tooltip, the raw value for editing, the row id."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return one_line(cell_text(column, row))
        if role == Qt.ItemDataRole.ToolTipRole:
            text = cell_text(column, row)
            return text if len(text) > 24 or "\n" in text else None
        if role == Qt.ItemDataRole.EditRole:
            values = [row.get(key) for key in column.keys]
            return values if len(values) > 1 else values[0]
        if role == ROW_ID_ROLE:
            return row["id"]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Field labels as column titles, their help as tooltips; rows are numbered."""
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._rows):
                return str(section + 1)
            return None
        if not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tooltip()
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Cells are editable when the model can save."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._save is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Save an edited cell at once; False (and ``refused``) when the value is refused."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._save is None:
            return False
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        new_values = list(value) if len(column.keys) > 1 else [value]
        values = {
            key: new
            for key, new in zip(column.keys, new_values, strict=True)
            if new != row.get(key)
        }
        if not values:
            return True
        try:
            saved = self._save(str(row["id"]), values)
        except RegistreError as error:
            self.refused.emit(error)
            return False
        row.update(saved)
        self.dataChanged.emit(
            self.index(index.row(), 0), self.index(index.row(), len(self.columns) - 1)
        )
        return True


class _CellEditor(QWidget):
    """The inputs editing one cell (two for a number and its unit)."""

    def __init__(self, column: RowColumn, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.inputs: list[FieldInput] = [make_input(spec, self) for spec in column.fields]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for field_input in self.inputs:
            layout.addWidget(field_input.container, 1)
        self.setFocusProxy(self.inputs[0].widget)
        self.long_text = any(isinstance(item, LongTextInput) for item in self.inputs)


class RowDelegate(QStyledItemDelegate):
    """Edits a cell with the input of its field kind (the same inputs as the record form)."""

    def __init__(self, model: RowTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        """The inputs of the cell's field(s)."""
        editor = _CellEditor(self._model.columns[index.column()], parent)
        if len(editor.inputs) == 1:
            widget = editor.inputs[0].widget
            if isinstance(widget, QComboBox):  # a picked choice is saved at once
                widget.activated.connect(lambda _index: self._commit_and_close(editor))
        for field_input in editor.inputs:
            field_input.widget.installEventFilter(self)
        return editor

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        """Show the stored value(s) in the inputs."""
        if not isinstance(editor, _CellEditor):
            return
        value = index.data(Qt.ItemDataRole.EditRole)
        values = value if len(editor.inputs) > 1 else [value]
        for field_input, item in zip(editor.inputs, values, strict=True):
            field_input.set_value(item)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        """Hand the value(s) the user changed to the model, which saves them.

        A cell opened and left without a change saves nothing.
        """
        if not isinstance(editor, _CellEditor):
            return
        if not any(field_input.is_dirty() for field_input in editor.inputs):
            return
        values = [
            field_input.value() if field_input.is_dirty() else field_input.stored
            for field_input in editor.inputs
        ]
        model.setData(index, values if len(values) > 1 else values[0], Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        """The cell's rectangle, taller for several lines and wider for a number with its unit."""
        rect = QRect(option.rect)
        hint = editor.sizeHint()
        rect.setWidth(max(rect.width(), hint.width()))
        if isinstance(editor, _CellEditor) and editor.long_text:
            rect.setHeight(max(rect.height(), hint.height()))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys and focus of the inputs inside a cell count as the cell editor's.

        Tab moves between the two inputs of a number and its unit before leaving the cell.
        """
        editor: QObject | None = watched
        while editor is not None and not isinstance(editor, _CellEditor):
            editor = editor.parent()
        if not isinstance(editor, _CellEditor) or editor is watched:
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            widgets = [field_input.widget for field_input in editor.inputs]
            if len(widgets) > 1:
                if event.key() == Qt.Key.Key_Tab and watched is widgets[0]:
                    widgets[1].setFocus(Qt.FocusReason.TabFocusReason)
                    return True
                if event.key() == Qt.Key.Key_Backtab and watched is widgets[1]:
                    widgets[0].setFocus(Qt.FocusReason.BacktabFocusReason)
                    return True
        view = self.parent()
        closing = (
            isinstance(view, QAbstractItemView)
            and view.state() != QAbstractItemView.State.EditingState
        )
        if event.type() == QEvent.Type.FocusOut and closing:
            return False  # the view is closing this editor and takes the focus back
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.FocusOut):
            return super().eventFilter(editor, event)
        return False


class RowTableView(QTableView):
    """A collection's table, as tall as its rows (up to a few); Tab leaves the table."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setTabKeyNavigation(False)  # Tab goes to the next input, as everywhere else
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(EDIT_TRIGGERS)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        header.setHighlightSections(False)
        header.setFixedHeight(2 * header.fontMetrics().lineSpacing() + 8)  # titles on two lines
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def finish_editing(self) -> None:
        """Close the cell editor still open, its change saved as leaving the cell would (before
        its row goes away, so that the editor is never left behind)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def fit_height(self) -> None:
        """Show every row (up to ``MAX_VISIBLE_ROWS``, then scroll)."""
        model = self.model()
        rows = min(max(model.rowCount() if model is not None else 0, 1), MAX_VISIBLE_ROWS)
        height = (
            self.horizontalHeader().height()
            + rows * self.verticalHeader().defaultSectionSize()
            + 2 * self.frameWidth()
            + self.horizontalScrollBar().sizeHint().height()
        )
        self.setFixedHeight(height)

    def fit_columns(self) -> None:
        """Columns share the width (long texts are cut short, whole in their tooltip)."""
        model = self.model()
        if model is None or model.columnCount() == 0:
            return
        header = self.horizontalHeader()
        metrics = header.fontMetrics()

        def title_width(column: int) -> int:
            """Room for the title on two lines, and at least for its longest word."""
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            longest = max((metrics.horizontalAdvance(word) for word in title.split()), default=0)
            return max(header.sectionSizeHint(column) // 2, longest) + 16

        widths = [
            max(self.sizeHintForColumn(column), title_width(column)) + 8
            for column in range(model.columnCount())
        ]
        available = max(self.viewport().width(), 300)
        for column, width in enumerate(fitted_widths(widths, available)):
            self.setColumnWidth(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Share the new width between the columns."""
        super().resizeEvent(event)
        self.fit_columns()


class CollectionEditor(QWidget):
    """An activity's collection: caption, help, the editable rows, add and remove buttons."""

    def __init__(
        self, collection: Collection, recorder: ChangeRecorder, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.collection = collection
        self.recorder = recorder
        self.activity_id: str | None = None
        translate = QCoreApplication.translate
        label = collection.label(language())
        mandatory = collection.requirement == Requirement.MANDATORY
        self.caption = QLabel(f"{label} *" if mandatory else label)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        font = self.caption.font()
        font.setBold(True)
        self.caption.setFont(font)
        help_text = collection.help_en if language() == "en" else collection.help_fr
        self.caption.setToolTip(help_text)

        self.model = RowTableModel(collection.entity, self._save_row, self)
        self.model.refused.connect(self._show_refusal)
        self.table = RowTableView(label)
        self.table.setModel(self.model)
        self.table.setItemDelegate(RowDelegate(self.model, self.table))
        self.table.setAccessibleDescription(help_text)
        self.caption.setBuddy(self.table)

        self.add_button = QPushButton(translate("CollectionEditor", "Ajouter une ligne"))
        self.add_button.setAccessibleName(
            translate("CollectionEditor", "Ajouter une ligne à « {collection} »").format(
                collection=label
            )
        )
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(translate("CollectionEditor", "Supprimer la ligne"))
        self.remove_button.setAccessibleName(
            translate("CollectionEditor", "Supprimer la ligne choisie de « {collection} »").format(
                collection=label
            )
        )
        self.remove_button.clicked.connect(self.remove_current_row)

        self.empty_label = plain_label(
            translate("CollectionEditor", "Aucune ligne — à compléter (exigé par l'article 30).")
            if mandatory
            else translate("CollectionEditor", "Aucune ligne.")
        )
        if mandatory:
            self.empty_label.setStyleSheet(MISSING_STYLE)
        self.error_label = plain_label("", selectable=True)
        self.error_label.setStyleSheet(WARNING_STYLE)
        self.error_label.setAccessibleName(translate("CollectionEditor", "Valeur refusée"))
        self.error_label.hide()

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.empty_label, 1)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addWidget(self.caption)
        if help_text:
            help_label = plain_label(help_text)
            secondary(help_label)
            layout.addWidget(help_label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.model.rowsInserted.connect(self._rows_changed)
        self.model.rowsRemoved.connect(self._rows_changed)
        self.model.modelReset.connect(self._rows_changed)
        self._rows_changed()

    def set_editable(self, editable: bool) -> None:
        """Allow or forbid changes."""
        self.add_button.setVisible(editable)
        self.remove_button.setVisible(editable)
        self.table.setEditTriggers(
            EDIT_TRIGGERS if editable else QAbstractItemView.EditTrigger.NoEditTriggers
        )

    def load(self, activity_id: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Show the rows of ``activity_id``."""
        self.activity_id = activity_id
        self.error_label.hide()
        self.model.set_rows(rows)

    def _rows_changed(self) -> None:
        self.table.fit_height()
        self.table.fit_columns()
        self.empty_label.setVisible(self.model.rowCount() == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.currentIndex().isValid())

    # -- changes -----------------------------------------------------------------------------

    def _save_row(self, row_id: str, values: dict[str, Any]) -> dict[str, Any]:
        entity = self.collection.entity.name
        edition = None
        if is_team_register(self.recorder.register):  # a cell someone else changed is refused
            edition = Edition(entity, row_id, 0, self.model.shown_row(row_id))
        try:
            change = self.recorder.apply(UpdateRecord(entity, row_id, values, edition))
        except EditConflict:
            if self.activity_id is not None:  # show what they saved
                stored = services.record_of(self.recorder.register, "activity", self.activity_id)
                self.model.set_rows(stored.get(self.collection.key) or [])
            raise
        self.error_label.hide()
        saved = dict(values)
        saved.update({key: new for key, (_old, new) in change.fields.items()})
        return saved

    def _show_refusal(self, error: RegistreError) -> None:
        if isinstance(error, InvalidValue):
            self.error_label.setText(
                QCoreApplication.translate(
                    "CollectionEditor", "{message} La ligne n'a pas été modifiée."
                ).format(message=error.message(language()))
            )
            self.error_label.show()
        else:
            show_error(self.window(), error)

    def add_row(self) -> str | None:
        """Add an empty row, select it and start editing its first cell."""
        if self.activity_id is None:
            return None
        try:
            change = self.recorder.run(
                services.add_row, activity_id=self.activity_id, collection=self.collection.key
            )
        except RegistreError as error:
            self.error_label.setText(error_text(error))
            self.error_label.show()
            return None
        row: dict[str, Any] = {spec.key: None for spec in self.collection.entity.fields}
        row["id"] = change.id
        position = self.model.append_row(row)
        index = self.model.index(position, 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.edit(index)
        return change.id

    def remove_current_row(self) -> None:
        """Remove the row holding the current cell (« Annuler » brings it back)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        self.table.finish_editing()
        row_id = self.model.row_id(index.row())
        try:
            self.recorder.apply(DeleteRecord(self.collection.entity.name, row_id))
        except RegistreError as error:
            show_error(self.window(), error)
            return
        self.model.remove_row(row_id)

    def focus_cell(self, key: str, row_id: str | None = None) -> None:
        """Put the keyboard focus on the cell of ``key`` in the row ``row_id`` (or the first)."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() == 0:
            return
        row = self.model.row_of(row_id) if row_id else 0
        column = self.model.column_of(key.rpartition(".")[2])
        index = self.model.index(max(row, 0), max(column, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
