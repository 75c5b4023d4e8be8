"""Cold start of the desktop application to the library window (target ≤ 1.5 s from source,
≤ 3 s for the bundled build).

Usage: python bench/bench_startup.py [EXECUTABLE]  (default: this interpreter running ui.app)
The application leaves by itself once its first window is shown (REGISTRE_STARTUP_PROBE).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> int:
    """Print the median of five cold starts; exit 1 when over the target."""
    bundled = len(sys.argv) > 1
    command = [sys.argv[1]] if bundled else [sys.executable, "-m", "ui.app"]
    target = 3.0 if bundled else 1.5
    timings = []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REGISTRE_STARTUP_PROBE": "1",
               "REGISTRE_DATA_DIR": data}
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([*command, "--data-dir", data], env=env, check=True,
                           capture_output=True, timeout=60)
            timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    what = "application empaquetée" if bundled else "application depuis les sources"
    print(f"démarrage à froid ({what}) jusqu'à la fenêtre bibliothèque : médiane {median:.2f} s "
          f"(min {min(timings):.2f} s, cible ≤ {target:.1f} s)")
    return 0 if median <= target else 1


if __name__ == "__main__":
    sys.exit(main())
