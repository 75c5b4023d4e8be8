"""« Importer un fichier… »: choose a file, preview what the import would do, then apply it.

The preview is ``plan_import`` (nothing written): its summary and, for tables, how each column
of the file was understood. « Importer » applies the plan in one transaction (all or nothing).
Problems with the file are shown inside the dialog, as a message and what to do about it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from registre.interchange import ImportPlan, ImportReport, apply_import, plan_import
from registre.interchange.errors import OrganisationRequired
from registre.interchange.importer import detect_format, read_input
from registre.schema import ACTIVITY
from registre.storage import Register
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
        self.columns_table.setAccessibleName(self.tr("Correspondance des colonnes"))
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns_table.verticalHeader().hide()
        self.columns_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.columns_label = QLabel(self.tr("C&olonnes du fichier :"))
        self.columns_label.setBuddy(self.columns_table)

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
        layout.addWidget(self.buttons)
        self._show_columns({})

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
        self._show_columns(self.plan.columns)
        self.import_button.setEnabled(not self.register.read_only)
        return self.plan

    def _plan(self) -> ImportPlan:
        assert self.path is not None
        # A JSON export names its own organisations; a table goes to the organisation shown.
        is_json = detect_format(read_input(self.path), self.path) == "json"
        return plan_import(
            self.register,
            self.path,
            mapping_file=self.mapping,
            organisation_id=None if is_json else self.organisation_id,
        )

    def _show_columns(self, columns: dict[str, str | None]) -> None:
        self.columns_table.setRowCount(len(columns))
        for row, (column, key) in enumerate(columns.items()):
            label = field_label(key) or self.tr("— non compris")
            self.columns_table.setItem(row, 0, QTableWidgetItem(column))
            self.columns_table.setItem(row, 1, QTableWidgetItem(label))
        self.columns_label.setVisible(bool(columns))
        self.columns_table.setVisible(bool(columns))

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
        self._show_columns({})
        self.import_button.setEnabled(False)

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
