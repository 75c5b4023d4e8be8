"""``registre server checkout`` (« Emporter ») and ``registre server checkin`` (« Rapporter »):
offline visits from the command line (``registre.team.visit`` does the work)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from registre.errors import EXIT_OK

if TYPE_CHECKING:
    from registre.cli import Console
    from registre.context import Context


def add_visit_parsers(actions: Any, console: Console) -> None:
    """The ``checkout`` and ``checkin`` actions of ``registre server``."""
    t = console.t
    checkout = actions.add_parser(
        "checkout",
        help=t(
            "emporter des organismes dans un registre local chiffré (visite hors ligne)",
            "take organisations out into a local encrypted register (offline visit)",
        ),
    )
    checkout.add_argument("url", metavar=t("ADRESSE", "URL"), help="postgresql://user@host/db")
    checkout.add_argument(
        "--organisation",
        nargs="+",
        required=True,
        metavar="ID",
        help=t("identifiant ou nom exact de chaque organisme", "id or exact name of each one"),
    )
    checkout.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar=t("DOSSIER", "FOLDER"),
        help=t("le registre local à créer", "the local register to create"),
    )
    checkout.add_argument(
        "--recovery-key-file",
        type=Path,
        help=t("écrire la clé de secours dans ce fichier", "write the recovery key to this file"),
    )
    checkin = actions.add_parser(
        "checkin",
        help=t(
            "rapporter les modifications d'une visite, champ par champ",
            "bring a visit's changes back, field by field",
        ),
    )
    checkin.add_argument("url", metavar=t("ADRESSE", "URL"), help="postgresql://user@host/db")
    checkin.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar=t("DOSSIER", "FOLDER"),
        help=t("le registre local emporté", "the local register taken out"),
    )
    checkin.add_argument(
        "--keep",
        choices=("server", "local"),
        help=t(
            "en cas de conflit, garder les valeurs du serveur ou les remplacer par les vôtres",
            "on a conflict, keep the server's values or replace them with yours",
        ),
    )


def run_visit_command(args: argparse.Namespace, console: Console, context: Context) -> int:
    """Run ``checkout`` or ``checkin``."""
    if args.server_command == "checkout":
        return _checkout(args, console, context)
    return _checkin(args, console, context)


def _team(args: argparse.Namespace, console: Console, context: Context, *, read_only: bool) -> Any:
    from registre.team.cli import open_team

    return open_team(argparse.Namespace(register=args.url), console, context, read_only=read_only)


def _checkout(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.cli import _deliver_recovery_key
    from registre.cli_console import read_passphrase
    from registre.team.visit import read_visit, take_out

    with _team(args, console, context, read_only=True) as team:
        passphrase = read_passphrase(console, confirm=True)
        local, recovery_key = take_out(
            team, args.organisation, args.output, passphrase, context=context
        )
    with local:
        names = ", ".join(o.name for o in _organisations(local))
        visit = read_visit(local)
    _deliver_recovery_key(console, recovery_key, args.recovery_key_file)
    console.say(
        f"Emporté de « {visit.team_name} » : {names}, dans {args.output}. Rapportez-le avec "
        f"« registre server checkin ADRESSE --from {args.output} ».",
        f"Taken out of “{visit.team_name}”: {names}, into {args.output}. Bring it back with "
        f"“registre server checkin URL --from {args.output}”.",
    )
    return EXIT_OK


def _organisations(local: Any) -> list[Any]:
    from registre import services

    return list(services.register_info(local).organisations)


def _checkin(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.cli_console import read_passphrase
    from registre.storage import open_register
    from registre.team.visit import VisitConflicts, bring_back

    local = open_register(args.source, read_passphrase(console), context=context)
    with local, _team(args, console, context, read_only=False) as team:
        try:
            summary = bring_back(local, team, keep=args.keep)
        except VisitConflicts as conflicts:
            for conflict in conflicts.conflicts:
                console.data(conflict.line(console.lang))
            return console.fail(conflicts)
    for conflict in summary.conflicts_kept:
        console.say(
            f"Conflit réglé ({'serveur' if args.keep == 'server' else 'local'}) : "
            f"{conflict.line('fr')}",
            f"Conflict settled ({args.keep}): {conflict.line('en')}",
        )
    console.say(
        f"Rapporté : {len(summary.created)} création(s), {len(summary.updated)} "
        f"modification(s), {len(summary.deleted)} suppression(s) ; {summary.carried} entrée(s) "
        "du journal de la visite reportée(s) dans celui du registre d'équipe.",
        f"Brought back: {len(summary.created)} creation(s), {len(summary.updated)} "
        f"change(s), {len(summary.deleted)} deletion(s); {summary.carried} audit entr(y/ies) "
        "of the visit carried over into the team register's trail.",
    )
    return EXIT_OK
