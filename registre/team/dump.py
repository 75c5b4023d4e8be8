"""Backups of a team register: a verified JSON dump of every table, and its restoration.

A dump is taken in one ``REPEATABLE READ`` transaction (a consistent snapshot while others keep
writing), written privately and atomically, then read back from the disk and verified before
it is reported: its digest, the row count of every table against the snapshot, and the audit
chain it holds. Restoring verifies the file the same way, then replaces the register's
contents in one transaction (into an empty database, or over the same register), so the
register is either as it was or as restored. An IT department's ``pg_dump`` of the database
remains the other way to back it up (``docs/team.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Table, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from registre import migrations
from registre.audit import GENESIS_HASH, compute_hash
from registre.context import Context
from registre.errors import InvalidBackup
from registre.files import storage_failure, write_atomic
from registre.model import Base
from registre.team.connection import PasswordPrompt, connect_engine, parse_address
from registre.team.errors import TeamRegisterExists
from registre.team.register import (
    _ACTOR_TRIGGER,
    WRITE_LOCK,
    TeamRegister,
    _team_context,
    server_error,
    upgrade,
)

FORMAT = "registre-team-backup"
ASSIGNMENTS = "team_assignment"  # who sees which organisation (``registre.team.roles``)
FORMAT_VERSION = 1


@dataclass(frozen=True)
class DumpSummary:
    """What a verified dump holds."""

    path: Path
    register_id: str
    schema_version: int
    rows: dict[str, int]
    audit_entries: int


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decode(table: Table, column: str, value: Any) -> Any:
    if value is None:
        return None
    kind = table.c[column].type
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    return value


def _digest(tables: dict[str, Any]) -> str:
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def dump_team_register(register: TeamRegister, output: Path) -> DumpSummary:
    """Write a verified dump of ``register`` to ``output``."""
    tables: dict[str, Any] = {}
    with register.read() as session:
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        for table in Base.metadata.sorted_tables:
            columns = [column.name for column in table.columns]
            order = [table.c[name] for name in _key_columns(table)]
            rows = session.execute(select(table).order_by(*order)).all()
            tables[table.name] = {
                "columns": columns,
                "rows": [[_encode(value) for value in row] for row in rows],
            }
        if session.scalar(text("SELECT to_regclass('team_assignment')")) is not None:
            rows = session.execute(
                text(f"SELECT role_name, organisation_id FROM {ASSIGNMENTS} ORDER BY 1, 2")
            ).all()
            tables[ASSIGNMENTS] = {
                "columns": ["role_name", "organisation_id"],
                "rows": [list(row) for row in rows],
            }
    meta = dict(tables["meta"]["rows"])
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "register_id": register.register_id,
        "schema_version": int(meta["schema_version"]),
        "taken_at": register.context.clock().isoformat(timespec="seconds"),
        "taken_by": register.context.actor,
        "sha256": _digest(tables),
        "tables": tables,
    }
    data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise storage_failure(output, exc) from exc
    summary = verify_dump(output)
    expected = {name: len(table["rows"]) for name, table in tables.items()}
    if summary.rows != expected:  # the disk did not keep what was written
        raise InvalidBackup(
            path=str(output), reason="relecture différente", reason_en="read back differs"
        )
    return summary


def _key_columns(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns] or [
        column.name for column in table.columns
    ]


def _refuse(path: Path, reason: str, reason_en: str) -> InvalidBackup:
    return InvalidBackup(path=str(path), reason=reason, reason_en=reason_en)


def _read(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except OSError as exc:
        raise _refuse(path, "fichier illisible", "unreadable file") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(path, "ce n'est pas du JSON", "not JSON") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _refuse(
            path, "pas une sauvegarde de registre d'équipe", "not a team register backup"
        )
    return document


def verify_dump(path: Path) -> DumpSummary:
    """Check a dump's format, digest, tables and audit chain; InvalidBackup when it fails."""
    document = _read(path)
    tables = document.get("tables")
    if not isinstance(tables, dict) or document.get("sha256") != _digest(tables):
        raise _refuse(path, "empreinte SHA-256 incorrecte", "wrong SHA-256 digest")
    version = document.get("schema_version")
    if not isinstance(version, int) or version > migrations.SCHEMA_VERSION:
        raise _refuse(
            path, "schéma plus récent que cette version", "schema newer than this version"
        )
    known = {table.name: table for table in Base.metadata.sorted_tables}
    for name, content in tables.items():
        if (name not in known and name != ASSIGNMENTS) or not isinstance(content, dict):
            raise _refuse(path, f"table inconnue {name}", f"unknown table {name}")
    entries = _verify_chain(path, tables.get("audit_entry"))
    return DumpSummary(
        path,
        str(document.get("register_id")),
        version,
        {name: len(content.get("rows", [])) for name, content in tables.items()},
        entries,
    )


def _verify_chain(path: Path, table: Any) -> int:
    if not isinstance(table, dict):
        raise _refuse(path, "journal absent", "audit trail missing")
    head, expected = GENESIS_HASH, 1
    for values in table["rows"]:
        entry = dict(zip(table["columns"], values, strict=True))
        digest = compute_hash(
            prev_hash=head,
            seq=entry["seq"],
            at=dt.datetime.fromisoformat(entry["at"]),
            actor=entry["actor"],
            action=entry["action"],
            entity=entry["entity"],
            entity_id=entry["entity_id"],
            organisation_id=entry["organisation_id"],
            changes=entry["changes"],
        )
        if entry["seq"] != expected or entry["prev_hash"] != head or entry["hash"] != digest:
            raise _refuse(
                path,
                f"journal rompu à l'entrée {entry['seq']}",
                f"audit chain broken at entry {entry['seq']}",
            )
        head, expected = digest, expected + 1
    return expected - 1


def restore_team_register(
    url: str,
    source: Path,
    *,
    context: Context | None = None,
    ask_password: PasswordPrompt | None = None,
) -> DumpSummary:
    """Replace the contents of the team register at ``url`` (or fill an empty database) with
    the verified dump ``source``, in one transaction; the restoration is itself recorded."""
    summary = verify_dump(source)
    document = _read(source)
    address = parse_address(url)
    engine = connect_engine(address, ask_password)
    try:
        context = _team_context(context, engine)
        existing = inspect(engine).get_table_names()
        try:
            with engine.begin() as connection:
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
                if existing:
                    current = connection.execute(
                        text("SELECT value FROM meta WHERE key = 'register_id'")
                    ).scalar()
                    if current != summary.register_id:
                        raise TeamRegisterExists(server=address.display)
                    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
                    connection.execute(text(f"TRUNCATE {names} CASCADE"))
                else:
                    Base.metadata.create_all(connection)
                    for statement in _ACTOR_TRIGGER:
                        connection.execute(text(statement))
                _insert_all(connection, document["tables"])
                _restore_assignments(connection, document["tables"].get(ASSIGNMENTS))
        except DBAPIError as exc:
            raise server_error(address, exc) from exc
        register = TeamRegister(
            address,
            engine,
            summary.register_id,
            context,
            read_only=False,
            ask_secret=None,
            team_name=address.database,
        )
        if summary.schema_version < migrations.SCHEMA_VERSION:
            upgrade(register, summary.schema_version)
        _record_restoration(register, source, summary)
    finally:
        engine.dispose()
    return summary


def _insert_all(connection: Any, tables: dict[str, Any]) -> None:
    for table in Base.metadata.sorted_tables:
        content = tables.get(table.name)
        if not content or not content["rows"]:
            continue
        rows = [
            {
                name: _decode(table, name, value)
                for name, value in zip(content["columns"], values, strict=True)
                if name in table.c
            }
            for values in content["rows"]
        ]
        if table.name == "audit_entry":  # written by others: the actor trigger stays quiet
            connection.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_actor"))
        connection.execute(insert(table), rows)
        if table.name == "audit_entry":
            connection.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_actor"))


def _restore_assignments(connection: Any, content: dict[str, Any] | None) -> None:
    """Roles, row-level security and assignments as they were (when the dump has them)."""
    if content is None:
        return
    from registre.team.roles import ROLES_SQL

    connection.connection.driver_connection.execute(ROLES_SQL)
    connection.execute(text(f"DELETE FROM {ASSIGNMENTS}"))
    for role_name, organisation_id in content["rows"]:
        connection.execute(
            text(f"INSERT INTO {ASSIGNMENTS} VALUES (:role, :organisation)"),
            {"role": role_name, "organisation": organisation_id},
        )


def _record_restoration(register: TeamRegister, source: Path, summary: DumpSummary) -> None:
    from registre.audit import AuditTrail

    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        trail.append(
            at=register.context.clock(),
            action="restored",
            entity="register",
            entity_id=register.register_id,
            organisation_id=None,
            changes={"backup": [None, source.name], "audit_entries": [None, summary.audit_entries]},
        )
