"""The unlock dialog: asks for a register's passphrase and opens it.

The key derivation (Argon2id, about 0.7 s) runs in a worker thread under a wait cursor. Each
user-facing failure gets its own inline message: wrong passphrase (field cleared), damaged
register, register locked by someone else (with a read-only option), newer register, not a
register.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from registre import crypto, services
from registre.demo import DEMO_PASSPHRASE
from registre.errors import RegisterLocked, RegistreError, WrongPassphrase
from registre.storage import Context, Register, display_name, open_register, read_slot_file
from ui.messages import error_text
from ui.tasks import TaskRunner, hand_over
from ui.widgets import NOTICE_STYLE, WARNING_STYLE, heading_label, plain_label


class UnlockDialog(QDialog):
    """Passphrase prompt for the register in ``directory``; emits ``unlocked`` with it open."""

    unlocked = Signal(object)  # the open Register

    def __init__(
        self, directory: Path, parent: QWidget | None = None, *, context: Context | None = None
    ) -> None:
        super().__init__(parent)
        self.directory = Path(directory)
        self.last_error: RegistreError | None = None
        self._context = context
        self._runner = TaskRunner(self)
        self._runner.busy_changed.connect(self._on_busy_changed)
        self.setWindowTitle(self.tr("Ouvrir un registre"))
        self.setMinimumWidth(520)

        title = heading_label(
            self.tr("Registre « {name} »").format(name=display_name(self.directory))
        )
        location = plain_label(str(self.directory))
        location.setEnabled(False)  # secondary information, drawn in the disabled colour
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

        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(
            self.tr("&Ouvrir"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.open_button.setDefault(True)
        self.buttons.accepted.connect(self.unlock)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(location)
        layout.addWidget(self.demo_label)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.read_only_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.progress_label)
        layout.addStretch()
        layout.addWidget(self.buttons)
        self._inspect_folder()

    @property
    def busy(self) -> bool:
        """True while the register is being opened."""
        return self._runner.busy

    def _inspect_folder(self) -> None:
        """Show the demo passphrase for a demo register; refuse a folder that is no register."""
        try:
            slot_file = read_slot_file(self.directory, crypto.active_policy())
        except RegistreError as error:
            self._show_error(error)
            self.passphrase_edit.setEnabled(False)
            self.open_button.setEnabled(False)
            return
        self.demo_label.setVisible(slot_file.demo)

    def unlock(self) -> None:
        """Open the register with the typed passphrase (« Ouvrir »)."""
        self._unlock(read_only=False)

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

    def _on_busy_changed(self, busy: bool) -> None:
        for widget in (self.passphrase_edit, self.buttons, self.read_only_button):
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
        self._show_message(error_text(error))
        self.read_only_button.setVisible(isinstance(error, RegisterLocked))

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.adjustSize()  # room for the whole message

    def reject(self) -> None:
        """Close, unless the register is being opened (the derivation cannot be interrupted)."""
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refuse to close while the register is being opened."""
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)
