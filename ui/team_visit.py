"""« Emporter » and « Rapporter » in a team register's window: offline visits.

« Emporter des organismes… » takes the chosen organisations into a new local encrypted register
(in the library folder by default, so it shows in the library); « Rapporter une visite… »
merges such a register back, field by field (``registre.team.visit``). When a field was changed
on both sides, nothing is written: the dialog lists the fields with both values and lets the
user keep the server's values or replace them with theirs, knowingly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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
from registre.errors import RegistreError
from registre.storage import REGISTER_SUFFIX, open_register
from registre.team.visit import Summary, VisitConflicts, bring_back, take_out
from registre_ui.i18n import language
from registre_ui.messages import error_text
from registre_ui.settings import Settings
from registre_ui.tasks import TaskRunner
from registre_ui.widgets import (
    WARNING_STYLE,
    StrengthMeter,
    new_passphrase_problem,
    plain_label,
    usable_folder_name,
)

if TYPE_CHECKING:
    from registre.team.register import TeamRegister
    from registre_ui.main_window import RegisterWindow


class TeamVisitActions:
    """The two entries of the File menu of a team register's window."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window
        self.take_out_action = QAction(
            QCoreApplication.translate("TeamVisit", "&Emporter des organismes…"), window
        )
        self.bring_back_action = QAction(
            QCoreApplication.translate("TeamVisit", "&Rapporter une visite…"), window
        )
        self.take_out_action.triggered.connect(self.take_out)
        self.bring_back_action.triggered.connect(self.bring_back)
        first = window.file_menu.actions()[0]
        window.file_menu.insertAction(first, self.take_out_action)
        window.file_menu.insertAction(first, self.bring_back_action)
        window.file_menu.insertSeparator(first)
        self.dialog: QDialog | None = None

    def _team(self) -> TeamRegister:
        return cast("TeamRegister", self.window.register)  # the window of a team register

    def take_out(self) -> TakeOutDialog:
        """Open the dialog taking organisations out."""
        self.window.commit_pending()
        dialog = TakeOutDialog(self._team(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def bring_back(self) -> BringBackDialog:
        """Open the dialog bringing a visit back."""
        self.window.commit_pending()
        dialog = BringBackDialog(self._team(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.brought_back.connect(self.window.reload)
        dialog.open()
        self.dialog = dialog
        return dialog


def _buddy(text: str, edit: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(edit)
    return label


def _folder_row(edit: QLineEdit, choose: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(choose)
    return row


class TakeOutDialog(QDialog):
    """Which organisations, where, under which passphrase; then takes them out."""

    def __init__(self, team: TeamRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self._runner = TaskRunner(self)
        self.setWindowTitle(self.tr("Emporter des organismes"))
        self.setMinimumWidth(600)
        intro = plain_label(
            self.tr(
                "Les organismes cochés sont copiés dans un registre local chiffré, pour y "
                "travailler sans réseau. Rapportez-le ensuite : vos modifications rejoignent le "
                "registre d'équipe champ par champ, et rien de ce que d'autres ont changé "
                "entre-temps n'est écrasé."
            )
        )
        self.organisation_list = QListWidget()
        self.organisation_list.setAccessibleName(self.tr("Organismes à emporter"))
        for organisation in services.register_info(team).organisations:
            item = QListWidgetItem(organisation.name)
            item.setData(Qt.ItemDataRole.UserRole, organisation.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.organisation_list.addItem(item)
        self.folder_edit = QLineEdit(str(Settings().library_folder))
        self.folder_edit.setAccessibleName(self.tr("Dossier du registre emporté"))
        self.choose_button = QPushButton(self.tr("&Choisir…"))
        self.choose_button.clicked.connect(self._choose_folder)
        self.name_edit = QLineEdit(self.tr("Visite"))
        self.name_edit.setAccessibleName(self.tr("Nom du registre emporté"))
        self.passphrase_edit = QLineEdit()
        self.confirmation_edit = QLineEdit()
        for edit, name in (
            (self.passphrase_edit, self.tr("Phrase de passe")),
            (self.confirmation_edit, self.tr("Confirmation de la phrase de passe")),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
        form = QFormLayout()
        form.addRow(self.tr("&Organismes :"), self.organisation_list)
        form.addRow(
            _buddy(self.tr("&Dossier :"), self.folder_edit),
            _folder_row(self.folder_edit, self.choose_button),
        )
        form.addRow(self.tr("&Nom :"), self.name_edit)
        form.addRow(self.tr("&Phrase de passe :"), self.passphrase_edit)
        self.strength = StrengthMeter(self.passphrase_edit, self)
        form.addRow("", self.strength.bar)
        form.addRow(self.tr("Con&firmation :"), self.confirmation_edit)
        self.message = plain_label("", selectable=True)
        self.message.setStyleSheet(WARNING_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox()
        self.take_button = self.buttons.addButton(
            self.tr("&Emporter"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._runner.busy_changed.connect(lambda busy: self.buttons.setEnabled(not busy))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.strength.label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.recovery_key = ""
        self.target: Path | None = None

    def check(self, organisation_id: str) -> None:
        """Tick an organisation (as a user would)."""
        for row in range(self.organisation_list.count()):
            item = self.organisation_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == organisation_id:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[str]:
        """The ticked organisations."""
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in map(self.organisation_list.item, range(self.organisation_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Dossier où créer le registre emporté"), self.folder_edit.text()
        )
        if folder:
            self.folder_edit.setText(folder)

    def target_directory(self) -> Path:
        """The local register to create."""
        name = self.name_edit.text().strip()
        return Path(self.folder_edit.text().strip()) / f"{name}{REGISTER_SUFFIX}"

    def problem(self) -> str:
        """What is missing or wrong, or an empty string."""
        if not self.chosen():
            return self.tr("Cochez au moins un organisme.")
        name = self.name_edit.text().strip()
        if not usable_folder_name(name):
            return self.tr(
                'Indiquez un nom sans / \\ : * ? " < > | et qui ne commence pas par un point.'
            )
        if self.target_directory().exists():
            return self.tr("Un registre de ce nom existe déjà dans ce dossier.")
        return new_passphrase_problem(self.passphrase_edit.text(), self.confirmation_edit.text())

    def submit(self) -> None:
        """Take the ticked organisations out, in a worker thread."""
        if self._runner.busy:
            return
        problem = self.problem()
        if problem:
            self._show(problem)
            return
        target, chosen = self.target_directory(), self.chosen()
        passphrase = self.passphrase_edit.text()

        def work() -> str:
            local, recovery_key = take_out(self.team, chosen, target, passphrase)
            local.close()
            return recovery_key

        self._show(self.tr("Copie des organismes…"))
        self._runner.start(work, lambda key: self._done(target, key), self._failed)

    def _done(self, target: Path, recovery_key: str) -> None:
        from registre_ui.library import RecoveryKeyDialog

        self.passphrase_edit.clear()
        self.confirmation_edit.clear()
        self.target, self.recovery_key = target, recovery_key
        self._show(
            self.tr(
                "Emporté dans {folder}. Ouvrez-le depuis la bibliothèque pendant la visite, puis "
                "rapportez-le (Fichier > Rapporter une visite…)."
            ).format(folder=target)
        )
        self.take_button.setEnabled(False)
        dialog = RecoveryKeyDialog(recovery_key, self, register_name=target.stem)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _failed(self, error: RegistreError) -> None:
        self._show(error_text(error))

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def reject(self) -> None:
        """Close, unless the copy is under way."""
        if not self._runner.busy:
            super().reject()


class BringBackDialog(QDialog):
    """Which local register, its passphrase; then merges it, or lists the conflicts."""

    brought_back = Signal()

    def __init__(self, team: TeamRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self._runner = TaskRunner(self)
        self.setWindowTitle(self.tr("Rapporter une visite"))
        self.setMinimumWidth(640)
        intro = plain_label(
            self.tr(
                "Choisissez le registre emporté. Ce que vous y avez changé rejoint le registre "
                "d'équipe champ par champ ; un champ changé aussi au bureau depuis votre départ "
                "vous est montré avant que quoi que ce soit soit écrit."
            )
        )
        self.folder_edit = QLineEdit()
        self.folder_edit.setAccessibleName(self.tr("Registre emporté"))
        self.choose_button = QPushButton(self.tr("&Choisir…"))
        self.choose_button.clicked.connect(self._choose_folder)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Phrase de passe du registre emporté"))
        form = QFormLayout()
        form.addRow(
            _buddy(self.tr("&Registre :"), self.folder_edit),
            _folder_row(self.folder_edit, self.choose_button),
        )
        form.addRow(self.tr("&Phrase de passe :"), self.passphrase_edit)
        self.message = plain_label("", selectable=True)
        self.message.hide()
        self.buttons = QDialogButtonBox()
        self.bring_button = self.buttons.addButton(
            self.tr("&Rapporter"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_server_button = self.buttons.addButton(
            self.tr("Garder les valeurs du serveur"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.keep_local_button = self.buttons.addButton(
            self.tr("Remplacer par les miennes"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(
            self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.bring_button.setDefault(True)
        self.bring_button.clicked.connect(lambda: self.submit(None))
        self.keep_server_button.clicked.connect(lambda: self.submit("server"))
        self.keep_local_button.clicked.connect(lambda: self.submit("local"))
        self.buttons.rejected.connect(self.reject)
        self._show_choices(False)
        self._runner.busy_changed.connect(lambda busy: self.buttons.setEnabled(not busy))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.summary: Summary | None = None

    def _show_choices(self, shown: bool) -> None:
        self.keep_server_button.setVisible(shown)
        self.keep_local_button.setVisible(shown)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Registre emporté"), str(Settings().library_folder)
        )
        if folder:
            self.folder_edit.setText(folder)

    def submit(self, keep: str | None) -> None:
        """Bring the visit back (``keep`` settles conflicts: "server" or "local")."""
        if self._runner.busy:
            return
        folder = Path(self.folder_edit.text().strip())
        passphrase = self.passphrase_edit.text()
        if not self.folder_edit.text().strip() or not passphrase:
            self._show(self.tr("Choisissez le registre emporté et saisissez sa phrase de passe."))
            return

        def work() -> Summary:
            with open_register(folder, passphrase) as local:
                return bring_back(local, self.team, keep=keep)

        self._show(self.tr("Rapport en cours…"), warning=False)
        self._runner.start(work, self._done, self._failed)

    def _done(self, summary: Any) -> None:
        self.summary = summary
        self.passphrase_edit.clear()
        self._show_choices(False)
        self.bring_button.setEnabled(False)
        self._show(
            self.tr(
                "Rapporté : {created} création(s), {updated} modification(s), {deleted} "
                "suppression(s) ; {carried} entrée(s) du journal de la visite reportée(s)."
            ).format(
                created=len(summary.created),
                updated=len(summary.updated),
                deleted=len(summary.deleted),
                carried=summary.carried,
            ),
            warning=False,
        )
        self.brought_back.emit()

    def _failed(self, error: RegistreError) -> None:
        if isinstance(error, VisitConflicts):
            lines = [conflict.line(language()) for conflict in error.conflicts]
            intro = self.tr(
                "Ces champs ont aussi été modifiés au bureau depuis votre départ : rien n'a été "
                "rapporté. Gardez les valeurs du serveur, ou remplacez-les par les vôtres en "
                "connaissance de cause."
            )
            self._show("\n".join([intro, "", *lines]))
            self._show_choices(True)
            return
        self._show(error_text(error))

    def _show(self, text: str, *, warning: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(WARNING_STYLE if warning else "")
        self.message.show()

    def reject(self) -> None:
        """Close, unless the merge is under way."""
        if not self._runner.busy:
            super().reject()
