"""What a register directory holds, and a raw keyed connection to its database.

``registre.db`` (SQLCipher 4, keyed with a random data key), ``keyslots.json`` (that key wrapped
under the passphrase and the recovery key), ``registre.lock`` while a process writes, and the
``backups`` folder. Nothing here opens a SQLAlchemy engine: backups, restores and key rotation
use these pieces without depending on ``registre.storage``.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from registre import crypto
from registre.anchor import Anchor, write_anchor
from registre.audit import GENESIS_HASH, AuditTrail, chain_head
from registre.errors import RegisterDamaged
from registre.files import storage_failure

DB_NAME = "registre.db"
SLOTS_NAME = crypto.SLOT_FILE_NAME
LOCK_NAME = "registre.lock"
BACKUP_DIR = "backups"
REGISTER_SUFFIX = ".registre"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def display_name(directory: Path) -> str:
    """Folder name of a register without its ``.registre`` suffix."""
    name = Path(directory).name
    return name[: -len(REGISTER_SUFFIX)] if name.endswith(REGISTER_SUFFIX) else name


def is_register(directory: Path) -> bool:
    """True when ``directory`` looks like a register (has its key slots)."""
    return (Path(directory) / SLOTS_NAME).is_file()


def damaged(directory: Path, reason: str, reason_en: str) -> RegisterDamaged:
    """The « damaged or altered » error for the register in ``directory``."""
    return RegisterDamaged(register=display_name(directory), reason=reason, reason_en=reason_en)


def pages_in_wal(db_path: Path) -> set[int]:
    """Numbers of the pages whose current version is in the database's WAL file (empty when
    there is none). Frame headers are plain SQLite; only frames of the WAL's current
    generation (same salts as its header) count."""
    try:
        data = Path(f"{db_path}-wal").read_bytes()
    except OSError:
        return set()
    if len(data) < 32 or data[:4] not in (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83"):
        return set()
    (page_size,) = struct.unpack(">I", data[8:12])
    salts = data[16:24]
    pages: set[int] = set()
    offset = 32
    while offset + 24 + page_size <= len(data) and data[offset + 8 : offset + 16] == salts:
        pages.add(struct.unpack(">I", data[offset : offset + 4])[0])
        offset += 24 + page_size
    return pages


def open_cipher_connection(path: Path, key: bytes, mode: str) -> Any:
    """A raw SQLCipher connection (``mode``: ro, rw or rwc), keyed with the data key."""
    target = f"{Path(path).resolve().as_uri()}?mode={mode}"
    connection = sqlcipher.connect(target, uri=True, check_same_thread=False)
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def verify_database(db_path: Path, data_key: bytes, register_id: str) -> int:
    """Its schema version; RegisterDamaged unless the database opens, belongs and is intact."""
    try:
        connection = open_cipher_connection(db_path, data_key, "ro")
    except sqlcipher.Error as exc:
        raise damaged(db_path, "copie illisible", "unreadable copy") from exc
    try:
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        cipher = connection.execute("PRAGMA cipher_integrity_check").fetchall()
        sqlite = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlcipher.Error as exc:
        raise damaged(db_path, "copie illisible", "unreadable copy") from exc
    finally:
        connection.close()
    if meta.get("register_id") != register_id or cipher or sqlite != [("ok",)]:
        raise damaged(db_path, "copie non conforme", "copy does not verify")
    return int(meta.get("schema_version", "0"))


def record_in_file(
    db_path: Path,
    key: bytes,
    register_id: str,
    *,
    actor: str,
    at: dt.datetime,
    action: str,
    changes: dict[str, Any],
) -> Anchor:
    """Append one register-level audit entry to the closed database at ``db_path`` (left as a
    single file); returns the new head of its chain."""
    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher,
        creator=lambda: open_cipher_connection(db_path, key, "rw"),
        poolclass=NullPool,
    )
    try:
        with Session(engine) as session, session.begin():
            with AuditTrail(session, actor) as trail:
                trail.append(
                    at=at,
                    action=action,
                    entity="register",
                    entity_id=register_id,
                    organisation_id=None,
                    changes=changes,
                )
            session.flush()
            seq, digest = chain_head(session)
    except OperationalError as exc:
        raise storage_failure(db_path, OSError(28, str(exc.orig))) from exc
    finally:
        engine.dispose()
    return Anchor(register_id, seq, digest)


def anchor_file(folder: Path, db_path: Path, key: bytes, register_id: str) -> None:
    """Write into ``folder`` the anchor of the chain head of the database at ``db_path``."""
    connection = open_cipher_connection(db_path, key, "ro")
    try:
        row = connection.execute(
            "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    except sqlcipher.Error as exc:
        raise damaged(db_path, "copie illisible", "unreadable copy") from exc
    finally:
        connection.close()
    seq, digest = (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)
    write_anchor(folder, Anchor(register_id, seq, digest), key)
