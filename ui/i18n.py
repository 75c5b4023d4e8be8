"""Interface language: chosen once at start-up, with Qt's and Registre's translation catalogues.

Source strings are French (French first); the English catalogue is compiled from
``resources/translations/registre_en.ts`` (``registre_ui.translations``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from registre.cli_help import LANGUAGES as SUPPORTED_LANGUAGES

_language = "fr"


def set_language(lang: str) -> None:
    """Use ``lang`` ("fr" or "en") for schema labels, vocabularies and core messages."""
    global _language  # noqa: PLW0603 - resolved once at start-up, like registre.paths
    _language = lang if lang in SUPPORTED_LANGUAGES else "fr"


def language() -> str:
    """The interface language ("fr" or "en")."""
    return _language


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load Qt's own catalogue and Registre's for ``lang``; keep the returned list alive.

    Registre's catalogue is the one compiled when Registre was built; without it (a checkout
    where ``make`` was not run) the interface stays in French and says so on stderr.
    """
    import sys

    from registre_ui.translations import compiled_catalogue

    locale_language = QLocale.Language.French if lang == "fr" else QLocale.Language.English
    QLocale.setDefault(QLocale(locale_language))
    installed: list[QTranslator] = []
    qt_catalogue = QTranslator(app)
    qt_directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang != "en" and qt_catalogue.load(f"qtbase_{lang}", qt_directory):
        app.installTranslator(qt_catalogue)
        installed.append(qt_catalogue)
    own = compiled_catalogue(lang) if lang != "fr" else None
    if own is None and lang != "fr":
        print(
            f"registre-app: no compiled '{lang}' catalogue (run: make); the interface stays in "
            "French",
            file=sys.stderr,
        )
    if own is not None:
        own_catalogue = QTranslator(app)
        if own_catalogue.load(str(own)):
            app.installTranslator(own_catalogue)
            installed.append(own_catalogue)
    return installed
