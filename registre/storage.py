"""Register directories: the SQLCipher database, its key slots and its lock.

A register is one directory holding ``registre.db`` (SQLCipher 4, keyed with a random data key),
``keyslots.json`` (that key wrapped under the passphrase and the recovery key) and, while open
for writing, ``registre.lock``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from registre import __version__, crypto, migrations
from registre import passphrase as passphrase_policy
from registre.errors import (
    MistypedRecoveryKey,
    NewerRegister,
    NotARegister,
    OlderRegister,
    ReadOnlyRegister,
    RegisterDamaged,
    RegisterExists,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from registre.files import make_private_directory, storage_failure, write_atomic
from registre.lock import RegisterLock, current_user
from registre.model import Base, Meta, new_id

SCHEMA_VERSION = 5
DB_NAME = "registre.db"
SLOTS_NAME = "keyslots.json"
LOCK_NAME = "registre.lock"
REGISTER_SUFFIX = ".registre"


def utc_now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    """What the core takes from the outside world: clock, randomness, identity, KDF policy."""

    clock: Callable[[], dt.datetime] = utc_now
    random_bytes: Callable[[int], bytes] = os.urandom
    new_id: Callable[[], str] = new_id
    actor: str = field(default_factory=current_user)
    policy: crypto.KdfPolicy | None = None

    @property
    def kdf_policy(self) -> crypto.KdfPolicy:
        """The explicit policy, or the one in force for the process."""
        return self.policy or crypto.active_policy()


def _damaged(directory: Path, reason: str, reason_en: str) -> RegisterDamaged:
    return RegisterDamaged(register=directory.name, reason=reason, reason_en=reason_en)


def open_cipher_connection(path: Path, key: bytes, mode: str) -> Any:
    """A raw SQLCipher connection (``mode``: ro, rw or rwc), keyed with the data key."""
    target = f"{path.resolve().as_uri()}?mode={mode}"
    connection = sqlcipher.connect(target, uri=True, check_same_thread=False)
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def _configure(connection: Any, read_only: bool) -> None:
    """Verify the key with a read, then apply the storage pragmas."""
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("PRAGMA busy_timeout = 5000")
    connection.execute("PRAGMA secure_delete = ON")
    if not read_only:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")


def _make_engine(db_path: Path, key: bytes, read_only: bool, *, create: bool = False) -> Engine:
    mode = "ro" if read_only else "rwc" if create else "rw"

    def creator() -> Any:
        connection = open_cipher_connection(db_path, key, mode)
        _configure(connection, read_only)
        return connection

    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher,
        creator=creator,
        poolclass=NullPool if read_only else QueuePool,
    )

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A write transaction takes the database lock up front: no deadlock on lock upgrade.
        writing = connection.get_execution_options().get("registre_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    @event.listens_for(engine, "connect")
    def _no_autobegin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself

    return engine


class Register:
    """An unlocked register: its engine and session factory, until ``close()``."""

    def __init__(
        self,
        directory: Path,
        engine: Engine,
        register_id: str,
        context: Context,
        *,
        read_only: bool,
        lock: RegisterLock | None,
        demo: bool,
        data_key: bytes,
    ) -> None:
        self.directory = directory
        self._data_key = data_key
        self.engine = engine
        self.register_id = register_id
        self.context = context
        self.read_only = read_only
        self.demo = demo
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(registre_write=True), expire_on_commit=False
        )
        self.closed = False

    @property
    def data_key(self) -> bytes:
        """The database key, while the register is open (backups reuse it)."""
        if self.closed:
            raise ReadOnlyRegister(register=self.name)
        return self._data_key

    @property
    def name(self) -> str:
        """Display name of the register (its folder name without the suffix)."""
        return display_name(self.directory)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._sessions() as session:
            try:
                yield session
            except DatabaseError as exc:
                raise self._translate(exc) from exc
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or rolled back on error."""
        if self.read_only:
            raise ReadOnlyRegister(register=self.name)
        with self._write_sessions() as session:
            try:
                yield session
                session.commit()
            except OSError as exc:
                session.rollback()
                raise storage_failure(self.directory, exc) from exc
            except DatabaseError as exc:
                session.rollback()
                raise self._translate(exc) from exc
            except BaseException:
                session.rollback()
                raise

    def _translate(self, exc: DatabaseError) -> Exception:
        """The user-facing error for a database failure during a session."""
        if isinstance(exc, OperationalError):
            return _operational_failure(self.directory, exc)
        return _damaged(self.directory, "page illisible", "unreadable page")

    def close(self) -> None:
        """Checkpoint, return to a self-contained file (journal_mode=DELETE), drop the key."""
        if self.closed:
            return
        self.closed = True
        self._data_key = b""
        try:
            if not self.read_only:
                self.engine.dispose()  # idle pooled connections would block leaving WAL mode
                _checkpoint_to_single_file(self.engine)
        except sqlcipher.OperationalError:
            pass  # a connection of another thread is still open: the WAL is folded in next time
        finally:
            self.engine.dispose()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _checkpoint_to_single_file(engine: Engine) -> None:
    """Fold the WAL into the database and leave WAL mode, so the file stands alone."""
    connection = engine.raw_connection()
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()


def _operational_failure(directory: Path, exc: OperationalError) -> Exception:
    message = str(exc.orig).lower() if exc.orig is not None else ""
    if "full" in message:
        return storage_failure(directory, OSError(28, message))
    if "readonly" in message or "read-only" in message:
        return ReadOnlyRegister(register=display_name(directory))
    if "disk i/o" in message or "unable to open" in message:
        return storage_failure(directory, OSError(5, message))
    return exc


def display_name(directory: Path) -> str:
    """Folder name of a register without its ``.registre`` suffix."""
    name = directory.name
    return name[: -len(REGISTER_SUFFIX)] if name.endswith(REGISTER_SUFFIX) else name


def is_register(directory: Path) -> bool:
    """True when ``directory`` looks like a register (has its key slots)."""
    return (directory / SLOTS_NAME).is_file()


def read_slot_file(directory: Path, policy: crypto.KdfPolicy) -> crypto.SlotFile:
    """The validated key slots of the register in ``directory``."""
    if not directory.is_dir():
        raise NotARegister(path=str(directory))
    path = directory / SLOTS_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotARegister(path=str(directory)) from None
    except OSError as exc:
        raise storage_failure(path, exc) from exc
    try:
        return crypto.SlotFile.from_json(data, policy)
    except crypto.SlotFileInvalid as exc:
        raise _damaged(
            directory, f"fichier de clés invalide : {exc}", f"invalid key file: {exc}"
        ) from exc


def create_register(
    directory: Path,
    passphrase: str,
    *,
    context: Context | None = None,
    demo: bool = False,
) -> tuple[Register, str]:
    """Create an empty register; returns it open for writing and the printable recovery key.

    The register is built in a sibling temporary folder and renamed into place, so a crash never
    leaves a half-created register under the final name.
    """
    context = context or Context()
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise RegisterExists(path=str(directory))
    make_private_directory(directory.parent)
    staging = directory.with_name(f".{directory.name}.{os.getpid()}.creating")
    shutil.rmtree(staging, ignore_errors=True)
    make_private_directory(staging)
    try:
        data_key = context.random_bytes(crypto.DATA_KEY_BYTES)
        register_id = context.new_id()
        os.close(os.open(staging / DB_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        engine = _make_engine(staging / DB_NAME, data_key, read_only=False, create=True)
        try:
            Base.metadata.create_all(engine)
            now = context.clock().isoformat(timespec="seconds")
            with Session(engine.execution_options(registre_write=True)) as session, session.begin():
                session.add_all(
                    [
                        Meta(key="schema_version", value=str(SCHEMA_VERSION)),
                        Meta(key="register_id", value=register_id),
                        Meta(key="created_at", value=now),
                        Meta(key="created_by_version", value=__version__),
                    ]
                )
            _checkpoint_to_single_file(engine)
        finally:
            engine.dispose()
        db_salt = (staging / DB_NAME).read_bytes()[: crypto.SALT_BYTES]
        recovery_secret = context.random_bytes(crypto.RECOVERY_BYTES)
        slot_file = crypto.SlotFile(register_id, db_salt, (), demo)
        params = crypto.calibrate(context.kdf_policy)
        slots = (
            crypto.new_passphrase_slot(
                passphrase, data_key, slot_file, params, context.random_bytes
            ),
            crypto.new_recovery_slot(recovery_secret, data_key, slot_file, context.random_bytes),
        )
        write_atomic(
            staging / SLOTS_NAME, crypto.SlotFile(register_id, db_salt, slots, demo).to_json()
        )
        if directory.exists():
            directory.rmdir()
        os.replace(staging, directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise storage_failure(directory, exc) from exc
    except OperationalError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _operational_failure(directory, exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    register = _open_with_key(directory, data_key, register_id, context, read_only=False, demo=demo)
    return register, crypto.format_recovery_key(recovery_secret)


def unlock_key(directory: Path, passphrase: str, context: Context | None = None) -> bytes:
    """The data key of the register, or WrongPassphrase."""
    context = context or Context()
    slot_file = read_slot_file(Path(directory), context.kdf_policy)
    try:
        return crypto.open_with_passphrase(slot_file, passphrase)
    except crypto.SlotLocked:
        raise WrongPassphrase(register=display_name(Path(directory))) from None


def unlock_key_with_recovery(
    directory: Path, recovery_key: str, context: Context | None = None
) -> bytes:
    """The data key from a typed recovery key (MistypedRecoveryKey / WrongRecoveryKey)."""
    context = context or Context()
    slot_file = read_slot_file(Path(directory), context.kdf_policy)
    try:
        secret = crypto.parse_recovery_key(recovery_key)
    except crypto.RecoveryKeyTypo as exc:
        raise MistypedRecoveryKey(group=exc.group or "?") from None
    try:
        return crypto.open_with_recovery(slot_file, secret)
    except crypto.SlotLocked:
        raise WrongRecoveryKey(register=display_name(Path(directory))) from None


def open_register(
    directory: Path,
    passphrase: str,
    *,
    read_only: bool = False,
    context: Context | None = None,
) -> Register:
    """Unlock and open the register in ``directory``.

    WrongPassphrase when no slot opens; RegisterDamaged when the key opens but the database is
    missing, empty, altered or from another register; RegisterLocked when another live process
    writes to it.
    """
    context = context or Context()
    directory = Path(directory)
    slot_file = read_slot_file(directory, context.kdf_policy)
    data_key = unlock_key(directory, passphrase, context)
    register = _open_with_key(
        directory,
        data_key,
        slot_file.register_id,
        context,
        read_only=read_only,
        demo=slot_file.demo,
        expected_salt=slot_file.db_salt,
    )
    if not read_only:
        from registre.backup import automatic_backup  # backup builds on this module

        automatic_backup(register)
    return register


def _open_with_key(
    directory: Path,
    data_key: bytes,
    register_id: str,
    context: Context,
    *,
    read_only: bool,
    demo: bool,
    expected_salt: bytes | None = None,
) -> Register:
    db_path = directory / DB_NAME
    try:
        size = db_path.stat().st_size
        with db_path.open("rb") as handle:
            salt = handle.read(crypto.SALT_BYTES)
    except FileNotFoundError:
        raise _damaged(directory, "base de données absente", "database missing") from None
    except OSError as exc:
        raise storage_failure(db_path, exc) from exc
    if size == 0:
        raise _damaged(directory, "base de données vide", "empty database")
    if expected_salt is not None and salt != expected_salt:
        raise _damaged(
            directory, "la base ne correspond pas à ses clés", "database does not match its keys"
        )
    version = _probe(directory, db_path, data_key, register_id)
    if version < SCHEMA_VERSION and read_only:
        raise OlderRegister(
            register=display_name(directory), found=version, supported=SCHEMA_VERSION
        )
    lock = (
        None
        if read_only
        else RegisterLock(directory / LOCK_NAME, display_name(directory), context.clock())
    )
    try:
        engine = _make_engine(db_path, data_key, read_only)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    register = Register(
        directory,
        engine,
        register_id,
        context,
        read_only=read_only,
        lock=lock,
        demo=demo,
        data_key=data_key,
    )
    if version < SCHEMA_VERSION:
        try:
            _upgrade(register, version)
        except BaseException:
            register.close()
            raise
    return register


def _upgrade(register: Register, version: int) -> None:
    """Back the register up, then run every migration step in one transaction."""
    from registre.audit import AuditTrail  # both build on this module
    from registre.backup import create_backup

    create_backup(register, reason="migration")
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        connection = session.connection()
        for step in range(version, SCHEMA_VERSION):
            migrations.STEPS[step](connection)
        session.execute(
            text("UPDATE meta SET value = :version WHERE key = 'schema_version'"),
            {"version": str(SCHEMA_VERSION)},
        )
        trail.append(
            at=register.context.clock(),
            action="migrated",
            entity="register",
            entity_id=register.register_id,
            organisation_id=None,
            changes={"schema_version": [version, SCHEMA_VERSION]},
        )


def _probe(directory: Path, db_path: Path, data_key: bytes, register_id: str) -> int:
    """The schema version, read with the identity without changing a byte of the database."""
    try:
        connection = open_cipher_connection(db_path, data_key, "ro")
    except sqlcipher.Error as exc:
        raise storage_failure(db_path, OSError(13, str(exc))) from exc
    try:
        rows = dict(
            connection.execute(
                "SELECT key, value FROM meta WHERE key IN ('register_id', 'schema_version')"
            ).fetchall()
        )
    except sqlcipher.Error as exc:
        raise _damaged(directory, "base illisible", "unreadable database") from exc
    finally:
        connection.close()
    version = rows.get("schema_version")
    if (
        rows.get("register_id") != register_id
        or not isinstance(version, str)
        or not version.isdigit()
    ):
        raise _damaged(
            directory, "identité de la base incohérente", "inconsistent database identity"
        )
    if int(version) > SCHEMA_VERSION:
        raise NewerRegister(
            register=display_name(directory), found=version, supported=SCHEMA_VERSION
        )
    return int(version)


def integrity_problems(register: Register) -> list[str]:
    """Messages of SQLite's and SQLCipher's integrity checks (empty when all is well)."""
    problems: list[str] = []
    try:
        with register.engine.connect() as connection:
            for (row,) in connection.execute(text("PRAGMA cipher_integrity_check")):
                problems.append(str(row))
            for (row,) in connection.execute(text("PRAGMA integrity_check")):
                if row != "ok":
                    problems.append(str(row))
    except DatabaseError as exc:
        problems.append(str(exc.orig) if exc.orig is not None else str(exc))
    return problems


def check_new_passphrase(passphrase: str) -> None:
    """WeakPassphrase unless ``passphrase`` meets the policy of ``registre.passphrase``."""
    assessment = passphrase_policy.assess(passphrase)
    if not assessment.acceptable:
        raise WeakPassphrase(advice=assessment.advice_fr, advice_en=assessment.advice_en)


def _rewrap_passphrase(
    directory: Path, data_key: bytes, new_passphrase: str, context: Context
) -> None:
    """Replace the passphrase slot; the recovery slot and the database are left untouched."""
    slot_file = read_slot_file(directory, context.kdf_policy)
    params = crypto.calibrate(context.kdf_policy)
    slot = crypto.new_passphrase_slot(
        new_passphrase, data_key, slot_file, params, context.random_bytes
    )
    others = tuple(s for s in slot_file.slots if s.kind != "passphrase")
    updated = crypto.SlotFile(slot_file.register_id, slot_file.db_salt, (slot, *others), demo=False)
    write_atomic(directory / SLOTS_NAME, updated.to_json())


def change_passphrase(
    directory: Path, old_passphrase: str, new_passphrase: str, context: Context | None = None
) -> None:
    """Rewrap the data key under a new passphrase (the database is not rewritten)."""
    context = context or Context()
    check_new_passphrase(new_passphrase)
    data_key = unlock_key(directory, old_passphrase, context)
    _rewrap_passphrase(Path(directory), data_key, new_passphrase, context)


def reset_passphrase(
    directory: Path, recovery_key: str, new_passphrase: str, context: Context | None = None
) -> None:
    """Set a new passphrase after proving ownership with the recovery key."""
    context = context or Context()
    check_new_passphrase(new_passphrase)
    data_key = unlock_key_with_recovery(directory, recovery_key, context)
    _rewrap_passphrase(Path(directory), data_key, new_passphrase, context)
