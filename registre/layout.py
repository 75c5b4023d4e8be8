"""What a register directory holds, and a raw keyed connection to its database.

``registre.db`` (SQLCipher 4, keyed with a random data key), ``keyslots.json`` (that key wrapped
under the passphrase and the recovery key), ``registre.lock`` while a process writes, and the
``backups`` folder. Nothing here opens a SQLAlchemy engine: backups, restores and key rotation
use these pieces without depending on ``registre.storage``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from registre.errors import RegisterDamaged

DB_NAME = "registre.db"
SLOTS_NAME = "keyslots.json"
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
