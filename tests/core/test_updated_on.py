"""« Dernière mise à jour »: every change of an activity stamps the day it was made, nothing else.

The date is what a DPO reads to know whether a record is current; it must move with each real
change of the activity or of its rows, and stay when nothing changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from registre import services
from registre.context import Context
from registre.storage import Register, create_register
from tests.conftest import PASSPHRASE, TEST_POLICY

FIRST_DAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Calendar:
    """A clock the test moves forward by whole days."""

    def __init__(self) -> None:
        self.now = FIRST_DAY

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, days: int) -> dt.date:
        self.now += dt.timedelta(days=days)
        return self.now.date()


@pytest.fixture
def calendar() -> Calendar:
    return Calendar()


@pytest.fixture
def dated(tmp_path: Path, calendar: Calendar):
    register, _recovery = create_register(
        tmp_path / "Dates.registre",
        PASSPHRASE,
        context=Context(clock=calendar, actor="dpo", policy=TEST_POLICY),
    )
    yield register
    register.close()


def _stored(register: Register, activity_id: str) -> dt.date | None:
    return services.record_of(register, "activity", activity_id)["updated_on"]


def test_an_edit_stamps_the_day_it_is_made(dated: Register, calendar: Calendar) -> None:
    organisation = services.create_organisation(dated, name="Commune de Datte").id
    activity = services.create_activity(dated, organisation_id=organisation, name="Cantine").id
    created = _stored(dated, activity)
    assert created == FIRST_DAY.date()

    later = calendar.advance(9)
    change = services.update_activity(dated, activity, service="Scolaire")
    assert _stored(dated, activity) == later
    assert change.updated_on == (created, later)  # what an undo puts back
    listed = services.list_activities(dated, organisation)[0]
    assert listed.updated_on == later  # the list's « Mis à jour » column


def test_an_edit_of_nothing_leaves_the_date(dated: Register, calendar: Calendar) -> None:
    organisation = services.create_organisation(dated, name="Commune de Datte").id
    activity = services.create_activity(
        dated, organisation_id=organisation, name="Cantine", service="Scolaire"
    ).id
    calendar.advance(3)
    change = services.update_activity(dated, activity, service="Scolaire")
    assert change.fields == {}
    assert change.updated_on is None
    assert _stored(dated, activity) == FIRST_DAY.date()


def test_a_row_change_stamps_the_activity(dated: Register, calendar: Calendar) -> None:
    organisation = services.create_organisation(dated, name="Commune de Datte").id
    activity = services.create_activity(dated, organisation_id=organisation, name="Cantine").id
    added_on = calendar.advance(1)
    row = services.add_row(
        dated, activity_id=activity, collection="purposes", description="Repas"
    ).id
    assert _stored(dated, activity) == added_on
    edited_on = calendar.advance(1)
    services.update_row(dated, collection="purposes", row_id=row, description="Repas et goûters")
    assert _stored(dated, activity) == edited_on
    deleted_on = calendar.advance(1)
    services.delete_row(dated, collection="purposes", row_id=row)
    assert _stored(dated, activity) == deleted_on


def test_a_date_given_by_the_user_is_kept(dated: Register, calendar: Calendar) -> None:
    organisation = services.create_organisation(dated, name="Commune de Datte").id
    activity = services.create_activity(dated, organisation_id=organisation, name="Cantine").id
    calendar.advance(30)
    services.update_activity(dated, activity, name="Restauration", updated_on="2026-03-10")
    assert _stored(dated, activity) == dt.date(2026, 3, 10)
