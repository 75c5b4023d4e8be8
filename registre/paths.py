"""Where Registre keeps things on this computer (resolved once, overridable with --data-dir)."""

from __future__ import annotations

import io
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

APP_NAME = "Registre"
LOG_NAME = "registre.log"
LOG_BYTES = 512 * 1024
LOG_KEPT = 3
DATA_DIR_ENV = "REGISTRE_DATA_DIR"
_data_dir_override: Path | None = None


def set_data_dir(path: Path | None) -> None:
    """Use ``path`` instead of the platform's user data folder (``--data-dir``)."""
    global _data_dir_override  # noqa: PLW0603 - resolved once at start-up
    _data_dir_override = Path(path) if path is not None else None


def data_dir() -> Path:
    """The user's Registre data folder (``--data-dir``, then ``REGISTRE_DATA_DIR``)."""
    if _data_dir_override is not None:
        return _data_dir_override
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def library_dir() -> Path:
    """The default folder holding the user's registers."""
    return data_dir() / "registres"


def crash_log_directory() -> Path:
    """Where unexpected errors are described for the team (never secrets)."""
    return data_dir() / "logs"


def write_crash_log(details: str) -> Path | None:
    """Save a bug report (versions and traceback, never variables, hence never secrets).

    Returns the file written, or None when even that failed.
    """
    import datetime as dt
    import platform

    from registre import __version__
    from registre.errors import RegistreError
    from registre.files import make_private_directory, write_atomic

    try:
        directory = crash_log_directory()
        make_private_directory(directory)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = directory / f"crash-{stamp}-{os.getpid()}.log"
        header = (
            f"Registre {__version__} · Python {platform.python_version()} · "
            f"{platform.platform()}\n\n"
        )
        write_atomic(path, (header + details).encode("utf-8"))
    except (OSError, RegistreError):
        return None
    return path


def log_file() -> Path:
    """The rotating log of background work (automatic backups, interrupted work finished)."""
    return crash_log_directory() / LOG_NAME


class _PrivateRotatingLog(RotatingFileHandler):
    """A rotating log whose files are private (0600) and whose failures stay silent."""

    def _open(self) -> io.TextIOWrapper:
        from registre.files import make_private_directory

        make_private_directory(Path(self.baseFilename).parent)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding="utf-8")

    def handleError(self, record: logging.LogRecord) -> None:
        """A full disk must not turn every log line into an error on the terminal."""


def start_logging() -> Path:
    """Send the core's log (``registre.*``, info and above) to the data folder's rotating log.

    What is logged names no register, person or path — only what happened and why (« automatic
    backup failed: disk full ») — and never a secret. Idempotent; the file is created at the
    first line.
    """
    logger = logging.getLogger("registre")
    path = log_file()
    for handler in logger.handlers:
        if isinstance(handler, _PrivateRotatingLog) and Path(handler.baseFilename) == path:
            return path
    handler = _PrivateRotatingLog(
        path, maxBytes=LOG_BYTES, backupCount=LOG_KEPT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path


def make_data_dir_private() -> None:
    """Create the data folder (0700), and close folders an earlier version left open (0755)."""
    from registre.errors import RegistreError
    from registre.files import make_private_directory

    try:
        make_private_directory(data_dir())
    except RegistreError:
        return
    for folder in (data_dir(), crash_log_directory(), library_dir()):
        try:
            if (
                folder.is_dir()
                and folder.stat().st_uid == os.getuid()
                and (folder.stat().st_mode & 0o077)
            ):
                folder.chmod(0o700)
        except (OSError, AttributeError):  # AttributeError: no getuid on Windows
            continue


def make_private_file(path: Path) -> None:
    """Create ``path`` empty and private (0600, in a 0700 folder) when missing, or make it
    private, so a library that writes it later (QSettings) keeps that mode."""
    from registre.errors import RegistreError
    from registre.files import make_private_directory

    try:
        make_private_directory(Path(path).parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        if Path(path).stat().st_mode & 0o077:
            Path(path).chmod(0o600)
    except (OSError, RegistreError):
        return
