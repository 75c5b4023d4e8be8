"""Who may do what in a team register: four PostgreSQL group roles and row-level security.

=====================  =========================================================  ==========
group role             sees                                                       may change
=====================  =========================================================  ==========
``registre_dpo``       every organisation                                         everything
``registre_assistant`` the organisations assigned to them (``team_assignment``)   those
``registre_secretary`` their commune (one assignment)                             its records
``registre_auditor``   the organisations assigned to them                         nothing¹
=====================  =========================================================  ==========

¹ An auditor's exports are still recorded in the audit trail (insert only, under their name).

People log in with their own PostgreSQL role, member of one group role; the server, not the
application, enforces the rule: row-level security policies filter every table by the
organisation its rows belong to (through the activity for an activity's rows), so a secretary
connected with ``psql`` sees no more than in Registre. The register's owner (the role that ran
``server init``, used for migrations and backups) is not subject to the policies. The audit
trail is append-only for everyone but the owner, and each role sees only the entries of the
organisations it sees; the chain's head is read through a function that reveals nothing else,
so appends stay one chain.

``ROLES_SQL`` is the whole set-up, idempotent: ``registre server roles URL`` runs it, or
``registre server roles URL --print`` writes it out for a database administrator.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from registre.migrations import VERSIONED_TABLES
from registre.team.connection import PasswordPrompt, connect_engine, parse_address

GROUP_ROLES = {
    "dpo": "registre_dpo",
    "assistant": "registre_assistant",
    "secretary": "registre_secretary",
    "auditor": "registre_auditor",
}

# Tables whose rows belong to an organisation through a column of their own.
_BY_ORGANISATION = (
    "activity", "processor", "software", "breach", "rights_request", "dpia", "contract",
    "publication",
)
# Tables whose rows belong to a parent row; the parent's own policy decides.
_BY_PARENT = (
    *((table, "activity_id", "activity") for table in (
        "joint_controller", "controller_served", "purpose", "data_subject", "data_category",
        "recipient", "transfer", "security_measure", "activity_processor", "activity_software",
        "todo",
    )),
    ("breach_activity", "breach_id", "breach"),
    ("breach_software", "breach_id", "breach"),
    ("rights_request_activity", "rights_request_id", "rights_request"),
    ("dpia_activity", "dpia_id", "dpia"),
    ("contract_activity", "contract_id", "contract"),
)
_DATA_TABLES = ("organisation", *_BY_ORGANISATION, *(table for table, _c, _p in _BY_PARENT))
assert set(VERSIONED_TABLES) <= set(_DATA_TABLES)


def _create_group_roles() -> str:
    return "\n".join(
        f"""DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        CREATE ROLE {role} NOLOGIN;
    END IF;
END $$;"""
        for role in GROUP_ROLES.values()
    )


def _policies() -> str:
    statements = []
    for table in _DATA_TABLES:
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
            f"DROP POLICY IF EXISTS registre_scope ON {table};",
        ]
    statements.append(
        "CREATE POLICY registre_scope ON organisation USING (registre_may_see(id));"
    )
    statements += [
        f"CREATE POLICY registre_scope ON {table} USING (registre_may_see(organisation_id));"
        for table in _BY_ORGANISATION
    ]
    statements += [
        f"CREATE POLICY registre_scope ON {table} "
        f"USING ({column} IN (SELECT id FROM {parent}));"
        for table, column, parent in _BY_PARENT
    ]
    return "\n".join(statements)


def _grants() -> str:
    data = ", ".join(_DATA_TABLES)
    editors = "registre_dpo, registre_assistant, registre_secretary"
    everyone = f"{editors}, registre_auditor"
    return f"""REVOKE ALL ON {data}, meta, audit_entry, team_assignment FROM PUBLIC;
GRANT SELECT ON {data} TO {everyone};
GRANT INSERT, UPDATE, DELETE ON {data} TO {editors};
REVOKE INSERT, DELETE ON organisation FROM registre_secretary;
GRANT SELECT ON meta TO {everyone};
GRANT INSERT, UPDATE ON meta TO registre_dpo;
GRANT SELECT, INSERT ON audit_entry TO {everyone};
GRANT SELECT, INSERT, UPDATE, DELETE ON team_assignment TO registre_dpo;"""


ROLES_SQL = f"""-- Registre team register: group roles, rights and row-level security (idempotent).
{_create_group_roles()}

CREATE TABLE IF NOT EXISTS team_assignment (
    role_name TEXT NOT NULL,
    organisation_id VARCHAR(36) NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    PRIMARY KEY (role_name, organisation_id)
);

-- Does the connected person see this organisation? (DPOs see all; others their assignments.)
CREATE OR REPLACE FUNCTION registre_may_see(organisation TEXT) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT pg_has_role(session_user, 'registre_dpo', 'MEMBER')
        OR EXISTS (SELECT 1 FROM team_assignment
                   WHERE role_name = session_user AND organisation_id = organisation)
$$;

-- Does the connected person see every organisation (and so can verify the whole chain)?
CREATE OR REPLACE FUNCTION registre_sees_everything() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT pg_has_role(session_user, 'registre_dpo', 'MEMBER')
        OR session_user::text = (SELECT tableowner::text FROM pg_tables
                                 WHERE schemaname = 'public' AND tablename = 'meta')
$$;

-- The chain's head (number and hash only), for appending whatever one may see.
CREATE OR REPLACE FUNCTION registre_audit_head(OUT seq integer, OUT hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1
$$;

{_policies()}
ALTER TABLE audit_entry ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS registre_read ON audit_entry;
DROP POLICY IF EXISTS registre_append ON audit_entry;
CREATE POLICY registre_read ON audit_entry FOR SELECT
    USING (organisation_id IS NULL OR registre_may_see(organisation_id));
CREATE POLICY registre_append ON audit_entry FOR INSERT
    WITH CHECK (organisation_id IS NULL OR registre_may_see(organisation_id));

{_grants()}
"""



def install_roles(url: str, *, ask_password: PasswordPrompt | None = None) -> None:
    """Run ``ROLES_SQL`` on the team register at ``url`` (as its owner), in one transaction."""
    from registre.team.register import _read_facts, server_error

    address = parse_address(url)
    engine = connect_engine(address, ask_password)
    try:
        _read_facts(address, engine)  # NotATeamRegister on a database without one
        try:
            with engine.begin() as connection:
                connection.connection.driver_connection.execute(ROLES_SQL)  # type: ignore[union-attr]
        except DBAPIError as exc:
            raise server_error(address, exc) from exc
    finally:
        engine.dispose()
