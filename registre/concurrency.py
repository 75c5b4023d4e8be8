"""Several people editing the same record: changes merge field by field, or conflict.

An editor calls ``start_edit`` when it shows a record (the values and ``row_version`` it starts
from) and ``save_edit`` with the fields the user changed. When nobody changed the record
meanwhile, the change is saved as usual. When somebody did:

* fields the other person did not touch are saved over their change (the two edits merge);
* a field both changed to different values is a conflict: nothing is saved and
  ``EditConflict`` carries, for each such field, the value the editor started from, the other
  person's (and who they are) and the user's, for the application's conflict dialog.

On a team register the check runs inside the write transaction, after the write lock is taken,
so no change can slip in between the check and the save. A local register has one writer (its
lock file): the check runs just before the save.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registre import services
from registre.errors import EXIT_LOCKED, RecordNotFound, RegistreError
from registre.model import ENTITY_CLASSES, ROW_CLASSES, AuditEntry
from registre.restoration import ROW_COLLECTIONS
from registre.schema import ACTIVITY, ENTITIES, Entity, Kind
from registre.storage import Register


@dataclass(frozen=True)
class Edition:
    """What an editor shows: the record's values and version when it was read."""

    entity: str
    record_id: str
    row_version: int
    values: dict[str, Any]


@dataclass(frozen=True)
class FieldConflict:
    """One field changed both by the user and, meanwhile, by someone else."""

    field: str
    label_fr: str
    label_en: str
    base: Any  # what the user started from
    theirs: Any  # what the other person saved
    yours: Any  # what the user wants to save
    by: str  # who saved ``theirs``


class EditConflict(RegistreError):
    """Someone else changed the same fields of the record while the user was editing it."""

    exit_code = EXIT_LOCKED
    text_fr = (
        "« {record} » a été modifié par {by} pendant votre saisie ({fields}) : rien n'a été "
        "enregistré."
    )
    text_en = (
        "“{record}” was changed by {by} while you were editing it ({fields_en}): nothing was "
        "saved."
    )
    hint_fr = "Choisissez, champ par champ, la valeur à garder, puis enregistrez à nouveau."
    hint_en = "Choose, field by field, the value to keep, then save again."

    def __init__(self, record: str, conflicts: tuple[FieldConflict, ...], row_version: int):
        self.conflicts = conflicts
        self.row_version = row_version
        super().__init__(
            record=record,
            by=", ".join(sorted({c.by for c in conflicts})),
            fields=", ".join(f"« {c.label_fr} »" for c in conflicts),
            fields_en=", ".join(f"“{c.label_en}”" for c in conflicts),
        )


def _stored(record: Any, kind: Kind, key: str) -> Any:
    value = getattr(record, key)
    if kind == Kind.REFERENCES:
        return sorted(item.id for item in value)
    if kind == Kind.MULTICHOICE:
        return list(value or [])
    return value


def _normal(kind: Kind, value: Any) -> Any:
    return sorted(value) if kind == Kind.REFERENCES and isinstance(value, list) else value


def _entity(entity: str) -> tuple[Entity, Any]:
    """Schema and class of a record, or of a row of an activity's collection."""
    if entity in ROW_COLLECTIONS:
        collection = ROW_COLLECTIONS[entity]
        return ACTIVITY.collection(collection).entity, ROW_CLASSES[collection]
    return ENTITIES[entity], ENTITY_CLASSES[entity]


def start_edit(register: Register, entity: str, record_id: str) -> Edition:
    """The record (or row) as an editor starts from it."""
    spec, cls = _entity(entity)
    with register.read() as session:
        record = session.get(cls, record_id)
        if record is None:
            raise RecordNotFound(entity=spec.label_fr, id=record_id)
        values = {f.key: _stored(record, f.kind, f.key) for f in spec.fields}
        return Edition(entity, record_id, int(record.row_version), values)


def _last_author(session: Session, record_id: str) -> str:
    actor = session.scalar(
        select(AuditEntry.actor)
        .where(AuditEntry.entity_id == record_id)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    )
    return str(actor) if actor else "?"


def conflicts_with(
    session: Session, edition: Edition, values: Mapping[str, Any]
) -> tuple[int, tuple[FieldConflict, ...]]:
    """The record's current version and the fields of ``values`` changed meanwhile by
    someone else to another value than the user's."""
    spec, cls = _entity(edition.entity)
    record = session.get(cls, edition.record_id)
    if record is None:
        raise RecordNotFound(entity=spec.label_fr, id=edition.record_id)
    current = int(record.row_version)
    if current == edition.row_version:
        return current, ()
    found = []
    for key, wanted in values.items():
        field = spec.field(key)
        yours = _normal(field.kind, services.coerce(field, wanted))
        theirs = _normal(field.kind, _stored(record, field.kind, key))
        base = _normal(field.kind, edition.values.get(key))
        if theirs not in (base, yours):
            found.append(
                FieldConflict(
                    key, field.label("fr"), field.label("en"), base, theirs, yours,
                    _last_author(session, edition.record_id),
                )
            )
    return current, tuple(found)


_UPDATES: dict[str, Callable[..., services.Change]] = {
    "activity": services.update_activity,
    "organisation": services.update_organisation,
    "processor": services.update_processor,
    "software": services.update_software,
}


def save_edit(register: Register, edition: Edition, **values: Any) -> services.Change:
    """Save the fields the user changed, merged with what others saved meanwhile;
    EditConflict (nothing saved) when someone else changed one of them differently."""
    spec = _entity(edition.entity)[0]
    shown = [edition.values.get(f.key) for f in spec.fields]
    texts = [value for value in shown if isinstance(value, str) and value]  # a row: its text
    title = str(edition.values.get(spec.title_field) or (texts[0] if texts else spec.label_fr))

    def refuse_conflicts(session: Session) -> None:
        current, found = conflicts_with(session, edition, values)
        if found:
            raise EditConflict(title, found, current)

    def save() -> services.Change:
        update = _UPDATES.get(edition.entity)
        if update is not None:
            return update(register, edition.record_id, **values)
        if edition.entity in ROW_COLLECTIONS:
            return services.update_row(
                register,
                collection=ROW_COLLECTIONS[edition.entity],
                row_id=edition.record_id,
                **values,
            )
        return services.update_record(register, edition.entity, edition.record_id, **values)

    guard = getattr(register, "guarded", None)
    if guard is not None:  # team register: checked inside the write transaction
        with guard(refuse_conflicts):
            return save()
    with register.read() as session:  # local register: one writer, checked just before
        refuse_conflicts(session)
    return save()
