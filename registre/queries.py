"""Readers of a register for the application and the command line.

They return plain data (dataclasses and dicts), never live ORM objects; each runs in one
read-only session. Also reachable as ``registre.services.<name>``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from registre.audit import ChainReport, verify_chain
from registre.model import (
    ENTITY_CLASSES,
    Activity,
    AuditEntry,
    Base,
    Meta,
    Organisation,
    Processor,
    Software,
)
from registre.records import (
    ActivitySummary,
    OrganisationSummary,
    RegisterInfo,
    field_snapshot,
    get_record,
)
from registre.schema import (
    ACTIVITY,
    COMPANION_KEYS,
    COMPANION_REGISTERS,
    ENTITIES,
)
from registre.storage import (
    Register,
)

# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


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


def activity_record(activity: Activity) -> dict[str, Any]:
    """Every field and collection of ``activity`` as plain data (rows as dicts with their id)."""
    record: dict[str, Any] = {"id": activity.id, "organisation_id": activity.organisation_id}
    record.update(field_snapshot(activity, ACTIVITY))
    for collection in ACTIVITY.collections:
        record[collection.key] = [
            {"id": row.id, **field_snapshot(row, collection.entity)}
            for row in getattr(activity, collection.key)
        ]
    return record


def record_of(register: Register, entity: str, record_id: str) -> dict[str, Any]:
    """One record as plain data: an organisation, processor, software or activity."""
    spec = ENTITIES[entity]
    with register.read() as session:
        record: Any = get_record(session, ENTITY_CLASSES[entity], record_id, spec.label_fr)
        if entity == ACTIVITY.name:
            return activity_record(record)
        data = {"id": record.id, **field_snapshot(record, spec)}
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
        return [{"id": r.id, **field_snapshot(r, spec)} for r in session.scalars(query)]


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
        Activity.regime,
    )
    named_keys = [column.key for column in columns]
    others = [key for key in ACTIVITY.list_columns if key not in named_keys]
    query = select(*columns, *(getattr(Activity, key) for key in others))
    query = query.order_by(Activity.reference, Activity.name)
    if organisation_id is not None:
        query = query.where(Activity.organisation_id == organisation_id)
    width = len(columns)
    summaries = []
    with register.read() as session:
        for row in session.execute(query):
            named: dict[str, Any] = dict(zip(named_keys, row[:width], strict=True))
            summaries.append(
                ActivitySummary(**named, others=dict(zip(others, row[width:], strict=True)))
            )
    return summaries


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
