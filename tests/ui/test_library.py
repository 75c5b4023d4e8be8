"""The library window, the « Nouveau registre » dialog and the one-time recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget
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
        target, [("CCAS de Saint-Test", 100), ("Commune de Saint-Test", 72)], "2026-03-14"
    )
    single = library_dir() / "Saint-Autre.registre"
    _make_register(single)
    Settings().save_register_summary(single, [("Commune de Saint-Autre", 96)], "2026-03-14")
    library = LibraryWindow()
    qtbot.addWidget(library)
    rows = [[library.model.index(r, c).data() for c in range(3)] for r in range(2)]
    assert rows == [
        ["Saint-Autre", "Commune de Saint-Autre", "96 %"],
        [
            "Saint-Test",
            "CCAS de Saint-Test, Commune de Saint-Test",
            "100 % CCAS de Saint-Test, 72 % Commune de Saint-Test",
        ],
    ]
    assert library.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == (
        "96 % au contrôle du 14/03/2026"
    )


def test_closing_a_register_window_remembers_its_summary(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    from registre_ui.main_window import RegisterWindow

    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.check_finished, timeout=10_000):
        window.show()
    shown = window.control_page.score_label.text()
    window.close()
    summary = Settings().register_summary(sample.directory)
    assert summary is not None
    assert summary["organisations"] == ["Commune de Saint-Test"]
    (entry,) = scan_library(sample.directory.parent)
    assert entry.completeness_text() == shown  # the dashboard's figure, as it is


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


def _bar_colour(bar: QWidget) -> QColor:
    """Colour of the filled part of a strength bar, as drawn."""
    bar.resize(200, 8)
    image = bar.grab().toImage()
    return image.pixelColor(4, image.height() // 2)


def test_the_strength_bar_is_red_until_the_passphrase_is_accepted(qtbot: QtBot) -> None:
    dialog = NewRegisterDialog(library_dir())
    qtbot.addWidget(dialog)
    nearly = "mairiedeparis2026"  # long, but without the mix the rules ask for
    for text in ("court", nearly):
        dialog.passphrase_edit.setText(text)
        colour = _bar_colour(dialog.strength_bar)
        assert colour.red() > 150 and colour.green() < 80, (text, colour.name())
        assert dialog.strength_label.text().startswith("Trop faible")
    assert dialog.strength_bar.value() >= 70  # most of the bar: its colour still says no
    dialog.passphrase_edit.setText(PASSPHRASE)
    colour = _bar_colour(dialog.strength_bar)
    assert colour.green() > colour.red(), colour.name()
    assert dialog.strength_label.text() == "Phrase de passe assez robuste."
