"""What the services refuse, and how they read what they accept.

Every value a form, an import or the command line hands to a service goes through
``services.coerce``: a wrong value is refused with a plain reason in French and English and
nothing is written; an empty entry means « not filled ».
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from registre import services
from registre.errors import InvalidValue
from registre.schema import ACTIVITY, BREACH, ORGANISATION, PROCESSOR
from registre.storage import Register

PHONE = ORGANISATION.field("phone")
NAME = ACTIVITY.field("name")
ROLE = ACTIVITY.field("role")
CRITERIA = ACTIVITY.field("dpia_criteria")
REVIEW = ACTIVITY.field("next_review_on")
COUNT = ACTIVITY.field("data_subjects_count")
DISCOVERED = BREACH.field("discovered_at")


@pytest.mark.parametrize(
    ("spec", "value", "reason"),
    [
        (NAME, 12, "texte attendu"),
        (PHONE, "appelez-moi", "numéro de téléphone invalide"),
        (CRITERIA, "evaluation", "liste attendue"),
        (CRITERIA, 3, "liste attendue"),
        (REVIEW, 20260314, "date attendue"),
        (REVIEW, "14/03/2026", "date invalide"),
        (COUNT, True, "nombre entier attendu"),
        (COUNT, "12", "nombre entier attendu"),
        (DISCOVERED, dt.date(2026, 3, 14), "date et heure attendues"),
        (DISCOVERED, "hier soir", "date et heure invalides"),
    ],
)
def test_a_wrong_value_is_refused_with_its_reason(spec: Any, value: Any, reason: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        services.coerce(spec, value)
    assert reason in refused.value.message("fr")
    assert refused.value.message("en")  # and said in English too


@pytest.mark.parametrize(
    ("spec", "value", "stored"),
    [
        (ROLE, "", None),
        (REVIEW, "   ", None),
        (REVIEW, dt.datetime(2026, 3, 14, 17, 45), dt.date(2026, 3, 14)),
        (DISCOVERED, "  ", None),
        (DISCOVERED, "2026-03-14T10:30:59.5+01:00", dt.datetime(2026, 3, 14, 9, 30, 59)),
    ],
)
def test_empty_entries_mean_not_filled_and_moments_are_kept_in_utc(
    spec: Any, value: Any, stored: Any
) -> None:
    assert services.coerce(spec, value) == stored


def test_an_unknown_field_or_collection_is_refused(register: Register) -> None:
    organisation = services.create_organisation(register, name="Commune de Refus").id
    activity = services.create_activity(register, organisation_id=organisation, name="État civil")
    with pytest.raises(InvalidValue):
        services.create_activity(register, organisation_id=organisation, name="X", colour="red")
    for call in (
        lambda: services.add_row(register, activity_id=activity.id, collection="wishes"),
        lambda: services.update_row(register, collection="wishes", row_id="r"),
        lambda: services.delete_row(register, collection="wishes", row_id="r"),
    ):
        with pytest.raises(InvalidValue):
            call()
    with pytest.raises(InvalidValue):
        services.record_snapshot(register, "meeting", activity.id)
    assert [a.name for a in services.list_activities(register, organisation)] == ["État civil"]


def test_a_record_keeps_its_name(register: Register) -> None:
    organisation = services.create_organisation(register, name="Commune de Refus").id
    with pytest.raises(InvalidValue):
        services.create_activity(register, organisation_id=organisation, name="  ")
    processor = services.create_processor(
        register, organisation_id=organisation, name="Hébergeur"
    ).id
    with pytest.raises(InvalidValue) as refused:
        services.update_processor(register, processor, name="")
    assert "obligatoire" in refused.value.message("fr")
    assert services.record_of(register, PROCESSOR.name, processor)["name"] == "Hébergeur"
    assert services.list_activities(register, organisation) == []


def test_a_companion_service_names_a_companion_register(register: Register) -> None:
    organisation = services.create_organisation(register, name="Commune de Refus").id
    with pytest.raises(ValueError, match="not a companion register"):
        services.create_record(register, "activity", organisation_id=organisation, name="X")


def test_labels_of_unknown_keys_read_as_the_key() -> None:
    assert ROLE.choice_label("co-controller") == "co-controller"
    with pytest.raises(KeyError):
        ACTIVITY.collection("wishes")
    assert repr(services.TODAY) == "TODAY"


def test_the_history_names_what_it_undoes_and_refuses_what_it_cannot(register: Register) -> None:
    from registre.undo import UndoStack, item_label

    stack = UndoStack(register)
    assert stack.undo() is None and stack.redo() is None  # nothing to undo or redo yet
    organisation = services.create_organisation(register, name="Commune de Refus").id
    activity = services.create_activity(register, organisation_id=organisation, name="Cantine")
    change = services.update_activity(register, activity.id, service="Scolaire", reference="T-9")
    step = stack.push(change)
    assert step is not None
    assert (step.entity, step.record_id) == ("activity", activity.id)
    assert step.description("en") == "change to 2 fields"
    assert "2 champs" in step.description("fr")
    assert item_label(ACTIVITY, "no_such_key") == "no_such_key"
    with pytest.raises(ValueError, match="unknown action"):
        stack.push(services.Change("renamed", "activity", activity.id, {}))
    with pytest.raises(InvalidValue):
        stack.delete("meeting", activity.id)
    assert len(stack) == 1


def test_a_register_refused_at_creation_leaves_no_folder(tmp_path, context) -> None:
    from tests.conftest import PASSPHRASE

    target = tmp_path / "Sans nom.registre"
    with pytest.raises(InvalidValue):
        services.create_register_with_organisation(
            target, PASSPHRASE, organisation="   ", context=context
        )
    assert not target.exists()  # all or nothing


def test_imported_values_name_fields_of_the_schema_only() -> None:
    with pytest.raises(InvalidValue):
        services.validated(ACTIVITY, {"name": "Cantine", "colour": "rouge"})
    assert services.validated(ACTIVITY, {"name": "Cantine"})["name"] == "Cantine"
