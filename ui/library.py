"""The library window (first window): the registers of the library folder, open or create one."""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.backup import BACKUP_SUFFIX, restore_backup
from registre.errors import RegistreError
from registre.presentation import short_date
from registre.schema import ORGANISATION
from registre.storage import (
    DB_NAME,
    REGISTER_SUFFIX,
    Context,
    Register,
    read_slot_file,
)
from registre_ui.messages import error_text
from registre_ui.models import ID_ROLE, LibraryModel, RegisterEntry, SearchFilterProxy
from registre_ui.preferences import PreferencesDialog
from registre_ui.settings import Settings
from registre_ui.tasks import TaskRunner, hand_over
from registre_ui.team_open import TeamRegisterDialog
from registre_ui.values import fold_text
from registre_ui.widgets import (
    FORBIDDEN_FOLDER_CHARACTERS,
    NOTICE_STYLE,
    WARNING_STYLE,
    RecordTableView,
    StrengthMeter,
    heading_label,
    new_passphrase_problem,
    plain_label,
    secondary,
    usable_folder_name,
)


def scan_library(directory: Path, settings: Settings | None = None) -> list[RegisterEntry]:
    """The register folders (``*.registre``) directly inside ``directory``, by name.

    Organisations and completeness come from the preferences, as each register was when it
    was last closed (the register itself cannot be read without its passphrase).
    """
    if not directory.is_dir():
        return []
    settings = settings or Settings()
    entries = []
    for path in directory.iterdir():
        if path.name.startswith(".") or not path.name.endswith(REGISTER_SUFFIX):
            continue
        if not path.is_dir():
            continue
        try:
            demo = read_slot_file(path, Context().kdf_policy).demo
        except RegistreError:
            demo = False  # shown anyway: opening it explains what is wrong
        database = path / DB_NAME
        changed = (database if database.is_file() else path).stat().st_mtime
        modified = dt.datetime.fromtimestamp(changed)
        summary = settings.register_summary(path) or {}
        names = [str(name) for name in summary.get("organisations") or []]
        percents = summary.get("percents") or []
        entries.append(
            RegisterEntry(
                path,
                path.name[: -len(REGISTER_SUFFIX)],
                modified,
                demo,
                ", ".join(names),
                tuple(
                    (name, percent)
                    for name, percent in zip(names, percents, strict=False)
                    if isinstance(percent, int)
                ),
                str(summary.get("checked_on") or ""),
            )
        )
    return sorted(entries, key=lambda entry: fold_text(entry.name))


def folder_name_for(organisation: str) -> str:
    """A folder name derived from an organisation name (« Commune de X » → « Commune-de-X »)."""
    kept = "".join(char for char in organisation if char not in FORBIDDEN_FOLDER_CHARACTERS)
    return re.sub(r"\s+", "-", kept.strip()).strip(".-")


class LibraryWindow(QMainWindow):
    """Lists the registers of the library folder; asks to open or create one."""

    open_requested = Signal(Path)
    register_created = Signal(object)  # a new Register, open
    quit_requested = Signal()
    preferences_changed = Signal()

    def __init__(self, directory: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = Settings()
        self.directory = directory or self.settings.library_folder
        self.setWindowTitle(self.tr("Bibliothèque des registres"))
        self.resize(760, 460)

        self.model = LibraryModel(self)
        self.proxy = SearchFilterProxy(self.model, self)
        self.table = RecordTableView(self.tr("Registres de la bibliothèque"))
        self.table.whole_columns = {3}  # the date
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.empty_label = plain_label(
            self.tr(
                "Aucun registre dans ce dossier pour l'instant. Créez-en un avec "
                "« Nouveau registre… » ou ouvrez un registre rangé ailleurs."
            )
        )
        self.empty_label.setStyleSheet(NOTICE_STYLE)

        self.open_button = QPushButton(self.tr("&Ouvrir"))
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._open_selected)
        self.open_other_button = QPushButton(self.tr("Ouvrir un &autre dossier…"))
        self.open_other_button.clicked.connect(self.choose_other_folder)
        self.new_button = QPushButton(self.tr("&Nouveau registre…"))
        self.new_button.clicked.connect(self.create_new_register)
        self.team_button = QPushButton(self.tr("Registre d'é&quipe…"))
        self.team_button.clicked.connect(self.open_team_register)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.open_other_button)
        buttons.addWidget(self.team_button)
        buttons.addStretch()
        buttons.addWidget(self.new_button)

        location = plain_label("", selectable=True)
        secondary(location)
        self.location_label = location
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(heading_label(self.tr("Vos registres")))
        layout.addWidget(location)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.setCentralWidget(central)
        self._build_menu()
        geometry, _state = self.settings.window_state("library")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.refresh()

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Fichier"))
        for text, shortcut, slot in (
            (self.tr("&Nouveau registre…"), "Ctrl+N", self.create_new_register),
            (self.tr("Ouvrir un &autre dossier…"), "Ctrl+O", self.choose_other_folder),
            (self.tr("&Importer une sauvegarde de registre…"), "Ctrl+I", self.import_backup),
            (self.tr("&Actualiser"), "F5", self.refresh),
            (self.tr("&Préférences…"), "Ctrl+,", self.open_preferences),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
        self.recent_menu = menu.addMenu(self.tr("Registres &récents"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addSeparator()
        quit_action = QAction(self.tr("&Quitter"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.quit_requested)
        menu.addAction(quit_action)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [path for path in self.settings.recent_registers if path.is_dir()]
        for path in recent:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(partial(self.open_requested.emit, path))
        if not recent:
            empty = self.recent_menu.addAction(self.tr("Aucun registre ouvert récemment"))
            empty.setEnabled(False)

    def open_preferences(self) -> PreferencesDialog:
        """Language, delay before the automatic lock, library folder (Ctrl+,)."""
        dialog = PreferencesDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self.apply_preferences)
        dialog.applied.connect(self.preferences_changed)
        dialog.open()
        return dialog

    def apply_preferences(self) -> None:
        """List the library folder of the preferences."""
        self.settings = Settings()
        self.directory = self.settings.library_folder
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window's size and place."""
        self.settings.save_window_state("library", self.saveGeometry(), self.saveState())
        self.settings.sync()
        super().closeEvent(event)

    def refresh(self) -> None:
        """Read the library folder again."""
        self.location_label.setText(
            self.tr("Dossier de la bibliothèque : {folder}").format(folder=self.directory)
        )
        entries = scan_library(self.directory, self.settings)
        self.model.set_registers(entries)
        self.empty_label.setVisible(not entries)
        if entries:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_path(self) -> Path | None:
        """Folder of the selected register, if any."""
        rows = self.table.selectionModel().selectedRows()
        return Path(rows[0].data(ID_ROLE)) if rows else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected_path() is not None)

    def _open_index(self, index: QModelIndex) -> None:
        self.open_requested.emit(Path(index.data(ID_ROLE)))

    def _open_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.open_requested.emit(path)

    def choose_other_folder(self) -> None:
        """Ask for a register folder stored outside the library."""
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choisir le dossier d'un registre"), str(Path.home())
        )
        if folder:
            self.open_requested.emit(Path(folder))

    def import_backup(self, backup: Path | None = None) -> ImportBackupDialog | None:
        """Bring a register saved elsewhere (``*.registre-backup``) into the library."""
        if backup is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Importer une sauvegarde de registre"),
                str(Path.home()),
                self.tr("Sauvegardes de registre (*{suffix})").format(suffix=BACKUP_SUFFIX),
            )
            if not chosen:
                return None
            backup = Path(chosen)
        dialog = ImportBackupDialog(self.directory, backup, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._imported)
        dialog.open()
        return dialog

    def _imported(self, directory: Path) -> None:
        self.refresh()
        for row in range(self.proxy.rowCount()):
            if Path(self.proxy.index(row, 0).data(ID_ROLE)) == directory:
                self.table.selectRow(row)

    def open_team_register(self) -> TeamRegisterDialog:
        """« Registre d'équipe » : open a register kept on the team's PostgreSQL server."""
        dialog = TeamRegisterDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.opened.connect(self.register_created.emit)
        dialog.open()
        return dialog

    def create_new_register(self) -> NewRegisterDialog:
        """Open the dialog creating a register in the library folder."""
        dialog = NewRegisterDialog(self.directory, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._show_recovery_key)
        dialog.open()
        return dialog

    def _show_recovery_key(self, register: Register, recovery_key: str) -> None:
        self.refresh()
        dialog = RecoveryKeyDialog(recovery_key, self, register_name=register.name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self.register_created.emit, register))
        dialog.open()


def create_register_with_organisation(
    directory: Path, organisation: str, passphrase: str
) -> tuple[Register, str]:
    """Create the register and its first organisation; returns it open and its recovery key."""
    register, recovery_key = services.create_register_with_organisation(
        directory, passphrase, organisation=organisation
    )
    return hand_over(register), recovery_key


class NewRegisterDialog(QDialog):
    """Asks for an organisation, a folder name and a passphrase, then creates the register."""

    created = Signal(object, str)  # the open Register, its recovery key

    def __init__(self, library: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._runner = TaskRunner(self)
        self._folder_edited = False
        self.setWindowTitle(self.tr("Nouveau registre"))
        self.setMinimumWidth(560)

        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText(self.tr("Commune de Saint-Martin"))
        self.organisation_edit.textEdited.connect(self._suggest_folder)
        self.folder_edit = QLineEdit()
        self.folder_edit.textEdited.connect(self._mark_folder_edited)
        self.passphrase_edit = QLineEdit()
        self.confirmation_edit = QLineEdit()
        for edit in (self.passphrase_edit, self.confirmation_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        for text, accessible, edit in (
            (
                self.tr("Nom de l'&organisme :"),
                self.tr("Nom de l'organisme"),
                self.organisation_edit,
            ),
            (self.tr("Nom du &dossier :"), self.tr("Nom du dossier"), self.folder_edit),
            (self.tr("&Phrase de passe :"), self.tr("Phrase de passe"), self.passphrase_edit),
            (
                self.tr("&Confirmation :"),
                self.tr("Confirmation de la phrase de passe"),
                self.confirmation_edit,
            ),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            edit.setAccessibleName(accessible)
            form.addRow(label, edit)

        self.strength = StrengthMeter(self.passphrase_edit, self)
        self.strength_bar, self.strength_label = self.strength.bar, self.strength.label
        self.passphrase_edit.textChanged.connect(lambda _text: self.adjustSize())
        form.insertRow(3, "", self.strength_bar)

        advice = plain_label(
            self.tr(
                "La phrase de passe chiffre le registre : sans elle ni la clé de secours, "
                "personne ne peut le rouvrir. Une suite d'au moins 7 mots est facile à retenir "
                "et difficile à deviner. La clé de secours vous sera montrée une seule fois, "
                "juste après la création."
            )
        )
        self.message_label = plain_label("")
        self.message_label.setStyleSheet(WARNING_STYLE)
        self.message_label.hide()

        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            self.tr("C&réer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._runner.busy_changed.connect(self._on_busy_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(advice)
        layout.addLayout(form)
        layout.addWidget(self.strength_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

    def _on_busy_changed(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    def _suggest_folder(self, organisation: str) -> None:
        if not self._folder_edited:
            self.folder_edit.setText(folder_name_for(organisation))

    def _mark_folder_edited(self) -> None:
        self._folder_edited = True

    def target_directory(self) -> Path:
        """Folder the register will be created in."""
        return self.library / f"{self.folder_edit.text().strip()}{REGISTER_SUFFIX}"

    def validation_problem(self) -> str:
        """What is wrong with the form, or an empty string."""
        organisation = self.organisation_edit.text().strip()
        folder = self.folder_edit.text().strip()
        name_limit = ORGANISATION.field("name").max_length
        if not organisation:
            return self.tr("Indiquez le nom de l'organisme.")
        if name_limit and len(organisation) > name_limit:
            return self.tr("Le nom de l'organisme compte au plus {limit} caractères.").format(
                limit=name_limit
            )
        if not usable_folder_name(folder):
            return self.tr(
                "Indiquez un nom de dossier sans les caractères {characters} "
                "et qui ne commence pas par un point."
            ).format(characters=" ".join(FORBIDDEN_FOLDER_CHARACTERS))
        if self.target_directory().exists():
            return self.tr("Un registre de ce nom existe déjà dans la bibliothèque.")
        return new_passphrase_problem(self.passphrase_edit.text(), self.confirmation_edit.text())

    def submit(self) -> None:
        """Validate the form, then create the register in a worker thread."""
        if self._runner.busy:
            return
        problem = self.validation_problem()
        if problem:
            self._show_message(problem)
            return
        directory = self.target_directory()
        organisation = self.organisation_edit.text().strip()
        passphrase = self.passphrase_edit.text()
        self._show_message(self.tr("Création du registre…"))
        self._runner.start(
            lambda: create_register_with_organisation(directory, organisation, passphrase),
            self._on_created,
            self._on_failed,
        )

    def _on_created(self, result: tuple[Register, str]) -> None:
        self.passphrase_edit.clear()
        self.confirmation_edit.clear()
        register, recovery_key = result
        self.created.emit(register, recovery_key)
        self.accept()

    def _on_failed(self, error: RegistreError) -> None:
        self._show_message(error_text(error))

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.adjustSize()

    def reject(self) -> None:
        """Close, unless the register is being created."""
        if not self._runner.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refuse to close while the register is being created."""
        if self._runner.busy:
            event.ignore()
        else:
            super().closeEvent(event)


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; closes only when the user says it has been noted."""

    def __init__(
        self, recovery_key: str, parent: QWidget | None = None, *, register_name: str = ""
    ) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.register_name = register_name
        self.setWindowTitle(self.tr("Clé de secours"))
        self.setMinimumWidth(560)
        explanation = plain_label(
            self.tr(
                "Voici la clé de secours du registre. Elle permet de le rouvrir si la phrase de "
                "passe est oubliée. Recopiez-la sur papier et rangez-la en lieu sûr, à part de "
                "l'ordinateur : elle ne sera plus jamais affichée."
            )
        )
        self.key_label = plain_label(recovery_key, selectable=True)
        self.key_label.setAccessibleName(self.tr("Clé de secours"))
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.4)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setStyleSheet(NOTICE_STYLE)
        self.noted_check = QCheckBox(self.tr("J'ai &noté la clé de secours"))
        self.close_button = QPushButton(self.tr("&Fermer"))
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.accept)
        self.noted_check.toggled.connect(self.close_button.setEnabled)
        self.print_button = QPushButton(self.tr("&Imprimer…"))
        self.print_button.clicked.connect(self.print_sheet)
        self.pdf_button = QPushButton(self.tr("&Enregistrer en PDF…"))
        self.pdf_button.setToolTip(
            self.tr("Pour l'imprimer plus tard : ne laissez pas ce fichier sur l'ordinateur.")
        )
        self.pdf_button.clicked.connect(self.choose_pdf)

        outputs = QHBoxLayout()
        outputs.addWidget(self.print_button)
        outputs.addWidget(self.pdf_button)
        outputs.addStretch()
        buttons = QHBoxLayout()
        buttons.addWidget(self.noted_check)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.key_label)
        layout.addLayout(outputs)
        layout.addLayout(buttons)

    def sheet(self) -> QTextDocument:
        """The recovery sheet: register, date, key, what to do with it (user text escaped)."""
        title = self.tr("Clé de secours du registre « {name} »").format(
            name=self.register_name or "—"
        )
        advice = self.tr(
            "Cette clé permet de choisir une nouvelle phrase de passe si elle est oubliée "
            "(« Phrase de passe oubliée » dans Registre, ou registre recover). Rangez cette "
            "feuille en lieu sûr, à part de l'ordinateur. Quiconque la détient peut ouvrir "
            "le registre."
        )
        created = self.tr("Établie le {date}.").format(date=short_date(dt.date.today()))
        document = QTextDocument()
        document.setHtml(
            f"<h2>{html.escape(title)}</h2><p>{html.escape(created)}</p>"
            f"<p style='font-family: monospace; font-size: 18pt; font-weight: bold'>"
            f"{html.escape(self.recovery_key)}</p><p>{html.escape(advice)}</p>"
        )
        return document

    def save_pdf(self, path: Path) -> Path:
        """Write the recovery sheet as a PDF file."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.sheet().print_(printer)
        return path

    def choose_pdf(self) -> None:
        """« Enregistrer en PDF… »."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Enregistrer la clé de secours"),
            str(Path.home() / self.tr("cle-de-secours.pdf")),
            "*.pdf",
        )
        if chosen:
            self.save_pdf(Path(chosen))

    def print_sheet(self) -> None:
        """« Imprimer… »: the recovery sheet on paper."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.sheet().print_(printer)

    def accept(self) -> None:
        """Close only once the key is noted."""
        if self.noted_check.isChecked():
            super().accept()

    def reject(self) -> None:
        """Escape and the window's close button do nothing until the key is noted."""
        self.accept()


class ImportBackupDialog(QDialog):
    """Restores a backup file as a new register of the library (verified with its passphrase)."""

    imported = Signal(Path)  # the new register's folder

    def __init__(self, library: Path, backup: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.backup = backup
        self._runner = TaskRunner(self)
        self.setWindowTitle(self.tr("Importer une sauvegarde de registre"))
        self.setMinimumWidth(520)
        explanation = plain_label(
            self.tr(
                "La sauvegarde « {file} » devient un registre de la bibliothèque. Elle est "
                "vérifiée avec la phrase de passe du registre au moment de la sauvegarde."
            ).format(file=backup.name)
        )
        stem = backup.name.removesuffix(BACKUP_SUFFIX)
        self.folder_edit = QLineEdit(folder_name_for(stem.split("-auto")[0]) or "Registre")
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        for text, accessible, edit in (
            (self.tr("Nom du &dossier :"), self.tr("Nom du dossier"), self.folder_edit),
            (self.tr("&Phrase de passe :"), self.tr("Phrase de passe"), self.passphrase_edit),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            edit.setAccessibleName(accessible)
            form.addRow(label, edit)
        self.message_label = plain_label("", selectable=True)
        self.message_label.setStyleSheet(WARNING_STYLE)
        self.message_label.hide()
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            self.tr("&Importer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setDefault(True)
        self.buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._runner.busy_changed.connect(lambda busy: self.buttons.setEnabled(not busy))
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

    @property
    def busy(self) -> bool:
        """True while the backup is being verified and restored."""
        return self._runner.busy

    def target(self) -> Path:
        """Folder of the new register."""
        return self.library / f"{self.folder_edit.text().strip()}{REGISTER_SUFFIX}"

    def submit(self) -> None:
        """Verify and restore the backup in a worker thread."""
        if self.busy:
            return
        folder = self.folder_edit.text().strip()
        if not usable_folder_name(folder):
            self._show(self.tr("Indiquez un nom de dossier valide."))
            return
        if self.target().exists():
            self._show(self.tr("Un registre de ce nom existe déjà dans la bibliothèque."))
            return
        if not self.passphrase_edit.text():
            self._show(self.tr("Saisissez la phrase de passe du registre sauvegardé."))
            return
        target, backup, passphrase = self.target(), self.backup, self.passphrase_edit.text()
        self._show(self.tr("Vérification de la sauvegarde…"))

        def restore() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            restore_backup(target, backup, passphrase)

        self._runner.start(
            restore,
            lambda _result: self._done(target),
            lambda error: self._show(error_text(error)),
        )

    def _done(self, target: Path) -> None:
        self.passphrase_edit.clear()
        self.imported.emit(target)
        self.accept()

    def _show(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()

    def reject(self) -> None:
        """Close, unless the backup is being restored."""
        if not self.busy:
            super().reject()
