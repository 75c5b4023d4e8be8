"""Numbered schema migrations: step N turns a schema-N register into schema N+1.

Each step runs with the others in one transaction, after a verified backup of the register; a
register from a newer version is refused before anything is touched (``storage._probe``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from registre.audit import AuditTrail

Step = Callable[[Connection], None]


def _add_template_provenance(connection: Connection) -> None:
    """Schema 2: an activity records the catalogue template (and version) it came from."""
    connection.execute(text("ALTER TABLE activity ADD COLUMN template_id VARCHAR(80)"))
    connection.execute(text("ALTER TABLE activity ADD COLUMN template_version VARCHAR(20)"))


def _add_legacy_notes(connection: Connection) -> None:
    """Schema 3: an activity keeps what an import found no field for (« Titre : valeur »)."""
    connection.execute(text("ALTER TABLE activity ADD COLUMN legacy_notes TEXT"))


_COMPANION_TABLES = (
    """CREATE TABLE breach (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    organisation_id VARCHAR(36) NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    reference TEXT, title TEXT NOT NULL, discovered_at DATETIME, occurred_at DATETIME,
    nature JSON NOT NULL, cause VARCHAR(20), description TEXT, subject_categories JSON NOT NULL,
    subjects_count INTEGER, records_count INTEGER, data_categories JSON NOT NULL,
    consequences TEXT, risk_level VARCHAR(20), measures_taken TEXT, measures_planned TEXT,
    notification VARCHAR(20), decided_at DATETIME, no_notification_reason TEXT,
    notified_at DATETIME, notification_reference TEXT, late_reason TEXT,
    communication VARCHAR(20), communicated_on DATE, communication_details TEXT,
    handled_by TEXT, status VARCHAR(20), closed_on DATE)""",
    """CREATE TABLE rights_request (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    organisation_id VARCHAR(36) NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    reference TEXT, requester TEXT NOT NULL, received_on DATE, rights JSON NOT NULL,
    channel VARCHAR(20), details TEXT, identity_check VARCHAR(20), identity_confirmed_on DATE,
    extended BOOLEAN, extension_reason TEXT, extension_informed_on DATE, answered_on DATE,
    outcome VARCHAR(20), answer TEXT, handled_by TEXT, status VARCHAR(20))""",
    """CREATE TABLE dpia (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    organisation_id VARCHAR(36) NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    title TEXT NOT NULL, status VARCHAR(20), exemption_reference TEXT, method VARCHAR(20),
    completed_on DATE, conclusion TEXT, dpo_advice TEXT, dpo_advice_on DATE,
    dpo_advice_followed BOOLEAN, dpo_advice_departure TEXT, residual_risk VARCHAR(20),
    prior_consultation VARCHAR(20), prior_consultation_on DATE,
    prior_consultation_outcome TEXT, next_review_on DATE, document_location TEXT)""",
    """CREATE TABLE contract (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    organisation_id VARCHAR(36) NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    processor_id VARCHAR(36) REFERENCES processor (id) ON DELETE SET NULL,
    signed_on DATE, starts_on DATE, ends_on DATE, document_location TEXT,
    clause_a BOOLEAN, clause_b BOOLEAN, clause_c BOOLEAN, clause_d BOOLEAN,
    clause_e BOOLEAN, clause_f BOOLEAN, clause_g BOOLEAN, clause_h BOOLEAN,
    subprocessing VARCHAR(20), subprocessors TEXT, processing_countries JSON NOT NULL,
    dpf_certified BOOLEAN, notes TEXT)""",
    "CREATE INDEX ix_breach_organisation_id ON breach (organisation_id)",
    "CREATE INDEX ix_rights_request_organisation_id ON rights_request (organisation_id)",
    "CREATE INDEX ix_dpia_organisation_id ON dpia (organisation_id)",
    "CREATE INDEX ix_contract_organisation_id ON contract (organisation_id)",
    "CREATE INDEX ix_contract_processor_id ON contract (processor_id)",
    *(
        f"""CREATE TABLE {owner}_{target} (
    {owner}_id VARCHAR(36) NOT NULL REFERENCES {owner} (id) ON DELETE CASCADE,
    {target}_id VARCHAR(36) NOT NULL REFERENCES {target} (id) ON DELETE CASCADE,
    PRIMARY KEY ({owner}_id, {target}_id))"""
        for owner, target in (
            ("breach", "activity"),
            ("breach", "software"),
            ("rights_request", "activity"),
            ("dpia", "activity"),
            ("contract", "activity"),
        )
    ),
)


def _add_companion_registers(connection: Connection) -> None:
    """Schema 4: the breach register, the rights requests log, the impact assessments and the
    processor contracts, each with the association tables of its references."""
    for statement in _COMPANION_TABLES:
        connection.execute(text(statement))


_LEGAL_COLUMNS = (
    ("organisation", "staff_count INTEGER"),
    ("activity", "regime VARCHAR(20)"),
    ("activity", "nir_authority TEXT"),
    ("activity", "uses_profiling BOOLEAN"),
    ("activity", "data_subjects_count INTEGER"),
    ("activity", "dpia_exemption VARCHAR(60)"),
    ("purpose", "legal_basis VARCHAR(10)"),
    ("transfer", "international_organisation TEXT"),
    ("transfer", "adequacy_covered BOOLEAN"),
    ("processor", "adequacy_covered BOOLEAN"),
    ("software", "adequacy_covered BOOLEAN"),
)


def _add_legal_details(connection: Connection) -> None:
    """Schema 5: what the law asks beyond Article 30's list.

    The regime (GDPR or law enforcement), the text authorising the NIR, profiling, the number
    of data subjects, the CNIL's DPIA exemption, a legal basis per purpose, transfers to an
    international organisation, and whether a recipient is covered by a limited adequacy
    decision; the organisation's headcount.
    """
    for table, column in _LEGAL_COLUMNS:
        connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column}"))


_TODO_TABLE = (
    """CREATE TABLE todo (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    activity_id VARCHAR(36) NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    position INTEGER NOT NULL, question VARCHAR(60), text TEXT NOT NULL, state VARCHAR(10) NOT NULL,
    created_by TEXT, created_at TIMESTAMP, closed_by TEXT, closed_at TIMESTAMP)""",
    "CREATE INDEX ix_todo_activity_id ON todo (activity_id)",
)

TODO_LINE_PREFIX = "À voir avec le DPO — "
"""How earlier releases kept a to-do: one line of the activity's description."""

_TODO_QUESTIONS = {
    "À quoi servent ces données ?": "purposes",
    "Sur quoi repose le traitement ?": "legal_basis",
    "Qui est concerné ?": "data_subjects",
    "Quelles données, et combien de temps les garder ?": "data_categories",
    "Qui reçoit les données ?": "recipients",
    "Les données sortent-elles de l'Union européenne ?": "transfers",
    "Comment les données sont-elles protégées ?": "security_measures",
}
"""The declaration's questions as earlier releases wrote them in a to-do line."""

MIGRATION_ACTOR = "Registre"


def split_todo_lines(description: str | None) -> tuple[str | None, list[str]]:
    """(the description without its to-do lines, the to-dos' texts) of a stored description."""
    kept: list[str] = []
    found: list[str] = []
    for line in (description or "").splitlines():
        if line.startswith(TODO_LINE_PREFIX):
            todo = line.removeprefix(TODO_LINE_PREFIX).strip()
            if todo:
                found.append(todo)
                continue
        kept.append(line)
    if not found:
        return description, []
    return "\n".join(kept).strip() or None, found


def _add_todos(connection: Connection) -> None:
    """Schema 6: to-dos for the DPO become records of their own.

    Earlier releases kept each « Je ne sais pas » of the declaration as a line « À voir avec
    le DPO — <question> » of the activity's description. Each such line becomes an open to-do
    (created by whoever created the activity, when they did) and leaves the description, which
    keeps every other line. Each activity changed gets one audit entry (old and new
    description, the to-dos created), so the trail still accounts for what is stored.
    """
    for statement in _TODO_TABLE:
        connection.execute(text(statement))
    pattern = f"%{TODO_LINE_PREFIX}%"
    activities = connection.execute(
        text(
            "SELECT id, organisation_id, description FROM activity "
            "WHERE description LIKE :pattern ORDER BY id"
        ),
        {"pattern": pattern},
    ).all()
    moved = [(row, *split_todo_lines(row.description)) for row in activities]
    moved = [item for item in moved if item[2]]
    if not moved:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with Session(bind=connection) as session, AuditTrail(session, MIGRATION_ACTOR) as trail:
        for row, description, texts in moved:
            created = connection.execute(
                text(
                    "SELECT actor, at FROM audit_entry WHERE entity = 'activity' "
                    "AND entity_id = :id AND action = 'created' ORDER BY seq LIMIT 1"
                ),
                {"id": row.id},
            ).first()
            created_by = created.actor if created is not None else None
            created_at = created.at if created is not None else None
            todos = [
                {
                    "id": str(uuid.uuid4()),
                    "activity_id": row.id,
                    "position": position,
                    "question": _TODO_QUESTIONS.get(todo),
                    "text": todo,
                    "state": "open",
                    "created_by": created_by,
                    "created_at": created_at,
                }
                for position, todo in enumerate(texts)
            ]
            connection.execute(
                text(
                    "INSERT INTO todo (id, activity_id, position, question, text, state, "
                    "created_by, created_at) VALUES (:id, :activity_id, :position, :question, "
                    ":text, :state, :created_by, :created_at)"
                ),
                todos,
            )
            connection.execute(
                text("UPDATE activity SET description = :description WHERE id = :id"),
                {"description": description, "id": row.id},
            )
            recorded = [
                {key: value for key, value in todo.items() if value is not None} for todo in todos
            ]
            for todo in recorded:
                del todo["activity_id"], todo["position"]
            trail.append(
                at=now,
                action="updated",
                entity="activity",
                entity_id=row.id,
                organisation_id=row.organisation_id,
                changes={
                    "description": [row.description, description],
                    "todos": [None, recorded],
                },
            )


def _add_publications(connection: Connection) -> None:
    """Schema 7: each official PDF export keeps a snapshot of what it published; the audit
    trail is indexed by action, so the last exports are found without reading it all; an
    organisation has a date for the next review of its whole register."""
    connection.execute(
        text(
            """CREATE TABLE publication (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    organisation_id VARCHAR(36) NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    exported_at TIMESTAMP NOT NULL, profile VARCHAR(20) NOT NULL,
    fingerprint VARCHAR(64) NOT NULL, sha256 VARCHAR(64) NOT NULL, file TEXT,
    snapshot JSON NOT NULL)"""
        )
    )
    connection.execute(
        text("CREATE INDEX ix_publication_organisation_id ON publication (organisation_id)")
    )
    connection.execute(text("CREATE INDEX ix_audit_entry_action ON audit_entry (action)"))
    connection.execute(text("ALTER TABLE organisation ADD COLUMN next_review_on DATE"))


VERSIONED_TABLES = (
    "organisation", "processor", "software", "activity", "joint_controller",
    "controller_served", "purpose", "data_subject", "data_category", "recipient", "transfer",
    "security_measure", "breach", "rights_request", "dpia", "contract", "todo",
)


def _add_record_versions(connection: Connection) -> None:
    """Schema 8: every record carries a version, raised at each change, so that two people
    editing the same record at once (team register) never overwrite each other silently."""
    for table in VERSIONED_TABLES:
        connection.execute(
            text(f"ALTER TABLE {table} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1")
        )


def _add_activity_referent(connection: Connection) -> None:
    """Schema 9: an activity names its contact person in the department (« Agent référent »)."""
    connection.execute(text("ALTER TABLE activity ADD COLUMN referent TEXT"))


STEPS: dict[int, Step] = {
    1: _add_template_provenance,
    2: _add_legacy_notes,
    3: _add_companion_registers,
    4: _add_legal_details,
    5: _add_todos,
    6: _add_publications,
    7: _add_record_versions,
    8: _add_activity_referent,
}

SCHEMA_VERSION = max(STEPS) + 1
"""The schema this version of Registre writes: one more than the last step's source."""
