"""Who may do what: PostgreSQL roles and row-level security, checked with psql and Registre."""

from __future__ import annotations

import io
import itertools

import pytest

from registre import services
from registre.cli import run
from registre.errors import RecordNotFound
from registre.team.errors import ServerRefused
from registre.team.register import create_team_register, open_team_register
from tests.team.pgserver import PsqlError, Server, database_of

_people = itertools.count(1)


@pytest.fixture
def communes(team_url: str, pg_server: Server) -> dict[str, str]:
    """A team register with two communes and their activities, roles installed."""
    with create_team_register(team_url, name="Service DPO") as register:
        nord = services.create_organisation(register, name="Commune du Nord").id
        sud = services.create_organisation(register, name="Commune du Sud").id
        services.create_activity(
            register, organisation_id=nord, name="Cantine du Nord",
            purposes=[{"description": "Facturer les repas du Nord"}],
        )
        services.create_activity(
            register, organisation_id=sud, name="Aide sociale du Sud",
            purposes=[{"description": "Secours d'urgence du Sud"}],
        )
    out, err = io.StringIO(), io.StringIO()
    assert run(["server", "roles", team_url], out=out, err=err) == 0, err.getvalue()
    return {"url": team_url, "database": database_of(team_url),
            "nord": nord, "sud": sud}


def _person(pg_server: Server, communes: dict[str, str], group: str, *orgs: str) -> str:
    """A login role, member of ``group``, assigned to ``orgs``; returns its name."""
    name = f"{group}_{next(_people)}"
    pg_server.sql(f'CREATE ROLE "{name}" LOGIN IN ROLE registre_{group}')
    for org in orgs:
        pg_server.sql(
            f"INSERT INTO team_assignment VALUES ('{name}', '{communes[org]}')",
            communes["database"], user="registre_owner",
        )
    return name


def _url_as(communes: dict[str, str], user: str) -> str:
    return communes["url"].replace("registre_owner@", f"{user}@")


def test_a_secretary_cannot_read_another_communes_activities_even_with_psql(
    communes: dict[str, str], pg_server: Server
) -> None:
    secretary = _person(pg_server, communes, "secretary", "nord")
    database = communes["database"]

    def psql(statement: str) -> str:
        return pg_server.sql(statement, database, user=secretary)

    assert psql("SELECT name FROM activity") == "Cantine du Nord"
    assert psql("SELECT description FROM purpose") == "Facturer les repas du Nord"
    assert psql("SELECT name FROM organisation") == "Commune du Nord"
    assert "Sud" not in psql("SELECT changes::text FROM audit_entry")
    assert psql(f"SELECT count(*) FROM activity WHERE organisation_id = '{communes['sud']}'") == "0"
    psql("UPDATE activity SET name = 'Piraté' WHERE name = 'Aide sociale du Sud'")  # sees no row
    with pytest.raises(PsqlError, match="row-level security"):
        psql(
            "INSERT INTO activity (id, organisation_id, name, role, status, dpia_criteria) "
            f"VALUES ('x', '{communes['sud']}', 'Intrus', 'controller', 'draft', '[]')"
        )
    with pytest.raises(PsqlError, match="permission denied"):
        psql("DELETE FROM audit_entry")
    with pytest.raises(PsqlError, match="permission denied"):
        psql("SELECT * FROM team_assignment")
    assert pg_server.sql(
        "SELECT count(*) FROM activity WHERE name = 'Aide sociale du Sud'", database
    ) == "1"


def test_registre_shows_a_secretary_only_her_commune_and_keeps_one_chain(
    communes: dict[str, str], pg_server: Server
) -> None:
    secretary = _person(pg_server, communes, "secretary", "nord")
    with open_team_register(_url_as(communes, secretary)) as register:
        assert [o.name for o in services.list_organisations(register)] == ["Commune du Nord"]
        assert [a.name for a in services.list_activities(register)] == ["Cantine du Nord"]
        services.create_activity(register, organisation_id=communes["nord"], name="Périscolaire")
        with pytest.raises(RecordNotFound):
            services.create_activity(register, organisation_id=communes["sud"], name="Intrus")
    with open_team_register(communes["url"], read_only=True) as owner:
        assert services.verify_audit(owner).intact
        assert {a.name for a in services.list_activities(owner, communes["sud"])} == {
            "Aide sociale du Sud"
        }
        entries = services.audit_entries(owner)
        assert any(e["actor"] == secretary for e in entries)


def test_an_assistant_sees_the_communes_assigned_and_the_dpo_all(
    communes: dict[str, str], pg_server: Server
) -> None:
    assistant = _person(pg_server, communes, "assistant", "nord", "sud")
    dpo = _person(pg_server, communes, "dpo")
    lonely = _person(pg_server, communes, "assistant")
    for person, expected in ((assistant, 2), (dpo, 2), (lonely, 0)):
        with open_team_register(_url_as(communes, person), read_only=True) as register:
            assert len(services.list_activities(register)) == expected, person


def test_an_auditor_reads_but_cannot_change(communes: dict[str, str], pg_server: Server) -> None:
    auditor = _person(pg_server, communes, "auditor", "sud")
    with open_team_register(_url_as(communes, auditor)) as register:
        (activity,) = services.list_activities(register)
        assert activity.name == "Aide sociale du Sud"
        with pytest.raises(ServerRefused):
            services.update_activity(register, activity.id, name="Modifié")
    with pytest.raises(PsqlError, match="permission denied"):
        pg_server.sql("UPDATE activity SET name = 'x'", communes["database"], user=auditor)


def test_info_tells_a_secretary_the_chain_is_verified_by_a_dpo(
    communes: dict[str, str], pg_server: Server
) -> None:
    secretary = _person(pg_server, communes, "secretary", "sud")
    out, err = io.StringIO(), io.StringIO()
    assert run(["info", _url_as(communes, secretary)], out=out, err=err) == 0, err.getvalue()
    assert "Commune du Sud" in out.getvalue()
    assert "Commune du Nord" not in out.getvalue()
    assert "se vérifie avec un rôle DPO" in out.getvalue()


def test_a_backup_restores_the_assignments_with_the_records(
    communes: dict[str, str], pg_server: Server, tmp_path: object
) -> None:
    from pathlib import Path

    secretary = _person(pg_server, communes, "secretary", "nord")
    backup = Path(str(tmp_path)) / "team.json"
    out, err = io.StringIO(), io.StringIO()
    assert run(["backup", communes["url"], "--output", str(backup)], out=out, err=err) == 0
    target = pg_server.create_database("roles_restored", owner="registre_owner")
    assert run(["restore", target, "--from", str(backup)], out=out, err=err) == 0, err.getvalue()
    assert pg_server.sql("SELECT name FROM activity", "roles_restored", user=secretary) == (
        "Cantine du Nord"
    )
