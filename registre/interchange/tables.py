"""Plain tables (CSV, or a workbook not in the CNIL layout): one activity per row.

The header row is the row whose titles name the most register fields. Each column goes to the
field its title designates (``columns.identify_columns``), or to the notes. Per row:

- several columns for one field are joined, each with its title (a one-line field keeps the
  first and notes the others); several columns for one list add their items;
- columns for fields of a list row (« Pays », « Type(s) de Garanties ») make rows together;
- a value that cannot be read (an unknown choice, a date that is not one) goes to the notes;
- « Non applicable », « Sans objet », « - »… are not data; with more text after them
  (« Non concerné (pas de transfert) ») the text is kept in the notes;
- a row without a name is named after its purpose (or « Traitement <référence> »), to review.

Every filled cell is counted in the file's ledger: in a field, in a note, ignored by choice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from registre import services
from registre.errors import InvalidValue
from registre.interchange.columns import IGNORE, NOTE, UNKNOWN, Column, identify_columns
from registre.interchange.errors import invalid
from registre.interchange.ledger import FIELD, IGNORED, PLACEHOLDER, TITLE, Ledger, Tally, note_line
from registre.interchange.ledger import NOTE as NOTED_CELL
from registre.interchange.plan import (
    IGNORE as IGNORE_ENTRY,
)
from registre.interchange.plan import (
    NOT_UNDERSTOOD,
    NOTED,
    IncomingActivity,
    PlanEntry,
    TablePayload,
)
from registre.interchange.text import (
    NO_ITEM,
    NotUnderstood,
    as_text,
    clean,
    parse_bool,
    parse_value,
    placeholder_kind,
    placeholder_rest,
    resolver,
    split_items,
)
from registre.records import name_problem
from registre.schema import ACTIVITY, Entity, Field, Kind
from registre.synonyms import ORGANISATION_PREFIX, target_field

ITEM_SEPARATOR = " | "
HEADER_SEARCH = 30
NAME_FROM_PURPOSE = 80
WhereOf = Callable[[int, int | None], str]

# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def read_value(spec: Field, raw: Any) -> Any:
    """The stored value of ``spec`` for a cleaned cell; NotUnderstood when it cannot be read."""
    parsed = parse_value(spec, raw)
    if spec.kind == Kind.REFERENCES:
        return parsed
    if spec.key == "name" and isinstance(parsed, str) and name_problem(parsed):
        return parsed  # not a cell put aside: the whole file is refused (``check_name``)
    try:
        return services.coerce(spec, parsed)
    except InvalidValue as exc:
        raise NotUnderstood(
            f"{exc.details.get('reason', '')} « {as_text(raw)} »",
            f"{exc.details.get('reason_en', '')} “{as_text(raw)}”",
        ) from None


_ESCAPED = {"\\": "\\", "|": "|", "n": "\n"}


def split_fields(text: str) -> list[str]:
    """The fields of an item written « a | b | c », as our CSV export escapes them (« \\| » is
    a « | » inside a field, « \\n » a line break, « \\\\ » a backslash)."""
    if "\\" not in text:
        return [part.strip(" ") for part in text.split("|")]
    parts: list[str] = []
    current: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        following = text[position + 1 : position + 2]
        if char == "\\" and following in _ESCAPED:
            current.append(_ESCAPED[following])
            position += 2
            continue
        if char == "|":
            parts.append("".join(current).strip(" "))
            current = []
        else:
            current.append(char)
        position += 1
    parts.append("".join(current).strip(" "))
    return parts


def _structured(text: str) -> bool:
    return "|" in text or "\\" in text


def list_items(text: str) -> list[str]:
    """Items of a list cell: one per line; or separated by « ; » when on one line."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    if _structured(text):
        return [text.strip()]
    return split_items(text)


def item_row(entity: Entity, text: str) -> dict[str, Any]:
    """One collection row written in a cell: every field joined by « | », or just its title.

    Raises NotUnderstood when a field of a « | » item cannot be read.
    """
    if _structured(text):
        parts = split_fields(text)
        row: dict[str, Any] = {}
        for spec, part in zip(entity.fields, parts, strict=False):
            if part:
                row[spec.key] = read_value(spec, part)
        return row
    first = entity.fields[0]
    if first.kind == Kind.CHOICE:
        key = resolver(first).resolve(text)
        if key is not None:
            return {first.key: key}
        if entity.title_field != first.key:
            return {entity.title_field: read_value(entity.field(entity.title_field), text)}
        options = [option.key for option in resolver(first).options]
        if "details" in entity.keys:
            return {first.key: "other" if "other" in options else None, "details": text}
    return {entity.title_field: read_value(entity.field(entity.title_field), text)}


def derived_name(values: dict[str, Any], row_label: str) -> tuple[str, str]:
    """A name for an activity that has none, and why it must be reviewed."""
    purpose = str(values.get("main_purpose") or "").strip()
    if purpose:
        first = purpose.split("\n")[0].strip().rstrip(".;:")
        if len(first) > NAME_FROM_PURPOSE:
            first = first[:NAME_FROM_PURPOSE].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        return first, "nom repris de la finalité (la ligne n'avait pas de nom)"
    reference = str(values.get("reference") or "").strip()
    if reference:
        return f"Traitement {reference}", "nom fait de la référence (la ligne n'avait pas de nom)"
    return f"Traitement {row_label}", "nom fait du numéro de ligne (la ligne n'avait pas de nom)"


def name_if_missing(activity: IncomingActivity, row_label: str) -> None:
    """Give a nameless activity a name to review (first line of its notes says so)."""
    if activity.values.get("name"):
        return
    name, reason = derived_name(activity.values, row_label)
    activity.values["name"] = name
    activity.review = reason
    activity.notes.insert(0, note_line("À vérifier", reason))
    activity.carried.add("name")


def check_name(path: Path, text: Any, where: str) -> None:
    """Refuse the file when a name holds a NUL or a bidirectional control character."""
    if isinstance(text, str) and (problem := name_problem(text)):
        raise invalid(
            path,
            f"{where} : nom refusé, il contient un {problem[0]} ; retirez-le puis recommencez",
            f"{where}: name refused, it contains a {problem[1]}; remove it and try again",
        )


# --------------------------------------------------------------------------------------------
# The header
# --------------------------------------------------------------------------------------------


def _titles(row: Sequence[Any], width: int) -> list[str]:
    titles = [as_text(cell) or "" for cell in row]
    return [title.replace("\n", " ").strip() for title in titles] + [""] * (width - len(titles))


def find_header(rows: Sequence[Sequence[Any]], choices: Mapping[str, str | None]) -> int | None:
    """The row (among the first ones) whose titles name the most fields."""
    best, best_score = None, 1
    width = max((len(row) for row in rows[:HEADER_SEARCH]), default=0)
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        if not any(isinstance(cell, str) for cell in row):
            continue
        columns = identify_columns(_titles(row, width), choices)
        score = sum(1 for column in columns if column.title and column.how != UNKNOWN)
        if any(column.target == "name" for column in columns):
            score += 1
        if score > best_score:
            best, best_score = index, score
    return best


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


class TableReader:
    """Reads the rows under a header into activities, notes and the ledger."""

    def __init__(
        self,
        path: Path,
        payload: TablePayload,
        columns: list[Column],
        where_of: WhereOf,
    ) -> None:
        self.path = path
        self.payload = payload
        self.columns = columns
        self.where_of = where_of
        self.ledger: Ledger = payload.ledger
        self.unread: dict[str, list[str]] = {}  # column label → values kept in notes
        self.carried = {
            _carried_key(column.target)
            for column in columns
            if column.target not in (None, NOTE, IGNORE)
        }
        self.free_text = {
            column.index: column.target not in (None, NOTE, IGNORE)
            and self._free_text(str(column.target))
            for column in columns
        }

    def read_row(self, index: int, row: Sequence[Any]) -> IncomingActivity | None:
        """The activity of one data row (None for an empty row)."""
        tally = self.ledger.tally()
        filled = [
            column
            for column in self.columns
            if column.index < len(row) and row[column.index] is not None
        ]
        filled_indexes = {column.index for column in filled}
        if not filled:
            return None
        activity = IncomingActivity({}, self.where_of(index, None))
        self.lines: list[tuple[int, str]] = []
        scalars: dict[str, list[tuple[Column, Any]]] = {}
        lists: dict[str, list[tuple[Column, Any]]] = {}
        parts: dict[str, dict[str, list[tuple[Column, Any]]]] = {}
        no_transfer: list[Column] = []
        activity.carried.update(self.carried)
        for column in self.columns:
            target = column.target
            if column.index not in filled_indexes:
                continue
            value = row[column.index]
            if target == IGNORE or target is None:
                tally.mark(column.index, IGNORED)
                continue
            if target == NOTE:
                self._note(activity, tally, column, value)
                continue
            kind = placeholder_kind(value) if isinstance(value, str) else None
            if kind is not None:
                rest = placeholder_rest(value)
                if self.free_text[column.index]:
                    if not rest:  # a sentence starting « Aucun… » is the field's text
                        tally.mark(column.index, PLACEHOLDER)
                        continue
                else:
                    if kind == NO_ITEM and target.split(".")[0] in ("transfers", "has_transfers"):
                        no_transfer.append(column)
                    if rest:
                        self._note(activity, tally, column, value)
                    else:
                        tally.mark(column.index, PLACEHOLDER)
                    continue
            _entity, spec, collection = target_field(target)
            if target.startswith(ORGANISATION_PREFIX):
                self._organisation(activity, tally, column, target, value)
            elif spec is None:
                lists.setdefault(target, []).append((column, value))
            elif collection is not None:
                parts.setdefault(collection, {}).setdefault(spec.key, []).append((column, value))
            else:
                scalars.setdefault(target, []).append((column, value))
        for key, cells in scalars.items():
            self._scalar(activity, tally, ACTIVITY.field(key), cells)
        for key, cells in lists.items():
            self._list(activity, tally, key, cells)
        for key, fields in parts.items():
            self._parts(activity, tally, key, fields)
        if no_transfer and not activity.values.get("transfers"):
            if "has_transfers" not in activity.values:
                activity.values["has_transfers"] = False
                activity.carried.add("has_transfers")
            for column in no_transfer:
                tally.mark(column.index, FIELD)
        activity.notes = [line for _column, line in sorted(self.lines, key=lambda item: item[0])]
        tally.close(
            [column.index for column in filled],
            lambda column: self.where_of(index, column),
        )
        name_if_missing(activity, str(index + 1))
        check_name(self.path, activity.values.get("name"), activity.where)
        return activity

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _free_text(target: str) -> bool:
        _entity, spec, collection = target_field(target)
        return (
            spec is not None
            and collection is None
            and spec.kind in (Kind.TEXT, Kind.LONGTEXT)
            and not target.startswith(ORGANISATION_PREFIX)
        )

    def _line(self, column: Column, text: str) -> None:
        """A note line, kept in the order of the columns."""
        self.lines.append((column.index, note_line(column.note_title, text)))

    def _note(self, activity: IncomingActivity, tally: Tally, column: Column, value: Any) -> None:
        self._line(column, as_text(value) or "")
        tally.mark(column.index, NOTED_CELL)

    def _unread(self, activity: IncomingActivity, tally: Tally, column: Column, text: str) -> None:
        """A value that does not fit its field: kept in the notes, counted for the report."""
        self._line(column, text)
        tally.mark(column.index, NOTED_CELL)
        examples = self.unread.setdefault(column.label, [])
        examples.append(text)

    def _organisation(
        self, activity: IncomingActivity, tally: Tally, column: Column, target: str, value: Any
    ) -> None:
        _entity, spec, _collection = target_field(target)
        assert spec is not None
        text = as_text(value) or ""
        try:
            stored = read_value(spec, value)
        except NotUnderstood:
            self._unread(activity, tally, column, text)
            return
        if spec.key in activity.organisation:
            self._line(column, text)
            tally.mark(column.index, NOTED_CELL)
            return
        activity.organisation[spec.key] = (stored, column.note_title, 1)
        tally.mark(column.index, FIELD)  # a differing value is moved to the notes when planned

    def _scalar(
        self,
        activity: IncomingActivity,
        tally: Tally,
        spec: Field,
        cells: list[tuple[Column, Any]],
    ) -> None:
        read: list[tuple[Column, Any]] = []
        for column, raw in cells:
            try:
                value = read_value(spec, raw)
            except NotUnderstood:
                self._unread(activity, tally, column, as_text(raw) or "")
                continue
            if value not in (None, []):
                read.append((column, value))
        if not read:
            return
        if spec.kind == Kind.LONGTEXT and len(read) > 1:
            activity.values[spec.key] = "\n".join(
                note_line(column.note_title, str(value)) for column, value in read
            )
            for column, _value in read:
                tally.mark(column.index, FIELD)
            return
        first_column, first = read[0]
        activity.values[spec.key] = first
        tally.mark(first_column.index, FIELD)
        for column, value in read[1:]:
            if value == first:
                tally.mark(column.index, FIELD)
            else:
                self._line(column, as_text(value) or "")
                tally.mark(column.index, NOTED_CELL)

    def _list(
        self,
        activity: IncomingActivity,
        tally: Tally,
        key: str,
        cells: list[tuple[Column, Any]],
    ) -> None:
        entity = ACTIVITY.collection(key).entity
        for column, raw in cells:
            text = as_text(raw) or ""
            if key == "transfers" and _yes_no(text) is not None:
                activity.values.setdefault("has_transfers", _yes_no(text))
                activity.carried.add("has_transfers")
                tally.mark(column.index, FIELD)
                continue
            if _yes_no(text) is False:
                tally.mark(column.index, PLACEHOLDER)
                continue
            for item in list_items(text):
                kind = placeholder_kind(item)
                if kind is not None:
                    rest = placeholder_rest(item)
                    if rest:
                        self._unread(activity, tally, column, item)
                    else:
                        tally.mark(column.index, PLACEHOLDER)
                    continue
                try:
                    row = item_row(entity, item)
                except NotUnderstood:
                    self._unread(activity, tally, column, item)
                    continue
                if any(value not in (None, "", []) for value in row.values()):
                    activity.values.setdefault(key, []).append(row)
                    tally.mark(column.index, FIELD)

    def _parts(
        self,
        activity: IncomingActivity,
        tally: Tally,
        key: str,
        fields: dict[str, list[tuple[Column, Any]]],
    ) -> None:
        """Rows of ``key`` made from the columns of its fields, item by item."""
        entity = ACTIVITY.collection(key).entity
        columns_items: list[tuple[Field, Column, list[str]]] = []
        for field_key, cells in fields.items():
            spec = entity.field(field_key)
            for column, raw in cells:
                text = as_text(raw) or ""
                items = [text] if spec.kind == Kind.LONGTEXT else list_items(text)
                columns_items.append((spec, column, items))
        count = max(len(items) for _spec, _column, items in columns_items)
        rows: list[dict[str, Any]] = [{} for _ in range(count)]
        for spec, column, items in columns_items:
            for position in range(count):
                if len(items) == 1:
                    item = items[0]  # one value for every row (« États-Unis » for two)
                elif position < len(items):
                    item = items[position]
                else:
                    continue
                if placeholder_kind(item) is not None:
                    if placeholder_rest(item):
                        self._unread(activity, tally, column, item)
                    else:
                        tally.mark(column.index, PLACEHOLDER)
                    continue
                try:
                    value = read_value(spec, item)
                except NotUnderstood:
                    if position == 0 or len(items) > 1:
                        self._unread(activity, tally, column, item)
                    continue
                if spec.key in rows[position] and rows[position][spec.key] != value:
                    self._line(column, item)
                    tally.mark(column.index, NOTED_CELL)
                    continue
                rows[position][spec.key] = value
                tally.mark(column.index, FIELD)
        kept = [row for row in rows if row]
        if kept:
            activity.values.setdefault(key, []).extend(kept)
            if key == "transfers":
                activity.values.setdefault("has_transfers", True)


def _carried_key(target: str) -> str:
    if target.startswith(ORGANISATION_PREFIX):
        return target
    return target.split(".", maxsplit=1)[0]


def _yes_no(text: str) -> bool | None:
    try:
        return parse_bool(text)
    except ValueError:
        return None


def read_table(
    rows: Sequence[Sequence[Any]],
    path: Path,
    payload: TablePayload,
    choices: Mapping[str, str | None],
    where_of: WhereOf,
) -> TablePayload:
    """Activities from a table whose header row names the columns."""
    cleaned = [[clean(cell, payload.repairs) for cell in row] for row in rows]
    header = find_header(cleaned, choices)
    if header is None:
        first = next((row for row in cleaned if any(cell is not None for cell in row)), [])
        titles = ", ".join(f"« {as_text(cell)} »" for cell in first if cell is not None)[:200]
        raise invalid(
            path,
            "aucune ligne d'en-tête ne nomme des champs du registre "
            f"(première ligne : {titles or 'vide'}) ; choisissez le champ de chaque colonne "
            "dans l'aperçu de l'import ou avec un fichier de correspondance",
            "no header row names register fields "
            f"(first line: {titles or 'empty'}); choose the field of each column in the "
            "import preview or with a mapping file",
        )
    width = max(len(row) for row in cleaned)
    columns = identify_columns(_titles(cleaned[header], width), choices)
    payload.column_list = columns
    payload.columns = {column.label: column.target for column in columns if column.title}
    payload.ledger = Ledger(path.name)
    for index in range(header):
        texts = [as_text(cell) for cell in cleaned[index] if cell is not None]
        if texts:
            payload.ledger.add(TITLE, len(texts))
            payload.entries.append(
                PlanEntry(
                    IGNORE_ENTRY,
                    "row",
                    " ; ".join(text for text in texts if text)[:120],
                    where_of(index, None),
                    "ligne au-dessus des titres des colonnes, non reprise",
                    "line above the column titles, not imported",
                )
            )
    for column in columns:
        if column.how == UNKNOWN and column.title:
            payload.entries.append(
                PlanEntry(
                    NOTED,
                    "column",
                    column.label,
                    where_of(header, column.index),
                    "colonne sans champ correspondant : ses valeurs sont gardées en note",
                    "column without a matching field: its values are kept as notes",
                )
            )
        elif column.target == IGNORE and column.title:
            payload.entries.append(
                PlanEntry(
                    IGNORE_ENTRY,
                    "column",
                    column.label,
                    where_of(header, column.index),
                    "colonne ignorée à votre demande",
                    "column ignored as you chose",
                )
            )
    reader = TableReader(path, payload, columns, where_of)
    header_row = cleaned[header]
    for index in range(header + 1, len(cleaned)):
        row = cleaned[index]
        if list(row[: len(header_row)]) == list(header_row):
            continue  # the titles repeated (page headers of an older tool's export)
        activity = reader.read_row(index, row)
        if activity is not None:
            payload.activities.append(activity)
    for label, values in reader.unread.items():
        examples = " ; ".join(f"« {value[:40]} »" for value in values[:3])
        payload.entries.append(
            PlanEntry(
                NOT_UNDERSTOOD,
                "column",
                label,
                "",
                f"{len(values)} valeur(s) non reconnue(s), gardée(s) en note : {examples}",
                f"{len(values)} value(s) not recognised, kept as notes: {examples}",
            )
        )
    return payload
