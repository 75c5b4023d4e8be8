"""The command line's team register: ``registre server init URL`` and every REGISTER argument
given as a ``postgresql://`` URL.

``check``, ``export``, ``import`` and ``new`` run their usual code on the opened team register;
``info``, ``backup`` and ``restore`` have a team version here; commands that only make sense for
a folder (``init``, ``demo``, ``passwd``, ``recover``) say so. The team register's passphrase
(``REGISTRE_PASSPHRASE`` or the prompt) is asked only when a PDF is signed; the PostgreSQL
password comes from libpq (``PGPASSWORD``, ``.pgpass``) or is typed at a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from registre.errors import EXIT_OK
from registre.team import is_team_location
from registre.team.errors import NotForTeamRegister

if TYPE_CHECKING:
    from registre.cli import Console
    from registre.context import Context
    from registre.team.register import TeamRegister

Command = Callable[[argparse.Namespace, "Console", "Context"], int]

_FOLDER_ONLY = {
    "init": (
        "créez-le avec « registre server init ADRESSE --name NOM »",
        "create it with “registre server init ADDRESS --name NAME”",
    ),
    "demo": (
        "la démonstration est un registre local",
        "the demonstration is a local register",
    ),
    "passwd": (
        "le mot de passe est celui du rôle PostgreSQL (ALTER ROLE … PASSWORD, service "
        "informatique)",
        "the password is the PostgreSQL role's (ALTER ROLE … PASSWORD, IT department)",
    ),
    "recover": (
        "il n'a pas de clé de secours : l'accès est géré par PostgreSQL",
        "it has no recovery key: access is managed by PostgreSQL",
    ),
}


def add_server_parser(commands: Any, console: Console) -> None:
    """``registre server init URL --name NAME``, ``roles``, ``checkout`` and ``checkin``."""
    t = console.t
    server = commands.add_parser(
        "server", help=t("registre d'équipe sur PostgreSQL", "team register on PostgreSQL")
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help=t("créer le registre dans une base vide", "create the register in an empty database"),
    )
    init.add_argument("url", metavar=t("ADRESSE", "URL"), help="postgresql://user@host/db")
    init.add_argument(
        "--name", required=True, help=t("nom du registre d'équipe", "team register's name")
    )
    roles = actions.add_parser(
        "roles",
        help=t(
            "créer les rôles DPO, assistant, secrétaire, auditeur et la sécurité par ligne",
            "create the DPO, assistant, secretary and auditor roles and row-level security",
        ),
    )
    roles.add_argument("url", metavar=t("ADRESSE", "URL"), help="postgresql://user@host/db")
    roles.add_argument(
        "--print",
        dest="print_only",
        action="store_true",
        help=t("écrire le SQL sans l'exécuter", "write the SQL out without running it"),
    )
    from registre.team.visit_cli import add_visit_parsers

    add_visit_parsers(actions, console)


def route(commands: dict[str, Command]) -> None:
    """Send URL arguments of ``commands`` to their team version; add ``server``."""
    for name, (reason_fr, reason_en) in _FOLDER_ONLY.items():
        commands[name] = _refusing_urls(commands[name], name, reason_fr, reason_en)
    commands["info"] = _for_urls(commands["info"], _cmd_info)
    commands["backup"] = _for_urls(commands["backup"], _cmd_backup)
    commands["restore"] = _for_urls(commands["restore"], _cmd_restore)
    commands["server"] = _cmd_server


def needs_passphrase_first(args: argparse.Namespace) -> bool:
    """False for a team register: its passphrase is asked only to sign."""
    return not is_team_location(getattr(args, "register", None))



def _refusing_urls(local: Command, name: str, reason_fr: str, reason_en: str) -> Command:
    def command(args: argparse.Namespace, console: Console, context: Context) -> int:
        if is_team_location(args.register):
            raise NotForTeamRegister(command=name, reason=reason_fr, reason_en=reason_en)
        return local(args, console, context)

    return command


def _for_urls(local: Command, team: Command) -> Command:
    def command(args: argparse.Namespace, console: Console, context: Context) -> int:
        return (team if is_team_location(args.register) else local)(args, console, context)

    return command


def password_prompt(console: Console) -> Callable[[str], str | None]:
    """Ask the PostgreSQL password at the terminal (never echoed, never stored on disk)."""

    def ask(server: str) -> str | None:
        if not sys.stdin.isatty():
            return None
        return getpass.getpass(
            console.t(
                f"Mot de passe PostgreSQL de {server} : ", f"PostgreSQL password of {server}: "
            )
        )

    return ask


def open_team(
    args: argparse.Namespace, console: Console, context: Context, *, read_only: bool
) -> TeamRegister:
    """Open the team register named by ``args.register``."""
    from registre.cli import read_passphrase
    from registre.errors import OlderRegister
    from registre.team.register import open_team_register

    def opened(read_only: bool) -> TeamRegister:
        return open_team_register(
            str(args.register),
            read_only=read_only,
            context=context,
            ask_password=password_prompt(console),
            ask_secret=lambda: read_passphrase(console),
        )

    try:
        return opened(read_only)
    except OlderRegister as older:  # upgraded once for writing (one transaction), then opened
        console.say(
            f"Mise à jour du registre d'équipe vers le schéma {older.details['supported']}…",
            f"Upgrading the team register to schema {older.details['supported']}…",
        )
        opened(False).close()
        return opened(read_only)


def _cmd_server(args: argparse.Namespace, console: Console, context: Context) -> int:
    if args.server_command == "roles":
        return _cmd_server_roles(args, console, context)
    if args.server_command in ("checkout", "checkin"):
        from registre.team import visit_cli

        return visit_cli.run_visit_command(args, console, context)
    from registre.cli import read_passphrase
    from registre.signing import ensure_signing_identity
    from registre.team.register import create_team_register

    register = create_team_register(
        args.url,
        name=args.name,
        context=context,
        ask_password=password_prompt(console),
        ask_secret=lambda: read_passphrase(console, confirm=True),
    )
    with register:
        identity = ensure_signing_identity(register)
    console.say(
        f"Registre d'équipe « {args.name} » créé sur {register.address.display}.",
        f"Team register “{args.name}” created on {register.address.display}.",
    )
    console.say(
        "Sa phrase de passe protège la clé de signature des exports, gardée chiffrée sur le "
        "serveur ; l'accès aux données est celui des rôles PostgreSQL.",
        "Its passphrase protects the exports' signing key, kept encrypted on the server; "
        "access to the data is the PostgreSQL roles'.",
    )
    console.data(f"SHA-256 {identity.fingerprint}")
    return EXIT_OK


def _cmd_server_roles(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.team.roles import ROLES_SQL, install_roles

    if args.print_only:
        console.data(ROLES_SQL.rstrip("\n"))
        return EXIT_OK
    install_roles(args.url, ask_password=password_prompt(console))
    console.say(
        "Rôles registre_dpo, registre_assistant, registre_secretary et registre_auditor prêts ; "
        "sécurité par ligne active. Affectez les personnes comme l'explique docs/team.md.",
        "Roles registre_dpo, registre_assistant, registre_secretary and registre_auditor ready; "
        "row-level security on. Assign people as docs/team.md explains.",
    )
    return EXIT_OK


def _cmd_info(args: argparse.Namespace, console: Console, context: Context) -> int:
    from sqlalchemy import select

    from registre import services
    from registre.errors import RegisterDamaged
    from registre.model import Meta
    from registre.signing import CERTIFICATE_META

    with open_team(args, console, context, read_only=True) as register:
        info = services.register_info(register)
        with register.read() as session:
            certificate = session.scalar(select(Meta.value).where(Meta.key == CERTIFICATE_META))
            sees_everything = sees_every_organisation(session)
        fingerprint = _fingerprint(certificate)
        chain = ("ok" if info.audit.intact else "broken") if sees_everything else "not_visible"
        document = {
            "register": register.address.display,
            "name": register.team_name,
            "register_id": info.register_id,
            "role": register.context.actor,
            "signing_certificate": {"fingerprint": fingerprint},
            "schema_version": info.schema_version,
            "created_at": info.created_at,
            "organisations": [
                {"id": o.id, "name": o.name, "kind": o.kind, "activities": o.activities}
                for o in info.organisations
            ],
            "counts": info.counts,
            "last_change": {
                "at": info.last_change_at.isoformat() + "Z" if info.last_change_at else None,
                "by": info.last_change_by,
            },
            "integrity": {
                "audit_chain": chain,
                "audit_entries": info.audit.entries,
                "audit_first_broken_entry": info.audit.first_broken_seq,
            },
        }
        name = register.name
    if args.json:
        console.data(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        console.data(_info_text(console, name, document, info))
    if chain == "broken":
        return console.fail(
            RegisterDamaged(
                register=name,
                reason=f"journal rompu à l'entrée {info.audit.first_broken_seq}",
                reason_en=f"audit chain broken at entry {info.audit.first_broken_seq}",
            )
        )
    return EXIT_OK


def sees_every_organisation(session: Any) -> bool:
    """False for a role that row-level security restricts to some organisations (it sees only
    their audit entries, so it cannot verify the whole chain)."""
    from sqlalchemy import text

    if session.scalar(text("SELECT to_regproc('registre_sees_everything')")) is None:
        return True
    return bool(session.scalar(text("SELECT registre_sees_everything()")))


def _fingerprint(certificate_pem: str | None) -> str | None:
    if certificate_pem is None:
        return None
    from cryptography import x509

    from registre.signing import certificate_sha256

    return certificate_sha256(x509.load_pem_x509_certificate(certificate_pem.encode("ascii")))


def _info_text(console: Console, name: str, document: dict[str, Any], info: Any) -> str:
    t = console.t
    counts = info.counts
    broken = info.audit.first_broken_seq
    chain_fr = "intègre" if info.audit.intact else f"ROMPUE à l'entrée {broken}"
    chain_en = "intact" if info.audit.intact else f"BROKEN at entry {broken}"
    lines = [
        t(f"Registre d'équipe : {name}", f"Team register: {name}"),
        t(f"Identifiant : {info.register_id}", f"Identifier: {info.register_id}"),
        t(f"Connecté en tant que : {document['role']}", f"Connected as: {document['role']}"),
        t(
            "Certificat de signature des exports : SHA-256 "
            f"{document['signing_certificate']['fingerprint'] or '—'}",
            "Export signing certificate: SHA-256 "
            f"{document['signing_certificate']['fingerprint'] or '—'}",
        ),
        t(f"Version du schéma : {info.schema_version}", f"Schema version: {info.schema_version}"),
        t(
            f"Dernière modification : {console.date(info.last_change_at)}"
            f" par {info.last_change_by or '—'}",
            f"Last change: {console.date(info.last_change_at)} by {info.last_change_by or '—'}",
        ),
        t(
            f"Organismes ({len(info.organisations)}) :",
            f"Organisations ({len(info.organisations)}):",
        ),
        *(
            t(
                f"  - {o.name} : {o.activities} traitement(s)",
                f"  - {o.name}: {o.activities} processing activities",
            )
            for o in info.organisations
        ),
        t(
            f"Traitements : {counts['activities']} · Sous-traitants : {counts['processors']}"
            f" · Logiciels : {counts['software']}",
            f"Activities: {counts['activities']} · Processors: {counts['processors']}"
            f" · Software: {counts['software']}",
        ),
        t(
            f"Journal des modifications : {info.audit.entries} entrées, chaîne {chain_fr}",
            f"Audit trail: {info.audit.entries} entries, chain {chain_en}",
        )
        if document["integrity"]["audit_chain"] != "not_visible"
        else t(
            f"Journal des modifications : {info.audit.entries} entrées visibles ; la chaîne "
            "entière se vérifie avec un rôle DPO",
            f"Audit trail: {info.audit.entries} visible entries; the whole chain is verified "
            "with a DPO role",
        ),
    ]
    return "\n".join(lines)


def _cmd_backup(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.team.dump import dump_team_register

    with open_team(args, console, context, read_only=True) as register:
        output = args.output or Path(
            f"{register.address.database}-{context.clock():%Y%m%d-%H%M%S}.registre-equipe.json"
        )
        summary = dump_team_register(register, output)
    console.say(
        f"Sauvegarde vérifiée : {summary.path} ({sum(summary.rows.values())} lignes, "
        f"{summary.audit_entries} entrées de journal)",
        f"Verified backup: {summary.path} ({sum(summary.rows.values())} rows, "
        f"{summary.audit_entries} audit entries)",
    )
    console.data(str(summary.path))
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.team.dump import restore_team_register

    summary = restore_team_register(
        str(args.register), args.source, context=context, ask_password=password_prompt(console)
    )
    console.say(
        f"Registre d'équipe restauré depuis {args.source} ({summary.audit_entries} entrées de "
        "journal)",
        f"Team register restored from {args.source} ({summary.audit_entries} audit entries)",
    )
    return EXIT_OK
