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
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import charset_normalizer

from registre.interchange.errors import invalid
from registre.interchange.plan import IGNORE, NOT_UNDERSTOOD, Collector, TablePayload
from registre.interchange.text import (
    as_text,
    clean,
    join_nonempty,
    match_key,
    normalise,
    render_value,
    resolver,
    split_items,
)
from registre.schema import ACTIVITY, Entity, Field, Kind

# Column titles people use for a field besides its French and English labels.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "Traitement",
        "Nom",
        "Intitulé",
        "Intitulé du traitement",
        "Activité",
        "Activité de traitement",
        "Nom de l'activité",
        "Processing activity",
        "Processing",
        "Activity",
        "Activity name",
        "Title",
        "Name",
    ),
    "reference": ("Réf", "Réf.", "N°", "N° / RÉF", "Numéro", "Identifiant", "Code", "ID", "Ref"),
    "service": ("Direction", "Service responsable", "Pôle", "Département", "Department", "Service"),
    "main_purpose": (
        "Finalité",
        "Finalités",
        "Finalité du traitement",
        "Objectif",
        "Purpose",
        "Purposes",
        "Purpose of processing",
    ),
    "legal_basis": (
        "Base juridique",
        "Fondement juridique",
        "Base légale du traitement",
        "Lawful basis",
        "Legal ground",
    ),
    "legal_basis_text": ("Texte de référence", "Référence juridique", "Legal reference"),
    "general_retention": ("Durée de conservation", "Conservation", "Retention", "Retention period"),
    "data_subjects": ("Personnes concernées", "Catégories de personnes", "Data subjects"),
    "data_categories": (
        "Données",
        "Données traitées",
        "Données personnelles",
        "Catégories de données",
        "Personal data",
        "Data categories",
        "Categories of personal data",
    ),
    "recipients": ("Destinataires des données", "Recipients"),
    "transfers": ("Transferts", "Transfers", "Transfers to third countries"),
    "security_measures": ("Sécurité", "Security", "Security measures", "TOMs"),
    "created_on": ("Date de création", "Créé le", "Created", "Creation date", "Created on"),
    "updated_on": ("Date de mise à jour", "Mise à jour", "Modifié le", "Last update", "Updated"),
    "description": ("Descriptif", "Description du traitement"),
    "status": ("Statut", "État", "Status"),
    "processors": ("Sous-traitant", "Prestataires", "Processor"),
    "software": ("Logiciel", "Logiciels", "Applications", "Outils", "Software", "Tools"),
    "dpia_status": ("AIPD", "Analyse d'impact (AIPD)", "DPIA"),
    "data_source": ("Source des données", "Source", "Data source"),
    "collection_method": ("Collecte", "Mode de collecte des données"),
}
COLLECTION_KEYS = tuple(collection.key for collection in ACTIVITY.collections)
ITEM_SEPARATOR = " | "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_ENCODINGS = ["cp1252", "iso8859_15", "mac_roman", "cp850"]
MAX_FIELD = 1_000_000


def column_index() -> dict[str, str]:
    """Column title (normalised) → activity field or collection key."""
    index: dict[str, str] = {}
    for spec in ACTIVITY.fields:
        for text in (spec.key, spec.key.replace("_", " "), spec.label_fr, spec.label_en):
            index.setdefault(normalise(text), spec.key)
    for collection in ACTIVITY.collections:
        for text in (
            collection.key,
            collection.key.replace("_", " "),
            collection.label("fr"),
            collection.label("en"),
        ):
            index.setdefault(normalise(text), collection.key)
    for key, titles in SYNONYMS.items():
        for title in titles:
            index.setdefault(normalise(title), key)
    return index


COLUMNS = column_index()


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


def parse_rows(text: str, path: Path) -> tuple[list[list[Any]], str]:
    """Rows of cells of a CSV text, and the delimiter found."""
    delimiter = sniff_delimiter(text)
    rows: list[list[Any]] = []
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        for row in reader:
            rows.append(list(row))
    except csv.Error as exc:
        raise invalid(
            path,
            f"CSV malformé ou tronqué ({exc})"[:200],
            f"malformed or truncated CSV ({exc})"[:200],
        ) from None
    finally:
        csv.field_size_limit(previous_limit)
    return rows, delimiter


def read_mapping(path: Path) -> dict[str, str | None]:
    """A mapping file: JSON object « column title » → field key (or null to skip the column)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise invalid(
            path,
            "fichier de correspondance illisible (JSON attendu)",
            "unreadable mapping file (JSON expected)",
        ) from None
    if isinstance(document, dict) and isinstance(document.get("columns"), dict):
        document = document["columns"]
    if not isinstance(document, dict):
        raise invalid(
            path,
            "le fichier de correspondance doit être un objet « colonne » : « champ »",
            "the mapping file must be an object “column”: “field”",
        )
    allowed = set(ACTIVITY.keys) | set(COLLECTION_KEYS)
    mapping: dict[str, str | None] = {}
    for title, target in document.items():
        if target in (None, "", "ignore", "ignorer"):
            mapping[normalise(str(title))] = None
            continue
        if not isinstance(target, str) or target not in allowed:
            raise invalid(
                path,
                f"champ inconnu « {str(target)[:60]} » pour la colonne « {str(title)[:60]} »",
                f"unknown field “{str(target)[:60]}” for column “{str(title)[:60]}”",
            )
        mapping[normalise(str(title))] = target
    return mapping


# --------------------------------------------------------------------------------------------
# Rows into activities
# --------------------------------------------------------------------------------------------


def _target(title: str, mapping: dict[str, str | None]) -> tuple[bool, str | None]:
    """(known, field) for a column title: from the mapping file first, then the schema."""
    key = normalise(title)
    if key in mapping:
        return True, mapping[key]
    if key in COLUMNS:
        return True, COLUMNS[key]
    stripped = match_key(title)
    for candidate, target in COLUMNS.items():
        if stripped and match_key(candidate) == stripped:
            return True, target
    return False, None


def _header_row(rows: Sequence[Sequence[Any]], mapping: dict[str, str | None]) -> int | None:
    best, best_score = None, 0
    for index, row in enumerate(rows[:20]):
        targets = [_target(str(cell), mapping)[1] for cell in row if isinstance(cell, str)]
        if "name" not in targets:
            continue
        score = sum(1 for target in targets if target)
        if score > best_score:
            best, best_score = index, score
    return best


def _item(entity: Entity, text: str) -> dict[str, Any]:
    """One collection row written in a cell: all fields joined by « | », or just its title."""
    if ITEM_SEPARATOR.strip() in text:
        parts = [part.strip() for part in text.split(ITEM_SEPARATOR.strip())]
        return {spec.key: part or None for spec, part in zip(entity.fields, parts, strict=False)}
    first = entity.fields[0]
    if first.kind == Kind.CHOICE:
        key = resolver(first).resolve(text)
        if key is not None:
            return {first.key: key}
        if entity.title_field != first.key:
            return {entity.title_field: text}
        other = "other" if "other" in _option_keys(first) else None
        if "details" in entity.keys:
            return {first.key: other, "details": text}
    return {entity.title_field: text}


def _option_keys(spec: Field) -> list[str]:
    return [option.key for option in resolver(spec).options]


def _list_items(value: Any) -> list[str]:
    text = as_text(value)
    if not text:
        return []
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    if ITEM_SEPARATOR.strip() in text:
        return [text]
    return split_items(text)


def read_table(
    rows: Sequence[Sequence[Any]],
    path: Path,
    payload: TablePayload,
    mapping: dict[str, str | None],
    where_of: Any,
) -> TablePayload:
    """Activities from a table whose header row names the columns."""
    cleaned = [[clean(cell, payload.repairs) for cell in row] for row in rows]
    header = _header_row(cleaned, mapping)
    if header is None:
        titles = ", ".join(
            f"« {as_text(cell)} »" for cell in (cleaned[0] if cleaned else []) if cell
        )[:200]
        raise invalid(
            path,
            "aucune colonne ne donne le nom du traitement "
            f"(colonnes trouvées : {titles or 'aucune'}) ; utilisez un fichier de correspondance",
            "no column gives the name of the processing "
            f"(columns found: {titles or 'none'}); use a mapping file",
        )
    collect = Collector(payload)
    columns: dict[int, str] = {}
    used: set[str] = set()
    for column, cell in enumerate(cleaned[header]):
        title = as_text(cell)
        if not title:
            continue
        known, target = _target(title, mapping)
        payload.columns[title] = target
        if not known:
            collect.note(
                NOT_UNDERSTOOD,
                "column",
                title,
                where_of(header, column),
                "colonne non reconnue, ignorée (ajoutez-la au fichier de correspondance)",
                "unrecognised column, ignored (add it to the mapping file)",
            )
            continue
        if target is None:
            continue
        if target in used and target not in COLLECTION_KEYS:
            collect.note(
                IGNORE,
                "column",
                title,
                where_of(header, column),
                "colonne en double pour le même champ",
                "second column for the same field",
            )
            continue
        used.add(target)
        columns[column] = target
    for index in range(header + 1, len(cleaned)):
        row = cleaned[index]
        if not any(cell is not None for cell in row):
            continue
        values: dict[str, Any] = {}
        for column, target in columns.items():
            if column >= len(row) or row[column] is None:
                continue
            where = where_of(index, column)
            if target in COLLECTION_KEYS:
                entity = ACTIVITY.collection(target).entity
                for item in _list_items(row[column]):
                    checked = collect.row(entity, _item(entity, item), where)
                    if checked:
                        values.setdefault(target, []).append(checked)
            else:
                value = collect.value(ACTIVITY.field(target), row[column], where)
                if value not in (None, []):
                    values[target] = value
        collect.activity(values, where_of(index, None))
    return payload


def read_csv(data: bytes, path: Path, mapping: dict[str, str | None]) -> TablePayload:
    """Activities of a CSV file."""
    text, encoding = decode(data, path)
    rows, delimiter = parse_rows(text, path)
    payload = TablePayload(format="csv")
    payload.details = {"encoding": encoding, "delimiter": delimiter}

    def where_of(row: int, column: int | None) -> str:
        return f"{path.name}:{row + 1}" if column is None else f"{path.name}:{row + 1}:{column + 1}"

    return read_table(rows, path, payload, mapping, where_of)


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _item_text(entity: Entity, row: dict[str, Any]) -> str:
    parts = []
    for spec in entity.fields:
        value = render_value(spec, row.get(spec.key))
        text = _cell_text(value).replace("\r", " ").replace("\n", " ")
        parts.append(text.replace(ITEM_SEPARATOR.strip(), "/"))
    return ITEM_SEPARATOR.join(parts).rstrip(" |") if any(parts) else ""


def csv_bytes(organisation: dict[str, Any]) -> bytes:
    """The activities of one organisation as a CSV file for French Excel."""
    names = {item["id"]: item["name"] for item in organisation["processors"]}
    names.update({item["id"]: item["name"] for item in organisation["software"]})
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    header = [spec.label_fr for spec in ACTIVITY.fields]
    header += [collection.label("fr") for collection in ACTIVITY.collections]
    writer.writerow(header)
    for activity in organisation["activities"]:
        row = [
            _cell_text(render_value(spec, activity[spec.key], names)) for spec in ACTIVITY.fields
        ]
        for collection in ACTIVITY.collections:
            items = [_item_text(collection.entity, item) for item in activity[collection.key]]
            row.append(_cell_text(join_nonempty(items)))
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")
