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

import contextlib
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from registre import services
from registre.errors import EXIT_STORAGE, RegistreError, UsageError
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
    pools = _Pools(
        multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn"),
        (str(register.directory), data_key, register.register_id, register.demo),
        folder,
        profile,
        with_changes,
    )
    report = _Report(register, result, progress, total)
    queue = list(zip(organisations, names, strict=True))
    stranded: list[tuple[Any, str]] = []
    while queue and not cancelled:
        stranded += pools.run(queue, count, report, cancelled)
    if queue:
        result.cancelled = True
    # A worker stopped (killed by the system, out of memory…): the organisations it had in hand
    # are tried again, each alone in a fresh process, so the one that stops it is named.
    for org, name in stranded:
        if cancelled:
            result.cancelled = True
            break
        if pools.run([(org, name)], 1, report, cancelled):
            pools.remove_leftovers(name)
            report.failed(org.name, ExportWorkerStopped(organisation=org.name))
    return result


class ExportWorkerStopped(RegistreError):
    """The process laying out an organisation's PDF stopped before the end (killed)."""

    exit_code = EXIT_STORAGE
    text_fr = (
        "Le processus qui mettait en page le PDF de cet organisme s'est arrêté brutalement, "
        "même relancé seul (arrêté par le système, par manque de mémoire par exemple) : ce PDF "
        "n'a pas été écrit."
    )
    text_en = (
        "The process laying out this organisation's PDF stopped abruptly, even when started "
        "again alone (stopped by the system, for lack of memory for instance): this PDF was "
        "not written."
    )
    hint_fr = (
        "Les PDF déjà écrits pour les autres organismes sont gardés. Exportez cet organisme "
        "seul, après avoir fermé d'autres applications ; si l'arrêt se reproduit, signalez-le."
    )
    hint_en = (
        "The PDFs already written for the other organisations are kept. Export this "
        "organisation alone, after closing other applications; if it stops again, report it."
    )


class _Report:
    """Where the batch's outcomes go: recorded as they arrive, counted, shown."""

    def __init__(
        self, register: Register, result: BatchResult, progress: Progress | None, total: int
    ) -> None:
        self.register = register
        self.result = result
        self.progress = progress
        self.total = total

    def written(self, written: WrittenExport, organisation: str) -> None:
        from registre.official_export import record_exports

        if not self.register.read_only:
            record_exports(self.register, [written])
        self.result.written.append(written)
        self._tell(organisation)

    def failed(self, organisation: str, error: RegistreError) -> None:
        self.result.failed.append((organisation, error))
        self._tell(organisation)

    def _tell(self, organisation: str) -> None:
        if self.progress is not None:
            done = len(self.result.written) + len(self.result.failed)
            self.progress(done, self.total, organisation)


@dataclass
class _Pools:
    """Pools of worker processes, each opening the register with the key (``initargs``)."""

    context: Any
    initargs: tuple[str, bytes, str, bool]
    folder: Path
    profile: str
    with_changes: bool

    def run(
        self,
        queue: list[tuple[Any, str]],
        count: int,
        report: _Report,
        cancelled: Cancelled | None,
    ) -> list[tuple[Any, str]]:
        """Export from ``queue`` (taken from its front) on one pool of ``count`` processes,
        until it is empty, cancelled, or a worker stops; returns the organisations that were in
        the pool when it stopped (their PDF not written, or written and not reported)."""
        stranded: list[tuple[Any, str]] = []
        with ProcessPoolExecutor(
            count, mp_context=self.context, initializer=_open_in_worker, initargs=self.initargs
        ) as pool:
            pending: dict[Future[WrittenExport], tuple[Any, str]] = {}
            broken = False
            while queue or pending:
                while queue and not broken and len(pending) < count * 2 and not cancelled:
                    org, name = queue[0]
                    try:
                        future = pool.submit(
                            _export_in_worker,
                            org.id,
                            str(self.folder / name),
                            self.profile,
                            self.with_changes,
                        )
                    except BrokenProcessPool:
                        broken = True
                        break
                    pending[future] = queue.pop(0)
                if not pending:
                    break
                done, _rest = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    org, name = pending.pop(future)
                    error = future.exception()
                    if isinstance(error, BrokenProcessPool):
                        broken = True
                        stranded.append((org, name))
                    elif isinstance(error, RegistreError):
                        report.failed(org.name, error)
                    elif error is not None:
                        raise error
                    else:
                        report.written(future.result(), org.name)
                if broken and not pending:
                    break
        return stranded

    def remove_leftovers(self, name: str) -> None:
        """Remove the temporary files a stopped worker left for ``name`` (« .name.123.tmp »)."""
        prefix = f".{name}."
        for path in self.folder.iterdir():
            if path.name.startswith(prefix) and path.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    path.unlink()


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
