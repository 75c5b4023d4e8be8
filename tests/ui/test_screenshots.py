"""Screenshots of the windows, to look at (saved to $REGISTRE_SCREENSHOT_DIR or a temp folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from registre import services
from registre.demo import DEMO_FOLDER_NAME, DEMO_PASSPHRASE
from registre.paths import library_dir
from registre.storage import create_register, open_register
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, submit_passphrase
from ui.app import ensure_demo_register
from ui.library import LibraryWindow, NewRegisterDialog, RecoveryKeyDialog
from ui.main_window import RegisterWindow
from ui.unlock import UnlockDialog

LAPTOP_SIZE = (1400, 860)  # the offscreen screen is smaller than a real one


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


def test_library_and_dialogs(qtbot: QtBot, screenshot_dir: Path) -> None:
    for name in ("Commune-de-Saint-Test", "CCAS-de-Saint-Test"):
        created, _key = create_register(library_dir() / f"{name}.registre", PASSPHRASE)
        created.close()
    demo = ensure_demo_register()

    library = LibraryWindow()
    qtbot.addWidget(library)
    _save(qtbot, library, screenshot_dir / "library.png")

    unlock = UnlockDialog(demo, library)
    _save(qtbot, unlock, screenshot_dir / "unlock-demo.png")
    submit_passphrase(qtbot, unlock, "phrase fausse")
    _save(qtbot, unlock, screenshot_dir / "unlock-wrong-passphrase.png")
    unlock.close()

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


def test_main_window(qtbot: QtBot, sample: SampleRegister, screenshot_dir: Path) -> None:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.resize(*LAPTOP_SIZE)
    assert window.select_activity(sample.activity_ids["École maternelle"])
    _save(qtbot, window, screenshot_dir / "main-window.png")
    scroll_bar = window.detail.verticalScrollBar()
    scroll_bar.setValue(scroll_bar.maximum() // 2)
    _save(qtbot, window, screenshot_dir / "main-window-record-scrolled.png")
    assert window.select_activity(sample.activity_ids["Cantine"])
    _save(qtbot, window, screenshot_dir / "main-window-incomplete.png")
    for position, name in enumerate(["processors", "software", "history"], start=1):
        window.show_tab(position)
        _save(qtbot, window, screenshot_dir / f"main-window-{name}.png")


def test_demo_register(qtbot: QtBot, screenshot_dir: Path) -> None:
    demo = ensure_demo_register()
    assert demo.name == DEMO_FOLDER_NAME
    register = open_register(demo, DEMO_PASSPHRASE, read_only=True)
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.resize(*LAPTOP_SIZE)
    activities = services.list_activities(register, window.organisation_id())
    assert window.select_activity(activities[3].id)
    _save(qtbot, window, screenshot_dir / "demo-main-window.png")
    window.search_edit.setText("etat civil")  # finds « État civil »
    assert window.activity_proxy.rowCount() > 0
    _save(qtbot, window, screenshot_dir / "demo-search-etat-civil.png")
