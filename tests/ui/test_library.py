"""The library window, the « Nouveau registre » dialog and the one-time recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from registre import services
from registre.backup import create_backup
from registre.paths import library_dir
from registre.storage import Register, create_register
from registre_ui.library import LibraryWindow, NewRegisterDialog, RecoveryKeyDialog, scan_library
from registre_ui.settings import Settings
from registre_ui.unlock import UnlockDialog
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, unnamed_inputs


def _make_register(directory: Path, *, demo: bool = False) -> None:
    register, _key = create_register(directory, PASSPHRASE, demo=demo)
    register.close()


def test_library_lists_register_folders_with_their_demo_flag(qtbot: QtBot) -> None:
    library = library_dir()
    _make_register(library / "Mairie.registre")
    _make_register(library / "Démo.registre", demo=True)
    (library / "Photos").mkdir()
    (library / ".Brouillon.registre.42.creating").mkdir()

    entries = scan_library(library)
    assert [(entry.name, entry.demo) for entry in entries] == [
        ("Démo", True),
        ("Mairie", False),
    ]
    window = LibraryWindow()
    qtbot.addWidget(window)
    assert window.model.rowCount() == 2
    assert not window.empty_label.isVisibleTo(window)
    with qtbot.waitSignal(window.open_requested) as requested:
        window.open_button.click()
    assert requested.args == [library / "Démo.registre"]


def test_empty_library_says_what_to_do(qtbot: QtBot) -> None:
    window = LibraryWindow()
    qtbot.addWidget(window)
    assert window.model.rowCount() == 0
    assert window.empty_label.isVisibleTo(window)
    assert not window.open_button.isEnabled()


def _fill(dialog: NewRegisterDialog, organisation: str, passphrase: str, confirmation: str) -> None:
    dialog.organisation_edit.setText(organisation)
    dialog.organisation_edit.textEdited.emit(organisation)
    dialog.passphrase_edit.setText(passphrase)
    dialog.confirmation_edit.setText(confirmation)


def test_new_register_form_explains_what_is_wrong(qtbot: QtBot) -> None:
    dialog = NewRegisterDialog(library_dir())
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.message_label.text() == "Indiquez le nom de l'organisme."
    _fill(dialog, "Commune de Saint-Martin", "court", "court")
    assert dialog.folder_edit.text() == "Commune-de-Saint-Martin"
    assert dialog.strength_bar.value() < 100
    assert "Trop faible" in dialog.strength_label.text()
    dialog.submit()
    assert "plus robuste" in dialog.message_label.text()
    _fill(dialog, "Commune de Saint-Martin", PASSPHRASE, PASSPHRASE + " !")
    assert dialog.strength_bar.value() == 100
    dialog.submit()
    assert dialog.message_label.text() == "Les deux phrases de passe saisies sont différentes."
    assert not dialog._runner.busy


def test_new_register_shows_the_recovery_key_once_then_opens(qtbot: QtBot) -> None:
    window = LibraryWindow()
    qtbot.addWidget(window)
    dialog = window.create_new_register()
    _fill(dialog, "Commune de Saint-Martin", PASSPHRASE, PASSPHRASE)
    with qtbot.waitSignal(dialog.created, timeout=10_000) as created:
        dialog.create_button.click()
    register: Register = created.args[0]
    try:
        assert register.directory == library_dir() / "Commune-de-Saint-Martin.registre"
        assert [o.name for o in services.list_organisations(register)] == [
            "Commune de Saint-Martin"
        ]
        recovery = window.findChild(RecoveryKeyDialog)
        assert recovery is not None and recovery.isVisible()
        assert recovery.key_label.text() == created.args[1]
        assert not recovery.close_button.isEnabled()
        recovery.reject()  # Escape does nothing until the key is noted
        assert recovery.isVisible()
        with qtbot.waitSignal(window.register_created) as opened:
            qtbot.mouseClick(recovery.noted_check, Qt.MouseButton.LeftButton)
            assert recovery.close_button.isEnabled()
            recovery.close_button.click()
        assert opened.args == [register]
        assert window.model.rowCount() == 1
    finally:
        register.close()


def test_every_input_has_a_name_for_screen_readers(
    qtbot: QtBot, closed_sample: SampleRegister
) -> None:
    window = LibraryWindow()
    qtbot.addWidget(window)
    new_register = NewRegisterDialog(library_dir(), window)
    unlock = UnlockDialog(closed_sample.directory, window)
    recovery = RecoveryKeyDialog("ABCDE", window)
    for widget in (window, new_register, unlock, recovery):
        assert unnamed_inputs(widget) == [], widget


def test_the_library_shows_organisations_and_completeness_of_closed_registers(
    qtbot: QtBot,
) -> None:
    target = library_dir() / "Saint-Test.registre"
    _make_register(target)
    Settings().save_register_summary(
        target, ["Commune de Saint-Test", "CCAS de Saint-Test"], 72, "2026-03-14"
    )
    library = LibraryWindow()
    qtbot.addWidget(library)
    row = [library.model.index(0, c).data() for c in range(3)]
    assert row == ["Saint-Test", "Commune de Saint-Test, CCAS de Saint-Test", "72 %"]
    assert library.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == (
        "72 % au contrôle du 14/03/2026"
    )


def test_closing_a_register_window_remembers_its_summary(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    from registre_ui.main_window import RegisterWindow

    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.check_finished, timeout=10_000):
        window.show()
    window.close()
    summary = Settings().register_summary(sample.directory)
    assert summary is not None
    assert summary["organisations"] == ["Commune de Saint-Test"]
    assert isinstance(summary["percent"], int)


def test_a_backup_is_imported_as_a_new_register(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    backup = create_backup(sample.register, tmp_path / "mairie.registre-backup")
    window = LibraryWindow()
    qtbot.addWidget(window)
    dialog = window.import_backup(backup)
    assert dialog is not None and unnamed_inputs(dialog) == []
    dialog.folder_edit.setText("Mairie-importee")
    dialog.passphrase_edit.setText("pas la bonne")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "Phrase de passe incorrecte" in dialog.message_label.text()
    assert not (library_dir() / "Mairie-importee.registre").exists()
    dialog.passphrase_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    assert window.model.rowCount() == 1
    assert window.selected_path() == library_dir() / "Mairie-importee.registre"


def test_the_recovery_key_can_be_saved_as_pdf_to_print(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RecoveryKeyDialog("ABCDE-FGHJK-LMNPQ", register_name="Mairie <de> X")
    qtbot.addWidget(dialog)
    assert dialog.print_button.text().replace("&", "") == "Imprimer…"
    assert "Mairie &lt;de&gt; X" in dialog.sheet().toHtml()  # the name is never read as HTML
    path = dialog.save_pdf(tmp_path / "cle.pdf")
    assert path.read_bytes().startswith(b"%PDF")
