"""Send records in an exchange file (``.registre-fiche``): the secretary to her DPO, the DPO to
the commune.

The secretary ticks her declarations (drafts and completed records are ticked to begin with;
each line says how many points she left « à voir avec le DPO »), types the passphrase agreed
with the DPO twice and saves the file where she chooses; the DPO does the same the other way
with the commune's validated records. ``registre.exchange.write_exchange`` seals it (Argon2id +
AES-GCM); the passphrase never leaves its two fields, which are emptied once the file is
written. Sending only reads the register.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
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
from registre.exchange import SUFFIX, default_file_name, write_exchange
from registre.schema import ACTIVITY
from registre.storage import Register
from registre.todos import list_todos
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.widgets import StrengthMeter, new_passphrase_problem

translate = QCoreApplication.translate

TO_DPO = "to_dpo"
TO_COMMUNE = "to_commune"


class SendFichesDialog(QDialog):
    """Choose records, a file and the shared passphrase; write the exchange file."""

    def __init__(
        self,
        register: Register,
        organisation_id: str,
        *,
        direction: str = TO_DPO,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.organisation_id = organisation_id
        self.direction = direction
        self.organisation = str(
            services.record_of(register, "organisation", organisation_id)["name"]
        )
        to_dpo = direction == TO_DPO
        self.setWindowTitle(
            translate("ExchangeSend", "Envoyer mes déclarations au DPO")
            if to_dpo
            else translate("ExchangeSend", "Envoyer ses fiches validées à la commune")
        )
        self.resize(760, 620)
        intro = QLabel(
            translate(
                "ExchangeSend",
                "Les fiches cochées et les points « à voir avec le DPO » partent dans un fichier "
                "chiffré. Envoyez le fichier au DPO (courriel, clé USB) et donnez-lui la phrase "
                "de passe par un autre moyen : téléphone ou papier, jamais avec le fichier.",
            )
            if to_dpo
            else translate(
                "ExchangeSend",
                "Les fiches validées cochées de « {} » partent dans un fichier chiffré pour la "
                "commune. Donnez la phrase de passe par un autre moyen que le fichier.",
            ).format(self.organisation)
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(translate("ExchangeSend", "Fiches à envoyer"))
        self._fill()
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(translate("ExchangeSend", "Fichier .registre-fiche"))
        browse = QPushButton(translate("ExchangeSend", "Choisir…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(translate("ExchangeSend", "Phrase de passe"))
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setAccessibleName(
            translate("ExchangeSend", "Phrase de passe, une seconde fois")
        )
        # The phrase must pass the register's passphrase policy: the meter says so while it is
        # typed, rather than a refusal after « Enregistrer le fichier ».
        self.strength = StrengthMeter(self.passphrase_edit, self)
        form = QFormLayout()
        form.addRow(translate("ExchangeSend", "Fichier :"), file_row)
        form.addRow(translate("ExchangeSend", "Phrase de passe convenue :"), self.passphrase_edit)
        form.addRow("", self.strength.bar)
        form.addRow("", self.strength.label)
        form.addRow(translate("ExchangeSend", "La même, une seconde fois :"), self.confirm_edit)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton(translate("ExchangeSend", "Enregistrer le fichier"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save_clicked)
        close = QPushButton(translate("ExchangeSend", "Fermer"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def _fill(self) -> None:
        """The organisation's records, those to send ticked (drafts and completed ones for the
        DPO, validated ones for the commune), each with its open points."""
        lang = language()
        status = ACTIVITY.field("status")
        open_points: dict[str, int] = {}
        for todo in list_todos(self.register, organisation_id=self.organisation_id, open_only=True):
            open_points[todo.activity_id] = open_points.get(todo.activity_id, 0) + 1
        for activity in services.list_activities(self.register, self.organisation_id):
            reference = f"{activity.reference} " if activity.reference else ""
            text = f"{reference}{activity.name} — {status.choice_label(activity.status, lang)}"
            points = open_points.get(activity.id, 0)
            if points:
                text += " — " + translate("ExchangeSend", "{} point(s) à voir").format(points)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, activity.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            validated = activity.status == "validated"
            wanted = validated if self.direction == TO_COMMUNE else not validated
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            self.list.addItem(item)

    def checked(self) -> list[str]:
        """The records ticked."""
        found = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return found

    def set_checked(self, activity_ids: list[str]) -> None:
        """Tick exactly ``activity_ids``."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in activity_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def suggested_path(self) -> Path:
        """« Commune de Brest - 2026-03-14.registre-fiche » in the home folder."""
        today = self.register.context.clock().date()
        return Path.home() / default_file_name(self.organisation, today)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            translate("ExchangeSend", "Enregistrer la fiche d'échange"),
            self.file_edit.text() or str(self.suggested_path()),
            translate("ExchangeSend", "Fiches d'échange (*.registre-fiche)"),
        )
        if chosen:
            self.file_edit.setText(chosen)

    def _save_clicked(self) -> None:
        self.save()

    def save(self, path: Path | None = None) -> int:
        """Write the ticked records to ``path`` (the file field's by default); returns how many
        were written (0 when something is missing or refused, said on screen)."""
        self.status.clear()
        ids = self.checked()
        if not ids:
            self.status.setText(translate("ExchangeSend", "Cochez au moins une fiche."))
            return 0
        passphrase = self.passphrase_edit.text()
        problem = new_passphrase_problem(passphrase, self.confirm_edit.text())
        if problem:  # said here; the phrase typed stays, only its confirmation is retyped
            self.status.setText(problem)
            self.confirm_edit.clear()
            (self.confirm_edit if passphrase else self.passphrase_edit).setFocus()
            return 0
        if path is None and not self.file_edit.text():
            self._browse()
        target = path or (Path(self.file_edit.text()) if self.file_edit.text() else None)
        if target is None:
            return 0
        if target.suffix != SUFFIX:
            target = target.with_name(target.name + SUFFIX)
        self.file_edit.setText(str(target))
        try:
            count = write_exchange(
                self.register,
                target,
                passphrase,
                organisation_id=self.organisation_id,
                activity_ids=ids,
                direction=self.direction,
            )
        except RegistreError as error:
            show_error(self, error)
            return 0
        finally:
            self.passphrase_edit.clear()
            self.confirm_edit.clear()
        self.status.setText(
            translate(
                "ExchangeSend",
                "{} fiche(s) enregistrée(s) dans {}. Donnez la phrase de passe par téléphone ou "
                "sur papier, jamais avec le fichier.",
            ).format(count, target)
        )
        return count
