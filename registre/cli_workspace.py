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

from registre.errors import EXIT_OK

if TYPE_CHECKING:
    from registre.cli import Console
    from registre.storage import Context

NAMES = ("overview", "changes")
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
    overview.add_argument("register", type=Path, metavar="REGISTRE")
    overview.add_argument("--json", action="store_true", help=t("sortie JSON", "JSON output"))

    changes = commands.add_parser(
        "changes",
        help=t(
            "changements depuis la dernière publication (export PDF officiel)",
            "changes since the last publication (official PDF export)",
        ),
    )
    changes.add_argument("register", type=Path, metavar="REGISTRE")
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
    console.data(_json(changes_json(results)) if args.json else changes_text(results, console.lang))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Console, Context], int]] = {
    "overview": cmd_overview,
    "changes": cmd_changes,
}
