"""Start-up figures of the two programs (medians of cold starts, a fresh process each time).

Targets on the reference 2-core machine:

- ``registre --version`` ≤ 0.3 s; ``registre info`` start ≤ 0.5 s: from launch to the passphrase
  prompt (the register's passphrase is asked for before the storage layer loads);
- ``registre-app --version`` answered without starting Qt;
- the desktop application to its library window ≤ 1.5 s from source, ≤ 3 s bundled.

Also printed, without a target: ``registre --help`` and ``registre info`` end to end on the demo
register (its Argon2id derivation, calibrated to about 0.75 s, is most of it).

Usage: python bench/bench_startup.py [BUNDLE_FOLDER]  (default: this interpreter, from source)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

RUNS = 5
DEMO_PASSPHRASE = "demo-saint-exemple-sur-loire"


def median_seconds(command: Sequence[str], env: dict[str, str], *, runs: int = RUNS) -> float:
    """Median wall time of ``command`` started ``runs`` times (after one warm-up)."""
    timings = []
    for attempt in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=120, check=False)
        if attempt:
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> int:
    """Print the figures; exit 1 when one is over its target."""
    bundle = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if bundle is not None:
        cli, app = [str(bundle / "registre")], [str(bundle / "registre-app")]
    else:
        cli = [sys.executable, "-m", "registre.cli"]
        app = [sys.executable, "-m", "registre_ui.launcher"]
    where = "empaqueté" if bundle else "depuis les sources"
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REGISTRE_STARTUP_PROBE": "1",
               "REGISTRE_DATA_DIR": folder, "LANG": "fr_FR.UTF-8"}
        env.pop("REGISTRE_PASSPHRASE", None)
        demo = str(Path(folder) / "Demo.registre")
        subprocess.run([*cli, "demo", demo], env=env, capture_output=True, check=True)
        figures = [
            ("registre --version", [*cli, "--version"], env, 0.3),
            ("registre --help", [*cli, "--help"], env, None),
            ("registre info jusqu'à la demande de phrase de passe", [*cli, "info", demo], env, 0.5),
            ("registre info complet (dérivation Argon2id comprise)", [*cli, "info", demo],
             {**env, "REGISTRE_PASSPHRASE": DEMO_PASSPHRASE}, None),
            ("registre-app --version", [*app, "--version"], env, 0.3),
            ("registre-app jusqu'à la fenêtre bibliothèque", [*app, "--data-dir", folder], env,
             3.0 if bundle else 1.5),
        ]
        for label, command, command_env, target in figures:
            seconds = median_seconds(command, command_env)
            verdict = ""
            if target is not None:
                verdict = f" (cible ≤ {target:.1f} s)"
                failed |= seconds > target
            print(f"{label} ({where}) : médiane {seconds:.2f} s{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
