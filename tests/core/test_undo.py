"""Undo and redo through the service functions: every kind of change, labels, history rules."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from pathlib import Path

import pytest

from registre import services
from registre.errors import RecordNotFound
from registre.interchange.json_format import dumps, export_document
from registre.services import RecordExists
from registre.storage import Context, Register, create_register
from registre.undo import UndoStack
from tests.conftest import PASSPHRASE


@pytest.fixture
def org_id(register: Register) -> str:
    return services.create_organisation(register, name="Commune de Trébeurden").id


@pytest.fixture
def stack(register: Register) -> UndoStack:
    return UndoStack(register)


def _activity(register: Register, org_id: str, **values: object) -> str:
    return services.create_activity(
        register, organisation_id=org_id, name=str(values.pop("name", "Cantine")), **values
    ).id


def _record(register: Register, activity_id: str) -> dict[str, object]:
    return services.record_of(register, "activity", activity_id)


def _audit_intact(register: Register) -> bool:
    return services.verify_audit(register).intact


def test_undo_and_redo_a_field_change_with_readable_labels(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    activity_id = _activity(register, org_id)
    assert stack.undo_text() == "Annuler" and not stack.can_undo
    change = services.update_activity(register, activity_id, main_purpose="Servir les repas")
    step = stack.push(change)
    assert step is not None and step.owner_id == activity_id
    assert stack.undo_text() == "Annuler la modification de « Finalité principale »"
    assert stack.undo_text("en") == "Undo change to “Main purpose”"

    outcome = stack.undo()
    assert outcome is not None and outcome.change.fields["main_purpose"] == (
        "Servir les repas",
        None,
    )
    assert _record(register, activity_id)["main_purpose"] is None
    assert stack.redo_text() == "Rétablir la modification de « Finalité principale »"
    assert stack.redo_text("en") == "Redo change to “Main purpose”"
    assert not stack.can_undo and stack.can_redo

    stack.redo()
    assert _record(register, activity_id)["main_purpose"] == "Servir les repas"
    assert stack.can_undo and not stack.can_redo
    assert _audit_intact(register)


def test_several_fields_and_typed_values_come_back(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    processor = services.create_processor(register, organisation_id=org_id, name="Hébergis").id
    activity_id = _activity(register, org_id, dpia_criteria=["sensitive_data"])
    stack.push(
        services.update_activity(
            register,
            activity_id,
            has_transfers=False,
            next_review_on=dt.date(2027, 1, 31),
            dpia_criteria=["sensitive_data", "vulnerable_subjects"],
            processors=[processor],
        )
    )
    assert stack.undo_text() == "Annuler la modification de 4 champs"
    stack.undo()
    record = _record(register, activity_id)
    assert record["has_transfers"] is None
    assert record["next_review_on"] is None
    assert record["dpia_criteria"] == ["sensitive_data"]
    assert record["processors"] == []
    stack.redo()
    record = _record(register, activity_id)
    assert record["next_review_on"] == dt.date(2027, 1, 31)
    assert record["processors"] == [processor]


def test_undo_a_creation_then_redo_it_with_the_same_identifier(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    change = services.create_activity(
        register,
        organisation_id=org_id,
        name="Cantine",
        data_categories=[{"category": "identity", "retention_value": 0, "retention_unit": "years"}],
    )
    stack.push(change)
    assert stack.undo_text() == "Annuler la création du traitement « Cantine »"
    assert stack.undo_text("en") == "Undo creation of the processing activity “Cantine”"
    before = _record(register, change.id)

    stack.undo()
    with pytest.raises(RecordNotFound):
        _record(register, change.id)
    assert stack.redo_text() == "Rétablir la création du traitement « Cantine »"

    outcome = stack.redo()
    assert outcome is not None and outcome.change.action == "created"
    assert _record(register, change.id) == before  # same id, same rows, same row ids
    assert _audit_intact(register)


def test_undo_an_activity_deletion_brings_back_rows_and_links(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    processor = services.create_processor(register, organisation_id=org_id, name="Hébergis").id
    activity_id = _activity(
        register,
        org_id,
        name="État civil",
        processors=[processor],
        recipients=[{"recipient_type": "internal_service", "name": "Accueil"}],
        purposes=[{"description": "Actes"}, {"description": "Mentions"}],
    )
    before = _record(register, activity_id)
    stack.push(services.delete_activity(register, activity_id))  # the change is enough
    assert stack.undo_text() == "Annuler la suppression du traitement « État civil »"

    stack.undo()
    assert _record(register, activity_id) == before
    stack.redo()
    with pytest.raises(RecordNotFound):
        _record(register, activity_id)
    stack.undo()
    assert _record(register, activity_id) == before
    assert _audit_intact(register)


def test_undo_a_processor_deletion_restores_its_links(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    processor = services.create_processor(
        register, organisation_id=org_id, name="Hébergis", has_art28_contract=True
    ).id
    software = services.create_software(
        register, organisation_id=org_id, name="Logimairie", processor_id=processor
    ).id
    activity_id = _activity(register, org_id, processors=[processor], software=[software])
    stack.delete("processor", processor)
    assert _record(register, activity_id)["processors"] == []
    assert services.record_of(register, "software", software)["processor_id"] is None
    assert stack.undo_text() == "Annuler la suppression du sous-traitant « Hébergis »"

    stack.undo()
    assert services.record_of(register, "processor", processor)["has_art28_contract"] is True
    assert _record(register, activity_id)["processors"] == [processor]
    assert services.record_of(register, "software", software)["processor_id"] == processor

    stack.redo()
    with pytest.raises(RecordNotFound):
        services.record_of(register, "processor", processor)


def test_deleting_without_a_snapshot_is_refused_except_for_an_activity(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    processor = services.create_processor(register, organisation_id=org_id, name="Hébergis").id
    with pytest.raises(ValueError, match="snapshot"):
        stack.push(services.delete_processor(register, processor))


def test_rows_can_be_added_changed_and_removed_then_undone(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    activity_id = _activity(register, org_id)
    added = services.add_row(
        register,
        activity_id=activity_id,
        collection="data_categories",
        category="identity",
        retention_value=5,
        retention_unit="years",
    )
    step = stack.push(added)
    assert step is not None and step.owner_id == activity_id  # the activity to show
    assert stack.undo_text() == "Annuler l'ajout d'une ligne à « Catégories de données »"
    stack.push(
        services.update_row(
            register, collection="data_categories", row_id=added.id, retention_value=10
        )
    )
    assert stack.undo_text() == (
        "Annuler la modification de « Durée de conservation » dans « Catégories de données »"
    )
    assert stack.undo_text("en") == (
        "Undo change to “Retention period” in “Personal data categories”"
    )
    stack.delete("data_category", added.id)
    assert stack.undo_text() == "Annuler la suppression d'une ligne de « Catégories de données »"
    assert _record(register, activity_id)["data_categories"] == []

    stack.undo()  # the row is back, with its id and its latest value
    rows = _record(register, activity_id)["data_categories"]
    assert isinstance(rows, list) and [(r["id"], r["retention_value"]) for r in rows] == [
        (added.id, 10)
    ]
    stack.undo()
    assert _record(register, activity_id)["data_categories"][0]["retention_value"] == 5  # type: ignore[index]
    stack.undo()
    assert _record(register, activity_id)["data_categories"] == []
    stack.redo()
    stack.redo()
    stack.redo()
    assert _record(register, activity_id)["data_categories"] == []
    assert len(stack) == 3 and not stack.can_redo
    assert _audit_intact(register)


def test_undo_an_organisation_deletion_restores_everything_it_owned(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    processor = services.create_processor(register, organisation_id=org_id, name="Hébergis").id
    software = services.create_software(
        register, organisation_id=org_id, name="Logimairie", processor_id=processor
    ).id
    activity_id = _activity(
        register,
        org_id,
        processors=[processor],
        software=[software],
        data_subjects=[{"category": "minors"}],
    )
    before = _record(register, activity_id)
    stack.delete("organisation", org_id)
    assert services.list_organisations(register) == []
    assert stack.undo_text() == "Annuler la suppression de l'organisme « Commune de Trébeurden »"
    stack.undo()
    assert [o.name for o in services.list_organisations(register)] == ["Commune de Trébeurden"]
    assert _record(register, activity_id) == before
    assert services.record_of(register, "software", software)["processor_id"] == processor
    assert _audit_intact(register)


def test_a_new_change_drops_the_redo_history_and_no_op_updates_are_ignored(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    activity_id = _activity(register, org_id)
    stack.push(services.update_activity(register, activity_id, service="Scolaire"))
    stack.undo()
    assert stack.can_redo
    stack.push(services.update_activity(register, activity_id, reference="T-1"))
    assert not stack.can_redo
    assert stack.push(services.update_activity(register, activity_id, reference="T-1")) is None
    assert len(stack) == 1


def test_the_history_is_bounded(register: Register, org_id: str) -> None:
    stack = UndoStack(register, limit=3)
    activity_id = _activity(register, org_id)
    for number in range(5):
        stack.push(services.update_activity(register, activity_id, reference=f"T-{number}"))
    assert len(stack) == 3
    while stack.can_undo:
        stack.undo()
    assert _record(register, activity_id)["reference"] == "T-1"


def test_a_refused_undo_keeps_the_step(register: Register, org_id: str, stack: UndoStack) -> None:
    activity_id = _activity(register, org_id)
    stack.push(services.update_activity(register, activity_id, service="Scolaire"))
    services.delete_activity(register, activity_id)  # outside the history
    with pytest.raises(RecordNotFound):
        stack.undo()
    assert stack.can_undo and not stack.can_redo


def test_listeners_hear_every_change_of_the_history(
    register: Register, org_id: str, stack: UndoStack
) -> None:
    heard: list[str] = []
    stack.listeners.append(lambda: heard.append(stack.undo_text()))
    activity_id = _activity(register, org_id)
    stack.push(services.update_activity(register, activity_id, service="Scolaire"))
    stack.undo()
    stack.redo()
    stack.clear()
    assert heard == [
        "Annuler la modification de « Service concerné »",
        "Annuler",
        "Annuler la modification de « Service concerné »",
        "Annuler",
    ]


def test_restoring_twice_is_refused_with_a_clear_error(register: Register, org_id: str) -> None:
    activity_id = _activity(register, org_id)
    snapshot = services.record_snapshot(register, "activity", activity_id)
    with pytest.raises(RecordExists) as refused:
        services.restore_record(register, snapshot)
    assert "existe déjà" in refused.value.message()


def test_audit_entries_of_one_organisation(register: Register, org_id: str) -> None:
    other = services.create_organisation(register, name="CCAS").id
    _activity(register, org_id)
    _activity(register, other, name="Aide sociale")
    entries = services.audit_entries(register, organisation_id=other)
    assert [e["entity"] for e in entries] == ["activity", "organisation"]
    assert all(e["entity_id"] != org_id for e in entries)


class _Calendar:
    """A clock the test moves from day to day."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_undo_gives_back_the_exact_register_and_redo_the_exact_change(tmp_path: Path) -> None:
    """Each kind of change, made months after the record: undo restores the JSON export byte
    for byte (« Dernière mise à jour » included), redo gives back the changed export."""
    calendar = _Calendar()
    counter = itertools.count(1)
    context = Context(clock=calendar, new_id=lambda: str(uuid.UUID(int=next(counter))), actor="dpo")
    register, _key = create_register(tmp_path / "Undo.registre", PASSPHRASE, context=context)
    try:
        org_id = services.create_organisation(register, name="Commune de Plouha").id
        processor_id = services.create_processor(
            register, organisation_id=org_id, name="Hébergeur"
        ).id
        activity_id = services.create_activity(
            register,
            organisation_id=org_id,
            name="Cantine",
            processors=[processor_id],
            data_categories=[{"category": "identity", "details": "nom,\u00a0prénom"}],
        ).id
        row_id = str(_record(register, activity_id)["data_categories"][0]["id"])  # type: ignore[index]
        calendar.now = dt.datetime(2026, 9, 1, 15, 0, tzinfo=dt.UTC)
        changes = {
            "field": lambda: services.update_activity(
                register, activity_id, main_purpose="Servir les repas"
            ),
            "row added": lambda: services.add_row(
                register, activity_id=activity_id, collection="recipients", name="Trésor public"
            ),
            "row changed": lambda: services.update_row(
                register, collection="data_categories", row_id=row_id, details="nom"
            ),
            "row removed": lambda: stack.delete("data_category", row_id),
            "activity removed": lambda: stack.delete("activity", activity_id),
            "processor removed": lambda: stack.delete("processor", processor_id),
        }
        stack = UndoStack(register)
        for name, make in changes.items():
            before = dumps(export_document(register))
            change = make()
            if not stack.undo_step or stack.undo_step.change is not change:
                stack.push(change)
            after = dumps(export_document(register))
            assert after != before, name
            stack.undo()
            assert dumps(export_document(register)) == before, name
            stack.redo()
            assert dumps(export_document(register)) == after, name
            stack.undo()
            assert dumps(export_document(register)) == before, name
        assert _audit_intact(register)
    finally:
        register.close()
