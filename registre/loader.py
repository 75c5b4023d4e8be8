"""One reader of a register's content as plain records, for the checker and the exports.

``load_register`` reads organisations with their activities (each with its rows under each
collection key, in order, and the processor and software records it uses), processors and
software as plain dicts keyed by the schema's keys, with driver-level SQL on the session's
connection: 10,000 activities and their rows are read in a fraction of a second, where building
them as ORM objects takes seconds. Values are typed as the schema says (dates as ``date``,
yes/no as ``bool``, several choices as a list).

``read_register`` does it in one read session of a ``Register``. An export reads once and hands
the same records to the checker (``registre.checker.check_organisations``) and to its renderer;
consumers only read the records, never change them.

Shape of one organisation::

    {"id", <organisation fields>,
     "activities": [{"id", "organisation_id", <activity fields>,
                     <collection key>: [{"id", "activity_id", <row fields>}, …],
                     "processors": [<processor record>, …], "software": [<software record>, …]}],
     "processors": [{"id", "organisation_id", <processor fields>,
                     "contracts": [<contract record>, …]}, …],
     "software": [{"id", "organisation_id", <software fields>}, …],
     <companion key>: [{"id", "organisation_id", <fields>}, …]}

The companion registers are under their JSON keys (``breaches``, ``rights_requests``, ``dpias``,
``contracts``), references as lists of identifiers; an activity also holds the impact
assessments that cover it under ``dpia_records``, a processor its contracts under ``contracts``.

Organisations are ordered by name, activities by reference then name, processors and software
by name, rows by position.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from registre.errors import RecordNotFound
from registre.model import (
    COMPANION_LINKS,
    ENTITY_CLASSES,
    ROW_CLASSES,
    Activity,
    Organisation,
    Processor,
    Software,
    activity_processor,
    activity_software,
)
from registre.schema import (
    ACTIVITY,
    COMPANION_KEYS,
    ENTITIES,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Entity,
    Kind,
)

if TYPE_CHECKING:
    from registre.storage import Register

Record = dict[str, Any]


def _to_bool(value: Any) -> bool:
    return bool(value)


def _to_list(value: Any) -> list[Any]:
    if value == "[]":
        return []  # most choice lists are empty: no need to parse them
    loaded = json.loads(value) if isinstance(value, str) else value
    return list(loaded or [])


def _to_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _to_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


# SQLite returns dates and lists as text; PostgreSQL (team register) as Python values.
_CONVERTERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.BOOL: _to_bool,
    Kind.DATE: _to_date,
    Kind.DATETIME: _to_datetime,
    Kind.MULTICHOICE: _to_list,
}


def _rows(session: Session, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """Every row of ``sql``, fetched at once by the driver on the session's connection."""
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":  # psycopg (team register): %s placeholders
        sql = sql.replace("?", "%s")
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


@dataclass(frozen=True)
class _Table:
    """How to read one table as plain dicts: columns in schema order and value converters."""

    name: str
    keys: tuple[str, ...]
    converters: tuple[tuple[str, Callable[[Any], Any]], ...]

    @classmethod
    def of(cls, table: str, entity: Entity, *technical: str) -> _Table:
        fields = [f for f in entity.fields if f.kind != Kind.REFERENCES]
        return cls(
            table,
            (*technical, *(f.key for f in fields)),
            tuple((f.key, _CONVERTERS[f.kind]) for f in fields if f.kind in _CONVERTERS),
        )

    def read(
        self, session: Session, where: str = "", params: tuple[Any, ...] = (), order: str = ""
    ) -> list[Record]:
        # Identifiers come from the schema, never from users; values are bound parameters.
        sql = f"SELECT {', '.join(self.keys)} FROM {self.name}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        keys = self.keys
        records = [dict(zip(keys, row)) for row in _rows(session, sql, params)]  # noqa: B905
        for key, convert in self.converters:  # column by column: one loop per converted key
            for record in records:
                value = record[key]
                if value is not None:
                    record[key] = convert(value)
        return records


@cache
def _tables() -> dict[str, _Table]:
    tables = {
        "organisation": _Table.of(Organisation.__tablename__, ORGANISATION, "id"),
        "processor": _Table.of(Processor.__tablename__, PROCESSOR, "id", "organisation_id"),
        "software": _Table.of(Software.__tablename__, SOFTWARE, "id", "organisation_id"),
        "activity": _Table.of(Activity.__tablename__, ACTIVITY, "id", "organisation_id"),
    }
    for key, cls in ROW_CLASSES.items():
        tables[key] = _Table.of(
            cls.__tablename__, ACTIVITY.collection(key).entity, "id", "activity_id"
        )
    for name in COMPANION_KEYS:
        tables[name] = _Table.of(name, ENTITIES[name], "id", "organisation_id")
    return tables


def load_register(session: Session, organisation_id: str | None = None) -> list[Record]:
    """Organisations (by name) with their activities, processors and software, as plain dicts.

    An activity holds its rows under each collection key (in their order) and the processor and
    software records it uses under ``processors`` and ``software`` (by name). Rows are read
    without the ORM: building 100,000 ORM objects would take seconds.
    """
    tables = _tables()
    only = (organisation_id,) if organisation_id else ()
    organisations = tables["organisation"].read(
        session, "id = ?" if only else "", only, order="name, id"
    )
    if organisation_id and not organisations:
        raise RecordNotFound(entity=ORGANISATION.label_fr, id=organisation_id)
    by_id = {org["id"]: org for org in organisations}
    for org in organisations:
        org["activities"], org["processors"], org["software"] = [], [], []
    owned = "organisation_id = ?" if only else ""

    linked: dict[str, dict[str, Record]] = {"processors": {}, "software": {}}
    for table, key in (("processor", "processors"), ("software", "software")):
        for record in tables[table].read(session, owned, only, order="name, id"):
            linked[key][record["id"]] = record
            by_id[record["organisation_id"]][key].append(record)

    activities: dict[str, Record] = {}
    collections = tuple(ROW_CLASSES)
    for record in tables["activity"].read(session, owned, only, order="reference, name, id"):
        for key in collections:
            record[key] = []
        record["processors"], record["software"] = [], []
        activities[record["id"]] = record
        by_id[record["organisation_id"]]["activities"].append(record)

    in_scope = "activity_id IN (SELECT id FROM activity WHERE organisation_id = ?)" if only else ""
    owner_of = activities.get
    for key in collections:
        rows = tables[key].read(session, in_scope, only, order="position")
        for row in rows:
            owner = owner_of(row["activity_id"])
            if owner is not None:
                owner[key].append(row)
    for link, key, column in (
        (activity_processor, "processors", "processor_id"),
        (activity_software, "software", "software_id"),
    ):
        sql = f"SELECT activity_id, {column} FROM {link.name}"
        if in_scope:
            sql += f" WHERE {in_scope}"
        records = linked[key]
        for activity_id, linked_id in _rows(session, sql, only):
            owner = activities.get(activity_id)
            if owner is not None and linked_id in records:
                owner[key].append(records[linked_id])
    _load_open_todos(session, activities, in_scope, only)
    _load_companions(session, tables, by_id, only, activities, linked["processors"])
    for record in activities.values():
        if len(record["processors"]) > 1:
            record["processors"].sort(key=_by_name)
        if len(record["software"]) > 1:
            record["software"].sort(key=_by_name)
    return organisations


def _load_open_todos(
    session: Session, activities: dict[str, Record], in_scope: str, only: tuple[str, ...]
) -> None:
    """Each activity's open to-dos for the DPO (their texts) under ``open_todos``."""
    for record in activities.values():
        record["open_todos"] = []
    sql = "SELECT activity_id, text FROM todo WHERE state = 'open'"
    if in_scope:
        sql += f" AND {in_scope}"
    for activity_id, text in _rows(session, sql + " ORDER BY activity_id, position", only):
        owner = activities.get(activity_id)
        if owner is not None:
            owner["open_todos"].append(text)


def _load_companions(
    session: Session,
    tables: dict[str, _Table],
    organisations: dict[str, Record],
    only: tuple[str, ...],
    activities: dict[str, Record],
    processors: dict[str, Record],
) -> None:
    """Read the companion registers into their organisations (references as identifiers)."""
    owned = "organisation_id = ?" if only else ""
    for org in organisations.values():
        for key in COMPANION_KEYS.values():
            org[key] = []
    for activity in activities.values():
        activity["dpia_records"] = []
    for processor in processors.values():
        processor["contracts"] = []
    for name, key in COMPANION_KEYS.items():
        entity = ENTITIES[name]
        order = f"{entity.title_field}, id"
        records = {r["id"]: r for r in tables[name].read(session, owned, only, order=order)}
        for spec in entity.fields:
            if spec.kind != Kind.REFERENCES:
                continue
            for record in records.values():
                record[spec.key] = []
            link = COMPANION_LINKS[(name, spec.key)]
            sql = f"SELECT {name}_id, {spec.target}_id FROM {link.name}"
            table = ENTITY_CLASSES[name].__tablename__
            if only:
                sql += f" WHERE {name}_id IN (SELECT id FROM {table} WHERE organisation_id = ?)"
            for record_id, target_id in _rows(session, sql, only):
                if record_id in records:
                    records[record_id][spec.key].append(target_id)
        for record in records.values():
            for spec in entity.fields:
                if spec.kind == Kind.REFERENCES:
                    record[spec.key].sort()
            organisations[record["organisation_id"]][key].append(record)
            if name == "dpia":
                for activity_id in record["activities"]:
                    if activity_id in activities:
                        activities[activity_id]["dpia_records"].append(record)
            elif name == "contract" and record["processor_id"] in processors:
                processors[record["processor_id"]]["contracts"].append(record)


def _by_name(record: Record) -> str:
    return str(record["name"])


def read_register(register: Register, organisation_id: str | None = None) -> list[Record]:
    """``load_register`` in one read session of ``register`` (RecordNotFound: unknown id)."""
    with collector_paused(), register.read() as session:
        return load_register(session, organisation_id)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic dicts.

    Loading 10,000 activities creates some 100,000 dicts; the collector would otherwise scan
    them again and again (about a quarter of the loading time). Reference counting still frees
    everything; the previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
