"""The application's preferences, in QSettings (never in a register).

Language, inactivity delay before the automatic lock, library folder, window geometry and
state, recent registers. Kept in an INI file of the user's data folder (``--data-dir``
applies), the same on every system.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from registre import paths

SETTINGS_FILE = "registre-app.ini"
DEFAULT_LOCK_MINUTES = 10
MIN_LOCK_MINUTES = 1
MAX_LOCK_MINUTES = 240
MAX_RECENT = 8
LANGUAGES = ("fr", "en")


def settings_path() -> Path:
    """The INI file holding the preferences."""
    return paths.data_dir() / SETTINGS_FILE


class Settings:
    """Typed access to the preferences."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        paths.make_private_file(self.path)  # organisation names, paths: for this user only
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()

    # -- interface ---------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """Interface language: « fr » (default) or « en »."""
        value = self._store.value("interface/language", "fr")
        return value if value in LANGUAGES else "fr"

    @language.setter
    def language(self, value: str) -> None:
        self._store.setValue("interface/language", value if value in LANGUAGES else "fr")

    # -- security ----------------------------------------------------------------------------

    @property
    def lock_minutes(self) -> int:
        """Minutes without any keyboard or mouse use before the register locks itself."""
        value = self._store.value("security/lock_minutes", DEFAULT_LOCK_MINUTES)
        try:
            minutes = int(str(value))  # QSettings gives back an int, or its text
        except ValueError:
            return DEFAULT_LOCK_MINUTES
        return min(max(minutes, MIN_LOCK_MINUTES), MAX_LOCK_MINUTES)

    @lock_minutes.setter
    def lock_minutes(self, minutes: int) -> None:
        self._store.setValue(
            "security/lock_minutes", min(max(int(minutes), MIN_LOCK_MINUTES), MAX_LOCK_MINUTES)
        )

    # -- library -----------------------------------------------------------------------------

    @property
    def library_folder(self) -> Path:
        """Folder listed by the library window (the data folder's « registres » by default)."""
        value = self._store.value("library/folder", "")
        return Path(value) if isinstance(value, str) and value else paths.library_dir()

    @library_folder.setter
    def library_folder(self, folder: Path | None) -> None:
        if folder is None or Path(folder) == paths.library_dir():
            self._store.remove("library/folder")
        else:
            self._store.setValue("library/folder", str(folder))

    @property
    def recent_registers(self) -> list[Path]:
        """Registers opened lately, the latest first."""
        value = self._store.value("library/recent", [])
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(item) for item in items if isinstance(item, str) and item]

    def add_recent(self, directory: Path) -> None:
        """Put ``directory`` first in the recent registers."""
        resolved = Path(directory).resolve()
        recent = [resolved, *(path for path in self.recent_registers if path != resolved)]
        self._store.setValue("library/recent", [str(path) for path in recent[:MAX_RECENT]])

    # -- what the library shows of a closed register ------------------------------------------

    @staticmethod
    def _summary_key(directory: Path) -> str:
        digest = hashlib.sha256(str(Path(directory).resolve()).encode("utf-8")).hexdigest()
        return f"summaries/{digest[:32]}"

    def register_summary(self, directory: Path) -> dict[str, Any] | None:
        """Organisations and completeness of ``directory`` when it was last closed.

        Only these two facts leave the encrypted register (the library shows them without
        the passphrase): names of public bodies and a percentage, no personal data.
        """
        value = self._store.value(self._summary_key(directory), "")
        try:
            summary = json.loads(value) if isinstance(value, str) and value else None
        except ValueError:
            return None
        return summary if isinstance(summary, dict) else None

    def save_register_summary(
        self, directory: Path, scores: list[tuple[str, int | None]], checked_on: str
    ) -> None:
        """Remember what the library shows of ``directory`` while it is closed: the name and
        the completeness of each organisation (the checker's own figure, as the dashboard
        shows it)."""
        self._store.setValue(
            self._summary_key(directory),
            json.dumps(
                {
                    "organisations": [name for name, _percent in scores],
                    "percents": [percent for _name, percent in scores],
                    "checked_on": checked_on,
                },
                ensure_ascii=False,
            ),
        )

    # -- windows -----------------------------------------------------------------------------

    def window_state(self, name: str) -> tuple[QByteArray | None, QByteArray | None]:
        """Saved geometry and state of window ``name`` (None when never saved)."""
        geometry = self._store.value(f"windows/{name}/geometry")
        state = self._store.value(f"windows/{name}/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, name: str, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the geometry and state of window ``name``."""
        self._store.setValue(f"windows/{name}/geometry", geometry)
        self._store.setValue(f"windows/{name}/state", state)
