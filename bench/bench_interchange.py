"""Interchange figures: JSON export and import of 10,000 activities, CNIL workbook of 500 fiches.

Targets on the reference 2-core machine: JSON export of 10,000 activities ≤ 5 s, JSON import of
the same file into a new register (plan + apply, one transaction) ≤ 5 s, import of a CNIL-layout
workbook with 500 fiches (plan + apply) ≤ 5 s. Run with ``python bench/bench_interchange.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_core import realistic_activity, tiny_kdf_by_default

from registre import services
from registre.interchange import apply_import, export_register, plan_import
from registre.storage import Register, create_register

ACTIVITIES = 10_000
FICHES = 500
TARGET_SECONDS = 5.0
PASSPHRASE = "banc d'essai des imports et exports du registre"


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


def _timed(label: str, action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    verdict = "ok" if elapsed <= TARGET_SECONDS else "TOO SLOW"
    print(f"{label:<48} {elapsed:6.2f} s  (target ≤ {TARGET_SECONDS:.0f} s) {verdict}")
    return elapsed, result


def main() -> int:
    """Print the figures; exit status 1 when a target is missed."""
    tiny_kdf_by_default()
    failures = 0
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        source, _organisation = _register(root / "source.registre", ACTIVITIES)
        export = root / "export.json"
        elapsed, _ = _timed(
            f"JSON export, {ACTIVITIES} activities",
            lambda: export_register(source, export, "json"),
        )
        failures += elapsed > TARGET_SECONDS
        print(f"{'':<48} {export.stat().st_size / 1e6:.1f} MB")
        target, _ = _register(root / "target.registre", 0)
        with target.read():
            pass

        def json_import() -> Any:
            return apply_import(target, plan_import(target, export))

        elapsed, report = _timed(f"JSON import, {ACTIVITIES} activities", json_import)
        failures += elapsed > TARGET_SECONDS
        print(f"{'':<48} {report.summary('en')[:90]}")
        source.close()
        target.close()

        small, organisation_id = _register(root / "fiches.registre", FICHES)
        workbook = root / "registre-cnil.xlsx"
        elapsed, _ = _timed(
            f"CNIL layout XLSX export, {FICHES} fiches",
            lambda: export_register(small, workbook, "xlsx", organisation_id=organisation_id),
        )
        small.close()
        fresh, _ = _register(root / "fresh.registre", 0)

        def cnil_import() -> Any:
            return apply_import(fresh, plan_import(fresh, workbook))

        elapsed, report = _timed(f"CNIL layout XLSX import, {FICHES} fiches", cnil_import)
        failures += elapsed > TARGET_SECONDS
        print(f"{'':<48} {report.summary('en')[:90]}")
        fresh.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
