"""A disk that refuses the N-th write under a folder, to reach every write site in turn.

As KeePassXC's FailDevice does for its streams: every call that can hit a full disk — creating
or opening a file for writing, writing, truncating, syncing, renaming, making a folder — is
counted when its path lies under ``root``; the ``fail_at``-th raises ``OSError(ENOSPC)``. Run an
operation once with ``fail_at=None`` to count its write sites, then once per site.
SQLite's own writes happen in C and are not seen here: the tmpfs test fills a real disk.
"""

from __future__ import annotations

import builtins
import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class FailingDisk:
    """Counts write calls under ``root`` and fails the ``fail_at``-th (1-based)."""

    def __init__(self, root: Path, fail_at: int | None, *, only: str = "") -> None:
        self.root = str(Path(root).resolve())
        self.fail_at = fail_at
        self.only = only  # count only the calls whose path contains this
        self.calls = 0
        self.sites: list[str] = []
        self.failed: str | None = None

    def _under(self, path: object) -> bool:
        try:
            return os.path.abspath(os.fsdecode(path)).startswith(self.root)  # type: ignore[arg-type]
        except TypeError:
            return False

    def _fd_under(self, fd: int) -> bool:
        try:
            return self._under(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            return False

    def hit(self, site: str, path: object) -> None:
        """Count one write call; raise ENOSPC when it is the chosen one."""
        if self.only not in os.fsdecode(str(path)):
            return
        self.calls += 1
        self.sites.append(f"{site} {path}")
        if self.calls == self.fail_at:
            self.failed = f"{site} {path}"
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(str(path)))

    @contextmanager
    def installed(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[FailingDisk]:
        """Patch the os and builtins functions for the duration of the block."""
        real: dict[str, Callable[..., Any]] = {
            name: getattr(os, name)
            for name in ("open", "write", "fsync", "ftruncate", "replace", "rename", "mkdir")
        }
        real_open = builtins.open

        def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & _WRITE_FLAGS and self._under(path):
                self.hit("open", path)
            return real["open"](path, flags, *args, **kwargs)

        def by_fd(name: str) -> Callable[..., Any]:
            def call(fd: int, *args: Any) -> Any:
                if self._fd_under(fd):
                    self.hit(name, os.readlink(f"/proc/self/fd/{fd}"))
                return real[name](fd, *args)

            return call

        def by_paths(name: str) -> Callable[..., Any]:
            def call(source: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
                if self._under(source) or self._under(target):
                    self.hit(name, target)
                return real[name](source, target, *args, **kwargs)

            return call

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> Any:
            if self._under(path):
                self.hit("mkdir", path)
            return real["mkdir"](path, *args, **kwargs)

        def open_file(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            writing = set(mode) & set("wax+")
            if isinstance(file, str | bytes | os.PathLike) and writing and self._under(file):
                self.hit("open", file)
            return real_open(file, mode, *args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(os, "open", os_open)
            for name in ("write", "fsync", "ftruncate"):
                patch.setattr(os, name, by_fd(name))
            for name in ("replace", "rename"):
                patch.setattr(os, name, by_paths(name))
            patch.setattr(os, "mkdir", mkdir)
            patch.setattr(builtins, "open", open_file)
            yield self


def leftovers(folder: Path) -> list[str]:
    """Files a failed operation must not leave: lock, journal, staging, temporary files."""
    found = []
    for path in Path(folder).rglob("*"):
        name = path.name
        if (
            name in ("registre.lock", "replace.journal", ".pending")
            or name.endswith((".tmp", ".restoring", ".replaced", ".creating"))
            or (name.startswith(".") and name.endswith(".db"))
        ):
            found.append(str(path.relative_to(folder)))
    return sorted(found)
