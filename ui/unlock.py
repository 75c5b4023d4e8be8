"""The unlock dialog: asks for a register's passphrase and opens it.

The key derivation (Argon2id, about 0.7 s) runs in a worker thread under a wait cursor. Each
user-facing failure gets its own inline message: wrong passphrase (field cleared, and
« Phrase de passe oubliée » sets a new one through the recovery key), damaged register (with
« Restaurer une sauvegarde »), register locked by someone else (who, where, since when, with a
read-only option), newer register, not a register.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.backup import BackupInfo, list_backups, restore_backup
from registre.demo import DEMO_PASSPHRASE
from registre.errors import RegisterDamaged, RegisterLocked, RegistreError, WrongPassphrase
from registre.storage import (
    Context,
    Register,
    display_name,
    open_register,
    read_slot_file,
    reset_passphrase,
    unlock_key,
)
from registre_ui.messages import error_message, error_text
from registre_ui.tasks import BackgroundTask, TaskRunner, hand_over
from registre_ui.widgets import (
    NOTICE_STYLE,
    WARNING_STYLE,
    BusyDialog,
    StrengthMeter,
    heading_label,
    new_passphrase_problem,
    plain_label,
    secondary,
)


class UnlockDialog(BusyDialog):
    """Passphrase prompt for the register in ``directory``; emits ``unlocked`` with it open."""

    unlocked = Signal(object)  # the open Register
    demo_checked = Signal(bool)  # whether the demo passphrase opens the register

    def __init__(
        self, directory: Path, parent: QWidget | None = None, *, context: Context | None = None
    ) -> None:
        super().__init__(parent)
        self.directory = Path(directory)
        self.read_only = False  # « Ouvrir » opens read-only (a register window that was so)
        self.last_error: RegistreError | None = None
        self._context = context
        self._runner = TaskRunner(self)
        self._demo_check: BackgroundTask | None = None
        self._runner.busy_changed.connect(self._on_busy_changed)
        self.setWindowTitle(self.tr("Ouvrir un registre"))
        self.setMinimumWidth(520)

        title = heading_label(
            self.tr("Registre « {name} »").format(name=display_name(self.directory))
        )
        location = plain_label(str(self.directory))
        secondary(location)
        self.demo_label = plain_label(
            self.tr("Registre de démonstration — phrase de passe : {passphrase}").format(
                passphrase=DEMO_PASSPHRASE
            ),
            selectable=True,
        )
        self.demo_label.setStyleSheet(NOTICE_STYLE)
        self.demo_label.hide()

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Phrase de passe"))
        self.passphrase_edit.setMinimumWidth(280)
        form = QFormLayout()
        passphrase_label = QLabel(self.tr("&Phrase de passe :"))
        passphrase_label.setBuddy(self.passphrase_edit)
        form.addRow(passphrase_label, self.passphrase_edit)

        self.message_label = plain_label("", selectable=True)
        self.message_label.setStyleSheet(WARNING_STYLE)
        self.message_label.setAccessibleName(self.tr("Message"))
        self.message_label.hide()
        self.progress_label = plain_label(self.tr("Ouverture du registre…"))
        self.progress_label.hide()
        self.read_only_button = QPushButton(self.tr("Ouvrir en &lecture seule"))
        self.read_only_button.clicked.connect(self.unlock_read_only)
        self.read_only_button.hide()
        self.restore_button = QPushButton(self.tr("&Restaurer une sauvegarde…"))
        self.restore_button.clicked.connect(self.choose_backup)
        self.restore_button.hide()
        self.forgotten_button = QPushButton(self.tr("Phrase de passe ou&bliée…"))
        self.forgotten_button.setToolTip(
            self.tr("Choisir une nouvelle phrase de passe grâce à la clé de secours du registre")
        )
        self.forgotten_button.clicked.connect(self.recover)

        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(
            self.tr("&Ouvrir"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.unlock)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(location)
        layout.addWidget(self.demo_label)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        actions = QHBoxLayout()
        actions.addWidget(self.read_only_button)
        actions.addWidget(self.restore_button)
        actions.addStretch()
        actions.addWidget(self.forgotten_button)
        layout.addLayout(actions)
        layout.addWidget(self.progress_label)
        layout.addStretch()
        layout.addWidget(self.buttons)
        for button in (self.read_only_button, self.restore_button, self.forgotten_button):
            button.setAutoDefault(False)  # Return opens the register, whatever is shown
        self.open_button.setDefault(True)
        self.passphrase_edit.returnPressed.connect(self.unlock)
        self._inspect_folder()

    @property
    def busy(self) -> bool:
        """True while the register is being opened."""
        return self._runner.busy

    def _inspect_folder(self) -> None:
        """Show the demo passphrase for a demo register; refuse a folder that is no register."""
        try:
            slot_file = read_slot_file(self.directory, (self._context or Context()).kdf_policy)
        except RegistreError as error:
            self._show_error(error)
            self.passphrase_edit.setEnabled(False)
            self.open_button.setEnabled(False)
            self.forgotten_button.setEnabled(False)
            return
        if slot_file.demo:
            self._check_demo_passphrase()

    def _check_demo_passphrase(self) -> None:
        """Show the demo passphrase once it is proven to open this register.

        A demo register whose passphrase was changed keeps its demo mark: the hint would then
        be wrong. The check derives the key in a worker thread; the dialog stays usable.
        """
        directory, context = self.directory, self._context

        def opens_with_demo_passphrase() -> bool:
            try:
                unlock_key(directory, DEMO_PASSPHRASE, context)
            except WrongPassphrase:
                return False
            return True

        self._demo_check = BackgroundTask(opens_with_demo_passphrase, self)
        self._demo_check.succeeded.connect(self._demo_checked)
        self._demo_check.start()

    def _demo_checked(self, proven: bool) -> None:
        self.demo_label.setVisible(proven)
        if proven:
            self.adjustSize()
        self.demo_checked.emit(proven)

    def done(self, result: int) -> None:
        """Close once the check of the demo passphrase, if any, has ended."""
        if self._demo_check is not None:
            self._demo_check.wait()
        super().done(result)

    def unlock(self) -> None:
        """Open the register with the typed passphrase (« Ouvrir »)."""
        self._unlock(read_only=self.read_only)

    def unlock_read_only(self) -> None:
        """Open the register read-only (« Ouvrir en lecture seule »)."""
        self._unlock(read_only=True)

    def _unlock(self, *, read_only: bool) -> None:
        if self.busy:
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._show_message(self.tr("Saisissez la phrase de passe du registre."))
            self.passphrase_edit.setFocus()
            return
        directory, context = self.directory, self._context
        self._runner.start(
            lambda: hand_over(
                open_register(directory, passphrase, read_only=read_only, context=context)
            ),
            self._on_opened,
            self._on_failed,
        )

    def recover(self) -> RecoveryDialog:
        """« Phrase de passe oubliée » : a new passphrase through the recovery key."""
        dialog = RecoveryDialog(self.directory, self, context=self._context)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recovered.connect(self._recovered)
        dialog.open()
        return dialog

    def _recovered(self, passphrase: str) -> None:
        """Open the register with the passphrase just chosen."""
        self.passphrase_edit.setText(passphrase)
        self._show_message(self.tr("Nouvelle phrase de passe enregistrée. Ouverture du registre…"))
        self.unlock()

    def choose_backup(self) -> BackupDialog | None:
        """« Restaurer une sauvegarde » : replace a damaged register by a verified backup."""
        backups = list_backups(self.directory)
        if not backups:
            return None
        dialog = BackupDialog(backups, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.restore)
        dialog.open()
        return dialog

    def restore(self, backup: Path) -> None:
        """Restore ``backup`` (verified first, with the typed passphrase), then open."""
        if self.busy:
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._show_message(self.tr("Saisissez la phrase de passe du registre."))
            return
        directory, context = self.directory, self._context
        self.progress_label.setText(self.tr("Restauration de la sauvegarde…"))
        self._runner.start(
            lambda: restore_backup(directory, backup, passphrase, context),
            lambda _result: self._restored(),
            self._on_failed,
        )

    def _restored(self) -> None:
        self.progress_label.setText(self.tr("Ouverture du registre…"))
        self._show_message(self.tr("Sauvegarde restaurée. Ouverture du registre…"))
        self.unlock()

    def _on_busy_changed(self, busy: bool) -> None:
        for widget in (
            self.passphrase_edit,
            self.buttons,
            self.read_only_button,
            self.restore_button,
            self.forgotten_button,
        ):
            widget.setEnabled(not busy)
        self.progress_label.setVisible(busy)

    def _on_opened(self, register: Register) -> None:
        # Read in the GUI thread, which owns the register from now on: damage shows here.
        try:
            services.list_organisations(register)
        except RegistreError as error:
            register.close()
            self._on_failed(error)
            return
        self.passphrase_edit.clear()
        self.unlocked.emit(register)
        self.accept()

    def _on_failed(self, error: RegistreError) -> None:
        self._show_error(error)
        if isinstance(error, WrongPassphrase):
            self.passphrase_edit.clear()
        self.passphrase_edit.setFocus()

    def _show_error(self, error: RegistreError) -> None:
        self.last_error = error
        if isinstance(error, WrongPassphrase):  # the way out is the button below, not a command
            self._show_message(
                error_message(error)
                + "\n"
                + self.tr(
                    "Vérifiez la saisie (majuscules, accents). En cas d'oubli, cliquez sur "
                    "« Phrase de passe oubliée… » : la clé de secours remise à la création du "
                    "registre permet d'en choisir une nouvelle."
                )
            )
        else:
            self._show_message(error_text(error))
        self.read_only_button.setVisible(isinstance(error, RegisterLocked))
        self.restore_button.setVisible(
            isinstance(error, RegisterDamaged) and bool(list_backups(self.directory))
        )

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.adjustSize()  # room for the whole message


class RecoveryDialog(BusyDialog):
    """Sets a new passphrase after the recovery key proves who is asking."""

    recovered = Signal(str)  # the new passphrase

    def __init__(
        self, directory: Path, parent: QWidget | None = None, *, context: Context | None = None
    ) -> None:
        super().__init__(parent)
        self.directory = Path(directory)
        self._context = context
        self.last_error: RegistreError | None = None
        self._runner = TaskRunner(self)
        self._runner.busy_changed.connect(self._on_busy_changed)
        self.setWindowTitle(self.tr("Phrase de passe oubliée"))
        self.setMinimumWidth(560)
        explanation = plain_label(
            self.tr(
                "Saisissez la clé de secours notée à la création du registre, puis choisissez "
                "une nouvelle phrase de passe. Le contenu du registre ne change pas."
            )
        )
        self.key_edit = QLineEdit()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.key_edit.setFont(font)
        self.key_edit.setPlaceholderText("ABCDE-FGHJK-…")
        self.passphrase_edit = QLineEdit()
        self.confirmation_edit = QLineEdit()
        for edit in (self.passphrase_edit, self.confirmation_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = StrengthMeter(self.passphrase_edit, self)
        self.strength_bar, self.strength_label = self.strength.bar, self.strength.label
        form = QFormLayout()
        for text, accessible, edit in (
            (self.tr("Clé de &secours :"), self.tr("Clé de secours"), self.key_edit),
            (
                self.tr("&Nouvelle phrase de passe :"),
                self.tr("Nouvelle phrase de passe"),
                self.passphrase_edit,
            ),
            (
                self.tr("&Confirmation :"),
                self.tr("Confirmation de la nouvelle phrase de passe"),
                self.confirmation_edit,
            ),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            edit.setAccessibleName(accessible)
            form.addRow(label, edit)
        form.insertRow(2, "", self.strength_bar)
        self.message_label = plain_label("", selectable=True)
        self.message_label.setStyleSheet(WARNING_STYLE)
        self.message_label.setAccessibleName(self.tr("Message"))
        self.message_label.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("&Enregistrer et ouvrir"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.strength_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

    @property
    def busy(self) -> bool:
        """True while the new passphrase is being set."""
        return self._runner.busy

    def problem(self) -> str:
        """What is wrong with the form, or an empty string."""
        if not self.key_edit.text().strip():
            return self.tr("Saisissez la clé de secours.")
        return new_passphrase_problem(self.passphrase_edit.text(), self.confirmation_edit.text())

    def submit(self) -> None:
        """Check the recovery key and set the new passphrase (in a worker thread)."""
        if self.busy:
            return
        problem = self.problem()
        if problem:
            self._show_message(problem)
            return
        directory, context = self.directory, self._context
        key, passphrase = self.key_edit.text().strip(), self.passphrase_edit.text()
        self._runner.start(
            lambda: reset_passphrase(directory, key, passphrase, context),
            lambda _result: self._done(passphrase),
            self._failed,
        )

    def _done(self, passphrase: str) -> None:
        self.key_edit.clear()
        self.passphrase_edit.clear()
        self.confirmation_edit.clear()
        self.recovered.emit(passphrase)
        self.accept()

    def _failed(self, error: RegistreError) -> None:
        self.last_error = error
        self._show_message(error_text(error))
        self.key_edit.setFocus()

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()

    def _on_busy_changed(self, busy: bool) -> None:
        for widget in (self.key_edit, self.passphrase_edit, self.confirmation_edit, self.buttons):
            widget.setEnabled(not busy)


class BackupDialog(QDialog):
    """Lists a register's backups, newest first; emits ``chosen`` with the one to restore."""

    chosen = Signal(Path)

    def __init__(self, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restaurer une sauvegarde"))
        self.setMinimumWidth(520)
        self.backups = backups
        explanation = plain_label(
            self.tr(
                "La sauvegarde choisie est vérifiée avec la phrase de passe saisie avant de "
                "remplacer le registre endommagé. Les modifications faites depuis sont perdues."
            )
        )
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Sauvegardes du registre"))
        for backup in backups:
            taken = backup.taken_at.astimezone()
            reason = self.tr("automatique") if backup.reason == "auto" else backup.reason
            item = QListWidgetItem(f"{taken:%d/%m/%Y %H:%M} — {reason}")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        label = QLabel(self.tr("&Sauvegardes (la plus récente en premier) :"))
        label.setBuddy(self.list)
        buttons = QDialogButtonBox()
        restore = buttons.addButton(self.tr("&Restaurer"), QDialogButtonBox.ButtonRole.AcceptRole)
        restore.setDefault(True)
        buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Restore the selected backup."""
        row = self.list.currentRow()
        if 0 <= row < len(self.backups):
            self.chosen.emit(self.backups[row].path)
        super().accept()
