"""``registre-app`` on the command line: version and help without Qt, a backup file given as
argument, the window icon and the desktop-file name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from registre.backup import create_backup
from registre_ui.app import DESKTOP_FILE_NAME, RegistreApplication, application_icon
from registre_ui.library import ImportBackupDialog
from tests.ui.conftest import SampleRegister

ROOT = Path(__file__).resolve().parents[2]


def _launch(*argv: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        f"sys.argv = ['registre-app', *{list(argv)!r}]\n"
        "from registre_ui.launcher import main\n"
        "try:\n    main()\n"
        "except SystemExit as done:\n"
        "    print('PySide6' in sys.modules, done.code, file=sys.stderr)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"},
    )


def test_version_and_help_answer_without_starting_qt() -> None:
    done = _launch("--version")
    assert done.stdout.strip().startswith("registre-app ")
    assert done.stderr.split() == ["False", "0"]
    done = _launch("--help")
    assert done.stdout.startswith("utilisation : registre-app")
    assert "REGISTRE_DATA_DIR" in done.stdout and ".registre-backup" in done.stdout
    assert "show this help" not in done.stdout
    assert done.stderr.split() == ["False", "0"]
    english = _launch("--help", "--lang", "en")
    assert english.stdout.startswith("usage: registre-app")


def test_a_usage_error_is_french_and_exits_2() -> None:
    done = _launch("--lang", "de")
    assert "choix invalide : 'de'" in done.stderr
    assert done.stderr.split()[-2:] == ["False", "2"]


def test_a_backup_file_opens_the_restore_dialog(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    backup = create_backup(sample.register, tmp_path / "mairie.registre-backup")
    application = RegistreApplication()
    qtbot.addWidget(application.library_window)
    assert application.start(backup) is None
    dialogs = application.library_window.findChildren(ImportBackupDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert dialogs[0].backup == backup


def test_window_icon_in_every_size(qapp: QApplication) -> None:
    icon = application_icon()
    assert sorted(size.width() for size in icon.availableSizes()) == [16, 32, 48, 64, 128, 256, 512]
    assert DESKTOP_FILE_NAME == "fr.registre.Registre"
    assert (ROOT / "packaging" / "linux" / f"{DESKTOP_FILE_NAME}.desktop").is_file()
