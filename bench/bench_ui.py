"""Desktop application figures (offscreen Qt).

Targets on the reference 2-core machine:

- start of the application to the library window shown ≤ 1.5 s (a fresh interpreter);
- after unlocking, the register window with 10,000 activities shown ≤ 1 s (the key derivation
  is not counted: ``bench_core.py`` measures it; the Article 30 check runs afterwards, in the
  background);
- search as you type over those 10,000 activities ≤ 50 ms per keystroke (filtering and
  repainting the list);
- switching from one activity to the next (↓ in the list: its whole form is filled and painted)
  ≤ 50 ms median.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]

START_TARGET = 1.5
WINDOW_TARGET = 1.0
KEYSTROKE_TARGET = 0.050
SWITCH_TARGET = 0.050
SWITCHES = 40
TYPED = "etat civil gestion 42"

START_SCRIPT = """
import sys, time
started = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
app = QApplication(["registre-app"])
from registre_ui.app import RegistreApplication
application = RegistreApplication()
application.start()
window = application.library_window
while not window.isVisible() or not window.windowHandle().isExposed():
    app.processEvents()
app.processEvents()
window.grab()  # painted once
print(time.time() - started)
"""


def measure_start() -> float:
    """Seconds from launching the interpreter to the library window painted."""
    with tempfile.TemporaryDirectory() as data:
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "REGISTRE_DATA_DIR": data,
            "PYTHONPATH": str(ROOT),
        }
        started = time.time()
        result = subprocess.run(
            [sys.executable, "-c", START_SCRIPT, repr(started)],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        )
    return float(result.stdout.strip().splitlines()[-1])


def measure_window(directory: Path) -> dict[str, object]:
    """In this (fresh) process: open the register, show its window, type in the search."""
    from bench_checker import PASSPHRASE
    from bench_core import tiny_kdf_by_default
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from registre.storage import open_register

    app = QApplication(["registre-app"])
    from registre_ui.main_window import RegisterWindow

    tiny_kdf_by_default()
    register = open_register(directory, PASSPHRASE)  # the unlock itself is not counted
    started = time.perf_counter()
    window = RegisterWindow(register)
    window.resize(1400, 860)
    window.show()
    while not window.windowHandle().isExposed():
        app.processEvents()
    app.processEvents()
    window.grab()
    shown = time.perf_counter() - started
    rows = window.activity_model.rowCount()

    window.activateWindow()
    window.search_edit.setFocus()

    def type_search() -> tuple[list[float], int]:
        keystrokes = []
        for character in TYPED:
            started = time.perf_counter()
            QTest.keyClick(window.search_edit, character)
            app.processEvents()
            window.activity_table.viewport().repaint()
            keystrokes.append(time.perf_counter() - started)
        matches = window.activity_proxy.rowCount()
        for _ in TYPED:
            QTest.keyClick(window.search_edit, Qt.Key.Key_Backspace)
            app.processEvents()
        return keystrokes, matches

    during_check, _matches = type_search()  # the first check runs in the background
    while window.check_runner.busy or window.check_runner.last is None:
        app.processEvents()
        time.sleep(0.01)
    keystrokes, matches = type_search()

    window.activity_table.setFocus()
    window.activity_table.selectRow(0)
    app.processEvents()
    switches = []
    for _ in range(SWITCHES):
        started = time.perf_counter()
        QTest.keyClick(window.activity_table, Qt.Key.Key_Down)
        app.processEvents()
        window.repaint()
        switches.append(time.perf_counter() - started)
    window.check_runner.stop()
    window.close()
    return {
        "switches": switches,
        "shown": shown,
        "rows": rows,
        "keystrokes": keystrokes,
        "during_check": during_check,
        "matches": matches,
    }


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    from bench_checker import build
    from bench_core import tiny_kdf_by_default


    starts = [measure_start() for _ in range(3)]
    start = statistics.median(starts)
    print(
        f"démarrage jusqu'à la bibliothèque : médiane {start:.2f} s sur 3 "
        f"(cible ≤ {START_TARGET} s)"
    )

    tiny_kdf_by_default()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "Bench-ui.registre"
        build(directory)
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "REGISTRE_DATA_DIR": str(Path(tmp) / "data"),
            "REGISTRE_NO_OPEN": "1",
            "PYTHONPATH": str(ROOT),
        }
        result = subprocess.run(
            [sys.executable, __file__, "--window", str(directory)],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    shown = float(figures["shown"])
    keystrokes = [float(value) for value in figures["keystrokes"]]
    print(
        f"fenêtre du registre avec {figures['rows']} traitements, après déverrouillage : "
        f"{shown:.2f} s (cible ≤ {WINDOW_TARGET} s)"
    )
    print(
        f"recherche pendant la frappe (« {TYPED} », {len(keystrokes)} touches, "
        f"{figures['matches']} résultat(s) à la fin) : médiane "
        f"{statistics.median(keystrokes) * 1000:.1f} ms, pire {max(keystrokes) * 1000:.1f} ms "
        f"(cible ≤ {KEYSTROKE_TARGET * 1000:.0f} ms)"
    )
    during = [float(value) for value in figures["during_check"]]
    print(
        f"  pendant le premier contrôle (1 s, en arrière-plan, juste après l'ouverture) : "
        f"médiane {statistics.median(during) * 1000:.1f} ms, pire {max(during) * 1000:.1f} ms"
    )
    switches = [float(value) for value in figures["switches"]]
    switch = statistics.median(switches)
    print(
        f"passage d'un traitement au suivant (↓, {len(switches)} fois, fiche remplie et "
        f"affichée) : médiane {switch * 1000:.1f} ms, pire {max(switches) * 1000:.1f} ms "
        f"(cible ≤ {SWITCH_TARGET * 1000:.0f} ms en médiane)"
    )
    ok = (
        start <= START_TARGET
        and shown <= WINDOW_TARGET
        and max(keystrokes) <= KEYSTROKE_TARGET
        and switch <= SWITCH_TARGET
    )
    print("objectifs atteints" if ok else "OBJECTIF MANQUÉ")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--window":
        print(json.dumps(measure_window(Path(sys.argv[2]))))
        sys.exit(0)
    sys.exit(main())
