"""Commands of the shared DPO's workspace: overview, changes since publication, duplication.

Registered by ``registre.cli`` (``add_commands`` and ``COMMANDS``); they follow its contract:
data on stdout, messages on stderr, French by default, exit codes of ``registre.errors``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from registre.errors import EXIT_OK, UsageError
from registre.team import register_location

if TYPE_CHECKING:
    from registre.cli import Console
    from registre.storage import Context

NAMES = ("overview", "changes", "duplicate", "bulk-edit", "fiche-export", "fiche-import")
EXCHANGE_PASSPHRASE_ENV = "REGISTRE_FICHE_PASSPHRASE"  # noqa: S105 - a variable name
"""The workspace's commands (each opens a register: the passphrase is read first)."""


def add_commands(commands: Any, t: Callable[[str, str], str]) -> None:
    """Add the workspace's commands to ``registre``'s sub-parsers."""
    overview = commands.add_parser(
        "overview",
        help=t(
            "vue d'ensemble : une ligne par organisme (erreurs, revues, dernier export)",
            "overview: one line per organisation (errors, reviews, last export)",
        ),
    )
    overview.add_argument("register", type=register_location, metavar="REGISTRE")
    overview.add_argument("--json", action="store_true", help=t("sortie JSON", "JSON output"))

    changes = commands.add_parser(
        "changes",
        help=t(
            "changements depuis la dernière publication (export PDF officiel)",
            "changes since the last publication (official PDF export)",
        ),
    )
    changes.add_argument("register", type=register_location, metavar="REGISTRE")
    changes.add_argument(
        "--since-last-export",
        action="store_true",
        required=True,
        help=t(
            "comparer avec le dernier export PDF officiel de chaque organisme",
            "compare with each organisation's last official PDF export",
        ),
    )
    changes.add_argument(
        "--organisation",
        metavar="ID",
        help=t("un seul organisme (tous par défaut)", "one organisation (all by default)"),
    )
    changes.add_argument("--json", action="store_true", help=t("sortie JSON", "JSON output"))

    duplicate = commands.add_parser(
        "duplicate",
        help=t(
            "copier des traitements (ou un sous-traitant, un logiciel) vers d'autres organismes",
            "copy activities (or a processor, a software) to other organisations",
        ),
    )
    duplicate.add_argument("register", type=register_location, metavar="REGISTRE")
    what = duplicate.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--activity",
        action="append",
        metavar="REF",
        help=t(
            "référence (ou identifiant) du traitement ; répétable",
            "the activity's reference (or identifier); repeatable",
        ),
    )
    what.add_argument(
        "--processor",
        action="append",
        metavar=t("NOM", "NAME"),
        help=t("nom d'un sous-traitant ; répétable", "a processor's name; repeatable"),
    )
    what.add_argument(
        "--software",
        action="append",
        metavar=t("NOM", "NAME"),
        help=t("nom d'un logiciel ; répétable", "a software's name; repeatable"),
    )
    duplicate.add_argument(
        "--organisation",
        required=True,
        metavar="ORG",
        help=t("organisme d'origine (identifiant ou nom)", "source organisation (id or name)"),
    )
    duplicate.add_argument(
        "--to",
        required=True,
        nargs="+",
        metavar="ORG",
        help=t("organismes de destination (identifiants ou noms)", "destinations (ids or names)"),
    )
    duplicate.add_argument("--json", action="store_true", help=t("rapport JSON", "JSON report"))

    bulk = commands.add_parser(
        "bulk-edit",
        help=t(
            "donner la même valeur à un champ de plusieurs traitements",
            "set one field to the same value on several activities",
        ),
    )
    bulk.add_argument("register", type=register_location, metavar="REGISTRE")
    bulk.add_argument("--organisation", required=True, metavar="ORG")
    bulk.add_argument(
        "--activity",
        action="append",
        metavar="REF",
        help=t("un traitement (tous par défaut) ; répétable", "one activity (all by default)"),
    )
    bulk.add_argument("--field", required=True, metavar=t("CHAMP", "FIELD"))
    bulk.add_argument(
        "--value",
        required=True,
        metavar=t("VALEUR", "VALUE"),
        help=t(
            "texte, clé de choix, oui/non, date AAAA-MM-JJ, choix multiples séparés par des "
            "virgules ; vide pour effacer",
            "text, choice key, yes/no, date YYYY-MM-DD, several choices separated by commas; "
            "empty to clear",
        ),
    )
    bulk.add_argument(
        "--dry-run",
        action="store_true",
        help=t(
            "montrer, traitement par traitement, la valeur actuelle et la nouvelle, sans rien "
            "écrire",
            "show each activity's current and new value, writing nothing",
        ),
    )

    send = commands.add_parser(
        "fiche-export",
        help=t(
            "écrire une fiche d'échange chiffrée (secrétariat ↔ DPO)",
            "write an encrypted exchange file (secretary ↔ DPO)",
        ),
    )
    send.add_argument("register", type=register_location, metavar="REGISTRE")
    send.add_argument("--organisation", required=True, metavar="ORG")
    send.add_argument(
        "--activity",
        action="append",
        metavar="REF",
        help=t("un traitement (tous par défaut) ; répétable", "one activity (all by default)"),
    )
    send.add_argument("--output", required=True, type=Path, metavar=t("FICHIER", "FILE"))
    send.add_argument(
        "--to-commune",
        action="store_true",
        help=t(
            "fiches validées envoyées par le DPO à l'organisme (par défaut : vers le DPO)",
            "validated records sent by the DPO to the organisation (default: to the DPO)",
        ),
    )

    receive = commands.add_parser(
        "fiche-import",
        help=t(
            "montrer puis accepter une fiche d'échange, champ par champ",
            "preview then accept an exchange file, field by field",
        ),
    )
    receive.add_argument("register", type=register_location, metavar="REGISTRE")
    receive.add_argument("file", type=Path, metavar=t("FICHIER", "FILE"))
    receive.add_argument(
        "--organisation",
        metavar="ORG",
        help=t("organisme de destination (celui de la fiche par défaut)", "destination"),
    )
    accept = receive.add_mutually_exclusive_group()
    accept.add_argument(
        "--accept",
        action="append",
        metavar="REF",
        help=t("accepter cette fiche (référence ou nom) ; répétable", "accept this record"),
    )
    accept.add_argument(
        "--accept-all", action="store_true", help=t("tout accepter", "accept everything")
    )


def add_export_options(export: Any, t: Callable[[str, str], str]) -> None:
    """``registre export --all-organisations``: one PDF per organisation into a folder."""
    export.add_argument(
        "--all-organisations",
        action="store_true",
        help=t(
            "PDF : un fichier signé par organisme ; --output est alors un dossier",
            "PDF: one signed file per organisation; --output is then a folder",
        ),
    )
    export.add_argument(
        "--with-changes",
        action="store_true",
        help=t(
            "PDF : la page de garde résume les changements depuis la dernière publication",
            "PDF: the cover sums up the changes since the last publication",
        ),
    )
    export.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help=t(
            "avec --all-organisations : nombre de processus (tous les cœurs par défaut)",
            "with --all-organisations: number of processes (every core by default)",
        ),
    )


def cmd_export_all(args: argparse.Namespace, console: Console, context: Context) -> int:
    """``registre export --format pdf --all-organisations --output DIR``."""
    from registre.batch import export_all_organisations
    from registre.cli import _open_for_export

    if args.fmt != "pdf" or args.organisation or args.sign_with:
        raise UsageError(
            reason="--all-organisations va avec --format pdf, sans --organisation ni --sign-with",
            reason_en="--all-organisations goes with --format pdf, without --organisation "
            "or --sign-with",
        )
    if args.workers is not None and args.workers < 1:
        raise UsageError(reason="--workers : au moins 1", reason_en="--workers: at least 1")

    def show(done: int, total: int, name: str) -> None:
        if name and console.err.isatty():
            print(f"\r{done}/{total} {name[:60]:<60}", end="", file=console.err, flush=True)

    with _open_for_export(args, console, context) as register:
        result = export_all_organisations(
            register,
            args.output,
            profile=args.profile,
            workers=args.workers,
            progress=show,
            with_changes=args.with_changes,
        )
        recorded = not register.read_only
    if console.err.isatty():
        print(file=console.err)
    for written in sorted(result.written, key=lambda w: w.result.path.name):
        console.data(f"{written.result.path}\tSHA-256 {written.result.sha256}")
    console.say(
        f"{len(result.written)} PDF signés écrits dans {args.output}",
        f"{len(result.written)} signed PDFs written to {args.output}",
    )
    if not recorded:
        console.say(
            "Registre en lecture seule : les empreintes n'ont pas pu être consignées.",
            "Read-only register: the fingerprints could not be recorded.",
        )
    for organisation, error in result.failed:
        console.say(f"Échec pour « {organisation} » :", f"Failed for “{organisation}”:")
        console.fail(error)
    return result.failed[0][1].exit_code if result.failed else EXIT_OK


def _unlock_read_only(args: argparse.Namespace, console: Console, context: Context) -> Any:
    from registre.cli import _unlock

    return _unlock(args, console, context, read_only=True)


def _json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def cmd_overview(args: argparse.Namespace, console: Console, context: Context) -> int:
    """``registre overview``: one line per organisation and the « à revoir » list."""
    from registre.workspace import overview_json, overview_text, register_overview

    with _unlock_read_only(args, console, context) as register:
        overview = register_overview(register)
    console.data(
        _json(overview_json(overview)) if args.json else overview_text(overview, console.lang)
    )
    return EXIT_OK


def cmd_changes(args: argparse.Namespace, console: Console, context: Context) -> int:
    """``registre changes --since-last-export``: added, removed and changed activities."""
    from registre.publications import changes_json, changes_since_publication, changes_text

    with _unlock_read_only(args, console, context) as register:
        results = changes_since_publication(register, args.organisation)
    console.data(
        _json(changes_json(results, console.lang))
        if args.json
        else changes_text(results, console.lang)
    )
    return EXIT_OK


def _organisation_id(register: Any, value: str) -> str:
    """An organisation given by identifier or by name (accents and case as typed)."""
    from registre import services

    organisations = services.list_organisations(register)
    for org in organisations:
        if value == org.id:
            return org.id
    named = [org.id for org in organisations if org.name.casefold() == value.casefold()]
    if len(named) == 1:
        return named[0]
    raise UsageError(
        reason=f"aucun organisme « {value} » dans ce registre (identifiant ou nom exact)",
        reason_en=f"no organisation “{value}” in this register (identifier or exact name)",
    )


def _record_ids(register: Any, entity: str, organisation_id: str, values: list[str]) -> list[str]:
    """Activities by reference or identifier, processors and software by name or identifier."""
    from registre import services

    if entity == "activity":
        known = [
            (a.id, a.reference or "", a.name)
            for a in services.list_activities(register, organisation_id)
        ]
    else:
        known = [
            (str(r["id"]), "", str(r["name"]))
            for r in services.list_records(register, entity, organisation_id)
        ]
    found = []
    for value in values:
        matches = [
            record_id
            for record_id, reference, name in known
            if value in (record_id, reference) or name.casefold() == value.casefold()
        ]
        if len(matches) != 1:
            raise UsageError(
                reason=f"« {value} » ne désigne pas une seule fiche de cet organisme",
                reason_en=f"“{value}” does not name exactly one record of this organisation",
            )
        found.append(matches[0])
    return found


def cmd_duplicate(args: argparse.Namespace, console: Console, context: Context) -> int:
    """``registre duplicate``: copies to other organisations, then the report."""
    from registre.cli import _unlock
    from registre.duplication import duplicate_records, duplication_json, duplication_text

    entity, values = next(
        (entity, values)
        for entity, values in (
            ("activity", args.activity),
            ("processor", args.processor),
            ("software", args.software),
        )
        if values
    )
    with _unlock(args, console, context, read_only=False) as register:
        origin = _organisation_id(register, args.organisation)
        targets = [_organisation_id(register, value) for value in args.to]
        ids = _record_ids(register, entity, origin, values)
        result = duplicate_records(
            register, entity=entity, record_ids=ids, to_organisations=targets
        )
    if args.json:
        console.data(_json(duplication_json(result)))
    else:
        console.data(duplication_text(result, console.lang))
    return EXIT_OK


def _typed_value(field_key: str, text: str) -> Any:
    """The command line's text as the field's kind wants it."""
    import datetime as dt

    from registre.schema import ACTIVITY, Kind

    try:
        spec = ACTIVITY.field(field_key)
    except KeyError:
        spec = None
    if spec is None:
        raise UsageError(
            reason=f"aucun champ « {field_key} » dans une fiche de traitement",
            reason_en=f"no field “{field_key}” in an activity record",
        )
    if text == "":
        return None
    if spec.kind == Kind.BOOL:
        if text.casefold() in ("oui", "yes", "true", "1"):
            return True
        if text.casefold() in ("non", "no", "false", "0"):
            return False
        raise UsageError(reason="oui ou non attendu", reason_en="yes or no expected")
    if spec.kind == Kind.DATE:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise UsageError(
                reason="date AAAA-MM-JJ attendue", reason_en="date YYYY-MM-DD expected"
            ) from None
    if spec.kind == Kind.MULTICHOICE:
        return [item.strip() for item in text.split(",") if item.strip()]
    return text


def cmd_bulk_edit(args: argparse.Namespace, console: Console, context: Context) -> int:
    """``registre bulk-edit``: one field, many activities, all or nothing (``--dry-run``: the
    preview, nothing written)."""
    from registre import services
    from registre.batch import bulk_preview, bulk_update
    from registre.cli import _unlock

    value = _typed_value(args.field, args.value)
    with _unlock(args, console, context, read_only=args.dry_run) as register:
        organisation = _organisation_id(register, args.organisation)
        if args.activity:
            ids = _record_ids(register, "activity", organisation, args.activity)
        else:
            ids = [a.id for a in services.list_activities(register, organisation)]
        if args.dry_run:
            lines = bulk_preview(
                register, activity_ids=ids, field_key=args.field, value=value, lang=console.lang
            )
        else:
            changes = bulk_update(register, activity_ids=ids, field_key=args.field, value=value)
    if not args.dry_run:
        console.say(
            f"{len(changes)} traitement(s) modifié(s) sur {len(ids)}.",
            f"{len(changes)} of {len(ids)} activities changed.",
        )
        return EXIT_OK
    changing = [line for line in lines if line.changes]
    for line in changing:
        name = f"{line.reference} — {line.name}" if line.reference else line.name
        console.data(f"{name} : {line.before} → {line.after}")
    console.say(
        f"Aperçu : {len(changing)} traitement(s) changerai(en)t sur {len(ids)} ; rien n'a été "
        "écrit.",
        f"Preview: {len(changing)} of {len(ids)} activities would change; nothing was written.",
    )
    return EXIT_OK


def _exchange_passphrase(console: Console, *, confirm: bool) -> str:
    from registre.cli import read_secret

    return read_secret(
        console,
        EXCHANGE_PASSPHRASE_ENV,
        "Phrase de passe de la fiche d'échange : ",
        "Exchange file passphrase: ",
        confirm=confirm,
    )


def cmd_fiche_export(args: argparse.Namespace, console: Console, context: Context) -> int:
    """``registre fiche-export``: seal an organisation's records into an exchange file."""
    from registre.exchange import write_exchange

    with _unlock_read_only(args, console, context) as register:
        organisation = _organisation_id(register, args.organisation)
        ids = (
            _record_ids(register, "activity", organisation, args.activity)
            if args.activity
            else None
        )
        secret = _exchange_passphrase(console, confirm=True)
        count = write_exchange(
            register,
            args.output,
            secret,
            organisation_id=organisation,
            activity_ids=ids,
            direction="to_commune" if args.to_commune else "to_dpo",
        )
    console.say(
        f"Fiche d'échange écrite ({count} traitement(s)) : {args.output}. Donnez la phrase de "
        "passe par un autre moyen que le fichier (téléphone, papier).",
        f"Exchange file written ({count} activities): {args.output}. Give the passphrase by "
        "another channel than the file (phone, paper).",
    )
    console.data(str(args.output))
    return EXIT_OK


def cmd_fiche_import(args: argparse.Namespace, console: Console, context: Context) -> int:
    """``registre fiche-import``: the preview, then what was accepted."""
    from registre.cli import _unlock
    from registre.exchange import accept_exchange, preview_exchange, preview_text, read_exchange

    accepting = bool(args.accept or args.accept_all)
    with _unlock(args, console, context, read_only=not accepting) as register:
        exchange = read_exchange(
            args.file, _exchange_passphrase(console, confirm=False), context.kdf_policy
        )
        organisation = _organisation_id(register, args.organisation) if args.organisation else None
        preview = preview_exchange(register, exchange, organisation)
        console.data(preview_text(preview, console.lang))
        if not accepting:
            console.say(
                "Aperçu seulement : rien n'a été modifié (--accept REF ou --accept-all).",
                "Preview only: nothing was changed (--accept REF or --accept-all).",
            )
            return EXIT_OK
        wanted = {p.source_id for p in preview.proposals} if args.accept_all else set()
        for value in args.accept or []:
            found = [
                p.source_id
                for p in preview.proposals
                if value in (p.reference, p.source_id) or p.name.casefold() == value.casefold()
            ]
            if len(found) != 1:
                raise UsageError(
                    reason=f"« {value} » ne désigne pas une seule fiche du fichier",
                    reason_en=f"“{value}” does not name exactly one record of the file",
                )
            wanted.update(found)
        changes = accept_exchange(register, preview, sorted(wanted)).changes
    console.say(
        f"{len(changes)} modification(s) enregistrée(s), origine notée au journal.",
        f"{len(changes)} change(s) recorded, origin noted in the audit trail.",
    )
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Console, Context], int]] = {
    "overview": cmd_overview,
    "changes": cmd_changes,
    "duplicate": cmd_duplicate,
    "bulk-edit": cmd_bulk_edit,
    "fiche-export": cmd_fiche_export,
    "fiche-import": cmd_fiche_import,
}
