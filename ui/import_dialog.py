"""« Importer un fichier… »: choose a file, preview what the import would do, then apply it.

The preview is ``plan_import`` (nothing written): its summary, with the count of the file's
filled cells (in fields, in notes, lost), and for tables what each column becomes. For every
column the user may choose a register field, « garder en note » or « ignorer »: the preview is
made again with that choice, and « Enregistrer la correspondance… » saves the choices as a
mapping file for the next import. Once there is something to import, the dialog says that an
import cannot be undone, before « Importer » applies the plan in one transaction (all or
nothing); « Annuler » imports nothing. Problems with the file are shown inside the dialog, as a
message and what to do.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registre.errors import RegistreError
from registre.files import write_atomic
from registre.interchange import ImportPlan, ImportReport, apply_import, plan_import
from registre.interchange.columns import IGNORE, NOTE, Column, mapping_document
from registre.interchange.errors import OrganisationRequired
from registre.interchange.importer import detect_format, read_input
from registre.schema import ACTIVITY
from registre.storage import Register
from registre.synonyms import target_label, targets
from registre_ui.i18n import language
from registre_ui.widgets import WARNING_STYLE, plain_label


def field_label(key: str | None) -> str | None:
    """The register's label for the field or collection ``key`` (None when unmapped)."""
    if not key:
        return None
    for lookup in (ACTIVITY.field, ACTIVITY.collection):
        try:
            return lookup(key).label(language())
        except KeyError:
            continue
    return key


class ColumnChoice(QComboBox):
    """What a column of the file becomes: a register field, a note, or nothing."""

    def __init__(self, column: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self.addItem(self.tr("Garder en note"), NOTE)
        self.addItem(self.tr("Ignorer"), IGNORE)
        self.insertSeparator(2)
        for target in targets():
            self.addItem(target_label(target, language()), target)
        index = self.findData(column.target or IGNORE)
        self.setCurrentIndex(max(index, 0))
        self.setAccessibleName(
            self.tr("Champ du registre pour la colonne « {column} »").format(column=column.label)
        )


class ImportDialog(QDialog):
    """Preview then import a JSON, CSV, XLSX or ODS file into ``register``."""

    imported = Signal()

    def __init__(
        self, register: Register, organisation_id: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.organisation_id = organisation_id
        self.path: Path | None = None
        self.mapping: Path | None = None
        self.choices: dict[str, str | None] = {}
        self.plan: ImportPlan | None = None
        self.report: ImportReport | None = None
        self.report_box: QMessageBox | None = None
        self.error: RegistreError | None = None
        self.setWindowTitle(self.tr("Importer un fichier"))
        self.resize(760, 640)

        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("Aucun fichier choisi"))
        file_label = QLabel(self.tr("&Fichier à importer :"))
        file_label.setBuddy(self.file_edit)
        self.choose_button = QPushButton(self.tr("&Choisir un fichier…"))
        self.choose_button.clicked.connect(self.choose_file)

        self.mapping_edit = QLineEdit()
        self.mapping_edit.setReadOnly(True)
        self.mapping_edit.setPlaceholderText(self.tr("Facultatif, pour un fichier CSV"))
        mapping_label = QLabel(self.tr("Co&rrespondance :"))
        mapping_label.setBuddy(self.mapping_edit)
        self.mapping_button = QPushButton(self.tr("Fichier de correspondance des &colonnes…"))
        self.mapping_button.setToolTip(
            self.tr("Pour un CSV dont les en-têtes ne sont pas ceux de Registre")
        )
        self.mapping_button.clicked.connect(self.choose_mapping)

        choose = QGridLayout()
        choose.addWidget(file_label, 0, 0)
        choose.addWidget(self.file_edit, 0, 1)
        choose.addWidget(self.choose_button, 0, 2)
        choose.addWidget(mapping_label, 1, 0)
        choose.addWidget(self.mapping_edit, 1, 1)
        choose.addWidget(self.mapping_button, 1, 2)
        choose.setColumnStretch(1, 1)

        self.error_label = plain_label("", selectable=True)
        self.error_label.setStyleSheet(WARNING_STYLE)
        self.error_label.setAccessibleName(self.tr("Erreur d'import"))
        self.error_label.hide()

        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setReadOnly(True)
        self.summary_edit.setPlaceholderText(
            self.tr("Choisissez un fichier : l'aperçu dira ce que l'import créerait.")
        )
        summary_label = QLabel(self.tr("&Aperçu (rien n'est encore écrit) :"))
        summary_label.setBuddy(self.summary_edit)

        self.columns_table = QTableWidget(0, 2)
        self.columns_table.setHorizontalHeaderLabels(
            [self.tr("Colonne du fichier"), self.tr("Champ du registre")]
        )
        self.save_mapping_button = QPushButton(self.tr("&Enregistrer la correspondance…"))
        self.save_mapping_button.setToolTip(
            self.tr("Garder ces choix de colonnes pour un prochain import")
        )
        self.save_mapping_button.clicked.connect(self.save_mapping)
        self.columns_table.setAccessibleName(self.tr("Correspondance des colonnes"))
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns_table.verticalHeader().hide()
        self.columns_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.columns_label = QLabel(self.tr("C&olonnes du fichier :"))
        self.columns_label.setBuddy(self.columns_table)

        # Said before « Importer » is pressed, not after: the import cannot be taken back.
        self.undo_warning = plain_label(
            self.tr(
                "Un import ne peut pas être annulé ensuite : Édition › Annuler (Ctrl+Z) ne le "
                "défait pas, ni les modifications faites avant lui. Relisez l'aperçu avant "
                "d'importer ; le bouton « Annuler » ferme cette fenêtre sans rien importer."
            )
        )
        self.undo_warning.setStyleSheet(WARNING_STYLE)
        self.undo_warning.setAccessibleName(self.tr("Avertissement avant l'import"))
        self.undo_warning.hide()

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            self.tr("&Importer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.error_label)
        layout.addWidget(summary_label)
        layout.addWidget(self.summary_edit, 3)
        layout.addWidget(self.columns_label)
        layout.addWidget(self.columns_table, 2)
        layout.addWidget(self.save_mapping_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.undo_warning)
        layout.addWidget(self.buttons)
        self._show_columns([])

    # -- choosing ----------------------------------------------------------------------------

    def choose_file(self) -> None:
        """« Choisir un fichier… »."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Importer un fichier"),
            str(self.path.parent if self.path else Path.home()),
            ";;".join(
                [
                    self.tr("Fichiers importables (*.json *.csv *.xlsx *.ods)"),
                    self.tr("Export JSON de Registre (*.json)"),
                    self.tr("CSV (*.csv *.txt)"),
                    self.tr("Classeur XLSX (*.xlsx)"),
                    self.tr("Classeur ODS (*.ods)"),
                ]
            ),
        )
        if chosen:
            self.choices = {}
            self.load_file(Path(chosen), self.mapping)

    def choose_mapping(self) -> None:
        """« Fichier de correspondance des colonnes… » (then the preview is made again)."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Fichier de correspondance des colonnes"),
            str(self.path.parent if self.path else Path.home()),
            self.tr("Correspondance JSON (*.json);;Tous les fichiers (*)"),
        )
        if chosen:
            self.mapping = Path(chosen)
            self.mapping_edit.setText(str(self.mapping))
            if self.path is not None:
                self.load_file(self.path, self.mapping)

    # -- preview -----------------------------------------------------------------------------

    def load_file(self, path: Path, mapping: Path | None = None) -> ImportPlan | None:
        """Read ``path`` and show what importing it would do; None when it cannot be imported."""
        self.path = Path(path)
        self.mapping = Path(mapping) if mapping else None
        self.file_edit.setText(str(self.path))
        self.file_edit.setToolTip(str(self.path))
        self.mapping_edit.setText(str(self.mapping) if self.mapping else "")
        self.mapping_edit.setToolTip(str(self.mapping) if self.mapping else "")
        self.plan = None
        try:
            self.plan = self._plan()
        except RegistreError as error:
            self._show_error(error)
            return None
        self._show_error(None)
        self.summary_edit.setPlainText(self.plan.summary(language()))
        self._show_columns(self.plan.column_list)
        self.import_button.setEnabled(not self.register.read_only)
        self.undo_warning.setVisible(not self.register.read_only and self.plan.has_changes)
        return self.plan

    def _plan(self) -> ImportPlan:
        assert self.path is not None
        # A JSON export names its own organisations; a table goes to the organisation shown.
        is_json = detect_format(read_input(self.path), self.path) == "json"
        return plan_import(
            self.register,
            self.path,
            mapping_file=self.mapping,
            choices=self.choices,
            organisation_id=None if is_json else self.organisation_id,
        )

    def _show_columns(self, columns: list[Column]) -> None:
        shown = [column for column in columns if column.title]
        self.columns_table.setRowCount(len(shown))
        for row, column in enumerate(shown):
            self.columns_table.setItem(row, 0, QTableWidgetItem(column.label))
            choice = ColumnChoice(column)
            # The table is rebuilt by the new preview: leave the box's signal first.
            choice.currentIndexChanged.connect(
                lambda _index, box=choice: QTimer.singleShot(
                    0, lambda: self.choose_column(box.column, box.currentData())
                )
            )
            self.columns_table.setCellWidget(row, 1, choice)
        self.columns_label.setVisible(bool(shown))
        self.columns_table.setVisible(bool(shown))
        self.save_mapping_button.setVisible(bool(shown))

    def column_choice(self, label: str) -> ColumnChoice:
        """The choice box of the column labelled ``label`` in the preview."""
        for row in range(self.columns_table.rowCount()):
            item = self.columns_table.item(row, 0)
            if item is not None and item.text() == label:
                widget = self.columns_table.cellWidget(row, 1)
                assert isinstance(widget, ColumnChoice)
                return widget
        raise KeyError(label)

    def choose_column(self, column: Column, target: str | None) -> ImportPlan | None:
        """The user chose what ``column`` becomes: preview the import again with that choice."""
        self.choices[column.label] = target or IGNORE
        if self.path is None:
            return None
        return self.load_file(self.path, self.mapping)

    def save_mapping(self, path: Path | None = None) -> Path | None:
        """« Enregistrer la correspondance… »: the column choices as a mapping file."""
        if self.plan is None or not self.plan.column_list:
            return None
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Enregistrer la correspondance des colonnes"),
                str((self.path or Path.home()).with_suffix(".correspondance.json")),
                self.tr("Correspondance JSON (*.json)"),
            )
            if not chosen:
                return None
            path = Path(chosen)
        document = mapping_document(self.plan.column_list)
        try:
            write_atomic(path, json.dumps(document, ensure_ascii=False, indent=2).encode())
        except RegistreError as error:
            self._show_error(error)
            return None
        self.mapping = path
        self.mapping_edit.setText(str(path))
        return path

    def _show_error(self, error: RegistreError | None) -> None:
        self.error = error
        if error is None:
            self.error_label.hide()
            self.error_label.clear()
            return
        if isinstance(error, OrganisationRequired):
            hint = self.tr("Choisissez l'organisme dans la fenêtre du registre, puis recommencez.")
        else:
            hint = error.hint(language())
        message = error.message(language())
        self.error_label.setText(f"{message}\n{hint}" if hint else message)
        self.error_label.show()
        self.summary_edit.clear()
        self._show_columns([])
        self.import_button.setEnabled(False)
        self.undo_warning.hide()

    # -- importing ---------------------------------------------------------------------------

    def apply(self) -> ImportReport | None:
        """« Importer »: write the plan in one transaction, tell what was done and close."""
        if self.plan is None or self.register.read_only:
            return None
        try:
            report = apply_import(self.register, self.plan)
        except RegistreError as error:
            self.plan = None
            self._show_error(error)
            return None
        self.report = report
        self.imported.emit()
        box = QMessageBox(self.parentWidget())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Import terminé"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(report.summary(language()))
        box.show()
        self.report_box = box
        self.accept()
        return report
