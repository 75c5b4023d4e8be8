"""The choices of the communicable version (the PDF given to the public on a CADA request).

Before a communicable version is exported, a small dialog asks, in plain French, what it should
show: the completeness report, the security measures, the name of the mayor as legal
representative. The choices are remembered **per register as an application preference**
(QSettings, keyed by the register's folder), not in the register: they change nothing in its
content — the PDF itself says what was masked (its « Éléments occultés » annex) — so choosing
them is not a change of the register and writes no audit entry; looking never writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from registre.export_model import CommunicableOptions

_FIELDS = ("completeness", "mask_security", "mask_officials")


def _key(directory: Path) -> str:
    digest = hashlib.sha256(str(Path(directory).resolve()).encode("utf-8")).hexdigest()
    return f"communicable/{digest[:32]}"


def remembered_options(settings_file: Path, directory: Path) -> CommunicableOptions:
    """The choices last made for the register in ``directory`` (the defaults otherwise)."""
    store = QSettings(str(settings_file), QSettings.Format.IniFormat)
    value = store.value(_key(directory), "")
    chosen = set(value.split(",")) if isinstance(value, str) else set()
    return CommunicableOptions(**{field: field in chosen for field in _FIELDS})


def remember_options(settings_file: Path, directory: Path, options: CommunicableOptions) -> None:
    """Keep ``options`` as the choices of the register in ``directory``."""
    store = QSettings(str(settings_file), QSettings.Format.IniFormat)
    store.setValue(_key(directory), ",".join(field for field in _FIELDS if getattr(options, field)))
    store.sync()


class CommunicableOptionsDialog(QDialog):
    """Three check boxes, each with what it means for the person who will read the PDF."""

    def __init__(self, options: CommunicableOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Version communicable"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "La version communicable est celle que l'on remet à toute personne qui la "
                "demande (droit d'accès aux documents administratifs, CADA) ou que l'on "
                "publie sur le site de la commune. Les noms et coordonnées des agents y sont "
                "toujours masqués. Choisissez ce qu'elle montre en plus :"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.completeness = self._choice(
            layout,
            self.tr("Joindre le rapport de complétude"),
            self.tr(
                "Le rapport liste ce qui manque encore dans le registre. C'est un document de "
                "travail du délégué : il n'est pas joint, sauf si vous le souhaitez."
            ),
            options.completeness,
        )
        self.mask_security = self._choice(
            layout,
            self.tr("Masquer les mesures de sécurité"),
            self.tr(
                "Décrire précisément comment les données sont protégées peut aider quelqu'un "
                "à s'y attaquer. La loi permet de ne pas les communiquer (article L311-5 du "
                "code des relations entre le public et l'administration)."
            ),
            options.mask_security,
        )
        self.mask_officials = self._choice(
            layout,
            self.tr("Masquer aussi le nom du maire (représentant légal)"),
            self.tr(
                "Le nom d'un élu qui agit en cette qualité est public : il reste visible, "
                "sauf si vous cochez cette case."
            ),
            options.mask_officials,
        )
        buttons = QDialogButtonBox(self)
        export = buttons.addButton(self.tr("&Exporter"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        export.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _choice(self, layout: QVBoxLayout, label: str, help_text: str, checked: bool) -> QCheckBox:
        box = QCheckBox(label, self)
        box.setChecked(checked)
        explanation = QLabel(help_text, self)
        explanation.setWordWrap(True)
        explanation.setContentsMargins(24, 0, 0, 8)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        explanation.setBuddy(box)
        box.setToolTip(help_text)
        box.setAccessibleDescription(help_text)
        layout.addWidget(box)
        layout.addWidget(explanation)
        return box

    def options(self) -> CommunicableOptions:
        """What the boxes say."""
        return CommunicableOptions(
            completeness=self.completeness.isChecked(),
            mask_security=self.mask_security.isChecked(),
            mask_officials=self.mask_officials.isChecked(),
        )


def ask_communicable_options(
    parent: QWidget,
    settings_file: Path,
    directory: Path,
    then: Callable[[CommunicableOptions], object],
) -> CommunicableOptionsDialog:
    """Open the dialog (without blocking) on the register's last choices; once « Exporter »
    is pressed, remember the choices and call ``then`` with them."""
    dialog = CommunicableOptionsDialog(remembered_options(settings_file, directory), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def accepted() -> None:
        options = dialog.options()
        remember_options(settings_file, directory, options)
        then(options)

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog


__all__ = [
    "CommunicableOptions",
    "CommunicableOptionsDialog",
    "ask_communicable_options",
    "remember_options",
    "remembered_options",
]
