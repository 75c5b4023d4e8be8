"""Connecting to the team register's PostgreSQL server with psycopg 3 (through libpq).

The password is never part of the URL nor of any argument: libpq finds it where it always
does (``PGPASSWORD``, the ``.pgpass`` / ``pgpass.conf`` file, a service file); when the server
asks for one libpq did not find, the caller's ``ask_password`` is called once and the answer is
kept in memory for the engine's later connections. TLS is libpq's: ``sslmode``,
``sslrootcert``… in the URL or in ``PGSSLMODE`` are honoured as they are by ``psql``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import QueuePool

from registre.team.errors import (
    InvalidServerAddress,
    PasswordInUrl,
    ServerLoginRefused,
    ServerUnreachable,
)

PasswordPrompt = Callable[[str], str | None]
"""Given the display name of the server, the password typed by the user (None: none given)."""


@dataclass(frozen=True)
class ServerAddress:
    """A checked URL and what is shown of it (never a password: the URL holds none)."""

    url: str
    user: str
    database: str
    host: str

    @property
    def display(self) -> str:
        """``user@host/database``, how the register is named in messages and titles."""
        return f"{self.user}@{self.host}/{self.database}"


def parse_address(url: str) -> ServerAddress:
    """Check ``url`` with libpq's own parser; refuse one that carries a password."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except ProgrammingError as exc:
        raise InvalidServerAddress(reason=str(exc).strip()) from None
    if parts.get("password"):
        raise PasswordInUrl()
    import getpass

    user = str(parts.get("user") or _default_user(getpass))
    host = str(parts.get("host") or "localhost")
    database = str(parts.get("dbname") or user)
    return ServerAddress(url, user, database, host)


def _default_user(getpass: Any) -> str:
    try:
        return str(getpass.getuser())
    except (KeyError, OSError):
        return "postgres"


def _needs_password(message: str) -> bool:
    return "no password supplied" in message or "password is required" in message


def _login_refused(message: str) -> bool:
    return any(
        text in message
        for text in (
            "password authentication failed",
            "authentication failed",
            "no password supplied",
            "no pg_hba.conf entry",
            "is not permitted to log in",
            "role \"",  # role "…" does not exist
        )
    )


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[-1] if lines else message


def connect_engine(address: ServerAddress, ask_password: PasswordPrompt | None) -> Engine:
    """A SQLAlchemy engine (psycopg 3) on ``address``, after one successful connection."""
    import psycopg

    secret: dict[str, str] = {}

    def connect() -> Any:
        try:
            return psycopg.connect(address.url, password=secret.get("password"))
        except psycopg.OperationalError as exc:
            message = str(exc)
            if _needs_password(message) and not secret and ask_password is not None:
                typed = ask_password(address.display)
                if typed:
                    secret["password"] = typed
                    return connect()
            reason = _first_line(message)
            if _login_refused(message):
                raise ServerLoginRefused(
                    server=address.host, user=address.user, reason=reason
                ) from None
            raise ServerUnreachable(server=address.display, reason=reason) from None

    first = connect()  # errors now, with a clear message, rather than at the first query
    pending = [first]

    def creator() -> Any:
        return pending.pop() if pending else connect()

    return create_engine(
        "postgresql+psycopg://",
        creator=creator,
        poolclass=QueuePool,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=8,
    )
