"""The audit trail: one append-only entry per change, chained by SHA-256 to the previous one."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from registre.model import AuditEntry, table_of

AUDIT = table_of(AuditEntry)  # the chain's own statements need no mapper configuration

GENESIS_HASH = "0" * 64


def jsonable(value: Any) -> Any:
    """``value`` in a JSON-serialisable form (dates as ISO text)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


def compute_hash(
    *,
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    organisation_id: str | None,
    changes: dict[str, Any],
) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the entry."""
    canonical = json.dumps(
        {
            "prev": prev_hash,
            "seq": seq,
            "at": _timestamp(at),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "organisation_id": organisation_id,
            "changes": changes,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _timestamp(at: dt.datetime) -> str:
    """Timestamp as stored: naive UTC to the microsecond (SQLite keeps no timezone)."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


class AuditTrail:
    """Appends entries to the chain within a write session, inserted together on exit.

    Use as ``with register.write() as session, AuditTrail(session, actor) as trail:``.
    """

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self.pending: list[dict[str, Any]] = []
        self.seq, self.head = _append_point(session)

    def __enter__(self) -> AuditTrail:
        return self

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        if exc_type is None and self.pending:
            self.session.execute(insert(AUDIT), self.pending)
            self.pending = []

    def append(
        self,
        *,
        at: dt.datetime,
        action: str,
        entity: str,
        entity_id: str,
        organisation_id: str | None,
        changes: dict[str, Any],
    ) -> str:
        """Record one change, advance the chain head and return the entry's hash."""
        changes = jsonable(changes)
        at = at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at
        seq = self.seq + 1
        digest = compute_hash(
            prev_hash=self.head,
            seq=seq,
            at=at,
            actor=self.actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            organisation_id=organisation_id,
            changes=changes,
        )
        self.pending.append(
            {
                "seq": seq,
                "at": at,
                "actor": self.actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "organisation_id": organisation_id,
                "changes": changes,
                "prev_hash": self.head,
                "hash": digest,
            }
        )
        self.seq, self.head = seq, digest
        return digest


def _append_point(session: Session) -> tuple[int, str]:
    """The head to append after. On a team register whose row-level security hides entries of
    other organisations, a server function returns it (number and hash, nothing else)."""
    if session.get_bind().dialect.name == "postgresql":
        head = session.execute(text("SELECT to_regproc('registre_audit_head')")).scalar()
        if head is not None:
            row = session.execute(text("SELECT seq, hash FROM registre_audit_head()")).one()
            return (int(row[0]), str(row[1])) if row[0] is not None else (0, GENESIS_HASH)
    return chain_head(session)


@dataclass(frozen=True)
class ChainReport:
    """Result of verifying the audit chain."""

    entries: int
    first_broken_seq: int | None

    @property
    def intact(self) -> bool:
        """True when every entry's hash and link verify."""
        return self.first_broken_seq is None


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in order; report the first entry that does not verify."""
    head = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        digest = compute_hash(
            prev_hash=head,
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            organisation_id=entry.organisation_id,
            changes=entry.changes,
        )
        if entry.seq != expected_seq or entry.prev_hash != head or entry.hash != digest:
            return ChainReport(count, entry.seq)
        head = digest
        expected_seq += 1
    return ChainReport(count, None)


def chain_head(session: Session) -> tuple[int, str]:
    """Number and hash of the last entry (0 and the genesis hash when there is none)."""
    last = session.execute(
        select(AUDIT.c.seq, AUDIT.c.hash).order_by(AUDIT.c.seq.desc()).limit(1)
    ).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)


@dataclass(frozen=True)
class HeadCheck:
    """How the chain compares with the head recorded outside the database."""

    anchored_seq: int
    head_seq: int
    problem_fr: str = ""
    problem_en: str = ""

    @property
    def matches(self) -> bool:
        """True when the chain holds the anchored entry (it may have grown past it)."""
        return not self.problem_fr


def check_head(session: Session, anchored_seq: int, anchored_hash: str) -> HeadCheck:
    """Compare the chain with an anchored head: shortened or rewritten chains do not match."""
    head_seq, _head_hash = chain_head(session)
    if head_seq < anchored_seq:
        missing = anchored_seq - head_seq
        french = "la dernière entrée" if missing == 1 else f"les {missing} dernières entrées"
        english = "the last entry is" if missing == 1 else f"the last {missing} entries are"
        return HeadCheck(
            anchored_seq,
            head_seq,
            f"il manque {french} du journal (après l'entrée {head_seq})",
            f"{english} missing from the audit trail (after entry {head_seq})",
        )
    found: str | None = GENESIS_HASH
    if anchored_seq:
        found = session.scalar(select(AUDIT.c.hash).where(AUDIT.c.seq == anchored_seq))
    if found != anchored_hash:
        return HeadCheck(
            anchored_seq,
            head_seq,
            f"l'entrée {anchored_seq} du journal a été réécrite",
            f"audit entry {anchored_seq} was rewritten",
        )
    return HeadCheck(anchored_seq, head_seq)


# --------------------------------------------------------------------------------------------
# Replay: does the trail account for every record as it is stored?
# --------------------------------------------------------------------------------------------

# Values the service functions set without an entry of their own (stamps, creation defaults).
_STAMPS = frozenset({"created_on", "updated_on"})
_CREATION_DEFAULTS: dict[str, dict[str, Any]] = {
    "activity": {"role": "controller", "status": "draft"},
}
_EMPTY: tuple[Any, ...] = (None, [], "")


@dataclass(frozen=True)
class Difference:
    """The first place where the stored records and the replayed trail disagree."""

    entity: str
    record_id: str
    field: str | None  # None: the record itself (present on one side only)
    stored: Any
    recorded: Any
    seq: int | None  # the entry that recorded the value, None when there is none

    def message(self, lang: str = "fr") -> str:
        """One sentence naming the record, the field and both values."""
        from registre.schema import ENTITIES

        spec = ENTITIES.get(self.entity) or _row_entities().get(self.entity)
        what = spec.label(lang) if spec is not None else self.entity
        where = f"{what} {self.record_id}"
        if self.field is None:
            if self.seq is None:
                return (
                    f"{where} is in the database but its creation is not in the audit trail"
                    if lang == "en"
                    else f"{where} : présent dans la base, sa création n'est pas au journal"
                )
            return (
                f"{where} is in the audit trail (entry {self.seq}) but not in the database"
                if lang == "en"
                else f"{where} : au journal (entrée {self.seq}), absent de la base"
            )
        label = self.field
        if spec is not None:
            label = next((f.label(lang) for f in spec.fields if f.key == self.field), self.field)
        source = f"entry {self.seq}" if lang == "en" else f"entrée {self.seq}"
        if self.seq is None:
            source = "no entry" if lang == "en" else "aucune entrée"
        if lang == "en":
            return (
                f"{where}, “{label}”: {self.stored!r} in the database, "
                f"{self.recorded!r} according to the audit trail ({source})"
            )
        return (
            f"{where}, « {label} » : {self.stored!r} dans la base, "
            f"{self.recorded!r} d'après le journal ({source})"
        )


@dataclass
class _Known:
    """A record as the trail describes it."""

    entity: str
    organisation_id: str | None
    created_seq: int
    fields: dict[str, tuple[Any, int]]  # value and the entry that set it


@functools.cache
def _row_entities() -> dict[str, Any]:
    """Schema of the rows of an activity's collections, by entity name."""
    from registre.schema import ACTIVITY

    return {collection.entity.name: collection.entity for collection in ACTIVITY.collections}


def replay_differences(session: Session) -> list[Difference]:
    """Replay every entry against the stored records; the disagreements, earliest first.

    Creations, changes and deletions of organisations, activities (with their rows),
    processors, software and any entity the schema declares are followed, including what a
    deletion takes along (an organisation's records, an activity's rows, links to a deleted
    processor). Fields the services keep up to date themselves (dates of creation and last
    change) are not compared.
    """
    from registre.model import ENTITY_CLASSES, ROW_CLASSES
    from registre.schema import ACTIVITY, ENTITIES

    row_entities = _row_entities()
    collections = {c.key: c.entity.name for c in ACTIVITY.collections}
    tracked = set(ENTITY_CLASSES) | set(row_entities)
    known: dict[tuple[str, str], _Known] = {}

    def create(entity: str, record_id: str, org: str | None, seq: int, values: Any) -> None:
        item = _Known(entity, org, seq, {})
        known[(entity, record_id)] = item
        set_values(item, values, seq)

    def set_values(item: _Known, values: dict[str, Any], seq: int) -> None:
        for key, value in values.items():
            if item.entity == ACTIVITY.name and key in collections and isinstance(value, list):
                for row in value:
                    if isinstance(row, dict) and "id" in row:
                        fields = {k: v for k, v in row.items() if k != "id"}
                        create(collections[key], str(row["id"]), item.organisation_id, seq, fields)
            else:
                item.fields[key] = (value, seq)

    def forget_rows(entity: str, values: dict[str, Any]) -> None:
        for key, rows in values.items():
            if entity == ACTIVITY.name and key in collections and isinstance(rows, list):
                for row in rows:
                    if isinstance(row, dict) and "id" in row:
                        known.pop((collections[key], str(row["id"])), None)

    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        if entry.entity not in tracked:
            continue
        key = (entry.entity, entry.entity_id)
        changes = entry.changes or {}
        new = {field: pair[1] for field, pair in changes.items() if isinstance(pair, list)}
        old = {field: pair[0] for field, pair in changes.items() if isinstance(pair, list)}
        if entry.action == "created":
            create(entry.entity, entry.entity_id, entry.organisation_id, entry.seq, new)
        elif entry.action == "updated" and key in known:
            forget_rows(entry.entity, old)
            set_values(known[key], new, entry.seq)
        elif entry.action == "deleted":
            known.pop(key, None)
            forget_rows(entry.entity, old)
            if entry.entity == "organisation":
                for other in [k for k, v in known.items() if v.organisation_id == entry.entity_id]:
                    del known[other]
            _unlink(known, entry.entity_id)

    differences: list[Difference] = []
    stored_keys: set[tuple[str, str]] = set()
    classes = {name: cls for name, cls in ENTITY_CLASSES.items() if name in ENTITIES}
    classes.update({collections[key]: cls for key, cls in ROW_CLASSES.items()})
    for entity, cls in classes.items():
        spec = ENTITIES.get(entity) or row_entities[entity]
        records: Any = session.scalars(select(cls))
        for record in records:
            stored_keys.add((entity, record.id))
            item = known.get((entity, record.id))
            if item is None:
                differences.append(Difference(entity, record.id, None, "", "", None))
                continue
            for field_spec in spec.fields:
                difference = _compare(entity, record, field_spec, item)
                if difference is not None:
                    differences.append(difference)
    for (entity, record_id), item in known.items():
        if (entity, record_id) not in stored_keys:
            differences.append(Difference(entity, record_id, None, "", "", item.created_seq))
    return sorted(differences, key=lambda d: (d.seq is None, d.seq or 0, d.entity, d.record_id))


def _unlink(known: dict[tuple[str, str], _Known], deleted_id: str) -> None:
    """Links to a deleted record disappear with it (no entry records that)."""
    for item in known.values():
        for field, (value, seq) in list(item.fields.items()):
            if value == deleted_id:
                item.fields[field] = (None, seq)
            elif isinstance(value, list) and deleted_id in value:
                item.fields[field] = ([v for v in value if v != deleted_id], seq)


def _compare(entity: str, record: Any, spec: Any, item: _Known) -> Difference | None:
    from registre.schema import Kind

    if spec.key in _STAMPS:
        return None
    value = getattr(record, spec.key)
    if spec.kind == Kind.REFERENCES:
        stored: Any = sorted(linked.id for linked in value)
    else:
        stored = jsonable(list(value) if isinstance(value, list) else value)
    if spec.key in item.fields:
        recorded, seq = item.fields[spec.key]
        if spec.kind == Kind.REFERENCES and isinstance(recorded, list):
            recorded = sorted(recorded)
        if stored == recorded or (stored in _EMPTY and recorded in _EMPTY):
            return None
        return Difference(entity, record.id, spec.key, stored, recorded, seq)
    if stored in _EMPTY or stored == _CREATION_DEFAULTS.get(entity, {}).get(spec.key):
        return None
    return Difference(entity, record.id, spec.key, stored, None, item.created_seq)
