"""``registre export REGISTRE --activity REF --format pdf --output FICHIER``: one activity's fiche.

The fiche a secretary hands the DPO (``registre.declaration``), laid out by the register's PDF
engine (``registre.pdf.fiche``): the same file as the application's « Enregistrer en PDF… ».
It only reads the register (a working paper: not signed, not recorded).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from registre.errors import UsageError

if TYPE_CHECKING:
    from registre.storage import Register

EXIT_OK = 0


def add_arguments(export: argparse.ArgumentParser, t: Callable[[str, str], str]) -> None:
    """Add ``--activity`` to the ``export`` command."""
    export.add_argument(
        "--activity",
        metavar="REF",
        help=t(
            "PDF : la fiche d'un seul traitement (sa référence), celle que le secrétariat "
            "donne au DPO",
            "PDF: the record of one processing activity (its reference), the one the "
            "secretary hands the DPO",
        ),
    )


def export_fiche(
    args: argparse.Namespace,
    console: Any,
    open_register: Callable[[], AbstractContextManager[Register]],
) -> int:
    """Write the fiche of ``args.activity`` to ``args.output``."""
    from registre.declaration import find_activity, write_fiche_pdf

    if args.fmt != "pdf":
        raise UsageError(
            reason="--activity ne s'emploie qu'avec --format pdf",
            reason_en="--activity only goes with --format pdf",
        )
    with open_register() as register:
        activity_id = find_activity(register, args.activity, args.organisation)
        path = write_fiche_pdf(register, activity_id, args.output, console.lang)
    console.say(f"Fiche écrite : {path}", f"Record written: {path}")
    console.data(str(path))
    return EXIT_OK
