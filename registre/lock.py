"""One writer per register: a lock file naming its holder (user, host, pid, time)."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from registre.errors import RegisterLocked
from registre.files import storage_failure


@dataclass(frozen=True)
class LockHolder:
    """Who holds a register's lock."""

    user: str
    host: str
    pid: int
    since: str

    def is_alive_here(self) -> bool:
        """True unless the holder is a dead process on this same host."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def current_user() -> str:
    """Name of the operating-system user running Registre."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


def read_holder(path: Path) -> LockHolder | None:
    """The holder recorded in ``path``; None when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockHolder(
            str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class RegisterLock:
    """An acquired lock; ``release()`` removes it."""

    def __init__(self, path: Path, register_name: str, now: dt.datetime) -> None:
        self.path = path
        holder = {
            "user": current_user(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": now.isoformat(timespec="seconds"),
        }
        payload = json.dumps(holder).encode()
        for _attempt in range(2):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                existing = read_holder(path)
                if existing is not None and existing.is_alive_here():
                    raise RegisterLocked(
                        register=register_name,
                        user=existing.user,
                        host=existing.host,
                        pid=existing.pid,
                        since=existing.since.replace("T", " "),
                    ) from None
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()  # stale lock of a dead process, or unreadable: take over
                continue
            except OSError as exc:
                raise storage_failure(path, exc) from exc
            try:
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            return
        raise RegisterLocked(register=register_name, user="?", host="?", pid="?", since="?")

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        holder = read_holder(self.path)
        if holder is not None and holder.pid == os.getpid():
            with contextlib.suppress(OSError):
                self.path.unlink()
