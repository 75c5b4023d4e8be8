"""DejaVu Sans parsed once and read back (``registre.pdf.font_cache``): the face read back is
the face parsed, the PDF it embeds has the same bytes, and a damaged entry is parsed again."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from registre.pdf import font_cache

FONT = "DejaVuSans-Bold"
TEXT = "Registre des activités de traitement — « Œuvre », 30 % ; çà et là…"

# Draws TEXT in the four faces on one page (fixed date and ids) and prints the PDF's SHA-256.
DRAW = """
import hashlib, io, sys
from reportlab.pdfgen.canvas import Canvas
from registre.pdf.styles import BOLD, BOLD_OBLIQUE, OBLIQUE, REGULAR, register_fonts
register_fonts()
out = io.BytesIO()
canvas = Canvas(out, invariant=1)
for line, font in enumerate((REGULAR, BOLD, OBLIQUE, BOLD_OBLIQUE)):
    canvas.setFont(font, 11)
    canvas.drawString(40, 780 - 20 * line, sys.argv[1])
canvas.save()
print(hashlib.sha256(out.getvalue()).hexdigest())
"""


def _data(name: str = "DejaVuSans-Bold.ttf") -> bytes:
    return (resources.files("registre_resources") / "fonts" / name).read_bytes()


def test_the_face_read_back_is_the_face_parsed() -> None:
    data = _data()
    parsed = font_cache.load_font(FONT, data)
    assert len(list(font_cache.cache_folder().iterdir())) == 1
    kept = font_cache.load_font(FONT, data)
    assert kept is not parsed
    assert {k: v for k, v in vars(kept).items() if k not in ("face", "encoding", "state")} == {
        k: v for k, v in vars(parsed).items() if k not in ("face", "encoding", "state")
    }
    plain = {k: v for k, v in vars(parsed.face).items() if k != "_pdfScale"}
    assert {k: v for k, v in vars(kept.face).items() if k != "_pdfScale"} == plain
    assert kept.face.name.ustr == parsed.face.name.ustr == FONT
    assert kept.face._pdfScale(1234.5) == parsed.face._pdfScale(1234.5)
    codes = sorted({ord(c) for c in TEXT})
    assert kept.face.makeSubset(codes) == parsed.face.makeSubset(codes)
    assert kept.stringWidth(TEXT, 9) == parsed.stringWidth(TEXT, 9)


def test_a_damaged_entry_is_parsed_again() -> None:
    data = _data()
    font_cache.load_font(FONT, data)
    (entry,) = font_cache.cache_folder().iterdir()
    entry.write_bytes(b"\x00 pas un cache")
    font = font_cache.load_font(FONT, data)
    assert font.stringWidth(TEXT, 9) > 0
    assert entry.read_bytes() != b"\x00 pas un cache"  # written again, whole


def test_a_pdf_drawn_with_faces_read_back_has_the_same_bytes(tmp_path: Path) -> None:
    env = {**os.environ, "REGISTRE_DATA_DIR": str(tmp_path / "data")}

    def draw() -> str:
        completed = subprocess.run(
            [sys.executable, "-c", DRAW, TEXT],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return completed.stdout.strip()

    parsed = draw()
    kept = sorted((tmp_path / "data" / "cache" / "fonts").iterdir())
    assert len(kept) == 4
    before = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in kept]
    assert draw() == parsed
    after = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in kept]
    assert after == before  # read back, not written again


def test_an_entry_of_another_version_is_replaced() -> None:
    folder = font_cache.cache_folder()
    folder.mkdir(parents=True)
    older = folder / f"DejaVuSans-{'0' * 32}.marshal"  # as left by another ReportLab version
    older.write_bytes(b"ancien")
    other_face = folder / f"DejaVuSans-Bold-{'0' * 32}.marshal"
    other_face.write_bytes(b"autre face")
    font_cache.load_font("DejaVuSans", _data("DejaVuSans.ttf"))
    assert not older.exists() and other_face.exists()
    assert len([p for p in folder.iterdir() if p.name.count("-") == 1]) == 1
