"""Screenshots of every main screen, to look at (in $REGISTRE_SCREENSHOT_DIR or a temp folder)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from registre import services
from registre.demo import DEMO_FOLDER_NAME, DEMO_PASSPHRASE
from registre.paths import library_dir
from registre.storage import DB_NAME, LOCK_NAME, create_register, open_register
from registre_ui.app import ensure_demo_register
from registre_ui.i18n import install_translators, set_language
from registre_ui.library import LibraryWindow, NewRegisterDialog, RecoveryKeyDialog
from registre_ui.main_window import RegisterWindow
from registre_ui.preferences import PreferencesDialog
from registre_ui.unlock import UnlockDialog
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, submit_passphrase

LAPTOP_SIZE = (1400, 860)  # the offscreen screen is smaller than a real one
CHECK_TIMEOUT = 10_000


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go."""
    directory = Path(os.environ.get("REGISTRE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _save(qtbot: QtBot, widget: QWidget, path: Path) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(30)  # let layouts and deferred column fitting settle
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000, path  # a real picture, not an empty pane


def _checked_window(qtbot: QtBot, register: object) -> RegisterWindow:
    window = RegisterWindow(register)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(*LAPTOP_SIZE)
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        window.show()
    return window


def test_library_and_dialogs(
    qtbot: QtBot, screenshot_dir: Path, closed_sample: SampleRegister
) -> None:
    for name in ("Commune-de-Saint-Test", "CCAS-de-Saint-Test"):
        created, _key = create_register(library_dir() / f"{name}.registre", PASSPHRASE)
        created.close()
    demo = ensure_demo_register()

    library = LibraryWindow()
    qtbot.addWidget(library)
    _save(qtbot, library, screenshot_dir / "library.png")

    unlock = UnlockDialog(demo, library)
    unlock.show()
    qtbot.waitUntil(unlock.demo_label.isVisible)
    _save(qtbot, unlock, screenshot_dir / "unlock-demo.png")
    submit_passphrase(qtbot, unlock, "phrase fausse")
    _save(qtbot, unlock, screenshot_dir / "unlock-wrong-passphrase.png")
    unlock.close()

    holder = {"user": "agent-accueil", "host": socket.gethostname(), "pid": os.getppid()}
    holder["since"] = "2026-03-14T08:15:00"
    lock_file = closed_sample.directory / LOCK_NAME
    lock_file.write_text(json.dumps(holder), encoding="utf-8")
    locked = UnlockDialog(closed_sample.directory, library)
    submit_passphrase(qtbot, locked, PASSPHRASE)
    _save(qtbot, locked, screenshot_dir / "unlock-locked-by-someone.png")
    locked.close()
    lock_file.unlink()

    database = closed_sample.directory / DB_NAME
    content = bytearray(database.read_bytes())
    content[4096:] = b"\xa5" * (len(content) - 4096)
    database.write_bytes(bytes(content))
    damaged = UnlockDialog(closed_sample.directory, library)
    submit_passphrase(qtbot, damaged, PASSPHRASE)
    _save(qtbot, damaged, screenshot_dir / "unlock-damaged.png")
    damaged.close()

    new_register = NewRegisterDialog(library_dir(), library)
    new_register.organisation_edit.setText("Commune de Saint-Martin")
    new_register.organisation_edit.textEdited.emit("Commune de Saint-Martin")
    new_register.passphrase_edit.setText("mairie2026")
    new_register.submit()
    _save(qtbot, new_register, screenshot_dir / "new-register.png")
    new_register.close()

    recovery = RecoveryKeyDialog("ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-34567-89ABC-DEFGH", library)
    _save(qtbot, recovery, screenshot_dir / "recovery-key.png")
    recovery.noted_check.setChecked(True)
    recovery.accept()

    preferences = PreferencesDialog(parent=library)
    _save(qtbot, preferences, screenshot_dir / "preferences.png")
    preferences.close()


def test_main_window(qtbot: QtBot, sample: SampleRegister, screenshot_dir: Path) -> None:
    ccas = services.create_organisation(sample.register, name="CCAS de Saint-Test").id
    services.create_activity(sample.register, organisation_id=ccas, name="Aide sociale facultative")
    school = sample.activity_ids["École maternelle"]
    services.add_row(
        sample.register,
        activity_id=school,
        collection="data_categories",
        category="economic_financial",
        details="quotient familial",
        retention_value=5,
        retention_unit="years",
        retention_start="la fin de l'année scolaire",
        final_disposition="destruction",
    )
    window = _checked_window(qtbot, sample.register)
    assert window.select_activity(school)
    _save(qtbot, window, screenshot_dir / "main-window.png")
    assert window.editor is not None
    window.editor.focus_field("data_categories")
    _save(qtbot, window, screenshot_dir / "main-window-record-rows.png")
    assert window.select_activity(sample.activity_ids["Cantine"])
    email = window.editor.inputs["reference"]
    email.widget.setText("T-002 " + "x" * 60)  # refused: explained under the field
    email.finish()
    _save(qtbot, window, screenshot_dir / "main-window-incomplete-refused.png")
    pages = {
        "software": window.software_page,
        "processors": window.processor_page,
        "references": window.references_page,
        "control": window.control_page,
        "history": window.history_page,
    }
    window.software_page.select(sample.software_id)
    window.processor_page.select(sample.processor_id)
    for name, page in pages.items():
        window.tabs.setCurrentWidget(page)
        _save(qtbot, window, screenshot_dir / f"main-window-{name}.png")
    dialog = window.edit_organisation()
    assert dialog is not None
    _save(qtbot, dialog, screenshot_dir / "organisation.png")
    dialog.close()
    window.lock()
    _save(qtbot, window, screenshot_dir / "main-window-locked.png")
    assert window.unlock_dialog is not None
    window.unlock_dialog.close()


def test_english_window(
    qtbot: QtBot, qapp: QApplication, sample: SampleRegister, screenshot_dir: Path
) -> None:
    installed = install_translators(qapp, "en")
    set_language("en")
    try:
        window = _checked_window(qtbot, sample.register)
        assert window.select_activity(sample.activity_ids["École maternelle"])
        _save(qtbot, window, screenshot_dir / "english-main-window.png")
        window.tabs.setCurrentWidget(window.control_page)
        _save(qtbot, window, screenshot_dir / "english-control.png")
    finally:
        set_language("fr")
        for translator in installed:
            qapp.removeTranslator(translator)


def test_demo_register(qtbot: QtBot, screenshot_dir: Path) -> None:
    demo = ensure_demo_register()
    assert demo.name == DEMO_FOLDER_NAME
    register = open_register(demo, DEMO_PASSPHRASE, read_only=True)
    window = _checked_window(qtbot, register)
    activities = services.list_activities(register, window.organisation_id())
    assert window.select_activity(activities[3].id)
    _save(qtbot, window, screenshot_dir / "demo-main-window.png")
    window.search_edit.setText("etat civil")  # finds « État civil »
    assert window.activity_proxy.rowCount() > 0
    _save(qtbot, window, screenshot_dir / "demo-search-etat-civil.png")
    window.search_edit.clear()
    window.tabs.setCurrentWidget(window.control_page)
    assert "{" not in window.control_page.gaps_label.text()
    _save(qtbot, window, screenshot_dir / "demo-control.png")


SCALED = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from registre.storage import create_register
from tests.conftest import PASSPHRASE
from tests.kdf import use_default_policy
from tests.ui.conftest import fill_register
from registre_ui.main_window import RegisterWindow
use_default_policy()
register, _key = create_register(Path(sys.argv[1]) / "Echelle.registre", PASSPHRASE)
sample = fill_register(register)
window = RegisterWindow(register)
window.resize(1400, 860)
window.show()
window.select_activity(sample.activity_ids["École maternelle"])
for _ in range(20):
    app.processEvents()
window.grab().save(sys.argv[2])
window.close()
"""


def test_the_window_at_200_percent(tmp_path: Path, screenshot_dir: Path) -> None:
    """Qt scales every size with the screen: the same window at 200 % stays usable."""
    output = screenshot_dir / "main-window-200-percent.png"
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_SCALE_FACTOR": "2",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "REGISTRE_DATA_DIR": str(tmp_path / "data"),
    }
    subprocess.run(
        [sys.executable, "-c", SCALED, str(tmp_path), str(output)],
        check=True,
        env=environment,
        timeout=120,
        capture_output=True,
    )
    assert output.stat().st_size > 20_000
