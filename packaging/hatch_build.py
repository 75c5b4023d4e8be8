"""Build hook of the wheel (hatchling): what a release compiles, it compiles here, once.

- the interface translations: ``resources/translations/*.ts`` → ``.qm`` with Qt's ``lrelease``
  (PySide6 is a build requirement of the hook), so the application never compiles one;
- the manual pages of ``registre`` and ``registre-app`` (English and French), installed under
  ``share/man`` by pip;
- for a development (editable) install, the import names ``registre_ui`` and
  ``registre_resources`` mapped onto the checkout's ``ui/`` and ``resources/`` folders, as the
  wheel installs them (hatchling's own editable mode cannot rename a folder).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

RENAMED = {"registre_ui": "ui", "registre_resources": "resources"}

EDITABLE_FINDER = '''"""Development install of Registre: registre_ui and registre_resources are
the checkout's ui/ and resources/ folders (written by packaging/hatch_build.py)."""

import importlib.abc
import importlib.util
import sys

FOLDERS = {folders!r}


class RenamedFolders(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        folder = FOLDERS.get(name)
        if folder is None:
            return None
        return importlib.util.spec_from_file_location(
            name, folder + "/__init__.py", submodule_search_locations=[folder]
        )


sys.meta_path.append(RenamedFolders())
'''


class RegistreBuildHook(BuildHookInterface):  # type: ignore[misc]
    """Compile the translations and write the man pages before the wheel is assembled."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Called by hatchling before it collects the wheel's files."""
        root = Path(self.root)
        sys.path.insert(0, str(root))
        sys.path.insert(0, str(root / "packaging"))
        from manpage import write_manpages

        from ui import translations  # the checkout's folder: nothing is installed yet

        lrelease = translations.tool("lrelease")
        if lrelease is None:
            raise FileNotFoundError("lrelease (PySide6) is needed to compile the translations")
        for source in sorted((root / "resources" / "translations").glob("*.ts")):
            subprocess.run([str(lrelease), str(source), "-qm", str(source.with_suffix(".qm"))],
                           check=True, capture_output=True)
        man = root / "build" / "man"
        for page in write_manpages(man):
            build_data["shared_data"][str(page)] = f"share/man/{page.relative_to(man)}"
        if version == "editable":
            self._map_renamed_folders(root, build_data)

    def _map_renamed_folders(self, root: Path, build_data: dict[str, Any]) -> None:
        folder = root / "build" / "editable"
        folder.mkdir(parents=True, exist_ok=True)
        finder = folder / "_registre_editable.py"
        folders = {name: str(root / source) for name, source in RENAMED.items()}
        finder.write_text(EDITABLE_FINDER.format(folders=folders), encoding="utf-8")
        loader = folder / "_registre_editable.pth"
        loader.write_text("import _registre_editable\n", encoding="utf-8")
        build_data["force_include_editable"][str(finder)] = finder.name
        build_data["force_include_editable"][str(loader)] = loader.name
