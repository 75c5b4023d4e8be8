"""Batch work of the shared DPO: one signed PDF per organisation, and one field set on many
activities at once.

``export_all_organisations`` writes one official PDF per organisation into a folder, laid out
and signed by worker processes (all cores): each opens the register read-only with its data key
(handed over the process pipe, never on a command line or in a file) and runs the official
export path (``official_export.write_export``) for one organisation at a time. The process that
holds the register records every file (audit entry with its SHA-256, publication snapshot) as it
arrives, so what was written is recorded even when the batch is cancelled half-way.

``bulk_update`` sets one field on selected activities through ``services.update_activity``,
all in one transaction; the changes come back together for ``UndoStack.push_group`` (one undo
step). ``bulk_preview`` shows beforehand what each activity holds and would hold.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from registre import services
from registre.errors import RegistreError, UsageError
from registre.schema import ACTIVITY, Field, Kind
from registre.services import Change
from registre.transaction import one_transaction

if TYPE_CHECKING:
    from registre.official_export import WrittenExport
    from registre.storage import Register

Progress = Callable[[int, int, str], None]
"""Called with (done, total, name of the organisation just exported)."""


@dataclass
class BatchResult:
    """What a batch export wrote, and what it did not."""

    written: list[WrittenExport] = field(default_factory=list)
    failed: list[tuple[str, RegistreError]] = field(default_factory=list)  # (organisation, error)
    cancelled: bool = False


class Cancelled:
    """A flag the interface sets to stop a batch; organisations already sent finish."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        """Ask the batch to stop."""
        self._event.set()

    def __bool__(self) -> bool:
        return self._event.is_set()


_UNSAFE = re.compile(r"[^\w\- ]+")


def file_name(organisation: str, profile: str) -> str:
    """« Registre - Commune de Brest.pdf » (characters a file name cannot hold removed)."""
    cleaned = " ".join(_UNSAFE.sub(" ", organisation).split())[:100] or "organisme"
    suffix = {"art30": " - extrait article 30", "communicable": " - version communicable"}.get(
        profile, ""
    )
    return f"Registre - {cleaned}{suffix}.pdf"


# -- worker processes --------------------------------------------------------------------------

_worker_register: Register | None = None


def _open_in_worker(directory: str, data_key: bytes, register_id: str, demo: bool) -> None:
    """Open the register read-only in a worker process, with the key the parent holds."""
    global _worker_register  # noqa: PLW0603 - one register per worker process
    from registre.storage import Context, _open_with_key

    _worker_register = _open_with_key(
        Path(directory), data_key, register_id, Context(), lock=None, demo=demo
    )


def _export_in_worker(
    organisation_id: str, output: str, profile: str, with_changes: bool
) -> WrittenExport:
    from registre.official_export import write_export

    assert _worker_register is not None
    return write_export(
        _worker_register,
        Path(output),
        profile=profile,
        organisation_id=organisation_id,
        with_changes=with_changes,
    )


def default_workers() -> int:
    """Every core, at most one per organisation (decided by the caller)."""
    return max(1, os.cpu_count() or 1)


def export_all_organisations(
    register: Register,
    folder: Path | str,
    *,
    profile: str = "full",
    workers: int | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    with_changes: bool = False,
) -> BatchResult:
    """One signed PDF per organisation of ``register`` in ``folder`` (created if needed).

    An organisation whose export fails is reported in ``failed``; the others go on. Raises
    UsageError when ``folder`` is a file, SigningKeyMissing when a read-only register has no
    signing key yet. ``with_changes``: each cover sums up the changes since the organisation's
    last publication.
    """
    from registre.official_export import record_exports
    from registre.signing import ensure_signing_identity

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            reason=f"« {folder} » est un fichier : indiquez un dossier",
            reason_en=f"“{folder}” is a file: give a folder",
        )
    folder.mkdir(parents=True, exist_ok=True)
    ensure_signing_identity(register)  # created once here, before the workers read it
    organisations = services.list_organisations(register)
    names = [file_name(org.name, profile) for org in organisations]
    for index, name in enumerate(names):  # two organisations of the same name: two files
        if names.count(name) > 1:
            names[index] = name.removesuffix(".pdf") + f" ({index + 1}).pdf"
    total = len(organisations)
    result = BatchResult()
    if progress is not None:
        progress(0, total, "")
    count = min(workers or default_workers(), max(total, 1))
    try:
        data_key = register.data_key
    except RegistreError:  # a team register (PostgreSQL): no key to hand over, one process
        data_key = None
    if data_key is None or count == 1:
        _export_here(
            register,
            folder,
            profile,
            list(zip(organisations, names, strict=True)),
            result,
            progress,
            cancelled,
            with_changes,
        )
        return result
    # Workers start from a clean process (the application has threads: no plain fork).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ProcessPoolExecutor(
        count,
        mp_context=context,
        initializer=_open_in_worker,
        initargs=(
            str(register.directory),
            data_key,
            register.register_id,
            register.demo,
        ),
    ) as pool:
        pending: dict[Future[WrittenExport], str] = {}
        queue = list(zip(organisations, names, strict=True))
        while queue or pending:
            while queue and len(pending) < count * 2 and not cancelled:
                org, name = queue.pop(0)
                future = pool.submit(
                    _export_in_worker, org.id, str(folder / name), profile, with_changes
                )
                pending[future] = org.name
            if cancelled and queue:
                result.cancelled = True
                queue.clear()
            if not pending:
                break
            done, _rest = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                organisation = pending.pop(future)
                error = future.exception()
                if isinstance(error, RegistreError):
                    result.failed.append((organisation, error))
                elif error is not None:
                    raise error
                else:
                    written = future.result()
                    if not register.read_only:
                        record_exports(register, [written])
                    result.written.append(written)
                if progress is not None:
                    progress(len(result.written) + len(result.failed), total, organisation)
    return result


def _export_here(
    register: Register,
    folder: Path,
    profile: str,
    queue: list[tuple[Any, str]],
    result: BatchResult,
    progress: Progress | None,
    cancelled: Cancelled | None,
    with_changes: bool,
) -> None:
    """The batch in this process, one organisation after the other."""
    from registre.official_export import record_exports, write_export

    for org, name in queue:
        if cancelled:
            result.cancelled = True
            return
        try:
            written = write_export(
                register,
                folder / name,
                profile=profile,
                organisation_id=org.id,
                with_changes=with_changes,
            )
            if not register.read_only:
                record_exports(register, [written])
        except RegistreError as error:
            result.failed.append((org.name, error))
        else:
            result.written.append(written)
        if progress is not None:
            progress(len(result.written) + len(result.failed), len(queue), org.name)


# -- bulk edit ---------------------------------------------------------------------------------

BULK_EDITABLE_KINDS = frozenset(
    {Kind.TEXT, Kind.LONGTEXT, Kind.CHOICE, Kind.MULTICHOICE, Kind.BOOL, Kind.DATE, Kind.EMAIL}
)
# Fields that identify an activity or that Registre keeps itself.
NOT_BULK_EDITABLE = frozenset(
    {"name", "reference", "created_on", "updated_on", "template_id", "template_version"}
)


def _bulk_field(field_key: str) -> Field:
    """The activity field ``field_key``, if it can be set on many activities at once."""
    spec = ACTIVITY.field(field_key)
    if spec.kind not in BULK_EDITABLE_KINDS or field_key in NOT_BULK_EDITABLE:
        raise UsageError(
            reason=f"le champ « {spec.label_fr} » ne se modifie pas en lot",
            reason_en=f"the field “{spec.label_en}” cannot be changed in bulk",
        )
    return spec


def bulk_fields() -> list[Field]:
    """The activity fields a bulk edit can set, in the schema's order."""
    return [
        spec
        for spec in ACTIVITY.fields
        if spec.kind in BULK_EDITABLE_KINDS and spec.key not in NOT_BULK_EDITABLE
    ]


def bulk_update(
    register: Register, *, activity_ids: Sequence[str], field_key: str, value: Any
) -> list[Change]:
    """Set ``field_key`` to ``value`` on every activity of ``activity_ids``, in one transaction.

    Each activity is changed by ``services.update_activity`` (validation, one audit entry per
    activity changed); a refused value or identifier changes nothing. Returns the changes that
    changed something, for ``UndoStack.push_group``.
    """
    spec = _bulk_field(field_key)
    services.coerce(spec, value)  # InvalidValue before anything is written
    changes: list[Change] = []
    with one_transaction(register) as joined:
        for activity_id in dict.fromkeys(activity_ids):
            change = services.update_activity(joined, activity_id, **{field_key: value})
            if change.fields:
                changes.append(change)
    return changes


@dataclass(frozen=True)
class BulkLine:
    """What a bulk edit would do to one activity."""

    activity_id: str
    reference: str | None
    name: str
    before: str
    after: str

    @property
    def changes(self) -> bool:
        """True when the activity's value would change."""
        return self.before != self.after


def bulk_preview(
    register: Register,
    *,
    activity_ids: Sequence[str],
    field_key: str,
    value: Any,
    lang: str = "fr",
) -> list[BulkLine]:
    """Each activity's value now and after the bulk edit, in words (one read, writes nothing).

    Raises InvalidValue for a value the field refuses, as ``bulk_update`` would.
    """
    from registre.model import Activity
    from registre.publications import value_text
    from registre.records import get_record, stored_value

    spec = _bulk_field(field_key)
    after = value_text(spec, services.coerce(spec, value), lang)
    lines = []
    with register.read() as session:
        for activity_id in dict.fromkeys(activity_ids):
            activity = get_record(session, Activity, activity_id, ACTIVITY.label_fr)
            lines.append(
                BulkLine(
                    activity_id,
                    activity.reference,
                    activity.name,
                    value_text(spec, stored_value(activity, spec), lang),
                    after,
                )
            )
    return lines


def bulk_label(spec_key: str, count: int, lang: str = "fr") -> str:
    """« la modification de « Délégué » sur 12 traitements »."""
    spec = ACTIVITY.field(spec_key)
    if lang == "en":
        return f"change to “{spec.label_en}” on {count} activities"
    return f"la modification de « {spec.label_fr} » sur {count} traitements"
