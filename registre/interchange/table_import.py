"""Spreadsheet and CSV imports matched against one organisation, then written.

An activity of the file whose reference is already in the organisation (or, without a
reference, whose name is) **updates** that activity, on the fields the file carries, and the
plan lists the changes field by field. Other activities are created; a second activity with the
same reference (or, without references, the same name) is created too, marked to review, unless
it repeats the first exactly. « Same name with another reference » is another activity.

Organisation details found in the file fill the organisation's empty fields. A different value
given by an activity's row or fiche goes to that activity's notes; one given by the list sheet's
contact blocks is left aside (the register keeps its own) and reported. Processors and software
described on their own sheets are created or updated by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registre import services
from registre.errors import RecordNotFound
from registre.interchange.json_format import ActivityRecord, Record
from registre.interchange.ledger import FIELD, KEPT, NOTE, Ledger, note_line
from registre.interchange.plan import (
    CREATE,
    IGNORE,
    UPDATE,
    IncomingActivity,
    IncomingRecord,
    PlanEntry,
    TablePayload,
)
from registre.interchange.text import normalise, render_value
from registre.interchange.writer import ActivityWriter
from registre.model import (
    ROW_CLASSES,
    Activity,
    Organisation,
    Processor,
    Software,
    activity_processor,
    activity_software,
)
from registre.schema import ACTIVITY, ORGANISATION, PROCESSOR, SOFTWARE, Entity, Kind
from registre.storage import Register

CHUNK = 500
NOTES = "legacy_notes"
COLLECTION_KEYS = tuple(collection.key for collection in ACTIVITY.collections)

Changes = dict[str, tuple[Any, Any]]


@dataclass
class ActivityChange:
    """An existing activity the import updates."""

    activity_id: str
    label: str
    where: str
    values: dict[str, Any]
    changes: Changes


@dataclass
class RecordChange:
    """A processor or software item the import creates (no id) or updates."""

    record_id: str | None
    name: str
    values: dict[str, Any]
    changes: Changes


@dataclass
class TableResolution:
    """What a spreadsheet or CSV import writes into its organisation."""

    organisation_id: str
    organisation_changes: Changes = field(default_factory=dict)
    processors: list[RecordChange] = field(default_factory=list)
    software: list[RecordChange] = field(default_factory=list)
    new_activities: list[dict[str, Any]] = field(default_factory=list)
    changed_activities: list[ActivityChange] = field(default_factory=list)
    entries: list[PlanEntry] = field(default_factory=list)
    ledger: Ledger = field(default_factory=lambda: Ledger(""))


def _fields_text(keys: Iterable[str], entity: Entity, lang: str) -> str:
    labels = []
    for key in keys:
        try:
            labels.append(entity.field(key).label(lang))
        except KeyError:
            labels.append(entity.collection(key).label(lang))
    return ", ".join(labels)


def _shown(entity: Entity, key: str, value: Any, lang: str) -> str:
    if value in (None, "", []):
        return "(empty)" if lang == "en" else "(vide)"
    if key in entity.keys and entity.field(key).kind != Kind.REFERENCES:
        value = render_value(entity.field(key), value)
    if isinstance(value, list):
        return f"{len(value)} item(s)" if lang == "en" else f"{len(value)} élément(s)"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).replace("\n", " ")
    text = f"{text[:60]}{'…' if len(text) > 60 else ''}"
    return f"“{text}”" if lang == "en" else f"« {text} »"


def changes_text(changes: Changes, entity: Entity, lang: str = "fr") -> str:
    """« Base légale : (vide) → « Obligation légale » ; Destinataires : 1 → 2 élément(s) »."""
    parts = []
    for key, (old, new) in changes.items():
        label = _fields_text([key], entity, lang)
        old_text, new_text = _shown(entity, key, old, lang), _shown(entity, key, new, lang)
        parts.append(
            f"{label}: {old_text} → {new_text}"
            if lang == "en"
            else f"{label} : {old_text} → {new_text}"
        )
    return "; ".join(parts) if lang == "en" else " ; ".join(parts)


def _comparable_rows(entity: Entity, rows: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{spec.key: row.get(spec.key) for spec in entity.fields} for row in rows or []]


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class TableMatcher:
    """Matches a table payload with one organisation of the register, inside one session."""

    def __init__(self, session: Session, payload: TablePayload, organisation_id: str) -> None:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            raise RecordNotFound(entity=ORGANISATION.label_fr, id=organisation_id)
        self.session = session
        self.payload = payload
        self.organisation = organisation
        self.result = TableResolution(organisation_id)
        self.result.ledger = deepcopy(payload.ledger)
        self.organisation_values = {
            spec.key: getattr(organisation, spec.key) for spec in ORGANISATION.fields
        }

    # -- organisation ---------------------------------------------------------------------------

    def _offer(self, key: str, value: Any) -> bool:
        """Fill ``key`` when empty; True when ``value`` is (now) the organisation's own.

        The organisation's name given where a person's name is expected (« Responsable du
        traitement : Commune de X ») is the organisation's own too.
        """
        text = normalise(str(value))
        if text == normalise(self.organisation.name):
            return key in ("name", "legal_representative_name")
        if key == "name":
            return False
        current = self.organisation_values.get(key)
        if current not in (None, ""):
            return normalise(str(current)) == text
        self.organisation_values[key] = value
        self.result.organisation_changes[key] = (getattr(self.organisation, key), value)
        return True

    def organisation_details(self) -> None:
        """The list sheet's contact blocks: fill empty fields, report the others."""
        kept = []
        for key, value in self.payload.organisation_values.items():
            if not self._offer(key, value):
                kept.append(key)
                for _cell in range(self.payload.organisation_cells.get(key, 1)):
                    self.result.ledger.move(FIELD, KEPT)
        if kept:
            self.result.entries.append(
                PlanEntry(
                    IGNORE,
                    ORGANISATION.name,
                    self.organisation.name,
                    "",
                    "valeurs du fichier différentes de celles du registre, qui garde les "
                    "siennes : "
                    + "; ".join(
                        f"{ORGANISATION.field(key).label_fr} « "
                        f"{self.payload.organisation_values[key]} »"
                        for key in kept
                    ),
                    "values differ from the register's, which keeps its own: "
                    + "; ".join(
                        f"{ORGANISATION.field(key).label_en} “"
                        f"{self.payload.organisation_values[key]}”"
                        for key in kept
                    ),
                )
            )

    def _activity_organisation(self, activity: IncomingActivity) -> list[str]:
        """Organisation details of one row: fill, or note lines for the differing ones."""
        lines = []
        for key, (value, title, cells) in activity.organisation.items():
            if not self._offer(key, value):
                lines.append(note_line(title, str(value)))
                for _cell in range(cells):
                    self.result.ledger.move(FIELD, NOTE)
        return lines

    # -- processors and software ---------------------------------------------------------------

    def records(self) -> dict[str, set[str]]:
        """Processors and software of the file's sheets, then names only (from activities)."""
        known: dict[str, set[str]] = {}
        pairs: tuple[tuple[str, Any, Entity, list[IncomingRecord]], ...] = (
            ("processors", Processor, PROCESSOR, self.payload.processors),
            ("software", Software, SOFTWARE, self.payload.software),
        )
        for key, cls, entity, incoming in pairs:
            existing: dict[str, Any] = {
                normalise(record.name): record
                for record in self.session.scalars(
                    select(cls).where(cls.organisation_id == self.result.organisation_id)
                )
            }
            target: list[RecordChange] = getattr(self.result, key)
            for item in incoming:
                self._record(entity, item, existing.get(normalise(item.values["name"])), target)
                existing.setdefault(normalise(item.values["name"]), None)
            names = {name for name in existing}
            for activity in self.payload.activities:
                for name in activity.values.get(key, []):
                    if normalise(name) not in names:
                        names.add(normalise(name))
                        target.append(RecordChange(None, name, {"name": name}, {}))
                        self.result.entries.append(
                            PlanEntry(CREATE, entity.name, name, activity.where)
                        )
            known[key] = names
        return known

    def _record(
        self, entity: Entity, item: IncomingRecord, found: Any, target: list[RecordChange]
    ) -> None:
        name = str(item.values["name"])
        if found is None:
            target.append(RecordChange(None, name, dict(item.values), {}))
            self.result.entries.append(PlanEntry(CREATE, entity.name, name, item.where))
            return
        changes: Changes = {}
        for key in item.carried:
            if key == "name" or key not in entity.keys:
                continue
            old, new = getattr(found, key), item.values.get(key)
            if key == "processor_id":
                old = found.processor.name if found.processor is not None else None
                if normalise(str(old or "")) == normalise(str(new or "")):
                    continue
            if old != new:
                changes[key] = (old, new)
        if changes:
            target.append(RecordChange(found.id, name, dict(item.values), changes))
            self.result.entries.append(
                PlanEntry(
                    UPDATE,
                    entity.name,
                    name,
                    item.where,
                    changes_text(changes, entity, "fr"),
                    changes_text(changes, entity, "en"),
                )
            )
        else:
            self.result.entries.append(
                PlanEntry(
                    IGNORE,
                    entity.name,
                    name,
                    item.where,
                    "déjà au registre, identique",
                    "already in the register, identical",
                )
            )

    # -- activities ----------------------------------------------------------------------------

    def _final(self, activity: IncomingActivity) -> tuple[dict[str, Any], set[str]]:
        """The values to write for ``activity``: its notes joined into the note field."""
        values = dict(activity.values)
        carried = set(activity.carried) | set(values)
        lines = [*activity.notes, *self._activity_organisation(activity)]
        if lines:
            existing = str(values.get(NOTES) or "")
            fresh = [line for line in lines if line not in existing.split("\n")]
            values[NOTES] = "\n".join(part for part in (existing, *fresh) if part)
            carried.add(NOTES)
        return values, {key for key in carried if key in ACTIVITY.keys or key in COLLECTION_KEYS}

    def activities(self) -> None:
        """Create, update or leave aside each activity of the file."""
        by_reference: dict[str, list[str]] = {}
        by_name: dict[str, list[str]] = {}
        for activity_id, reference, name in self.session.execute(
            select(Activity.id, Activity.reference, Activity.name).where(
                Activity.organisation_id == self.result.organisation_id
            )
        ):
            if reference:
                by_reference.setdefault(normalise(reference), []).append(activity_id)
            by_name.setdefault(normalise(name), []).append(activity_id)
        claimed: dict[str, IncomingActivity] = {}  # identity in the file → first activity
        matched: list[tuple[str, IncomingActivity, dict[str, Any], set[str]]] = []
        for activity in self.payload.activities:
            values, carried = self._final(activity)
            reference = normalise(str(values.get("reference") or ""))
            identity = f"ref:{reference}" if reference else f"name:{normalise(values['name'])}"
            first = claimed.get(identity)
            if first is not None:
                if first.values == activity.values and first.notes == activity.notes:
                    self.result.entries.append(
                        PlanEntry(
                            IGNORE,
                            ACTIVITY.name,
                            activity.label,
                            activity.where,
                            f"répète à l'identique la ligne {first.where}",
                            f"repeats {first.where} exactly",
                        )
                    )
                    continue
                why = (
                    "même référence qu'une autre ligne du fichier"
                    if reference
                    else "même nom qu'une autre ligne du fichier, sans référence"
                )
                values[NOTES] = "\n".join(
                    part for part in (note_line("À vérifier", why), values.get(NOTES)) if part
                )
                self._create(activity, values, why)
                continue
            claimed[identity] = activity
            candidates = by_reference.get(reference) if reference else by_name.get(identity[5:])
            if candidates:
                matched.append((candidates[0], activity, values, carried))
            else:
                self._create(activity, values, activity.review)
        self._compare(matched)

    def _create(self, activity: IncomingActivity, values: dict[str, Any], review: str) -> None:
        self.result.new_activities.append(values)
        reason = f"à vérifier : {review}" if review else ""
        self.result.entries.append(
            PlanEntry(
                CREATE,
                ACTIVITY.name,
                _label(values),
                activity.where,
                reason,
                f"to review: {review}" if review else "",
            )
        )

    def _compare(
        self, matched: list[tuple[str, IncomingActivity, dict[str, Any], set[str]]]
    ) -> None:
        current: dict[str, dict[str, Any]] = {}
        options = [selectinload(getattr(Activity, key)) for key in COLLECTION_KEYS]
        options += [selectinload(Activity.processors), selectinload(Activity.software)]
        ids = [activity_id for activity_id, *_rest in matched]
        for chunk in _chunks(ids):
            query = select(Activity).options(*options).where(Activity.id.in_(chunk))
            for record in self.session.scalars(query):
                data = services.activity_record(record)
                data["processors"] = [item.name for item in record.processors]
                data["software"] = [item.name for item in record.software]
                current[record.id] = data
        for activity_id, activity, values, carried in matched:
            old = current[activity_id]
            changes = activity_changes(old, values, carried)
            label = (
                f"{old.get('reference')} — {old['name']}" if old.get("reference") else old["name"]
            )
            if not changes:
                self.result.entries.append(
                    PlanEntry(
                        IGNORE,
                        ACTIVITY.name,
                        label,
                        activity.where,
                        "déjà au registre, identique",
                        "already in the register, identical",
                    )
                )
                continue
            self.result.changed_activities.append(
                ActivityChange(activity_id, label, activity.where, values, changes)
            )
            self.result.entries.append(
                PlanEntry(
                    UPDATE,
                    ACTIVITY.name,
                    label,
                    activity.where,
                    changes_text(changes, ACTIVITY, "fr"),
                    changes_text(changes, ACTIVITY, "en"),
                )
            )


def activity_changes(old: dict[str, Any], values: dict[str, Any], carried: set[str]) -> Changes:
    """Field by field, what ``values`` changes in the activity ``old``.

    Only what the file says counts: a cell left empty leaves the register's value as it is
    (it may have been completed in Registre since), a list given replaces the list.
    """
    changes: Changes = {}
    for spec in ACTIVITY.fields:
        key = spec.key
        if key not in carried or values.get(key) in (None, "", []):
            continue
        new: Any = values.get(key)
        if spec.kind == Kind.REFERENCES:
            before = sorted(normalise(name) for name in old[key])
            after = sorted({normalise(name) for name in new or []})
            if before != after:
                changes[key] = (old[key], list(dict.fromkeys(new or [])))
            continue
        if spec.kind == Kind.MULTICHOICE:
            new = new or []
        if key in ("role", "status") and new is None:
            continue
        if old[key] != new:
            changes[key] = (old[key], new)
    for collection in ACTIVITY.collections:
        key = collection.key
        if key not in carried or not values.get(key):
            continue
        rows_before = _comparable_rows(collection.entity, old[key])
        rows_after = _comparable_rows(collection.entity, values.get(key))
        if rows_before != rows_after:
            changes[key] = (old[key], rows_after)
    return changes


def _label(values: dict[str, Any]) -> str:
    reference = values.get("reference")
    return f"{reference} — {values['name']}" if reference else str(values["name"])


def resolve_table(session: Session, payload: TablePayload, organisation_id: str) -> TableResolution:
    """Organisation details to fill in, records to create or update, activities to leave."""
    matcher = TableMatcher(session, payload, organisation_id)
    matcher.organisation_details()
    matcher.records()
    matcher.activities()
    result = matcher.result
    if result.organisation_changes:
        keys = list(result.organisation_changes)
        result.entries.insert(
            0,
            PlanEntry(
                UPDATE,
                ORGANISATION.name,
                matcher.organisation.name,
                "",
                "champs vides complétés : " + _fields_text(keys, ORGANISATION, "fr"),
                "empty fields filled in: " + _fields_text(keys, ORGANISATION, "en"),
            ),
        )
    return result


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

Recorded = list[tuple[services.Change, str]]


def _apply_records(
    session: Session, register: Register, resolution: TableResolution
) -> tuple[dict[str, dict[str, str]], Recorded]:
    """Create or update processors and software; their ids by normalised name, and changes."""
    organisation_id = resolution.organisation_id
    ids: dict[str, dict[str, str]] = {"processors": {}, "software": {}}
    recorded: Recorded = []
    kinds: tuple[tuple[str, Any, Entity], ...] = (
        ("processors", Processor, PROCESSOR),
        ("software", Software, SOFTWARE),
    )
    for key, cls, entity in kinds:
        for record_id, name in session.execute(
            select(cls.id, cls.name).where(cls.organisation_id == organisation_id)
        ):
            ids[key].setdefault(normalise(name), record_id)
        for item in getattr(resolution, key):
            values = dict(item.values)
            if key == "software" and values.get("processor_id"):
                values["processor_id"] = ids["processors"].get(normalise(values["processor_id"]))
            if item.record_id is None:
                if normalise(item.name) in ids[key]:
                    continue
                record = cls(id=register.context.new_id(), organisation_id=organisation_id)
                for field_key, value in values.items():
                    setattr(record, field_key, value)
                session.add(record)
                ids[key][normalise(item.name)] = record.id
                created = {k: (None, v) for k, v in values.items() if v not in (None, "")}
                change = services.Change("created", entity.name, record.id, created)
                recorded.append((change, organisation_id))
            else:
                record = session.get(cls, item.record_id)
                changes = dict(item.changes)
                for field_key in changes:
                    setattr(record, field_key, values.get(field_key))
                if "processor_id" in changes:
                    changes["processor_id"] = (changes["processor_id"][0], values["processor_id"])
                change = services.Change("updated", entity.name, item.record_id, changes)
                recorded.append((change, organisation_id))
        session.flush()
    return ids, recorded


def apply_table(session: Session, register: Register, resolution: TableResolution) -> Recorded:
    """Write ``resolution`` inside the caller's transaction; returns the audit changes."""
    organisation_id = resolution.organisation_id
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise RecordNotFound(entity=ORGANISATION.label_fr, id=organisation_id)
    recorded: Recorded = []
    if resolution.organisation_changes:
        for key, (_old, new) in resolution.organisation_changes.items():
            setattr(organisation, key, new)
        change = services.Change(
            "updated", ORGANISATION.name, organisation_id, dict(resolution.organisation_changes)
        )
        recorded.append((change, organisation_id))
    ids, records = _apply_records(session, register, resolution)
    recorded += records
    writer = ActivityWriter(session, register.context.clock().date())
    new_id = register.context.new_id
    for values in resolution.new_activities:
        scalars = {key: value for key, value in values.items() if key not in ROW_CLASSES}
        for key in ("processors", "software"):
            scalars[key] = [ids[key][normalise(name)] for name in values.get(key, [])]
        rows = {
            key: [Record(new_id(), dict(row), "") for row in values[key]]
            for key in ROW_CLASSES
            if values.get(key)
        }
        record = ActivityRecord(new_id(), scalars, "", rows)
        recorded.append((writer.create(organisation_id, record), organisation_id))
    writer.flush()
    today = register.context.clock().date()
    for item in resolution.changed_activities:
        recorded.append((_update(session, register, item, ids, today), organisation_id))
    return recorded


def _update(
    session: Session,
    register: Register,
    item: ActivityChange,
    ids: dict[str, dict[str, str]],
    today: dt.date,
) -> services.Change:
    activity_table = Activity.__table__
    scalars = {
        key: new
        for key, (_old, new) in item.changes.items()
        if key not in ROW_CLASSES and key not in ("processors", "software")
    }
    if "updated_on" not in item.changes and "updated_on" not in item.values:
        scalars["updated_on"] = today
    for key, value in scalars.items():
        scalars[key] = services.coerce(ACTIVITY.field(key), value)
    if scalars:
        statement = activity_table.update().where(activity_table.c.id == item.activity_id)  # type: ignore[attr-defined]
        session.execute(statement.values(**scalars))
    changes = dict(item.changes)
    for key in (key for key in item.changes if key in ROW_CLASSES):
        table = ROW_CLASSES[key].__table__
        session.execute(table.delete().where(table.c.activity_id == item.activity_id))  # type: ignore[attr-defined]
        entity = ACTIVITY.collection(key).entity
        rows = []
        for position, row in enumerate(item.changes[key][1]):
            stored = services.validated(entity, {k: v for k, v in row.items() if v is not None})
            rows.append(
                {
                    "id": register.context.new_id(),
                    "activity_id": item.activity_id,
                    "position": position,
                    **stored,
                }
            )
        if rows:
            session.execute(table.insert(), rows)  # type: ignore[attr-defined]
        changes[key] = (
            item.changes[key][0],
            [
                {
                    k: v
                    for k, v in row.items()
                    if k not in ("activity_id", "position") and v is not None
                }
                for row in rows
            ],
        )
    for key in ("processors", "software"):
        if key not in item.changes:
            continue
        link = activity_processor if key == "processors" else activity_software
        column = "processor_id" if key == "processors" else "software_id"
        session.execute(link.delete().where(link.c.activity_id == item.activity_id))
        targets = [ids[key][normalise(name)] for name in item.changes[key][1]]
        if targets:
            session.execute(
                link.insert(),
                [{"activity_id": item.activity_id, column: target} for target in targets],
            )
    return services.Change("updated", ACTIVITY.name, item.activity_id, changes)
