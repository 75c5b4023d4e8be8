"""Nothing lost under crashes, tampering, full disks, second instances; passphrase changes."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registre import crypto, services
from registre.backup import create_backup, list_backups, restore_backup
from registre.errors import (
    InvalidBackup,
    RegisterDamaged,
    RegisterLocked,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from registre.passphrase import assess
from registre.storage import (
    DB_NAME,
    SLOTS_NAME,
    Context,
    change_passphrase,
    create_register,
    integrity_problems,
    open_cipher_connection,
    open_register,
    read_slot_file,
    reset_passphrase,
    unlock_key,
    unlock_key_with_recovery,
)
from tests.conftest import PASSPHRASE, TEST_POLICY, FixedClock

HERE = Path(__file__).parent
NEW_PASSPHRASE = "Nouvelle-Phrase-2026-pour-la-mairie"


def cli_process(*argv: str, env: dict[str, str] | None = None, **kwargs: object):
    return subprocess.run(
        [sys.executable, str(HERE / "cli_runner.py"), *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def directory(tmp_path: Path, context: Context) -> Path:
    path = tmp_path / "Mairie.registre"
    register, _ = create_register(path, PASSPHRASE, context=context)
    with register:
        org = services.create_organisation(register, name="Commune de Quimperlé").id
        services.create_activity(register, organisation_id=org, name="État civil")
    return path


def _names(path: Path, passphrase: str = PASSPHRASE) -> list[str]:
    with open_register(path, passphrase, read_only=True) as register:
        return sorted(a.name for a in services.list_activities(register))


# --- passphrase policy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "acceptable"),
    [
        ("motdepasse", False),
        ("Mairie2026!", False),  # 11 characters
        ("Mairie-2026!x", True),  # 12 with all four classes
        ("MairieDeLunel2026", True),  # 14+ with upper, lower, digits
        ("le chat de la voisine mange des fraises", True),  # 7 words
        ("le chat de la voisine", False),  # 5 words
        ("Aa1!Aa1!Aa1!Aa1!", False),  # repetitive
    ],
)
def test_passphrase_policy_follows_the_cnil_rules(candidate: str, acceptable: bool) -> None:
    result = assess(candidate)
    assert result.acceptable is acceptable
    assert (result.advice("fr") == "") is acceptable
    assert 0 <= result.strength <= 1


# --- passwd and recover -----------------------------------------------------------------------


def _keys_changed_entries(directory: Path, passphrase: str) -> list[dict[str, object]]:
    with open_register(directory, passphrase, read_only=True) as register:
        return [e for e in services.audit_entries(register) if e["action"] == "keys_changed"]


def _opens_with_key(db_path: Path, key: bytes) -> bool:
    connection = open_cipher_connection(db_path, key, "ro")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def test_passwd_renews_the_data_key_so_old_key_files_open_nothing_current(
    directory: Path, tmp_path: Path
) -> None:
    old_slots = (directory / SLOTS_NAME).read_bytes()
    old_key = unlock_key(directory, PASSPHRASE)
    change = change_passphrase(directory, PASSPHRASE, NEW_PASSPHRASE)
    assert change.data_key_renewed and change.new_recovery_key is None
    new_key = unlock_key(directory, NEW_PASSPHRASE)
    assert new_key != old_key
    assert not _opens_with_key(directory / DB_NAME, old_key)
    stolen = tmp_path / "Vol.registre"  # today's database beside an old copy of the key file
    shutil.copytree(directory, stolen)
    (stolen / SLOTS_NAME).write_bytes(old_slots)
    with pytest.raises(RegisterDamaged):
        open_register(stolen, PASSPHRASE, read_only=True)
    assert _names(directory, NEW_PASSPHRASE) == ["État civil"]
    with open_register(directory, NEW_PASSPHRASE, read_only=True) as register:
        assert integrity_problems(register) == [] and services.verify_audit(register).intact
    (entry,) = _keys_changed_entries(directory, NEW_PASSPHRASE)
    assert entry["changes"] == {
        "passphrase": [None, "passphrase"],
        "data_key": [None, "renewed"],
        "recovery_key": [None, "kept"],
    }
    recorded = json.dumps(entry, default=str)
    for secret in (PASSPHRASE, NEW_PASSPHRASE, old_key.hex(), new_key.hex()):
        assert secret not in recorded


def test_passwd_keeping_the_data_key_only_rewrites_the_slots(directory: Path) -> None:
    """The option for very large registers, and its trade-off."""
    old_slots = (directory / SLOTS_NAME).read_bytes()
    old_key = unlock_key(directory, PASSPHRASE)
    change = change_passphrase(directory, PASSPHRASE, NEW_PASSPHRASE, keep_data_key=True)
    assert not change.data_key_renewed
    assert unlock_key(directory, NEW_PASSPHRASE) == old_key
    with pytest.raises(WrongPassphrase):
        unlock_key(directory, PASSPHRASE)
    (directory / SLOTS_NAME).write_bytes(old_slots)  # the trade-off: the old file still opens it
    assert _names(directory, PASSPHRASE) == ["État civil"]
    (entry,) = _keys_changed_entries(directory, PASSPHRASE)
    assert entry["changes"]["data_key"] == [None, "kept"]  # type: ignore[index]


def test_passwd_refuses_a_weak_passphrase_and_keeps_the_old_one(directory: Path) -> None:
    with pytest.raises(WeakPassphrase):
        change_passphrase(directory, PASSPHRASE, "1234")
    assert _names(directory) == ["État civil"]


def test_recover_renews_the_data_key_and_the_recovery_key_stays_valid(tmp_path: Path) -> None:
    path = tmp_path / "R.registre"
    register, recovery_key = create_register(path, PASSPHRASE)
    register.close()
    first_key = unlock_key(path, PASSPHRASE)
    change = reset_passphrase(path, recovery_key.lower(), NEW_PASSPHRASE)
    assert change.data_key_renewed and change.new_recovery_key is None
    second_key = unlock_key(path, NEW_PASSPHRASE)
    assert second_key != first_key
    change_passphrase(path, NEW_PASSPHRASE, PASSPHRASE)  # sealed anew for the same recovery key
    reset_passphrase(path, recovery_key, NEW_PASSPHRASE)  # the recovery key stays valid
    assert unlock_key(path, NEW_PASSPHRASE) not in (first_key, second_key)
    assert len(_keys_changed_entries(path, NEW_PASSPHRASE)) == 3


def _make_first_version_slots(directory: Path, recovery_key: str) -> None:
    """Rewrite the key file as versions before checksums wrote it (symmetric recovery slot)."""
    slot_file = read_slot_file(directory, TEST_POLICY)
    data_key = unlock_key(directory, PASSPHRASE)
    salt = os.urandom(crypto.SALT_BYTES)
    legacy = crypto.wrap(
        crypto.derive_recovery_key(crypto.parse_recovery_key(recovery_key), salt),
        data_key,
        slot_file,
        crypto.Slot("recovery", salt, b"", b""),
        os.urandom,
    )
    passphrase_slot = next(s for s in slot_file.slots if s.kind == "passphrase")
    document = crypto.SlotFile(
        slot_file.register_id, slot_file.db_salt, (passphrase_slot, legacy)
    ).document()
    document["version"] = 1
    (directory / SLOTS_NAME).write_text(
        json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def test_register_of_the_first_key_file_version_opens_and_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "Ancien.registre"
    register, recovery_key = create_register(path, PASSPHRASE)
    register.close()
    _make_first_version_slots(path, recovery_key)
    open_register(path, PASSPHRASE, read_only=True).close()
    assert json.loads((path / SLOTS_NAME).read_bytes())["version"] == 1  # looking never writes
    open_register(path, PASSPHRASE).close()
    assert json.loads((path / SLOTS_NAME).read_bytes())["checksum"].startswith("sha256:")
    assert unlock_key_with_recovery(path, recovery_key)


def test_passwd_on_a_first_version_register_issues_a_new_recovery_key(tmp_path: Path) -> None:
    path = tmp_path / "Ancien.registre"
    register, recovery_key = create_register(path, PASSPHRASE)
    register.close()
    _make_first_version_slots(path, recovery_key)
    change = change_passphrase(path, PASSPHRASE, NEW_PASSPHRASE)
    assert change.data_key_renewed and change.new_recovery_key is not None
    with pytest.raises(WrongRecoveryKey):
        unlock_key_with_recovery(path, recovery_key)
    assert unlock_key_with_recovery(path, change.new_recovery_key) == unlock_key(
        path, NEW_PASSPHRASE
    )


def test_recover_on_a_first_version_register_keeps_its_recovery_key(tmp_path: Path) -> None:
    path = tmp_path / "Ancien.registre"
    register, recovery_key = create_register(path, PASSPHRASE)
    register.close()
    _make_first_version_slots(path, recovery_key)
    change = reset_passphrase(path, recovery_key, NEW_PASSPHRASE)
    assert change.data_key_renewed and change.new_recovery_key is None
    slot = read_slot_file(path, TEST_POLICY).recovery_slot
    assert slot is not None and slot.public_key is not None  # sealed: renewable from now on
    assert unlock_key_with_recovery(path, recovery_key) == unlock_key(path, NEW_PASSPHRASE)


def test_cli_passwd_and_recover_use_environment_variables(tmp_path: Path) -> None:
    path = tmp_path / "C.registre"
    created = cli_process(
        "init", str(path), "--organisation", "Commune", env={"REGISTRE_PASSPHRASE": PASSPHRASE}
    )
    recovery_key = created.stdout.strip()
    changed = cli_process(
        "passwd",
        str(path),
        env={"REGISTRE_PASSPHRASE": PASSPHRASE, "REGISTRE_NEW_PASSPHRASE": NEW_PASSPHRASE},
    )
    assert changed.returncode == 0, changed.stderr
    mistyped = recovery_key[:3] + ("X" if recovery_key[3] != "X" else "Y") + recovery_key[4:]
    typo = cli_process(
        "recover",
        str(path),
        env={"REGISTRE_RECOVERY_KEY": mistyped, "REGISTRE_NEW_PASSPHRASE": PASSPHRASE},
    )
    assert typo.returncode == 3 and "faute de frappe (groupe 1)" in typo.stderr
    recovered = cli_process(
        "recover",
        str(path),
        env={"REGISTRE_RECOVERY_KEY": recovery_key, "REGISTRE_NEW_PASSPHRASE": PASSPHRASE},
    )
    assert recovered.returncode == 0, recovered.stderr
    assert unlock_key(path, PASSPHRASE)


def _killed_at_rename(
    when: int, *argv: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A ``registre`` command killed by strace at its ``when``-th rename."""
    return subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-o",
            os.devnull,
            "-e",
            "trace=rename,renameat,renameat2",
            "-e",
            f"inject=rename,renameat,renameat2:signal=SIGKILL:when={when}",
            sys.executable,
            str(HERE / "cli_runner.py"),
            *argv,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )


def test_passwd_killed_at_every_rename_leaves_exactly_one_working_passphrase(
    directory: Path, tmp_path: Path
) -> None:
    """The renewal of the data key; keeping it swaps fewer files under the same journal."""
    env = {"REGISTRE_PASSPHRASE": PASSPHRASE, "REGISTRE_NEW_PASSPHRASE": NEW_PASSPHRASE}
    option: list[str] = []
    outcomes = set()
    for when in range(1, 30):
        work = tmp_path / f"essai-{when}" / "Mairie.registre"
        shutil.copytree(directory, work)
        result = _killed_at_rename(when, "passwd", str(work), *option, env=env)
        if result.returncode == 0:
            break
        assert result.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), result.stderr
        working = [p for p in (PASSPHRASE, NEW_PASSPHRASE) if _opens(work, p)]
        assert len(working) == 1, f"rename {when}"
        assert _names(work, working[0]) == ["État civil"]  # finishes the interrupted change
        with open_register(work, working[0], read_only=True) as register:
            assert integrity_problems(register) == []
        assert not [p for p in work.rglob("*") if p.name in (".pending", "replace.journal")]
        outcomes.add(working[0])
    else:
        raise AssertionError("passwd never finished")
    assert outcomes == {PASSPHRASE, NEW_PASSPHRASE}, "kills before and after the commit point"
    assert _opens(work, NEW_PASSPHRASE)


def _opens(directory: Path, passphrase: str) -> bool:
    try:
        unlock_key(directory, passphrase)
    except WrongPassphrase:
        return False
    return True


def _current(directory: Path) -> str:
    return PASSPHRASE if _opens(directory, PASSPHRASE) else NEW_PASSPHRASE


def _other(passphrase: str) -> str:
    return NEW_PASSPHRASE if passphrase == PASSPHRASE else PASSPHRASE


# --- crashes while writing --------------------------------------------------------------------


def test_kill_9_while_writing_loses_no_acknowledged_write(directory: Path) -> None:
    """Each round waits for a few acknowledged writes (however slow the machine), then kills
    the writer a moment later, often in the middle of the next one."""
    rng = random.Random(30)
    next_index = 0
    acknowledged: set[str] = set()
    for _attempt in range(8):
        process = subprocess.Popen(
            [sys.executable, str(HERE / "writer.py"), str(directory), str(next_index)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        this_round = 0
        for _write in range(rng.randint(1, 4)):
            line = process.stdout.readline()
            assert line, "the writer stopped before acknowledging a write"
            acknowledged.add(f"Écrit n° {int(line)}")
            next_index = int(line) + 1
            this_round += 1
        time.sleep(rng.uniform(0, 0.03))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        with open_register(directory, PASSPHRASE) as register:  # takes over the stale lock
            names = {a.name for a in services.list_activities(register)}
            assert acknowledged <= names
            assert integrity_problems(register) == []
            assert services.verify_audit(register).intact
        assert this_round >= 1
        next_index += 1


# --- locking ----------------------------------------------------------------------------------


def test_second_process_gets_exit_5_naming_the_holder(directory: Path, tmp_path: Path) -> None:
    env = {"REGISTRE_PASSPHRASE": PASSPHRASE}
    backup_file = tmp_path / "copie.registre-backup"
    assert (
        cli_process("backup", str(directory), "--output", str(backup_file), env=env).returncode == 0
    )
    holder = subprocess.Popen(
        [sys.executable, str(HERE / "writer.py"), str(directory), "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline()
        restore = cli_process("restore", str(directory), "--from", str(backup_file), env=env)
        info = cli_process("info", str(directory), env=env)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    assert restore.returncode == 5, restore.stderr
    assert f"processus {holder.pid}" in restore.stderr and socket.gethostname() in restore.stderr
    assert "lecture seule" in restore.stderr
    assert info.returncode == 0, info.stderr  # reading stays possible while it is held


def test_open_for_writing_while_another_process_holds_it(directory: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, str(HERE / "writer.py"), str(directory), "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline()
        with pytest.raises(RegisterLocked) as caught:
            open_register(directory, PASSPHRASE)
        message = caught.value.message("fr")
        assert str(holder.pid) in message and socket.gethostname() in message
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]


# --- backups ----------------------------------------------------------------------------------


def test_backup_then_restore_brings_back_the_old_content(directory: Path, tmp_path: Path) -> None:
    backup_file = tmp_path / "copie.registre-backup"
    with open_register(directory, PASSPHRASE) as register:
        create_backup(register, backup_file)
        services.create_activity(
            register,
            organisation_id=services.list_organisations(register)[0].id,
            name="Ajouté après la sauvegarde",
        )
    assert b"Quimperl" not in backup_file.read_bytes()
    restore_backup(directory, backup_file, PASSPHRASE)
    assert _names(directory) == ["État civil"]
    assert list_backups(directory), "the register's own backups are kept"


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_restore_refuses_a_bad_backup_and_leaves_the_register_alone(
    directory: Path, tmp_path: Path, damage: str
) -> None:
    backup_file = tmp_path / "copie.registre-backup"
    with open_register(directory, PASSPHRASE, read_only=True) as register:
        create_backup(register, backup_file)
    data = bytearray(backup_file.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
    elif damage == "garbage":
        data = bytearray(os.urandom(4096))
    else:
        data = bytearray()
    backup_file.write_bytes(bytes(data))
    before = {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}
    with pytest.raises(InvalidBackup):
        restore_backup(directory, backup_file, PASSPHRASE)
    assert {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()} == before
    assert not list(tmp_path.glob(".*restoring"))


def test_cli_backup_and_restore(directory: Path, tmp_path: Path) -> None:
    env = {"REGISTRE_PASSPHRASE": PASSPHRASE}
    target = tmp_path / "sauvegarde.registre-backup"
    made = cli_process("backup", str(directory), "--output", str(target), env=env)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == str(target)
    restored = cli_process("restore", str(directory), "--from", str(target), env=env)
    assert restored.returncode == 0, restored.stderr
    bad = cli_process("restore", str(directory), "--from", str(tmp_path / "absent"), env=env)
    assert bad.returncode == 6 and "Traceback" not in bad.stderr


def test_restore_killed_at_every_rename_never_loses_the_register(
    directory: Path, tmp_path: Path
) -> None:
    backup_file = tmp_path / "copie.registre-backup"
    with open_register(directory, PASSPHRASE) as register:
        create_backup(register, backup_file)
        services.create_activity(
            register,
            organisation_id=services.list_organisations(register)[0].id,
            name="Ajouté après la sauvegarde",
        )
    old, restored = ["Ajouté après la sauvegarde", "État civil"], ["État civil"]
    seen = []
    for when in range(1, 30):
        work = tmp_path / f"essai-{when}" / "Mairie.registre"
        shutil.copytree(directory, work)
        result = _killed_at_rename(
            when,
            "restore",
            str(work),
            "--from",
            str(backup_file),
            env={"REGISTRE_PASSPHRASE": PASSPHRASE},
        )
        if result.returncode == 0:
            break
        assert result.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), result.stderr
        assert work.is_dir() and (work / "keyslots.json").is_file(), f"rename {when}"
        names = _names(work)  # the next opening finishes or undoes the interrupted restore
        assert names in (old, restored), f"rename {when}: {names}"
        seen.append(names)
        with open_register(work, PASSPHRASE, read_only=True) as register:
            assert integrity_problems(register) == []
        assert sorted(p.name for p in work.parent.iterdir()) == ["Mairie.registre"]
        assert not [p for p in work.rglob("*") if p.name.endswith((".tmp", ".journal", ".pending"))]
    else:
        raise AssertionError("restore never finished")
    assert old in seen and restored in seen, "kills before and after the commit point"
    assert _names(work) == restored


DEAD_PID = 2**22 + 12345


def _moved_aside(directory: Path, kind: str) -> Path:
    return directory.with_name(f".{directory.name}.{DEAD_PID}.{kind}")


def test_register_moved_aside_by_an_interrupted_restore_is_put_back(directory: Path) -> None:
    """What an older version left when killed between its two renames."""
    os.rename(directory, _moved_aside(directory, "replaced"))
    assert _names(directory) == ["État civil"]
    assert sorted(p.name for p in directory.parent.iterdir()) == [directory.name]


def test_verified_copy_left_by_an_interrupted_restore_is_finished(
    directory: Path, tmp_path: Path
) -> None:
    other = tmp_path / "Autre.registre"
    register, _ = create_register(other, PASSPHRASE)
    with register:
        org = services.create_organisation(register, name="CCAS").id
        services.create_activity(register, organisation_id=org, name="Restauré")
    os.rename(directory, _moved_aside(directory, "replaced"))
    os.rename(other, _moved_aside(directory, "restoring"))
    assert _names(directory) == ["Restauré"]
    assert sorted(p.name for p in directory.parent.iterdir()) == [directory.name]


def test_leftovers_with_old_key_material_are_removed_at_the_next_opening(
    directory: Path,
) -> None:
    for kind in ("replaced", "restoring", "creating"):
        shutil.copytree(directory, _moved_aside(directory, kind))
    dead_temporary = directory / f".keyslots.json.{DEAD_PID}.tmp"
    dead_temporary.write_bytes((directory / "keyslots.json").read_bytes())
    (directory / "backups").mkdir(exist_ok=True)
    dead_copy = directory / "backups" / f".x.registre-backup.{DEAD_PID}.db"
    dead_copy.write_bytes(b"old copy")
    live_temporary = directory / f".keyslots.json.{os.getpid()}.tmp"  # a running process's
    live_temporary.write_bytes(b"in progress")
    assert _names(directory) == ["État civil"]
    assert sorted(p.name for p in directory.parent.iterdir()) == [directory.name]
    assert not dead_temporary.exists() and not dead_copy.exists()
    assert live_temporary.exists()


def test_daily_automatic_backup_rotates(tmp_path: Path) -> None:
    clock = FixedClock()
    path = tmp_path / "Auto.registre"
    register, _ = create_register(path, PASSPHRASE, context=Context(clock=clock))
    register.close()
    for day in range(10):
        clock.start += __import__("datetime").timedelta(days=1)
        open_register(path, PASSPHRASE, context=Context(clock=clock)).close()
        open_register(path, PASSPHRASE, context=Context(clock=clock)).close()  # same day
        assert len(list_backups(path)) == min(day + 1, 7)


# --- storage failures -------------------------------------------------------------------------


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_during_backup_exits_7_and_leaves_the_register_intact(
    directory: Path, tmp_path: Path
) -> None:
    before = {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}
    result = cli_process(
        "backup",
        str(directory),
        "--output",
        str(tmp_path / "b.registre-backup"),
        env={"REGISTRE_PASSPHRASE": PASSPHRASE},
        preexec_fn=_limit_file_size(8192),
    )
    assert result.returncode == 7, result.stderr
    assert "Traceback" not in result.stderr and "Écriture impossible" in result.stderr
    assert {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()} == before
    assert _names(directory) == ["État civil"]


def test_disk_full_while_creating_leaves_no_half_register(tmp_path: Path) -> None:
    result = cli_process(
        "demo",
        str(tmp_path / "Demo.registre"),
        env={"REGISTRE_PASSPHRASE": PASSPHRASE},
        preexec_fn=_limit_file_size(30_000),
    )
    assert result.returncode == 7, result.stderr
    assert "Traceback" not in result.stderr
    leftovers = [p for p in tmp_path.iterdir() if "Demo" in p.name]
    assert all(not p.name.startswith(".") for p in leftovers)


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to act as an unprivileged user",
)
def test_read_only_register_can_be_read_but_not_written(directory: Path) -> None:
    shared = Path(tempfile.mkdtemp(prefix="registre-lecture-seule-"))
    os.chmod(shared, 0o755)
    try:
        _check_read_only_access(directory, shared)
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _check_read_only_access(directory: Path, shared: Path) -> None:
    from registre.signing import ensure_signing_identity

    with open_register(directory, PASSPHRASE) as register:
        ensure_signing_identity(register)  # as after a first export
    shutil.copytree(directory, shared / "Mairie.registre")
    nobody = 65534
    for path in [shared, *shared.rglob("*")]:
        os.chown(path, nobody, nobody)
    os.chmod(shared / "Mairie.registre", 0o500)
    for file in (shared / "Mairie.registre").iterdir():
        os.chmod(file, 0o400)

    def as_nobody(*argv: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                "setpriv",
                f"--reuid={nobody}",
                f"--regid={nobody}",
                "--clear-groups",
                sys.executable,
                str(HERE / "cli_runner.py"),
                *argv,
            ],
            capture_output=True,
            text=True,
            check=False,
            env={
                **os.environ,
                "REGISTRE_PASSPHRASE": PASSPHRASE,
                "REGISTRE_DATA_DIR": str(shared / "data"),
                **extra,
            },
        )

    info = as_nobody("info", str(shared / "Mairie.registre"), extra={})
    assert info.returncode == 0, info.stderr
    assert "Commune de Quimperlé" in info.stdout
    exports = shared / "exports"
    exports.mkdir()
    os.chown(exports, nobody, nobody)
    results = {
        fmt: as_nobody(
            "export",
            str(shared / "Mairie.registre"),
            "--format",
            fmt,
            "--output",
            str(exports / f"registre.{fmt}"),
            extra={},
        )
        for fmt in ("pdf", "json")
    }
    assert all(result.returncode == 0 for result in results.values()), results
    assert "lecture seule" in results["pdf"].stderr  # the hash could not be recorded: shown
    assert (exports / "registre.pdf").read_bytes().startswith(b"%PDF")
    passwd = as_nobody(
        "passwd", str(shared / "Mairie.registre"), extra={"REGISTRE_NEW_PASSPHRASE": NEW_PASSPHRASE}
    )
    assert passwd.returncode == 7, passwd.stderr
    assert "Traceback" not in passwd.stderr


# --- tampering and truncation -----------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed register with some content, never modified (tests alter copies)."""
    from tests.kdf import default_policy

    path = tmp_path_factory.mktemp("pristine") / "Mairie.registre"
    with default_policy():
        register, _ = create_register(path, PASSPHRASE)
        with register:
            org = services.create_organisation(register, name="Commune de Pont-Aven").id
            services.bulk_create_activities(
                register,
                organisation_id=org,
                activities=[
                    {"name": f"Traitement {i}", "purposes": [{"description": "x" * 300}]}
                    for i in range(40)
                ],
            )
    return path


def _info_exit_code(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    import io

    from registre.cli import run

    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    err = io.StringIO()
    code = run(["info", str(path)], out=io.StringIO(), err=err)
    return code, err.getvalue()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fraction=st.floats(min_value=0.0, max_value=0.9999), bit=st.integers(0, 7))
def test_any_changed_byte_is_damage_never_a_wrong_passphrase(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fraction: float, bit: int
) -> None:
    copy = tmp_path / f"copie-{fraction}-{bit}.registre"
    shutil.copytree(pristine, copy)
    db = copy / DB_NAME
    data = bytearray(db.read_bytes())
    data[int(fraction * len(data))] ^= 1 << bit
    db.write_bytes(bytes(data))
    code, err = _info_exit_code(copy, monkeypatch)
    assert code == 4, err
    assert "endommagé" in err and "registre restore" in err and "Traceback" not in err


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.99])
def test_truncated_database_is_damage(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: float
) -> None:
    copy = tmp_path / "copie.registre"
    shutil.copytree(pristine, copy)
    db = copy / DB_NAME
    data = db.read_bytes()
    db.write_bytes(data[: int(len(data) * keep)])
    code, err = _info_exit_code(copy, monkeypatch)
    assert code == 4, err
    assert db.stat().st_size == int(len(data) * keep)  # never replaced by a new register
