"""« Changer la phrase de passe… » (menu Fichier): a new passphrase for the open register.

The core's ``storage.change_passphrase`` (the one ``registre passwd`` calls) re-encrypts the
database under a new data key and swaps it in under the register's lock, so the register must be
closed while it runs. The dialog first proves the current passphrase in a worker thread (nothing
is closed for a typo); then the window lets go of the register (its locked page shows), and the
worker changes the key and reopens the register with the new passphrase; the window takes it
back. Should the change fail (full disk…), the core has kept the old files or the new ones,
never neither: the worker reopens the register with whichever passphrase opens it now, and the
message says which. The passphrases stay in the password fields and the worker's call: never in
a log, a file or the clipboard (a password field cannot be copied from).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from registre.context import Context
from registre.errors import RegistreError, WrongPassphrase
from registre.keys import read_slot_file, unlock_key
from registre.storage import (
    KeyChange,
    Register,
    change_passphrase,
    display_name,
    open_register,
)
from registre_ui.messages import error_text, message_box
from registre_ui.tasks import TaskRunner, hand_over
from registre_ui.widgets import (
    NOTICE_STYLE,
    WARNING_STYLE,
    BusyDialog,
    StrengthMeter,
    new_passphrase_problem,
    plain_label,
)

if TYPE_CHECKING:
    from registre_ui.main_window import RegisterWindow


@dataclass(frozen=True)
class ChangeOutcome:
    """What the worker did: the change (None when it failed), why it failed, the register
    reopened (None when it could not be), and whether the new passphrase is the one that
    opens the register now."""

    change: KeyChange | None
    error: RegistreError | None
    register: Register | None
    new_passphrase_opens: bool


def change_and_reopen(
    directory: Path, current: str, new: str, context: Context | None
) -> ChangeOutcome:
    """Change the passphrase of the closed register in ``directory``, then reopen it."""
    try:
        change = change_passphrase(directory, current, new, context)
    except RegistreError as error:
        register, opened_with = _reopen(directory, (current, new), context)
        return ChangeOutcome(None, error, register, opened_with == new)
    register, _opened_with = _reopen(directory, (new,), context)
    return ChangeOutcome(change, None, register, True)


def _reopen(
    directory: Path, passphrases: Sequence[str], context: Context | None
) -> tuple[Register | None, str | None]:
    """The register opened with the first of ``passphrases`` that opens it, and that one."""
    for passphrase in passphrases:
        try:
            return hand_over(open_register(directory, passphrase, context=context)), passphrase
        except WrongPassphrase:
            continue
        except RegistreError:
            break
    return None, None


def recovery_key_survives(directory: Path, context: Context | None) -> bool:
    """True when the register's recovery key stays valid across a passphrase change (its slot
    can be resealed without it); a register of the first version gets a new one."""
    try:
        slot = read_slot_file(directory, (context or Context()).kdf_policy).recovery_slot
    except RegistreError:
        return True
    return slot is not None and slot.public_key is not None


class ChangePassphraseDialog(BusyDialog):
    """Current passphrase, new passphrase twice, what will happen; then the change.

    ``release`` lets go of the open register (False when it cannot now); ``resume`` hands the
    reopened register back (None: it must be unlocked by hand, from the locked page).
    """

    def __init__(
        self,
        directory: Path,
        context: Context | None,
        release: Callable[[], bool],
        resume: Callable[[Register | None], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.directory = Path(directory)
        self._context = context
        self._release = release
        self._resume = resume
        self.outcome: ChangeOutcome | None = None
        self.last_error: RegistreError | None = None
        self.result_box: QMessageBox | None = None
        self.recovery_dialog: QDialog | None = None
        self._runner = TaskRunner(self)
        self._runner.busy_changed.connect(self._on_busy_changed)
        self.setWindowTitle(self.tr("Changer la phrase de passe"))
        self.setMinimumWidth(600)

        self.explanation = plain_label(self._explanation())
        self.explanation.setStyleSheet(NOTICE_STYLE)
        self.current_edit = QLineEdit()
        self.passphrase_edit = QLineEdit()
        self.confirmation_edit = QLineEdit()
        form = QFormLayout()
        for text, accessible, edit in (
            (
                self.tr("Phrase de passe &actuelle :"),
                self.tr("Phrase de passe actuelle"),
                self.current_edit,
            ),
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
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(accessible)
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.strength = StrengthMeter(self.passphrase_edit, self)
        form.insertRow(2, "", self.strength.bar)
        self.passphrase_edit.textChanged.connect(lambda _text: self.adjustSize())

        self.progress_label = plain_label("")
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # under way, length unknown
        self.progress_bar.setAccessibleName(self.tr("Changement en cours"))
        self.progress_label.hide()
        self.progress_bar.hide()
        self.message_label = plain_label("", selectable=True)
        self.message_label.setStyleSheet(WARNING_STYLE)
        self.message_label.setAccessibleName(self.tr("Message"))
        self.message_label.hide()

        self.buttons = QDialogButtonBox()
        self.change_button = self.buttons.addButton(
            self.tr("C&hanger la phrase de passe"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.change_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.strength.label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.buttons)

    def _explanation(self) -> str:
        """What the change does, as the core does it (the recovery key stays valid or not)."""
        text = self.tr(
            "La nouvelle phrase de passe remplace l'actuelle : une fois le changement fait, "
            "seule la nouvelle ouvre ce registre. Le registre est rechiffré sous une nouvelle "
            "clé, ce qui prend quelques secondes ; s'il est interrompu (disque plein…), rien "
            "n'est perdu."
        )
        if recovery_key_survives(self.directory, self._context):
            recovery = self.tr("Votre clé de secours reste valable.")
        else:
            recovery = self.tr(
                "La clé de secours de ce registre est d'un format ancien : elle ne vaudra plus, "
                "et une nouvelle clé de secours vous sera montrée une seule fois, à noter."
            )
        backups = self.tr(
            "Les sauvegardes faites avant le changement gardent l'ancienne phrase de passe : "
            "pour restaurer l'une d'elles, c'est l'ancienne qu'il faudra saisir."
        )
        return f"{text}\n\n{recovery}\n\n{backups}"

    @property
    def busy(self) -> bool:
        """True while the passphrase is being checked or changed."""
        return self._runner.busy

    def problem(self) -> str:
        """What is wrong with the form, or an empty string."""
        if not self.current_edit.text():
            return self.tr("Saisissez la phrase de passe actuelle.")
        problem = new_passphrase_problem(self.passphrase_edit.text(), self.confirmation_edit.text())
        if problem:
            return problem
        if self.passphrase_edit.text() == self.current_edit.text():
            return self.tr("La nouvelle phrase de passe est la même que l'actuelle.")
        return ""

    def submit(self) -> None:
        """Check the form, then prove the current passphrase (in a worker thread)."""
        if self.busy:
            return
        problem = self.problem()
        if problem:
            self._show_message(problem)
            return
        self.message_label.hide()
        directory, context, current = self.directory, self._context, self.current_edit.text()

        def prove_current() -> None:
            unlock_key(directory, current, context)  # WrongPassphrase, or the key, dropped here

        self._show_progress(self.tr("Vérification de la phrase de passe actuelle…"))
        self._runner.start(prove_current, lambda _none: self._proven(), self._not_proven)

    def _not_proven(self, error: RegistreError) -> None:
        self.last_error = error
        if isinstance(error, WrongPassphrase):
            self.current_edit.clear()
            self.current_edit.setFocus()
            self._show_message(
                self.tr("La phrase de passe actuelle est incorrecte. Rien n'a été changé.")
            )
            return
        self._show_message(error_text(error))

    def _proven(self) -> None:
        """Let the window close the register, then change the key and reopen it."""
        if not self._release():
            self._show_message(
                self.tr(
                    "Le registre est occupé (un export est en cours) ou verrouillé. "
                    "Rien n'a été changé : réessayez dans un instant."
                )
            )
            return
        directory, context = self.directory, self._context
        current, new = self.current_edit.text(), self.passphrase_edit.text()
        self._show_progress(self.tr("Rechiffrement du registre sous la nouvelle phrase de passe…"))
        self._runner.start(
            lambda: change_and_reopen(directory, current, new, context),
            self._finished,
            self._reopen_failed,
        )

    def _reopen_failed(self, error: RegistreError) -> None:
        """Not expected (``change_and_reopen`` reports its errors): unlock by hand."""
        self._finished(ChangeOutcome(None, error, None, False))

    def _finished(self, outcome: ChangeOutcome) -> None:
        self.outcome = outcome
        self._resume(outcome.register)
        if outcome.change is not None:
            self._succeeded(outcome.change)
            return
        assert outcome.error is not None
        self.last_error = outcome.error
        if outcome.register is None:
            after = self.tr(
                "Le registre n'a pas pu être rouvert : fermez cette fenêtre, puis choisissez "
                "« Déverrouiller… » et essayez l'ancienne phrase de passe, puis la nouvelle."
            )
        elif outcome.new_passphrase_opens:  # the change was committed (ReplacementPending)
            after = self.tr(
                "Le changement est enregistré : désormais, c'est la nouvelle phrase de passe "
                "qui ouvre ce registre."
            )
        else:
            after = self.tr(
                "La phrase de passe n'a pas été changée : l'actuelle ouvre toujours le "
                "registre, dont rien n'est perdu."
            )
        self._show_message(f"{error_text(outcome.error)}\n\n{after}")
        if outcome.new_passphrase_opens:
            self.change_button.setEnabled(False)

    def _succeeded(self, change: KeyChange) -> None:
        for edit in (self.current_edit, self.passphrase_edit, self.confirmation_edit):
            edit.clear()
        details = [
            self.tr(
                "Le registre a été rechiffré sous une nouvelle clé. Utilisez désormais la "
                "nouvelle phrase de passe pour l'ouvrir."
            )
        ]
        if change.new_recovery_key is None:
            details.append(self.tr("Votre clé de secours reste valable."))
        else:
            details.append(
                self.tr("L'ancienne clé de secours ne vaut plus : notez la nouvelle, montrée ici.")
            )
        box = message_box(
            self.parentWidget(),
            QMessageBox.Icon.Information,
            self.tr("Phrase de passe changée"),
            self.tr("La phrase de passe du registre « {name} » est changée.").format(
                name=display_name(self.directory)
            ),
            "\n\n".join(details),
        )
        box.open()
        self.result_box = box
        if change.new_recovery_key is not None:
            from registre_ui.library import RecoveryKeyDialog

            dialog = RecoveryKeyDialog(
                change.new_recovery_key,
                self.parentWidget(),
                register_name=display_name(self.directory),
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.recovery_dialog = dialog
        self.accept()

    def _show_progress(self, text: str) -> None:
        self.progress_label.setText(text)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.adjustSize()

    def _on_busy_changed(self, busy: bool) -> None:
        for widget in (
            self.current_edit,
            self.passphrase_edit,
            self.confirmation_edit,
            self.buttons,
        ):
            widget.setEnabled(not busy)
        self.progress_label.setVisible(busy)
        self.progress_bar.setVisible(busy)


class PassphraseChangeAction:
    """« Changer la phrase de passe… » in the File menu of a register window (local registers:
    a team register's passphrase is the server's business)."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window
        self.action = QAction(
            QCoreApplication.translate("RegisterWindow", "Changer la &phrase de passe…"), window
        )
        self.action.setToolTip(
            QCoreApplication.translate(
                "RegisterWindow", "Choisir une nouvelle phrase de passe pour ce registre"
            )
        )
        self.action.triggered.connect(self.open)
        window.addAction(self.action)
        window.file_menu.insertAction(window.lock_action, self.action)
        window.edit_actions.append(self.action)  # not in a register opened read-only
        self.action.setEnabled(not window.register.read_only)
        self.dialog: ChangePassphraseDialog | None = None

    def open(self) -> ChangePassphraseDialog:
        """Open the dialog (the field being typed into is saved first)."""
        window = self.window
        window.commit_pending()
        dialog = ChangePassphraseDialog(
            window.register.directory,
            window.register.context,
            window.release_register,
            self._resume,
            window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _resume(self, register: Register | None) -> None:
        """Show the reopened register; without one, the window stays on its locked page,
        whose « Déverrouiller… » the dialog's message points to."""
        if register is not None:
            self.window.resume(register)
