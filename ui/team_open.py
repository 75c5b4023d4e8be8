"""« Registre d'équipe » : open a team register (PostgreSQL) from the library by its address.

The address is a ``postgresql://`` URL without password; the PostgreSQL password comes from
libpq's usual places (``PGPASSWORD``, ``.pgpass``) or is asked here, hidden, and kept in memory
only; the team register's passphrase, needed only to sign exports, may be given with the address.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from registre.errors import RegistreError
from registre.team import is_team_location
from registre_ui.messages import error_text


def is_team_register(register: object) -> bool:
    """True for a register opened from a server (it has no folder)."""
    return hasattr(register, "address")


class TeamRegisterDialog(QDialog):
    """Asks the server address, opens the team register and emits it."""

    opened = Signal(object)  # the open TeamRegister

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Registre d'équipe"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Un registre d'équipe est tenu sur le serveur PostgreSQL de votre service : "
                "plusieurs personnes y travaillent en même temps. Indiquez l'adresse que vous a "
                "donnée votre service informatique."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText(
            "postgresql://prenom.nom@serveur/registre?sslmode=verify-full"
        )
        self.url_edit.setAccessibleName(self.tr("Adresse du serveur"))
        self.url_edit.setMinimumWidth(460)
        form.addRow(self.tr("&Adresse :"), self.url_edit)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Phrase de passe du registre d'équipe"))
        self.passphrase_edit.setPlaceholderText(self.tr("seulement pour signer les exports PDF"))
        form.addRow(self.tr("&Phrase de passe :"), self.passphrase_edit)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _ask_password(self, server: str) -> str | None:
        password, ok = QInputDialog.getText(
            self,
            self.tr("Mot de passe"),
            self.tr("Mot de passe PostgreSQL de {server} :").format(server=server),
            QLineEdit.EchoMode.Password,
        )
        return password if ok and password else None

    def submit(self) -> None:
        """Open the register at the address typed; say what is wrong otherwise."""
        from registre.team.register import open_team_register

        url = self.url_edit.text().strip()
        if not is_team_location(url):
            self.message.setText(
                self.tr("L'adresse commence par postgresql:// (exemple ci-dessus).")
            )
            return
        passphrase = self.passphrase_edit.text()
        self.passphrase_edit.clear()
        try:
            register = open_team_register(
                url, ask_password=self._ask_password, ask_secret=lambda: passphrase
            )
        except RegistreError as error:
            self.message.setText(error_text(error))
            return
        self.accept()
        self.opened.emit(register)
