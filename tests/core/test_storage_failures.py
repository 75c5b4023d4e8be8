"""Every storage failure is exit 7 with a French message, and leaves nothing behind.

Each command is run once per write call it makes, with that call refused as by a full disk
(``failing_disk``); a real full disk (a small tmpfs) covers SQLite's own writes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from registre import services
from registre.backup import create_backup
from registre.cli import run
from registre.interchange import export_register
from registre.signing import ensure_signing_identity
from registre.storage import DB_NAME, create_register, open_register
from tests.conftest import PASSPHRASE
from tests.core.failing_disk import FailingDisk, leftovers

HERE = Path(__file__).parent
NEW_PASSPHRASE = "Nouvelle-Phrase-2026-pour-la-mairie"


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register with content, a backup of it, and an import file from another register."""
    from tests.kdf import default_policy

    folder = tmp_path_factory.mktemp("material")
    with default_policy():
        register, _ = create_register(folder / "Mairie.registre", PASSPHRASE)
        with register:
            org = services.create_organisation(register, name="Commune de Pont-Aven").id
            services.create_activity(register, organisation_id=org, name="État civil")
            ensure_signing_identity(register)  # as every register made by init has
            create_backup(register, folder / "copie.registre-backup")
            services.create_activity(register, organisation_id=org, name="Cantine")
        other, _ = create_register(folder / "Autre.registre", PASSPHRASE)
        with other:
            org = services.create_organisation(other, name="CCAS de Pont-Aven").id
            services.create_activity(other, organisation_id=org, name="Aide sociale")
            export_register(other, folder / "import.json", "json")
    return folder


def _commands(work: Path) -> dict[str, list[str]]:
    register = str(work / "Mairie.registre")
    return {
        "init": ["init", str(work / "Nouveau.registre"), "--organisation", "Commune"],
        "new": ["new", register, "--template", "etat-civil"],
        "import": ["import", register, str(work / "import.json")],
        "export-pdf": ["export", register, "--format", "pdf", "--output", str(work / "r.pdf")],
        "export-json": ["export", register, "--format", "json", "--output", str(work / "r.json")],
        "backup": ["backup", register, "--output", str(work / "b.registre-backup")],
        "restore": ["restore", register, "--from", str(work / "copie.registre-backup")],
        "passwd": ["passwd", register],
    }


def _activities(register_dir: Path) -> set[str] | None:
    """Activity names, or None when the folder holds no register."""
    if not (register_dir / "keyslots.json").exists():
        return None
    for passphrase in (PASSPHRASE, NEW_PASSPHRASE):
        try:
            with open_register(register_dir, passphrase, read_only=True) as register:
                return {a.name for a in services.list_activities(register)}
        except Exception as exc:
            last = exc
    raise AssertionError(f"the register no longer opens: {last!r}")


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    code = run(argv, out=io.StringIO(), err=err)
    return code, err.getvalue()


@pytest.mark.parametrize("command", list(_commands(Path("/"))))
def test_every_write_site_failing_gives_exit_7_and_leaves_nothing(
    material: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("REGISTRE_NEW_PASSPHRASE", NEW_PASSPHRASE)

    def fresh(name: str) -> Path:
        work = tmp_path / name
        shutil.copytree(material, work)
        return work

    counting = FailingDisk(tmp_path, fail_at=None)
    work = fresh("count")
    with counting.installed(monkeypatch):
        code, err = _run(_commands(work)[command])
    assert code == 0, err
    assert counting.calls > 0
    before = _activities(fresh("before") / "Mairie.registre")
    after = _activities(work / "Mairie.registre")
    refused = 0
    for fail_at in range(1, counting.calls + 1):
        work = fresh(f"fail-{fail_at}")
        disk = FailingDisk(work, fail_at)
        with disk.installed(monkeypatch):
            code, err = _run(_commands(work)[command])
        site = f"{command}, {disk.failed}"
        assert code in (0, 7), f"{site}: {err}"
        assert "Traceback" not in err and "interne" not in err, site
        if code == 7:
            refused += 1
            assert "Écriture impossible" in err and "disque plein" in err, site
        left = leftovers(work)
        if "prochaine ouverture" in err:  # committed: finished when the register next opens
            assert left == ["Mairie.registre/.pending", "Mairie.registre/replace.journal"], site
        else:
            assert left == [], site
        assert _activities(work / "Mairie.registre") in (before, after), site
        assert leftovers(work) == [], site
        new_register = work / "Nouveau.registre"
        if code == 7 and command == "init":
            assert not new_register.exists() or not any(new_register.iterdir()), site
    assert refused > 0


def test_lock_file_write_failing_is_exit_7_without_an_empty_lock(
    material: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    work = tmp_path / "w"
    shutil.copytree(material, work)
    register = work / "Mairie.registre"
    before = (register / DB_NAME).read_bytes()
    for site in ("open", "write", "fsync"):
        disk = FailingDisk(register, fail_at=None)
        with disk.installed(monkeypatch):
            _run(["new", str(register), "--template", "etat-civil"])
        index = next(
            i for i, call in enumerate(disk.sites, 1) if call.startswith(site) and "lock" in call
        )
        shutil.rmtree(work)
        shutil.copytree(material, work)
        with FailingDisk(register, fail_at=index).installed(monkeypatch):
            code, err = _run(["new", str(register), "--template", "etat-civil"])
        assert code == 7, err
        assert "registre.lock" in err
        assert not (register / "registre.lock").exists()
        assert (register / DB_NAME).read_bytes() == before


# --- a real full disk -------------------------------------------------------------------------

DISK_FULL_SCRIPT = r"""
import io, json, os, shutil, subprocess, sys
sys.path.insert(0, sys.argv[2])
from registre.cli import run
from tests.kdf import use_default_policy
use_default_policy()
mount = sys.argv[1]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "registre-test", mount],
               check=True)
register = os.path.join(mount, "Mairie.registre")
shutil.copytree(sys.argv[3], register)
results = {}
def fill():
    for name, block in (("remplissage", 65536), ("remplissage2", 1)):
        fd = os.open(os.path.join(mount, name), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * block)
        except OSError:
            pass
        finally:
            os.close(fd)
def cmd(*argv):
    err = io.StringIO()
    code = run(list(argv), out=io.StringIO(), err=err)
    return {"code": code, "err": err.getvalue()}
fill()
db_before = open(os.path.join(register, "registre.db"), "rb").read()
results["free"] = shutil.disk_usage(mount).free
results["new"] = cmd("new", register, "--template", "etat-civil")
results["import"] = cmd("import", register, sys.argv[4])
results["export-pdf"] = cmd("export", register, "--format", "pdf", "--output",
                            os.path.join(mount, "r.pdf"))
results["init"] = cmd("init", os.path.join(mount, "Nouveau.registre"), "--organisation", "X")
results["files"] = sorted(
    os.path.relpath(os.path.join(root, name), mount)
    for root, dirs, files in os.walk(mount) for name in files + dirs
)
results["db_unchanged"] = open(os.path.join(register, "registre.db"), "rb").read() == db_before
os.unlink(os.path.join(mount, "remplissage"))
os.unlink(os.path.join(mount, "remplissage2"))
results["after"] = cmd("info", register)
print(json.dumps(results))
"""


def test_full_disk_gives_exit_7_and_leaves_nothing_behind(material: Path, tmp_path: Path) -> None:
    """A real, full 6 MB tmpfs (mounted in a private mount namespace)."""
    mount = tmp_path / "disque"
    mount.mkdir()
    script = tmp_path / "full_disk.py"
    script.write_text(DISK_FULL_SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            sys.executable,
            str(script),
            str(mount),
            str(HERE.parents[1]),
            str(material / "Mairie.registre"),
            str(material / "import.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "REGISTRE_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)
    assert results["free"] == 0
    for command in ("new", "import", "export-pdf", "init"):
        outcome = results[command]
        assert outcome["code"] == 7, (command, outcome["err"])
        assert "Écriture impossible" in outcome["err"] and "Traceback" not in outcome["err"]
    assert not [name for name in results["files"] if name.endswith(("registre.lock", ".tmp"))]
    assert not [name for name in results["files"] if name.startswith(("Nouveau", "."))]
    assert results["db_unchanged"]
    assert results["after"]["code"] == 0, results["after"]["err"]
