"""The floor under the official PDF export of 1,000 activities: what the stack costs alone.

Two figures no change to Registre's own code can go under, measured beside the real export and
wkhtmltopdf in the same run:

- **start**: a fresh interpreter importing the libraries an export needs (SQLAlchemy, SQLCipher,
  ReportLab, pikepdf, cryptography), and doing nothing else;
- **text**: ReportLab's canvas drawing the text lines of the real export (``pdftotext`` of the
  PDF ``registre export`` wrote), in the same font, page by page, one text operator per line,
  in one process per core, timed from the font loaded to the last page drawn (its imports are
  in the first figure): no reading, checking, line breaking, tables, rules, tagging, assembly
  or signature.

Their sum is the floor. The export's other work (reading and checking the register, breaking
lines, tables, the structure tree, assembling the pages, the signature) has to fit between the
floor and the target: ≤ 0.67 × wkhtmltopdf on 1,000 simple fiches, and ≤ 2.5 s.

    python bench/bench_pdf_floor.py [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_pdf import (
    PASSPHRASE,
    TARGET_RATIO,
    TARGET_SECONDS,
    _export_command,
    _load,
    _run,
    build_register,
    fiches_html,
)

ACTIVITIES = 1000
FONT = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "DejaVuSans.ttf"
START = (
    "import sqlalchemy.orm, sqlcipher3, pikepdf, reportlab.pdfgen.canvas, reportlab.platypus; "
    "from cryptography.hazmat.primitives.kdf.argon2 import Argon2id"
)
# Draws the pages of a pdftotext output (form feeds between pages) with ReportLab's canvas, half
# of the pages in each of two forked processes.
TEXT = """
import io, multiprocessing, resource, sys, time
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
pdfmetrics.registerFont(TTFont("DejaVuSans", sys.argv[2]))
pages = open(sys.argv[1], encoding="utf-8").read().split("\\f")
def used():
    usages = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)
started, cpu = time.perf_counter(), used()
def draw(part):
    canvas = Canvas(io.BytesIO(), pageCompression=1, initialFontName="DejaVuSans")
    for page in pages[part::2]:
        text = canvas.beginText(40, 800)
        text.setFont("DejaVuSans", 9)
        for line in page.splitlines():
            if line.strip():
                text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
with multiprocessing.get_context("fork").Pool(2) as pool:
    pool.map(draw, (0, 1))
print(time.perf_counter() - started, used() - cpu)
"""


def main(runs: int, keep: Path | None) -> int:
    """Print the floor beside the export and wkhtmltopdf; exit 1 when the floor alone misses
    a target."""
    wkhtmltopdf = shutil.which("wkhtmltopdf")
    if wkhtmltopdf is None or shutil.which("pdftotext") is None:
        raise SystemExit("wkhtmltopdf and pdftotext (poppler-utils) are needed")
    env = {**os.environ, "REGISTRE_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"charge moyenne de la machine (1, 5, 15 min) : {_load()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        directory = base / f"Bench-{ACTIVITIES}.registre"
        if not directory.exists():
            build_register(directory, ACTIVITIES)
        output = base / f"registre-{ACTIVITIES}.pdf"
        _run(_export_command(directory, output), env)  # creates the signing key, caches
        lines = base / f"registre-{ACTIVITIES}.txt"
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), str(lines)], check=True)
        text = lines.read_text(encoding="utf-8")
        pages, count = text.count("\f"), sum(1 for line in text.splitlines() if line.strip())
        html_file = base / f"fiches-{ACTIVITIES}.html"
        html_file.write_text(fiches_html(ACTIVITIES), encoding="utf-8")
        python = sys.executable
        figures: dict[str, list[float]] = {"start": [], "text": [], "text_cpu": []}
        figures |= {"export": [], "wkhtmltopdf": []}
        for _run_index in range(runs):
            figures["start"].append(_run([python, "-c", START], env)[0])
            drawn = subprocess.run(
                [python, "-c", TEXT, str(lines), str(FONT)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, cpu = (float(value) for value in drawn.stdout.split())
            figures["text"].append(seconds)
            figures["text_cpu"].append(cpu)
            figures["export"].append(_run(_export_command(directory, output), env)[0])
            other = [wkhtmltopdf, "-q", str(html_file), str(base / "fiches.pdf")]
            figures["wkhtmltopdf"].append(_run(other, env)[0])
    median = {key: statistics.median(values) for key, values in figures.items()}
    floor = median["start"] + median["text"]
    target = min(TARGET_RATIO * median["wkhtmltopdf"], TARGET_SECONDS[ACTIVITIES])
    print(
        f"{ACTIVITIES} traitements, {pages} pages, {count} lignes de texte (médianes de {runs}) :"
    )
    print(
        f"  démarrage (interpréteur, SQLAlchemy, SQLCipher, ReportLab, pikepdf, cryptography) : "
        f"{median['start']:.2f} s"
    )
    print(
        f"  texte seul (ReportLab, les mêmes lignes sur les mêmes pages, 2 processus) : "
        f"{median['text']:.2f} s, processeur {median['text_cpu']:.2f} s"
    )
    print(f"  plancher (démarrage + texte seul) : {floor:.2f} s")
    print(
        f"  export complet : {median['export']:.2f} s ; wkhtmltopdf : {median['wkhtmltopdf']:.2f} s"
        f" ; objectif : {target:.2f} s (≤ {TARGET_RATIO} × wkhtmltopdf et "
        f"≤ {TARGET_SECONDS[ACTIVITIES]} s)"
    )
    print(
        f"  reste pour lire, contrôler, couper les lignes, tableaux, balisage, assemblage et "
        f"signature : {target - floor:.2f} s au plus (l'export y passe aujourd'hui "
        f"{median['export'] - floor:.2f} s)"
    )
    print(f"charge moyenne de la machine (1, 5, 15 min) : {_load()}")
    return 0 if floor <= target else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    arguments = parser.parse_args()
    sys.exit(main(arguments.runs, arguments.keep))
