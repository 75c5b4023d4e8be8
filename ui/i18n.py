"""Interface language: chosen once at start-up, with Qt's and Registre's translation catalogues.

Source strings are French (French first); the English catalogue is compiled from
``resources/translations/registre_en.ts`` (``ui.translations``).
"""

from __future__ import annotations

from pathlib import Path

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


def qt_translation_dirs() -> list[Path]:
    """Where Qt's own catalogues (``qtbase_fr.qm``: file dialogs, standard buttons) may be:
    Qt's translations folder, then the one inside the PySide6 package (a bundle)."""
    import PySide6

    return [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        Path(PySide6.__file__).parent / "Qt" / "translations",
        Path(PySide6.__file__).parent / "translations",
    ]


QT_FRENCH_SUPPLEMENT = {
    "&Look in:": "&Voir dans\u00a0:",
    "Files of &type:": "Fichiers de &type\u00a0:",
    "Page &Set:": "&Ensemble de pages\u00a0:",
    "Folder": "Dossier",  # the « Type » column of the file dialog
    "Drive": "Lecteur",
}


class QtFrenchSupplement(QTranslator):
    """The few Qt strings that Qt's French catalogue misses (their English text changed when
    Qt added a shortcut letter, so « Look in: » of the file dialog stayed English; the file
    type names moved to a new context)."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        """The French text of ``source``; None (no translation here) for any other text."""
        return QT_FRENCH_SUPPLEMENT.get(source)

    def isEmpty(self) -> bool:
        """Never empty: it always has its few strings."""
        return False


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
    if lang != "en" and any(
        qt_catalogue.load(f"qtbase_{lang}", str(directory)) for directory in qt_translation_dirs()
    ):
        app.installTranslator(qt_catalogue)
        installed.append(qt_catalogue)
        if lang == "fr":
            supplement = QtFrenchSupplement(app)
            app.installTranslator(supplement)
            installed.append(supplement)
    elif lang != "en":
        print(f"registre-app: Qt's own '{lang}' catalogue was not found", file=sys.stderr)
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
