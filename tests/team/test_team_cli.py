"""The team register from the command line: the same commands, a ``postgresql://`` URL."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from registre.cli import run
from registre.demo import create_demo_register
from registre.interchange import export_register
from tests.conftest import PASSPHRASE
from tests.team.pgserver import PsqlError, Server, database_of

TEAM_PASSPHRASE = "la phrase du service mutualisé protège la clé"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_json(tmp_path: Path) -> Path:
    """The demo register (two organisations, forty activities) exported as JSON."""
    register, _key = create_demo_register(tmp_path / "demo.registre", PASSPHRASE)
    with register:
        return export_register(register, tmp_path / "demo.json", "json")


@pytest.fixture
def team(team_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An initialised team register (its passphrase in the environment)."""
    monkeypatch.setenv("REGISTRE_PASSPHRASE", TEAM_PASSPHRASE)
    code, out, err = cli("server", "init", team_url, "--name", "Service DPO mutualisé")
    assert code == 0, err
    assert out.startswith("SHA-256 ")
    return team_url


def _info(url: str) -> dict[str, object]:
    code, out, err = cli("info", url, "--json")
    assert code == 0, err
    document: dict[str, object] = json.loads(out)
    return document


def _organisation(url: str, name_part: str) -> str:
    organisations = _info(url)["organisations"]
    assert isinstance(organisations, list)
    return next(o["id"] for o in organisations if name_part in o["name"])


def test_same_commands_work_on_a_url(team: str, demo_json: Path, tmp_path: Path) -> None:
    code, _out, err = cli("import", team, str(demo_json))
    assert code == 0, err
    info = _info(team)
    assert info["name"] == "Service DPO mutualisé"
    assert info["role"] == "registre_owner"
    assert info["counts"]["activities"] == 40  # type: ignore[index]
    assert info["integrity"]["audit_chain"] == "ok"  # type: ignore[index]
    commune = _organisation(team, "Commune")

    code, out, _err = cli("check", team, "--organisation", commune, "--json")
    assert code in (0, 1)
    assert json.loads(out)["organisations"]

    code, _out, err = cli("new", team, "--template", "etat-civil", "--organisation", commune)
    assert code == 0, err
    assert _info(team)["counts"]["activities"] == 41  # type: ignore[index]

    for fmt in ("json", "csv"):
        target = tmp_path / f"team.{fmt}"
        code, _out, err = cli("export", team, "--format", fmt, "--output", str(target),
                              "--organisation", commune)
        assert code == 0, err
        assert "Tenue des registres de l'état civil" in target.read_text(encoding="utf-8")

    pdf = tmp_path / "team.pdf"
    code, out, err = cli("export", team, "--format", "pdf", "--output", str(pdf),
                         "--organisation", commune)
    assert code == 0, err
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Commune de Saint-Exemple-sur-Loire" in text
    fingerprint = info["signing_certificate"]["fingerprint"]  # type: ignore[index]
    code, out, _err = cli("verify", str(pdf), "--expect-fingerprint", str(fingerprint))
    assert code == 0, out
    # The signing key is kept encrypted on the server: the database never holds it in clear.
    code, out, _err = cli("export", team, "--format", "pdf", "--output", str(pdf))
    entries = _info(team)["integrity"]["audit_entries"]  # type: ignore[index]
    assert isinstance(entries, int) and entries > 100


def test_the_signing_key_is_stored_encrypted_and_needs_the_passphrase(
    team: str, pg_server: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database = database_of(team)
    stored = pg_server.sql("SELECT value FROM meta WHERE key = 'signing_key_pem'", database)
    assert "BEGIN ENCRYPTED PRIVATE KEY" in stored
    monkeypatch.setenv("REGISTRE_PASSPHRASE", "pas la bonne phrase de passe du tout")
    code, _out, err = cli("export", team, "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
    assert code == 3
    assert "Phrase de passe incorrecte" in err
    assert not (tmp_path / "x.pdf").exists()


def test_looking_never_writes(team: str, demo_json: Path, tmp_path: Path) -> None:
    cli("import", team, str(demo_json))
    before = _info(team)["integrity"]
    for argv in (
        ("info", team),
        ("check", team),
        ("export", team, "--format", "json", "--output", str(tmp_path / "a.json")),
        ("import", team, str(demo_json), "--dry-run"),
    ):
        cli(*argv)
    assert _info(team)["integrity"] == before


def test_init_refuses_a_database_that_is_not_empty(team: str) -> None:
    code, _out, err = cli("server", "init", team, "--name", "Autre")
    assert code == 2
    assert "n'est pas vide" in err


def test_commands_that_need_a_folder_say_so(team: str) -> None:
    for command in ("passwd", "recover", "init"):
        argv = [command, team] + (["--organisation", "X"] if command == "init" else [])
        code, _out, err = cli(*argv)
        assert code == 2, command
        assert "registre d'équipe" in err


def test_a_database_without_register_is_named(team_url: str) -> None:
    code, _out, err = cli("info", team_url)
    assert code == 2
    assert "ne contient pas de registre d'équipe" in err
    assert "registre server init" in err


def test_a_password_in_the_url_is_refused(pg_server: Server) -> None:
    url = f"postgresql://registre_owner:owner-secret@127.0.0.1:{pg_server.port}/postgres"
    code, out, err = cli("info", url)
    assert code == 2
    assert "ne doit pas contenir de mot de passe" in err
    assert "owner-secret" not in out + err


def test_the_password_comes_from_libpq_places(
    team: str, pg_server: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database = database_of(team)
    url = pg_server.tcp_url(database, "registre_owner")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "absent"))
    code, _out, err = cli("info", url)  # no password anywhere, no terminal to ask
    assert code == 3
    assert "refuse la connexion" in err

    monkeypatch.setenv("PGPASSWORD", "wrong")
    code, _out, err = cli("info", url)
    assert code == 3
    assert "wrong" not in err

    monkeypatch.setenv("PGPASSWORD", "owner-secret")
    assert cli("info", url)[0] == 0

    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:{database}:registre_owner:owner-secret\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    code, out, err = cli("info", url)
    assert code == 0, err
    assert "owner-secret" not in out + err


def test_sslmode_is_honoured(team: str, pg_server: Server) -> None:
    database = database_of(team)
    url = pg_server.tcp_url(database, "registre_owner") + "?sslmode=require"
    code, _out, err = cli("info", url)
    assert code == 7  # this test server has no TLS: libpq refuses to go on in clear
    assert "SSL" in err


def test_backup_is_verified_and_restores_into_an_empty_database(
    team: str, demo_json: Path, pg_server: Server, tmp_path: Path
) -> None:
    cli("import", team, str(demo_json))
    backup = tmp_path / "team-backup.json"
    code, _out, err = cli("backup", team, "--output", str(backup))
    assert code == 0, err
    assert "Sauvegarde vérifiée" in err
    assert backup.stat().st_mode & 0o077 == 0

    target = pg_server.create_database("restored", owner="registre_owner")
    code, _out, err = cli("restore", target, "--from", str(backup))
    assert code == 0, err
    original, restored = _info(team), _info(target)
    assert restored["register_id"] == original["register_id"]
    restored_counts = dict(restored["counts"])  # type: ignore[call-overload]
    original_counts = dict(original["counts"])  # type: ignore[call-overload]
    assert restored_counts.pop("audit_entries") == original_counts.pop("audit_entries") + 1
    assert restored_counts == original_counts
    assert restored["name"] == original["name"]
    assert restored["integrity"]["audit_chain"] == "ok"  # type: ignore[index]
    assert (restored["integrity"]["audit_entries"]  # type: ignore[index]
            == original["integrity"]["audit_entries"] + 1)  # type: ignore[index]

    altered = tmp_path / "altered.json"
    altered.write_text(backup.read_text(encoding="utf-8").replace("Saint-Exemple", "Saint-Autre"))
    code, _out, err = cli("restore", team, "--from", str(altered))
    assert code == 6
    assert _info(team)["counts"] == original["counts"]


def test_restore_refuses_another_registers_database(
    team: str, pg_server: Server, tmp_path: Path
) -> None:
    backup = tmp_path / "b.json"
    assert cli("backup", team, "--output", str(backup))[0] == 0
    other = pg_server.create_database("other_service", owner="registre_owner")
    assert cli("server", "init", other, "--name", "Autre service")[0] == 0
    code, _out, _err = cli("restore", other, "--from", str(backup))
    assert code == 2
    assert _info(other)["name"] == "Autre service"


def test_audit_actor_is_the_connected_role(team: str, pg_server: Server) -> None:
    database = database_of(team)
    assert cli("server", "roles", team)[0] == 0
    pg_server.sql('CREATE ROLE "dpo.actor" LOGIN IN ROLE registre_dpo')
    with pytest.raises(PsqlError, match="not the connected role"):
        pg_server.sql(
            "INSERT INTO audit_entry (seq, at, actor, action, entity, entity_id, changes, "
            "prev_hash, hash) VALUES (99, now(), 'quelqu''un', 'created', 'x', 'x', '{}', "
            "'0', '0')",
            database,
            user="dpo.actor",
        )
