"""Official PDF export figures: the whole ``registre export`` process, 50, 200 and 1,000 activities.

Each figure is one ``registre export REGISTER --format pdf`` command in a fresh interpreter, timed
from its start to its exit (imports, opening the register, checker, layout, signature, audit
entry and the file on disk included), run RUNS times; the median is printed with its processor
time (user + system, layout workers included: the steadier figure on a shared machine) and the
peak memory of the largest process (the export or one of its layout workers). Python's bytecode
caches are written by the first, uncounted run, as an installed application has them. Registers
are created with the smallest key-derivation cost the application accepts; the time of that
derivation (paid once when the register is opened) is printed apart and the figures are also
given without it, so figures on a machine with a calibrated passphrase are the same plus the
difference. The load average of the machine is printed before and after.

When ``wkhtmltopdf`` is installed, each export of 1,000 activities is paired with wkhtmltopdf
printing 1,000 simple HTML fiches of the same activities (one per page break: name, reference,
purposes, legal basis, data, recipients, retention, security), and the median of the ratios
export / wkhtmltopdf is printed.

Targets on the reference 2-core machine: 1,000 activities (signed, table of contents) ≤ 2.5 s and
≤ 0.67 × wkhtmltopdf; 50 activities ≤ 0.6 s; peak memory ≤ 250 MB.

    python bench/bench_pdf.py                 # 3 runs of each
    python bench/bench_pdf.py --runs 5 --keep DIR
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from registre import crypto, demo, services
from registre.storage import Context, create_register

PASSPHRASE = "banc d'essai de l'export du registre"
SIZES = (50, 200, 1000)
TARGET_SECONDS = {50: 0.6, 1000: 2.5}
TARGET_PEAK_MB = 250.0
TARGET_RATIO = 0.67
# The smallest cost the application accepts when it opens a register (no calibration).
POLICY = crypto.KdfPolicy(calibrate=False)


def build_register(directory: Path, activities: int) -> None:
    """A register with one commune holding ``activities`` demo-like activities."""
    data = demo.demo_data()["organisations"][0]
    register, _ = create_register(directory, PASSPHRASE, context=Context(policy=POLICY))
    try:
        fields = {
            k: v
            for k, v in data.items()
            if k not in ("processors", "software", "activities", "companions")
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


def fiches_html(activities: int) -> str:
    """``activities`` simple HTML fiches of the demo's activities, one per page."""
    templates = demo.demo_data()["organisations"][0]["activities"]
    pages = []
    for index in range(activities):
        values = templates[index % len(templates)]
        rows = [
            ("Référence", f"T-{index + 1:04d}"),
            ("Service", values.get("service", "")),
            ("Finalité principale", values.get("main_purpose", "")),
            ("Sous-finalités", "; ".join(p["description"] for p in values.get("purposes", []))),
            ("Base légale", values.get("legal_basis", "")),
            (
                "Personnes concernées",
                "; ".join(d["category"] for d in values.get("data_subjects", [])),
            ),
            (
                "Données et conservation",
                "; ".join(
                    f"{d.get('category')} : {d.get('details', '')} "
                    f"({d.get('retention_value', '')} {d.get('retention_unit', '')})"
                    for d in values.get("data_categories", [])
                ),
            ),
            ("Destinataires", "; ".join(r.get("name", "") for r in values.get("recipients", []))),
            (
                "Sécurité",
                "; ".join(
                    m.get("details", m["measure_type"]) for m in values.get("security_measures", [])
                ),
            ),
        ]
        cells = "".join(
            f"<tr><th>{html.escape(label)}</th><td>{html.escape(str(value))}</td></tr>"
            for label, value in rows
        )
        pages.append(
            f"<div class='fiche'><h1>{html.escape(values['name'])} ({index + 1})</h1>"
            f"<table>{cells}</table></div>"
        )
    style = (
        "body{font-family:'DejaVu Sans';font-size:9pt} .fiche{page-break-after:always} "
        "table{border-collapse:collapse;width:100%} th,td{border:1px solid #bbb;padding:3px;"
        "text-align:left;vertical-align:top} th{width:30%;background:#eef2f7}"
    )
    return (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><style>{style}</style>"
        f"</head><body>{''.join(pages)}</body></html>"
    )


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds of ``command``, its processor seconds (user + system, with the processes
    it waited for) and the peak memory (MB) of its largest process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)  # this command's own resource usage
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {errors.decode(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _export_command(directory: Path, output: Path) -> list[str]:
    script = Path(sys.executable).with_name("registre")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "registre.cli"]
    return [*program, "export", str(directory), "--format", "pdf", "--output", str(output)]


def kdf_seconds() -> float:
    """One derivation at the cost the benchmark registers use."""
    params = crypto.calibrate(POLICY)
    started = time.perf_counter()
    crypto.derive_passphrase_key(PASSPHRASE, b"\0" * crypto.SALT_BYTES, params)
    return time.perf_counter() - started


def main(runs: int, keep: Path | None) -> int:
    """Print the figures; exit 1 when a target is missed."""
    env = {**os.environ, "REGISTRE_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed application has its bytecode
    wkhtmltopdf = shutil.which("wkhtmltopdf")
    ok = True
    kdf = kdf_seconds()
    print(f"charge moyenne de la machine (1, 5, 15 min) : {_load()}")
    print(f"dérivation de clé à l'ouverture (comprise ci-dessous) : {kdf:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        base = keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for activities in SIZES:
            directory = base / f"Bench-{activities}.registre"
            if not directory.exists():
                build_register(directory, activities)
            output = base / f"registre-{activities}.pdf"
            _run(_export_command(directory, output), env)  # creates the signing key
            pages = (
                int(
                    next(
                        line.split()[1]
                        for line in subprocess.run(
                            ["pdfinfo", str(output)], capture_output=True, text=True, check=True
                        ).stdout.splitlines()
                        if line.startswith("Pages:")
                    )
                )
                if shutil.which("pdfinfo")
                else 0
            )
            html_file = base / f"fiches-{activities}.html"
            paired = wkhtmltopdf is not None and activities == max(SIZES)
            if paired:
                html_file.write_text(fiches_html(activities), encoding="utf-8")
            times, cpus, peaks, ratios, others = [], [], [], [], []
            for _run_index in range(runs):
                seconds, cpu, peak = _run(_export_command(directory, output), env)
                times.append(seconds)
                cpus.append(cpu)
                peaks.append(peak)
                if paired:
                    assert wkhtmltopdf is not None
                    other, _, _ = _run(
                        [wkhtmltopdf, "-q", str(html_file), str(base / "fiches.pdf")], env
                    )
                    others.append(other)
                    ratios.append(seconds / other)
            median = statistics.median(times)
            peak = max(peaks)
            line = (
                f"{activities:>5} traitements : {median:.2f} s (médiane de {runs}, "
                f"{min(times):.2f}–{max(times):.2f} ; {median - kdf:.2f} s sans la dérivation), "
                f"processeur {statistics.median(cpus):.2f} s, {pages} pages, "
                f"pointe mémoire {peak:.0f} Mo"
            )
            if ratios:
                line += (
                    f", wkhtmltopdf {statistics.median(others):.2f} s, "
                    f"rapport {statistics.median(ratios):.2f}"
                )
                ok &= statistics.median(ratios) <= TARGET_RATIO
            print(line, flush=True)
            ok &= median <= TARGET_SECONDS.get(activities, float("inf")) and peak <= TARGET_PEAK_MB
    print(f"charge moyenne de la machine (1, 5, 15 min) : {_load()}")
    print("objectifs atteints" if ok else "OBJECTIF MANQUÉ")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    arguments = parser.parse_args()
    sys.exit(main(arguments.runs, arguments.keep))
