"""The complete interchange format: every organisation, processor, software item and activity.

One JSON document, versioned (``format_version``), keyed by the field schema: every field of
every entity appears under its schema key, every record and row under its identifier, so an
export imported into a new register and exported again gives identical data. The JSON Schema
in ``resources/schemas/registre-export.schema.json`` is generated from the field schema by
``json_schema()``; imports are checked by ``read_document()``, which walks the same field
declarations and validates each value with ``services.coerce`` (no second, hand-written list of
fields, and no JSON Schema library to add).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registre import services, todos
from registre.errors import InvalidValue
from registre.interchange.companions import COMPANION_ENTITIES, companion_lists
from registre.interchange.errors import InvalidImportFile, invalid
from registre.interchange.text import options_of
from registre.model import (
    ROW_CLASSES,
    Activity,
    Organisation,
    Processor,
    Software,
    activity_processor,
    activity_software,
)
from registre.schema import ACTIVITY, ORGANISATION, PROCESSOR, SOFTWARE, Entity, Field, Kind
from registre.storage import Register

FORMAT_NAME = "registre"
FORMAT_VERSION = 2  # 2: the companion registers (breaches, rights requests, DPIAs, contracts)
SCHEMA_ID = "https://registre.example/schemas/registre-export.schema.json"
TOP_KEYS = ("format", "format_version", "exported_at", "register_id", "organisations")
CHILD_LISTS: dict[str, Entity] = {
    "processors": PROCESSOR,
    "software": SOFTWARE,
    "activities": ACTIVITY,
    **COMPANION_ENTITIES,
}
_UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


# --------------------------------------------------------------------------------------------
# JSON Schema, generated from the field schema
# --------------------------------------------------------------------------------------------


def _field_schema(spec: Field) -> dict[str, Any]:
    """JSON Schema of one field's value."""
    described: dict[str, Any] = {"title": spec.label_fr, "description": spec.label_en}
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONGTEXT, Kind.EMAIL, Kind.PHONE, Kind.SIREN):
        described["type"] = ["string", "null"]
        if spec.max_length:
            described["maxLength"] = spec.max_length
        if kind == Kind.SIREN:
            described["pattern"] = "^[0-9]{9}$"
        if kind == Kind.EMAIL:
            described["format"] = "email"
    elif kind == Kind.CHOICE:
        described["enum"] = [option.key for option in options_of(spec)] + [None]
    elif kind == Kind.MULTICHOICE:
        described["type"] = "array"
        described["items"] = {"enum": [option.key for option in options_of(spec)]}
        described["uniqueItems"] = True
    elif kind == Kind.BOOL:
        described["type"] = ["boolean", "null"]
    elif kind == Kind.DATE:
        described["type"] = ["string", "null"]
        described["format"] = "date"
    elif kind == Kind.DATETIME:
        described["type"] = ["string", "null"]
        described["format"] = "date-time"
    elif kind == Kind.INTEGER:
        described["type"] = ["integer", "null"]
        described["minimum"] = 0
    elif kind == Kind.REFERENCE:
        described["anyOf"] = [{"$ref": "#/$defs/id"}, {"type": "null"}]
    elif kind == Kind.REFERENCES:
        described["type"] = "array"
        described["items"] = {"$ref": "#/$defs/id"}
        described["uniqueItems"] = True
    return described


def _entity_schema(entity: Entity, lists: Mapping[str, str], required: bool) -> dict[str, Any]:
    """JSON Schema of one record: its id, every field, then its child lists (name → $def)."""
    properties: dict[str, Any] = {"id": {"$ref": "#/$defs/id"}}
    for spec in entity.fields:
        properties[spec.key] = _field_schema(spec)
    for key, definition in lists.items():
        properties[key] = {"type": "array", "items": {"$ref": f"#/$defs/{definition}"}}
    schema: dict[str, Any] = {
        "title": entity.label_fr,
        "description": entity.label_en,
        "type": "object",
        "additionalProperties": False,
        "required": ["id", entity.title_field] if required else ["id"],
        "properties": properties,
    }
    if required:
        title = dict(properties[entity.title_field])
        title["type"] = "string"
        title["minLength"] = 1
        properties[entity.title_field] = title
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the export format, generated from ``registre.schema``."""
    definitions: dict[str, Any] = {"id": {"type": "string", "pattern": _UUID_PATTERN}}
    definitions["organisation"] = _entity_schema(
        ORGANISATION, {key: entity.name for key, entity in CHILD_LISTS.items()}, required=True
    )
    definitions["processor"] = _entity_schema(PROCESSOR, {}, required=True)
    definitions["software"] = _entity_schema(SOFTWARE, {}, required=True)
    definitions["activity"] = _entity_schema(
        ACTIVITY,
        {**{c.key: c.entity.name for c in ACTIVITY.collections}, todos.TODOS_KEY: todos.ENTITY},
        required=True,
    )
    definitions[todos.ENTITY] = _entity_schema(todos.TODO, {}, required=True)
    for collection in ACTIVITY.collections:
        definitions[collection.entity.name] = _entity_schema(collection.entity, {}, required=False)
    for entity in COMPANION_ENTITIES.values():
        definitions[entity.name] = _entity_schema(entity, {}, required=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Registre — export complet du registre des activités de traitement",
        "description": (
            "Complete export of a Registre register (GDPR Art. 30 record of processing "
            "activities). Generated from registre/schema.py; do not edit by hand."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "format_version", "organisations"],
        "properties": {
            "format": {"const": FORMAT_NAME},
            "format_version": {"const": FORMAT_VERSION},
            "exported_at": {"type": "string", "format": "date-time"},
            "register_id": {"type": "string"},
            "organisations": {"type": "array", "items": {"$ref": "#/$defs/organisation"}},
        },
        "$defs": definitions,
    }


def json_schema_text() -> str:
    """``json_schema()`` as the text committed in ``resources/schemas``."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _jsonable(spec: Field, value: Any) -> Any:
    if spec.kind == Kind.MULTICHOICE:
        return list(value or [])
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _python(spec: Field, value: Any) -> Any:
    if spec.kind == Kind.MULTICHOICE:
        return list(value or [])
    return value


def _plain(record: Any, entity: Entity, iso: bool = True) -> dict[str, Any]:
    """An ORM record of ``entity`` as a JSON object: its id then every field."""
    convert = _jsonable if iso else _python
    return {"id": record.id, **{s.key: convert(s, getattr(record, s.key)) for s in entity.fields}}


def _activities(session: Session, organisation_id: str, iso: bool = True) -> list[dict[str, Any]]:
    """Every activity of an organisation with its rows and links, read with plain SELECTs."""
    convert = _jsonable if iso else _python
    table = Activity.__table__
    rows_by_activity: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for collection in ACTIVITY.collections:
        row_table = ROW_CLASSES[collection.key].__table__
        query = (
            select(row_table)
            .join(table, row_table.c.activity_id == table.c.id)
            .where(table.c.organisation_id == organisation_id)
            .order_by(row_table.c.activity_id, row_table.c.position, row_table.c.id)
        )
        specs = collection.entity.fields
        for row in session.execute(query).mappings():
            rows_by_activity[row["activity_id"]][collection.key].append(
                {"id": row["id"], **{s.key: convert(s, row[s.key]) for s in specs}}
            )
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key, link_table, column in (
        ("processors", activity_processor, "processor_id"),
        ("software", activity_software, "software_id"),
    ):
        query = (
            select(link_table.c.activity_id, link_table.c[column])
            .join(table, link_table.c.activity_id == table.c.id)
            .where(table.c.organisation_id == organisation_id)
        )
        for activity_id, target_id in session.execute(query):
            links[activity_id][key].append(target_id)
    documents = []
    query = (
        select(table)
        .where(table.c.organisation_id == organisation_id)
        .order_by(table.c.reference, table.c.name, table.c.id)
    )
    for row in session.execute(query).mappings():
        document: dict[str, Any] = {"id": row["id"]}
        for spec in ACTIVITY.fields:
            if spec.kind == Kind.REFERENCES:
                document[spec.key] = sorted(links[row["id"]][spec.key])
            else:
                document[spec.key] = convert(spec, row[spec.key])
        children = rows_by_activity[row["id"]]
        for collection in ACTIVITY.collections:
            document[collection.key] = children[collection.key]
        documents.append(document)
    return documents


def load_organisations(
    register: Register, organisation_id: str | None = None, *, iso: bool = False
) -> list[dict[str, Any]]:
    """Organisations with their processors, software and activities as plain data.

    Dates are ``datetime.date`` objects, or ISO text when ``iso`` (the JSON form).
    """
    with register.read() as session:
        query = select(Organisation).order_by(Organisation.name, Organisation.id)
        if organisation_id is not None:
            query = query.where(Organisation.id == organisation_id)
        organisations = []
        for organisation in session.scalars(query):
            document = _plain(organisation, ORGANISATION, iso)
            for key, cls in (("processors", Processor), ("software", Software)):
                children = session.scalars(
                    select(cls)
                    .where(cls.organisation_id == organisation.id)
                    .order_by(cls.name, cls.id)
                )
                document[key] = [_plain(child, CHILD_LISTS[key], iso) for child in children]
            document["activities"] = _activities(session, organisation.id, iso)
            document.update(companion_lists(session, organisation.id, iso))
            organisations.append(document)
    return organisations


def export_document(register: Register, organisation_id: str | None = None) -> dict[str, Any]:
    """The whole register (or one organisation) as a JSON-ready document."""
    organisations = load_organisations(register, organisation_id, iso=True)
    with register.read() as session:
        found = todos.rows_of(
            session, [a["id"] for organisation in organisations for a in organisation["activities"]]
        )
    for organisation in organisations:
        for activity in organisation["activities"]:
            activity[todos.TODOS_KEY] = found[activity["id"]]
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": register.context.clock().isoformat(timespec="seconds"),
        "register_id": register.register_id,
        "organisations": organisations,
    }


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def dumps(document: Mapping[str, Any]) -> bytes:
    """The document as UTF-8 JSON, one record per line (readable, diffable and fast)."""
    lines = ["{"]
    for key in TOP_KEYS[:-1]:
        if key in document:
            lines.append(f"{_compact(key)}: {_compact(document[key])},")
    organisations = []
    for organisation in document["organisations"]:
        head = {k: v for k, v in organisation.items() if k not in CHILD_LISTS}
        parts = [_compact(head)[:-1]]
        for key in CHILD_LISTS:
            items = organisation.get(key, [])
            body = ",\n".join(_compact(item) for item in items)
            parts.append(f", {_compact(key)}: [\n{body}\n]" if items else f", {_compact(key)}: []")
        organisations.append("".join(parts) + "}")
    lines.append('"organisations": [')
    lines.append(",\n".join(organisations))
    lines.append("]")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# Import: the document, checked against the field schema
# --------------------------------------------------------------------------------------------


@dataclass
class Record:
    """One record of the file: its id and its values, validated and coerced."""

    id: str
    values: dict[str, Any]
    where: str


@dataclass
class ActivityRecord(Record):
    """An activity of the file with its rows (collection key → rows)."""

    rows: dict[str, list[Record]] = field(default_factory=dict)
    todos: list[dict[str, Any]] | None = None  # None: absent, an existing activity's are kept


@dataclass
class OrganisationRecord(Record):
    """An organisation of the file with everything it owns."""

    processors: list[Record] = field(default_factory=list)
    software: list[Record] = field(default_factory=list)
    activities: list[ActivityRecord] = field(default_factory=list)
    companions: dict[str, list[Record]] = field(default_factory=dict)  # JSON key → records


@dataclass
class JsonPayload:
    """A validated export document, ready to be matched against a register."""

    organisations: list[OrganisationRecord]
    register_id: str | None
    format_version: int


MAX_INTEGER = 1_000_000
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_UUID = re.compile(_UUID_PATTERN.strip("^$"))
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # stands for a to-do's missing times while checking
_LISTS = (Kind.MULTICHOICE, Kind.REFERENCES)
_EDGES = (" ", "\t", "\r", "\n")


_KEYS: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
_CHOICES: dict[int, frozenset[str]] = {}


def _allowed_keys(entity: Entity, children: tuple[str, ...]) -> frozenset[str]:
    """Keys a record of ``entity`` may hold (cached by name: hashing an Entity is slow)."""
    key = (entity.name, children)
    if key not in _KEYS:
        _KEYS[key] = frozenset({"id", *entity.keys, *children})
    return _KEYS[key]


def _choices(spec: Field) -> frozenset[str]:
    """Allowed keys of a choice field (cached by identity: fields are module constants)."""
    if id(spec) not in _CHOICES:
        _CHOICES[id(spec)] = frozenset(option.key for option in options_of(spec))
    return _CHOICES[id(spec)]


def checked(spec: Field, value: Any) -> Any:
    """``services.coerce(spec, value)``, with a fast path for values already in stored form.

    Exports are made of stored values, so most values of an import are returned as they are;
    anything else goes through ``coerce``, which accepts or refuses it with its own message.
    """
    kind = spec.kind
    if value is None:
        return [] if kind in _LISTS else None
    value_type = type(value)
    if kind == Kind.CHOICE:
        if value_type is str and value in _choices(spec):
            return value
    elif kind in (Kind.TEXT, Kind.LONGTEXT):
        if (
            value_type is str
            and value
            and not value.startswith(_EDGES)
            and not value.endswith(_EDGES)
            and (not spec.max_length or len(value) <= spec.max_length)
            and (kind == Kind.LONGTEXT or not ("\n" in value or "\r" in value or "\t" in value))
        ):
            return value
    elif kind in _LISTS and value_type is list:
        if not all(type(item) is str for item in value):
            raise InvalidValue(
                field=spec.label_fr,
                field_en=spec.label_en,
                reason="liste de textes attendue",
                reason_en="list of texts expected",
            )
        if len(set(value)) == len(value) and (
            kind == Kind.REFERENCES or _choices(spec).issuperset(value)
        ):
            return list(value)
    elif kind == Kind.BOOL:
        if value_type is bool:
            return value
    elif kind == Kind.INTEGER and value_type is int:
        if value > MAX_INTEGER:
            raise InvalidValue(
                field=spec.label_fr,
                field_en=spec.label_en,
                reason=f"nombre trop grand (au plus {MAX_INTEGER})",
                reason_en=f"number too large (at most {MAX_INTEGER})",
            )
        if value >= 0:
            return value
    elif kind == Kind.DATE and value_type is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return services.coerce(spec, value)


class _Reader:
    """Walks a parsed document along the field schema, refusing anything unexpected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, set[str]] = defaultdict(set)

    def fail(self, where: str, reason: str, reason_en: str) -> InvalidImportFile:
        return invalid(self.path, f"{where} : {reason}", f"{where}: {reason_en}")

    def identifier(self, value: Any, where: str, table: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, "identifiant manquant", "missing identifier")
        if not _UUID.fullmatch(value):
            raise self.fail(
                where,
                f"identifiant invalide « {value[:40]} »",
                f"invalid identifier “{value[:40]}”",
            )
        seen = self.seen[table]
        if value in seen:
            raise self.fail(
                where, f"identifiant en double « {value} »", f"duplicate identifier “{value}”"
            )
        seen.add(value)
        return value

    def record(
        self, raw: Any, entity: Entity, where: str, children: tuple[str, ...] = ()
    ) -> Record:
        if not isinstance(raw, dict):
            raise self.fail(where, "objet attendu", "object expected")
        allowed = _allowed_keys(entity, children)
        if not allowed.issuperset(raw):
            name = sorted(set(raw) - allowed)[0]
            raise self.fail(
                f"{where}.{name}"[:200],
                f"champ inconnu pour « {entity.label_fr} »",
                f"unknown field for “{entity.label_en}”",
            )
        record_id = self.identifier(raw.get("id"), f"{where}.id", entity.name)
        values: dict[str, Any] = {}
        for spec in entity.fields:
            key = spec.key
            if key not in raw:
                continue
            value = raw[key]
            if value is None:
                values[key] = [] if spec.kind in _LISTS else None
                continue
            try:
                values[key] = checked(spec, value)
            except InvalidValue as exc:
                raise self.fail(
                    f"{where}.{spec.key}", exc.message("fr"), exc.message("en")
                ) from None
        return Record(record_id, values, where)

    def titled(
        self, raw: Any, entity: Entity, where: str, children: tuple[str, ...] = ()
    ) -> Record:
        record = self.record(raw, entity, where, children)
        if not record.values.get(entity.title_field):
            spec = entity.field(entity.title_field)
            raise self.fail(
                f"{where}.{entity.title_field}",
                f"« {spec.label_fr} » est obligatoire",
                f"“{spec.label_en}” is required",
            )
        return record

    def items(self, raw: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = raw.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}", "liste attendue", "list expected")
        return value

    def activity(self, raw: Any, where: str) -> ActivityRecord:
        keys = tuple(c.key for c in ACTIVITY.collections)
        base = self.titled(raw, ACTIVITY, where, (*keys, todos.TODOS_KEY))
        activity = ActivityRecord(base.id, base.values, where)
        if todos.TODOS_KEY in raw:
            activity.todos = self.todos(raw, base.id, where)
        for collection in ACTIVITY.collections:
            if collection.key not in raw:
                continue  # absent: the rows of an existing activity are kept
            rows = []
            for index, row in enumerate(self.items(raw, collection.key, where)):
                rows.append(
                    self.record(row, collection.entity, f"{where}.{collection.key}[{index}]")
                )
            activity.rows[collection.key] = rows
        return activity

    def todos(self, raw: Mapping[str, Any], activity_id: str, where: str) -> list[dict[str, Any]]:
        """The to-dos of an activity, checked (each with its identifier)."""
        items = self.items(raw, todos.TODOS_KEY, where)
        for index, item in enumerate(items):
            place = f"{where}.{todos.TODOS_KEY}[{index}]"
            if not isinstance(item, dict):
                raise self.fail(place, "objet attendu", "object expected")
            self.identifier(item.get("id"), f"{place}.id", todos.ENTITY)
            try:
                todos.new_rows([item], activity_id, actor="", at=_EPOCH, new_id=str)
            except InvalidValue as exc:
                raise self.fail(place, exc.message("fr"), exc.message("en")) from None
        return [dict(item) for item in items]

    def organisation(self, raw: Any, where: str) -> OrganisationRecord:
        base = self.titled(raw, ORGANISATION, where, tuple(CHILD_LISTS))
        organisation = OrganisationRecord(base.id, base.values, where)
        for index, item in enumerate(self.items(raw, "processors", where)):
            organisation.processors.append(
                self.titled(item, PROCESSOR, f"{where}.processors[{index}]")
            )
        for index, item in enumerate(self.items(raw, "software", where)):
            organisation.software.append(self.titled(item, SOFTWARE, f"{where}.software[{index}]"))
        for index, item in enumerate(self.items(raw, "activities", where)):
            organisation.activities.append(self.activity(item, f"{where}.activities[{index}]"))
        for key, entity in COMPANION_ENTITIES.items():
            organisation.companions[key] = [
                self.titled(item, entity, f"{where}.{key}[{index}]")
                for index, item in enumerate(self.items(raw, key, where))
            ]
        return organisation


def parse_json(data: bytes, path: Path) -> Any:
    """The parsed JSON value of ``data``, or InvalidImportFile (malformed, truncated, deep)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid(path, "ce n'est pas du texte UTF-8", "not UTF-8 text") from None
    try:
        document = json.loads(text)
        if _SURROGATE_ESCAPE.search(text):
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        return document
    except UnicodeEncodeError:
        raise invalid(
            path, "texte invalide (caractère Unicode isolé)", "invalid text (lone surrogate)"
        ) from None
    except json.JSONDecodeError as exc:
        raise invalid(
            path,
            f"JSON malformé ou tronqué (ligne {exc.lineno}, colonne {exc.colno})",
            f"malformed or truncated JSON (line {exc.lineno}, column {exc.colno})",
        ) from None
    except (ValueError, RecursionError):
        raise invalid(path, "JSON illisible", "unreadable JSON") from None


def read_document(data: bytes, path: Path) -> JsonPayload:
    """Parse and check a Registre JSON export; every problem is an InvalidImportFile."""
    document = parse_json(data, path)
    reader = _Reader(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise invalid(
            path,
            "ce fichier JSON n'est pas un export de Registre (clé « format » absente)",
            "this JSON file is not a Registre export (no “format” key)",
        )
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise invalid(path, "version de format invalide", "invalid format version")
    if version > FORMAT_VERSION:
        raise invalid(
            path,
            f"export d'une version plus récente de Registre (format {version}, cette version "
            f"lit jusqu'au format {FORMAT_VERSION})",
            f"export from a newer Registre (format {version}; this version reads up to "
            f"format {FORMAT_VERSION})",
        )
    unknown = set(document) - set(TOP_KEYS)
    if unknown:
        name = sorted(unknown)[0][:60]
        raise invalid(path, f"clé inconnue « {name} »", f"unknown key “{name}”")
    organisations = document.get("organisations")
    if not isinstance(organisations, list):
        raise invalid(path, "liste « organisations » absente", "no “organisations” list")
    register_id = document.get("register_id")
    records = [
        reader.organisation(raw, f"organisations[{index}]")
        for index, raw in enumerate(organisations)
    ]
    return JsonPayload(
        organisations=records,
        register_id=register_id if isinstance(register_id, str) else None,
        format_version=version,
    )
