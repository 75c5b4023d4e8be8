"""One writer per register: an operating-system lock on ``registre.lock``, which names its holder.

The lock itself is the system's (``flock`` on POSIX, ``LockFileEx`` through ``msvcrt`` on
Windows): the kernel grants it to one process at a time and drops it when that process dies, so
taking over after a crash is atomic — of thirty processes racing for a stale lock, exactly one
wins. The file's content (user, host, pid, process start time, since when) only tells the
others who holds it. A lock file whose holder is still running but holds no system lock (an
older version of Registre, a share that ignores locks) is respected; one left by a process
that no longer runs on this host — checked with psutil, also against a reused pid — is taken
over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import psutil

from registre.errors import RegisterLocked
from registre.files import storage_failure

# Windows byte-range locks are mandatory: lock a byte far past the holder's details, which
# others must still be able to read.
_WINDOWS_LOCK_OFFSET = 2**30
_START_TIME_TOLERANCE = 1.0  # seconds; psutil's creation times are rounded on some systems


def process_alive(pid: int, started: float | None = None) -> bool:
    """True when process ``pid`` runs on this host (and, given ``started``, is that process).

    Uses psutil, which asks the platform (``OpenProcess`` on Windows) instead of sending a
    signal; a pid reused by another program after the holder died does not count.
    """
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        if started is not None and abs(process.create_time() - started) > _START_TIME_TOLERANCE:
            return False
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # it exists, it belongs to someone else
    return True


def process_start_time(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), None when unknown."""
    try:
        return float(psutil.Process(pid).create_time())
    except psutil.Error:
        return None


@dataclass(frozen=True)
class LockHolder:
    """Who holds a register's lock."""

    user: str
    host: str
    pid: int
    since: str
    started: float | None = None

    def is_alive_here(self) -> bool:
        """True unless the holder is a process of this host that no longer runs."""
        if self.host != socket.gethostname():
            return True  # another computer: nothing tells us it stopped
        return process_alive(self.pid, self.started)


def current_user() -> str:
    """Name of the operating-system user running Registre."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


def read_holder(path: Path) -> LockHolder | None:
    """The holder recorded in ``path``; None when absent or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        started = data.get("started")
        return LockHolder(
            str(data["user"]),
            str(data["host"]),
            int(data["pid"]),
            str(data["since"]),
            float(started) if isinstance(started, int | float) else None,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _locked(register_name: str, holder: LockHolder | None) -> RegisterLocked:
    if holder is None:
        return RegisterLocked(register=register_name, user="?", host="?", pid="?", since="?")
    return RegisterLocked(
        register=register_name,
        user=holder.user,
        host=holder.host,
        pid=holder.pid,
        since=holder.since.replace("T", " "),
    )


def _try_system_lock(fd: int) -> bool:
    """Take the system lock on ``fd`` without waiting; False when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _still_named(fd: int, path: Path) -> bool:
    """True while ``path`` is the file open as ``fd`` (not removed and created anew)."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


class RegisterLock:
    """An acquired lock; ``release()`` removes it. RegisterLocked when a live process has it."""

    def __init__(self, path: Path, register_name: str, now: dt.datetime) -> None:
        self.path = Path(path)
        pid = os.getpid()
        payload = json.dumps(
            {
                "user": current_user(),
                "host": socket.gethostname(),
                "pid": pid,
                "started": process_start_time(pid),
                "since": now.isoformat(timespec="seconds"),
            }
        ).encode()
        for _attempt in range(20):
            fd = self._open()
            try:
                if not _try_system_lock(fd):
                    raise _locked(register_name, read_holder(self.path))
                if not _still_named(fd, self.path):
                    continue  # its holder released and removed it meanwhile: try again
                previous = read_holder(self.path)
                if previous is not None and previous.pid != pid and previous.is_alive_here():
                    raise _locked(register_name, previous)
                self._write(fd, payload)
            except BaseException:
                os.close(fd)
                raise
            self._fd: int | None = fd
            return
        raise _locked(register_name, read_holder(self.path))

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise storage_failure(self.path, exc) from exc

    def _write(self, fd: int, payload: bytes) -> None:
        """Write the holder's details; on failure remove the file (it is ours) and refuse."""
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                self.path.unlink()
            raise storage_failure(self.path, exc) from exc

    def release(self) -> None:
        """Remove the lock file, then let the system lock go."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform == "win32":  # an open file cannot be removed there
            os.close(fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
            return
        with contextlib.suppress(OSError):
            if _still_named(fd, self.path):
                self.path.unlink()
        os.close(fd)
