"""A throwaway PostgreSQL server for the team register's tests (and the benchmarks).

``initdb`` and ``pg_ctl`` run in a private temporary folder; the server listens on a unix socket
in that folder and on 127.0.0.1 at a free port (password authentication over TCP, trust over the
socket). PostgreSQL refuses to run as root: under root (CI machines) the server runs as the
``postgres`` system user that the Debian ``postgresql`` package creates, through ``runuser``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"
REQUIRE_ENV = "REGISTRE_REQUIRE_POSTGRES"  # set by .ci/run: no skipping there


def server_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running server: its socket folder, TCP port and the superuser's URL."""

    folder: Path
    port: int
    bindir: Path
    run_as: list[str]

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A URL reaching ``database`` as ``user`` through the unix socket (no password)."""
        return f"postgresql://{user}@/{database}?host={self.folder}&port={self.port}"

    def tcp_url(self, database: str, user: str) -> str:
        """A URL over TCP, where the server asks for a password."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres", user: str = SUPERUSER) -> str:
        """Run ``statement`` with ``psql`` (as a user would) and return its unaligned output."""
        result = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", str(self.folder), "-p", str(self.port), "-U", user, "-d", database,
                "-c", statement,
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PGPASSWORD": ""},
        )
        if result.returncode != 0:
            raise PsqlError(result.stderr.strip())
        return result.stdout.strip()

    def create_database(self, name: str, owner: str = SUPERUSER) -> str:
        """A fresh database owned by ``owner``; returns its socket URL for that owner."""
        self.sql(f'CREATE DATABASE "{name}" OWNER "{owner}"')
        return self.url(name, owner)


def database_of(url: str) -> str:
    """The database named in a test URL (``postgresql://user@/name?host=…``)."""
    return url.split("/")[3].split("?", maxsplit=1)[0]


class PsqlError(Exception):
    """psql refused a statement (its message)."""


def _run(command: list[str], run_as: list[str]) -> None:
    subprocess.run([*run_as, *command], check=True, capture_output=True)


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    """Start a server in a temporary folder; stop it and remove everything afterwards."""
    bindir = server_binaries()
    if bindir is None:
        raise FileNotFoundError("initdb / pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="registre-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres system user
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"
    server = Server(folder, port, bindir, run_as)
    try:
        _run(
            [
                str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8",
                "--no-locale", "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256",
            ],
            run_as,
        )
        options = (
            f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
             "-o", options, "-w", "start"],
            run_as,
        )
        yield server
    finally:
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
