"""PDF export figures: full register of 1,000 activities, a 50-activity commune, pages per second.

Targets on the reference 2-core machine: 1,000 activities (table of contents included) ≤ 10 s
and ≤ 500 MB peak memory; a 50-activity commune ≤ 1.5 s. Each export runs in a fresh
interpreter (imports, fonts and caches cold) and is timed from the call of ``export_pdf`` to the
signed file on disk (checker, layout, signature, audit entry included).

Activities are the demo commune's, repeated with their own names and references, so sheets have
the length of real ones (two to three pages each).

    python bench/bench_pdf.py            # both measurements
    python bench/bench_pdf.py --keep DIR # also keep the registers and PDFs in DIR
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from registre import crypto, demo, services
from registre.storage import Context, create_register, open_register

PASSPHRASE = "banc d'essai de l'export du registre"
# The key derivation is not what is measured here: small parameters keep set-up quick.
POLICY = crypto.KdfPolicy(min_memory_kib=64, min_iterations=1, calibrate=False)
TARGETS = {1000: (10.0, 500.0), 50: (1.5, 500.0)}


def _context() -> Context:
    return Context(policy=POLICY)


def build_register(directory: Path, activities: int) -> None:
    """A register with one commune holding ``activities`` demo-like activities."""
    data = demo.demo_data()["organisations"][0]
    register, _ = create_register(directory, PASSPHRASE, context=_context())
    try:
        fields = {
            k: v for k, v in data.items() if k not in ("processors", "software", "activities")
        }
        org = services.create_organisation(register, **fields).id
        processors = {
            p["key"]: services.create_processor(
                register, organisation_id=org, **{k: v for k, v in p.items() if k != "key"}
            ).id
            for p in data["processors"]
        }
        software = {}
        for item in data["software"]:
            values = {k: v for k, v in item.items() if k not in ("key", "processor")}
            if item.get("processor"):
                values["processor_id"] = processors[item["processor"]]
            software[item["key"]] = services.create_software(
                register, organisation_id=org, **values
            ).id
        templates = data["activities"]
        batch: list[dict[str, Any]] = []
        for index in range(activities):
            values = dict(templates[index % len(templates)])
            values["name"] = f"{values['name']} ({index + 1})"
            values["reference"] = f"T-{index + 1:04d}"
            values["processors"] = [processors[k] for k in values.get("processors", [])]
            values["software"] = [software[k] for k in values.get("software", [])]
            batch.append(values)
        services.bulk_create_activities(register, organisation_id=org, activities=batch)
    finally:
        register.close()


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def measure(directory: Path, output: Path) -> dict[str, float]:
    """Export once in this (fresh) process; time, pages and peak memory."""
    from registre.official_export import export_pdf

    register = open_register(directory, PASSPHRASE, context=_context())
    try:
        org = services.list_organisations(register)[0].id
        started = time.perf_counter()
        result = export_pdf(register, output, profile="full", organisation_id=org)
        seconds = time.perf_counter() - started
    finally:
        register.close()
    return {
        "seconds": seconds,
        "pages": result.pages,
        "peak_mb": _peak_mb(),
        "bytes": output.stat().st_size,
    }


def _in_fresh_process(directory: Path, output: Path) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, __file__, "--measure", str(directory), str(output)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def main(keep: Path | None) -> int:
    """Print the figures; exit 1 when a target is missed."""
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        base = keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for activities in (1000, 50):
            directory = base / f"Bench-{activities}.registre"
            if not directory.exists():
                started = time.perf_counter()
                build_register(directory, activities)
                print(
                    f"registre de {activities} traitements créé en "
                    f"{time.perf_counter() - started:.1f} s"
                )
            # The first export creates the signing key: measure the second one.
            _in_fresh_process(directory, base / f"warm-{activities}.pdf")
            figures = _in_fresh_process(directory, base / f"registre-{activities}.pdf")
            seconds, peak = figures["seconds"], figures["peak_mb"]
            max_seconds, max_mb = TARGETS[activities]
            print(
                f"{activities} traitements : {seconds:.2f} s (cible ≤ {max_seconds} s), "
                f"{figures['pages']:.0f} pages, {figures['pages'] / seconds:.0f} pages/s, "
                f"pointe mémoire {peak:.0f} Mo (cible ≤ {max_mb:.0f} Mo), "
                f"{figures['bytes'] / 1e6:.1f} Mo"
            )
            ok &= seconds <= max_seconds and peak <= max_mb
    print("objectifs atteints" if ok else "OBJECTIF MANQUÉ")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]), Path(sys.argv[3]))))
        sys.exit(0)
    keep_dir = Path(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[1] == "--keep" else None
    sys.exit(main(keep_dir))
