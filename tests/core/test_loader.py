"""The one reader of a register's content: plain records equal to what the services store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from registre import services
from registre.demo import create_demo_register
from registre.errors import RecordNotFound
from registre.loader import read_register
from registre.schema import ACTIVITY, ORGANISATION, PROCESSOR, SOFTWARE, Kind
from registre.storage import Context, Register


@pytest.fixture
def demo(tmp_path: Path, context: Context) -> Register:
    register, _ = create_demo_register(tmp_path / "Demo.registre", context=context)
    return register


def _without_references(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A copy without the reference lists (rows copied too)."""
    return {
        k: [dict(row) for row in v] if isinstance(v, list) and v and isinstance(v[0], dict) else v
        for k, v in record.items()
        if k not in keys
    }


def test_every_record_equals_what_the_services_read(demo: Register) -> None:
    with demo:
        organisations = read_register(demo)
        assert [o["name"] for o in organisations] == sorted(o["name"] for o in organisations)
        references = tuple(f.key for f in ACTIVITY.fields if f.kind == Kind.REFERENCES)
        for org in organisations:
            stored = services.record_of(demo, ORGANISATION.name, org["id"])
            assert {k: org[k] for k in stored} == stored
            for entity, records in ((PROCESSOR, org["processors"]), (SOFTWARE, org["software"])):
                assert [r["name"] for r in records] == sorted(r["name"] for r in records)
                for record in records:
                    own = {k: v for k, v in record.items() if k != "contracts"}
                    assert own == services.record_of(demo, entity.name, record["id"])
            summaries = services.list_activities(demo, org["id"])
            assert [a["id"] for a in org["activities"]] == [s.id for s in summaries]
            for activity in org["activities"]:
                stored = services.record_of(demo, ACTIVITY.name, activity["id"])
                loaded = _without_references(activity, (*references, "dpia_records", "open_todos"))
                for collection in ACTIVITY.collections:
                    rows = loaded[collection.key]
                    assert all(row.pop("activity_id") == activity["id"] for row in rows)
                assert loaded == _without_references(stored, references)
                # the processors and software used are the records themselves, by name
                for key in references:
                    assert sorted(r["id"] for r in activity[key]) == sorted(stored[key])
                    names = [r["name"] for r in activity[key]]
                    assert names == sorted(names)
                    pool = {r["id"]: r for r in org[key]}
                    assert all(r is pool[r["id"]] for r in activity[key])


def test_values_are_typed_as_the_schema_says(demo: Register) -> None:
    with demo:
        activities = [a for org in read_register(demo) for a in org["activities"]]
    assert any(isinstance(a["next_review_on"], dt.date) for a in activities)
    assert all(isinstance(a["dpia_criteria"], list) for a in activities)
    assert {a["has_transfers"] for a in activities} <= {True, False, None}


def test_one_organisation_only_and_an_unknown_one_refused(demo: Register) -> None:
    with demo:
        everything = read_register(demo)
        first = everything[-1]
        [alone] = read_register(demo, first["id"])
        assert alone == first
        with pytest.raises(RecordNotFound):
            read_register(demo, "no-such-organisation")


def test_reading_writes_nothing(demo: Register) -> None:
    with demo:
        before = services.audit_entries(demo)
        read_register(demo)
        assert services.audit_entries(demo) == before
