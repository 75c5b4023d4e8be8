"""Spreadsheet files read safely with python-calamine.

python-calamine (Rust) reads XLSX, XLS and ODS alike, whichever program saved them, returns
typed cells (numbers, dates, text) and reads a 500-sheet workbook in well under a second. Before
it sees a byte, the file is checked: size, ZIP structure, the real decompressed size of every
member (measured, not taken from the headers), encryption, and sheet dimensions. Writing is
``cnil_workbook``'s (the CNIL's own template, filled).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registre.errors import RegistreError
from registre.interchange.errors import invalid

MAX_UNCOMPRESSED = 400 * 1024 * 1024  # real decompressed size of all members of a workbook
MAX_MEMBERS = 20_000
MAX_CELLS_PER_SHEET = 2_000_000
MAX_CELLS = 10_000_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _password(path: Path) -> Exception:
    return invalid(
        path,
        "fichier protégé par mot de passe ; ouvrez-le, retirez le mot de passe et enregistrez-le",
        "password-protected file; open it, remove the password and save it again",
    )


def _damaged(path: Path, detail: str = "", detail_en: str = "") -> Exception:
    suffix_fr = f" ({detail})" if detail else ""
    suffix_en = f" ({detail_en})" if detail_en else ""
    return invalid(
        path,
        f"classeur endommagé ou tronqué{suffix_fr}",
        f"damaged or truncated workbook{suffix_en}",
    )


# --------------------------------------------------------------------------------------------
# What kind of workbook, and is it safe to open?
# --------------------------------------------------------------------------------------------


def _real_size(archive: bytes, info: zipfile.ZipInfo, budget: int, path: Path) -> int:
    """Decompressed size of one member, measured by inflating it (never more than ``budget``)."""
    offset = info.header_offset
    header = archive[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(path)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    raw = memoryview(archive)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise _damaged(path)
    if info.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _damaged(path, "compression inconnue", "unknown compression")
    inflater = zlib.decompressobj(-15)
    total = 0
    position = 0
    chunk = 1 << 16
    try:
        while position < len(raw) or inflater.unconsumed_tail:
            data = inflater.unconsumed_tail or raw[position : position + chunk]
            if not inflater.unconsumed_tail:
                position += chunk
            total += len(inflater.decompress(data, 1 << 20))
            if total > budget:
                raise invalid(
                    path,
                    "contenu décompressé trop volumineux (fichier piégé ou démesuré)",
                    "decompressed content too large (malicious or oversized file)",
                )
            if inflater.eof:
                break
    except zlib.error:
        raise _damaged(path) from None
    return total


def workbook_kind(data: bytes, path: Path) -> str:
    """ "xlsx", "ods" or "xls" after checking the container; InvalidImportFile otherwise."""
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data or (
            "EncryptionInfo".encode("utf-16-le") in data
        ):
            raise _password(path)
        raise invalid(
            path,
            "ancien format Excel 97-2003 (.xls) non pris en charge ; enregistrez le fichier "
            "en .xlsx ou .ods",
            "old Excel 97-2003 format (.xls) not supported; save the file as .xlsx or .ods",
        )
    try:
        return _zip_kind(data, path)
    except RegistreError:
        raise
    except Exception:  # zipfile raises many kinds (NotImplementedError, RuntimeError…)
        raise _damaged(path) from None


def _zip_kind(data: bytes, path: Path) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _damaged(path, "trop d'éléments", "too many members")
    names = {info.filename for info in infos}
    budget = MAX_UNCOMPRESSED
    for info in infos:
        budget -= _real_size(data, info, budget, path)
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:200]
        if b"opendocument.spreadsheet" not in mimetype:
            raise _wrong_type(path)
        manifest_name = "META-INF/manifest.xml"
        manifest = archive.read(manifest_name) if manifest_name in names else b""
        if b"encryption-data" in manifest:
            raise _password(path)
        _check_ods_extent(archive.read("content.xml"), path)
        return "ods"
    if "xl/workbook.bin" in names:
        raise invalid(
            path,
            "classeur binaire Excel (.xlsb) non pris en charge ; enregistrez-le en .xlsx",
            "binary Excel workbook (.xlsb) not supported; save it as .xlsx",
        )
    if "xl/workbook.xml" in names:
        for name in sorted(names):
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_xlsx_extent(archive.read(name), name, path)
        return "xlsx"
    raise _wrong_type(path)


# calamine builds each sheet as a dense grid from its first to its last used cell: two cells far
# apart would make it allocate gigabytes (and abort the process, which no except can catch). The
# extent of every sheet is therefore measured on the XML before calamine sees it.

_CELL_REFERENCE = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,8})\"")


def _too_large(path: Path, sheet: str, rows: int, columns: int) -> Exception | None:
    if rows * columns <= MAX_CELLS_PER_SHEET:
        return None
    return invalid(
        path,
        f"feuille « {sheet} » trop grande ({rows} lignes × {columns} colonnes)",
        f"sheet “{sheet}” too large ({rows} rows × {columns} columns)",
    )


def _check_xlsx_extent(xml: bytes, name: str, path: Path) -> None:
    rows = columns = 0
    for found in _CELL_REFERENCE.finditer(xml):
        column = 0
        for letter in found.group(1):
            column = column * 26 + letter - 64
        rows = max(rows, int(found.group(2)))
        columns = max(columns, column)
    error = _too_large(path, name.rsplit("/", 1)[-1], rows, columns)
    if error:
        raise error


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _repeat(element: Any, attribute: str) -> int:
    text = element.get(_TABLE + attribute, "1")
    return int(text) if text.isdigit() and len(text) < 9 else MAX_CELLS_PER_SHEET + 1


def _check_ods_extent(xml: bytes, path: Path) -> None:
    """The bounding box of the filled cells of each table, repeated rows and columns counted."""
    # defusedxml comes with odfpy (its dependency): no entity expansion, no external fetch.
    from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

    row = column = rows = columns = 0
    row_filled = False
    name = ""
    for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _TABLE + "table":
                name = element.get(_TABLE + "name", "")
                row = column = rows = columns = 0
            elif tag == _TABLE + "table-row":
                column, row_filled = 0, False
            continue
        if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            repeated = _repeat(element, "number-columns-repeated")
            if element.get(_OFFICE + "value-type") or len(element):
                columns = max(columns, column + repeated)
                row_filled = True
            column += repeated
            element.clear()
        elif tag == _TABLE + "table-row":
            repeated = _repeat(element, "number-rows-repeated")
            if row_filled:
                rows = max(rows, row + repeated)
            row += repeated
            element.clear()
        elif tag == _TABLE + "table":
            error = _too_large(path, name, rows, columns)
            if error:
                raise error
            element.clear()


def _wrong_type(path: Path) -> Exception:
    return invalid(
        path,
        "ce fichier n'est pas un classeur ODS ou XLSX",
        "this file is not an ODS or XLSX workbook",
    )


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


@dataclass
class SheetData:
    """One sheet as read: its name and its rows of typed cells ("" for an empty cell)."""

    name: str
    rows: list[list[Any]]


def _is_panic(exc: BaseException) -> bool:
    """True for a Rust panic surfaced by pyo3 (PanicException derives from BaseException)."""
    return type(exc).__name__ == "PanicException"


def read_workbook(data: bytes, path: Path) -> tuple[str, list[SheetData]]:
    """The kind and every sheet of a workbook, or InvalidImportFile."""
    kind = workbook_kind(data, path)
    from python_calamine import CalamineWorkbook, PasswordError

    sheets: list[SheetData] = []
    total = 0
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in list(workbook.sheet_names)[:1000]:
            sheet = workbook.get_sheet_by_name(name)
            end = sheet.end
            if end is None:
                sheets.append(SheetData(str(name), []))
                continue
            cells = (int(end[0]) + 1) * (int(end[1]) + 1)
            total += cells
            if cells > MAX_CELLS_PER_SHEET or total > MAX_CELLS:
                raise invalid(
                    path,
                    f"feuille « {name} » trop grande ({cells} cellules)",
                    f"sheet “{name}” too large ({cells} cells)",
                )
            rows = sheet.to_python(skip_empty_area=False)
            sheets.append(SheetData(str(name), [list(row) for row in rows]))
    except PasswordError:
        raise _password(path) from None
    except Exception as exc:
        if type(exc).__module__.startswith("registre"):
            raise
        raise _damaged(path, str(exc)[:120], str(exc)[:120]) from None
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        raise _damaged(path) from None
    return kind, sheets


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def cell_name(column: int, row: int) -> str:
    """Spreadsheet name of a cell from 0-based indexes: (0, 0) → "A1", (27, 4) → "AB5"."""
    letters = ""
    number = column + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row + 1}"


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel and LibreOffice accept (31 characters, no []:*?/\\), unique."""
    base = re.sub(r"[\[\]:*?/\\']", " ", name).strip() or "Feuille"
    base = base[:31].strip()
    candidate, counter = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({counter})"
        candidate = base[: 31 - len(suffix)].strip() + suffix
        counter += 1
    taken.add(candidate.casefold())
    return candidate
