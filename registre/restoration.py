"""Snapshots of records and their restoration: the undo of a deletion, the redo of a creation.

``record_snapshot`` keeps everything a record owns (rows, references, the companion records
that refer to it); ``restore_record`` puts it back in one transaction with one audit entry.
Also reachable as ``registre.services.<name>`` (``registre.undo`` uses them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registre import todos
from registre.audit import AuditTrail
from registre.errors import EXIT_USAGE, RegistreError
from registre.model import (
    COMPANION_LINKS,
    ENTITY_CLASSES,
    ROW_CLASSES,
    Activity,
    Organisation,
    Software,
)
from registre.queries import load_activities
from registre.records import (
    TODAY,
    Change,
    UpdatedOn,
    apply_values,
    field_snapshot,
    get_record,
    record_change,
    touch_activity,
    unknown_field,
)
from registre.schema import (
    ACTIVITY,
    COMPANION_KEYS,
    COMPANION_REGISTERS,
    ENTITIES,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Entity,
    Kind,
)
from registre.storage import (
    Register,
)

# --------------------------------------------------------------------------------------------
# Snapshots and restoration (undo of a deletion, redo of a creation: ``registre.undo``)
# --------------------------------------------------------------------------------------------

ROW_COLLECTIONS: dict[str, str] = {c.entity.name: c.key for c in ACTIVITY.collections}
"""Collection key of each row entity (``"data_category"`` → ``"data_categories"``)."""


class RecordExists(RegistreError):
    """A record cannot be restored: its identifier is already in use."""

    exit_code = EXIT_USAGE
    text_fr = "L'élément « {entity} » d'identifiant {id} existe déjà."
    text_en = "“{entity_en}” with identifier {id} already exists."
    hint_fr = "Il a sans doute déjà été rétabli."
    hint_en = "It has probably been restored already."


def record_snapshot(register: Register, entity: str, record_id: str) -> dict[str, Any]:
    """Everything needed to re-create a record as it is now, with ``restore_record``.

    ``entity`` is an entity name of the schema (``"activity"``, ``"processor"``…) or a row
    entity (``"data_category"``…). The snapshot is plain data: its ``values`` (schema keys), its
    owner (``organisation_id`` or ``activity_id`` and ``position``), the rows of an activity, the
    activities and software linked to a processor or software item, and for an organisation
    the snapshots of everything it owns.
    """
    with register.read() as session:
        if entity in ROW_COLLECTIONS:
            return _row_snapshot(session, entity, record_id)
        if entity not in ENTITY_CLASSES:
            raise unknown_field(ACTIVITY, entity)
        if entity == ACTIVITY.name:
            activity = get_record(session, Activity, record_id, ACTIVITY.label_fr)
            return {
                **_activity_snapshot(activity),
                "referrers": _referrers(session, entity, record_id),
                todos.TODOS_KEY: todos.rows_of(session, [record_id])[record_id],
            }
        if entity == ORGANISATION.name:
            return _organisation_snapshot(session, record_id)
        if entity in COMPANION_REGISTERS:
            return _companion_snapshot(session, entity, record_id)
        snapshot = _inventory_snapshot(session, entity, record_id)
        snapshot["referrers"] = _referrers(session, entity, record_id)
        return snapshot


def _row_snapshot(session: Session, entity: str, row_id: str) -> dict[str, Any]:
    collection = ROW_COLLECTIONS[entity]
    spec = ACTIVITY.collection(collection).entity
    row = get_record(session, ROW_CLASSES[collection], row_id, spec.label_fr)
    return {
        "entity": entity,
        "id": row.id,
        "collection": collection,
        "activity_id": row.activity_id,
        "position": row.position,
        "values": field_snapshot(row, spec),
    }


def _activity_snapshot(activity: Activity) -> dict[str, Any]:
    return {
        "entity": ACTIVITY.name,
        "id": activity.id,
        "organisation_id": activity.organisation_id,
        "values": field_snapshot(activity, ACTIVITY),
        "rows": {
            c.key: [
                {"id": row.id, "position": row.position, "values": field_snapshot(row, c.entity)}
                for row in getattr(activity, c.key)
            ]
            for c in ACTIVITY.collections
        },
    }


def _inventory_snapshot(session: Session, entity: str, record_id: str) -> dict[str, Any]:
    spec = ENTITIES[entity]
    record: Any = get_record(session, ENTITY_CLASSES[entity], record_id, spec.label_fr)
    snapshot: dict[str, Any] = {
        "entity": entity,
        "id": record.id,
        "organisation_id": record.organisation_id,
        "values": field_snapshot(record, spec),
        "activities": [activity.id for activity in record.activities],
    }
    if entity == PROCESSOR.name:
        snapshot["software"] = list(
            session.scalars(select(Software.id).where(Software.processor_id == record.id))
        )
    return snapshot


def _organisation_snapshot(session: Session, organisation_id: str) -> dict[str, Any]:
    organisation = get_record(session, Organisation, organisation_id, ORGANISATION.label_fr)
    return {
        "entity": ORGANISATION.name,
        "id": organisation.id,
        "values": field_snapshot(organisation, ORGANISATION),
        "processors": [
            _inventory_snapshot(session, PROCESSOR.name, p.id) for p in organisation.processors
        ],
        "software": [
            _inventory_snapshot(session, SOFTWARE.name, s.id) for s in organisation.software
        ],
        "activities": [_activity_snapshot(a) for a in load_activities(session, organisation_id)],
        "companions": [
            _companion_snapshot(session, entity, record.id)
            for entity in COMPANION_REGISTERS
            for record in getattr(organisation, COMPANION_KEYS[entity])
        ],
    }


def _companion_snapshot(session: Session, entity: str, record_id: str) -> dict[str, Any]:
    spec = ENTITIES[entity]
    record: Any = get_record(session, ENTITY_CLASSES[entity], record_id, spec.label_fr)
    return {
        "entity": entity,
        "id": record.id,
        "organisation_id": record.organisation_id,
        "values": field_snapshot(record, spec),
    }


def _referrers(session: Session, entity: str, record_id: str) -> list[dict[str, str]]:
    """The companion records that refer to the record ``entity``/``record_id`` (a breach
    naming an activity, a contract naming a processor…), so a restoration links them back."""
    found: list[dict[str, str]] = []
    for (owner, key), table in COMPANION_LINKS.items():
        if ENTITIES[owner].field(key).target != entity:
            continue
        query = select(table.c[f"{owner}_id"]).where(table.c[f"{entity}_id"] == record_id)
        found += [{"entity": owner, "id": i, "key": key} for i in session.scalars(query)]
    for owner in COMPANION_REGISTERS:
        cls: Any = ENTITY_CLASSES[owner]
        for spec in ENTITIES[owner].fields:
            if spec.kind == Kind.REFERENCE and spec.target == entity:
                query = select(cls.id).where(getattr(cls, spec.key) == record_id)
                found += [
                    {"entity": owner, "id": i, "key": spec.key} for i in session.scalars(query)
                ]
    return found


def _restore_referrers(session: Session, record: Any, snapshot: Mapping[str, Any]) -> None:
    """Link the companion records that referred to a re-created record back to it."""
    for referrer in snapshot.get("referrers", []):
        owner: Any = session.get(ENTITY_CLASSES[referrer["entity"]], referrer["id"])
        if owner is None or owner.organisation_id != record.organisation_id:
            continue
        key = referrer["key"]
        if ENTITIES[referrer["entity"]].field(key).kind == Kind.REFERENCES:
            if record not in getattr(owner, key):
                getattr(owner, key).append(record)
        else:
            setattr(owner, key, record.id)


def restore_record(
    register: Register, snapshot: Mapping[str, Any], *, activity_updated_on: UpdatedOn = TODAY
) -> Change:
    """Re-create a record from its ``record_snapshot``, with the same identifier.

    One transaction; one « created » audit entry per record re-created. Links to records that
    no longer exist are left out. RecordExists when the identifier is already in use. A row
    re-created sets its activity's « Dernière mise à jour » to ``activity_updated_on``.
    """
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        if str(snapshot["entity"]) in ROW_COLLECTIONS:
            return _restore_row(session, register, trail, snapshot, activity_updated_on)
        return _restore(session, register, trail, snapshot)


def _restore(
    session: Session, register: Register, trail: AuditTrail, snapshot: Mapping[str, Any]
) -> Change:
    entity = str(snapshot["entity"])
    record_id = str(snapshot["id"])
    spec = ENTITIES[entity]
    cls: Any = ENTITY_CLASSES[entity]
    _refuse_existing(session, cls, spec, record_id)
    record: Any = cls(id=record_id)
    organisation_id: str = snapshot.get("organisation_id") or record_id
    if entity != ORGANISATION.name:
        get_record(session, Organisation, organisation_id, ORGANISATION.label_fr)
        record.organisation_id = organisation_id
    values = _existing_references(session, spec, snapshot["values"], organisation_id)
    with session.no_autoflush:  # the record is incomplete until every value is set
        session.add(record)
        changed = apply_values(session, record, spec, values, organisation_id)
        if entity == ACTIVITY.name:
            changed.update(_restore_rows(session, record, snapshot, organisation_id))
    session.flush()
    if entity == ACTIVITY.name:
        changed.update(todos.restore_rows(session, record_id, snapshot.get(todos.TODOS_KEY)))
    change = Change("created", entity, record_id, changed)
    record_change(trail, register, change, organisation_id)
    if entity in (PROCESSOR.name, SOFTWARE.name):
        _restore_links(session, entity, record, snapshot, organisation_id)
    _restore_referrers(session, record, snapshot)
    if entity == ORGANISATION.name:
        for key in ("processors", "software", "activities", "companions"):
            for owned in snapshot.get(key, []):
                _restore(session, register, trail, owned)
    return change


def _restore_rows(
    session: Session, activity: Activity, snapshot: Mapping[str, Any], organisation_id: str
) -> dict[str, tuple[Any, Any]]:
    """Re-create the rows of a restored activity; returns them as creation changes."""
    changed: dict[str, tuple[Any, Any]] = {}
    for collection in ACTIVITY.collections:
        created = []
        for row_snapshot in snapshot.get("rows", {}).get(collection.key) or []:
            row = ROW_CLASSES[collection.key](
                id=row_snapshot["id"], position=row_snapshot["position"]
            )
            apply_values(session, row, collection.entity, row_snapshot["values"], organisation_id)
            getattr(activity, collection.key).append(row)
            kept = {k: v for k, v in row_snapshot["values"].items() if v is not None}
            created.append({"id": row.id, **kept})
        if created:
            changed[collection.key] = (None, created)
    return changed


def _restore_row(
    session: Session,
    register: Register,
    trail: AuditTrail,
    snapshot: Mapping[str, Any],
    activity_updated_on: UpdatedOn,
) -> Change:
    collection = ACTIVITY.collection(str(snapshot["collection"]))
    entity = collection.entity
    _refuse_existing(session, ROW_CLASSES[collection.key], entity, str(snapshot["id"]))
    activity = get_record(session, Activity, str(snapshot["activity_id"]), ACTIVITY.label_fr)
    row = ROW_CLASSES[collection.key](id=snapshot["id"], position=snapshot["position"])
    changed = apply_values(session, row, entity, snapshot["values"], activity.organisation_id)
    getattr(activity, collection.key).append(row)
    touched = touch_activity(register, activity, activity_updated_on)
    change = Change("created", entity.name, row.id, changed, touched)
    record_change(trail, register, change, activity.organisation_id)
    return change


def _refuse_existing(session: Session, cls: Any, spec: Entity, record_id: str) -> None:
    if session.get(cls, record_id) is not None:
        raise RecordExists(entity=spec.label_fr, entity_en=spec.label_en, id=record_id)


def _existing_references(
    session: Session, entity: Entity, values: Mapping[str, Any], organisation_id: str
) -> dict[str, Any]:
    """``values`` without the references to records gone since the snapshot."""
    kept = dict(values)
    for spec in entity.fields:
        if spec.kind not in (Kind.REFERENCE, Kind.REFERENCES) or not kept.get(spec.key):
            continue
        cls: Any = ENTITY_CLASSES[spec.target]
        ids = [kept[spec.key]] if spec.kind == Kind.REFERENCE else list(kept[spec.key])
        present = set(
            session.scalars(
                select(cls.id).where(cls.id.in_(ids), cls.organisation_id == organisation_id)
            )
        )
        alive = [record_id for record_id in ids if record_id in present]
        if spec.kind == Kind.REFERENCE:
            kept[spec.key] = alive[0] if alive else None
        else:
            kept[spec.key] = alive
    return kept


def _restore_links(
    session: Session, entity: str, record: Any, snapshot: Mapping[str, Any], organisation_id: str
) -> None:
    """Link a re-created processor or software item back to its activities (and software)."""
    relation = "processors" if entity == PROCESSOR.name else "software"
    for activity_id in snapshot.get("activities", []):
        activity = session.get(Activity, activity_id)
        if activity is not None and activity.organisation_id == organisation_id:
            getattr(activity, relation).append(record)
    for software_id in snapshot.get("software", []):
        software = session.get(Software, software_id)
        if software is not None and software.organisation_id == organisation_id:
            software.processor_id = record.id
