"""A failed automatic backup is shown across the top of the register's window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QToolBar
from pytestqt.qtbot import QtBot

from registre.errors import StorageFailure
from registre_ui.backup_banner import BANNER_NAME, show_backup_failure
from registre_ui.main_window import RegisterWindow
from registre_ui.settings import Settings
from tests.ui.conftest import SampleRegister


def test_the_window_shows_a_failed_automatic_backup(qtbot: QtBot, sample: SampleRegister) -> None:
    sample.register.backup_failure = StorageFailure(
        path="x", reason="disque plein", reason_en="disk full"
    )
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    assert show_backup_failure(window, sample.register) is not None
    window.show()
    bar = window.findChild(QToolBar, BANNER_NAME)
    assert bar is not None and bar.isVisible()
    label = bar.findChild(QLabel)
    assert label is not None
    assert "La sauvegarde automatique du jour a échoué (disque plein)" in label.text()
    shots = Path("/work/shots/reliability")
    if shots.is_dir():
        window.resize(1100, 700)
        window.grab().save(str(shots / "backup-banner.png"))


def test_no_banner_when_the_backup_went_well(qtbot: QtBot, sample: SampleRegister) -> None:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    assert show_backup_failure(window, sample.register) is None
    assert window.findChild(QToolBar, BANNER_NAME) is None


def test_the_settings_file_is_private() -> None:
    settings = Settings()
    settings.language = "en"
    settings.sync()
    assert settings.path.stat().st_mode & 0o777 == 0o600
    assert settings.path.parent.stat().st_mode & 0o777 == 0o700
