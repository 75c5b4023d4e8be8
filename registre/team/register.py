"""A team register: the register's tables in a PostgreSQL database, opened by URL.

``TeamRegister`` offers what every service function uses of a ``storage.Register`` — ``read()``
and ``write()`` sessions, ``context``, ``register_id``, ``read_only``, ``name`` — so services,
checks, imports and exports run unchanged. What differs:

* Several people write at once. Every write transaction first takes one transaction-scoped
  advisory lock (``pg_advisory_xact_lock``), so appends to the audit trail are serialised and
  the chain stays a single chain; readers are never blocked (PostgreSQL's MVCC).
* The audit trail's actor is the PostgreSQL role the server authenticated (``session_user``),
  and a trigger refuses any entry that names someone else (except from the register's owner,
  whose schema upgrades record their steps under Registre's name).
* The database key, key slots, lock file and anchor file of a folder do not exist: access is
  PostgreSQL's (roles, passwords, TLS); the signing key is stored encrypted under the team
  register's passphrase, asked only when a PDF is signed.
* Schema: created at the current version by ``server init`` from the same SQLAlchemy models;
  the same numbered steps of ``registre.migrations`` upgrade it, in one transaction (PostgreSQL
  rolls DDL back with it).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from registre import __version__, migrations
from registre.audit import AuditTrail
from registre.context import Context
from registre.errors import NewerRegister, ReadOnlyRegister, RegistreError
from registre.model import Base, Meta
from registre.storage import Register
from registre.team.connection import PasswordPrompt, ServerAddress, connect_engine, parse_address
from registre.team.errors import (
    NotATeamRegister,
    NotForTeamRegister,
    ServerRefused,
    ServerUnreachable,
    TeamRegisterDamaged,
    TeamRegisterExists,
)

log = logging.getLogger(__name__)

WRITE_LOCK = 0x52454749  # the advisory lock every write transaction holds ("REGI")
TEAM_NAME_META = "team_name"

SecretPrompt = Callable[[], str]
"""Asked for the team register's passphrase (only to sign an export)."""

_ACTOR_TRIGGER = (
    """CREATE FUNCTION registre_audit_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.actor IS DISTINCT FROM session_user::text
       AND session_user::text IS DISTINCT FROM (
           SELECT tableowner::text FROM pg_tables
           WHERE schemaname = current_schema() AND tablename = 'audit_entry') THEN
        RAISE EXCEPTION 'audit entry actor % is not the connected role %',
            NEW.actor, session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$""",
    """CREATE TRIGGER audit_entry_actor BEFORE INSERT ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION registre_audit_actor()""",
)


class TeamRegister(Register):
    """An open team register (see the module's description)."""

    def __init__(
        self,
        address: ServerAddress,
        engine: Engine,
        register_id: str,
        context: Context,
        *,
        read_only: bool,
        ask_secret: SecretPrompt | None,
        team_name: str,
    ) -> None:
        # The folder-specific state of Register (key, lock, anchor, WAL) is not set up.
        self.address = address
        self.engine = engine
        self.register_id = register_id
        self.context = context
        self.read_only = read_only
        self.demo = False
        self.team_name = team_name
        self.closed = False
        self.backup_failure: RegistreError | None = None
        self._ask_secret = ask_secret
        self._secret: str | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._guards = threading.local()

    @contextmanager
    def guarded(self, check: Callable[[Session], None]) -> Iterator[None]:
        """Run ``check`` at the start of this thread's write transactions, once the write lock
        is held (``registre.concurrency`` refuses a conflicting edit there, race-free)."""
        checks: list[Callable[[Session], None]] = getattr(self._guards, "checks", [])
        self._guards.checks = [*checks, check]
        try:
            yield
        finally:
            self._guards.checks = checks

    @property
    def directory(self) -> Path:
        """A team register has no folder."""
        raise NotForTeamRegister(
            command="—", reason="il n'a pas de dossier", reason_en="it has no folder"
        )

    @directory.setter
    def directory(self, _value: Path) -> None:
        raise AttributeError("directory")

    @property
    def name(self) -> str:
        """The team register's name (``address.display`` says where it is)."""
        return self.team_name

    @property
    def data_key(self) -> bytes:
        """There is no database key: PostgreSQL's roles and TLS protect the data."""
        raise NotForTeamRegister(
            command="—", reason="il n'a pas de clé de base", reason_en="it has no database key"
        )

    def signing_key_secret(self) -> bytes | None:
        """The passphrase protecting the signing key stored on the server (asked once)."""
        if self._secret is None:
            if self._ask_secret is None:
                raise ReadOnlyRegister(register=self.name)
            self._secret = self._ask_secret()
        return self._secret.encode("utf-8")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._sessions() as session:
            try:
                yield session
            except DBAPIError as exc:
                raise server_error(self.address, exc) from exc
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, serialised with every other writer's by the advisory lock."""
        if self.read_only:
            raise ReadOnlyRegister(register=self.name)
        with self._sessions() as session:
            try:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                for check in getattr(self._guards, "checks", []):
                    check(session)
                yield session
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                raise server_error(self.address, exc) from exc
            except BaseException:
                session.rollback()
                raise

    def __enter__(self) -> TeamRegister:
        return self

    def anchor_problem(self) -> tuple[str, str] | None:
        """No anchor file: the server's own durability and backups keep the head."""
        return None

    def close(self) -> None:
        """Return the connections to the server and forget the passphrase."""
        if self.closed:
            return
        self.closed = True
        self._secret = None
        self.engine.dispose()


def server_error(address: ServerAddress, exc: DBAPIError) -> RegistreError:
    """The user-facing error for a failure the server reported during a session."""
    import psycopg

    original = exc.orig
    reason = str(original).strip().splitlines()[0] if original is not None else str(exc)
    if isinstance(original, psycopg.errors.InsufficientPrivilege):
        return ServerRefused(server=address.display, reason=reason)
    if isinstance(original, psycopg.OperationalError):
        return ServerUnreachable(server=address.display, reason=reason)
    return TeamRegisterDamaged(server=address.display, reason=reason, reason_en=reason)


def _session_user(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT session_user")).scalar_one())


def _team_context(context: Context | None, engine: Engine) -> Context:
    """The caller's context, with the actor the server authenticated."""
    return dataclasses.replace(context or Context(), actor=_session_user(engine))


def create_team_register(
    url: str,
    *,
    name: str,
    context: Context | None = None,
    ask_password: PasswordPrompt | None = None,
    ask_secret: SecretPrompt | None = None,
) -> TeamRegister:
    """Create the register's tables in the empty database at ``url``; returns it open.

    Everything is created in one transaction: a failure leaves the database empty.
    """
    address = parse_address(url)
    engine = connect_engine(address, ask_password)
    try:
        context = _team_context(context, engine)
        if inspect(engine).get_table_names():
            raise TeamRegisterExists(server=address.display)
        register_id = context.new_id()
        now = context.clock().isoformat(timespec="seconds")
        try:
            with engine.begin() as connection:
                Base.metadata.create_all(connection)
                for statement in _ACTOR_TRIGGER:
                    connection.execute(text(statement))
                with Session(connection) as session:
                    session.add_all(
                        [
                            Meta(key="schema_version", value=str(migrations.SCHEMA_VERSION)),
                            Meta(key="register_id", value=register_id),
                            Meta(key="created_at", value=now),
                            Meta(key="created_by_version", value=__version__),
                            Meta(key=TEAM_NAME_META, value=name),
                        ]
                    )
                    session.flush()
        except DBAPIError as exc:
            raise server_error(address, exc) from exc
    except BaseException:
        engine.dispose()
        raise
    return TeamRegister(
        address,
        engine,
        register_id,
        context,
        read_only=False,
        ask_secret=ask_secret,
        team_name=name,
    )


def open_team_register(
    url: str,
    *,
    read_only: bool = False,
    context: Context | None = None,
    ask_password: PasswordPrompt | None = None,
    ask_secret: SecretPrompt | None = None,
) -> TeamRegister:
    """Open the team register at ``url``; one of an older schema is upgraded first (unless
    ``read_only``, which refuses it like a local register)."""
    address = parse_address(url)
    engine = connect_engine(address, ask_password)
    try:
        context = _team_context(context, engine)
        facts = _read_facts(address, engine)
        version = _schema_version(address, facts)
        register = TeamRegister(
            address,
            engine,
            facts["register_id"],
            context,
            read_only=read_only,
            ask_secret=ask_secret,
            team_name=facts.get(TEAM_NAME_META, address.database),
        )
        if version < migrations.SCHEMA_VERSION:
            if read_only:
                from registre.errors import OlderRegister

                raise OlderRegister(
                    register=register.name, found=version, supported=migrations.SCHEMA_VERSION
                )
            upgrade(register, version)
    except BaseException:
        engine.dispose()
        raise
    return register


def _read_facts(address: ServerAddress, engine: Engine) -> dict[str, str]:
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("meta"):
                raise NotATeamRegister(server=address.display)
            rows = connection.execute(text("SELECT key, value FROM meta WHERE key IN "
                                           "('register_id', 'schema_version', 'team_name')"))
            return {str(key): str(value) for key, value in rows}
    except DBAPIError as exc:
        raise server_error(address, exc) from exc


def _schema_version(address: ServerAddress, facts: dict[str, str]) -> int:
    version = facts.get("schema_version", "")
    if not version.isdigit() or not facts.get("register_id"):
        raise TeamRegisterDamaged(
            server=address.display,
            reason="identité du registre incohérente",
            reason_en="inconsistent register identity",
        )
    if int(version) > migrations.SCHEMA_VERSION:
        raise NewerRegister(
            register=address.display, found=version, supported=migrations.SCHEMA_VERSION
        )
    return int(version)


def upgrade(register: TeamRegister, version: int) -> None:
    """Run every migration step from ``version`` in one transaction (a concurrent opening
    waits on the write lock, then finds the register already upgraded)."""
    with register.write() as session:
        current = int(session.scalar(text("SELECT value FROM meta WHERE key='schema_version'")))
        if current >= migrations.SCHEMA_VERSION:
            return
        with AuditTrail(session, register.context.actor) as trail:
            connection = session.connection()
            for step in range(current, migrations.SCHEMA_VERSION):
                migrations.STEPS[step](connection)
            session.execute(
                text("UPDATE meta SET value = :version WHERE key = 'schema_version'"),
                {"version": str(migrations.SCHEMA_VERSION)},
            )
            trail.append(
                at=register.context.clock(),
                action="migrated",
                entity="register",
                entity_id=register.register_id,
                organisation_id=None,
                changes={"schema_version": [current, migrations.SCHEMA_VERSION]},
            )
