"""Bulk edit: one field set to one value on several activities, previewed, undone as one step.

The shared DPO ticks the activities (of one organisation, or of every organisation), picks a
field (the referent agent, the general description of security, the next review date…) and
types the value in the same input as the record's form. The table below shows, activity by
activity, the value now and the value after; « Appliquer » runs ``registre.batch.bulk_update``
(one transaction, one audit entry per activity changed) and records the whole as one undo
step. Looking and previewing write nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.batch import BulkLine, bulk_fields, bulk_label, bulk_preview, bulk_update
from registre.errors import RecordNotFound, RegistreError
from registre_ui.editing import ChangeRecorder
from registre_ui.fields import FieldInput, make_input
from registre_ui.i18n import language
from registre_ui.messages import error_message, show_error

translate = QCoreApplication.translate

ALL_ORGANISATIONS = ""


class BulkEditDialog(QDialog):
    """Set one field on the ticked activities (one undo step for the whole)."""

    def __init__(
        self,
        recorder: ChangeRecorder,
        *,
        organisation_id: str | None,
        selected: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.setWindowTitle(translate("BulkEdit", "Modifier un champ sur plusieurs traitements"))
        self.resize(1180, 720)
        lang = language()

        self.organisation_combo = QComboBox()
        for org in services.list_organisations(recorder.register):
            self.organisation_combo.addItem(org.name, org.id)
        self.organisation_combo.addItem(
            translate("BulkEdit", "Tous les organismes"), ALL_ORGANISATIONS
        )
        if organisation_id is not None:
            self.organisation_combo.setCurrentIndex(
                max(self.organisation_combo.findData(organisation_id), 0)
            )
        self.organisation_combo.currentIndexChanged.connect(lambda _i: self._fill_activities())
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(translate("BulkEdit", "Filtrer les traitements…"))
        self.search_edit.textChanged.connect(self._filter)
        self.all_check = QCheckBox(translate("BulkEdit", "Cocher tous ceux affichés"))
        self.all_check.toggled.connect(self._check_shown)
        self.activity_list = QListWidget()
        self.activity_list.setAccessibleName(translate("BulkEdit", "Traitements à modifier"))
        self.activity_list.itemChanged.connect(lambda _item: self._schedule_preview())
        self.count_label = QLabel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.organisation_combo)
        left_layout.addWidget(self.search_edit)
        left_layout.addWidget(self.all_check)
        left_layout.addWidget(self.activity_list, 1)
        left_layout.addWidget(self.count_label)

        self.field_combo = QComboBox()
        self.field_combo.setAccessibleName(translate("BulkEdit", "Champ à modifier"))
        for spec in bulk_fields():
            self.field_combo.addItem(spec.label(lang), spec.key)
        self.field_combo.currentIndexChanged.connect(lambda _i: self._make_input())
        self.help_label = QLabel()
        self.help_label.setWordWrap(True)
        self.value_holder = QVBoxLayout()
        self.value_holder.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow(translate("BulkEdit", "Champ :"), self.field_combo)
        form.addRow("", self.help_label)
        form.addRow(translate("BulkEdit", "Nouvelle valeur :"), self.value_holder)
        self.preview_table = QTableWidget(0, 4)
        self.preview_table.setHorizontalHeaderLabels(
            [
                translate("BulkEdit", "Référence"),
                translate("BulkEdit", "Traitement"),
                translate("BulkEdit", "Valeur actuelle"),
                translate("BulkEdit", "Après la modification"),
            ]
        )
        self.preview_table.setAccessibleName(translate("BulkEdit", "Aperçu des modifications"))
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview_table.verticalHeader().hide()
        self.preview_table.setWordWrap(True)
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(QLabel(translate("BulkEdit", "Aperçu :")))
        right_layout.addWidget(self.preview_table, 1)
        right_layout.addWidget(self.summary_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 760])

        self.apply_button = QPushButton(translate("BulkEdit", "Appliquer"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        close = QPushButton(translate("BulkEdit", "Fermer"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(150)
        self.preview_timer.timeout.connect(self.refresh_preview)
        self.lines: list[BulkLine] = []
        self.value_input: FieldInput | None = None
        self._selected = set(selected or [])
        self._fill_activities()
        self._make_input()

    # -- the activities ----------------------------------------------------------------------

    def _fill_activities(self) -> None:
        organisation_id = self.organisation_combo.currentData()
        register = self.recorder.register
        names = {org.id: org.name for org in services.list_organisations(register)}
        activities = services.list_activities(register, organisation_id or None)
        self.activity_list.blockSignals(True)
        self.activity_list.clear()
        for activity in activities:
            reference = f"{activity.reference} " if activity.reference else ""
            text = f"{reference}{activity.name}"
            if not organisation_id:
                text = f"{names.get(activity.organisation_id, '')} — {text}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, activity.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if activity.id in self._selected else Qt.CheckState.Unchecked
            )
            self.activity_list.addItem(item)
        self.activity_list.blockSignals(False)
        self._filter(self.search_edit.text())
        self._schedule_preview()

    def _filter(self, text: str) -> None:
        wanted = text.casefold().strip()
        for row in range(self.activity_list.count()):
            item = self.activity_list.item(row)
            item.setHidden(bool(wanted) and wanted not in item.text().casefold())

    def _check_shown(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.activity_list.blockSignals(True)
        for row in range(self.activity_list.count()):
            item = self.activity_list.item(row)
            if not item.isHidden():
                item.setCheckState(state)
        self.activity_list.blockSignals(False)
        self._schedule_preview()

    def set_checked(self, activity_ids: list[str]) -> None:
        """Tick exactly ``activity_ids`` (as a user would, one by one)."""
        for row in range(self.activity_list.count()):
            item = self.activity_list.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in activity_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def checked(self) -> list[str]:
        """The ticked activities, in the list's order."""
        found = []
        for row in range(self.activity_list.count()):
            item = self.activity_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return found

    # -- the field and its value -------------------------------------------------------------

    def field_key(self) -> str:
        """The key of the field chosen."""
        return str(self.field_combo.currentData())

    def choose_field(self, key: str) -> None:
        """Pick the field ``key`` in the list."""
        self.field_combo.setCurrentIndex(self.field_combo.findData(key))

    def _make_input(self) -> None:
        if self.value_input is not None:
            self.value_input.container.setParent(None)
            self.value_input.container.deleteLater()
            self.value_input.deleteLater()
        spec = next(spec for spec in bulk_fields() if spec.key == self.field_key())
        self.value_input = make_input(spec, self)
        self.value_holder.addWidget(self.value_input.container)
        self.help_label.setText(spec.help(language()))
        widget = self.value_input.widget
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            widget.textChanged.connect(self._schedule_preview)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self._schedule_preview)
        elif isinstance(widget, QListWidget):
            widget.itemChanged.connect(self._schedule_preview)
        elif isinstance(widget, QDateTimeEdit):
            widget.dateChanged.connect(self._schedule_preview)
        self._schedule_preview()

    def _schedule_preview(self, *_args: object) -> None:
        self.preview_timer.start()

    # -- preview and apply -------------------------------------------------------------------

    def refresh_preview(self) -> list[BulkLine]:
        """Show what the edit would do to each ticked activity (reads only)."""
        self.preview_timer.stop()
        ids = self.checked()
        self.count_label.setText(
            translate("BulkEdit", "{} traitement(s) coché(s)").format(len(ids))
        )
        assert self.value_input is not None
        try:
            lines = bulk_preview(
                self.recorder.register,
                activity_ids=ids,
                field_key=self.field_key(),
                value=self.value_input.value(),
                lang=language(),
            )
        except RecordNotFound:  # deleted meanwhile in another window: read the list again
            self.lines = []
            self.preview_table.setRowCount(0)
            self.summary_label.setText(
                translate(
                    "BulkEdit",
                    "Un traitement coché n'existe plus : la liste a été relue, vérifiez les "
                    "cases cochées.",
                )
            )
            self.apply_button.setEnabled(False)
            self._fill_activities()
            return []
        except RegistreError as error:
            self.lines = []
            self.preview_table.setRowCount(0)
            self.summary_label.setText(error_message(error))
            self.apply_button.setEnabled(False)
            return []
        self.lines = lines
        table = self.preview_table
        table.setRowCount(len(lines))
        muted = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        for row, line in enumerate(lines):
            cells = [line.reference or "", line.name, line.before, line.after]
            if not line.changes:
                cells[3] = translate("BulkEdit", "(inchangé)")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if not line.changes:
                    item.setForeground(muted)
                table.setItem(row, column, item)
        changing = sum(1 for line in lines if line.changes)
        self.summary_label.setText(
            translate(
                "BulkEdit",
                "{} traitement(s) changeront sur {} coché(s). Une seule action « Annuler » "
                "défait toute la modification.",
            ).format(changing, len(lines))
        )
        self.apply_button.setEnabled(bool(changing) and not self.recorder.register.read_only)
        return lines

    def apply(self) -> int:
        """Set the field on the ticked activities; returns how many changed."""
        assert self.value_input is not None
        lines = self.refresh_preview()
        ids = [line.activity_id for line in lines if line.changes]
        if not ids:
            return 0
        key = self.field_key()
        try:
            changes = bulk_update(
                self.recorder.register,
                activity_ids=ids,
                field_key=key,
                value=self.value_input.value(),
            )
        except RegistreError as error:
            show_error(self, error)
            return 0
        self.recorder.push_group(
            changes,
            label_fr=bulk_label(key, len(changes), "fr"),
            label_en=bulk_label(key, len(changes), "en"),
        )
        self.refresh_preview()
        self.summary_label.setText(
            translate(
                "BulkEdit",
                "{} traitement(s) modifié(s). « Annuler » (Ctrl+Z) dans la fenêtre du registre "
                "défait toute la modification.",
            ).format(len(changes))
        )
        return len(changes)
