"""The ``registre`` command line (contract and exit codes in DESIGN.md).

Data goes to stdout, messages to stderr, in French unless ``--lang en`` or an English locale.
The passphrase never comes from argv: ``REGISTRE_PASSPHRASE``, standard input with
``--passphrase-stdin``, or a prompt.

Start-up stays fast because this module imports only the standard library and
``registre.errors``: each command imports what it needs inside its handler, so ``--version``,
``--help``, completion and ``templates`` never load SQLAlchemy, ReportLab or pyHanko.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from registre import cli_fiche, cli_workspace
from registre.cli_console import Console, detect_language, read_passphrase, read_secret
from registre.cli_help import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    RECOVERY_KEY_ENV,
    SIGNING_PASSPHRASE_ENV,
    argparse_language,
)
from registre.cli_parser import (
    EXPORT_CHOICES,
    REGISTERLESS_COMMANDS,
    UNLOCK_COMMANDS,
    build_parser,
    console_parser,
)
from registre.errors import (
    EXIT_GAPS,
    EXIT_OK,
    EXIT_USAGE,
    OlderRegister,
    ReadOnlyRegister,
    RegisterDamaged,
    RegisterLocked,
    RegistreError,
    StorageFailure,
    UsageError,
    missing_register,
)
from registre.team import cli as team_cli
from registre.team import is_team_location

if TYPE_CHECKING:
    from registre.context import Context
    from registre.crypto import EarlyUnlock
    from registre.health import Health
    from registre.services import RegisterInfo
    from registre.signing import SigningIdentity
    from registre.storage import KeyChange, Register


def _read_new_passphrase(console: Console) -> str:
    return read_secret(
        console, NEW_PASSPHRASE_ENV, "Nouvelle phrase de passe : ", "New passphrase: ", confirm=True
    )


def _cmd_check(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.checker import check_register, report_json, report_text

    with _unlock(args, console, context, read_only=True) as register:
        report = check_register(register, organisation_id=args.organisation)
    if args.json:
        console.data(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        console.data(report_text(report, console.lang).rstrip("\n"))
    return EXIT_GAPS if report.has_errors else EXIT_OK


def _cmd_export(args: argparse.Namespace, console: Console, context: Context) -> int:
    if args.activity is not None:
        return cli_fiche.export_fiche(
            args, console, lambda: _unlock(args, console, context, read_only=True)
        )
    if args.all_organisations:
        return cli_workspace.cmd_export_all(args, console, context)
    if args.fmt != "pdf":
        from registre.interchange import export_register

        with _unlock(args, console, context, read_only=True) as register:
            path = export_register(
                register, args.output, args.fmt, organisation_id=args.organisation
            )
        console.say(f"Export écrit : {path}", f"Export written: {path}")
        console.data(str(path))
        return EXIT_OK
    signing = None
    if args.sign_with is not None:  # before the register is opened: a wrong passphrase costs less
        from registre.signing import load_pkcs12

        signing = load_pkcs12(args.sign_with, os.environ.get(SIGNING_PASSPHRASE_ENV))
    if not is_team_location(args.register):
        _load_export_modules()
    with _open_for_export(args, console, context) as register:
        from registre.export_model import CommunicableOptions
        from registre.official_export import export_pdf

        result = export_pdf(
            register,
            args.output,
            profile=args.profile,
            organisation_id=args.organisation,
            progress=_progress_printer(console),
            signing=signing,
            options=CommunicableOptions(
                completeness=args.completeness,
                mask_security=args.mask_security,
                mask_officials=args.mask_officials,
            ),
            with_changes=args.with_changes,
        )
    console.say(
        f"PDF signé écrit : {result.path} ({result.pages} pages)",
        f"Signed PDF written: {result.path} ({result.pages} pages)",
    )
    if not result.recorded:
        console.say(
            "Registre en lecture seule : l'empreinte SHA-256 n'a pas pu être consignée dans son "
            "journal. Notez-la :",
            "Read-only register: the SHA-256 could not be recorded in its audit trail. Note it:",
        )
    console.data(f"{result.path}\nSHA-256 {result.sha256}")
    return EXIT_OK


def _load_export_modules() -> None:
    """Load the storage layer, the checker, the layout engine and its fonts while the key
    derivation started with the passphrase runs in its thread (it leaves the interpreter free):
    one thread imports, so no module is ever loaded by two at once."""
    import registre.checker
    import registre.storage  # noqa: F401 - loaded ahead of the opening
    from registre.pdf.render import prepare

    prepare()


def _open_for_export(args: argparse.Namespace, console: Console, context: Context) -> Register:
    """Writable when possible (the export is recorded), read-only when locked or on read-only
    media."""
    try:
        return _unlock(args, console, context, read_only=False)
    except (RegisterLocked, StorageFailure, ReadOnlyRegister):
        return _unlock(args, console, context, read_only=True)


def _progress_printer(console: Console) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if total > 100 and console.err.isatty():
            end = "\n" if done >= total else ""
            print(
                f"\r{console.t('Mise en page', 'Layout')} : {done}/{total}",
                end=end,
                file=console.err,
                flush=True,
            )

    return show


def _cmd_import(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.interchange import apply_import, plan_import, read_import

    # The file is read and checked before the register is opened: a refused file never
    # touches it.
    source = read_import(args.file, mapping_file=args.mapping)
    with _unlock(args, console, context, read_only=args.dry_run) as register:
        plan = plan_import(register, source, organisation_id=args.organisation)
        if args.dry_run:
            if args.json:
                console.data(_json(_import_document(plan, None)))
            else:
                console.data(plan.summary(console.lang))
            return EXIT_OK
        report = apply_import(register, plan)
    console.say(plan.summary(console.lang), plan.summary(console.lang))
    if args.json:
        console.data(_json(_import_document(plan, report)))
    else:
        console.data(report.summary(console.lang))
    return EXIT_OK


def _import_document(plan: Any, report: Any) -> dict[str, Any]:
    """``import --json``: the plan entries and, once applied, the records written."""
    document: dict[str, Any] = {
        "file": str(plan.path),
        "format": plan.format,
        "organisation": {"id": plan.organisation_id, "name": plan.organisation_name},
        "dry_run": report is None,
        "plan": {
            "counts": plan.counts(),
            "entries": [
                {
                    "action": entry.action,
                    "entity": entry.entity,
                    "label": entry.label,
                    "where": entry.where,
                    "reason": {"fr": entry.reason_fr, "en": entry.reason_en},
                }
                for entry in plan.entries
            ],
        },
    }
    if report is not None:
        document["written"] = {
            "counts": report.counts(),
            "records": [
                {"action": change.action, "entity": change.entity, "id": change.id}
                for change in report.changes
            ],
            "ignored": report.ignored,
            "not_understood": report.not_understood,
        }
    if plan.ledger is not None:
        ledger = plan.ledger if report is None or report.ledger is None else report.ledger
        document["cells"] = {
            "filled": ledger.filled,
            "in_fields": ledger.counts["field"],
            "in_notes": ledger.counts["note"],
            "ignored": ledger.counts["ignored"],
            "lost": ledger.lost,
            "lost_places": ledger.lost_places,
        }
    return document


def _json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def _cmd_verify(args: argparse.Namespace, console: Console, _context: Context) -> int:
    from registre.signing import Expected, normalised_fingerprint, read_certificate, verify_pdf

    fingerprints = set()
    for text in args.expect_fingerprint:
        fingerprint = normalised_fingerprint(text)
        if fingerprint is None:
            raise UsageError(
                reason=f"empreinte SHA-256 invalide : {text} (64 chiffres hexadécimaux)",
                reason_en=f"invalid SHA-256 fingerprint: {text} (64 hex digits)",
            )
        fingerprints.add(fingerprint)
    expected = Expected(
        frozenset(fingerprints), tuple(read_certificate(path) for path in args.trust)
    )
    result = verify_pdf(args.file, expected)
    if args.json:
        console.data(_json({"file": str(args.file), **result.as_json()}))
    else:
        console.data(result.message(console.lang))
    return result.exit_code


def _cmd_templates(args: argparse.Namespace, console: Console, _context: Context) -> int:
    from registre.templates import catalogue_listing, load_catalogue

    catalogue = load_catalogue()
    rows = catalogue_listing(catalogue, lang=console.lang)
    if args.json:
        console.data(
            json.dumps(
                {"version": catalogue.version, "templates": rows}, ensure_ascii=False, indent=2
            )
        )
        return EXIT_OK
    lines = [
        console.t(
            f"Catalogue {catalogue.version} — {len(rows)} modèles",
            f"Catalogue {catalogue.version} — {len(rows)} templates",
        )
    ]
    category = None
    for row in sorted(rows, key=lambda r: (r["category"], r["name"])):
        if row["category"] != category:
            category = row["category"]
            lines += ["", category]
        lines.append(f"  {row['id']:<34} {row['name']} (v{row['version']})")
    console.data("\n".join(lines))
    return EXIT_OK


def _cmd_new(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.templates import create_from_template, load_catalogue

    template = load_catalogue().get(args.template)
    with _unlock(args, console, context, read_only=False) as register:
        organisation_id = args.organisation or _only_organisation(register)
        change = create_from_template(
            register, organisation_id=organisation_id, template_id=template.id
        )
    console.say(
        f"Traitement « {template.name_fr} » créé à partir du modèle {template.id} "
        f"(version {template.version}).",
        f"Activity “{template.name_en}” created from template {template.id} "
        f"(version {template.version}).",
    )
    console.data(change.id)
    return EXIT_OK


def _only_organisation(register: Register) -> str:
    from registre import services

    organisations = services.list_organisations(register)
    if len(organisations) != 1:
        listing = ", ".join(f"{o.id} ({o.name})" for o in organisations)
        raise UsageError(
            reason=f"précisez --organisation parmi : {listing}",
            reason_en=f"give --organisation among: {listing}",
        )
    return organisations[0].id


def _cmd_passwd(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.storage import change_passphrase

    current = read_passphrase(console)
    new = _read_new_passphrase(console)
    change = change_passphrase(
        args.register, current, new, context, keep_data_key=args.keep_data_key
    )
    console.say("Phrase de passe changée.", "Passphrase changed.")
    _report_key_change(console, change)
    return EXIT_OK


def _cmd_recover(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.storage import reset_passphrase

    recovery_key = read_secret(console, RECOVERY_KEY_ENV, "Clé de secours : ", "Recovery key: ")
    new = _read_new_passphrase(console)
    change = reset_passphrase(
        args.register, recovery_key, new, context, keep_data_key=args.keep_data_key
    )
    console.say("Nouvelle phrase de passe enregistrée.", "New passphrase saved.")
    _report_key_change(console, change)
    return EXIT_OK


def _report_key_change(console: Console, change: KeyChange) -> None:
    if change.data_key_renewed:
        console.say(
            "La base est rechiffrée sous une nouvelle clé : les anciennes copies du fichier de "
            "clés (dans les sauvegardes) n'ouvrent plus le registre actuel.",
            "The database is re-encrypted under a new key: old copies of the key file (in "
            "backups) no longer open the current register.",
        )
    else:
        console.say(
            "La base n'a pas été rechiffrée : une ancienne copie du fichier de clés et "
            "l'ancienne phrase de passe l'ouvrent encore.",
            "The database was not re-encrypted: an old copy of the key file and the old "
            "passphrase still open it.",
        )
    if change.new_recovery_key is None:
        console.say("La clé de secours reste valable.", "The recovery key remains valid.")
        return
    console.say(
        "Ce registre avait une clé de secours d'un format ancien, qui ne vaut plus. "
        "Nouvelle clé de secours (notez-la et rangez-la à l'abri ; elle ne sera plus jamais "
        "affichée) :",
        "This register had a recovery key of an old format, which no longer works. New "
        "recovery key (write it down and keep it safe; it will never be shown again):",
    )
    console.data(change.new_recovery_key)


def _cmd_backup(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.backup import create_backup

    with _unlock(args, console, context, read_only=True) as register:
        path = create_backup(register, args.output)
    console.say(f"Sauvegarde vérifiée : {path}", f"Verified backup: {path}")
    console.data(str(path))
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.backup import restore_backup

    restore_backup(args.register, args.source, read_passphrase(console), context)
    console.say(f"Registre restauré depuis {args.source}", f"Register restored from {args.source}")
    return EXIT_OK


def _cmd_init(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre import services
    from registre.recovery_sheet import write_recovery_sheet

    passphrase = read_passphrase(console, confirm=True)
    register, recovery_key = services.create_register_with_organisation(
        args.register, passphrase, organisation=args.organisation, context=context
    )
    register.close()
    _deliver_recovery_key(console, recovery_key, args.recovery_key_file)
    if args.recovery_sheet is not None:
        write_recovery_sheet(
            args.recovery_sheet,
            register_name=register.name,
            organisation=args.organisation,
            recovery_key=recovery_key,
            created=context.clock(),
        )
        console.say(
            f"Feuille de secours à imprimer : {args.recovery_sheet}",
            f"Recovery sheet to print: {args.recovery_sheet}",
        )
    console.say(f"Registre créé : {args.register}", f"Register created: {args.register}")
    return EXIT_OK


def _deliver_recovery_key(console: Console, recovery_key: str, target: Path | None) -> None:
    from registre.files import write_atomic

    if target is not None:
        write_atomic(target, (recovery_key + "\n").encode("ascii"))
        console.say(
            f"Clé de secours écrite dans {target}. Imprimez-la et rangez-la à l'abri ; "
            "elle ne sera plus jamais affichée.",
            f"Recovery key written to {target}. Print it and keep it safe; it will never be "
            "shown again.",
        )
        return
    console.say(
        "Clé de secours (notez-la et rangez-la à l'abri ; elle ne sera plus jamais affichée) :",
        "Recovery key (write it down and keep it safe; it will never be shown again):",
    )
    console.data(recovery_key)


def _cmd_demo(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre.demo import DEMO_PASSPHRASE, create_demo_register

    if console.secrets_in is not None:
        passphrase = console.next_secret()
    else:
        passphrase = os.environ.get(PASSPHRASE_ENV) or DEMO_PASSPHRASE
    register, recovery_key = create_demo_register(args.register, passphrase, context=context)
    register.close()
    console.say(
        f"Registre de démonstration créé : {args.register}",
        f"Demo register created: {args.register}",
    )
    if passphrase == DEMO_PASSPHRASE:
        console.say(
            f"Phrase de passe de démonstration : {DEMO_PASSPHRASE}",
            f"Demo passphrase: {DEMO_PASSPHRASE}",
        )
    console.say("Clé de secours :", "Recovery key:")
    console.data(recovery_key)
    return EXIT_OK


def _unlock(
    args: argparse.Namespace, console: Console, context: Context, *, read_only: bool
) -> Register:
    """Open the register; one from an earlier version is upgraded first (after a backup)."""
    from registre.storage import open_register

    if is_team_location(args.register):
        return team_cli.open_team(args, console, context, read_only=read_only)
    passphrase = read_passphrase(console)
    early_unlock, console.early_unlock = console.early_unlock, None
    try:
        return open_register(
            args.register,
            passphrase,
            read_only=read_only,
            context=context,
            early_unlock=early_unlock,
        )
    except OlderRegister as older:
        console.say(
            f"Mise à jour du registre vers le schéma {older.details['supported']} "
            "(une sauvegarde est faite d'abord)…",
            f"Upgrading the register to schema {older.details['supported']} "
            "(a backup is taken first)…",
        )
        open_register(args.register, passphrase, context=context).close()
        return open_register(args.register, passphrase, read_only=read_only, context=context)


INTEGRITY_DETAIL_LINES = 5


def _say_integrity_details(console: Console, problems: list[str]) -> None:
    """The first lines of SQLite's and SQLCipher's findings, as technical details under a
    heading (one damaged page alone gives a hundred lines), and how many more there are."""
    lines = [line.strip() for problem in problems for line in problem.splitlines()]
    lines = [line for line in lines if line]
    console.say("Détails techniques :", "Technical details:")
    for line in lines[:INTEGRITY_DETAIL_LINES]:
        console.say(f"  {line}", f"  {line}")
    more = len(lines) - INTEGRITY_DETAIL_LINES
    if more > 0:
        console.say(f"  … et {more} autres lignes", f"  … and {more} more lines")


def _cmd_info(args: argparse.Namespace, console: Console, context: Context) -> int:
    from registre import services
    from registre.health import register_health
    from registre.signing import load_signing_identity
    from registre.storage import integrity_problems

    with _unlock(args, console, context, read_only=True) as register:
        problems = integrity_problems(register)
        if problems:
            _say_integrity_details(console, problems)
            raise RegisterDamaged(
                register=register.name,
                reason="contrôle d'intégrité échoué",
                reason_en="integrity check failed",
            )
        info = services.register_info(register)
        health = register_health(register, deep=args.deep)
        identity = load_signing_identity(register)
    console.data(
        _info_json(args, info, health, identity)
        if args.json
        else _info_text(console, register.name, info, health, identity)
    )
    if health.problems():
        return console.fail(
            RegisterDamaged(
                register=register.name,
                reason=" ; ".join(health.problems("fr")),
                reason_en="; ".join(health.problems("en")),
            )
        )
    return EXIT_OK


def _info_json(
    args: argparse.Namespace,
    info: RegisterInfo,
    health: Health,
    identity: SigningIdentity | None,
) -> str:
    backups = health.backups
    document: dict[str, Any] = {
        "register": str(args.register),
        "register_id": info.register_id,
        "signing_certificate": {
            "signer": identity.signer if identity else None,
            "fingerprint": identity.fingerprint if identity else None,
        },
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
            "database": "ok",
            "audit_chain": "ok" if info.audit.intact else "broken",
            "audit_entries": info.audit.entries,
            "audit_first_broken_entry": info.audit.first_broken_seq,
            "audit_anchor": "ok" if health.anchor_problem is None else "mismatch",
            "audit_anchor_problem": health.anchor_problem[1] if health.anchor_problem else None,
            "audit_replay": (
                "not_run"
                if health.differences is None
                else "ok"
                if not health.differences
                else "differences"
            ),
            "audit_replay_first_difference": (
                health.differences[0].message("en") if health.differences else None
            ),
            "key_file_version": health.key_file.version,
            "recovery_slot": health.key_file.recovery,
        },
        "backups": {
            "newest": backups.newest.isoformat() if backups.newest else None,
            "automatic_backup_failed_at": (
                backups.failed_at.isoformat() if backups.failed_at else None
            ),
            "automatic_backup_failure": backups.reason_en or None,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _info_text(
    console: Console,
    name: str,
    info: RegisterInfo,
    health: Health,
    identity: SigningIdentity | None,
) -> str:
    t = console.t
    lines = [
        t(f"Registre : {name}", f"Register: {name}"),
        t(f"Identifiant : {info.register_id}", f"Identifier: {info.register_id}"),
        t(
            "Certificat de signature des exports : SHA-256 "
            f"{identity.fingerprint if identity else '(créé au premier export)'}",
            "Export signing certificate: SHA-256 "
            f"{identity.fingerprint if identity else '(created at the first export)'}",
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
    ]
    lines += [
        t(
            f"  - {o.name} : {o.activities} traitement(s)",
            f"  - {o.name}: {o.activities} processing activities",
        )
        for o in info.organisations
    ]
    counts = info.counts
    lines.append(
        t(
            f"Traitements : {counts['activities']} · Sous-traitants : {counts['processors']}"
            f" · Logiciels : {counts['software']}",
            f"Activities: {counts['activities']} · Processors: {counts['processors']}"
            f" · Software: {counts['software']}",
        )
    )
    lines.append(
        t(
            f"Violations de données : {counts['breaches']} · Demandes d'exercice de droits : "
            f"{counts['rights_requests']} · Analyses d'impact : {counts['dpias']} · "
            f"Contrats de sous-traitance : {counts['contracts']}",
            f"Breaches: {counts['breaches']} · Rights requests: {counts['rights_requests']} · "
            f"Impact assessments: {counts['dpias']} · Processor contracts: {counts['contracts']}",
        )
    )
    lines.append(t("Intégrité de la base : intacte", "Database integrity: intact"))
    chain_fr = (
        "intègre" if info.audit.intact else f"ROMPUE à l'entrée {info.audit.first_broken_seq}"
    )
    chain_en = "intact" if info.audit.intact else f"BROKEN at entry {info.audit.first_broken_seq}"
    lines.append(
        t(
            f"Journal des modifications : {info.audit.entries} entrées, chaîne {chain_fr}",
            f"Audit trail: {info.audit.entries} entries, chain {chain_en}",
        )
    )
    anchor = health.anchor_problem
    lines.append(
        t(
            "Tête du journal (ancrée hors de la base) : "
            + ("conforme" if anchor is None else f"NON CONFORME — {anchor[0]}"),
            "Audit trail head (anchored outside the database): "
            + ("matches" if anchor is None else f"DOES NOT MATCH — {anchor[1]}"),
        )
    )
    if health.differences is not None:
        first = health.differences[0] if health.differences else None
        lines.append(
            t(
                "Rejeu du journal sur les fiches : "
                + ("conforme" if first is None else f"DIFFÉRENCE — {first.message('fr')}"),
                "Audit trail replayed against the records: "
                + ("matches" if first is None else f"DIFFERENCE — {first.message('en')}"),
            )
        )
    recovery = {
        "sealed": ("présente, structure vérifiée", "present, structure verified"),
        "first-version": (
            "ancien format (renouvelée au prochain changement de phrase de passe)",
            "old format (renewed at the next passphrase change)",
        ),
        "missing": ("ABSENTE du fichier de clés", "MISSING from the key file"),
    }[health.key_file.recovery]
    lines.append(t(f"Clé de secours : {recovery[0]}", f"Recovery key: {recovery[1]}"))
    backups = health.backups
    lines.append(
        t(
            f"Dernière sauvegarde : {console.date(backups.newest)}",
            f"Latest backup: {console.date(backups.newest)}",
        )
    )
    if backups.failed_at is not None:
        lines.append(
            t(
                f"ÉCHEC de la sauvegarde automatique le {console.date(backups.failed_at)} : "
                f"{backups.reason_fr}",
                f"Automatic backup FAILED on {console.date(backups.failed_at)}: "
                f"{backups.reason_en}",
            )
        )
    return "\n".join(lines)


def _cmd_completion(args: argparse.Namespace, console: Console, _context: Context) -> int:
    from argcomplete.shell_integration import shellcode

    console.data(shellcode(["registre"], shell=args.shell).rstrip("\n"))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Console, Context], int]] = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "info": _cmd_info,
    "check": _cmd_check,
    "export": _cmd_export,
    "import": _cmd_import,
    "verify": _cmd_verify,
    "templates": _cmd_templates,
    "new": _cmd_new,
    "passwd": _cmd_passwd,
    "recover": _cmd_recover,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "completion": _cmd_completion,
    **cli_workspace.COMMANDS,
}
team_cli.route(COMMANDS)  # postgresql:// URLs: the team register


# Commands run without the cyclic garbage collector in the ``registre`` process (``main``),
# which ends with them: reference counting frees their memory, and the layout of an export
# already runs without the collector; its passes over the freshly loaded modules and register
# cost about a tenth of the processor time of a small export.
_WITHOUT_COLLECTOR = frozenset({"export"})


# Commands that open their register with ``_unlock``: the key derivation starts as soon as the
# passphrase is read, and runs while the storage layer (and an export's layout engine) loads.
_EARLY_UNLOCK = frozenset(UNLOCK_COMMANDS) - {"passwd", "restore"}


def _start_unlock(register: Path, passphrase: str, context: Context | None) -> EarlyUnlock:
    from registre import crypto

    assert context is not None  # every command that unlocks gets one
    return crypto.EarlyUnlock(
        Path(register) / crypto.SLOT_FILE_NAME, passphrase, context.kdf_policy
    )


def _refuse_missing_register(args: argparse.Namespace) -> None:
    """A REGISTER that is not a folder is refused before its passphrase is asked for (a
    restore may recreate a missing register: it is left to the command)."""
    register = getattr(args, "register", None)
    if args.command != "restore" and register is not None and not Path(register).is_dir():
        raise missing_register(register)


def run(
    argv: Sequence[str],
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
    context: Context | None = None,
) -> int:
    """Run one command; returns its exit code (never raises for user errors)."""
    console = Console(detect_language(argv), out or sys.stdout, err or sys.stderr)
    try:
        args = _parse(console, argv)
        if not gc.isenabled() and args.command not in _WITHOUT_COLLECTOR:
            gc.enable()  # turned off by ``main`` until the command was known
        if args.command is None:
            raise UsageError(
                reason="indiquez une commande (registre --help)",
                reason_en="give a command (registre --help)",
            )
        if getattr(args, "passphrase_stdin", False):
            console.secrets_in = stdin or sys.stdin
        if args.command in UNLOCK_COMMANDS and team_cli.needs_passphrase_first(args):
            _refuse_missing_register(args)  # a mistyped path is said before the passphrase
            read_passphrase(console)
        if context is None and args.command not in REGISTERLESS_COMMANDS:
            context = _default_context()
        if args.command in _EARLY_UNLOCK and console.passphrase is not None:
            console.early_unlock = _start_unlock(args.register, console.passphrase, context)
        return COMMANDS[args.command](args, console, cast("Context", context))
    except RegistreError as error:
        return console.fail(error)
    except BrokenPipeError:  # the reader went away (``registre templates | head``)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        console.say("Interrompu.", "Interrupted.")
        return EXIT_INTERRUPTED
    except SystemExit as exit_request:  # --help / --version
        return int(exit_request.code or 0) if not isinstance(exit_request.code, str) else EXIT_USAGE
    except Exception:  # a bug: keep the details for the team, show no traceback
        import traceback

        from registre.paths import write_crash_log

        log = write_crash_log(traceback.format_exc()) or "—"
        console.say(
            f"Erreur interne inattendue. Détails enregistrés pour l'assistance : {log}",
            f"Unexpected internal error. Details saved for support: {log}",
        )
        return EXIT_INTERNAL


def _parse(console: Console, argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv`` with argparse speaking the console's language; help goes to its stdout.

    Under shell completion (``_ARGCOMPLETE`` set by the completion script) argcomplete answers
    and ends the process here.
    """
    from contextlib import redirect_stdout

    with argparse_language(console.lang), redirect_stdout(console.out):
        parser = console_parser(console)
        if "_ARGCOMPLETE" in os.environ:
            import argcomplete

            argcomplete.autocomplete(parser)
        return parser.parse_args(list(argv))


def _default_context() -> Context:
    from registre.context import Context

    return Context()


def main() -> None:
    """Console-script entry point (background work is logged in the data folder)."""
    gc.disable()  # until the command is known (``run``): most of them turn it back on
    from registre.paths import start_logging

    start_logging()
    code = run(sys.argv[1:])
    # The process ends here: what the command loaded (a whole register, a laid-out PDF) is left
    # to the system rather than examined once more by the cycle collector on the way out.
    gc.freeze()
    sys.exit(code)


# The console and the parser live in their own modules; callers find them here as before.
__all__ = [
    "EXPORT_CHOICES",
    "Console",
    "build_parser",
    "detect_language",
    "main",
    "read_passphrase",
    "read_secret",
    "run",
]


if __name__ == "__main__":
    main()
