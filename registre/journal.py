"""Replacing a register's files together, so that a crash leaves the old set or the new one.

Restoring a backup and renewing the data key replace ``registre.db`` and ``keyslots.json``
(and the audit anchor) as one change. The new files are first written and verified in the
register's ``.pending`` folder; then a journal naming each file and its SHA-256 is written
atomically — that is the commit point — and the files are moved into place one by one. The
register folder itself is never renamed or removed, so its name always holds a register.

At the next opening ``tidy_around`` and ``finish_inside`` complete what a crash interrupted: with a
journal, the move is rolled forward; without one, the staged files are discarded (the old set
is still in place). It also removes what an interrupted operation of an older version, or a
killed process, left behind: staging folders beside the register (``.NAME.PID.restoring``,
``.NAME.PID.creating``), a register moved aside by an interrupted restore
(``.NAME.PID.replaced``, put back when the register itself is missing) and temporary files
(``.*.PID.tmp``) of processes that no longer run. None of these is kept with old key material.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from registre.errors import ReplacementPending, StorageFailure
from registre.files import fsync_directory, make_private_directory, storage_failure, write_atomic
from registre.layout import BACKUP_DIR, DB_NAME, SQLITE_SIDE_FILES, damaged
from registre.lock import process_alive

STAGING_DIR = ".pending"
JOURNAL_NAME = "replace.journal"
JOURNAL_FORMAT = "registre-replace-journal"

_SIBLING = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.(?P<kind>restoring|replaced|creating)$")
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.(?:tmp|db)$")

log = logging.getLogger(__name__)


def staging_folder(directory: Path) -> Path:
    """A fresh, private, empty ``.pending`` folder inside the register."""
    staging = Path(directory) / STAGING_DIR
    _remove_tree(staging)
    make_private_directory(staging)
    return staging


def discard(directory: Path) -> None:
    """Remove the staged files of an operation that did not commit."""
    if not (Path(directory) / JOURNAL_NAME).exists():
        _remove_tree(Path(directory) / STAGING_DIR)


def committed_path(directory: Path, name: str) -> Path:
    """Where the committed version of the register's file ``name`` is right now.

    After a crash past the commit point, the staged file is the register's file although it has
    not been moved yet: readers use it, so they see what the next opening will finish (and a
    reader writes nothing).
    """
    directory = Path(directory)
    staged = directory / STAGING_DIR / name
    try:
        document = json.loads((directory / JOURNAL_NAME).read_bytes())
        named = name in document["replace"]
    except (OSError, ValueError, KeyError, TypeError):
        named = False
    return staged if named and staged.exists() else directory / name


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def commit(directory: Path, names: Iterable[str]) -> None:
    """Make the staged ``names`` the register's files, all or none (even across a crash)."""
    directory = Path(directory)
    staging = directory / STAGING_DIR
    try:
        digests = {name: _digest(staging / name) for name in names}
    except OSError as exc:
        raise storage_failure(staging, exc) from exc
    fsync_directory(staging)
    document = {"format": JOURNAL_FORMAT, "replace": digests}
    write_atomic(directory / JOURNAL_NAME, json.dumps(document, indent=2).encode())
    try:
        _roll_forward(directory)
    except StorageFailure as failure:
        raise ReplacementPending(**failure.details) from failure


def _roll_forward(directory: Path) -> None:
    """Move every staged file named in the journal into place, then forget the journal."""
    journal = directory / JOURNAL_NAME
    staging = directory / STAGING_DIR
    try:
        document = json.loads(journal.read_bytes())
        digests = dict(document["replace"])
        if document.get("format") != JOURNAL_FORMAT:
            raise ValueError("not a journal")
    except (ValueError, KeyError, TypeError) as exc:
        raise damaged(directory, "journal de remplacement illisible", "unreadable journal") from exc
    except OSError as exc:
        raise storage_failure(journal, exc) from exc
    try:
        for name, digest in digests.items():
            staged, target = staging / name, directory / name
            if staged.exists():
                if name == DB_NAME:  # side files of the old database would corrupt the new one
                    for suffix in SQLITE_SIDE_FILES:
                        with contextlib.suppress(FileNotFoundError):
                            (directory / (DB_NAME + suffix)).unlink()
                os.replace(staged, target)
            elif not target.exists() or _digest(target) != digest:
                raise damaged(directory, "remplacement interrompu incomplet", "incomplete swap")
        fsync_directory(directory)
        journal.unlink()
        fsync_directory(directory)
    except OSError as exc:
        raise storage_failure(directory, exc) from exc
    _remove_tree(staging)


def tidy_around(directory: Path) -> None:
    """Remove what crashed operations left beside ``directory``; put back a register that an
    interrupted restore of an older version left moved aside."""
    _tidy_siblings(Path(directory))


def finish_inside(directory: Path) -> None:
    """Roll an interrupted replacement forward (journal written) or back (only staged files),
    then remove dead processes' temporary files. Call it with the register's lock held."""
    directory = Path(directory)
    if (directory / JOURNAL_NAME).exists():
        log.warning("interrupted file replacement rolled forward")
        _roll_forward(directory)
    elif (directory / STAGING_DIR).exists():
        log.warning("staged files of an interrupted operation discarded")
        _remove_tree(directory / STAGING_DIR)
    remove_dead_temporaries(directory)


def needs_finishing(directory: Path) -> bool:
    """True when an interrupted operation left work to finish in ``directory``."""
    directory = Path(directory)
    return (directory / JOURNAL_NAME).exists() or (directory / STAGING_DIR).exists()


def remove_dead_temporaries(directory: Path) -> None:
    """Remove the ``.*.PID.tmp`` / ``.*.PID.db`` files of processes that no longer run, in the
    register and its ``backups`` folder (best effort: a read-only medium keeps them)."""
    for folder in (Path(directory), Path(directory) / BACKUP_DIR):
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                match = _TEMPORARY.match(path.name)
                if match and path.is_file() and not process_alive(int(match["pid"])):
                    with contextlib.suppress(OSError):
                        path.unlink()


def _tidy_siblings(directory: Path) -> None:
    """Staging folders and moved-aside registers left beside ``directory`` by a crash."""
    leftovers: dict[str, list[Path]] = {"restoring": [], "replaced": [], "creating": []}
    with contextlib.suppress(OSError):
        for path in directory.parent.iterdir():
            match = _SIBLING.match(path.name)
            if match and match["name"] == directory.name and not process_alive(int(match["pid"])):
                leftovers[match["kind"]].append(path)
    try:
        if not directory.exists() and leftovers["replaced"]:
            # An older version renamed the register aside, then was stopped before renaming the
            # verified copy in: finish that restore, or put the register back.
            ready = [p for p in leftovers["restoring"] if (p / DB_NAME).is_file()]
            source = ready[0] if ready else leftovers["replaced"][0]
            log.warning("register missing after an interrupted restore: %s put back", source.name)
            os.rename(source, directory)
            fsync_directory(directory.parent)
        for kind in leftovers.values():
            for path in kind:
                _remove_tree(path)
    except OSError as exc:
        raise storage_failure(directory, exc) from exc


def _remove_tree(path: Path) -> None:
    if not path.exists():
        return
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise storage_failure(path, exc) from exc
