"""Several people writing to one team register at once, in separate processes."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest

from registre import services
from registre.concurrency import EditConflict, save_edit, start_edit
from registre.model import Activity, AuditEntry
from registre.team.register import create_team_register, open_team_register

WRITERS = 4
CREATIONS = 10


def _create_activities(url: str, organisation_id: str, writer: int, start: Any) -> int:
    start.wait()
    with open_team_register(url) as register:
        for number in range(CREATIONS):
            services.create_activity(
                register, organisation_id=organisation_id, name=f"Traitement {writer}-{number}"
            )
    return writer


def _edit(url: str, activity_id: str, values: dict[str, Any], ready: Any) -> str:
    with open_team_register(url) as register:
        edition = start_edit(register, "activity", activity_id)
        ready.wait()  # both editors have read the record before either saves
        try:
            save_edit(register, edition, **values)
        except EditConflict as conflict:
            (found,) = conflict.conflicts
            return (
                f"conflict {found.field} base={found.base} theirs={found.theirs} "
                f"yours={found.yours}"
            )
    return "saved"


@pytest.fixture
def team_register(team_url: str) -> tuple[str, str, str]:
    """A team register with one organisation and one activity: (url, org id, activity id)."""
    with create_team_register(team_url, name="Service DPO") as register:
        organisation = services.create_organisation(register, name="Commune de Brocéliande")
        activity = services.create_activity(
            register, organisation_id=organisation.id, name="État civil", service="Mairie"
        )
    return team_url, organisation.id, activity.id


def _pool(processes: int) -> Any:
    return multiprocessing.get_context("spawn").Pool(processes)


def _two_editors(url: str, activity_id: str, *changes: dict[str, Any]) -> list[str]:
    """Two processes read the activity, then both save their change at once."""
    ready = multiprocessing.get_context("spawn").Manager().Barrier(2)
    with _pool(2) as pool:
        return pool.starmap(_edit, [(url, activity_id, change, ready) for change in changes])


def test_four_writers_creating_at_once_lose_nothing_and_keep_one_chain(
    team_register: tuple[str, str, str],
) -> None:
    url, organisation_id, _activity = team_register
    manager = multiprocessing.get_context("spawn").Manager()
    start = manager.Barrier(WRITERS)
    with _pool(WRITERS) as pool:
        done = pool.starmap(
            _create_activities, [(url, organisation_id, w, start) for w in range(WRITERS)]
        )
    assert sorted(done) == list(range(WRITERS))
    with open_team_register(url, read_only=True) as register:
        names = {a.name for a in services.list_activities(register, organisation_id)}
        assert {f"Traitement {w}-{n}" for w in range(WRITERS) for n in range(CREATIONS)} <= names
        assert len(names) == WRITERS * CREATIONS + 1
        report = services.verify_audit(register)
        assert report.intact
        with register.read() as session:
            created = session.query(AuditEntry).filter_by(action="created", entity="activity")
            assert created.count() == WRITERS * CREATIONS + 1
            assert {entry.actor for entry in created} == {"registre_owner"}


def test_two_people_changing_the_same_field_get_one_conflict_and_nothing_is_lost(
    team_register: tuple[str, str, str],
) -> None:
    url, _organisation, activity_id = team_register
    results = _two_editors(url, activity_id, {"service": "Service population"},
                           {"service": "Accueil"})
    assert sorted(r.split(" ")[0] for r in results) == ["conflict", "saved"]
    conflict = next(r for r in results if r.startswith("conflict"))
    with open_team_register(url, read_only=True) as register, register.read() as session:
        stored = session.get(Activity, activity_id)
        assert stored is not None
        # The saved value stays, and the conflict showed it beside the refused one.
        assert f"theirs={stored.service}" in conflict
        assert "base=Mairie" in conflict
        assert stored.row_version == 2
        updates = session.query(AuditEntry).filter_by(action="updated", entity_id=activity_id)
        assert updates.count() == 1


def test_two_people_changing_different_fields_both_keep_their_change(
    team_register: tuple[str, str, str],
) -> None:
    url, _organisation, activity_id = team_register
    results = _two_editors(url, activity_id, {"service": "Service population"},
                           {"description": "Actes de naissance et de décès"})
    assert results == ["saved", "saved"]
    with open_team_register(url, read_only=True) as register, register.read() as session:
        stored = session.get(Activity, activity_id)
        assert stored is not None
        assert stored.service == "Service population"
        assert stored.description == "Actes de naissance et de décès"
        assert stored.row_version == 3


def test_the_same_rules_hold_on_a_local_register(register: Any) -> None:
    organisation = services.create_organisation(register, name="Commune")
    activity = services.create_activity(
        register, organisation_id=organisation.id, name="Cantine", service="Mairie"
    )
    mine = start_edit(register, "activity", activity.id)
    other = start_edit(register, "activity", activity.id)
    save_edit(register, other, service="Restauration scolaire", description="Menus")
    with pytest.raises(EditConflict) as raised:
        save_edit(register, mine, service="Périscolaire", name="Cantine scolaire")
    (found,) = raised.value.conflicts
    assert (found.base, found.theirs, found.yours) == ("Mairie", "Restauration scolaire",
                                                       "Périscolaire")
    assert "Restauration scolaire" not in raised.value.message("fr")  # values go to the dialog
    assert services.record_of(register, "activity", activity.id)["name"] == "Cantine"
    save_edit(register, mine, name="Cantine scolaire")  # a field nobody else touched: merged
    record = services.record_of(register, "activity", activity.id)
    assert (record["name"], record["service"]) == ("Cantine scolaire", "Restauration scolaire")
