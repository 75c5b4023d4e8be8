"""Offline visits: organisations taken out of a team register into a local encrypted register,
changed without a network, and brought back field by field."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from registre import services
from registre.audit import replay_differences, verify_chain
from registre.cli import run
from registre.context import Context
from registre.errors import EXIT_LOCKED, EXIT_OK, EXIT_USAGE, WrongPassphrase
from registre.model import AuditEntry
from registre.storage import Register, open_register
from registre.team.register import TeamRegister, create_team_register, open_team_register
from registre.team.visit import (
    AlreadyBroughtBack,
    VisitConflicts,
    bring_back,
    read_visit,
    take_out,
)
from tests.conftest import PASSPHRASE


@dataclass
class Office:
    """The team register (the office), and the ids of what it holds."""

    team: TeamRegister
    url: str
    nord: str
    sud: str
    cantine: str
    purpose: str
    hebergeur: str


@pytest.fixture
def office(team_url: str) -> Iterator[Office]:
    with create_team_register(team_url, name="Service DPO") as register:
        nord = services.create_organisation(register, name="Commune du Nord").id
        sud = services.create_organisation(register, name="Commune du Sud").id
        hebergeur = services.create_processor(register, organisation_id=nord, name="Hébergeur").id
        cantine = services.create_activity(
            register, organisation_id=nord, name="Cantine", service="Mairie",
            description="Inscriptions", purposes=[{"description": "Facturer les repas"}],
        ).id
        services.create_activity(register, organisation_id=sud, name="Aide sociale")
        purpose = services.record_of(register, "activity", cantine)["purposes"][0]["id"]
    team = open_team_register(team_url)
    yield Office(team, team_url, nord, sud, cantine, purpose, hebergeur)
    team.close()


def _take(office: Office, folder: Path) -> Register:
    local, _key = take_out(
        office.team, ["Commune du Nord"], folder, PASSPHRASE, context=Context(actor="visit-actor")
    )
    return local


@dataclass(frozen=True)
class Entry:
    actor: str
    entity: str
    changes: dict[str, Any]


def _trail(register: Register) -> list[Entry]:
    with register.read() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        return [Entry(e.actor, e.entity, dict(e.changes or {})) for e in entries]


def _chain_intact(register: Register) -> None:
    with register.read() as session:
        assert verify_chain(session).intact
        assert replay_differences(session) == []


def test_taking_out_copies_the_organisation_with_its_identifiers(
    office: Office, tmp_path: Path
) -> None:
    with _take(office, tmp_path / "Visite.registre") as local:
        names = {o.name for o in services.register_info(local).organisations}
        assert names == {"Commune du Nord"}  # only what was asked
        record = services.record_of(local, "activity", office.cantine)  # same identifier
        assert record["description"] == "Inscriptions"
        assert record["purposes"][0]["description"] == "Facturer les repas"
        visit = read_visit(local)
        assert visit.register_id == office.team.register_id
        assert visit.organisations == (office.nord,)
        _chain_intact(local)
    with pytest.raises(WrongPassphrase):
        open_register(tmp_path / "Visite.registre", "pas la bonne phrase de passe du tout")


def test_changes_on_different_fields_merge_and_the_trail_is_carried_over(
    office: Office, tmp_path: Path
) -> None:
    local = _take(office, tmp_path / "Visite.registre")
    services.update_activity(local, office.cantine, service="Restauration scolaire")
    services.update_row(local, collection="purposes", row_id=office.purpose,
                        description="Facturer les repas et les goûters")
    created = services.create_activity(local, organisation_id=office.nord, name="État civil").id
    services.delete_processor(local, office.hebergeur)
    services.update_activity(office.team, office.cantine, description="Inscriptions en ligne")
    before = len(_trail(office.team))

    summary = bring_back(local, office.team)

    stored = services.record_of(office.team, "activity", office.cantine)
    assert stored["service"] == "Restauration scolaire"  # from the visit
    assert stored["description"] == "Inscriptions en ligne"  # from the office, kept
    assert stored["purposes"][0]["description"] == "Facturer les repas et les goûters"
    assert services.record_of(office.team, "activity", created)["name"] == "État civil"
    assert services.list_records(office.team, "processor", office.nord) == []  # deleted
    assert summary.conflicts_kept == ()
    trail = _trail(office.team)[before:]
    carried = [e for e in trail if e.entity == "offline_visit"]
    assert len(carried) == summary.carried == 4  # every change of the visit, with its origin
    assert {e.changes["origin"]["actor"] for e in carried} == {"visit-actor"}
    assert carried[0].changes["entity"] == "activity"
    assert carried[0].changes["changes"] == {"service": ["Mairie", "Restauration scolaire"]}
    assert {e.actor for e in trail} == {"registre_owner"}  # the server's role writes
    _chain_intact(office.team)
    with pytest.raises(AlreadyBroughtBack):
        bring_back(local, office.team)
    local.close()


def test_a_field_changed_on_both_sides_is_a_conflict_and_nothing_is_written(
    office: Office, tmp_path: Path
) -> None:
    local = _take(office, tmp_path / "Visite.registre")
    services.update_activity(local, office.cantine, service="Périscolaire", name="Cantine bio")
    services.update_activity(office.team, office.cantine, service="Restauration scolaire")
    before = _trail(office.team)
    with pytest.raises(VisitConflicts) as raised:
        bring_back(local, office.team)
    (conflict,) = raised.value.conflicts
    assert (conflict.field, conflict.base, conflict.server, conflict.local) == (
        "service", "Mairie", "Restauration scolaire", "Périscolaire"
    )
    assert "Restauration scolaire" in conflict.line("fr") and "Périscolaire" in conflict.line("fr")
    assert len(_trail(office.team)) == len(before)  # not even the other field
    assert services.record_of(office.team, "activity", office.cantine)["name"] == "Cantine"

    bring_back(local, office.team, keep="server")  # chosen knowingly
    stored = services.record_of(office.team, "activity", office.cantine)
    assert (stored["service"], stored["name"]) == ("Restauration scolaire", "Cantine bio")
    local.close()


def test_keeping_the_local_value_overwrites_knowingly(office: Office, tmp_path: Path) -> None:
    local = _take(office, tmp_path / "Visite.registre")
    services.update_activity(local, office.cantine, service="Périscolaire")
    services.update_activity(office.team, office.cantine, service="Restauration scolaire")
    summary = bring_back(local, office.team, keep="local")
    assert services.record_of(office.team, "activity", office.cantine)["service"] == "Périscolaire"
    assert [c.field for c in summary.conflicts_kept] == ["service"]
    _chain_intact(office.team)
    local.close()


def test_deleted_here_but_changed_at_the_office_is_a_conflict(
    office: Office, tmp_path: Path
) -> None:
    local = _take(office, tmp_path / "Visite.registre")
    services.delete_activity(local, office.cantine)
    services.update_activity(office.team, office.cantine, service="Restauration scolaire")
    with pytest.raises(VisitConflicts) as raised:
        bring_back(local, office.team)
    (conflict,) = raised.value.conflicts
    assert conflict.field is None and "supprimé ici" in conflict.line("fr")
    assert services.record_of(office.team, "activity", office.cantine)["name"] == "Cantine"
    local.close()


def test_a_row_changed_here_brings_back_its_activity_deleted_at_the_office_if_asked(
    office: Office, tmp_path: Path
) -> None:
    local = _take(office, tmp_path / "Visite.registre")
    services.update_row(local, collection="purposes", row_id=office.purpose,
                        description="Facturer les goûters")
    services.delete_activity(office.team, office.cantine)
    with pytest.raises(VisitConflicts) as raised:
        bring_back(local, office.team)
    (conflict,) = raised.value.conflicts
    assert "modifié ici, supprimé sur le serveur" in conflict.line("fr")
    bring_back(local, office.team, keep="local")
    (purpose,) = services.record_of(office.team, "activity", office.cantine)["purposes"]
    assert purpose["description"] == "Facturer les goûters"
    _chain_intact(office.team)
    local.close()


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_takes_out_and_brings_back(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "Visite-Nord.registre"
    code, out, err = cli(
        "server", "checkout", office.url, "--organisation", office.nord, "--output", str(folder)
    )
    assert code == EXIT_OK, err
    assert "Commune du Nord" in err and str(folder) in err
    assert out.strip()  # the recovery key, shown once
    code, _out, err = cli(
        "server", "checkout", office.url, "--organisation", "Commune inconnue",
        "--output", str(tmp_path / "Autre.registre"),
    )
    assert code != EXIT_OK and "Commune inconnue" in err
    assert not (tmp_path / "Autre.registre").exists()

    with open_register(folder, PASSPHRASE) as local:
        services.update_activity(local, office.cantine, service="Périscolaire")
    services.update_activity(office.team, office.cantine, service="Restauration scolaire")
    code, out, err = cli("server", "checkin", office.url, "--from", str(folder))
    assert code == EXIT_LOCKED
    assert "Restauration scolaire" in out and "Périscolaire" in out  # the list, on stdout
    assert "rien n'a été rapporté" in err
    code, out, err = cli("--lang", "en", "server", "checkin", office.url, "--from", str(folder))
    assert code == EXIT_LOCKED and "nothing was brought back" in err
    code, out, err = cli(
        "server", "checkin", office.url, "--from", str(folder), "--keep", "local"
    )
    assert code == EXIT_OK, err
    assert services.record_of(office.team, "activity", office.cantine)["service"] == "Périscolaire"
    code, _out, err = cli("server", "checkin", office.url, "--from", str(folder))
    assert code == EXIT_USAGE and "déjà été rapporté" in err
