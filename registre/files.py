"""Private, atomic file writes: temporary file in the same folder, fsync, replace."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from registre.errors import StorageFailure

_REASONS = {
    errno.ENOSPC: ("disque plein", "disk full"),
    errno.EDQUOT: ("quota disque dépassé", "disk quota exceeded"),
    errno.EFBIG: ("fichier trop grand pour ce support", "file too large for this medium"),
    errno.EROFS: ("support en lecture seule", "read-only medium"),
    errno.EACCES: ("permission refusée", "permission denied"),
    errno.EPERM: ("permission refusée", "permission denied"),
}


def storage_failure(path: Path | str, exc: OSError) -> StorageFailure:
    """The user-facing error for an OS refusal to write ``path``."""
    reason_fr, reason_en = _REASONS.get(exc.errno or 0, ("erreur d'écriture", "write error"))
    return StorageFailure(path=str(path), reason=reason_fr, reason_en=reason_en)


def fsync_directory(directory: Path) -> None:
    """Make a rename or creation in ``directory`` durable (no-op where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` (mode 0600) so a crash leaves the old or the new file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise storage_failure(path, exc) from exc
    fsync_directory(path.parent)


def write_atomic_stream(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Like ``write_atomic``, for data written to a stream by ``write`` (large exports)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise storage_failure(path, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_directory(path.parent)


def make_private_directory(path: Path) -> None:
    """Create ``path`` and its missing parents, each private (mode 0700)."""
    missing = []
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise storage_failure(path, exc) from exc
