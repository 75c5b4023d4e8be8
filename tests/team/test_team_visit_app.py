"""« Emporter » and « Rapporter » from the team register's window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from registre import services
from registre.storage import open_register
from registre.team.register import create_team_register, open_team_register
from registre_ui.library import RecoveryKeyDialog
from registre_ui.main_window import RegisterWindow
from tests.conftest import PASSPHRASE


def test_a_visit_taken_out_and_brought_back_from_the_window(
    qtbot: QtBot, team_url: str, tmp_path: Path
) -> None:
    with create_team_register(team_url, name="Service DPO") as register:
        nord = services.create_organisation(register, name="Commune du Nord").id
        services.create_organisation(register, name="Commune du Sud")
        cantine = services.create_activity(
            register, organisation_id=nord, name="Cantine", service="Mairie"
        ).id
    team = open_team_register(team_url)
    window = RegisterWindow(team)
    qtbot.addWidget(window)
    window.show()
    assert window.team_visits is not None
    menu = [action.text() for action in window.file_menu.actions()]
    assert "&Emporter des organismes…" in menu and "&Rapporter une visite…" in menu
    assert window.passphrase_change is None  # the server's business, not a key file's

    dialog = window.team_visits.take_out()
    dialog.folder_edit.setText(str(tmp_path))
    dialog.name_edit.setText("Visite du Nord")
    dialog.take_button.click()
    assert "Cochez au moins un organisme" in dialog.message.text()  # said plainly
    dialog.check(nord)
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.confirmation_edit.setText(PASSPHRASE)
    dialog.take_button.click()
    qtbot.waitUntil(lambda: dialog.target is not None, timeout=20_000)
    folder = tmp_path / "Visite du Nord.registre"
    assert dialog.target == folder and folder.is_dir()
    assert any(isinstance(w, RecoveryKeyDialog) for w in QApplication.topLevelWidgets())
    with open_register(folder, PASSPHRASE) as local:
        assert [o.name for o in services.register_info(local).organisations] == [
            "Commune du Nord"
        ]
        services.update_activity(local, cantine, service="Périscolaire")
    services.update_activity(team, cantine, service="Restauration scolaire")

    back = window.team_visits.bring_back()
    back.folder_edit.setText(str(folder))
    back.passphrase_edit.setText(PASSPHRASE)
    back.bring_button.click()
    qtbot.waitUntil(back.keep_local_button.isVisible, timeout=20_000)
    text = back.message.text()
    assert "rien n'a été rapporté" in text
    assert "Restauration scolaire" in text and "Périscolaire" in text
    assert services.record_of(team, "activity", cantine)["service"] == "Restauration scolaire"
    with qtbot.waitSignal(back.brought_back, timeout=20_000):
        back.keep_local_button.click()
    assert "Rapporté : 0 création(s), 1 modification(s)" in back.message.text()
    assert services.record_of(team, "activity", cantine)["service"] == "Périscolaire"
    window.close()
    team.close()
