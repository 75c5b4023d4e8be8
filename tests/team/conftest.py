"""One throwaway PostgreSQL server for the whole session; a fresh database per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.team.pgserver import REQUIRE_ENV, Server, running_server, server_binaries

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """The session's server (skipped only where PostgreSQL is not installed, never in CI)."""
    if server_binaries() is None:
        reason = (
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
            "postgresql to run the team register's tests"
        )
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(reason)
        pytest.skip(reason)
    with running_server() as server:
        server.sql("CREATE ROLE registre_owner LOGIN CREATEROLE PASSWORD 'owner-secret'")
        yield server


@pytest.fixture
def team_url(pg_server: Server) -> str:
    """URL of an empty database owned by ``registre_owner`` (not a superuser)."""
    return pg_server.create_database(f"team{next(_databases)}", owner="registre_owner")
