"""Failures in background work are not silent: a failed automatic backup is logged, kept for
the application's banner and shown by ``info``; what is logged holds no name and no secret;
settings and data folders are private."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from registre import paths, services
from registre.backup import backup_status, failure_notice, list_backups
from registre.cli import run
from registre.errors import StorageFailure
from registre.storage import Context, create_register, open_register
from tests.conftest import PASSPHRASE, FixedClock
from tests.core.failing_disk import FailingDisk


@pytest.fixture
def logged() -> Iterator[Path]:
    """The rotating log of the data folder, as the command line and the application start it."""
    path = paths.start_logging()
    yield path
    logger = logging.getLogger("registre")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_a_failed_automatic_backup_is_logged_kept_and_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged: Path
) -> None:
    clock = FixedClock()
    path = tmp_path / "Commune de Lunel.registre"
    register, _ = create_register(path, PASSPHRASE, context=Context(clock=clock))
    with register:
        services.create_organisation(register, name="Commune de Lunel")
    clock.start += dt.timedelta(days=2)  # the daily backup is due
    with FailingDisk(path, fail_at=1, only=".registre-backup").installed(monkeypatch):
        register = open_register(path, PASSPHRASE, context=Context(clock=clock))
    with register:  # opening still works…
        assert isinstance(register.backup_failure, StorageFailure)  # …and the window knows
        notice = failure_notice(register.backup_failure)
        assert "La sauvegarde automatique du jour a échoué (disque plein)" in notice
    assert list_backups(path) == []
    status = backup_status(path)
    assert status.failing and status.reason_fr == "disque plein"
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    out, err = io.StringIO(), io.StringIO()
    assert run(["info", str(path)], out=out, err=err) == 0, err.getvalue()
    assert "ÉCHEC de la sauvegarde automatique" in out.getvalue()
    assert "disque plein" in out.getvalue()
    log = logged.read_text(encoding="utf-8")
    assert "automatic backup failed: disk full" in log
    assert "Lunel" not in log and PASSPHRASE not in log and str(tmp_path) not in log
    assert logged.stat().st_mode & 0o077 == 0
    clock.start += dt.timedelta(days=1)
    open_register(path, PASSPHRASE, context=Context(clock=clock)).close()  # disk freed
    assert not backup_status(path).failing and len(list_backups(path)) == 1
    assert "automatic backup taken" in logged.read_text(encoding="utf-8")


def test_the_log_rotates_and_stays_small(logged: Path) -> None:
    logger = logging.getLogger("registre.test")
    for index in range(8000):
        logger.info("ligne de journal %05d %s", index, "x" * 100)
    files = sorted(logged.parent.glob(f"{logged.name}*"))
    assert 2 <= len(files) <= paths.LOG_KEPT + 1
    assert all(file.stat().st_size <= paths.LOG_BYTES + 200 for file in files)
    assert all(file.stat().st_mode & 0o077 == 0 for file in files)


def test_data_folders_are_made_private(tmp_path: Path) -> None:
    data = paths.data_dir()
    for folder in (data, paths.crash_log_directory(), paths.library_dir()):
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)  # as an earlier version left them
    paths.make_data_dir_private()
    for folder in (data, paths.crash_log_directory(), paths.library_dir()):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    settings = data / "registre-app.ini"
    settings.write_text("[interface]\n", encoding="utf-8")
    os.chmod(settings, 0o644)
    paths.make_private_file(settings)
    assert settings.stat().st_mode & 0o777 == 0o600


def test_folders_created_on_the_way_are_private_too(logged: Path) -> None:
    logging.getLogger("registre.test").warning("première ligne")
    assert logged.exists()
    for folder in (logged.parent, paths.data_dir()):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
