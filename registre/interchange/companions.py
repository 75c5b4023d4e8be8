"""The companion registers in the JSON interchange format.

Each organisation of an export carries ``breaches``, ``rights_requests``, ``dpias`` and
``contracts``: one object per record, its id then every field of the field schema under its key,
references as sorted lists of identifiers, moments (``Kind.DATETIME``) as ISO 8601 text in UTC.
An import matches them by identifier like the other records: created when absent, updated when
different; references must name records of the same organisation (in the register or the file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registre import services
from registre.model import COMPANION_LINKS, ENTITY_CLASSES, Activity, Processor, Software
from registre.schema import COMPANION_KEYS, COMPANION_REGISTERS, ENTITIES, Entity, Field, Kind

COMPANION_ENTITIES: dict[str, Entity] = {
    COMPANION_KEYS[name]: ENTITIES[name] for name in COMPANION_REGISTERS
}
"""JSON key → entity of every companion register, in export order."""

_TARGETS: dict[str, Any] = {"activity": Activity, "software": Software, "processor": Processor}


def json_value(spec: Field, value: Any, iso: bool) -> Any:
    """A stored value as written in an export (``iso``) or as plain Python data."""
    if spec.kind in (Kind.MULTICHOICE, Kind.REFERENCES):
        return list(value or [])
    if not iso or value is None:
        return value
    if spec.kind == Kind.DATETIME:
        return value.replace(tzinfo=dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def companion_lists(
    session: Session, organisation_id: str, iso: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """The companion records of an organisation, by JSON key, each list in a stable order."""
    lists: dict[str, list[dict[str, Any]]] = {}
    for key, entity in COMPANION_ENTITIES.items():
        cls: Any = ENTITY_CLASSES[entity.name]
        links = _links(session, entity, organisation_id)
        query = (
            select(cls)
            .where(cls.organisation_id == organisation_id)
            .order_by(getattr(cls, entity.title_field), cls.id)
        )
        documents = []
        for record in session.scalars(query):
            document: dict[str, Any] = {"id": record.id}
            for spec in entity.fields:
                if spec.kind == Kind.REFERENCES:
                    value: Any = sorted(links.get((spec.key, record.id), []))
                else:
                    value = getattr(record, spec.key)
                document[spec.key] = json_value(spec, value, iso)
            documents.append(document)
        lists[key] = documents
    return lists


def _links(
    session: Session, entity: Entity, organisation_id: str
) -> dict[tuple[str, str], list[str]]:
    """(field key, record id) → referenced ids, for every reference list of ``entity``."""
    cls: Any = ENTITY_CLASSES[entity.name]
    found: dict[tuple[str, str], list[str]] = {}
    for spec in entity.fields:
        if spec.kind != Kind.REFERENCES:
            continue
        table = COMPANION_LINKS[(entity.name, spec.key)]
        owner, target = table.c[f"{entity.name}_id"], table.c[f"{spec.target}_id"]
        query = select(owner, target).join(cls, cls.id == owner)
        query = query.where(cls.organisation_id == organisation_id)
        for record_id, target_id in session.execute(query):
            found.setdefault((spec.key, record_id), []).append(target_id)
    return found


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


@dataclass
class CompanionChange:
    """One companion record of an import: created (``changes`` empty) or updated."""

    organisation_id: str
    entity: Entity
    id: str
    values: dict[str, Any]
    exists: bool
    changes: dict[str, tuple[Any, Any]]


def stored_values(record: Any, entity: Entity) -> dict[str, Any]:
    """The values of an ORM companion record, references as identifiers."""
    values = {}
    for spec in entity.fields:
        value = getattr(record, spec.key)
        if spec.kind == Kind.REFERENCES:
            value = sorted(item.id for item in value)
        elif spec.kind == Kind.MULTICHOICE:
            value = list(value or [])
        values[spec.key] = value
    return values


def resolve_companions(
    session: Session,
    organisation_id: str,
    records: Mapping[str, Iterable[Any]],
    allowed: Mapping[str, set[str]],
    fail: Callable[[str, str, str], Exception],
) -> list[CompanionChange]:
    """Match the companion records of one organisation of a file against the register.

    ``records`` maps each JSON key to the file's records (``json_format.Record``); ``allowed``
    maps a target entity (activity, software, processor) to the identifiers references may
    use. ``fail(where, reason_fr, reason_en)`` builds the error refusing the file.
    """
    resolved: list[CompanionChange] = []
    for key, entity in COMPANION_ENTITIES.items():
        cls: Any = ENTITY_CLASSES[entity.name]
        for item in records.get(key, []):
            for spec in entity.fields:
                if spec.kind not in (Kind.REFERENCE, Kind.REFERENCES):
                    continue
                value = item.values.get(spec.key)
                targets = value if spec.kind == Kind.REFERENCES else [value] * (value is not None)
                for target in targets:
                    if target not in allowed[spec.target]:
                        raise fail(
                            f"{item.where}.{spec.key}",
                            f"élément introuvable « {target} »",
                            f"record not found “{target}”",
                        )
            existing = session.get(cls, item.id)
            if existing is None:
                resolved.append(
                    CompanionChange(organisation_id, entity, item.id, item.values, False, {})
                )
                continue
            if existing.organisation_id != organisation_id:
                raise fail(
                    item.where,
                    "cet identifiant appartient à un autre organisme du registre",
                    "this identifier belongs to another organisation of the register",
                )
            old = stored_values(existing, entity)
            changes = {}
            for field_key, new in item.values.items():
                spec = entity.field(field_key)
                compared = sorted(new) if spec.kind == Kind.REFERENCES else new
                if old[field_key] != compared:
                    changes[field_key] = (old[field_key], new)
            resolved.append(
                CompanionChange(organisation_id, entity, item.id, item.values, True, changes)
            )
    return resolved


def allowed_targets(
    session: Session, organisation_id: str, in_file: Mapping[str, Iterable[str]]
) -> dict[str, set[str]]:
    """Identifiers a companion record of the organisation may refer to, by target entity:
    those of the register's records of the organisation and those of the file."""
    allowed: dict[str, set[str]] = {}
    for name, cls in _TARGETS.items():
        owned = set(session.scalars(select(cls.id).where(cls.organisation_id == organisation_id)))
        allowed[name] = owned | set(in_file.get(name, ()))
    return allowed


def apply_companions(
    session: Session, resolved: Iterable[CompanionChange]
) -> list[tuple[services.Change, str]]:
    """Create or update the resolved companion records; returns the changes to audit."""
    recorded: list[tuple[services.Change, str]] = []
    for item in resolved:
        if item.exists and not item.changes:
            continue
        cls: Any = ENTITY_CLASSES[item.entity.name]
        if item.exists:
            record = session.get(cls, item.id)
            values = {key: new for key, (_old, new) in item.changes.items()}
        else:
            record = cls(id=item.id, organisation_id=item.organisation_id)
            session.add(record)
            values = item.values
        for key, value in values.items():
            spec = item.entity.field(key)
            if spec.kind == Kind.REFERENCES:
                target = _TARGETS[spec.target]
                setattr(record, key, [session.get(target, ref) for ref in value])
            else:
                setattr(record, key, value)
        if item.exists:
            change = services.Change("updated", item.entity.name, item.id, item.changes)
        else:
            created = {k: (None, v) for k, v in item.values.items() if v not in (None, [])}
            change = services.Change("created", item.entity.name, item.id, created)
        recorded.append((change, item.organisation_id))
    session.flush()
    return recorded
