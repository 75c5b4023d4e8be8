"""Register directories: the SQLCipher database, its key slots and its lock.

A register is one directory holding ``registre.db`` (SQLCipher 4, keyed with a random data key),
``keyslots.json`` (that key wrapped under the passphrase and the recovery key) and, while open
for writing, ``registre.lock``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from registre import __version__, crypto, journal, migrations
from registre import passphrase as passphrase_policy
from registre.anchor import ANCHOR_NAME, Anchor, AnchorInvalid, read_anchor, write_anchor
from registre.audit import GENESIS_HASH, AuditTrail, chain_head, check_head
from registre.backup import automatic_backup, create_backup
from registre.context import Context, utc_now
from registre.errors import (
    NewerRegister,
    OlderRegister,
    ReadOnlyRegister,
    RegisterExists,
    RegistreError,
    StorageFailure,
    WeakPassphrase,
)
from registre.files import make_private_directory, storage_failure, write_atomic
from registre.keys import (
    read_slot_file,
    unlock_key,
    unlock_key_with_recovery,
    upgrade_legacy_slot_file,
)
from registre.layout import (
    DB_NAME,
    LOCK_NAME,
    REGISTER_SUFFIX,
    SLOTS_NAME,
    damaged,
    display_name,
    is_register,
    open_cipher_connection,
    pages_in_wal,
    record_in_file,
    verify_database,
)
from registre.lock import RegisterLock
from registre.model import Base, Meta
from registre.team import is_team_location

SCHEMA_VERSION = migrations.SCHEMA_VERSION
log = logging.getLogger(__name__)

__all__ = [
    "DB_NAME",
    "LOCK_NAME",
    "REGISTER_SUFFIX",
    "SCHEMA_VERSION",
    "SLOTS_NAME",
    "Context",
    "KeyChange",
    "Register",
    "change_passphrase",
    "create_register",
    "discard_new_register",
    "display_name",
    "integrity_problems",
    "is_register",
    "open_cipher_connection",
    "open_register",
    "read_slot_file",
    "reset_passphrase",
    "unlock_key",
    "unlock_key_with_recovery",
    "utc_now",
]


PAGE_CACHE_KIB = 64 * 1024  # page cache of one connection, at most (in KiB, SQLite's unit)


def _configure(connection: Any, read_only: bool) -> None:
    """Verify the key with a read, then apply the storage pragmas."""
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("PRAGMA busy_timeout = 5000")
    connection.execute("PRAGMA secure_delete = ON")
    # Decrypted pages stay cached between reads while the file is unchanged: reading the whole
    # register again (overview, check, export) does not decrypt every page again.
    connection.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    if not read_only:
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
        self._anchored: tuple[int, str] | None = None  # head last written to the anchor file
        self.backup_failure: RegistreError | None = None  # the automatic backup's, if it failed
        self._wal = False

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

    def signing_key_secret(self) -> bytes | None:
        """The passphrase encrypting the stored signing key; None here, where the whole
        database is encrypted (a team register's server stores it encrypted)."""
        return None

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
                self._after_commit()
            except OSError as exc:
                session.rollback()
                raise storage_failure(self.directory, exc) from exc
            except DatabaseError as exc:
                session.rollback()
                raise self._translate(exc) from exc
            except BaseException:
                session.rollback()
                raise

    def _after_commit(self) -> None:
        """Record the new head outside the database; from the first commit on, write in WAL
        mode (readers are not blocked by a writer). Until then the file is left as it was
        found, so opening, reading and a refused change leave it byte for byte identical."""
        self._update_anchor()
        if self._wal:
            return
        connection = self.engine.raw_connection()
        try:
            self._wal = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
        except sqlcipher.OperationalError:
            pass  # busy: the next commit tries again
        finally:
            connection.close()

    def anchor_problem(self) -> tuple[str, str] | None:
        """Why the audit chain does not match its anchor (French, English), None when it does.

        A register whose key file predates anchors, opened read-only, has none yet: no problem.
        """
        try:
            anchor = read_anchor(self.directory / ANCHOR_NAME, self._data_key, self.register_id)
        except AnchorInvalid as invalid:
            slots = journal.committed_path(self.directory, SLOTS_NAME)
            if not (self.directory / ANCHOR_NAME).exists() and crypto.SlotFile.is_legacy(
                slots.read_bytes()
            ):
                return None
            return invalid.reason_fr, invalid.reason_en
        with self.read() as session:
            check = check_head(session, anchor.seq, anchor.hash)
        return None if check.matches else (check.problem_fr, check.problem_en)

    def _start_anchoring(self, *, first_use: bool) -> None:
        """At an opening for writing: follow the chain from now on if it matches its anchor
        (catching up after a crash), or anchor it for the first time (``first_use``). A chain
        that does not match keeps its anchor untouched, as evidence."""
        if first_use and not (self.directory / ANCHOR_NAME).exists():
            self._anchored = (-1, "")
        elif self.anchor_problem() is None:
            anchor = read_anchor(self.directory / ANCHOR_NAME, self._data_key, self.register_id)
            self._anchored = (anchor.seq, anchor.hash)
        else:
            log.warning("audit chain does not match its anchor: anchor left as it is")
            return
        self._update_anchor()

    def _update_anchor(self) -> None:
        """Record the chain's head outside the database after a commit that advanced it."""
        if self._anchored is None:
            return
        with self.read() as session:
            head = chain_head(session)
            if head == self._anchored:
                return
            if self._anchored[0] >= 0 and not check_head(session, *self._anchored).matches:
                log.warning("audit chain no longer holds its anchored entry: anchor kept")
                self._anchored = None  # never move the anchor back over a shortened chain
                return
        try:
            write_anchor(self.directory, Anchor(self.register_id, *head), self._data_key)
        except StorageFailure:  # committed anyway: the anchor catches up at the next commit
            log.warning("audit anchor not updated (storage failure)")
            return
        self._anchored = head

    def _translate(self, exc: DatabaseError) -> Exception:
        """The user-facing error for a database failure during a session."""
        if isinstance(exc, OperationalError):
            return _operational_failure(self.directory, exc)
        return damaged(self.directory, "page illisible", "unreadable page")

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
    journal.tidy_around(directory)
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
        write_anchor(staging, Anchor(register_id, 0, GENESIS_HASH), data_key)
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
    try:
        lock = take_lock(directory, context)
    except BaseException:
        discard_new_register(directory)
        raise
    try:
        register = _open_with_key(directory, data_key, register_id, context, lock=lock, demo=demo)
    except BaseException:
        lock.release()
        discard_new_register(directory)
        raise
    register._start_anchoring(first_use=False)
    return register, crypto.format_recovery_key(recovery_secret)


def discard_new_register(directory: Path) -> None:
    """Remove a register this process has just created, when its creation cannot finish."""
    shutil.rmtree(directory, ignore_errors=True)


def open_register(
    directory: Path | str,
    passphrase: str,
    *,
    read_only: bool = False,
    context: Context | None = None,
    early_unlock: crypto.EarlyUnlock | None = None,
) -> Register:
    """Unlock and open the register in ``directory`` (or the team register at a
    ``postgresql://`` URL, whose ``passphrase`` protects its signing key); ``early_unlock`` is
    the key derivation the caller started as soon as it had the passphrase.

    WrongPassphrase when no slot opens; RegisterDamaged when the key opens but the database is
    missing, empty, altered or from another register; RegisterLocked when another live process
    writes to it. What a crash interrupted (a restore, a key change) is finished first.
    """
    if is_team_location(directory):  # a postgresql:// URL: the team register
        from registre.team.register import open_team_register

        return open_team_register(
            str(directory), read_only=read_only, context=context, ask_secret=lambda: passphrase
        )
    context = context or Context()
    directory = Path(directory)
    lock = _lock_and_finish(directory, context, keep=not read_only)
    try:
        slot_file = read_slot_file(directory, context.kdf_policy)
        data_key = unlock_key(directory, passphrase, context, early=early_unlock)
        register = _open_with_key(
            directory,
            data_key,
            slot_file.register_id,
            context,
            lock=lock,
            demo=slot_file.demo,
            expected_salt=slot_file.db_salt,
        )
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if not read_only:
        try:
            first_use = upgrade_legacy_slot_file(directory, slot_file)
            register._start_anchoring(first_use=first_use)
        except BaseException:
            register.close()
            raise
        automatic_backup(register)
    return register


def take_lock(directory: Path, context: Context) -> RegisterLock:
    """The register's write lock (RegisterLocked when a live process holds it)."""
    return RegisterLock(directory / LOCK_NAME, display_name(directory), context.clock())


def _lock_and_finish(directory: Path, context: Context, *, keep: bool) -> RegisterLock | None:
    """Finish interrupted work in ``directory``; returns its lock when ``keep`` (writing).

    A reader takes the lock only while there is something to finish, and is told the register
    is locked when the process that holds it is still at work.
    """
    journal.tidy_around(directory)
    if not is_register(directory):
        read_slot_file(directory, context.kdf_policy)  # NotARegister, with the right message
    if not keep and not journal.needs_finishing(directory):
        journal.remove_dead_temporaries(directory)
        return None
    lock = take_lock(directory, context)
    try:
        journal.finish_inside(directory)
    except BaseException:
        lock.release()
        raise
    if keep:
        return lock
    lock.release()
    return None


def _open_with_key(
    directory: Path,
    data_key: bytes,
    register_id: str,
    context: Context,
    *,
    lock: RegisterLock | None,
    demo: bool,
    expected_salt: bytes | None = None,
) -> Register:
    """Open the database of ``directory``: writable when ``lock`` is held, else read-only."""
    read_only = lock is None
    db_path = directory / DB_NAME
    try:
        size = db_path.stat().st_size
        with db_path.open("rb") as handle:
            salt = handle.read(crypto.SALT_BYTES)
    except FileNotFoundError:
        raise damaged(directory, "base de données absente", "database missing") from None
    except OSError as exc:
        raise storage_failure(db_path, exc) from exc
    if size == 0:
        raise damaged(directory, "base de données vide", "empty database")
    if expected_salt is not None and salt != expected_salt:
        raise damaged(
            directory, "la base ne correspond pas à ses clés", "database does not match its keys"
        )
    version = _probe(directory, db_path, data_key, register_id)
    if version < SCHEMA_VERSION and read_only:
        raise OlderRegister(
            register=display_name(directory), found=version, supported=SCHEMA_VERSION
        )
    engine = _make_engine(db_path, data_key, read_only)
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
    create_backup(register, reason="migration")
    with register.write() as session:
        connection = session.connection()
        for step in range(version, SCHEMA_VERSION):
            migrations.STEPS[step](connection)
        session.execute(
            text("UPDATE meta SET value = :version WHERE key = 'schema_version'"),
            {"version": str(SCHEMA_VERSION)},
        )
        with AuditTrail(session, register.context.actor) as trail:  # after the steps' entries
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
        raise damaged(directory, "base illisible", "unreadable database") from exc
    finally:
        connection.close()
    version = rows.get("schema_version")
    if (
        rows.get("register_id") != register_id
        or not isinstance(version, str)
        or not version.isdigit()
    ):
        raise damaged(
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
            problems += _page_problems(connection, register.directory / DB_NAME)
            for (row,) in connection.execute(text("PRAGMA integrity_check")):
                if row != "ok":
                    problems.append(str(row))
    except DatabaseError as exc:
        problems.append(str(exc.orig) if exc.orig is not None else str(exc))
    return problems


_PAGE_NUMBER = re.compile(r"\bpage (\d+)\b")


def _page_problems(connection: Connection, db_path: Path) -> list[str]:
    """SQLCipher's page-by-page check of the file, without the false alarms of a register
    another process is writing: that check reads the file itself, where a checkpoint may be
    copying pages at that moment. A page whose current version is in the WAL is read and
    verified by SQLite's own check instead; the others are checked again (three times at
    most) while a WAL is being written, so only damage that stays is reported."""

    def check() -> list[str]:
        return [str(row) for (row,) in connection.execute(text("PRAGMA cipher_integrity_check"))]

    def outside_wal(problems: list[str]) -> list[str]:
        in_wal = pages_in_wal(db_path)
        return [
            p for p in problems if (m := _PAGE_NUMBER.search(p)) is None or int(m[1]) not in in_wal
        ]

    problems = check()
    for _ in range(3):
        problems = outside_wal(problems)
        if not problems or not pages_in_wal(db_path):
            return problems
        time.sleep(0.1)
        problems = check()
    return outside_wal(problems)


def check_new_passphrase(passphrase: str) -> None:
    """WeakPassphrase unless ``passphrase`` meets the policy of ``registre.passphrase``."""
    assessment = passphrase_policy.assess(passphrase)
    if not assessment.acceptable:
        raise WeakPassphrase(advice=assessment.advice_fr, advice_en=assessment.advice_en)


@dataclass(frozen=True)
class KeyChange:
    """What a passphrase change or reset did."""

    data_key_renewed: bool
    new_recovery_key: str | None = None  # set when the old recovery key had to be replaced


def change_passphrase(
    directory: Path,
    old_passphrase: str,
    new_passphrase: str,
    context: Context | None = None,
    *,
    keep_data_key: bool = False,
) -> KeyChange:
    """Set a new passphrase and re-encrypt the database under a new data key.

    Old copies of ``keyslots.json`` (every backup holds one) then open nothing current. With
    ``keep_data_key`` only the key slots are rewritten (instant on a very large register, but
    an old slot file and the old passphrase still open the database). The printed recovery key
    stays valid, except for a register made before recovery slots could be renewed: it gets a
    new recovery key (``KeyChange.new_recovery_key``), to be printed at once.
    """
    context = context or Context()
    check_new_passphrase(new_passphrase)
    return _replace_keys(
        Path(directory),
        lambda: unlock_key(directory, old_passphrase, context),
        new_passphrase,
        context,
        recovery_key=None,
        keep_data_key=keep_data_key,
    )


def reset_passphrase(
    directory: Path,
    recovery_key: str,
    new_passphrase: str,
    context: Context | None = None,
    *,
    keep_data_key: bool = False,
) -> KeyChange:
    """Set a new passphrase after proving ownership with the recovery key (which stays valid);
    the database is re-encrypted under a new data key unless ``keep_data_key``."""
    context = context or Context()
    check_new_passphrase(new_passphrase)
    return _replace_keys(
        Path(directory),
        lambda: unlock_key_with_recovery(directory, recovery_key, context),
        new_passphrase,
        context,
        recovery_key=recovery_key,
        keep_data_key=keep_data_key,
    )


def _replace_keys(
    directory: Path,
    unlock: Callable[[], bytes],
    new_passphrase: str,
    context: Context,
    *,
    recovery_key: str | None,
    keep_data_key: bool,
) -> KeyChange:
    """New key slots (and, unless ``keep_data_key``, a re-encrypted database), swapped in as one
    journaled change under the register's lock; the old files stay until the new ones verify."""
    lock = _lock_and_finish(directory, context, keep=True)
    assert lock is not None
    try:
        data_key = unlock()
        recovery_secret = crypto.parse_recovery_key(recovery_key) if recovery_key else None
        slot_file = read_slot_file(directory, context.kdf_policy)
        staging = journal.staging_folder(directory)
        try:
            replace_files = _rewrap if keep_data_key else _rekey
            return replace_files(
                directory, staging, slot_file, data_key, new_passphrase, context, recovery_secret
            )
        finally:
            journal.discard(directory)
    finally:
        lock.release()


def _new_slots(
    bound_to: crypto.SlotFile,
    current: crypto.SlotFile,
    data_key: bytes,
    new_passphrase: str,
    context: Context,
    recovery_secret: bytes | None,
) -> tuple[tuple[crypto.Slot, ...], str | None]:
    """A passphrase slot and a recovery slot for ``data_key``, bound to ``bound_to``'s register
    and database salt; and the printable new recovery key when the old one cannot be kept."""
    params = crypto.calibrate(context.kdf_policy)
    passphrase_slot = crypto.new_passphrase_slot(
        new_passphrase, data_key, bound_to, params, context.random_bytes
    )
    new_recovery_key = None
    old_recovery = current.recovery_slot
    if recovery_secret is not None:  # proven just now: renew (and modernise) its slot
        recovery = crypto.new_recovery_slot(
            recovery_secret, data_key, bound_to, context.random_bytes
        )
    elif old_recovery is not None and bound_to.db_salt == current.db_salt:
        recovery = old_recovery  # same data key, same database: it still opens
    else:
        resealed = crypto.reseal_recovery_slot(current, data_key, bound_to, context.random_bytes)
        if resealed is None:  # a slot of the first version: only its key could renew it
            secret = context.random_bytes(crypto.RECOVERY_BYTES)
            resealed = crypto.new_recovery_slot(secret, data_key, bound_to, context.random_bytes)
            new_recovery_key = crypto.format_recovery_key(secret)
        recovery = resealed
    return (passphrase_slot, recovery), new_recovery_key


def _record_key_change(
    db_path: Path,
    key: bytes,
    register_id: str,
    context: Context,
    *,
    recovery: bool,
    change: KeyChange,
) -> Anchor:
    """The audit entry of a key change — what changed, never a secret; returns the new head."""
    return record_in_file(
        db_path,
        key,
        register_id,
        actor=context.actor,
        at=context.clock(),
        action="keys_changed",
        changes={
            "passphrase": [None, "recovery_key" if recovery else "passphrase"],
            "data_key": [None, "renewed" if change.data_key_renewed else "kept"],
            "recovery_key": [None, "replaced" if change.new_recovery_key else "kept"],
        },
    )


def _anchor_intact(directory: Path, key: bytes, register_id: str) -> bool:
    """True when the register's audit chain matches its anchor (or it has none yet)."""
    if not (directory / ANCHOR_NAME).exists():
        return True
    try:
        anchor = read_anchor(directory / ANCHOR_NAME, key, register_id)
    except AnchorInvalid:
        return False
    engine = _make_engine(directory / DB_NAME, key, read_only=True)
    try:
        with Session(engine) as session:
            return check_head(session, anchor.seq, anchor.hash).matches
    finally:
        engine.dispose()


def _rewrap(
    directory: Path,
    staging: Path,
    slot_file: crypto.SlotFile,
    data_key: bytes,
    new_passphrase: str,
    context: Context,
    recovery_secret: bytes | None,
) -> KeyChange:
    """New slots for the same data key; the database only receives the audit entry."""
    slots, new_recovery_key = _new_slots(
        slot_file, slot_file, data_key, new_passphrase, context, recovery_secret
    )
    updated = crypto.SlotFile(slot_file.register_id, slot_file.db_salt, slots, demo=False)
    write_atomic(staging / SLOTS_NAME, updated.to_json())
    change = KeyChange(data_key_renewed=False, new_recovery_key=new_recovery_key)
    intact = _anchor_intact(directory, data_key, slot_file.register_id)
    head = _record_key_change(
        directory / DB_NAME,
        data_key,
        slot_file.register_id,
        context,
        recovery=recovery_secret is not None,
        change=change,
    )
    if intact:
        write_anchor(staging, head, data_key)
    journal.commit(directory, (SLOTS_NAME, ANCHOR_NAME) if intact else (SLOTS_NAME,))
    return change


def _rekey(
    directory: Path,
    staging: Path,
    slot_file: crypto.SlotFile,
    data_key: bytes,
    new_passphrase: str,
    context: Context,
    recovery_secret: bytes | None,
) -> KeyChange:
    """Copy the database under a new data key into ``staging``, record the change in the copy,
    verify it, then swap the copy and its new slots in."""
    new_key = context.random_bytes(crypto.DATA_KEY_BYTES)
    staged_db = staging / DB_NAME
    _export_with_key(directory / DB_NAME, data_key, staged_db, new_key)
    try:
        with staged_db.open("rb") as handle:
            new_salt = handle.read(crypto.SALT_BYTES)
    except OSError as exc:
        raise storage_failure(staged_db, exc) from exc
    bound_to = crypto.SlotFile(slot_file.register_id, new_salt, (), demo=False)
    slots, new_recovery_key = _new_slots(
        bound_to, slot_file, new_key, new_passphrase, context, recovery_secret
    )
    change = KeyChange(data_key_renewed=True, new_recovery_key=new_recovery_key)
    head = _record_key_change(
        staged_db,
        new_key,
        slot_file.register_id,
        context,
        recovery=recovery_secret is not None,
        change=change,
    )
    verify_database(staged_db, new_key, slot_file.register_id)
    updated = crypto.SlotFile(slot_file.register_id, new_salt, slots, demo=False)
    write_atomic(staging / SLOTS_NAME, updated.to_json())
    names = [DB_NAME, SLOTS_NAME]
    if _anchor_intact(directory, data_key, slot_file.register_id):
        write_anchor(staging, head, new_key)  # otherwise the old anchor stays, and shows
        names.append(ANCHOR_NAME)
    journal.commit(directory, names)
    return change


def _export_with_key(source: Path, key: bytes, target: Path, new_key: bytes) -> None:
    """Write a copy of the database ``source`` encrypted under ``new_key`` (new salt too)."""
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        connection = open_cipher_connection(source, key, "ro")
        try:
            connection.execute(
                f"ATTACH DATABASE ? AS rekeyed KEY \"x'{new_key.hex()}'\"", (str(target),)
            )
            connection.execute("SELECT sqlcipher_export('rekeyed')")
            connection.execute("DETACH DATABASE rekeyed")
        finally:
            connection.close()
        _fsync_file(target)
    except OSError as exc:
        raise storage_failure(target, exc) from exc
    except sqlcipher.OperationalError as exc:
        raise storage_failure(target, OSError(28, str(exc))) from exc


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
