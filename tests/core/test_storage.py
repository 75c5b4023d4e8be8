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
from registre.anchor import ANCHOR_NAME
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


def test_created_register_reopens_with_its_passphrase(closed_register: Path) -> None:
    with open_register(closed_register, PASSPHRASE) as register:
        assert [o.name for o in services.list_organisations(register)] == [
            "Commune de Sèvres-Anxaumont"
        ]
        assert integrity_problems(register) == []


def test_clean_close_leaves_a_self_contained_file(closed_register: Path) -> None:
    assert sorted(p.name for p in closed_register.iterdir()) == [ANCHOR_NAME, SLOTS_NAME, DB_NAME]
    with (
        open_register(closed_register, PASSPHRASE, read_only=True) as register,
        register.read() as session,
    ):
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "delete"


def test_files_are_private(closed_register: Path) -> None:
    assert closed_register.stat().st_mode & 0o077 == 0
    for name in (DB_NAME, SLOTS_NAME, ANCHOR_NAME):
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


# --- the key file -------------------------------------------------------------------------------


def test_every_single_byte_change_of_the_key_file_is_damage_never_a_wrong_passphrase(
    closed_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each byte in turn, changed to another value: damaged, never a wrong passphrase (nor
    unnoticed); a sample goes through ``registre info`` for the exit code (4)."""
    import io
    import random

    from registre.cli import run

    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    original = (closed_register / SLOTS_NAME).read_bytes()
    rng = random.Random(14)
    sample = set(rng.sample(range(len(original)), 12))
    for position in range(len(original)):
        altered = bytearray(original)
        altered[position] ^= rng.randrange(1, 256)
        (closed_register / SLOTS_NAME).write_bytes(bytes(altered))
        with pytest.raises(RegisterDamaged):
            unlock_key(closed_register, PASSPHRASE)
        if position in sample:
            err = io.StringIO()
            code = run(["info", str(closed_register)], out=io.StringIO(), err=err)
            assert code == 4, (position, err.getvalue())
    (closed_register / SLOTS_NAME).write_bytes(original)
    with open_register(closed_register, PASSPHRASE, read_only=True):
        pass


def test_info_checks_the_recovery_slot(
    closed_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key file without its recovery slot (checksum recomputed) is damage: the day the
    passphrase is lost, nothing would open the register."""
    import io

    from registre import crypto
    from registre.cli import run

    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    out = io.StringIO()
    assert run(["info", str(closed_register)], out=out, err=io.StringIO()) == 0
    assert "Clé de secours : présente, structure vérifiée" in out.getvalue()
    document = json.loads((closed_register / SLOTS_NAME).read_bytes())
    document["slots"] = [slot for slot in document["slots"] if slot["type"] != "recovery"]
    (closed_register / SLOTS_NAME).write_bytes(crypto.serialise_slot_document(document))
    out, err = io.StringIO(), io.StringIO()
    assert run(["info", str(closed_register)], out=out, err=err) == 4
    assert "Clé de secours : ABSENTE" in out.getvalue()
    assert "aucune clé de secours" in err.getvalue()


# --- looking never writes -----------------------------------------------------------------------


def test_opening_for_writing_and_a_refused_change_leave_the_database_byte_identical(
    closed_register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from registre.cli import run

    before = _fingerprint(closed_register)
    with open_register(closed_register, PASSPHRASE) as register:
        services.list_organisations(register)
        with pytest.raises(RegisterExists), register.write() as session:
            session.execute(text("DELETE FROM organisation"))
            raise RegisterExists(path="refus")  # any refusal: the transaction is rolled back
    after = _fingerprint(closed_register)
    assert after[DB_NAME] == before[DB_NAME]
    refused = tmp_path / "refus.json"
    refused.write_text('{"format": "registre", "version": 999}', encoding="utf-8")
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    err = io.StringIO()
    assert run(["import", str(closed_register), str(refused)], out=io.StringIO(), err=err) == 6
    assert _fingerprint(closed_register)[DB_NAME] == before[DB_NAME], err.getvalue()


# --- one writer ---------------------------------------------------------------------------------

RACER = r"""
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import datetime as dt
from registre.errors import RegisterLocked
from registre.lock import RegisterLock
lock_path, start, results = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
total = int(sys.argv[5])
while not start.exists():
    time.sleep(0.001)
try:
    lock = RegisterLock(lock_path, "Course", dt.datetime.now(dt.UTC))
except RegisterLocked:
    (results / f"{os.getpid()}.locked").touch()
    sys.exit(0)
(results / f"{os.getpid()}.won").touch()
deadline = time.monotonic() + 120
while len(list(results.iterdir())) < total and time.monotonic() < deadline:
    time.sleep(0.01)  # hold the lock until every other racer has tried
lock.release()
"""


def test_thirty_processes_racing_for_a_stale_lock_have_exactly_one_winner(
    closed_register: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    lock = closed_register / LOCK_NAME
    lock.write_text(  # left by a process that died
        json.dumps(
            {
                "user": "marie",
                "host": socket.gethostname(),
                "pid": 2**22 + 12345,
                "since": "2026-03-14T09:30:00",
            }
        ),
        encoding="utf-8",
    )
    script = tmp_path / "racer.py"
    script.write_text(RACER, encoding="utf-8")
    start, results = tmp_path / "partez", tmp_path / "results"
    results.mkdir()
    racers = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                str(Path(__file__).parents[2]),
                str(lock),
                str(start),
                str(results),
                "30",
            ]
        )
        for _ in range(30)
    ]
    start.touch()
    for racer in racers:
        assert racer.wait(timeout=180) == 0
    outcomes = sorted(path.suffix for path in results.iterdir())
    assert outcomes.count(".won") == 1 and outcomes.count(".locked") == 29
    assert not lock.exists()  # released by its winner
