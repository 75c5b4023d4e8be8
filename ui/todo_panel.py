"""« Points à voir avec le DPO »: the to-dos of the activity shown, closable by the DPO.

Entry point: ``TodoPanel(recorder)``, placed above the activity's form (``with_todos``) and
told which activity is shown (``show_activity``). It lists the activity's to-dos (the
questions a secretary answered « Je ne sais pas »), open ones first, and « Marquer comme vu »
closes the selected one: one service call (``todos.close_todo``), one audit entry, one step of
« Annuler ». It is hidden for an activity without to-dos. It reads the register only through
``registre.todos`` and follows every change the recorder reports (an undo reopens a to-do).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from registre import todos
from registre.declaration import todo_text
from registre.errors import RecordNotFound, RegistreError
from registre.presentation import clock_datetime
from registre.storage import Register
from registre.todos import TodoItem
from registre_ui.editing import ChangeEvent, ChangeRecorder
from registre_ui.i18n import language
from registre_ui.messages import show_error

Index = QModelIndex | QPersistentModelIndex


class TodoTableModel(QAbstractTableModel):
    """The to-dos of one activity: the question and its state (who and when in the tooltip)."""

    QUESTION, STATE = range(2)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[TodoItem] = []

    def set_items(self, items: list[TodoItem]) -> None:
        """Show ``items``, open ones first (each group in its order)."""
        self.beginResetModel()
        self.items = sorted(items, key=lambda item: not item.is_open)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Question"), self.tr("État"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.QUESTION:
                return todo_text(item.question, item.text, language())
            return self.state_text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.history_text(item)
        if role == Qt.ItemDataRole.FontRole and column == self.STATE and item.is_open:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    def state_text(self, item: TodoItem) -> str:
        """« À voir », or « Vu le 14/03/2026 »."""
        if item.is_open:
            return self.tr("À voir")
        return self.tr("Vu le {date}").format(date=_day(item.closed_at))

    def history_text(self, item: TodoItem) -> str:
        """« Noté par secretaire le 14/03/2026 09:30 · vu par dpo le 15/03/2026 10:00 »."""
        when = clock_datetime(item.created_at) if item.created_at else "?"
        text = self.tr("Noté par {who} le {when}").format(who=item.created_by or "?", when=when)
        if not item.is_open:
            closed = clock_datetime(item.closed_at) if item.closed_at else "?"
            text += self.tr(" · vu par {who} le {when}").format(
                who=item.closed_by or "?", when=closed
            )
        return text


def _day(moment: dt.datetime | None) -> str:
    return clock_datetime(moment)[:10] if moment is not None else "?"


class TodoPanel(QFrame):
    """The to-dos of the activity shown, with « Marquer comme vu »."""

    def __init__(self, recorder: ChangeRecorder | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.activity_id: str | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.model = TodoTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName(self.tr("Points à voir avec le DPO"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TodoTableModel.QUESTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TodoTableModel.STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMaximumHeight(self.view.fontMetrics().lineSpacing() * 8)
        self.close_button = QPushButton(self.tr("&Marquer comme vu"), self)
        self.close_button.setAccessibleDescription(
            self.tr(
                "Le point est réglé : il reste dans le registre, marqué vu par vous, à cette date"
            )
        )
        self.close_button.clicked.connect(self.close_selected)
        self.close_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.title, 1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        self.view.selectionModel().selectionChanged.connect(self._update_button)
        if recorder is not None:
            recorder.changed.connect(self._on_changed)
        self.hide()

    @property
    def register(self) -> Register | None:
        """The register shown (the recorder's: it follows a reload)."""
        return self.recorder.register if self.recorder is not None else None

    def show_activity(self, activity_id: str | None) -> None:
        """List the to-dos of ``activity_id`` (None: nothing shown)."""
        self.activity_id = activity_id
        self.refresh()

    def refresh(self) -> None:
        """Read the shown activity's to-dos again."""
        items: list[TodoItem] = []
        if self.activity_id is not None and self.register is not None:
            try:
                items = todos.list_todos(self.register, activity_id=self.activity_id)
            except RecordNotFound:
                items = []
        self.model.set_items(items)
        still_open = sum(item.is_open for item in items)
        self.title.setText(
            self.tr("Points à voir avec le DPO : {open} ouvert(s) sur {total}").format(
                open=still_open, total=len(items)
            )
        )
        self.setVisible(bool(items))
        self._update_button()

    def selected(self) -> TodoItem | None:
        """The selected to-do."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.items[self.proxy.mapToSource(rows[0]).row()]

    def select(self, todo_id: str) -> None:
        """Select the to-do ``todo_id``."""
        for row, item in enumerate(self.model.items):
            if item.id == todo_id:
                self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def close_selected(self) -> None:
        """« Marquer comme vu »: close the selected to-do (one undoable change)."""
        item = self.selected()
        if item is None or not item.is_open or self.recorder is None:
            return
        try:
            self.recorder.run(todos.close_todo, item.id)
        except RegistreError as error:
            show_error(self, error)

    def _on_changed(self, event: ChangeEvent) -> None:
        if event.owner_id == self.activity_id or event.change.entity == todos.ENTITY:
            self.refresh()

    def _update_button(self, *_args: object) -> None:
        item = self.selected()
        writable = self.recorder is not None and not (
            self.register is not None and self.register.read_only
        )
        self.close_button.setEnabled(item is not None and item.is_open and writable)


def with_todos(panel: TodoPanel, form: QWidget) -> QWidget:
    """``form`` with the to-do panel above it."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(panel)
    layout.addWidget(form, 1)
    return holder
