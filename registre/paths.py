"""Where Registre keeps things on this computer (resolved once, overridable with --data-dir)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Registre"
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
