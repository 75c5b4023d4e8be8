"""The inventory pages of the register window: processors and software, each a list and a form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.schema import PROCESSOR, Entity, Field, Kind
from registre_ui.editing import ChangeRecorder
from registre_ui.editor import Options, RecordEditor
from registre_ui.models import RecordTableModel, SearchFilterProxy
from registre_ui.values import plural_label
from registre_ui.widgets import RecordTableView


def list_fields(entity: Entity) -> list[Field]:
    """The columns of ``entity``'s list, as the schema declares them (``Entity.list_columns``;
    every field when none are declared)."""
    keys = entity.list_columns
    return [entity.field(key) for key in keys] if keys else list(entity.fields)


class InventoryPage(QSplitter):
    """The processors (or software) of the organisation: a searchable list and the form."""

    new_requested = Signal()
    delete_requested = Signal(str)  # record id

    def __init__(
        self,
        entity: Entity,
        recorder: ChangeRecorder,
        parent: QWidget | None = None,
        *,
        model: RecordTableModel | None = None,
        texts: tuple[str, str, str] | None = None,
    ) -> None:
        """``model`` lists the records (one column per list field by default); ``texts`` are
        the search field's name, the « Nouveau… » and « Supprimer… » buttons."""
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.entity = entity
        self.recorder = recorder
        translate = QCoreApplication.translate
        processor = entity is PROCESSOR
        fields = list_fields(entity)
        self.model = model if model is not None else RecordTableModel(entity, fields, parent=self)
        self.proxy = SearchFilterProxy(self.model, self)
        self.table = RecordTableView(plural_label(entity))
        self.table.priority_column = self.model.title_column()
        self.table.whole_columns = {
            column
            for column, spec in enumerate(fields)
            if spec.kind in (Kind.DATE, Kind.DATETIME) or spec.key == "reference"
        }
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(translate("InventoryPage", "Rechercher…"))
        if texts is None:
            texts = (
                (
                    translate("InventoryPage", "Rechercher un sous-traitant"),
                    translate("InventoryPage", "Nouveau sous-traitant"),
                    translate("InventoryPage", "Supprimer le sous-traitant…"),
                )
                if processor
                else (
                    translate("InventoryPage", "Rechercher un logiciel"),
                    translate("InventoryPage", "Nouveau logiciel"),
                    translate("InventoryPage", "Supprimer le logiciel…"),
                )
            )
        search_name, new_text, delete_text = texts
        self.search_edit.setAccessibleName(search_name)
        self.search_edit.textChanged.connect(self.proxy.set_search_text)

        self.new_button = QPushButton(new_text)
        self.new_button.clicked.connect(self.new_requested)
        self.delete_button = QPushButton(delete_text)
        self.delete_button.clicked.connect(self.request_delete)
        editable = not recorder.register.read_only
        self.new_button.setVisible(editable)
        self.delete_button.setVisible(editable)

        self.editor = RecordEditor(
            entity,
            recorder,
            placeholder=translate(
                "InventoryPage", "Sélectionnez un élément pour afficher sa fiche."
            ),
        )
        self._options: Options = {}

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.delete_button)
        left = QWidget()
        self.list_layout = QVBoxLayout(left)  # a tab may put a notice above the list
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addLayout(top)
        self.list_layout.addWidget(self.table, 1)
        right = QWidget()
        self.form_layout = QVBoxLayout(right)  # a tab may put a notice above the form
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        self.form_layout.addWidget(self.editor, 1)
        self.addWidget(left)
        self.addWidget(right)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)
        self.setSizes([500, 500])

    def set_records(
        self, records: Sequence[Mapping[str, Any]], names: Mapping[str, str], options: Options
    ) -> None:
        """Show the organisation's records; ``options`` lists what references may point to."""
        shown = self.editor.record_id
        self._options = options
        self.model.set_records(records, names)
        if shown is not None and not self.select(shown):
            self.editor.clear()

    def current_id(self) -> str | None:
        """The selected record."""
        index = self.table.currentIndex()
        return self.proxy.record_id(index) if index.isValid() else None

    def select(self, record_id: str) -> bool:
        """Select ``record_id`` and show its form; False when it is not listed."""
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.search_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        self._show(record_id)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show(self.proxy.record_id(current))

    def _show(self, record_id: str) -> None:
        if self.editor.record_id == record_id:
            return
        self.editor.commit_pending()
        self.editor.load(
            services.record_of(self.recorder.register, self.entity.name, record_id), self._options
        )

    def reload_shown(self) -> None:
        """Read the record shown again (after « Annuler »)."""
        record_id = self.editor.record_id
        if record_id is not None:
            self.editor.load(
                services.record_of(self.recorder.register, self.entity.name, record_id),
                self._options,
            )

    def request_delete(self) -> None:
        """Ask for the deletion of the selected record (the window confirms first)."""
        record_id = self.current_id()
        if record_id is not None:
            self.delete_requested.emit(record_id)
