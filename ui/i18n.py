"""Interface language: chosen once at start-up, with Qt's and Registre's translation catalogues.

Source strings are French (French first); the English catalogue is compiled from
``resources/translations/registre_en.ts`` (``ui.translations``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

SUPPORTED_LANGUAGES = ("fr", "en")
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

    Registre's catalogue is compiled from its .ts when the .qm is missing or out of date
    (``ui.translations.catalogue_for``).
    """
    from ui.translations import catalogue_for

    locale_language = QLocale.Language.French if lang == "fr" else QLocale.Language.English
    QLocale.setDefault(QLocale(locale_language))
    installed: list[QTranslator] = []
    qt_catalogue = QTranslator(app)
    qt_directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang != "en" and qt_catalogue.load(f"qtbase_{lang}", qt_directory):
        app.installTranslator(qt_catalogue)
        installed.append(qt_catalogue)
    own = catalogue_for(lang) if lang != "fr" else None
    if own is not None:
        own_catalogue = QTranslator(app)
        if own_catalogue.load(str(own)):
            app.installTranslator(own_catalogue)
            installed.append(own_catalogue)
    return installed
