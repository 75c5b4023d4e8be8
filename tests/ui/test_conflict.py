"""The conflict dialog: both values of each field changed by two people at once."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from registre import services
from registre.concurrency import EditConflict, save_edit, start_edit
from registre.schema import ACTIVITY
from registre.storage import Register
from registre_ui.conflict import ConflictDialog


def _conflict(register: Register) -> EditConflict:
    organisation = services.create_organisation(register, name="Commune de Brocéliande")
    activity = services.create_activity(
        register, organisation_id=organisation.id, name="Cantine", service="Mairie",
        description="<b>Menus</b>",
    )
    mine = start_edit(register, "activity", activity.id)
    other = start_edit(register, "activity", activity.id)
    save_edit(register, other, service="Restauration scolaire", description="Repas & goûters")
    try:
        save_edit(register, mine, service="Périscolaire", description="Cantine <i>bio</i>")
    except EditConflict as conflict:
        return conflict
    raise AssertionError("no conflict")


def test_the_dialog_shows_both_values_and_keeps_the_chosen_one(
    qtbot: QtBot, register: Register
) -> None:
    conflict = _conflict(register)
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    choices = {button.text() for button in dialog.findChildren(QRadioButton)}
    service = ACTIVITY.field("service").label("fr")
    assert {"Mairie", "<b>Menus</b>", service} <= texts  # user text shown as typed
    assert {"Restauration scolaire", "Périscolaire", "Repas && goûters"} <= choices  # no mnemonic
    assert "secretaire" in next(t for t in texts if t.startswith("« Cantine »"))
    assert not dialog.save_button.isEnabled()  # nothing is chosen for the user
    dialog.keep_mine("service", mine=False)
    assert not dialog.save_button.isEnabled()  # one field still undecided
    dialog.keep_mine("description", mine=True)
    dialog.save_button.click()
    assert dialog.values_to_save() == {"description": "Cantine <i>bio</i>"}
    assert dialog.base(conflict.details["record"]).values == {
        "service": "Restauration scolaire", "description": "Repas & goûters"
    }


def test_keeping_theirs_saves_nothing(qtbot: QtBot, register: Register) -> None:
    dialog = ConflictDialog(_conflict(register))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.keep_mine("service", mine=True)
    dialog.keep_button.click()
    assert dialog.values_to_save() == {}
