"""Interchange figures: JSON, the CNIL workbook and CSV, exported and imported at scale.

Targets on the reference 2-core machine:

- JSON export of 10,000 activities ≤ 5 s; JSON import of that file into a new register
  (plan + apply, one transaction) ≤ 5 s;
- CNIL workbook (XLSX) of 500 fiches imported (plan + apply) ≤ 5 s;
- CNIL workbook (XLSX) export of 20,000 activities (20,000 fiche sheets, streamed) ≤ 30 s and
  ≤ 500 MB of memory for the whole exporting process;
- CSV of 20,000 rows imported into a new register (plan + apply) ≤ 10 s, every cell counted.

Run with ``python bench/bench_interchange.py`` (``--quick`` for smaller registers).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_core import realistic_activity, tiny_kdf_by_default

from registre import services
from registre.interchange import apply_import, export_register, plan_import
from registre.storage import Register, create_register

QUICK = "--quick" in sys.argv
ACTIVITIES = 1_000 if QUICK else 10_000
FICHES = 500
LARGE = 2_000 if QUICK else 20_000
PASSPHRASE = "banc d'essai des imports et exports du registre"

# The large export runs in its own process so its peak memory is its own.
EXPORT_SCRIPT = """
import resource, sys, time
from pathlib import Path
from registre import crypto
from registre.context import Context
from registre.interchange import export_register
from registre.storage import open_register
tiny = crypto.KdfPolicy(min_memory_kib=64, min_iterations=1, calibrate=False)
register = open_register(Path(sys.argv[1]), sys.argv[3], context=Context(policy=tiny))
started = time.perf_counter()
export_register(register, Path(sys.argv[2]), "xlsx")
elapsed = time.perf_counter() - started
register.close()
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _register(directory: Path, activities: int) -> tuple[Register, str]:
    register, _recovery = create_register(directory, PASSPHRASE)
    organisation_id = services.create_organisation(register, name="Commune de Banc-d'Essai").id
    if activities:
        services.bulk_create_activities(
            register,
            organisation_id=organisation_id,
            activities=[realistic_activity(i) for i in range(activities)],
        )
    return register, organisation_id


def _verdict(label: str, elapsed: float, target: float) -> bool:
    verdict = "ok" if elapsed <= target else "TOO SLOW"
    print(f"{label:<52} {elapsed:6.2f} s  (target ≤ {target:.0f} s) {verdict}")
    return elapsed > target


def _timed(label: str, action: Any, target: float = 5.0) -> tuple[bool, Any]:
    started = time.perf_counter()
    result = action()
    return _verdict(label, time.perf_counter() - started, target), result


def main() -> int:
    """Print the figures; exit status 1 when a target is missed."""
    tiny_kdf_by_default()
    failures = 0
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        source, _organisation = _register(root / "source.registre", ACTIVITIES)
        export = root / "export.json"
        missed, _ = _timed(
            f"JSON export, {ACTIVITIES} activities",
            lambda: export_register(source, export, "json"),
        )
        failures += missed
        print(f"{'':<52} {export.stat().st_size / 1e6:.1f} MB")
        target, _ = _register(root / "target.registre", 0)

        def json_import() -> Any:
            return apply_import(target, plan_import(target, export))

        missed, report = _timed(f"JSON import, {ACTIVITIES} activities", json_import)
        failures += missed
        print(f"{'':<52} {report.summary('en')[:90]}")
        source.close()
        target.close()

        small, organisation_id = _register(root / "fiches.registre", FICHES)
        workbook = root / "registre-cnil.xlsx"
        export_register(small, workbook, "xlsx", organisation_id=organisation_id)
        small.close()
        fresh, _ = _register(root / "fresh.registre", 0)

        def cnil_import() -> Any:
            return apply_import(fresh, plan_import(fresh, workbook))

        missed, report = _timed(f"CNIL workbook (XLSX) import, {FICHES} fiches", cnil_import)
        failures += missed
        fresh.close()

        large, _organisation = _register(root / "large.registre", LARGE)
        large.close()
        output = root / "large.xlsx"
        measured = subprocess.run(
            [
                sys.executable,
                "-c",
                EXPORT_SCRIPT,
                str(root / "large.registre"),
                str(output),
                PASSPHRASE,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        elapsed, peak = float(measured[0]), float(measured[1])
        failures += _verdict(f"CNIL workbook (XLSX) export, {LARGE} activities", elapsed, 30.0)
        memory = "ok" if peak <= 500 else "TOO MUCH"
        print(
            f"{'':<52} {output.stat().st_size / 1e6:.0f} MB file, peak memory {peak:.0f} MB "
            f"(target ≤ 500 MB) {memory}"
        )
        failures += peak > 500

        from registre.storage import open_register

        large = open_register(root / "large.registre", PASSPHRASE)
        table = root / "large.csv"
        export_register(large, table, "csv")
        large.close()
        empty, _ = _register(root / "csv.registre", 0)

        def csv_import() -> Any:
            return apply_import(empty, plan_import(empty, table))

        missed, report = _timed(f"CSV import, {LARGE} rows", csv_import, target=10.0)
        failures += missed
        print(f"{'':<52} {report.ledger.text('en') if report.ledger else ''}")
        empty.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
