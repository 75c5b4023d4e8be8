"""Service functions: every change to a register goes through here.

Each mutation is one function with keyword arguments; it validates values against the field
schema, runs in one transaction, writes one audit entry per record it changes and returns what
changed. Readers return plain data (dataclasses and dicts), never live ORM objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from registre import todos
from registre.audit import AuditTrail, ChainReport, verify_chain
from registre.errors import EXIT_USAGE, InvalidValue, RecordNotFound, RegistreError
from registre.model import (
    COMPANION_LINKS,
    ENTITY_CLASSES,
    ROW_CLASSES,
    Activity,
    ActivityRow,
    AuditEntry,
    Base,
    Meta,
    Organisation,
    Processor,
    Software,
    activity_processor,
    activity_software,
)
from registre.review import drop_validation
from registre.schema import (
    ACTIVITY,
    COMPANION_KEYS,
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
from registre.vocabularies import vocabulary

# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What a service function changed: one record, its action and its fields (old, new).

    ``updated_on`` is the owning activity's « Dernière mise à jour » (old, new) when the change
    moved it by itself (an edit of the activity or of one of its rows), so that an undo can
    put it back.
    """

    action: str  # "created", "updated" or "deleted"
    entity: str
    id: str
    fields: dict[str, tuple[Any, Any]]
    updated_on: tuple[dt.date | None, dt.date | None] | None = None


class _Today:
    """The default « Dernière mise à jour » of a changed activity: the day of the change."""

    def __repr__(self) -> str:
        return "TODAY"


TODAY = _Today()
UpdatedOn = dt.date | None | _Today


@dataclass(frozen=True)
class ActivitySummary:
    """One line of the activity list."""

    id: str
    organisation_id: str
    reference: str | None
    name: str
    service: str | None
    role: str
    status: str
    legal_basis: str | None
    updated_on: dt.date | None


@dataclass(frozen=True)
class OrganisationSummary:
    """One organisation of the register with its activity count."""

    id: str
    name: str
    kind: str | None
    activities: int


@dataclass(frozen=True)
class RegisterInfo:
    """What ``registre info`` reports."""

    register_id: str
    schema_version: int
    created_at: str
    organisations: list[OrganisationSummary]
    counts: dict[str, int]
    last_change_at: dt.datetime | None
    last_change_by: str | None
    audit: ChainReport


# --------------------------------------------------------------------------------------------
# Validation against the field schema
# --------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+().\s/-]{4,30}$")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")
_EDGE_SPACE = " \t\r\n"  # non-breaking spaces are typography: kept


def siren_is_valid(siren: str) -> bool:
    """True for 9 digits passing the Luhn check used by INSEE."""
    if len(siren) != 9 or not siren.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(siren)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def _refuse(spec: Field, reason: str, reason_en: str) -> InvalidValue:
    return InvalidValue(
        field=spec.label_fr, field_en=spec.label_en, reason=reason, reason_en=reason_en
    )


def _allowed_keys(spec: Field) -> Sequence[str]:
    if spec.choices:
        return [choice.key for choice in spec.choices]
    return vocabulary(spec.vocabulary).keys


def coerce(spec: Field, value: Any) -> Any:
    """``value`` converted to what ``spec`` stores, or InvalidValue with a plain reason."""
    if value is None:
        return [] if spec.kind in (Kind.MULTICHOICE, Kind.REFERENCES) else None
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONGTEXT, Kind.EMAIL, Kind.PHONE, Kind.SIREN, Kind.REFERENCE):
        if not isinstance(value, str):
            raise _refuse(spec, "texte attendu", "text expected")
        text = value.strip(_EDGE_SPACE)
        if kind != Kind.LONGTEXT:
            text = _LINE_BREAKS.sub(" ", text)
        if not text:
            return None
        if spec.max_length and len(text) > spec.max_length:
            raise _refuse(
                spec,
                f"{spec.max_length} caractères au plus",
                f"at most {spec.max_length} characters",
            )
        if kind == Kind.EMAIL and not _EMAIL.match(text):
            raise _refuse(spec, "adresse de courriel invalide", "invalid email address")
        if kind == Kind.PHONE and not _PHONE.match(text):
            raise _refuse(spec, "numéro de téléphone invalide", "invalid telephone number")
        if kind == Kind.SIREN:
            text = text.replace(" ", "")
            if not siren_is_valid(text):
                raise _refuse(
                    spec, "un SIREN compte 9 chiffres valides", "a SIREN is 9 valid digits"
                )
        return text
    if kind == Kind.CHOICE:
        if value == "":
            return None
        if value not in _allowed_keys(spec):
            raise _refuse(spec, f"choix inconnu « {value} »", f"unknown choice “{value}”")
        return value
    if kind in (Kind.MULTICHOICE, Kind.REFERENCES):
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise _refuse(spec, "liste attendue", "list expected")
        items = list(dict.fromkeys(value))
        if kind == Kind.MULTICHOICE:
            allowed = set(_allowed_keys(spec))
            unknown = [item for item in items if item not in allowed]
            if unknown:
                raise _refuse(
                    spec, f"choix inconnu « {unknown[0]} »", f"unknown choice “{unknown[0]}”"
                )
        return items
    if kind == Kind.BOOL:
        if not isinstance(value, bool):
            raise _refuse(spec, "oui ou non attendu", "yes or no expected")
        return value
    if kind == Kind.DATETIME:
        return _moment(spec, value)
    if kind == Kind.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise _refuse(
                    spec, "date invalide (AAAA-MM-JJ)", "invalid date (YYYY-MM-DD)"
                ) from None
        raise _refuse(spec, "date attendue", "date expected")
    if kind == Kind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse(spec, "nombre entier attendu", "whole number expected")
        if value < 0:
            raise _refuse(spec, "nombre positif attendu", "positive number expected")
        return value
    raise AssertionError(f"unhandled kind {kind}")


def _moment(spec: Field, value: Any) -> dt.datetime | None:
    """A DATETIME value as stored: naive UTC, to the second (naive input is taken as UTC)."""
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _refuse(
                spec,
                "date et heure invalides (AAAA-MM-JJTHH:MM)",
                "invalid date and time (YYYY-MM-DDTHH:MM)",
            ) from None
    if not isinstance(value, dt.datetime):
        raise _refuse(spec, "date et heure attendues", "date and time expected")
    moment: dt.datetime = value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _unknown_field(entity: Entity, key: str) -> InvalidValue:
    return InvalidValue(
        field=key,
        field_en=key,
        reason=f"champ inconnu pour « {entity.label_fr} »",
        reason_en=f"unknown field for “{entity.label_en}”",
    )


# --------------------------------------------------------------------------------------------
# Generic record handling
# --------------------------------------------------------------------------------------------


def _get(session: Session, cls: type[Base], record_id: str, entity: str) -> Any:
    record = session.get(cls, record_id)
    if record is None:
        raise RecordNotFound(entity=entity, id=record_id)
    return record


def _stored(record: Any, spec: Field) -> Any:
    """Current value of ``spec`` on ``record`` (reference lists as ids)."""
    value = getattr(record, spec.key)
    if spec.kind == Kind.REFERENCES:
        return [item.id for item in value]
    if spec.kind == Kind.MULTICHOICE:
        return list(value or [])
    return value


def _resolve_references(
    session: Session, spec: Field, ids: list[str], organisation_id: str
) -> list[Any]:
    cls = ENTITY_CLASSES[spec.target]
    found = []
    for record_id in ids:
        record = session.get(cls, record_id)
        if record is None or record.organisation_id != organisation_id:  # type: ignore[attr-defined]
            raise _refuse(
                spec, f"élément introuvable « {record_id} »", f"record not found “{record_id}”"
            )
        found.append(record)
    return found


def _apply(
    session: Session,
    record: Any,
    entity: Entity,
    values: Mapping[str, Any],
    organisation_id: str | None,
) -> dict[str, tuple[Any, Any]]:
    """Validate and set ``values`` on ``record``; returns the fields that really changed."""
    changed: dict[str, tuple[Any, Any]] = {}
    for key, raw in values.items():
        spec = _field(entity, key)
        new = coerce(spec, raw)
        old = _stored(record, spec)
        if spec.kind == Kind.REFERENCE and new is not None and organisation_id is not None:
            _resolve_references(session, spec, [new], organisation_id)
        if new == old:
            continue
        if spec.kind == Kind.REFERENCES:
            assert organisation_id is not None
            setattr(record, key, _resolve_references(session, spec, new, organisation_id))
        else:
            setattr(record, key, new)
        changed[key] = (old, new)
    return changed


def _snapshot(record: Any, entity: Entity) -> dict[str, Any]:
    return {spec.key: _stored(record, spec) for spec in entity.fields}


def _creation_changes(values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {key: (None, value) for key, value in values.items() if value not in (None, [])}


def _record_change(
    trail: AuditTrail, register: Register, change: Change, organisation_id: str | None
) -> None:
    trail.append(
        at=register.context.clock(),
        action=change.action,
        entity=change.entity,
        entity_id=change.id,
        organisation_id=organisation_id,
        changes={key: list(pair) for key, pair in change.fields.items()},
    )


def _today(register: Register) -> dt.date:
    return register.context.clock().date()


def _touch(
    register: Register, activity: Activity, updated_on: UpdatedOn
) -> tuple[dt.date | None, dt.date | None]:
    """Set the activity's « Dernière mise à jour » (today by default); returns (old, new)."""
    old = activity.updated_on
    new = _today(register) if isinstance(updated_on, _Today) else updated_on
    activity.updated_on = new
    return old, new


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


def list_organisations(register: Register) -> list[OrganisationSummary]:
    """Every organisation with its number of activities, by name."""
    with register.read() as session:
        counts = dict(
            session.execute(
                select(Activity.organisation_id, func.count()).group_by(Activity.organisation_id)
            ).all()
        )
        return [
            OrganisationSummary(org.id, org.name, org.kind, counts.get(org.id, 0))
            for org in session.scalars(select(Organisation).order_by(Organisation.name))
        ]


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
        _get(session, Organisation, organisation_id, ORGANISATION.label_fr)
        batch = _ActivityBatch(session, register, organisation_id)
        changes = [batch.add(values) for values in activities]
        batch.insert()
        for change in changes:
            _record_change(trail, register, change, organisation_id)
        return changes


def update_activity(register: Register, activity_id: str, **values: Any) -> Change:
    """Change fields of an activity (collections are changed with the row functions)."""
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        activity = _get(session, Activity, activity_id, ACTIVITY.label_fr)
        changed = _apply(session, activity, ACTIVITY, values, activity.organisation_id)
        touched = None
        if changed and "updated_on" not in values:
            touched = _touch(register, activity, TODAY)
        if changed and "status" not in values:
            dropped = drop_validation(session, activity, register.context.actor)
            if dropped is not None:
                changed["status"] = dropped
        change = Change("updated", ACTIVITY.name, activity_id, changed, touched)
        if changed:
            _record_change(trail, register, change, activity.organisation_id)
        return change


def delete_activity(register: Register, activity_id: str) -> Change:
    """Remove an activity and its rows."""
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        activity = _get(session, Activity, activity_id, ACTIVITY.label_fr)
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
        _record_change(trail, register, change, organisation_id)
        return change


class _ActivityBatch:
    """Activities validated against the schema, waiting to be inserted together."""

    def __init__(self, session: Session, register: Register, organisation_id: str) -> None:
        self.session = session
        self.register = register
        self.organisation_id = organisation_id
        self.today = _today(register)
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
            spec = _field(ACTIVITY, key)
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
            raise _refuse(ACTIVITY.field("name"), "le nom est obligatoire", "the name is required")
        for collection in ACTIVITY.collections:
            created = []
            for position, item in enumerate(values.get(collection.key) or []):
                row = {
                    "id": self.register.context.new_id(),
                    "activity_id": activity_id,
                    "position": position,
                }
                row.update(_validated(collection.entity, item))
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
                raise _refuse(
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


def _field(entity: Entity, key: str) -> Field:
    try:
        return entity.field(key)
    except KeyError:
        raise _unknown_field(entity, key) from None


def _validated(entity: Entity, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of ``entity`` (None when absent), validated against the schema."""
    unknown = set(values) - set(entity.keys)
    if unknown:
        raise _unknown_field(entity, sorted(unknown)[0])
    return {spec.key: coerce(spec, values.get(spec.key)) for spec in entity.fields}


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
    _apply(session, row, collection.entity, values, activity.organisation_id)
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
        raise _unknown_field(ACTIVITY, collection)
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        activity = _get(session, Activity, activity_id, ACTIVITY.label_fr)
        rows = getattr(activity, collection)
        position = max((row.position for row in rows), default=-1) + 1
        row = _new_row(session, register, activity, collection, values, position)
        touched = _touch(register, activity, activity_updated_on)
        entity = ACTIVITY.collection(collection).entity
        change = Change("created", entity.name, row.id, row_changes(row, values), touched)
        _record_change(trail, register, change, activity.organisation_id)
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
        raise _unknown_field(ACTIVITY, collection)
    entity = ACTIVITY.collection(collection).entity
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        row = _get(session, ROW_CLASSES[collection], row_id, entity.label_fr)
        activity = _get(session, Activity, row.activity_id, ACTIVITY.label_fr)
        changed = _apply(session, row, entity, values, activity.organisation_id)
        touched = _touch(register, activity, activity_updated_on) if changed else None
        change = Change("updated", entity.name, row_id, changed, touched)
        if changed:
            _record_change(trail, register, change, activity.organisation_id)
            _drop_validation_after_row(session, trail, register, activity)
        return change


def delete_row(
    register: Register, *, collection: str, row_id: str, activity_updated_on: UpdatedOn = TODAY
) -> Change:
    """Remove one row of an activity's collection."""
    if collection not in ROW_CLASSES:
        raise _unknown_field(ACTIVITY, collection)
    entity = ACTIVITY.collection(collection).entity
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        row = _get(session, ROW_CLASSES[collection], row_id, entity.label_fr)
        activity = _get(session, Activity, row.activity_id, ACTIVITY.label_fr)
        old = _snapshot(row, entity)
        getattr(activity, collection).remove(row)
        change = Change(
            "deleted",
            entity.name,
            row_id,
            {key: (value, None) for key, value in old.items() if value is not None},
            _touch(register, activity, activity_updated_on),
        )
        _record_change(trail, register, change, activity.organisation_id)
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
        _record_change(trail, register, change, activity.organisation_id)


# --------------------------------------------------------------------------------------------
# Shared create / update / delete of top-level records
# --------------------------------------------------------------------------------------------


def _create_top(
    register: Register, entity: Entity, organisation_id: str | None, values: Mapping[str, Any]
) -> Change:
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        record: Any = ENTITY_CLASSES[entity.name](id=register.context.new_id())
        if organisation_id is not None:
            _get(session, Organisation, organisation_id, ORGANISATION.label_fr)
            record.organisation_id = organisation_id
        changed = _apply(session, record, entity, values, organisation_id)
        if not getattr(record, entity.title_field):
            spec = entity.field(entity.title_field)
            raise _refuse(spec, "ce champ est obligatoire", "this field is required")
        session.add(record)
        change = Change("created", entity.name, record.id, changed)
        _record_change(trail, register, change, organisation_id or record.id)
        return change


def _update_top(
    register: Register, entity: Entity, record_id: str, values: Mapping[str, Any]
) -> Change:
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        record: Any = _get(session, ENTITY_CLASSES[entity.name], record_id, entity.label_fr)
        organisation_id = getattr(record, "organisation_id", record.id)
        changed = _apply(session, record, entity, values, organisation_id)
        if entity.title_field in changed and not changed[entity.title_field][1]:
            spec = entity.field(entity.title_field)
            raise _refuse(spec, "ce champ est obligatoire", "this field is required")
        change = Change("updated", entity.name, record_id, changed)
        if changed:
            _record_change(trail, register, change, organisation_id)
        return change


def _delete_top(register: Register, entity: Entity, record_id: str) -> Change:
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        record: Any = _get(session, ENTITY_CLASSES[entity.name], record_id, entity.label_fr)
        organisation_id = getattr(record, "organisation_id", record.id)
        old = _snapshot(record, entity)
        change = Change(
            "deleted",
            entity.name,
            record_id,
            {key: (value, None) for key, value in old.items() if value not in (None, [])},
        )
        session.delete(record)
        _record_change(trail, register, change, organisation_id)
        return change


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


def activity_record(activity: Activity) -> dict[str, Any]:
    """Every field and collection of ``activity`` as plain data (rows as dicts with their id)."""
    record: dict[str, Any] = {"id": activity.id, "organisation_id": activity.organisation_id}
    record.update(_snapshot(activity, ACTIVITY))
    for collection in ACTIVITY.collections:
        record[collection.key] = [
            {"id": row.id, **_snapshot(row, collection.entity)}
            for row in getattr(activity, collection.key)
        ]
    return record


def record_of(register: Register, entity: str, record_id: str) -> dict[str, Any]:
    """One record as plain data: an organisation, processor, software or activity."""
    spec = ENTITIES[entity]
    with register.read() as session:
        record: Any = _get(session, ENTITY_CLASSES[entity], record_id, spec.label_fr)
        if entity == ACTIVITY.name:
            return activity_record(record)
        data = {"id": record.id, **_snapshot(record, spec)}
        if hasattr(record, "organisation_id"):
            data["organisation_id"] = record.organisation_id
        return data


def list_records(register: Register, entity: str, organisation_id: str) -> list[dict[str, Any]]:
    """Every processor, software item or companion record of an organisation, as plain data,
    by title (name)."""
    spec = ENTITIES[entity]
    cls: Any = ENTITY_CLASSES[entity]
    with register.read() as session:
        query = (
            select(cls)
            .where(cls.organisation_id == organisation_id)
            .order_by(getattr(cls, spec.title_field), cls.id)
        )
        return [{"id": r.id, **_snapshot(r, spec)} for r in session.scalars(query)]


def list_activities(
    register: Register, organisation_id: str | None = None
) -> list[ActivitySummary]:
    """The activity list (all organisations when None), ordered by reference then name."""
    columns = (
        Activity.id,
        Activity.organisation_id,
        Activity.reference,
        Activity.name,
        Activity.service,
        Activity.role,
        Activity.status,
        Activity.legal_basis,
        Activity.updated_on,
    )
    query = select(*columns).order_by(Activity.reference, Activity.name)
    if organisation_id is not None:
        query = query.where(Activity.organisation_id == organisation_id)
    with register.read() as session:
        return [ActivitySummary(*row) for row in session.execute(query)]


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_activity_reference(register: Register, organisation_id: str) -> str:
    """The reference a new activity of the organisation would take: the highest number of the
    most used prefix, plus one, at the same width (« T-035 » → « T-036 »); « T-001 » first."""
    with register.read() as session:
        references = session.scalars(
            select(Activity.reference).where(
                Activity.organisation_id == organisation_id, Activity.reference.is_not(None)
            )
        ).all()
    numbered: dict[str, list[str]] = {}
    for reference in references:
        found = _NUMBERED.match(reference or "")
        if found:
            numbered.setdefault(found.group(1), []).append(found.group(2))
    if not numbered:
        return "T-001"
    prefix = max(numbered, key=lambda key: (len(numbered[key]), key))
    digits = numbered[prefix]
    width = max(len(number) for number in digits)
    return f"{prefix}{max(int(number) for number in digits) + 1:0{width}d}"


def load_activities(session: Session, organisation_id: str | None = None) -> list[Activity]:
    """Activities with every collection and reference loaded in a few queries (for checks)."""
    options = [selectinload(getattr(Activity, c.key)) for c in ACTIVITY.collections]
    options += [selectinload(Activity.processors), selectinload(Activity.software)]
    query = select(Activity).options(*options).order_by(Activity.reference, Activity.name)
    if organisation_id is not None:
        query = query.where(Activity.organisation_id == organisation_id)
    return list(session.scalars(query))


def register_info(register: Register) -> RegisterInfo:
    """Organisations, record counts, schema version, last change and audit-chain state."""
    organisations = list_organisations(register)
    tables: tuple[tuple[str, type[Base]], ...] = (
        ("activities", Activity),
        ("processors", Processor),
        ("software", Software),
        *((COMPANION_KEYS[e], ENTITY_CLASSES[e]) for e in COMPANION_REGISTERS),
        ("audit_entries", AuditEntry),
    )
    with register.read() as session:
        meta = dict(session.execute(select(Meta.key, Meta.value)).all())
        counts = {
            name: session.scalar(select(func.count()).select_from(cls)) or 0 for name, cls in tables
        }
        last = session.execute(
            select(AuditEntry.at, AuditEntry.actor).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        chain = verify_chain(session)
    return RegisterInfo(
        register_id=meta.get("register_id", ""),
        schema_version=int(meta.get("schema_version", "0")),
        created_at=meta.get("created_at", ""),
        organisations=organisations,
        counts=counts,
        last_change_at=last[0] if last else None,
        last_change_by=last[1] if last else None,
        audit=chain,
    )


def audit_entries(
    register: Register, limit: int = 200, *, organisation_id: str | None = None
) -> list[dict[str, Any]]:
    """The most recent audit entries (about one organisation when given), newest first."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    with register.read() as session:
        return [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "changes": e.changes,
            }
            for e in session.scalars(query)
        ]


def verify_audit(register: Register) -> ChainReport:
    """Verify the whole audit chain."""
    with register.read() as session:
        return verify_chain(session)


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
            raise _unknown_field(ACTIVITY, entity)
        if entity == ACTIVITY.name:
            activity = _get(session, Activity, record_id, ACTIVITY.label_fr)
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
    row = _get(session, ROW_CLASSES[collection], row_id, spec.label_fr)
    return {
        "entity": entity,
        "id": row.id,
        "collection": collection,
        "activity_id": row.activity_id,
        "position": row.position,
        "values": _snapshot(row, spec),
    }


def _activity_snapshot(activity: Activity) -> dict[str, Any]:
    return {
        "entity": ACTIVITY.name,
        "id": activity.id,
        "organisation_id": activity.organisation_id,
        "values": _snapshot(activity, ACTIVITY),
        "rows": {
            c.key: [
                {"id": row.id, "position": row.position, "values": _snapshot(row, c.entity)}
                for row in getattr(activity, c.key)
            ]
            for c in ACTIVITY.collections
        },
    }


def _inventory_snapshot(session: Session, entity: str, record_id: str) -> dict[str, Any]:
    spec = ENTITIES[entity]
    record: Any = _get(session, ENTITY_CLASSES[entity], record_id, spec.label_fr)
    snapshot: dict[str, Any] = {
        "entity": entity,
        "id": record.id,
        "organisation_id": record.organisation_id,
        "values": _snapshot(record, spec),
        "activities": [activity.id for activity in record.activities],
    }
    if entity == PROCESSOR.name:
        snapshot["software"] = list(
            session.scalars(select(Software.id).where(Software.processor_id == record.id))
        )
    return snapshot


def _organisation_snapshot(session: Session, organisation_id: str) -> dict[str, Any]:
    organisation = _get(session, Organisation, organisation_id, ORGANISATION.label_fr)
    return {
        "entity": ORGANISATION.name,
        "id": organisation.id,
        "values": _snapshot(organisation, ORGANISATION),
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
    record: Any = _get(session, ENTITY_CLASSES[entity], record_id, spec.label_fr)
    return {
        "entity": entity,
        "id": record.id,
        "organisation_id": record.organisation_id,
        "values": _snapshot(record, spec),
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
        _get(session, Organisation, organisation_id, ORGANISATION.label_fr)
        record.organisation_id = organisation_id
    values = _existing_references(session, spec, snapshot["values"], organisation_id)
    with session.no_autoflush:  # the record is incomplete until every value is set
        session.add(record)
        changed = _apply(session, record, spec, values, organisation_id)
        if entity == ACTIVITY.name:
            changed.update(_restore_rows(session, record, snapshot, organisation_id))
    session.flush()
    if entity == ACTIVITY.name:
        changed.update(todos.restore_rows(session, record_id, snapshot.get(todos.TODOS_KEY)))
    change = Change("created", entity, record_id, changed)
    _record_change(trail, register, change, organisation_id)
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
            _apply(session, row, collection.entity, row_snapshot["values"], organisation_id)
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
    activity = _get(session, Activity, str(snapshot["activity_id"]), ACTIVITY.label_fr)
    row = ROW_CLASSES[collection.key](id=snapshot["id"], position=snapshot["position"])
    changed = _apply(session, row, entity, snapshot["values"], activity.organisation_id)
    getattr(activity, collection.key).append(row)
    touched = _touch(register, activity, activity_updated_on)
    change = Change("created", entity.name, row.id, changed, touched)
    _record_change(trail, register, change, activity.organisation_id)
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
