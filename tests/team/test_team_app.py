"""The application opens a team register from the library (« Registre d'équipe »)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from registre import services
from registre.team.register import create_team_register
from registre_ui.app import RegistreApplication
from registre_ui.team_open import TeamRegisterDialog


def test_the_library_opens_a_team_register_and_its_window(
    qtbot: QtBot, team_url: str, tmp_path: Path
) -> None:
    with create_team_register(team_url, name="Service DPO mutualisé") as register:
        organisation = services.create_organisation(register, name="Commune de Brocéliande")
        services.create_activity(register, organisation_id=organisation.id, name="Cantine")
    application = RegistreApplication(tmp_path / "bibliothèque")
    library = application.library_window
    qtbot.addWidget(library)
    library.show()
    library.team_button.click()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TeamRegisterDialog))
    dialog.url_edit.setText("https://exemple.fr")
    dialog.submit()
    assert "postgresql://" in dialog.message.text()
    dialog.url_edit.setText(team_url.replace("registre_owner@", "personne_inconnue@"))
    dialog.submit()
    assert "personne_inconnue" in dialog.message.text()  # said plainly, dialog still open
    assert dialog.isVisible()
    dialog.url_edit.setText(team_url)
    with qtbot.waitSignal(library.register_created, timeout=10_000):
        dialog.submit()
    (window,) = application.register_windows
    assert window.windowTitle().startswith("Service DPO mutualisé")
    assert "Cantine" in {a.name for a in services.list_activities(window.register)}
    assert not window.lock_action.isVisible()  # nothing local to lock: the server guards it
    window.close()
    assert window.register.closed
    application.quit()
