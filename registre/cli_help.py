"""The command-line help: argparse's own words in French, exit codes and environment variables.

argparse looks its fixed texts (« usage: », « options », its error messages) up through
``gettext``; Python ships no French catalogue for them, so ``argparse_language`` answers those
look-ups from ``ARGPARSE_FR`` while a parser is built and used. Imports only the standard library:
``registre --help`` and the man pages need nothing else.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from registre.errors import (
    EXIT_DAMAGED,
    EXIT_GAPS,
    EXIT_INVALID_INPUT,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_STORAGE,
    EXIT_USAGE,
    EXIT_WRONG_SECRET,
)

PASSPHRASE_ENV = "REGISTRE_PASSPHRASE"  # noqa: S105 - variable names, not secrets
NEW_PASSPHRASE_ENV = "REGISTRE_NEW_PASSPHRASE"  # noqa: S105
RECOVERY_KEY_ENV = "REGISTRE_RECOVERY_KEY"
SIGNING_PASSPHRASE_ENV = "REGISTRE_SIGNING_PASSPHRASE"  # noqa: S105
DATA_DIR_ENV = "REGISTRE_DATA_DIR"
LANGUAGES = ("fr", "en")  # French first
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

# argparse's message ids (Python 3.11 to 3.13) and their French text.
ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    # argparse adds a colon after a section title; French puts a space before it.
    "positional arguments": "arguments ",
    "options": "options ",
    "optional arguments": "options ",
    "show this help message and exit": "afficher cette aide et quitter",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur %r ignorée",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (choisir parmi %(choices)s)"
    ),
    "invalid choice: %(value)r, choose from %(choices)s": (
        "choix invalide : %(value)r, choisir parmi %(choices)s"
    ),
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue %(parser_name)r (choix : %(choices)s)"
    ),
}
ARGPARSE_FR_PLURALS = {
    "expected %s argument": ("%s valeur attendue", "%s valeurs attendues"),
}


@contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """While inside, argparse's own texts are in ``lang`` (French unless "en")."""
    if lang == "en":
        yield
        return
    previous_gettext: Callable[[str], str] | None = getattr(argparse, "_", None)
    previous_ngettext: Callable[[str, str, int], str] | None = getattr(argparse, "ngettext", None)

    def gettext_fr(message: str) -> str:
        return ARGPARSE_FR.get(message, message)

    def ngettext_fr(singular: str, plural: str, count: int) -> str:
        forms = ARGPARSE_FR_PLURALS.get(singular)
        if forms is None:
            return singular if count == 1 else plural
        return forms[0] if count <= 1 else forms[1]

    argparse._ = gettext_fr  # type: ignore[attr-defined]
    argparse.ngettext = ngettext_fr  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if previous_gettext is not None:
            argparse._ = previous_gettext  # type: ignore[attr-defined]
        if previous_ngettext is not None:
            argparse.ngettext = previous_ngettext  # type: ignore[attr-defined]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and epilogs; a wider column for option names."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def exit_codes_text(lang: str) -> str:
    """The exit codes of the command-line contract, one per line."""
    rows = (
        (EXIT_OK, "succès", "success"),
        (EXIT_GAPS, "« check » a trouvé des manques", "“check” found gaps"),
        (EXIT_USAGE, "commande mal formée", "usage error"),
        (
            EXIT_WRONG_SECRET,
            "phrase de passe ou clé de secours fausse",
            "wrong passphrase or recovery key",
        ),
        (
            EXIT_DAMAGED,
            "registre endommagé, modifié ou d'une version plus récente ; « verify » : "
            "fichier modifié",
            "register damaged, altered or from a newer version; “verify”: file altered",
        ),
        (
            EXIT_LOCKED,
            "registre ouvert par un autre programme",
            "register locked by another process",
        ),
        (
            EXIT_INVALID_INPUT,
            "fichier à importer invalide (rien n'est importé)",
            "invalid input file (nothing imported)",
        ),
        (
            EXIT_STORAGE,
            "erreur d'écriture (disque plein, lecture seule, droits)",
            "storage error (disk full, read-only, permission)",
        ),
        (
            EXIT_INTERNAL,
            "erreur interne (détails enregistrés pour l'assistance)",
            "internal error (details saved for support)",
        ),
    )
    title = "codes de sortie :" if lang != "en" else "exit codes:"
    lines = [title]
    lines += [f"  {code:<3} {en if lang == 'en' else fr}" for code, fr, en in rows]
    return "\n".join(lines)


def environment_text(lang: str) -> str:
    """The environment variables the command reads, one per line."""
    rows = (
        (
            PASSPHRASE_ENV,
            "phrase de passe du registre (sinon elle est demandée)",
            "the register's passphrase (asked for otherwise)",
        ),
        (
            NEW_PASSPHRASE_ENV,
            "nouvelle phrase de passe pour « passwd » et « recover »",
            "new passphrase for “passwd” and “recover”",
        ),
        (RECOVERY_KEY_ENV, "clé de secours pour « recover »", "recovery key for “recover”"),
        (
            SIGNING_PASSPHRASE_ENV,
            "phrase de passe du certificat de « export --sign-with »",
            "passphrase of the certificate of “export --sign-with”",
        ),
        (
            DATA_DIR_ENV,
            "dossier de données (la bibliothèque des registres)",
            "data folder (the library of registers)",
        ),
        (
            "LANG",
            "langue des messages (français sauf « en… » ; voir --lang)",
            "message language (French unless “en…”; see --lang)",
        ),
    )
    title = "variables d'environnement :" if lang != "en" else "environment variables:"
    lines = [title]
    lines += [f"  {name:<28} {en if lang == 'en' else fr}" for name, fr, en in rows]
    return "\n".join(lines)


def passphrase_text(lang: str) -> str:
    """Where secrets come from, never from the command line."""
    if lang == "en":
        return (
            "The passphrase is never given on the command line: REGISTRE_PASSPHRASE when set,\n"
            "otherwise standard input with --passphrase-stdin (one secret per line, in the order\n"
            "they would be asked for), otherwise a prompt."
        )
    return (
        "La phrase de passe n'est jamais donnée sur la ligne de commande : REGISTRE_PASSPHRASE\n"
        "si elle est définie, sinon l'entrée standard avec --passphrase-stdin (un secret par\n"
        "ligne, dans l'ordre où ils seraient demandés), sinon une saisie au clavier."
    )
