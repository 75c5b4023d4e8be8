"""The shared DPO's workspace on a team register (PostgreSQL): same commands, same answers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from registre.cli import run
from registre.demo import create_demo_register
from registre.interchange import export_register
from registre.migrations import SCHEMA_VERSION, VERSIONED_TABLES
from tests.conftest import PASSPHRASE
from tests.team.pgserver import Server

TEAM_PASSPHRASE = "la phrase du service mutualisé protège la clé"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def team(team_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A team register holding the demo's two organisations."""
    register, _key = create_demo_register(tmp_path / "demo.registre", PASSPHRASE)
    with register:
        demo_json = export_register(register, tmp_path / "demo.json", "json")
    monkeypatch.setenv("REGISTRE_PASSPHRASE", TEAM_PASSPHRASE)
    code, _out, err = cli("server", "init", team_url, "--name", "Service DPO mutualisé")
    assert code == 0, err
    code, _out, err = cli("import", team_url, str(demo_json))
    assert code == 0, err
    return team_url


def test_overview_batch_export_changes_and_duplication_on_a_team_register(
    team: str, tmp_path: Path
) -> None:
    code, out, err = cli("overview", team, "--json")
    assert code == 0, err
    lines = json.loads(out)["organisations"]
    assert [line["activities"] for line in lines] == [5, 35]
    assert all(line["last_export"] is None for line in lines)

    code, out, err = cli(
        "export", team, "--format", "pdf", "--all-organisations", "--output", str(tmp_path / "pdf")
    )
    assert code == 0, err
    assert len(list((tmp_path / "pdf").glob("*.pdf"))) == 2
    code, out, _err = cli("changes", team, "--since-last-export", "--json")
    assert code == 0
    assert all(not org["activities"] for org in json.loads(out)["organisations"])

    code, out, err = cli(
        "duplicate",
        team,
        "--activity",
        "C-001",
        "--organisation",
        "CCAS de Saint-Exemple-sur-Loire",
        "--to",
        "Commune de Saint-Exemple-sur-Loire",
        "--json",
    )
    assert code == 0, err
    [copy] = json.loads(out)["copies"]
    code, out, _err = cli("changes", team, "--since-last-export", "--json")
    commune = json.loads(out)["organisations"][1]
    assert [(a["change"], a["reference"]) for a in commune["activities"]] == [
        ("added", copy["reference"])
    ]


def test_a_team_register_of_schema_6_is_upgraded(team: str, pg_server: Server) -> None:
    database = team.split("/")[3].split("?", maxsplit=1)[0]
    pg_server.sql(
        "DROP TABLE publication; DROP INDEX ix_audit_entry_action; "
        "ALTER TABLE organisation DROP COLUMN next_review_on; "
        + "".join(f"ALTER TABLE {t} DROP COLUMN row_version; " for t in VERSIONED_TABLES)
        + "ALTER TABLE activity DROP COLUMN referent; "  # and what schema 9 adds
        + "UPDATE meta SET value = '6' WHERE key = 'schema_version'",
        database,
    )
    code, _out, err = cli("overview", team)
    assert code == 0, err  # upgraded first (one transaction), as a local register is
    assert "Mise à jour du registre d'équipe vers le schéma" in err
    code, _out, err = cli(
        "bulk-edit",
        team,
        "--organisation",
        "CCAS de Saint-Exemple-sur-Loire",
        "--field",
        "dpia_status",
        "--value",
        "not_needed",
    )
    assert code == 0, err
    code, out, err = cli("overview", team, "--json")
    assert code == 0, err
    assert len(json.loads(out)["organisations"]) == 2
    assert pg_server.sql("SELECT value FROM meta WHERE key = 'schema_version'", database) == str(
        SCHEMA_VERSION
    )
    assert pg_server.sql("SELECT count(*) FROM publication", database) == "0"
