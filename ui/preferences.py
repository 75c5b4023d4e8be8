"""The preferences dialog: language, delay before the automatic lock, library folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from registre import paths
from registre_ui.i18n import language
from registre_ui.settings import MAX_LOCK_MINUTES, MIN_LOCK_MINUTES, Settings
from registre_ui.widgets import plain_label, secondary


class PreferencesDialog(QDialog):
    """Edits the preferences; ``applied`` is emitted once they are saved."""

    applied = Signal()

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.setWindowTitle(self.tr("Préférences"))
        self.setMinimumWidth(560)

        self.language_combo = QComboBox()
        self.language_combo.addItem("Français", "fr")
        self.language_combo.addItem("English", "en")
        self.language_combo.setCurrentIndex(
            max(self.language_combo.findData(self.settings.language), 0)
        )
        self.language_combo.setAccessibleName(self.tr("Langue de l'interface"))
        self.language_note = plain_label(
            self.tr("La langue choisie s'applique au prochain démarrage de Registre.")
        )
        secondary(self.language_note)

        self.lock_spin = QSpinBox()
        self.lock_spin.setRange(MIN_LOCK_MINUTES, MAX_LOCK_MINUTES)
        self.lock_spin.setSuffix(self.tr(" min"))
        self.lock_spin.setValue(self.settings.lock_minutes)
        self.lock_spin.setAccessibleName(self.tr("Verrouillage après inactivité, en minutes"))
        lock_note = plain_label(
            self.tr(
                "Sans utilisation du clavier ni de la souris pendant ce délai, le registre se "
                "verrouille : son contenu est masqué et sa clé effacée de la mémoire."
            )
        )
        secondary(lock_note)

        self.library_edit = QLineEdit(str(self.settings.library_folder))
        self.library_edit.setAccessibleName(self.tr("Dossier de la bibliothèque"))
        self.browse_button = QPushButton(self.tr("&Choisir…"))
        self.browse_button.clicked.connect(self._browse)
        self.default_button = QPushButton(self.tr("Par &défaut"))
        self.default_button.clicked.connect(
            lambda: self.library_edit.setText(str(paths.library_dir()))
        )
        library_row = QHBoxLayout()
        library_row.addWidget(self.library_edit, 1)
        library_row.addWidget(self.browse_button)
        library_row.addWidget(self.default_button)

        form = QFormLayout()
        for text, widget, note in (
            (self.tr("&Langue :"), self.language_combo, self.language_note),
            (self.tr("&Verrouillage après :"), self.lock_spin, lock_note),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
            form.addRow("", note)
        library_label = QLabel(self.tr("&Bibliothèque :"))
        library_label.setBuddy(self.library_edit)
        form.addRow(library_label, library_row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch()
        layout.addWidget(buttons)
        if language() == self.settings.language:
            self.language_note.hide()
        self.language_combo.currentIndexChanged.connect(
            lambda: self.language_note.setVisible(self.language_combo.currentData() != language())
        )

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Dossier de la bibliothèque"), self.library_edit.text()
        )
        if folder:
            self.library_edit.setText(folder)

    def accept(self) -> None:
        """Save the preferences."""
        self.settings.language = str(self.language_combo.currentData())
        self.settings.lock_minutes = self.lock_spin.value()
        folder = self.library_edit.text().strip()
        self.settings.library_folder = Path(folder) if folder else None
        self.settings.sync()
        self.applied.emit()
        super().accept()
