"""Service functions: every change to a register goes through here.

Each mutation is one function with keyword arguments; it validates values against the field
schema, runs in one transaction, writes one audit entry per record it changes and returns what
changed. Readers return plain data (dataclasses and dicts), never live ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from registre import todos
from registre.audit import AuditTrail
from registre.model import (
    ENTITY_CLASSES,
    ROW_CLASSES,
    Activity,
    ActivityRow,
    Organisation,
    Processor,
    Software,
    activity_processor,
    activity_software,
)
from registre.queries import (
    activity_record,
    audit_entries,
    list_activities,
    list_organisations,
    list_records,
    load_activities,
    next_activity_reference,
    record_of,
    register_info,
    verify_audit,
)
from registre.records import (
    TODAY,
    ActivitySummary,
    Change,
    OrganisationSummary,
    RegisterInfo,
    UpdatedOn,
    apply_values,
    coerce,
    field_snapshot,
    get_record,
    record_change,
    refuse,
    schema_field,
    siren_is_valid,
    today,
    touch_activity,
    unknown_field,
    validated,
)
from registre.restoration import ROW_COLLECTIONS, RecordExists, record_snapshot, restore_record
from registre.review import drop_validation
from registre.schema import (
    ACTIVITY,
    COMPANION_REGISTERS,
    ENTITIES,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Entity,
    Field,
    Kind,
)
from registre.signing import ensure_signing_identity
from registre.storage import (
    Context,
    Register,
    check_new_passphrase,
    create_register,
    discard_new_register,
)

# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------


def create_organisation(register: Register, *, name: str, **values: Any) -> Change:
    """Add an organisation (commune, CCAS…) to the register."""
    return _create_top(register, ORGANISATION, None, {"name": name, **values})


def update_organisation(register: Register, organisation_id: str, **values: Any) -> Change:
    """Change fields of an organisation."""
    return _update_top(register, ORGANISATION, organisation_id, values)


def delete_organisation(register: Register, organisation_id: str) -> Change:
    """Remove an organisation and everything it owns."""
    return _delete_top(register, ORGANISATION, organisation_id)


def create_register_with_organisation(
    directory: Path, passphrase: str, *, organisation: str, context: Context | None = None
) -> tuple[Register, str]:
    """Create a register with its first organisation and its signing identity (named after
    the organisation); returns it open and its printable recovery key."""
    check_new_passphrase(passphrase)
    register, recovery_key = create_register(directory, passphrase, context=context)
    try:
        create_organisation(register, name=organisation)
        ensure_signing_identity(register)
    except BaseException:
        register.close()
        discard_new_register(register.directory)  # all or nothing
        raise
    return register, recovery_key


# --------------------------------------------------------------------------------------------
# Processors and software
# --------------------------------------------------------------------------------------------


def create_processor(
    register: Register, *, organisation_id: str, name: str, **values: Any
) -> Change:
    """Add a processor (sous-traitant) to an organisation."""
    return _create_top(register, PROCESSOR, organisation_id, {"name": name, **values})


def update_processor(register: Register, processor_id: str, **values: Any) -> Change:
    """Change fields of a processor."""
    return _update_top(register, PROCESSOR, processor_id, values)


def delete_processor(register: Register, processor_id: str) -> Change:
    """Remove a processor (activities and software keep existing without it)."""
    return _delete_top(register, PROCESSOR, processor_id)


def create_software(
    register: Register, *, organisation_id: str, name: str, **values: Any
) -> Change:
    """Add an item to an organisation's software inventory."""
    return _create_top(register, SOFTWARE, organisation_id, {"name": name, **values})


def update_software(register: Register, software_id: str, **values: Any) -> Change:
    """Change fields of a software item."""
    return _update_top(register, SOFTWARE, software_id, values)


def delete_software(register: Register, software_id: str) -> Change:
    """Remove a software item."""
    return _delete_top(register, SOFTWARE, software_id)


# --------------------------------------------------------------------------------------------
# Companion registers: breaches, rights requests, impact assessments, processor contracts
# --------------------------------------------------------------------------------------------


def _companion(entity: str) -> Entity:
    if entity not in COMPANION_REGISTERS:
        raise ValueError(f"{entity!r} is not a companion register")
    return ENTITIES[entity]


def create_record(
    register: Register, entity: str, *, organisation_id: str, **values: Any
) -> Change:
    """Add a record to one of an organisation's companion registers (``"breach"``,
    ``"rights_request"``, ``"dpia"`` or ``"contract"``); its title field is required."""
    return _create_top(register, _companion(entity), organisation_id, values)


def update_record(register: Register, entity: str, record_id: str, **values: Any) -> Change:
    """Change fields of a record of a companion register."""
    return _update_top(register, _companion(entity), record_id, values)


def delete_record(register: Register, entity: str, record_id: str) -> Change:
    """Remove a record of a companion register."""
    return _delete_top(register, _companion(entity), record_id)


# --------------------------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------------------------


def create_activity(
    register: Register, *, organisation_id: str, name: str, **values: Any
) -> Change:
    """Add a processing activity; ``values`` may hold fields and collections (lists of dicts)."""
    return bulk_create_activities(
        register, organisation_id=organisation_id, activities=[{"name": name, **values}]
    )[0]


def bulk_create_activities(
    register: Register, *, organisation_id: str, activities: Iterable[Mapping[str, Any]]
) -> list[Change]:
    """Add many activities in one transaction (import, templates); one audit entry each.

    Values are validated against the field schema first; rows are then written with bulk
    INSERTs, so 10,000 activities take seconds. Nothing is written if one value is refused.
    """
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        get_record(session, Organisation, organisation_id, ORGANISATION.label_fr)
        batch = _ActivityBatch(session, register, organisation_id)
        changes = [batch.add(values) for values in activities]
        batch.insert()
        for change in changes:
            record_change(trail, register, change, organisation_id)
        return changes


def update_activity(register: Register, activity_id: str, **values: Any) -> Change:
    """Change fields of an activity (collections are changed with the row functions)."""
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        activity = get_record(session, Activity, activity_id, ACTIVITY.label_fr)
        changed = apply_values(session, activity, ACTIVITY, values, activity.organisation_id)
        touched = None
        if changed and "updated_on" not in values:
            touched = touch_activity(register, activity, TODAY)
        if changed and "status" not in values:
            dropped = drop_validation(session, activity, register.context.actor)
            if dropped is not None:
                changed["status"] = dropped
        change = Change("updated", ACTIVITY.name, activity_id, changed, touched)
        if changed:
            record_change(trail, register, change, activity.organisation_id)
        return change


def delete_activity(register: Register, activity_id: str) -> Change:
    """Remove an activity and its rows."""
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        activity = get_record(session, Activity, activity_id, ACTIVITY.label_fr)
        old = activity_record(activity)
        old[todos.TODOS_KEY] = todos.rows_of(session, [activity_id])[activity_id]
        change = Change(
            "deleted",
            ACTIVITY.name,
            activity_id,
            {key: (value, None) for key, value in old.items() if key != "id"},
        )
        organisation_id = activity.organisation_id
        session.delete(activity)
        record_change(trail, register, change, organisation_id)
        return change


class _ActivityBatch:
    """Activities validated against the schema, waiting to be inserted together."""

    def __init__(self, session: Session, register: Register, organisation_id: str) -> None:
        self.session = session
        self.register = register
        self.organisation_id = organisation_id
        self.today = today(register)
        self.known: dict[str, set[str]] = {
            "processor": set(
                session.scalars(
                    select(Processor.id).where(Processor.organisation_id == organisation_id)
                )
            ),
            "software": set(
                session.scalars(
                    select(Software.id).where(Software.organisation_id == organisation_id)
                )
            ),
        }
        self.activities: list[dict[str, Any]] = []
        self.rows: dict[str, list[dict[str, Any]]] = {key: [] for key in ROW_CLASSES}
        self.links: dict[str, list[dict[str, str]]] = {"processors": [], "software": []}
        self.todos: list[dict[str, Any]] = []

    def add(self, values: Mapping[str, Any]) -> Change:
        """Validate one activity and its rows; returns its creation change."""
        activity_id = self.register.context.new_id()
        record: dict[str, Any] = {
            "id": activity_id,
            "organisation_id": self.organisation_id,
            "role": "controller",
            "status": "draft",
            "dpia_criteria": [],
            "created_on": self.today,
            "updated_on": self.today,
        }
        changed: dict[str, tuple[Any, Any]] = {}
        for key, raw in values.items():
            if key in ROW_CLASSES or key == todos.TODOS_KEY:
                continue
            spec = schema_field(ACTIVITY, key)
            value = coerce(spec, raw)
            if spec.kind == Kind.REFERENCES:
                self._check_references(spec, value)
                self.links[key] += [
                    {"activity_id": activity_id, f"{spec.target}_id": ref} for ref in value
                ]
            elif value is not None:
                record[key] = value
            if value not in (None, []):
                changed[key] = (None, value)
        if not record.get("name"):
            raise refuse(ACTIVITY.field("name"), "le nom est obligatoire", "the name is required")
        for collection in ACTIVITY.collections:
            created = []
            for position, item in enumerate(values.get(collection.key) or []):
                row = {
                    "id": self.register.context.new_id(),
                    "activity_id": activity_id,
                    "position": position,
                }
                row.update(validated(collection.entity, item))
                self.rows[collection.key].append(row)
                created.append(
                    {
                        k: v
                        for k, v in row.items()
                        if k not in ("activity_id", "position") and v is not None
                    }
                )
            if created:
                changed[collection.key] = (None, created)
        context = self.register.context
        todo_rows = todos.new_rows(
            values.get(todos.TODOS_KEY),
            activity_id,
            actor=context.actor,
            at=context.clock(),
            new_id=context.new_id,
        )
        if todo_rows:
            self.todos += todo_rows
            changed[todos.TODOS_KEY] = (None, todos.recorded(todo_rows))
        self.activities.append(record)
        return Change("created", ACTIVITY.name, activity_id, changed)

    def _check_references(self, spec: Field, ids: list[str]) -> None:
        for record_id in ids:
            if record_id not in self.known[spec.target]:
                raise refuse(
                    spec, f"élément introuvable « {record_id} »", f"record not found “{record_id}”"
                )

    def insert(self) -> None:
        """Write everything with one bulk INSERT per table."""
        if not self.activities:
            return
        self.session.execute(insert(Activity), self.activities)
        for key, rows in self.rows.items():
            if rows:
                self.session.execute(insert(ROW_CLASSES[key]), rows)
        for key, table in (("processors", activity_processor), ("software", activity_software)):
            if self.links[key]:
                self.session.execute(insert(table), self.links[key])
        todos.insert_rows(self.session, self.todos)


def row_changes(row: ActivityRow, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Values of ``row`` named in ``values``, as (None, value) pairs."""
    return {key: (None, getattr(row, key)) for key in values if getattr(row, key) is not None}


def _new_row(
    session: Session,
    register: Register,
    activity: Activity,
    collection_key: str,
    values: Mapping[str, Any],
    position: int,
) -> ActivityRow:
    collection = ACTIVITY.collection(collection_key)
    row = ROW_CLASSES[collection_key](id=register.context.new_id(), position=position)
    apply_values(session, row, collection.entity, values, activity.organisation_id)
    getattr(activity, collection_key).append(row)
    return row


# --------------------------------------------------------------------------------------------
# Rows of an activity (purposes, data categories, recipients…)
# --------------------------------------------------------------------------------------------


def add_row(
    register: Register,
    *,
    activity_id: str,
    collection: str,
    activity_updated_on: UpdatedOn = TODAY,
    **values: Any,
) -> Change:
    """Append a row (a data category, a recipient…) to one of an activity's collections.

    The activity's « Dernière mise à jour » becomes ``activity_updated_on`` (today by default),
    as with the other row functions.
    """
    if collection not in ROW_CLASSES:
        raise unknown_field(ACTIVITY, collection)
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        activity = get_record(session, Activity, activity_id, ACTIVITY.label_fr)
        rows = getattr(activity, collection)
        position = max((row.position for row in rows), default=-1) + 1
        row = _new_row(session, register, activity, collection, values, position)
        touched = touch_activity(register, activity, activity_updated_on)
        entity = ACTIVITY.collection(collection).entity
        change = Change("created", entity.name, row.id, row_changes(row, values), touched)
        record_change(trail, register, change, activity.organisation_id)
        _drop_validation_after_row(session, trail, register, activity)
        return change


def update_row(
    register: Register,
    *,
    collection: str,
    row_id: str,
    activity_updated_on: UpdatedOn = TODAY,
    **values: Any,
) -> Change:
    """Change fields of one row of an activity's collection."""
    if collection not in ROW_CLASSES:
        raise unknown_field(ACTIVITY, collection)
    entity = ACTIVITY.collection(collection).entity
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        row = get_record(session, ROW_CLASSES[collection], row_id, entity.label_fr)
        activity = get_record(session, Activity, row.activity_id, ACTIVITY.label_fr)
        changed = apply_values(session, row, entity, values, activity.organisation_id)
        touched = touch_activity(register, activity, activity_updated_on) if changed else None
        change = Change("updated", entity.name, row_id, changed, touched)
        if changed:
            record_change(trail, register, change, activity.organisation_id)
            _drop_validation_after_row(session, trail, register, activity)
        return change


def delete_row(
    register: Register, *, collection: str, row_id: str, activity_updated_on: UpdatedOn = TODAY
) -> Change:
    """Remove one row of an activity's collection."""
    if collection not in ROW_CLASSES:
        raise unknown_field(ACTIVITY, collection)
    entity = ACTIVITY.collection(collection).entity
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        row = get_record(session, ROW_CLASSES[collection], row_id, entity.label_fr)
        activity = get_record(session, Activity, row.activity_id, ACTIVITY.label_fr)
        old = field_snapshot(row, entity)
        getattr(activity, collection).remove(row)
        change = Change(
            "deleted",
            entity.name,
            row_id,
            {key: (value, None) for key, value in old.items() if value is not None},
            touch_activity(register, activity, activity_updated_on),
        )
        record_change(trail, register, change, activity.organisation_id)
        _drop_validation_after_row(session, trail, register, activity)
        return change


def _drop_validation_after_row(
    session: Session, trail: AuditTrail, register: Register, activity: Activity
) -> None:
    """A row changed by someone other than the validator: the record is « Complété » again
    (its own audit entry; undoing the row change does not validate it again)."""
    dropped = drop_validation(session, activity, register.context.actor)
    if dropped is not None:
        change = Change("updated", ACTIVITY.name, activity.id, {"status": dropped})
        record_change(trail, register, change, activity.organisation_id)


# --------------------------------------------------------------------------------------------
# Shared create / update / delete of top-level records
# --------------------------------------------------------------------------------------------


def _create_top(
    register: Register, entity: Entity, organisation_id: str | None, values: Mapping[str, Any]
) -> Change:
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        record: Any = ENTITY_CLASSES[entity.name](id=register.context.new_id())
        if organisation_id is not None:
            get_record(session, Organisation, organisation_id, ORGANISATION.label_fr)
            record.organisation_id = organisation_id
        changed = apply_values(session, record, entity, values, organisation_id)
        if not getattr(record, entity.title_field):
            spec = entity.field(entity.title_field)
            raise refuse(spec, "ce champ est obligatoire", "this field is required")
        session.add(record)
        change = Change("created", entity.name, record.id, changed)
        record_change(trail, register, change, organisation_id or record.id)
        return change


def _update_top(
    register: Register, entity: Entity, record_id: str, values: Mapping[str, Any]
) -> Change:
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        record: Any = get_record(session, ENTITY_CLASSES[entity.name], record_id, entity.label_fr)
        organisation_id = getattr(record, "organisation_id", record.id)
        changed = apply_values(session, record, entity, values, organisation_id)
        if entity.title_field in changed and not changed[entity.title_field][1]:
            spec = entity.field(entity.title_field)
            raise refuse(spec, "ce champ est obligatoire", "this field is required")
        change = Change("updated", entity.name, record_id, changed)
        if changed:
            record_change(trail, register, change, organisation_id)
        return change


def _delete_top(register: Register, entity: Entity, record_id: str) -> Change:
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        record: Any = get_record(session, ENTITY_CLASSES[entity.name], record_id, entity.label_fr)
        organisation_id = getattr(record, "organisation_id", record.id)
        old = field_snapshot(record, entity)
        change = Change(
            "deleted",
            entity.name,
            record_id,
            {key: (value, None) for key, value in old.items() if value not in (None, [])},
        )
        session.delete(record)
        record_change(trail, register, change, organisation_id)
        return change


# Readers, results and restoration live in their own modules; callers use them from here.
__all__ = [
    "ROW_COLLECTIONS",
    "TODAY",
    "ActivitySummary",
    "Change",
    "OrganisationSummary",
    "RecordExists",
    "RegisterInfo",
    "UpdatedOn",
    "activity_record",
    "add_row",
    "audit_entries",
    "bulk_create_activities",
    "coerce",
    "create_activity",
    "create_organisation",
    "create_processor",
    "create_record",
    "create_register_with_organisation",
    "create_software",
    "delete_activity",
    "delete_organisation",
    "delete_processor",
    "delete_record",
    "delete_row",
    "delete_software",
    "list_activities",
    "list_organisations",
    "list_records",
    "load_activities",
    "next_activity_reference",
    "record_change",
    "record_of",
    "record_snapshot",
    "register_info",
    "restore_record",
    "row_changes",
    "siren_is_valid",
    "update_activity",
    "update_organisation",
    "update_processor",
    "update_record",
    "update_row",
    "update_software",
    "validated",
    "verify_audit",
]
