"""Upgrading registers written by earlier releases (fixtures under tests/fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from registre import services
from registre.backup import list_backups
from registre.errors import OlderRegister
from registre.storage import SCHEMA_VERSION, integrity_problems, open_register
from tests.conftest import PASSPHRASE

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def version_1(tmp_path: Path) -> Path:
    copy = tmp_path / "Version-Une.registre"
    shutil.copytree(FIXTURES / "schema-v1.registre", copy)
    return copy


def test_schema_1_register_is_upgraded_after_a_backup_and_keeps_its_data(version_1: Path) -> None:
    with open_register(version_1, PASSPHRASE) as register:
        activities = services.list_activities(register)
        assert [a.name for a in activities] == ["Tenue de l'état civil", "Cantine scolaire"]
        record = services.record_of(register, "activity", activities[0].id)
        assert record["data_categories"][0]["retention_value"] == 75
        assert record["template_id"] is None
        assert record["legacy_notes"] is None
        assert record["regime"] is None and record["dpia_exemption"] is None  # schema 5
        assert all(row["legal_basis"] is None for row in record["purposes"])
        services.update_activity(
            register, activities[1].id, template_id="cantine", template_version="2026.1"
        )
        with register.read() as session:
            version = session.execute(
                text("SELECT value FROM meta WHERE key = 'schema_version'")
            ).scalar()
        assert version == str(SCHEMA_VERSION)
        assert integrity_problems(register) == []
        assert services.verify_audit(register).intact
        newest = services.audit_entries(register, limit=2)
        assert newest[1]["action"] == "migrated"
    assert [b.reason for b in list_backups(version_1)].count("migration") == 1


def test_upgrade_is_not_attempted_read_only(version_1: Path) -> None:
    before = (version_1 / "registre.db").read_bytes()
    with pytest.raises(OlderRegister) as caught:
        open_register(version_1, PASSPHRASE, read_only=True)
    assert "en écriture" in caught.value.hint("fr")
    assert (version_1 / "registre.db").read_bytes() == before


def test_command_line_upgrades_an_older_register_on_first_use(
    version_1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from registre.cli import run

    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    out, err = io.StringIO(), io.StringIO()
    assert run(["info", str(version_1)], out=out, err=err) == 0
    assert "Mise à jour du registre" in err.getvalue()
    assert "Commune de Version-Une" in out.getvalue()
    assert [b.reason for b in list_backups(version_1)] == ["migration"]
