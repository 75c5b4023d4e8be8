"""The key-slot file of a register on disk: read, validated, opened with a passphrase or the
recovery key (wrong secret and damaged file are different errors), written atomically."""

from __future__ import annotations

from pathlib import Path

from registre import crypto
from registre.context import Context
from registre.errors import (
    MistypedRecoveryKey,
    NotARegister,
    WrongPassphrase,
    WrongRecoveryKey,
    missing_register,
)
from registre.files import storage_failure, write_atomic
from registre.journal import committed_path
from registre.layout import SLOTS_NAME, damaged, display_name


def read_slot_file(directory: Path, policy: crypto.KdfPolicy) -> crypto.SlotFile:
    """The validated key slots of the register in ``directory``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise missing_register(directory)
    path = committed_path(directory, SLOTS_NAME)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotARegister(path=str(directory)) from None
    except OSError as exc:
        raise storage_failure(path, exc) from exc
    try:
        return crypto.SlotFile.from_json(data, policy)
    except crypto.SlotFileInvalid as exc:
        raise damaged(
            directory, f"fichier de clés invalide : {exc}", f"invalid key file: {exc}"
        ) from exc


def write_slot_file(directory: Path, slot_file: crypto.SlotFile) -> None:
    """Replace the register's key slots atomically (private file, fsync, rename)."""
    write_atomic(Path(directory) / SLOTS_NAME, slot_file.to_json())


def upgrade_legacy_slot_file(directory: Path, slot_file: crypto.SlotFile) -> bool:
    """Rewrite a slot file of the first version with its checksum (same slots, same keys);
    True when it was one."""
    try:
        data = (Path(directory) / SLOTS_NAME).read_bytes()
    except OSError as exc:
        raise storage_failure(Path(directory) / SLOTS_NAME, exc) from exc
    if not crypto.SlotFile.is_legacy(data):
        return False
    write_slot_file(directory, slot_file)
    return True


def unlock_key(
    directory: Path,
    passphrase: str,
    context: Context | None = None,
    *,
    early: crypto.EarlyUnlock | None = None,
) -> bytes:
    """The data key of the register, or WrongPassphrase (``early``: a derivation started
    before, used when it read the same slot file)."""
    context = context or Context()
    slot_file = read_slot_file(Path(directory), context.kdf_policy)
    try:
        if early is not None:
            return early.data_key(slot_file, passphrase)
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
