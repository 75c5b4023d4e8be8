"""The ``registre-app`` command: its options, ``--version`` and ``--help`` without starting Qt.

``registre-app [REGISTER | BACKUP] [--demo] [--data-dir DIR] [--lang fr|en]``. Options Registre
does not know (``-platform``, ``-style``…) are left for Qt. This module imports neither PySide6
nor the rest of the application, so answering ``--version`` or ``--help`` is immediate.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any, TextIO

from registre import __version__
from registre.cli import detect_language
from registre.cli_help import DATA_DIR_ENV, LANGUAGES, HelpFormatter, argparse_language


def _environment_and_exit_codes(lang: str) -> str:
    if lang == "en":
        return (
            "A backup file (.registre-backup) given as REGISTER opens the restore dialog.\n\n"
            f"environment variables:\n  {DATA_DIR_ENV:<20} data folder (the library of "
            "registers)\n  LANG                 language of this help (the interface follows "
            "the preferences or --lang)\n\nexit codes:\n  0    the application was closed "
            "normally\n  2    usage error"
        )
    return (
        "Un fichier de sauvegarde (.registre-backup) donné comme REGISTRE ouvre la restauration."
        f"\n\nvariables d'environnement :\n  {DATA_DIR_ENV:<20} dossier de données (la "
        "bibliothèque des registres)\n  LANG                 langue de cette aide (l'interface "
        "suit les préférences ou --lang)\n\ncodes de sortie :\n  0    l'application a été fermée "
        "normalement\n  2    commande mal formée"
    )


def build_parser(lang: str) -> argparse.ArgumentParser:
    """The options of ``registre-app`` in ``lang`` (also used for its man page)."""

    def t(fr: str, en: str) -> str:
        return en if lang == "en" else fr

    parser = argparse.ArgumentParser(
        prog="registre-app",
        description=t(
            "Registre des activités de traitement (RGPD, article 30) : l'application de bureau.",
            "Record of processing activities (GDPR Article 30): the desktop application.",
        ),
        epilog=_environment_and_exit_codes(lang),
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "register",
        nargs="?",
        type=Path,
        metavar=t("REGISTRE", "REGISTER"),
        help=t(
            "dossier du registre à ouvrir, ou sauvegarde (.registre-backup) à restaurer",
            "register folder to open, or backup (.registre-backup) to restore",
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"registre-app {__version__}",
        help=t("afficher la version et quitter", "show the version and exit"),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=t("ouvrir le registre de démonstration", "open the demo register"),
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar=t("DOSSIER", "FOLDER"),
        help=t("dossier de données à utiliser", "data folder to use"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help=t(
            "langue de l'interface (sinon celle des préférences, français)",
            "interface language (otherwise the preferences', French)",
        ),
    )
    return parser


def parse_arguments(
    argv: Sequence[str], *, out: TextIO | None = None
) -> tuple[argparse.Namespace, list[str]]:
    """Registre's options, and what is left for Qt (``-platform``, ``-style``…).

    ``--help`` and ``--version`` print to ``out`` (standard output) and raise ``SystemExit``.
    """
    lang = detect_language(argv)
    with argparse_language(lang), redirect_stdout(out or sys.stdout):
        return build_parser(lang).parse_known_args(list(argv))


def main() -> Any:
    """GUI-script entry point: answer ``--version``/``--help`` at once, else start Qt."""
    arguments = sys.argv[1:]
    parse_arguments(arguments)  # exits on --help, --version and usage errors
    from registre_ui.app import run

    sys.exit(run(arguments))


if __name__ == "__main__":
    main()
