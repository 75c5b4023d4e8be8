"""Points to see with the DPO: created with their activity, closed by the DPO, migrated."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from registre import services, todos
from registre.errors import InvalidValue, RecordNotFound
from registre.health import register_health
from registre.interchange import InvalidImportFile, apply_import, export_register, plan_import
from registre.interchange.json_format import export_document
from registre.migrations import TODO_LINE_PREFIX, VERSIONED_TABLES, split_todo_lines
from registre.storage import Context, Register, create_register, open_register
from registre.undo import UndoStack
from tests.conftest import PASSPHRASE

TRANSFERS = "Les données sortent-elles de l'Union européenne ?"
SECURITY = "Comment les données sont-elles protégées ?"


@pytest.fixture
def org_id(register: Register) -> str:
    return services.create_organisation(register, name="Commune de Saint-Test").id


def _declared(register: Register, org_id: str) -> str:
    return services.create_activity(
        register,
        organisation_id=org_id,
        name="Cantine",
        description="Inscriptions et factures.",
        todos=[
            {"question": "transfers", "text": TRANSFERS},
            {"question": "security_measures", "text": SECURITY},
        ],
    ).id


def _stored(register: Register) -> object:
    """What the register holds, as its JSON export shows it (without the export's time)."""
    document = export_document(register)
    document.pop("exported_at")
    return document


def test_todos_are_created_with_their_activity_in_its_one_audit_entry(
    register: Register, org_id: str
) -> None:
    before = len(services.audit_entries(register, limit=1000))
    activity_id = _declared(register, org_id)
    items = todos.list_todos(register, activity_id=activity_id)
    assert [(t.question, t.text, t.state) for t in items] == [
        ("transfers", TRANSFERS, "open"),
        ("security_measures", SECURITY, "open"),
    ]
    assert {t.created_by for t in items} == {"secretaire"}
    assert all(t.created_at is not None and t.closed_at is None for t in items)
    entries = services.audit_entries(register, limit=1000)
    assert len(entries) == before + 1
    assert [row["text"] for row in entries[0]["changes"]["todos"][1]] == [TRANSFERS, SECURITY]
    # the description holds only what the secretary wrote
    record = services.record_of(register, "activity", activity_id)
    assert record["description"] == "Inscriptions et factures."
    assert todos.list_todos(register, organisation_id=org_id, open_only=True) == items


def test_a_todo_without_text_is_refused_and_nothing_is_created(
    register: Register, org_id: str
) -> None:
    with pytest.raises(InvalidValue, match="text is empty"):
        services.create_activity(
            register, organisation_id=org_id, name="Cantine", todos=[{"question": "x"}]
        )
    with pytest.raises(InvalidValue, match="unknown state"):
        services.create_activity(
            register, organisation_id=org_id, name="Cantine", todos=[{"text": "?", "state": "x"}]
        )
    assert services.list_activities(register, org_id) == []


def test_the_dpo_closes_a_todo_in_one_entry_and_one_undo_step(
    register: Register, org_id: str
) -> None:
    activity_id = _declared(register, org_id)
    first = todos.list_todos(register, activity_id=activity_id)[0]
    stored_before = _stored(register)
    entries_before = len(services.audit_entries(register, limit=1000))
    stack = UndoStack(register)
    step = stack.push(todos.close_todo(register, first.id))
    assert step is not None and step.owner_id == activity_id
    assert stack.undo_text() == "Annuler la clôture d'un point à voir avec le DPO"
    closed = todos.list_todos(register, activity_id=activity_id)[0]
    assert (closed.state, closed.closed_by) == ("closed", "secretaire")
    assert closed.closed_at is not None
    entries = services.audit_entries(register, limit=1000)
    assert len(entries) == entries_before + 1
    assert entries[0]["entity"] == "todo" and entries[0]["changes"]["state"] == ["open", "closed"]
    assert [t.id for t in todos.list_todos(register, activity_id=activity_id, open_only=True)] == [
        todos.list_todos(register, activity_id=activity_id)[1].id
    ]
    stack.undo()
    assert todos.list_todos(register, activity_id=activity_id)[0] == first
    assert _stored(register) == stored_before
    stack.redo()
    assert todos.list_todos(register, activity_id=activity_id)[0].state == "closed"
    # closing a closed to-do changes nothing and records nothing
    count = len(services.audit_entries(register, limit=1000))
    assert todos.close_todo(register, first.id).fields.keys() <= {"closed_at"}
    assert len(services.audit_entries(register, limit=1000)) <= count + 1
    with pytest.raises(RecordNotFound):
        todos.close_todo(register, "nope")


def test_undoing_and_redoing_the_creation_keeps_the_todos(register: Register, org_id: str) -> None:
    stack = UndoStack(register)
    change = services.create_activity(
        register, organisation_id=org_id, name="Cantine", todos=[{"text": TRANSFERS}]
    )
    stack.push(change)
    stack.undo()
    assert todos.list_todos(register) == []
    stack.redo()
    assert [t.text for t in todos.list_todos(register, activity_id=change.id)] == [TRANSFERS]
    # deleting the activity takes its to-dos; undoing the deletion brings them back
    stack.push(services.delete_activity(register, change.id))
    assert todos.list_todos(register) == []
    stack.undo()
    assert [t.text for t in todos.list_todos(register, activity_id=change.id)] == [TRANSFERS]
    assert register_health(register, deep=True).problems() == []


# --------------------------------------------------------------------------------------------
# Migration of the to-do lines of earlier releases
# --------------------------------------------------------------------------------------------

DESCRIPTION = (
    "Inscriptions des enfants.\n"
    "Ligne avec « À voir avec le DPO » au milieu — gardée.\n"
    "\n"
    "  Paragraphe indenté.\n"
    "\n"
    f"{TODO_LINE_PREFIX}{TRANSFERS}\n"
    f"{TODO_LINE_PREFIX}Une question que le DPO verra"
)


def test_split_keeps_every_line_but_the_todo_lines() -> None:
    kept, found = split_todo_lines(DESCRIPTION)
    assert found == [TRANSFERS, "Une question que le DPO verra"]
    assert kept == (
        "Inscriptions des enfants.\n"
        "Ligne avec « À voir avec le DPO » au milieu — gardée.\n"
        "\n"
        "  Paragraphe indenté."
    )
    assert split_todo_lines("Rien à voir.") == ("Rien à voir.", [])
    assert split_todo_lines(None) == (None, [])
    assert split_todo_lines(f"{TODO_LINE_PREFIX}{SECURITY}") == (None, [SECURITY])
    assert split_todo_lines(f"{TODO_LINE_PREFIX}  ") == (f"{TODO_LINE_PREFIX}  ", [])


def _schema_5_register(directory: Path, context: Context) -> tuple[str, str, str]:
    """A register as the previous release left it: to-dos as lines of the description."""
    register, _key = create_register(directory, PASSPHRASE, context=context)
    with register:
        org = services.create_organisation(register, name="Commune d'Avant").id
        with_todos = services.create_activity(
            register, organisation_id=org, name="Cantine", description=DESCRIPTION
        ).id
        plain = services.create_activity(
            register,
            organisation_id=org,
            name="État civil",
            description="Actes de naissance.\nÀ voir avec le DPO, plus tard.",
        ).id
        with register.write() as session:
            session.execute(text("DROP TABLE todo"))
            # and what schema 7 added: the publications, the index of actions, a review date
            session.execute(text("DROP TABLE publication"))
            session.execute(text("DROP INDEX ix_audit_entry_action"))
            session.execute(text("ALTER TABLE organisation DROP COLUMN next_review_on"))
            for table in VERSIONED_TABLES:  # schema 8's record versions did not exist either
                if table != "todo":
                    session.execute(text(f"ALTER TABLE {table} DROP COLUMN row_version"))
            session.execute(text("ALTER TABLE activity DROP COLUMN referent"))  # schema 9
            session.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
    return org, with_todos, plain


def test_migration_moves_the_todo_lines_of_descriptions_into_todos(
    tmp_path: Path, context: Context
) -> None:
    directory = tmp_path / "Avant.registre"
    _org, with_todos, plain = _schema_5_register(directory, context)
    later = dataclasses.replace(context, actor="dpo")
    with open_register(directory, PASSPHRASE, context=later) as register:
        record = services.record_of(register, "activity", with_todos)
        assert record["description"] == split_todo_lines(DESCRIPTION)[0]
        assert record["name"] == "Cantine"
        moved = todos.list_todos(register, activity_id=with_todos)
        assert [(t.question, t.text, t.state) for t in moved] == [
            ("transfers", TRANSFERS, "open"),
            (None, "Une question que le DPO verra", "open"),
        ]
        assert {t.created_by for t in moved} == {"secretaire"}  # who created the activity
        untouched = services.record_of(register, "activity", plain)
        assert untouched["description"] == "Actes de naissance.\nÀ voir avec le DPO, plus tard."
        assert todos.list_todos(register, activity_id=plain) == []
        assert services.verify_audit(register).intact
        assert register_health(register, deep=True).problems() == []
        entries = services.audit_entries(register, limit=3)
        assert entries[0]["action"] == "migrated"
        assert entries[1]["entity_id"] == with_todos
        assert entries[1]["changes"]["description"] == [DESCRIPTION, record["description"]]
        # the DPO can close a migrated to-do
        todos.close_todo(register, moved[0].id)
        assert todos.list_todos(register, activity_id=with_todos)[0].closed_by == "dpo"


# --------------------------------------------------------------------------------------------
# JSON export and import
# --------------------------------------------------------------------------------------------


def _organisations(path: Path) -> object:
    return json.loads(path.read_bytes())["organisations"]


def test_todos_travel_in_the_json_export_and_back(
    register: Register, org_id: str, tmp_path: Path, context: Context
) -> None:
    activity_id = _declared(register, org_id)
    first = todos.list_todos(register, activity_id=activity_id)[0]
    todos.close_todo(register, first.id)
    exported = export_register(register, tmp_path / "export.json", "json")
    (activity,) = _organisations(exported)[0]["activities"]  # type: ignore[index]
    assert [(t["text"], t["state"]) for t in activity["todos"]] == [
        (TRANSFERS, "closed"),
        (SECURITY, "open"),
    ]
    assert activity["todos"][0]["closed_by"] == "secretaire"
    assert activity["todos"][0]["closed_at"].endswith("+00:00")

    target, _key = create_register(tmp_path / "Cible.registre", PASSPHRASE, context=context)
    with target:
        apply_import(target, plan_import(target, exported))
        assert todos.list_todos(target) == todos.list_todos(register)
        again = export_register(target, tmp_path / "again.json", "json")
        assert _organisations(again) == _organisations(exported)
        assert not plan_import(target, exported).has_changes

        # the DPO reopens a to-do in the file: the import changes it, in one entry
        document = json.loads(exported.read_bytes())
        item = document["organisations"][0]["activities"][0]["todos"][0]
        item.update(state="open", closed_by=None, closed_at=None)
        changed = tmp_path / "changed.json"
        changed.write_text(json.dumps(document), encoding="utf-8")
        before = len(services.audit_entries(target, limit=1000))
        plan = plan_import(target, changed)
        assert "Point à voir avec le DPO" in plan.summary("fr")
        apply_import(target, plan)
        assert [t.state for t in todos.list_todos(target)] == ["open", "open"]
        assert len(services.audit_entries(target, limit=1000)) == before + 1


@pytest.mark.parametrize(
    ("todo", "reason"),
    [
        ({"text": "Sans identifiant"}, "identifiant manquant"),
        ({"id": "00000000-0000-4000-8000-000000000001", "text": ""}, "texte du point est vide"),
        ({"id": "00000000-0000-4000-8000-000000000001", "text": "x", "state": "fini"}, "état"),
        ({"id": "00000000-0000-4000-8000-000000000001", "text": "x", "owner": 1}, "owner"),
        ("pas un objet", "objet attendu"),
    ],
)
def test_a_malformed_todo_refuses_the_file_and_imports_nothing(
    register: Register, org_id: str, tmp_path: Path, todo: object, reason: str
) -> None:
    _declared(register, org_id)
    exported = export_register(register, tmp_path / "export.json", "json")
    document = json.loads(exported.read_bytes())
    document["organisations"][0]["activities"][0]["todos"] = [todo]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    before = _organisations(export_register(register, tmp_path / "before.json", "json"))
    with pytest.raises(InvalidImportFile) as caught:
        plan_import(register, bad)
    assert reason in caught.value.message("fr")
    assert _organisations(export_register(register, tmp_path / "after.json", "json")) == before
