"""Encrypted backups of a register, verified before they are kept, and verify-then-swap restore.

A backup is one tar file (``*.registre-backup``) holding ``registre.db`` made with ``VACUUM INTO``
(still encrypted under the same data key and salt), a copy of ``keyslots.json`` and a
``manifest.json``. Automatic backups live in the register's ``backups/`` folder and rotate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher

from registre import crypto, journal
from registre.anchor import ANCHOR_NAME
from registre.context import Context
from registre.errors import InvalidBackup, RegisterDamaged, RegistreError
from registre.files import fsync_directory, make_private_directory, storage_failure, write_atomic
from registre.keys import unlock_key
from registre.layout import (
    BACKUP_DIR,
    DB_NAME,
    LOCK_NAME,
    SLOTS_NAME,
    anchor_file,
    display_name,
    is_register,
    record_in_file,
    verify_database,
)
from registre.lock import RegisterLock
from registre.migrations import SCHEMA_VERSION

if TYPE_CHECKING:
    from registre.storage import Register

BACKUP_SUFFIX = ".registre-backup"
MANIFEST = "manifest.json"
KEEP_AUTOMATIC = 7
AUTOMATIC_INTERVAL = dt.timedelta(hours=24)
MAX_MEMBER_BYTES = 2 * 1024**3
FAILURE_NAME = "last-failure.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupInfo:
    """A backup file found in a register's ``backups`` folder."""

    path: Path
    taken_at: dt.datetime
    reason: str


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def create_backup(
    register: Register, output: Path | None = None, *, reason: str = "manual"
) -> Path:
    """Write a verified backup of ``register`` to ``output`` (default: its ``backups`` folder)."""
    now = register.context.clock()
    if output is None:
        folder = register.directory / BACKUP_DIR
        make_private_directory(folder)
        output = folder / f"{_stamp(now)}-{reason}{BACKUP_SUFFIX}"
    output = Path(output)
    staging = output.with_name(f".{output.name}.{os.getpid()}.db")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        with register.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            raw.execute("VACUUM INTO ?", (str(staging),))
        os.chmod(staging, 0o600)
        schema_version = verify_database(staging, register.data_key, register.register_id)
        slots = (register.directory / SLOTS_NAME).read_bytes()
        database = staging.read_bytes()
    except OSError as exc:
        raise storage_failure(output, exc) from exc
    except sqlcipher.OperationalError as exc:
        raise storage_failure(output, OSError(28, str(exc))) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            staging.unlink()
    manifest = {
        "format": "registre-backup",
        "register_id": register.register_id,
        "register_name": register.name,
        "schema_version": schema_version,
        "taken_at": now.isoformat(timespec="seconds"),
        "reason": reason,
        "sha256": {
            DB_NAME: hashlib.sha256(database).hexdigest(),
            SLOTS_NAME: hashlib.sha256(slots).hexdigest(),
        },
    }
    write_atomic(
        output,
        _tar(
            {
                MANIFEST: json.dumps(manifest, indent=2).encode(),
                SLOTS_NAME: slots,
                DB_NAME: database,
            }
        ),
    )
    return output


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _read_backup(path: Path) -> dict[str, bytes]:
    """The three members of a backup file, checked against its manifest."""

    def invalid(reason: str, reason_en: str) -> InvalidBackup:
        return InvalidBackup(path=str(path), reason=reason, reason_en=reason_en)

    members: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:") as archive:
            for info in archive.getmembers():
                if info.name not in (MANIFEST, SLOTS_NAME, DB_NAME) or not info.isfile():
                    raise invalid("contenu inattendu", "unexpected content")
                if info.size > MAX_MEMBER_BYTES:
                    raise invalid("fichier trop volumineux", "file too large")
                extracted = archive.extractfile(info)
                assert extracted is not None
                members[info.name] = extracted.read()
    except FileNotFoundError:
        raise invalid("fichier introuvable", "file not found") from None
    except (tarfile.TarError, EOFError) as exc:
        raise invalid("archive illisible ou tronquée", "unreadable or truncated archive") from exc
    except OSError as exc:
        raise invalid("lecture impossible", "cannot be read") from exc
    if set(members) != {MANIFEST, SLOTS_NAME, DB_NAME}:
        raise invalid("éléments manquants", "missing members")
    try:
        manifest = json.loads(members[MANIFEST])
        digests = manifest["sha256"]
        for name in (SLOTS_NAME, DB_NAME):
            if hashlib.sha256(members[name]).hexdigest() != digests[name]:
                raise invalid("contenu altéré", "altered content")
        if int(manifest["schema_version"]) > SCHEMA_VERSION:
            raise invalid(
                "créée par une version plus récente de Registre",
                "made by a newer version of Registre",
            )
    except (ValueError, KeyError, TypeError) as exc:
        raise invalid("manifeste illisible", "unreadable manifest") from exc
    return members


def restore_backup(
    directory: Path, backup_file: Path, passphrase: str, context: Context | None = None
) -> None:
    """Replace the register in ``directory`` with a verified backup; a crash at any moment
    leaves the register as it was or as restored, never missing.

    The backup is read and checked against its manifest, unpacked into the register's staging
    folder, unlocked with ``passphrase`` (the one in force when it was taken) and verified;
    only then are the database and its key slots swapped in as one journaled change
    (``registre.journal``), under the register's lock. The register's own ``backups`` folder
    stays where it is. A folder that holds no register yet receives the backup as a new one.
    """
    context = context or Context()
    directory = Path(directory)
    members = _read_backup(Path(backup_file))
    journal.tidy_around(directory)
    if not is_register(directory):
        _restore_as_new(directory, Path(backup_file), members, passphrase, context)
        return
    lock = RegisterLock(directory / LOCK_NAME, display_name(directory), context.clock())
    try:
        journal.finish_inside(directory)
        staging = journal.staging_folder(directory)
        try:
            _unpack_verified(staging, Path(backup_file), members, passphrase, context)
            journal.commit(directory, (DB_NAME, SLOTS_NAME, ANCHOR_NAME))
        finally:
            journal.discard(directory)
    finally:
        lock.release()


def _unpack_verified(
    folder: Path,
    backup_file: Path,
    members: dict[str, bytes],
    passphrase: str,
    context: Context,
) -> None:
    """Write the backup's database and key slots into ``folder`` and verify they open."""
    write_atomic(folder / SLOTS_NAME, members[SLOTS_NAME])
    write_atomic(folder / DB_NAME, members[DB_NAME])
    try:
        slot_file = crypto.SlotFile.from_json(members[SLOTS_NAME], context.kdf_policy)
    except crypto.SlotFileInvalid as exc:
        raise InvalidBackup(
            path=str(backup_file), reason="clés illisibles", reason_en="unreadable keys"
        ) from exc
    data_key = unlock_key(folder, passphrase, context)
    try:
        verify_database(folder / DB_NAME, data_key, slot_file.register_id)
    except RegisterDamaged as exc:
        raise InvalidBackup(
            path=str(backup_file), reason="base endommagée", reason_en="damaged database"
        ) from exc
    manifest = json.loads(members[MANIFEST])
    record_in_file(
        folder / DB_NAME,
        data_key,
        slot_file.register_id,
        actor=context.actor,
        at=context.clock(),
        action="restored",
        changes={
            "backup_taken_at": [None, str(manifest.get("taken_at", ""))],
            "backup_sha256": [None, hashlib.sha256(members[DB_NAME]).hexdigest()],
        },
    )
    anchor_file(folder, folder / DB_NAME, data_key, slot_file.register_id)


def _restore_as_new(
    directory: Path,
    backup_file: Path,
    members: dict[str, bytes],
    passphrase: str,
    context: Context,
) -> None:
    """Build the register in a sibling folder, then rename it to a name that holds nothing."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InvalidBackup(
            path=str(backup_file),
            reason=f"« {directory} » existe et n'est pas un registre",
            reason_en=f"“{directory}” exists and is not a register",
        )
    make_private_directory(directory.parent)
    staging = directory.with_name(f".{directory.name}.{os.getpid()}.restoring")
    try:
        make_private_directory(staging)
        _unpack_verified(staging, backup_file, members, passphrase, context)
        fsync_directory(staging)
        if directory.exists():
            directory.rmdir()
        os.rename(staging, directory)
        fsync_directory(directory.parent)
    except OSError as exc:
        raise storage_failure(directory, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def list_backups(directory: Path) -> list[BackupInfo]:
    """Backups in the register's ``backups`` folder, newest first."""
    found = []
    for path in (Path(directory) / BACKUP_DIR).glob(f"*{BACKUP_SUFFIX}"):
        stamp, _, reason = path.name.removesuffix(BACKUP_SUFFIX).partition("-")
        try:
            taken = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        found.append(BackupInfo(path, taken, reason))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


@dataclass(frozen=True)
class BackupStatus:
    """The register's backups as ``info`` and the application show them."""

    newest: dt.datetime | None
    failed_at: dt.datetime | None = None  # last automatic backup failure, until one succeeds
    reason_fr: str = ""
    reason_en: str = ""

    @property
    def failing(self) -> bool:
        """True when the last automatic backup failed."""
        return self.failed_at is not None


def backup_status(directory: Path) -> BackupStatus:
    """Newest backup and, when the last automatic backup failed, when and why."""
    backups = list_backups(directory)
    newest = backups[0].taken_at if backups else None
    try:
        failure = json.loads((Path(directory) / BACKUP_DIR / FAILURE_NAME).read_bytes())
        return BackupStatus(
            newest,
            dt.datetime.fromisoformat(str(failure["at"])),
            str(failure["reason_fr"]),
            str(failure["reason_en"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return BackupStatus(newest)


def automatic_backup(register: Register) -> Path | None:
    """Take the daily backup if the newest backup is older than a day; keep seven automatic.

    A failure does not prevent opening the register, and is not silent either: it is logged,
    kept on ``register.backup_failure`` for the application's banner and recorded (when the
    disk allows) in ``backups/last-failure.json`` for ``registre info``, until a backup succeeds.
    """
    if register.read_only:
        return None
    existing = list_backups(register.directory)  # a recent backup of any kind will do
    now = register.context.clock()
    if existing and now - existing[0].taken_at < AUTOMATIC_INTERVAL:
        return None
    failure_file = register.directory / BACKUP_DIR / FAILURE_NAME
    try:
        path = create_backup(register, reason="auto")
    except RegistreError as error:
        register.backup_failure = error
        reason_fr, reason_en = _reasons(error)
        log.warning("automatic backup failed: %s", reason_en)
        with contextlib.suppress(RegistreError):
            write_atomic(
                failure_file,
                json.dumps(
                    {
                        "at": now.isoformat(timespec="seconds"),
                        "reason_fr": reason_fr,
                        "reason_en": reason_en,
                    }
                ).encode(),
            )
        return None
    log.info("automatic backup taken")
    with contextlib.suppress(OSError):
        failure_file.unlink()
    for old in [b for b in list_backups(register.directory) if b.reason == "auto"][KEEP_AUTOMATIC:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
    return path


def failure_notice(error: RegistreError, lang: str = "fr") -> str:
    """What the application's banner says when the automatic backup failed at opening."""
    reason_fr, reason_en = _reasons(error)
    if lang == "en":
        return (
            f"Today's automatic backup failed ({reason_en}). Your changes are saved in the "
            "register, but they have no backup copy yet: free some space, then open the "
            "register again or make a backup."
        )
    return (
        f"La sauvegarde automatique du jour a échoué ({reason_fr}). Vos modifications sont "
        "bien enregistrées dans le registre, mais n'ont pas encore de copie de secours : "
        "libérez de la place, puis rouvrez le registre ou faites une sauvegarde."
    )


def _reasons(error: RegistreError) -> tuple[str, str]:
    """What went wrong, without paths (they name the register) nor anything personal."""
    details = error.details
    if "reason" in details and "reason_en" in details:
        return str(details["reason"]), str(details["reason_en"])
    return type(error).__name__, type(error).__name__
