"""The audit trail: one append-only entry per change, chained by SHA-256 to the previous one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from registre.model import AuditEntry

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
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        self.seq, self.head = (last[0], last[1]) if last else (0, GENESIS_HASH)

    def __enter__(self) -> AuditTrail:
        return self

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        if exc_type is None and self.pending:
            self.session.execute(insert(AuditEntry), self.pending)
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
