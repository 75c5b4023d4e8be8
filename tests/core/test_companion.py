"""Companion registers: breaches, rights requests, impact assessments and processor contracts.

Stored through the same service functions as the rest of the register (validated by the field
schema, one audit entry per change, undoable), with the 72-hour clock and the time limit of a
rights request computed from the injected clock.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from registre import companion, services
from registre.companion import ClockState, RequestState, breach_clock, request_time_limit
from registre.errors import InvalidValue
from registre.model import COMPANION_LINKS, ENTITY_CLASSES, Base
from registre.schema import COMPANION_REGISTERS, CONTRACT_CLAUSES
from registre.storage import Context, Register, open_register
from registre.undo import UndoStack
from tests.conftest import PASSPHRASE

FIXTURES = Path(__file__).parents[1] / "fixtures"
DISCOVERED = dt.datetime(2026, 3, 13, 15, 0)  # the day before the fixed test clock (09:30 UTC)


@pytest.fixture
def org_id(register: Register) -> str:
    return services.create_organisation(register, name="Commune de Trébeurden").id


@pytest.fixture
def activity_id(register: Register, org_id: str) -> str:
    return services.create_activity(register, organisation_id=org_id, name="Cantine").id


def _audit(register: Register) -> list[dict[str, object]]:
    return services.audit_entries(register, limit=50)


# --------------------------------------------------------------------------------------------
# Storage, validation and audit
# --------------------------------------------------------------------------------------------


def test_a_breach_is_stored_validated_and_audited_once(
    register: Register, org_id: str, activity_id: str
) -> None:
    before = len(_audit(register))
    change = services.create_record(
        register,
        "breach",
        organisation_id=org_id,
        title="Courriel envoyé au mauvais destinataire",
        discovered_at=dt.datetime(2026, 3, 13, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        nature=["confidentiality"],
        subjects_count=40,
        activities=[activity_id],
    )
    stored = services.record_of(register, "breach", change.id)
    assert stored["discovered_at"] == DISCOVERED  # 16:00 in Paris (UTC+1) is 15:00 UTC
    assert stored["activities"] == [activity_id]
    assert stored["nature"] == ["confidentiality"]
    entries = _audit(register)
    assert len(entries) == before + 1
    assert entries[0]["entity"] == "breach" and entries[0]["action"] == "created"

    with pytest.raises(InvalidValue) as refused:
        services.update_record(register, "breach", change.id, nature=["secrecy"])
    assert "Nature de la violation" in refused.value.message("fr")
    with pytest.raises(InvalidValue):
        services.update_record(register, "breach", change.id, discovered_at="hier soir")
    with pytest.raises(InvalidValue):
        services.create_record(register, "rights_request", organisation_id=org_id)
    assert len(_audit(register)) == before + 1


def test_references_must_belong_to_the_same_organisation(
    register: Register, org_id: str, activity_id: str
) -> None:
    other = services.create_organisation(register, name="CCAS").id
    with pytest.raises(InvalidValue):
        services.create_record(
            register, "dpia", organisation_id=other, title="AIPD", activities=[activity_id]
        )
    processor = services.create_processor(register, organisation_id=org_id, name="Hébergis").id
    with pytest.raises(InvalidValue):
        services.create_record(
            register, "contract", organisation_id=other, title="Contrat", processor_id=processor
        )


def test_every_companion_register_has_its_table_and_its_links(register: Register) -> None:
    with register.read() as session:
        tables = set(inspect(session.connection()).get_table_names())
    assert {ENTITY_CLASSES[name].__table__.name for name in COMPANION_REGISTERS} <= tables
    assert {table.name for table in COMPANION_LINKS.values()} <= tables


def test_a_register_from_the_previous_schema_gets_the_companion_registers(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "Version-Une.registre"
    shutil.copytree(FIXTURES / "schema-v1.registre", copy)
    with open_register(copy, PASSPHRASE) as register:
        org_id = services.list_organisations(register)[0].id
        created = services.create_record(
            register, "rights_request", organisation_id=org_id, requester="M. Durand"
        )
        assert services.record_of(register, "rights_request", created.id)["requester"]
        with register.read() as session:
            connection = session.connection()
            for name in [*COMPANION_REGISTERS, *(t.name for t in COMPANION_LINKS.values())]:
                table = Base.metadata.tables[name]
                migrated = {
                    row[1]: (row[2], bool(row[3]))
                    for row in connection.execute(text(f'PRAGMA table_info("{name}")'))
                }
                declared = {
                    column.name: (str(column.type.compile(connection.dialect)), not column.nullable)
                    for column in table.columns
                }
                assert migrated == declared, name
                foreign = connection.execute(text(f'PRAGMA foreign_key_list("{name}")')).all()
                assert {row[2] for row in foreign} == {
                    fk.column.table.name for fk in table.foreign_keys
                }


# --------------------------------------------------------------------------------------------
# The 72-hour clock
# --------------------------------------------------------------------------------------------


def test_the_clock_runs_for_72_hours_from_discovery() -> None:
    breach = {"discovered_at": DISCOVERED}
    clock = breach_clock(breach, dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC))
    assert clock.state is ClockState.RUNNING
    assert clock.deadline == dt.datetime(2026, 3, 16, 15, 0)
    assert clock.remaining == dt.timedelta(hours=53, minutes=30)
    assert clock.text() == "Reste 2 j 5 h pour notifier la CNIL"
    assert clock.needs_attention

    late = breach_clock(breach, dt.datetime(2026, 3, 16, 20, 15, tzinfo=dt.UTC))
    assert late.state is ClockState.OVERDUE
    assert late.text() == "Délai de 72 h dépassé de 5 h 15 min"
    assert late.text("en") == "72-hour limit passed by 5 h 15 min"


def test_the_clock_stops_at_notification_or_at_a_documented_decision() -> None:
    now = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
    notified = {"discovered_at": DISCOVERED, "notified_at": dt.datetime(2026, 3, 15, 11, 0)}
    clock = breach_clock(notified, now)
    assert clock.state is ClockState.NOTIFIED and not clock.needs_attention
    assert clock.text() == "Notifiée à la CNIL, 1 j 20 h après la découverte"
    notified["notified_at"] = dt.datetime(2026, 3, 16, 15, 1)
    assert breach_clock(notified, now).state is ClockState.NOTIFIED_LATE

    decided = {
        "discovered_at": DISCOVERED,
        "notification": "not_required",
        "decided_at": dt.datetime(2026, 3, 13, 18, 0),
    }
    assert breach_clock(decided, now).state is ClockState.OVERDUE  # no reason: not documented
    decided["no_notification_reason"] = "Fichier chiffré, clé non compromise."
    clock = breach_clock(decided, now)
    assert clock.state is ClockState.DECIDED and clock.elapsed == dt.timedelta(hours=3)
    assert breach_clock({}, now).state is ClockState.UNKNOWN


def test_breach_clock_uses_the_register_clock(
    register: Register, org_id: str, activity_id: str
) -> None:
    services.create_record(
        register,
        "breach",
        organisation_id=org_id,
        title="Clé USB perdue",
        discovered_at=DISCOVERED,
    )
    services.create_record(
        register,
        "breach",
        organisation_id=org_id,
        title="Panne du serveur",
        discovered_at=dt.datetime(2026, 1, 5, 8, 0),
        status="closed",
        notification="not_required",
        no_notification_reason="Restauré en une heure.",
    )
    summary = companion.companion_summary(register, org_id)
    assert (summary.open_breaches, summary.breaches_to_notify) == (1, 1)
    rows = services.list_records(register, "breach", org_id)
    texts = [companion.record_status("breach", r, register.context.clock())[0] for r in rows]
    assert texts[0].startswith("Reste 2 j 5 h")
    assert texts[1].startswith("Clôturée — Non-notification décidée")


# --------------------------------------------------------------------------------------------
# Rights requests: one month, extension, overdue
# --------------------------------------------------------------------------------------------


def test_one_month_ends_on_the_same_day_or_the_last_day_of_a_shorter_month() -> None:
    assert companion.add_months(dt.date(2026, 3, 5), 1) == dt.date(2026, 4, 5)
    assert companion.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert companion.add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert companion.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_a_request_is_due_in_one_month_three_when_extended_and_then_overdue() -> None:
    request = {"received_on": dt.date(2026, 1, 31), "status": "open"}
    limit = request_time_limit(request, dt.date(2026, 2, 20))
    assert (limit.state, limit.due_on, limit.days_left) == (
        RequestState.OPEN,
        dt.date(2026, 2, 28),
        8,
    )
    assert limit.text() == "Réponse due le 28/02/2026 (dans 8 j)"
    overdue = request_time_limit(request, dt.date(2026, 3, 3))
    assert overdue.state is RequestState.OVERDUE and overdue.needs_attention
    assert overdue.text() == "En retard de 3 j (échéance 28/02/2026)"

    request["extended"] = True
    extended = request_time_limit(request, dt.date(2026, 3, 3))
    assert extended.state is RequestState.OPEN and extended.due_on == dt.date(2026, 4, 30)
    assert extended.first_due_on == dt.date(2026, 2, 28)

    request.update(answered_on=dt.date(2026, 5, 2))
    assert request_time_limit(request, dt.date(2026, 6, 1)).state is RequestState.ANSWERED_LATE


def test_the_period_runs_from_the_proof_of_identity_when_one_was_asked_for() -> None:
    request = {
        "received_on": dt.date(2026, 3, 2),
        "identity_check": "requested",
        "identity_confirmed_on": dt.date(2026, 3, 10),
    }
    assert request_time_limit(request, dt.date(2026, 3, 20)).due_on == dt.date(2026, 4, 10)
    request["identity_check"] = "not_needed"
    assert request_time_limit(request, dt.date(2026, 3, 20)).due_on == dt.date(2026, 4, 2)


def test_overdue_requests_are_counted_per_organisation(register: Register, org_id: str) -> None:
    for received, answered in (
        ("2026-01-10", None),  # due 10 February: overdue on 14 March
        ("2026-03-01", None),  # due 1 April: open
        ("2026-01-02", "2026-01-20"),
    ):
        services.create_record(
            register,
            "rights_request",
            organisation_id=org_id,
            requester="Mme Roux",
            received_on=received,
            answered_on=answered,
            rights=["access"],
        )
    summary = companion.companion_summary(register, org_id)
    assert (summary.open_requests, summary.overdue_requests) == (2, 1)


# --------------------------------------------------------------------------------------------
# Contracts and impact assessments
# --------------------------------------------------------------------------------------------


def test_a_contract_is_sound_with_its_eight_clauses_while_in_force() -> None:
    today = dt.date(2026, 3, 14)
    contract: dict[str, object] = {key: True for key in CONTRACT_CLAUSES}
    contract["signed_on"] = dt.date(2025, 1, 10)
    assert companion.contract_is_sound(contract, today)
    contract["clause_h"] = None
    assert companion.missing_clauses(contract) == ["clause_h"]
    assert companion.record_status("contract", contract, dt.datetime(2026, 3, 14)) == (
        "1 clause(s) de l'art. 28.3 manquante(s)",
        True,
    )
    contract.update(clause_h=True, ends_on=dt.date(2026, 3, 13))
    assert not companion.contract_is_sound(contract, today)


def test_an_assessment_past_its_review_date_needs_attention() -> None:
    now = dt.datetime(2026, 3, 14, 9, 0)
    dpia: dict[str, object] = {"status": "completed", "next_review_on": dt.date(2026, 3, 14)}
    assert companion.record_status("dpia", dpia, now) == ("Terminée", False)
    dpia["next_review_on"] = dt.date(2026, 3, 13)
    assert companion.record_status("dpia", dpia, now) == ("Revue dépassée (13/03/2026)", True)
    assert companion.record_status("dpia", {"status": "planned"}, now) == ("À terminer", True)


def test_an_exemption_counts_only_with_its_reference() -> None:
    assert companion.dpia_covers({"status": "completed"})
    assert not companion.dpia_covers({"status": "in_progress"})
    assert not companion.dpia_covers({"status": "exempt"})
    assert companion.dpia_covers({"status": "exempt", "exemption_reference": "point 6"})


# --------------------------------------------------------------------------------------------
# Undo and redo
# --------------------------------------------------------------------------------------------


def test_changes_to_companion_records_are_undone_and_redone(
    register: Register, org_id: str, activity_id: str
) -> None:
    stack = UndoStack(register)
    created = services.create_record(
        register,
        "dpia",
        organisation_id=org_id,
        title="AIPD vidéoprotection",
        activities=[activity_id],
        status="in_progress",
    )
    stack.push(created)
    assert stack.undo_text() == "Annuler la création de l'analyse d'impact « AIPD vidéoprotection »"
    stack.push(services.update_record(register, "dpia", created.id, status="completed"))
    assert stack.undo_text("en") == "Undo change to “Status”"
    stack.undo()
    assert services.record_of(register, "dpia", created.id)["status"] == "in_progress"
    stack.undo()
    assert services.list_records(register, "dpia", org_id) == []
    stack.redo()
    restored = services.record_of(register, "dpia", created.id)
    assert restored["activities"] == [activity_id] and restored["status"] == "in_progress"

    stack.delete("dpia", created.id)
    assert (
        stack.undo_text() == "Annuler la suppression de l'analyse d'impact « AIPD vidéoprotection »"
    )
    stack.undo()
    assert services.record_of(register, "dpia", created.id)["title"] == "AIPD vidéoprotection"
    assert services.verify_audit(register).intact


def test_undoing_the_deletion_of_an_activity_or_processor_links_its_records_again(
    register: Register, org_id: str, activity_id: str
) -> None:
    stack = UndoStack(register)
    processor = services.create_processor(register, organisation_id=org_id, name="Hébergis").id
    contract = services.create_record(
        register,
        "contract",
        organisation_id=org_id,
        title="Convention d'hébergement",
        processor_id=processor,
        activities=[activity_id],
    ).id
    breach = services.create_record(
        register,
        "breach",
        organisation_id=org_id,
        title="Rançongiciel",
        activities=[activity_id],
    ).id
    stack.delete("activity", activity_id)
    stack.delete("processor", processor)
    assert services.record_of(register, "contract", contract)["processor_id"] is None
    assert services.record_of(register, "breach", breach)["activities"] == []
    stack.undo()
    stack.undo()
    assert services.record_of(register, "contract", contract)["processor_id"] == processor
    assert services.record_of(register, "contract", contract)["activities"] == [activity_id]
    assert services.record_of(register, "breach", breach)["activities"] == [activity_id]


def test_undoing_the_deletion_of_an_organisation_brings_back_its_companion_records(
    register: Register, org_id: str, activity_id: str
) -> None:
    stack = UndoStack(register)
    request = services.create_record(
        register,
        "rights_request",
        organisation_id=org_id,
        requester="M. Le Gall",
        activities=[activity_id],
        received_on="2026-03-01",
    ).id
    stack.delete("organisation", org_id)
    stack.undo()
    assert services.record_of(register, "rights_request", request)["activities"] == [activity_id]


# --------------------------------------------------------------------------------------------
# JSON interchange
# --------------------------------------------------------------------------------------------


def _filled(register: Register, org_id: str, activity_id: str) -> dict[str, str]:
    """One record of each companion register, with every kind of value."""
    processor = services.create_processor(register, organisation_id=org_id, name="Hébergis").id
    software = services.create_software(register, organisation_id=org_id, name="GED").id
    return {
        "breach": services.create_record(
            register,
            "breach",
            organisation_id=org_id,
            title="Rançongiciel",
            discovered_at=DISCOVERED,
            nature=["availability", "confidentiality"],
            subjects_count=1200,
            activities=[activity_id],
            software=[software],
            notification="notify",
            notified_at="2026-03-14T10:00:00+01:00",
            status="open",
        ).id,
        "rights_request": services.create_record(
            register,
            "rights_request",
            organisation_id=org_id,
            requester="Mme Roux",
            received_on="2026-02-01",
            rights=["access", "erasure"],
            extended=True,
            extension_reason="Archives papier à consulter.",
            activities=[activity_id],
        ).id,
        "dpia": services.create_record(
            register,
            "dpia",
            organisation_id=org_id,
            title="AIPD vidéoprotection",
            status="completed",
            activities=[activity_id],
            dpo_advice_followed=False,
        ).id,
        "contract": services.create_record(
            register,
            "contract",
            organisation_id=org_id,
            title="Convention HC-2022-112",
            processor_id=processor,
            processing_countries=["FR", "US"],
            dpf_certified=True,
            **dict.fromkeys(CONTRACT_CLAUSES, True),
        ).id,
    }


def test_companion_records_make_a_lossless_json_round_trip(
    register: Register, org_id: str, activity_id: str, tmp_path: Path
) -> None:
    from registre.interchange import apply_import, export_bytes, export_register, plan_import
    from registre.storage import create_register

    ids = _filled(register, org_id, activity_id)
    exported = export_register(register, tmp_path / "registre.json", "json")
    document = json.loads(exported.read_bytes())
    organisation = document["organisations"][0]
    assert [r["id"] for r in organisation["breaches"]] == [ids["breach"]]
    breach = organisation["breaches"][0]
    assert breach["discovered_at"] == "2026-03-13T15:00:00+00:00"
    assert breach["notified_at"] == "2026-03-14T09:00:00+00:00"
    assert organisation["contracts"][0]["processing_countries"] == ["FR", "US"]
    assert organisation["rights_requests"][0]["rights"] == ["access", "erasure"]

    target, _recovery = create_register(tmp_path / "Copie.registre", PASSPHRASE)
    plan = plan_import(target, exported)
    created = [entry.entity for entry in plan.entries if entry.action == "create"]
    assert {"breach", "rights_request", "dpia", "contract"} <= set(created)
    apply_import(target, plan)
    again = json.loads(export_bytes(target, "json"))["organisations"]
    assert again == document["organisations"]
    assert not plan_import(target, exported).has_changes
    target.close()


def test_a_changed_companion_record_is_updated_and_a_dangling_reference_refused(
    register: Register, org_id: str, activity_id: str, tmp_path: Path
) -> None:
    from registre.interchange import InvalidImportFile, apply_import, plan_import

    ids = _filled(register, org_id, activity_id)
    from registre.interchange import export_bytes

    document = json.loads(export_bytes(register, "json"))
    request = document["organisations"][0]["rights_requests"][0]
    request["answered_on"] = "2026-04-20"
    changed = tmp_path / "modifie.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    plan = plan_import(register, changed)
    assert [(e.entity, e.action) for e in plan.entries if e.action == "update"] == [
        ("rights_request", "update")
    ]
    apply_import(register, plan)
    stored = services.record_of(register, "rights_request", ids["rights_request"])
    assert stored["answered_on"] == dt.date(2026, 4, 20)
    assert services.audit_entries(register, limit=1)[0]["entity"] == "rights_request"

    request["activities"] = ["00000000-0000-4000-8000-00000000beef"]
    changed.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InvalidImportFile) as refused:
        plan_import(register, changed)
    assert "rights_requests[0].activities" in refused.value.message("fr")


# --------------------------------------------------------------------------------------------
# The demo register
# --------------------------------------------------------------------------------------------


def test_the_demo_has_a_breach_inside_its_72_hours_and_an_overdue_request(
    tmp_path: Path, context: Context
) -> None:
    from registre.demo import create_demo_register

    register, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    now = register.context.clock()
    try:
        commune = next(
            o for o in services.list_organisations(register) if o.name.startswith("Commune")
        )
        counts = {
            entity: len(services.list_records(register, entity, commune.id))
            for entity in COMPANION_REGISTERS
        }
        assert counts == {"breach": 3, "rights_request": 4, "dpia": 6, "contract": 8}
        clocks = [
            breach_clock(b, now) for b in services.list_records(register, "breach", commune.id)
        ]
        running = [c for c in clocks if c.state is ClockState.RUNNING]
        assert len(running) == 1
        assert dt.timedelta(hours=51) < running[0].remaining < dt.timedelta(hours=53)
        limits = [
            request_time_limit(r, now.date())
            for r in services.list_records(register, "rights_request", commune.id)
        ]
        assert [lim.state for lim in limits].count(RequestState.OVERDUE) == 1
        summary = companion.companion_summary(register, commune.id)
        assert (summary.open_breaches, summary.breaches_to_notify) == (1, 1)
        assert (summary.open_requests, summary.overdue_requests) == (2, 1)
        contracts = services.list_records(register, "contract", commune.id)
        assert any(companion.missing_clauses(c) for c in contracts)
        assert services.verify_audit(register).intact
    finally:
        register.close()


def test_an_activity_on_the_cnil_exempt_list_needs_no_dpia_record(
    register: Register, org_id: str
) -> None:
    from registre.checker import check_register

    values = {
        "dpia_criteria": ["large_scale", "vulnerable_subjects"],
        "dpia_status": "planned",
    }
    needing = services.create_activity(
        register, organisation_id=org_id, name="Aides sociales", **values
    ).id
    exempt = services.create_activity(
        register,
        organisation_id=org_id,
        name="Listes électorales",
        dpia_exemption="electoral_roll",
        **values,
    ).id
    found = {
        f.record_id for f in check_register(register).findings if f.rule.id == "dpia-record-missing"
    }
    assert found == {needing}
    assert exempt not in found
