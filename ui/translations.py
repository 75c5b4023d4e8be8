"""The interface translations: Qt Linguist catalogues under ``resources/translations``.

Source strings are French; ``registre_en.ts`` holds the English ones. Commands::

    python -m registre_ui.translations update   # collect new strings of ui/*.py into the .ts
    python -m registre_ui.translations compile  # build the .qm the application loads (build)
    python -m registre_ui.translations check    # list the strings left untranslated (exit 1)

Catalogues are compiled when Registre is built, never while it runs: ``make`` compiles them in
a checkout, the wheel build compiles them into the wheel (``packaging/build_hooks.py``) and the
bundle takes them from there. The application only loads a compiled catalogue
(``compiled_catalogue``); it never writes one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import PySide6

TRANSLATED_LANGUAGES = ("en",)
TARGET_LOCALES = {"en": "en_GB"}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def translations_dir() -> Path:
    """The translations folder of this installation (``registre_resources/translations``), or of
    the checkout when it is not installed (the wheel's build hook compiles them there)."""
    try:
        import registre_resources
    except ImportError:
        return Path(__file__).resolve().parents[1] / "resources" / "translations"
    return Path(registre_resources.__file__).parent / "translations"


def ts_path(lang: str = "en") -> Path:
    """The Linguist source of ``lang``."""
    return translations_dir() / f"registre_{lang}.ts"


def source_files() -> list[Path]:
    """The Python files whose strings are translated."""
    return sorted(Path(__file__).parent.glob("*.py"))


def tool(name: str) -> Path | None:
    """Qt's ``lupdate`` or ``lrelease``, as shipped with PySide6 (or on the PATH)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    bundled = Path(PySide6.__file__).parent / f"{name}{suffix}"
    if bundled.is_file():
        return bundled
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    return Path(found) if found else None


def _run(command: Sequence[str | Path]) -> None:
    subprocess.run([str(part) for part in command], check=True, capture_output=True)


def update(lang: str = "en", ts: Path | None = None) -> Path:
    """Collect the strings of ``ui/*.py`` into the .ts (new ones are marked unfinished)."""
    lupdate = tool("lupdate")
    if lupdate is None:
        raise FileNotFoundError("lupdate")
    target = ts or ts_path(lang)
    _run(
        [
            lupdate,
            *source_files(),
            "-ts",
            target,
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "fr_FR",
            "-target-language",
            TARGET_LOCALES.get(lang, lang),
        ]
    )
    return target


def compile_catalogue(lang: str = "en", output: Path | None = None) -> Path:
    """Build the .qm of ``lang`` from its .ts."""
    lrelease = tool("lrelease")
    if lrelease is None:
        raise FileNotFoundError("lrelease")
    source = ts_path(lang)
    target = output or source.with_suffix(".qm")
    target.parent.mkdir(parents=True, exist_ok=True)
    _run([lrelease, source, "-qm", target])
    return target


def messages(ts: Path) -> list[tuple[str, str, str, str]]:
    """(context, source, translation, type) of every current message of a .ts."""
    found = []
    root = ET.parse(ts).getroot()  # noqa: S314 - our own catalogue, not untrusted input
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                continue
            text = (translation.text or "") if translation is not None else ""
            found.append((name, message.findtext("source") or "", text, kind))
    return found


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of the messages without a finished, non-empty translation."""
    return [
        (context, source)
        for context, source, text, kind in messages(ts)
        if kind == "unfinished" or not text.strip()
    ]


def placeholder_mismatches(ts: Path) -> list[tuple[str, str]]:
    """Messages whose translation lacks a ``{placeholder}`` of the source, or adds one."""
    return [
        (context, source)
        for context, source, text, _kind in messages(ts)
        if text and sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text))
    ]


def compiled_catalogue(lang: str) -> Path | None:
    """The compiled catalogue of ``lang`` shipped with this installation, if there is one."""
    compiled = ts_path(lang).with_suffix(".qm")
    return compiled if compiled.is_file() else None


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m registre_ui.translations update|compile|check``."""
    arguments = list(sys.argv[1:] if argv is None else argv) or ["compile"]
    command = arguments[0]
    for lang in TRANSLATED_LANGUAGES:
        if command == "update":
            print(update(lang))
        elif command == "compile":
            print(compile_catalogue(lang))
        elif command == "check":
            missing = unfinished(ts_path(lang)) + placeholder_mismatches(ts_path(lang))
            for context, source in missing:
                print(f"{lang} {context}: {source}")
            if missing:
                return 1
        else:
            print("usage: python -m registre_ui.translations update|compile|check", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
