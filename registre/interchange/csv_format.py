"""CSV (and plain spreadsheet tables): one activity per row, columns found by their titles.

Import: the encoding is detected (BOM, strict UTF-8, then charset-normalizer restricted to the
encodings French offices actually produce), doubly encoded UTF-8 is repaired with ftfy, the
delimiter is the one the header line uses most, and columns are matched to fields through the
French and English labels of the field schema plus a few common synonyms; a mapping file names
the rest. Lists (data categories, recipients…) are one item per line, or items separated by
semicolons; an item may give every field of its row separated by « | ».

Export: what French Excel opens without a wizard: UTF-8 with a BOM, semicolons, CRLF, French
labels, dates as DD/MM/YYYY; text that Excel would take for a formula is prefixed with « ' ».
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import charset_normalizer

from registre.interchange.errors import invalid
from registre.interchange.plan import TablePayload
from registre.interchange.tables import ITEM_SEPARATOR, read_table
from registre.interchange.text import FORMULA_GUARDED, render_value
from registre.presentation import legal_basis_text
from registre.schema import ACTIVITY, Entity, Field

COLLECTION_KEYS = tuple(collection.key for collection in ACTIVITY.collections)
TEXT_ENCODINGS = ["cp1252", "iso8859_15", "mac_roman", "cp850"]
MAX_FIELD = 1_000_000


# --------------------------------------------------------------------------------------------
# Reading bytes into rows
# --------------------------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was found in."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise invalid(
                    path, f"texte {encoding} invalide", f"invalid {encoding} text"
                ) from None
    if b"\x00" in data[:65536]:
        raise not_text(path)
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data, cp_isolation=TEXT_ENCODINGS).best()
        if best is None or best.encoding is None:
            raise not_text(path) from None
        try:
            text, encoding = data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            raise not_text(path) from None
    controls = sum(1 for char in text[:65536] if char < " " and char not in "\t\r\n")
    if controls > max(2, len(text[:65536]) // 200):
        raise not_text(path)
    return text, encoding


def not_text(path: Path) -> Exception:
    """The error for a file that is not text at all."""
    return invalid(
        path,
        "type de fichier non reconnu (ni JSON, ni classeur ODS/XLSX, ni texte CSV)",
        "unrecognised file type (neither JSON, an ODS/XLSX workbook nor CSV text)",
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most (outside quotes), semicolon when none."""
    counts = {delimiter: 0 for delimiter in (";", ",", "\t", "|")}
    quoted = False
    for char in text[:20000]:
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted:
            if any(counts.values()):
                break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


_CSV_PROBLEMS_FR = {  # the csv module's messages, as a French reader needs them
    "unexpected end of data": "le fichier s'arrête dans une cellule entre guillemets "
    "(guillemet non refermé ?)",
    "expected after": "un caractère suit un guillemet fermant (guillemet à doubler ?)",
    "field larger than field limit": "une cellule est trop longue",
    "new-line character seen in unquoted field": "un retour à la ligne hors guillemets",
}


def _csv_problem_fr(error: csv.Error) -> str:
    """What the csv module found, in French."""
    message = str(error)
    for english, french in _CSV_PROBLEMS_FR.items():
        if english in message:
            return french
    return "ligne illisible"


def parse_rows(text: str, path: Path) -> tuple[list[list[Any]], str]:
    """Rows of cells of a CSV text, and the delimiter found."""
    delimiter = sniff_delimiter(text)
    rows: list[list[Any]] = []
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            rows.append(list(row))
    except csv.Error as exc:
        raise invalid(
            path,
            f"CSV malformé ou tronqué, ligne {reader.line_num} : {_csv_problem_fr(exc)}"[:200],
            f"malformed or truncated CSV, line {reader.line_num}: {exc}"[:200],
        ) from None
    finally:
        csv.field_size_limit(previous_limit)
    return rows, delimiter


# --------------------------------------------------------------------------------------------
# Rows into activities
# --------------------------------------------------------------------------------------------


def read_csv(data: bytes, path: Path, choices: Mapping[str, str | None]) -> TablePayload:
    """Activities of a CSV file."""
    text, encoding = decode(data, path)
    rows, delimiter = parse_rows(text, path)
    payload = TablePayload(format="csv")
    payload.details = {"encoding": encoding, "delimiter": delimiter}

    def where_of(row: int, column: int | None) -> str:
        return f"{path.name}:{row + 1}" if column is None else f"{path.name}:{row + 1}:{column + 1}"

    return read_table(rows, path, payload, choices, where_of)


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if text.startswith(FORMULA_GUARDED):
        return "'" + text
    return text


def escape_item(text: str) -> str:
    """A field of a list item: « \\ », « | » and line breaks escaped so the item reads back."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def _item_text(entity: Entity, row: dict[str, Any]) -> str:
    """One list item: every field of the row, escaped, separated by « | »."""
    parts = []
    for spec in entity.fields:
        value = render_value(spec, row.get(spec.key))
        parts.append(escape_item(_plain(value)))
    if len(parts) == 1:
        return parts[0]
    return ITEM_SEPARATOR.join(parts)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# Columns of names only: their titles say where the details are.
NAMES_ONLY = {
    "processors": " (noms seulement ; leurs détails sont dans les exports XLSX, ODS et JSON)",
    "software": " (noms seulement ; leurs détails sont dans les exports XLSX, ODS et JSON)",
}


def _csv_value(spec: Field, activity: dict[str, Any], names: dict[str, str]) -> Any:
    if spec.key == "legal_basis":  # a law-enforcement activity says which basis it has
        return legal_basis_text(activity["regime"], activity["legal_basis"]) or None
    return render_value(spec, activity[spec.key], names)


def csv_header() -> list[str]:
    """The column titles of the CSV export (French labels of the schema)."""
    header = [spec.label_fr + NAMES_ONLY.get(spec.key, "") for spec in ACTIVITY.fields]
    return header + [collection.label("fr") for collection in ACTIVITY.collections]


def csv_bytes(organisation: dict[str, Any]) -> bytes:
    """The activities of one organisation as a CSV file for French Excel.

    Processors and software appear by name in their columns; a CSV file is one table, so their
    own details are in the XLSX, ODS and JSON exports (the column titles say so).
    """
    names = {item["id"]: item["name"] for item in organisation["processors"]}
    names.update({item["id"]: item["name"] for item in organisation["software"]})
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(csv_header())
    for activity in organisation["activities"]:
        row = [_cell_text(_csv_value(spec, activity, names)) for spec in ACTIVITY.fields]
        for collection in ACTIVITY.collections:
            items = [_item_text(collection.entity, item) for item in activity[collection.key]]
            row.append(_cell_text("\n".join(items) if items else None))
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")
