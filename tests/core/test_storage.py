"""Register directories: creation, unlocking, damage detection, locking, clean close."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

import pytest
from sqlalchemy import text

from registre import services
from registre.errors import (
    NewerRegister,
    NotARegister,
    ReadOnlyRegister,
    RegisterDamaged,
    RegisterExists,
    RegisterLocked,
    WrongPassphrase,
    WrongRecoveryKey,
)
from registre.storage import (
    DB_NAME,
    LOCK_NAME,
    SLOTS_NAME,
    Context,
    create_register,
    integrity_problems,
    open_register,
    unlock_key,
    unlock_key_with_recovery,
)
from tests.conftest import PASSPHRASE


def _fingerprint(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


@pytest.fixture
def closed_register(tmp_path: Path, context: Context) -> Path:
    """A register with one organisation, closed cleanly."""
    directory = tmp_path / "Commune.registre"
    register, _ = create_register(directory, PASSPHRASE, context=context)
    with register:
        services.create_organisation(register, name="Commune de Sèvres-Anxaumont")
    return directory


def test_created_register_reopens_with_its_passphrase(closed_register: Path) -> None:
    with open_register(closed_register, PASSPHRASE) as register:
        assert [o.name for o in services.list_organisations(register)] == [
            "Commune de Sèvres-Anxaumont"
        ]
        assert integrity_problems(register) == []


def test_clean_close_leaves_a_self_contained_file(closed_register: Path) -> None:
    assert sorted(p.name for p in closed_register.iterdir()) == [SLOTS_NAME, DB_NAME]
    with (
        open_register(closed_register, PASSPHRASE, read_only=True) as register,
        register.read() as session,
    ):
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "delete"


def test_files_are_private(closed_register: Path) -> None:
    assert closed_register.stat().st_mode & 0o077 == 0
    for name in (DB_NAME, SLOTS_NAME):
        assert (closed_register / name).stat().st_mode & 0o077 == 0, name


def test_wrong_passphrase_changes_no_byte(closed_register: Path) -> None:
    before = _fingerprint(closed_register)
    with pytest.raises(WrongPassphrase):
        open_register(closed_register, "not the passphrase")
    assert _fingerprint(closed_register) == before


def test_recovery_key_opens_the_register(tmp_path: Path) -> None:
    directory = tmp_path / "R.registre"
    register, recovery_key = create_register(directory, PASSPHRASE)
    register.close()
    assert unlock_key_with_recovery(directory, recovery_key) == unlock_key(directory, PASSPHRASE)


def test_recovery_key_of_another_register_is_refused(tmp_path: Path) -> None:
    first, _ = create_register(tmp_path / "A.registre", PASSPHRASE)
    first.close()
    second, other_key = create_register(tmp_path / "B.registre", PASSPHRASE)
    second.close()
    with pytest.raises(WrongRecoveryKey):
        unlock_key_with_recovery(tmp_path / "A.registre", other_key)


def test_empty_database_is_damaged_never_a_new_register(closed_register: Path) -> None:
    (closed_register / DB_NAME).write_bytes(b"")
    with pytest.raises(RegisterDamaged):
        open_register(closed_register, PASSPHRASE)
    assert (closed_register / DB_NAME).stat().st_size == 0


def test_missing_database_is_damaged(closed_register: Path) -> None:
    (closed_register / DB_NAME).unlink()
    with pytest.raises(RegisterDamaged):
        open_register(closed_register, PASSPHRASE)
    assert not (closed_register / DB_NAME).exists()


def test_altered_page_is_damaged_not_wrong_passphrase(closed_register: Path) -> None:
    db = closed_register / DB_NAME
    data = bytearray(db.read_bytes())
    data[100] ^= 0xFF  # inside page 1, after the salt
    db.write_bytes(bytes(data))
    with pytest.raises(RegisterDamaged):
        open_register(closed_register, PASSPHRASE, read_only=True)


def test_database_of_another_register_is_detected(tmp_path: Path, closed_register: Path) -> None:
    other, _ = create_register(tmp_path / "Other.registre", PASSPHRASE)
    other.close()
    (closed_register / DB_NAME).write_bytes((tmp_path / "Other.registre" / DB_NAME).read_bytes())
    with pytest.raises(RegisterDamaged):
        open_register(closed_register, PASSPHRASE)


def test_damaged_slot_file_is_reported_as_damage(closed_register: Path) -> None:
    (closed_register / SLOTS_NAME).write_text("{ not json", encoding="utf-8")
    with pytest.raises(RegisterDamaged):
        open_register(closed_register, PASSPHRASE)


def test_folder_without_register_is_not_a_register(tmp_path: Path) -> None:
    with pytest.raises(NotARegister):
        open_register(tmp_path, PASSPHRASE)


def test_creation_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("user file", encoding="utf-8")
    with pytest.raises(RegisterExists):
        create_register(tmp_path, PASSPHRASE)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "user file"


def test_second_writer_is_told_who_holds_the_lock(closed_register: Path) -> None:
    holder = {
        "user": "marie",
        "host": socket.gethostname(),
        "pid": os.getppid(),
        "since": "2026-03-14T09:30:00",
    }
    (closed_register / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    with pytest.raises(RegisterLocked) as caught:
        open_register(closed_register, PASSPHRASE)
    message = caught.value.message("fr")
    assert "marie" in message and socket.gethostname() in message
    with open_register(closed_register, PASSPHRASE, read_only=True) as register:
        assert len(services.list_organisations(register)) == 1
        with pytest.raises(ReadOnlyRegister):
            services.create_organisation(register, name="Refusé")


def test_stale_lock_of_a_dead_process_is_taken_over(closed_register: Path) -> None:
    holder = {
        "user": "marie",
        "host": socket.gethostname(),
        "pid": 2**22 + 12345,
        "since": "2026-03-14T09:30:00",
    }
    (closed_register / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    with open_register(closed_register, PASSPHRASE) as register:
        holder_now = json.loads((closed_register / LOCK_NAME).read_text(encoding="utf-8"))
        assert holder_now["pid"] == os.getpid()
        services.create_organisation(register, name="CCAS")
    assert not (closed_register / LOCK_NAME).exists()


def test_register_from_a_newer_version_is_refused_unchanged(closed_register: Path) -> None:
    with open_register(closed_register, PASSPHRASE) as register, register.write() as session:
        session.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    before = _fingerprint(closed_register)
    with pytest.raises(NewerRegister) as caught:
        open_register(closed_register, PASSPHRASE)
    assert "99" in caught.value.message("fr")
    assert _fingerprint(closed_register) == before
