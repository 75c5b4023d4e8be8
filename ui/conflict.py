"""The conflict dialog: someone else changed the same fields while the user was editing.

For each field in conflict it shows the value the user started from, the value the other
person saved (and who they are) and the user's own. Nothing is chosen for the user: « Garder
ses valeurs » keeps what the other person saved (nothing is written), or the user picks a value
per field and « Enregistrer mon choix » writes theirs over the other person's, knowingly.
``values_to_save()`` is what to save again (fields where the other person's value is kept are
left out), from ``base()``: the other person's values, so that a third change made while the
dialog was open is a conflict again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from registre.concurrency import EditConflict, Edition, FieldConflict
from registre_ui.fields import FieldInput
from registre_ui.i18n import language

Describe = Callable[[str, Any], str]
"""The text of a field's value as the form shows it (``field key, value``)."""


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _button_text(text: str) -> str:
    return text.replace("&", "&&")  # a lone & would become a keyboard shortcut


def value_text(field_input: FieldInput, value: Any) -> str:
    """``value`` as ``field_input`` shows it: a choice's or a record's label, not its key."""
    widget = field_input.widget
    if value in (None, "", []):
        return "—"
    if isinstance(widget, QComboBox):
        position = widget.findData(value)
        return widget.itemText(position) if position >= 0 else _shown(value)
    if isinstance(widget, QListWidget):
        labels = {
            widget.item(row).data(Qt.ItemDataRole.UserRole): widget.item(row).text()
            for row in range(widget.count())
        }
        return ", ".join(labels.get(key, str(key)) for key in value)
    return _shown(value)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # user text is never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConflictDialog(QDialog):
    """Both values of every conflicting field; the user keeps one of each."""

    def __init__(
        self,
        conflict: EditConflict,
        parent: QWidget | None = None,
        *,
        entity: str = "",
        describe: Describe | None = None,
    ) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.entity = entity
        shown: Describe = describe or (lambda _key, value: _shown(value))
        self.setWindowTitle(self.tr("Modification simultanée"))
        layout = QVBoxLayout(self)
        by = conflict.details["by"]
        intro = _plain(
            self.tr(
                "« {record} » a été modifié par {by} pendant votre saisie : rien n'a été "
                "enregistré. Pour chaque champ, gardez sa valeur, ou choisissez la vôtre pour "
                "remplacer la sienne."
            ).format(record=conflict.details["record"], by=by)
        )
        layout.addWidget(intro)
        grid = QGridLayout()
        headers = (
            self.tr("Champ"),
            self.tr("Avant"),
            self.tr("Valeur de {by}").format(by=by),
            self.tr("Votre valeur"),
        )
        for column, header in enumerate(headers):
            title = _plain(header)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            grid.addWidget(title, 0, column)
        self._choices: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        english = language() == "en"
        for row, found in enumerate(conflict.conflicts, start=1):
            grid.addWidget(_plain(found.label_en if english else found.label_fr), row, 0)
            grid.addWidget(_plain(shown(found.field, found.base)), row, 1)
            theirs = QRadioButton(_button_text(shown(found.field, found.theirs)))
            mine = QRadioButton(_button_text(shown(found.field, found.yours)))
            theirs.setToolTip(self.tr("Garder la valeur enregistrée par {by}").format(by=found.by))
            mine.setToolTip(self.tr("Remplacer sa valeur par la vôtre"))
            group = QButtonGroup(self)
            group.addButton(theirs)
            group.addButton(mine)
            group.buttonClicked.connect(self._update_buttons)
            grid.addWidget(theirs, row, 2)
            grid.addWidget(mine, row, 3)
            self._choices[found.field] = (theirs, mine)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        self.setMinimumWidth(680)
        buttons = QDialogButtonBox()
        self.keep_button = QPushButton(self.tr("Garder ses valeurs"))
        self.keep_button.setToolTip(self.tr("Rien n'est enregistré : la fiche montre ses valeurs."))
        self.save_button = QPushButton(self.tr("Enregistrer mon choix"))
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.keep_button.setDefault(True)
        self._update_buttons()

    def _update_buttons(self, _button: QAbstractButton | None = None) -> None:
        """« Enregistrer mon choix » once a value is chosen for every field."""
        self.save_button.setEnabled(
            all(theirs.isChecked() or mine.isChecked() for theirs, mine in self._choices.values())
        )

    def keep_mine(self, field: str, mine: bool) -> None:
        """Choose the user's value (``mine``) or the other person's for ``field``."""
        theirs_button, mine_button = self._choices[field]
        (mine_button if mine else theirs_button).click()

    def values_to_save(self) -> dict[str, Any]:
        """The user's values of the fields where they chose theirs (none when the dialog was
        not accepted)."""
        if self.result() != QDialog.DialogCode.Accepted:
            return {}
        return {
            found.field: found.yours
            for found in self.conflict.conflicts
            if self._choices[found.field][1].isChecked()
        }

    def base(self, record_id: str) -> Edition:
        """What the user decided on: the other person's values as the dialog showed them."""
        return Edition(
            self.entity,
            record_id,
            self.conflict.row_version,
            {found.field: found.theirs for found in self.conflict.conflicts},
        )

    def conflicts(self) -> tuple[FieldConflict, ...]:
        """The fields shown."""
        return self.conflict.conflicts
