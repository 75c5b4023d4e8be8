"""The printable recovery sheet (PDF) handed over when a register is created.

One A4 page: which register it opens, when it was made, the recovery key in large characters
grouped as typed, and what to do with it. The key appears on this sheet only; the file is
written privately and atomically, and the application offers to print it and then delete it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from registre import __version__
from registre.files import write_atomic
from registre.pdf.engine import wrap_text
from registre.pdf.styles import BOLD, INK, REGULAR, TextStyle, register_fonts

NAVY = HexColor("#1f4e79")
TEXT = TextStyle(REGULAR, 11.0, 15.0, INK)
INSTRUCTIONS_FR = (
    "Cette clé de secours permet de choisir une nouvelle phrase de passe si elle est oubliée "
    "(« Phrase de passe oubliée » dans l'application, ou la commande registre recover). "
    "Elle ne sera plus jamais affichée.",
    "Imprimez cette feuille et rangez-la sous clé, séparément de l'ordinateur : quiconque la "
    "détient peut ouvrir le registre.",
    "Ne la photographiez pas, ne l'envoyez pas par courriel. Supprimez le fichier PDF une fois "
    "la feuille imprimée.",
    "Chaque groupe se termine par un caractère de contrôle : une faute de frappe est signalée "
    "avec le numéro du groupe. Les lettres O, I et L peuvent être saisies pour 0 et 1.",
)


def recovery_sheet_bytes(
    *, register_name: str, organisation: str, recovery_key: str, created: dt.datetime
) -> bytes:
    """The sheet as PDF bytes (nothing touches the disk)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, initialFontName=REGULAR, initialFontSize=11, pageCompression=1
    )
    canvas.setTitle("Feuille de secours — Registre")
    canvas.setAuthor(organisation or register_name)
    canvas.setSubject("Clé de secours d'un registre des activités de traitement")
    canvas.setCreator(f"Registre {__version__}")
    width, height = A4
    left = 22 * mm
    y = height - 30 * mm
    canvas.setFillColor(NAVY)
    canvas.setFont(BOLD, 22)
    canvas.drawString(left, y, "Feuille de secours")
    y -= 10 * mm
    canvas.setFont(REGULAR, 12)
    canvas.setFillColor(HexColor("#222222"))
    local = created.astimezone()
    for label, value in (
        ("Registre\u00a0:", register_name),
        ("Organisme\u00a0:", organisation or "—"),
        ("Créée le\u00a0:", local.strftime("%d/%m/%Y à %H:%M")),
    ):
        canvas.setFont(BOLD, 12)
        canvas.drawString(left, y, label)
        canvas.setFont(REGULAR, 12)
        canvas.drawString(left + 32 * mm, y, value[:90])
        y -= 7 * mm
    y -= 8 * mm
    canvas.setFont(BOLD, 13)
    canvas.drawString(left, y, "Clé de secours")
    y -= 4 * mm
    box_height = 34 * mm
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(1.5)
    canvas.rect(left, y - box_height, width - 2 * left, box_height)
    groups = recovery_key.split("-")
    canvas.setFont(BOLD, 21)
    for row, start in enumerate((0, 4)):
        line = "   ".join(groups[start : start + 4])
        canvas.drawCentredString(width / 2, y - 14 * mm - row * 11 * mm, line)
    y -= box_height + 12 * mm
    canvas.setFont(REGULAR, TEXT.size)
    for paragraph in INSTRUCTIONS_FR:
        canvas.circle(left + 2 * mm, y + 1.3 * mm, 0.9 * mm, stroke=0, fill=1)
        for line in wrap_text(paragraph, TEXT, width - 2 * left - 6 * mm):
            canvas.drawString(left + 6 * mm, y, line)
            y -= TEXT.leading
        y -= 3 * mm
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(HexColor("#666666"))
    canvas.drawString(
        left,
        15 * mm,
        f"Registre {__version__} — registre des activités de traitement (RGPD, article 30)",
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_recovery_sheet(
    path: Path,
    *,
    register_name: str,
    organisation: str,
    recovery_key: str,
    created: dt.datetime,
) -> Path:
    """Write the sheet to ``path`` (mode 0600, atomically)."""
    write_atomic(
        Path(path),
        recovery_sheet_bytes(
            register_name=register_name,
            organisation=organisation,
            recovery_key=recovery_key,
            created=created,
        ),
    )
    return Path(path)
