"""Build hook of the wheel (hatchling): what a release compiles, it compiles here, once.

- the interface translations: ``resources/translations/*.ts`` → ``.qm`` with Qt's ``lrelease``
  (PySide6 is a build requirement of the hook), so the application never compiles one;
- the manual pages of ``registre`` and ``registre-app`` (English and French), installed under
  ``share/man`` by pip.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class RegistreBuildHook(BuildHookInterface):  # type: ignore[misc]
    """Compile the translations and write the man pages before the wheel is assembled."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Called by hatchling before it collects the wheel's files."""
        root = Path(self.root)
        sys.path.insert(0, str(root))
        sys.path.insert(0, str(root / "packaging"))
        from manpage import write_manpages

        from ui import translations

        for lang in translations.TRANSLATED_LANGUAGES:
            translations.compile_catalogue(lang)
        man = root / "build" / "man"
        for page in write_manpages(man):
            build_data["shared_data"][str(page)] = f"share/man/{page.relative_to(man)}"
