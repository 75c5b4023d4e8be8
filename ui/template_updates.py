"""« Mises à jour du catalogue… »: activities whose template has a newer version, field by field.

Left, the organisation's activities created from an older version of a template
(``outdated_activities``); right, how the selected one differs from the newer template
(``template_differences``). The DPO ticks the fields to take from the template and applies
them (``apply_template_changes``), or marks the activity as up to date, keeping the other
local values on purpose. Fields the template itself changed are ticked by default.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registre.errors import RegistreError
from registre.schema import ACTIVITY
from registre.storage import Register
from registre.templates import (
    Catalogue,
    FieldDifference,
    OutdatedActivity,
    apply_template_changes,
    outdated_activities,
    template_differences,
    version_key,
)
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.values import format_value
from registre_ui.widgets import NOTICE_STYLE, heading_label, plain_label, secondary

KEY_ROLE = Qt.ItemDataRole.UserRole


def _collection_entity(key: str) -> Any:
    return ACTIVITY.collection(key).entity


def format_difference_value(difference: FieldDifference, value: Any) -> str:
    """A value of the difference as the user reads it: lists joined, one line per row."""
    if difference.collection:
        entity = _collection_entity(difference.field_key)
        lines = []
        for row in value or []:
            parts = [format_value(spec, row.get(spec.key)) for spec in entity.fields]
            lines.append("• " + " · ".join(part for part in parts if part))
        return "\n".join(lines)
    return format_value(ACTIVITY.field(difference.field_key), value)


class TemplateUpdatesDialog(QDialog):
    """Compare the organisation's activities with the newer versions of their templates."""

    changed = Signal()

    def __init__(
        self,
        register: Register,
        organisation_id: str | None,
        parent: QWidget | None = None,
        *,
        catalogue: Catalogue | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.organisation_id = organisation_id
        self.catalogue = catalogue
        self.outdated: list[OutdatedActivity] = []
        self.differences: list[FieldDifference] = []
        self.setWindowTitle(self.tr("Mises à jour du catalogue de modèles"))
        self.resize(1100, 620)

        intro = plain_label(
            self.tr(
                "Ces fiches ont été créées à partir d'une version plus ancienne de leur modèle. "
                "Cochez les champs à reprendre du modèle ; les autres gardent leur valeur."
            )
        )

        self.up_to_date_label = plain_label(self.tr("Toutes les fiches sont à jour du catalogue."))
        self.up_to_date_label.setStyleSheet(NOTICE_STYLE)
        self.up_to_date_label.setAccessibleName(self.tr("État des fiches"))
        self.up_to_date_label.hide()

        self.activity_list = QListWidget()
        self.activity_list.setAccessibleName(self.tr("Fiches à mettre à jour"))
        self.activity_list.setWordWrap(True)
        self.activity_list.currentRowChanged.connect(self._show_activity)
        list_label = QLabel(self.tr("&Fiches dont le modèle a changé :"))
        list_label.setBuddy(self.activity_list)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(list_label)
        left_layout.addWidget(self.activity_list)

        self.title_label = heading_label("", scale=1.15)
        self.notes_label = plain_label("", selectable=True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Champ"), self.tr("Valeur actuelle"), self.tr("Valeur du modèle")]
        )
        self.table.setAccessibleName(self.tr("Différences avec le modèle"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 230)
        self.table.itemChanged.connect(lambda _item: self._update_buttons())
        table_label = QLabel(
            self.tr("&Différences (cochées : à reprendre ; en italique : modifications locales) :")
        )
        table_label.setBuddy(self.table)

        self.apply_button = QPushButton(self.tr("&Appliquer les champs cochés"))
        self.apply_button.setToolTip(self.tr("Remplace les champs cochés par la valeur du modèle"))
        self.apply_button.clicked.connect(self.apply_checked)
        self.mark_button = QPushButton(self.tr("&Marquer comme à jour"))
        self.mark_button.setToolTip(
            self.tr(
                "Applique les champs cochés et garde volontairement les autres valeurs : "
                "la fiche suit désormais la nouvelle version du modèle"
            )
        )
        self.mark_button.clicked.connect(self.mark_up_to_date)
        self.read_only_label = plain_label(
            self.tr("Le registre est ouvert en lecture seule : rien ne peut être appliqué.")
        )
        self.read_only_label.setVisible(self.register.read_only)

        actions = QHBoxLayout()
        actions.addWidget(self.apply_button)
        actions.addWidget(self.mark_button)
        actions.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(self.notes_label)
        right_layout.addWidget(table_label)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.read_only_label)
        right_layout.addLayout(actions)
        self.undo_note = secondary(
            plain_label(
                self.tr(
                    "Une mise à jour appliquée ne s'annule pas avec Ctrl+Z : chaque champ "
                    "changé reste dans l'historique, avec son ancienne valeur."
                )
            )
        )
        right_layout.addWidget(self.undo_note)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 760])

        self.buttons = QDialogButtonBox()
        self.close_button = self.buttons.addButton(
            self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.up_to_date_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.buttons)
        self.refresh()

    # ------------------------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the outdated activities again; select ``select`` (or the first) when listed."""
        try:
            if self.organisation_id is None:
                self.outdated = []
            else:
                self.outdated = outdated_activities(
                    self.register, self.catalogue, self.organisation_id
                )
        except RegistreError as error:
            self.outdated = []
            show_error(self, error)
        self.activity_list.blockSignals(True)
        self.activity_list.clear()
        for entry in self.outdated:
            item = QListWidgetItem(self._entry_text(entry))
            item.setData(KEY_ROLE, entry.activity.id)
            self.activity_list.addItem(item)
        self.activity_list.blockSignals(False)
        empty = not self.outdated
        self.up_to_date_label.setVisible(empty)
        self.splitter.setVisible(not empty)
        ids = [entry.activity.id for entry in self.outdated]
        row = ids.index(select) if select in ids else 0
        if empty:
            self._show_activity(-1)
        else:
            self.activity_list.setCurrentRow(row)
            self._show_activity(row)

    def _entry_text(self, entry: OutdatedActivity) -> str:
        activity = entry.activity
        name = f"{activity.reference} {activity.name}" if activity.reference else activity.name
        return self.tr("{activity} — modèle {template} {old} → {new}").format(
            activity=name,
            template=entry.template.id,
            old=entry.from_version or self.tr("(sans version)"),
            new=entry.template.version,
        )

    def current_activity(self) -> OutdatedActivity | None:
        """The selected outdated activity."""
        row = self.activity_list.currentRow()
        return self.outdated[row] if 0 <= row < len(self.outdated) else None

    def _show_activity(self, row: int) -> None:
        entry = self.outdated[row] if 0 <= row < len(self.outdated) else None
        self.differences = []
        if entry is not None:
            try:
                self.differences = template_differences(
                    self.register, entry.activity.id, self.catalogue
                )
            except RegistreError as error:
                show_error(self, error)
        self.title_label.setText(entry.activity.name if entry else "")
        self.notes_label.setText(self._notes(entry) if entry else "")
        self._fill_table()
        self._update_buttons()

    def _notes(self, entry: OutdatedActivity) -> str:
        after = version_key(entry.from_version)
        english = language() == "en"
        lines = [
            f"{note.version} : {(note.note_en if english else note.note_fr) or '—'}"
            for note in entry.template.changelog
            if version_key(note.version) > after
        ]
        heading = self.tr("Modèle « {name} », version {version}.").format(
            name=entry.template.name(language()), version=entry.template.version
        )
        return "\n".join([heading, *lines])

    def _fill_table(self) -> None:
        editable = not self.register.read_only
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.differences))
        for row, difference in enumerate(self.differences):
            label = QTableWidgetItem(difference.label(language()))
            label.setData(KEY_ROLE, difference.field_key)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if editable:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            label.setFlags(flags)
            checked = difference.changed_in_template and editable
            label.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            origin = (
                self.tr("Modifié par la nouvelle version du modèle")
                if difference.changed_in_template
                else self.tr("Modification locale de la fiche (le modèle n'a pas changé ce champ)")
            )
            label.setToolTip(origin)
            if not difference.changed_in_template:
                font = QFont(label.font())
                font.setItalic(True)
                label.setFont(font)
            self.table.setItem(row, 0, label)
            for column, value in ((1, difference.current), (2, difference.template)):
                text = format_difference_value(difference, value)
                item = QTableWidgetItem(text or self.tr("(vide)"))
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()

    # ------------------------------------------------------------------------------------
    # Applying
    # ------------------------------------------------------------------------------------

    def checked_keys(self) -> list[str]:
        """Keys of the ticked fields, in table order."""
        keys = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                keys.append(str(item.data(KEY_ROLE)))
        return keys

    def set_checked(self, field_key: str, checked: bool = True) -> None:
        """Tick (or untick) the row of ``field_key``."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(KEY_ROLE) == field_key:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _update_buttons(self) -> None:
        available = self.current_activity() is not None and not self.register.read_only
        self.apply_button.setEnabled(available and bool(self.checked_keys()))
        self.mark_button.setEnabled(available)

    def apply_checked(self) -> None:
        """« Appliquer les champs cochés »: the ticked fields take the template's value."""
        self._apply(mark_up_to_date=False)

    def mark_up_to_date(self) -> None:
        """« Marquer comme à jour »: apply the ticked fields and record the template version."""
        self._apply(mark_up_to_date=True)

    def _apply(self, *, mark_up_to_date: bool) -> None:
        entry = self.current_activity()
        if entry is None or self.register.read_only:
            return
        keys = self.checked_keys()
        if not keys and not mark_up_to_date:
            return
        try:
            changes = apply_template_changes(
                self.register,
                entry.activity.id,
                keys,
                self.catalogue,
                mark_up_to_date=mark_up_to_date,
            )
        except RegistreError as error:
            show_error(self, error)
            return
        finally:
            self.refresh(select=entry.activity.id)
        if changes:
            self.changed.emit()
