"""The conflict dialog: someone else changed the same fields while the user was editing.

For each field in conflict it shows the value the user started from, the value the other
person saved (and who they are) and the user's own, and lets the user keep either, field by
field. ``values_to_save()`` is what to send again to ``registre.concurrency.save_edit`` with
a fresh ``start_edit`` (fields where the other person's value is kept are left out).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from registre.concurrency import EditConflict, FieldConflict
from registre_ui.i18n import language


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _button_text(value: Any) -> str:
    return _shown(value).replace("&", "&&")  # a lone & would become a keyboard shortcut


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # user text is never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConflictDialog(QDialog):
    """Both values of every conflicting field; the user keeps one of each."""

    def __init__(self, conflict: EditConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setWindowTitle(self.tr("Modification simultanée"))
        layout = QVBoxLayout(self)
        intro = _plain(
            self.tr(
                "« {record} » a été modifié par {by} pendant votre saisie. Pour chaque champ, "
                "choisissez la valeur à garder."
            ).format(record=conflict.details["record"], by=conflict.details["by"])
        )
        layout.addWidget(intro)
        grid = QGridLayout()
        headers = (
            self.tr("Champ"), self.tr("Avant"), self.tr("Sa valeur"), self.tr("Votre valeur")
        )
        for column, header in enumerate(headers):
            title = QLabel(f"<b>{header}</b>")
            grid.addWidget(title, 0, column)
        self._mine: dict[str, QRadioButton] = {}
        english = language() == "en"
        for row, found in enumerate(conflict.conflicts, start=1):
            grid.addWidget(_plain(found.label_en if english else found.label_fr), row, 0)
            grid.addWidget(_plain(_shown(found.base)), row, 1)
            theirs = QRadioButton(_button_text(found.theirs))
            mine = QRadioButton(_button_text(found.yours))
            theirs.setToolTip(self.tr("Valeur enregistrée par {by}").format(by=found.by))
            mine.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(theirs)
            group.addButton(mine)
            grid.addWidget(theirs, row, 2)
            grid.addWidget(mine, row, 3)
            self._mine[found.field] = mine
        for column in range(4):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        self.setMinimumWidth(640)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def keep_mine(self, field: str, mine: bool) -> None:
        """Choose the user's value (``mine``) or the other person's for ``field``."""
        button = self._mine[field]
        if mine:
            button.setChecked(True)
        else:
            group = button.group()
            other = next(b for b in group.buttons() if b is not button)
            other.setChecked(True)

    def values_to_save(self) -> dict[str, Any]:
        """The user's values of the fields where they keep theirs."""
        chosen: dict[str, Any] = {}
        for found in self.conflict.conflicts:
            if self._mine[found.field].isChecked():
                chosen[found.field] = found.yours
        return chosen

    def conflicts(self) -> tuple[FieldConflict, ...]:
        """The fields shown."""
        return self.conflict.conflicts
