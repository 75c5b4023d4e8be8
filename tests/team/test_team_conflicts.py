"""Two people editing the same activity of a team register: one in the application's form,
the other through the services (another connection, another PostgreSQL role)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QRadioButton
from pytestqt.qtbot import QtBot

from registre import services
from registre.cli import run
from registre.model import AuditEntry
from registre.team.register import TeamRegister, create_team_register, open_team_register
from registre_ui.conflict import ConflictDialog
from registre_ui.crash import CrashDialog
from registre_ui.editor import RecordEditor
from registre_ui.fields import TextInput
from registre_ui.main_window import RegisterWindow
from tests.team.pgserver import Server


@dataclass
class Desk:
    """Jean edits in the window; Marie saves through the services at the same time."""

    window: RegisterWindow
    editor: RecordEditor
    marie: TeamRegister
    activity_id: str


def _person(pg_server: Server, url: str, name: str) -> str:
    if not pg_server.sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'"):  # cluster-wide
        pg_server.sql(f'CREATE ROLE "{name}" LOGIN IN ROLE registre_dpo')
    return url.replace("registre_owner@", f"{name}@")


@pytest.fixture
def desk(qtbot: QtBot, team_url: str, pg_server: Server) -> Iterator[Desk]:
    with create_team_register(team_url, name="Service DPO") as register:
        organisation = services.create_organisation(register, name="Commune de Brocéliande")
        activity = services.create_activity(
            register,
            organisation_id=organisation.id,
            name="Cantine",
            service="Mairie",
            description="Inscriptions",
            purposes=[{"description": "Facturer les repas"}],
        )
    assert run(["server", "roles", team_url], out=io.StringIO(), err=io.StringIO()) == 0
    jean = open_team_register(_person(pg_server, team_url, "jean.martin"))
    marie = open_team_register(_person(pg_server, team_url, "marie.dupont"))
    window = RegisterWindow(jean)
    qtbot.addWidget(window)
    window.show()
    assert window.select_activity(activity.id)
    assert window.editor is not None
    yield Desk(window, window.editor, marie, activity.id)
    window.close()
    marie.close()


def _type(desk: Desk, key: str, text: str) -> None:
    """Replace the text of ``key`` and leave the field, as Jean would."""
    field_input = desk.editor.inputs[key]
    assert isinstance(field_input, TextInput)
    field_input.widget.setText(text)
    field_input.finish()


def _trail(register: TeamRegister) -> list[tuple[str, str, dict[str, list[object]]]]:
    with register.read() as session:
        entries = session.query(AuditEntry).order_by(AuditEntry.seq)
        return [(e.actor, e.action, dict(e.changes or {})) for e in entries]


def _stored(desk: Desk, key: str) -> object:
    return services.record_of(desk.marie, "activity", desk.activity_id)[key]


def _dialog(qtbot: QtBot, desk: Desk) -> ConflictDialog:
    qtbot.waitUntil(lambda: desk.editor.conflict_dialog is not None)
    dialog = desk.editor.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_different_fields_merge_and_the_form_shows_both(qtbot: QtBot, desk: Desk) -> None:
    services.update_activity(desk.marie, desk.activity_id, description="Inscriptions et menus")
    _type(desk, "name", "Cantine scolaire")
    assert desk.editor.conflict_dialog is None
    assert _stored(desk, "name") == "Cantine scolaire"
    assert _stored(desk, "description") == "Inscriptions et menus"
    assert desk.editor.inputs["description"].value() == "Inscriptions et menus"  # shown at once
    *_, theirs, mine = _trail(desk.marie)
    assert (theirs[0], mine[0]) == ("marie.dupont", "jean.martin")
    assert mine[2] == {"name": ["Cantine", "Cantine scolaire"]}


def test_the_same_field_asks_and_keeping_theirs_writes_nothing(qtbot: QtBot, desk: Desk) -> None:
    services.update_activity(desk.marie, desk.activity_id, service="Restauration scolaire")
    before = _trail(desk.marie)
    _type(desk, "service", "Périscolaire")
    dialog = _dialog(qtbot, desk)
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert "Mairie" in texts  # what Jean started from
    assert any("marie.dupont" in text and "« Cantine »" in text for text in texts)
    choices = {button.text() for button in dialog.findChildren(QRadioButton)}
    assert choices == {"Restauration scolaire", "Périscolaire"}
    assert not dialog.save_button.isEnabled()  # nothing chosen for Jean
    assert desk.editor.inputs["service"].value() == "Restauration scolaire"  # the stored value
    assert _trail(desk.marie) == before  # nothing written while Jean decides
    dialog.keep_button.click()
    assert desk.editor.conflict_dialog is None
    assert _stored(desk, "service") == "Restauration scolaire"
    assert _trail(desk.marie) == before
    assert desk.window.recorder.stack.undo_step is None  # nothing to undo
    assert desk.editor.inputs["service"].value() == "Restauration scolaire"


def test_overwriting_knowingly_is_one_entry_and_one_undo_step(qtbot: QtBot, desk: Desk) -> None:
    services.update_activity(
        desk.marie, desk.activity_id, service="Restauration scolaire", description="Menus"
    )
    before = _trail(desk.marie)
    _type(desk, "service", "Périscolaire")
    dialog = _dialog(qtbot, desk)
    assert desk.editor.inputs["description"].value() == "Menus"  # her other change, shown
    dialog.keep_mine("service", mine=True)
    dialog.save_button.click()
    assert _stored(desk, "service") == "Périscolaire"
    assert _stored(desk, "description") == "Menus"  # her other change kept
    after = _trail(desk.marie)
    assert after[: len(before)] == before
    assert after[len(before) :] == [
        ("jean.martin", "updated", {"service": ["Restauration scolaire", "Périscolaire"]})
    ]
    assert desk.editor.inputs["service"].value() == "Périscolaire"
    desk.window.recorder.undo()  # one step: back to her value, not to where Jean started
    assert _stored(desk, "service") == "Restauration scolaire"
    assert desk.window.recorder.stack.undo_step is None


def test_a_change_made_while_the_dialog_is_open_asks_again(qtbot: QtBot, desk: Desk) -> None:
    services.update_activity(desk.marie, desk.activity_id, service="Restauration scolaire")
    _type(desk, "service", "Périscolaire")
    first = _dialog(qtbot, desk)
    services.update_activity(desk.marie, desk.activity_id, service="Cuisine centrale")
    first.keep_mine("service", mine=True)
    first.save_button.click()
    second = _dialog(qtbot, desk)
    assert second is not first
    choices = {button.text() for button in second.findChildren(QRadioButton)}
    assert choices == {"Cuisine centrale", "Périscolaire"}
    assert _stored(desk, "service") == "Cuisine centrale"  # not overwritten behind her back
    second.keep_button.click()
    assert _stored(desk, "service") == "Cuisine centrale"


def test_a_row_changed_by_someone_else_is_not_overwritten(qtbot: QtBot, desk: Desk) -> None:
    (purpose,) = services.record_of(desk.marie, "activity", desk.activity_id)["purposes"]
    services.update_row(
        desk.marie, collection="purposes", row_id=purpose["id"], description="Facturer les goûters"
    )
    model = desk.editor.collections["purposes"].model
    column = next(i for i, c in enumerate(model.columns) if c.keys == ("description",))
    assert not model.setData(model.index(0, column), "Facturer la cantine")
    box = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and not isinstance(w, CrashDialog) and w.isVisible()
    )
    assert box.text().startswith("« Facturer les repas » a été modifié par marie.dupont")
    assert "rien n'a été enregistré" in box.text()
    stored = services.record_of(desk.marie, "activity", desk.activity_id)["purposes"]
    assert stored[0]["description"] == "Facturer les goûters"
    assert model.data(model.index(0, column)) == "Facturer les goûters"  # what she saved
    box.close()
