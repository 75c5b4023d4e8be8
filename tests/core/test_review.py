"""The review cycle: « Validé par le DPO » holds until someone else changes the record."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from registre import services
from registre.review import register_review_due_on
from registre.storage import Register
from registre.undo import UndoStack
from registre.workspace import register_overview


@pytest.fixture
def validated(register: Register) -> tuple[str, str]:
    """An activity the DPO (actor « dpo ») validated; returns (organisation, activity)."""
    org = services.create_organisation(register, name="Commune d'Arles").id
    activity = services.create_activity(register, organisation_id=org, name="Cantine").id
    services.update_activity(register, activity, status="completed")
    register.context = dataclasses.replace(register.context, actor="dpo")
    services.update_activity(register, activity, status="validated")
    return org, activity


def _as(register: Register, actor: str) -> None:
    register.context = dataclasses.replace(register.context, actor=actor)


def _status(register: Register, activity: str) -> str:
    return str(services.record_of(register, "activity", activity)["status"])


def test_the_validators_own_edits_keep_the_record_validated(
    register: Register, validated: tuple[str, str]
) -> None:
    _org, activity = validated
    services.update_activity(register, activity, main_purpose="Inscrire à la cantine")
    services.add_row(register, activity_id=activity, collection="purposes", description="Menus")
    assert _status(register, activity) == "validated"


def test_an_edit_by_someone_else_drops_the_validation_in_the_same_entry(
    register: Register, validated: tuple[str, str]
) -> None:
    _org, activity = validated
    _as(register, "secretaire")
    stack = UndoStack(register)
    change = services.update_activity(register, activity, main_purpose="Autre finalité")
    stack.push(change)
    assert change.fields["status"] == ("validated", "completed")
    assert _status(register, activity) == "completed"
    newest = services.audit_entries(register, limit=1)[0]
    assert newest["changes"]["status"] == ["validated", "completed"]
    stack.undo()  # exact undo: the record is as the DPO validated it
    assert _status(register, activity) == "validated"


def test_a_row_edit_by_someone_else_drops_the_validation_too(
    register: Register, validated: tuple[str, str]
) -> None:
    _org, activity = validated
    _as(register, "secretaire")
    services.add_row(register, activity_id=activity, collection="purposes", description="Menus")
    assert _status(register, activity) == "completed"
    assert services.verify_audit(register).intact


def test_setting_the_status_explicitly_is_not_overridden(
    register: Register, validated: tuple[str, str]
) -> None:
    _org, activity = validated
    _as(register, "secretaire")
    services.update_activity(register, activity, status="draft")
    assert _status(register, activity) == "draft"


def test_the_register_review_defaults_to_a_year_after_its_last_publication() -> None:
    assert register_review_due_on({}, None) is None
    assert register_review_due_on({}, dt.date(2025, 3, 1)) == dt.date(2026, 3, 1)
    planned = {"next_review_on": dt.date(2026, 9, 1)}
    assert register_review_due_on(planned, dt.date(2025, 3, 1)) == dt.date(2026, 9, 1)


def test_the_overview_counts_a_register_due_for_review(register: Register) -> None:
    org = services.create_organisation(
        register, name="Commune de Brest", next_review_on=dt.date(2026, 1, 31)
    ).id
    [line] = register_overview(register).lines
    assert line.id == org and line.register_review_due == dt.date(2026, 1, 31)
    assert line.register_review_overdue
