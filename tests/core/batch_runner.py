"""Run ``registre`` (``cli``) or the batch export dialog (``dialog``) in a fresh process whose
batch workers are forked from a server that preloaded ``stopping_worker`` (one organisation's
worker is killed), with the test suite's tiny Argon2 parameters.

A fresh process, because the forkserver is started once per process: the test process's own
may already run without the fault.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from registre.cli import run
from tests.kdf import use_default_policy


def run_dialog(register_path: str, folder: str, screenshot: str) -> int:
    """Export every organisation from the application's dialog; print what it shows (JSON)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

    from registre.storage import open_register
    from registre_ui.workspace import BatchExportDialog
    from tests.conftest import PASSPHRASE

    app = QApplication([])
    register = open_register(register_path, PASSPHRASE)
    dialog = BatchExportDialog(register)
    dialog.resize(620, 300)
    dialog.show()
    loop = QEventLoop()
    QTimer.singleShot(240_000, loop.quit)
    dialog.start(Path(folder))
    assert dialog.task is not None
    dialog.task.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)  # ended, or not
    loop.exec()
    app.processEvents()
    if screenshot:
        dialog.grab().save(screenshot)
    [close] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Fermer"]
    shown = {
        "status": dialog.status.text(),
        "progress": [dialog.progress.value(), dialog.progress.maximum()],
        "start_enabled": dialog.start_button.isEnabled(),
        "cancel_enabled": dialog.cancel_button.isEnabled(),
        "close_enabled": close.isEnabled(),
    }
    close.click()
    app.processEvents()
    shown["open_after_close"] = dialog.isVisible()
    register.close()
    print(json.dumps(shown))
    return 0


if __name__ == "__main__":
    multiprocessing.set_forkserver_preload(["tests.core.stopping_worker"])
    use_default_policy()
    if sys.argv[1] == "dialog":
        sys.exit(run_dialog(*sys.argv[2:5]))
    sys.exit(run(sys.argv[2:]))
