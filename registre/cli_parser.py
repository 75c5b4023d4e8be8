"""The ``registre`` command line's arguments: every command, its options and help, in French or
English (also read by the man pages and shell completion).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from registre import __version__, cli_fiche, cli_workspace
from registre.cli_console import Console, Parser
from registre.cli_help import (
    LANGUAGES,
    SIGNING_PASSPHRASE_ENV,
    environment_text,
    exit_codes_text,
    passphrase_text,
)
from registre.team import cli as team_cli
from registre.team import register_location

EXPORT_CHOICES = ("pdf", "json", "csv", "xlsx", "ods", "dpv")
COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell")
# Commands that open a register with its passphrase: it is asked for first, before the
# storage layer is imported, so the prompt comes at once.
UNLOCK_COMMANDS = (
    *("check", "export", "import", "new", "passwd", "backup", "restore", "info"),
    *cli_workspace.NAMES,
)
# Commands that read a passphrase or a recovery key: they take --passphrase-stdin.
SECRET_COMMANDS = (*UNLOCK_COMMANDS, "init", "demo", "recover")
# Commands that touch no register: they get no Context (its import loads the storage layer).
REGISTERLESS_COMMANDS = ("verify", "templates", "completion")


def build_parser(lang: str) -> argparse.ArgumentParser:
    """The whole command line in ``lang`` (also used for the man page and shell completion).

    Call it inside ``argparse_language(lang)`` so argparse's own words are in that language.
    """
    return console_parser(Console(lang, sys.stdout, sys.stderr))


def console_parser(console: Console) -> argparse.ArgumentParser:
    t = console.t
    parser = Parser(
        prog="registre",
        description=t(
            "Registre des activités de traitement (RGPD, article 30), chiffré.",
            "Record of processing activities (GDPR Article 30), encrypted.",
        ),
        epilog="\n\n".join(
            (
                passphrase_text(console.lang),
                environment_text(console.lang),
                exit_codes_text(console.lang),
            )
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"registre {__version__}",
        help=t("afficher la version et quitter", "show the version and exit"),
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=t("langue des messages", "message language")
    )
    commands = parser.add_subparsers(
        dest="command",
        metavar=t("COMMANDE", "COMMAND"),
        parser_class=Parser,
        title=t("commandes ", "commands"),
    )

    init = commands.add_parser("init", help=t("créer un registre", "create a register"))
    init.add_argument("register", type=register_location, metavar="REGISTRE")
    init.add_argument(
        "--organisation", required=True, help=t("nom de l'organisme", "organisation name")
    )
    init.add_argument(
        "--recovery-key-file",
        type=Path,
        help=t("écrire la clé de secours dans ce fichier", "write the recovery key to this file"),
    )
    init.add_argument(
        "--recovery-sheet",
        type=Path,
        metavar="PDF",
        help=t(
            "écrire aussi la feuille de secours imprimable (PDF)",
            "also write the printable recovery sheet (PDF)",
        ),
    )

    demo = commands.add_parser(
        "demo", help=t("créer le registre de démonstration", "create the demo register")
    )
    demo.add_argument("register", type=register_location, metavar="REGISTRE")

    check = commands.add_parser(
        "check", help=t("contrôler la conformité à l'article 30", "check against Article 30")
    )
    check.add_argument("register", type=register_location, metavar="REGISTRE")
    check.add_argument("--json", action="store_true", help=t("sortie JSON", "JSON output"))
    check.add_argument(
        "--organisation",
        metavar="ID",
        help=t(
            "identifiant d'un organisme (tous par défaut)",
            "one organisation's identifier (all by default)",
        ),
    )

    export = commands.add_parser("export", help=t("exporter le registre", "export the register"))
    export.add_argument("register", type=register_location, metavar="REGISTRE")
    export.add_argument("--format", required=True, choices=EXPORT_CHOICES, dest="fmt")
    export.add_argument("--output", required=True, type=Path, metavar=t("FICHIER", "FILE"))
    export.add_argument(
        "--profile",
        choices=("full", "art30", "communicable", "breaches"),
        default="full",
        help=t(
            "PDF : registre complet, extrait article 30, version communicable (CADA) ou "
            "registre des violations de données",
            "PDF: full register, Article 30 extract, communicable version or breach register",
        ),
    )
    for flag, help_fr, help_en in (
        (
            "--completeness",
            "version communicable : joindre le rapport de complétude (absent par défaut)",
            "communicable version: include the completeness report (left out by default)",
        ),
        (
            "--mask-security",
            "version communicable : occulter les mesures de sécurité (CRPA L311-5 2° d)",
            "communicable version: mask the security measures (CRPA L311-5 2° d)",
        ),
        (
            "--mask-officials",
            "version communicable : occulter aussi le nom des élus (le maire, représentant "
            "légal), communicable par défaut",
            "communicable version: also mask elected officials' names (the mayor as legal "
            "representative), communicable by default",
        ),
    ):
        export.add_argument(flag, action="store_true", help=t(help_fr, help_en))
    export.add_argument(
        "--sign-with",
        type=Path,
        metavar=t("CERTIFICAT.p12", "CERTIFICATE.p12"),
        help=t(
            "PDF : signer avec le certificat de l'organisme (PKCS#12 ; phrase de passe dans "
            f"{SIGNING_PASSPHRASE_ENV}) au lieu de la clé du registre",
            "PDF: sign with the organisation's certificate (PKCS#12; passphrase in "
            f"{SIGNING_PASSPHRASE_ENV}) instead of the register's key",
        ),
    )
    export.add_argument(
        "--organisation",
        metavar="ID",
        help=t(
            "un seul organisme (obligatoire en CSV, XLSX, ODS s'il y en a plusieurs)",
            "one organisation (required for CSV, XLSX, ODS when there are several)",
        ),
    )

    cli_workspace.add_export_options(export, t)

    cli_fiche.add_arguments(export, t)

    import_ = commands.add_parser(
        "import", help=t("importer un fichier (tout ou rien)", "import a file (all or nothing)")
    )
    import_.add_argument("register", type=register_location, metavar="REGISTRE")
    import_.add_argument("file", type=Path, metavar=t("FICHIER", "FILE"))
    import_.add_argument(
        "--dry-run",
        action="store_true",
        help=t(
            "montrer ce qui serait fait, sans rien modifier",
            "show what would be done, change nothing",
        ),
    )
    import_.add_argument(
        "--mapping",
        type=Path,
        metavar=t("CORRESPONDANCES", "MAPPING"),
        help=t("fichier de correspondance des colonnes (CSV)", "column mapping file (CSV)"),
    )
    import_.add_argument(
        "--organisation", metavar="ID", help=t("organisme destinataire", "target organisation")
    )
    import_.add_argument(
        "--json",
        action="store_true",
        help=t(
            "sortie JSON : le plan (--dry-run) ou ce qui a été écrit",
            "JSON output: the plan (--dry-run) or what was written",
        ),
    )

    verify = commands.add_parser(
        "verify",
        help=t(
            "vérifier l'authenticité d'un PDF exporté", "check that an exported PDF is authentic"
        ),
    )
    verify.add_argument("file", type=Path, metavar=t("FICHIER", "FILE"))
    verify.add_argument("--json", action="store_true", help=t("sortie JSON", "JSON output"))
    verify.add_argument(
        "--expect-fingerprint",
        action="append",
        default=[],
        metavar="SHA256",
        help=t(
            "empreinte SHA-256 du certificat attendu (publiée par l'organisme) : tout autre "
            "signataire donne le code 4",
            "SHA-256 fingerprint of the expected certificate (published by the organisation): "
            "any other signer gives exit code 4",
        ),
    )
    verify.add_argument(
        "--trust",
        action="append",
        default=[],
        type=Path,
        metavar=t("CERTIFICAT.pem", "CERTIFICATE.pem"),
        help=t(
            "certificat de confiance (le signataire ou l'autorité qui l'a délivré) : tout autre "
            "signataire donne le code 4",
            "trusted certificate (the signer or the authority that issued it): any other signer "
            "gives exit code 4",
        ),
    )

    templates = commands.add_parser(
        "templates", help=t("catalogue des traitements types", "catalogue of typical activities")
    )
    templates.add_argument("--json", action="store_true", help=t("sortie JSON", "JSON output"))

    new = commands.add_parser(
        "new",
        help=t("créer un traitement à partir d'un modèle", "create an activity from a template"),
    )
    new.add_argument("register", type=register_location, metavar="REGISTRE")
    new.add_argument(
        "--template",
        required=True,
        metavar="ID",
        help=t(
            "identifiant du modèle (registre templates)", "template identifier (registre templates)"
        ),
    )
    new.add_argument(
        "--organisation",
        metavar="ID",
        help=t(
            "identifiant de l'organisme (obligatoire s'il y en a plusieurs)",
            "organisation identifier (required when there are several)",
        ),
    )

    passwd = commands.add_parser(
        "passwd", help=t("changer la phrase de passe", "change the passphrase")
    )
    passwd.add_argument("register", type=register_location, metavar="REGISTRE")
    _add_keep_data_key(passwd, t)

    recover = commands.add_parser(
        "recover",
        help=t(
            "nouvelle phrase de passe avec la clé de secours",
            "new passphrase from the recovery key",
        ),
    )
    recover.add_argument("register", type=register_location, metavar="REGISTRE")
    _add_keep_data_key(recover, t)

    backup = commands.add_parser("backup", help=t("sauvegarder", "back up"))
    backup.add_argument("register", type=register_location, metavar="REGISTRE")
    backup.add_argument(
        "--output",
        type=Path,
        metavar=t("FICHIER", "FILE"),
        help=t(
            "fichier de sauvegarde (par défaut dans le dossier du registre)",
            "backup file (default: in the register's folder)",
        ),
    )

    restore = commands.add_parser("restore", help=t("restaurer une sauvegarde", "restore a backup"))
    restore.add_argument("register", type=register_location, metavar="REGISTRE")
    restore.add_argument(
        "--from", dest="source", type=Path, required=True, metavar=t("SAUVEGARDE", "BACKUP")
    )

    info = commands.add_parser(
        "info", help=t("résumé et état d'intégrité", "summary and integrity state")
    )
    info.add_argument("register", type=register_location, metavar="REGISTRE")
    info.add_argument("--json", action="store_true", help=t("sortie JSON", "JSON output"))
    info.add_argument(
        "--deep",
        action="store_true",
        help=t(
            "rejouer le journal des modifications sur les fiches et nommer la première différence",
            "replay the audit trail against the records and name the first difference",
        ),
    )

    team_cli.add_server_parser(commands, console)
    completion = commands.add_parser(
        "completion",
        help=t("script de complétion du shell", "shell completion script"),
        description=t(
            "Affiche le script de complétion à charger dans le shell, par exemple :\n"
            "  bash : registre completion bash > ~/.local/share/bash-completion/completions/"
            "registre\n"
            "  zsh : registre completion zsh > ~/.zfunc/_registre\n"
            "  PowerShell : registre completion powershell >> $PROFILE",
            "Prints the completion script to load into the shell, for instance:\n"
            "  bash: registre completion bash > ~/.local/share/bash-completion/completions/"
            "registre\n"
            "  zsh: registre completion zsh > ~/.zfunc/_registre\n"
            "  PowerShell: registre completion powershell >> $PROFILE",
        ),
    )
    completion.add_argument("shell", choices=COMPLETION_SHELLS, metavar="SHELL")
    cli_workspace.add_commands(commands, t)

    _add_common_options(console, commands)
    return parser


def _add_common_options(console: Console, subparsers: Any) -> None:
    """A description, ``--lang`` on every command; ``--passphrase-stdin`` on those that read a
    secret."""
    t = console.t
    summaries = {action.dest: action.help for action in getattr(subparsers, "_choices_actions", [])}
    for name, command in subparsers.choices.items():
        if command.description is None and summaries.get(name):
            command.description = t("registre {} : {}", "registre {}: {}").format(
                name, summaries[name]
            )
        command.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=argparse.SUPPRESS,
            help=t("langue des messages", "message language"),
        )
        if name in SECRET_COMMANDS:
            command.add_argument(
                "--passphrase-stdin",
                action="store_true",
                help=t(
                    "lire la phrase de passe sur l'entrée standard, une par ligne (passwd et "
                    "recover : la nouvelle sur la ligne suivante)",
                    "read the passphrase from standard input, one per line (passwd and recover: "
                    "the new one on the next line)",
                ),
            )
            command.epilog = passphrase_text(console.lang)


def _add_keep_data_key(parser: argparse.ArgumentParser, t: Callable[[str, str], str]) -> None:
    parser.add_argument(
        "--keep-data-key",
        action="store_true",
        help=t(
            "ne pas rechiffrer la base (immédiat pour un très gros registre, mais une ancienne "
            "copie de keyslots.json et l'ancienne phrase de passe l'ouvrent encore)",
            "do not re-encrypt the database (instant for a very large register, but an old copy "
            "of keyslots.json and the old passphrase still open it)",
        ),
    )
