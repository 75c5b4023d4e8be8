"""SQLAlchemy mapped classes of the register (one table per entity of ``registre.schema``).

Columns carry the keys declared in the field schema; ``tests/core/test_schema.py`` checks that
every schema field has its column and that no column escapes the schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from registre.context import new_id
from registre.schema import ACTIVITY, ENTITIES, Entity


class Base(DeclarativeBase):
    """Declarative base of every register table."""


class Versioned:
    """A record several people may edit at once: ``row_version`` goes up by one at each change.

    SQLAlchemy's ``version_id_col`` makes every UPDATE and DELETE name the version it read, so
    a change made meanwhile by someone else is never overwritten silently; the editors send the
    version (and values) they started from to ``registre.concurrency.save_edit``.
    """

    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


class Meta(Base):
    """Key/value facts about the register itself (schema version, register id…)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Organisation(Versioned, Base):
    """A controller (commune, CCAS, EPCI…) whose register this is; several per file."""

    __tablename__ = "organisation"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(40))
    siren: Mapped[str | None] = mapped_column(String(9))
    staff_count: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    legal_representative_name: Mapped[str | None] = mapped_column(Text)
    legal_representative_title: Mapped[str | None] = mapped_column(Text)
    dpo_name: Mapped[str | None] = mapped_column(Text)
    dpo_organisation: Mapped[str | None] = mapped_column(Text)
    dpo_email: Mapped[str | None] = mapped_column(Text)
    dpo_phone: Mapped[str | None] = mapped_column(Text)
    dpo_address: Mapped[str | None] = mapped_column(Text)
    dpo_designation_number: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date)
    eu_representative: Mapped[str | None] = mapped_column(Text)

    activities: Mapped[list[Activity]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )
    processors: Mapped[list[Processor]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )
    software: Mapped[list[Software]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )
    breaches: Mapped[list[Breach]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    rights_requests: Mapped[list[RightsRequest]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    dpias: Mapped[list[Dpia]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    contracts: Mapped[list[ProcessorContract]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


activity_processor = Table(
    "activity_processor",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("processor_id", ForeignKey("processor.id", ondelete="CASCADE"), primary_key=True),
)

activity_software = Table(
    "activity_software",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("software_id", ForeignKey("software.id", ondelete="CASCADE"), primary_key=True),
)


class Processor(Versioned, Base):
    """A processor (sous-traitant) working for the organisation."""

    __tablename__ = "processor"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    siren: Mapped[str | None] = mapped_column(String(9))
    address: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    adequacy_covered: Mapped[bool | None]
    contact_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    dpo_contact: Mapped[str | None] = mapped_column(Text)
    has_art28_contract: Mapped[bool | None]
    contract_reference: Mapped[str | None] = mapped_column(Text)
    contract_end: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(back_populates="processors")
    activities: Mapped[list[Activity]] = relationship(
        secondary=activity_processor, back_populates="processors"
    )


class Software(Versioned, Base):
    """An item of the software inventory, linked to the activities that use it."""

    __tablename__ = "software"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(Text)
    hosting: Mapped[str | None] = mapped_column(String(20))
    hosting_country: Mapped[str | None] = mapped_column(String(2))
    adequacy_covered: Mapped[bool | None]
    free_licence: Mapped[bool | None]
    licence: Mapped[str | None] = mapped_column(Text)
    processor_id: Mapped[str | None] = mapped_column(
        ForeignKey("processor.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(back_populates="software")
    processor: Mapped[Processor | None] = relationship()
    activities: Mapped[list[Activity]] = relationship(
        secondary=activity_software, back_populates="software"
    )


def _children(class_name: str) -> Mapped[list[Any]]:
    """One-to-many relationship from an activity to its rows of ``class_name``, kept in order."""
    return relationship(
        class_name,
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=f"{class_name}.position",
    )


class Activity(Versioned, Base):
    """A processing activity (traitement), as controller (30.1) or processor (30.2)."""

    __tablename__ = "activity"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20), default="controller")
    regime: Mapped[str | None] = mapped_column(String(20))
    service: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    main_purpose: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(String(10))
    legal_basis_text: Mapped[str | None] = mapped_column(Text)
    art9_condition: Mapped[str | None] = mapped_column(String(10))
    offence_data_authority: Mapped[str | None] = mapped_column(Text)
    nir_authority: Mapped[str | None] = mapped_column(Text)
    uses_profiling: Mapped[bool | None]
    data_source: Mapped[str | None] = mapped_column(String(40))
    collection_method: Mapped[str | None] = mapped_column(Text)
    data_subjects_count: Mapped[int | None] = mapped_column(Integer)
    has_transfers: Mapped[bool | None]
    general_retention: Mapped[str | None] = mapped_column(Text)
    security_overview: Mapped[str | None] = mapped_column(Text)
    processing_categories: Mapped[str | None] = mapped_column(Text)
    dpia_status: Mapped[str | None] = mapped_column(String(20))
    dpia_criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    dpia_cnil_type: Mapped[str | None] = mapped_column(String(60))
    dpia_exemption: Mapped[str | None] = mapped_column(String(60))
    dpia_date: Mapped[dt.date | None] = mapped_column(Date)
    dpia_conclusion: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_on: Mapped[dt.date | None] = mapped_column(Date)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date)
    template_id: Mapped[str | None] = mapped_column(String(80))
    template_version: Mapped[str | None] = mapped_column(String(20))
    legacy_notes: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(back_populates="activities")
    processors: Mapped[list[Processor]] = relationship(
        secondary=activity_processor, back_populates="activities", order_by="Processor.name"
    )
    software: Mapped[list[Software]] = relationship(
        secondary=activity_software, back_populates="activities", order_by="Software.name"
    )
    joint_controllers: Mapped[list[JointController]] = _children("JointController")
    controllers_served: Mapped[list[ControllerServed]] = _children("ControllerServed")
    purposes: Mapped[list[Purpose]] = _children("Purpose")
    data_subjects: Mapped[list[DataSubject]] = _children("DataSubject")
    data_categories: Mapped[list[DataCategory]] = _children("DataCategory")
    recipients: Mapped[list[Recipient]] = _children("Recipient")
    transfers: Mapped[list[Transfer]] = _children("Transfer")
    security_measures: Mapped[list[SecurityMeasure]] = _children("SecurityMeasure")


class ActivityRow(Versioned, Base):
    """Columns shared by every row owned by an activity."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    position: Mapped[int] = mapped_column(Integer, default=0)

    @declared_attr
    def activity_id(cls) -> Mapped[str]:
        """The owning activity."""
        return mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)


class JointController(ActivityRow):
    """A joint controller of the activity (Art. 26, 30.1.a)."""

    __tablename__ = "joint_controller"
    name: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    responsibilities: Mapped[str | None] = mapped_column(Text)


class ControllerServed(ActivityRow):
    """A controller on whose behalf the organisation acts as processor (30.2.a)."""

    __tablename__ = "controller_served"
    name: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    representative: Mapped[str | None] = mapped_column(Text)
    dpo_contact: Mapped[str | None] = mapped_column(Text)


class Purpose(ActivityRow):
    """A sub-purpose of the activity (30.1.b)."""

    __tablename__ = "purpose"
    description: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(String(10))


class DataSubject(ActivityRow):
    """A category of data subjects (30.1.c)."""

    __tablename__ = "data_subject"
    category: Mapped[str | None] = mapped_column(String(60))
    details: Mapped[str | None] = mapped_column(Text)


class DataCategory(ActivityRow):
    """A category of personal data with its retention and final disposition (30.1.c, f)."""

    __tablename__ = "data_category"
    category: Mapped[str | None] = mapped_column(String(60))
    details: Mapped[str | None] = mapped_column(Text)
    retention_value: Mapped[int | None] = mapped_column(Integer)
    retention_unit: Mapped[str | None] = mapped_column(String(20))
    retention_start: Mapped[str | None] = mapped_column(Text)
    final_disposition: Mapped[str | None] = mapped_column(String(20))
    retention_source: Mapped[str | None] = mapped_column(Text)


class Recipient(ActivityRow):
    """A recipient or category of recipients (30.1.d)."""

    __tablename__ = "recipient"
    recipient_type: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)


class Transfer(ActivityRow):
    """A transfer to a third country or international organisation (30.1.e, 30.2.c)."""

    __tablename__ = "transfer"
    recipient: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    international_organisation: Mapped[str | None] = mapped_column(Text)
    safeguard: Mapped[str | None] = mapped_column(String(60))
    documentation: Mapped[str | None] = mapped_column(Text)
    adequacy_covered: Mapped[bool | None]


class SecurityMeasure(ActivityRow):
    """A technical or organisational security measure (30.1.g, 30.2.d)."""

    __tablename__ = "security_measure"
    measure_type: Mapped[str | None] = mapped_column(String(60))
    details: Mapped[str | None] = mapped_column(Text)


# --------------------------------------------------------------------------------------------
# Companion registers (breaches, rights requests, impact assessments, processor contracts)
# --------------------------------------------------------------------------------------------


def _link_table(owner: str, target: str) -> Table:
    """The association table between a companion record and the records it refers to."""
    return Table(
        f"{owner}_{target}",
        Base.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{target}_id", ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True),
    )


breach_activity = _link_table("breach", "activity")
breach_software = _link_table("breach", "software")
rights_request_activity = _link_table("rights_request", "activity")
dpia_activity = _link_table("dpia", "activity")
contract_activity = _link_table("contract", "activity")


def _owned_by_organisation() -> Mapped[str]:
    return mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)


class Breach(Versioned, Base):
    """A personal data breach, notified or not (Art. 33(5)), with its notification and
    communication to the people (Art. 33, 34)."""

    __tablename__ = "breach"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = _owned_by_organisation()
    reference: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    discovered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    occurred_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    nature: Mapped[list[str]] = mapped_column(JSON, default=list)
    cause: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    subject_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    subjects_count: Mapped[int | None] = mapped_column(Integer)
    records_count: Mapped[int | None] = mapped_column(Integer)
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    consequences: Mapped[str | None] = mapped_column(Text)
    risk_level: Mapped[str | None] = mapped_column(String(20))
    measures_taken: Mapped[str | None] = mapped_column(Text)
    measures_planned: Mapped[str | None] = mapped_column(Text)
    notification: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    no_notification_reason: Mapped[str | None] = mapped_column(Text)
    notified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    notification_reference: Mapped[str | None] = mapped_column(Text)
    late_reason: Mapped[str | None] = mapped_column(Text)
    communication: Mapped[str | None] = mapped_column(String(20))
    communicated_on: Mapped[dt.date | None] = mapped_column(Date)
    communication_details: Mapped[str | None] = mapped_column(Text)
    handled_by: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)

    activities: Mapped[list[Activity]] = relationship(
        secondary=breach_activity, order_by="Activity.name"
    )
    software: Mapped[list[Software]] = relationship(
        secondary=breach_software, order_by="Software.name"
    )


class RightsRequest(Versioned, Base):
    """A request of a person exercising their rights (Art. 12, 15–22) and its answer."""

    __tablename__ = "rights_request"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = _owned_by_organisation()
    reference: Mapped[str | None] = mapped_column(Text)
    requester: Mapped[str] = mapped_column(Text)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    rights: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel: Mapped[str | None] = mapped_column(String(20))
    details: Mapped[str | None] = mapped_column(Text)
    identity_check: Mapped[str | None] = mapped_column(String(20))
    identity_confirmed_on: Mapped[dt.date | None] = mapped_column(Date)
    extended: Mapped[bool | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_informed_on: Mapped[dt.date | None] = mapped_column(Date)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    answer: Mapped[str | None] = mapped_column(Text)
    handled_by: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))

    activities: Mapped[list[Activity]] = relationship(
        secondary=rights_request_activity, order_by="Activity.name"
    )


class Dpia(Versioned, Base):
    """A data protection impact assessment (Art. 35), or an exemption from one."""

    __tablename__ = "dpia"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = _owned_by_organisation()
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    exemption_reference: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(String(20))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    conclusion: Mapped[str | None] = mapped_column(Text)
    dpo_advice: Mapped[str | None] = mapped_column(Text)
    dpo_advice_on: Mapped[dt.date | None] = mapped_column(Date)
    dpo_advice_followed: Mapped[bool | None]
    dpo_advice_departure: Mapped[str | None] = mapped_column(Text)
    residual_risk: Mapped[str | None] = mapped_column(String(20))
    prior_consultation: Mapped[str | None] = mapped_column(String(20))
    prior_consultation_on: Mapped[dt.date | None] = mapped_column(Date)
    prior_consultation_outcome: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date)
    document_location: Mapped[str | None] = mapped_column(Text)

    activities: Mapped[list[Activity]] = relationship(
        secondary=dpia_activity, order_by="Activity.name"
    )


class ProcessorContract(Versioned, Base):
    """The contract binding a processor (Art. 28(3)), with its checklist of clauses."""

    __tablename__ = "contract"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = _owned_by_organisation()
    title: Mapped[str] = mapped_column(Text)
    processor_id: Mapped[str | None] = mapped_column(
        ForeignKey("processor.id", ondelete="SET NULL"), index=True
    )
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    document_location: Mapped[str | None] = mapped_column(Text)
    clause_a: Mapped[bool | None]
    clause_b: Mapped[bool | None]
    clause_c: Mapped[bool | None]
    clause_d: Mapped[bool | None]
    clause_e: Mapped[bool | None]
    clause_f: Mapped[bool | None]
    clause_g: Mapped[bool | None]
    clause_h: Mapped[bool | None]
    subprocessing: Mapped[str | None] = mapped_column(String(20))
    subprocessors: Mapped[str | None] = mapped_column(Text)
    processing_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    dpf_certified: Mapped[bool | None]
    notes: Mapped[str | None] = mapped_column(Text)

    activities: Mapped[list[Activity]] = relationship(
        secondary=contract_activity, order_by="Activity.name"
    )


class Todo(Versioned, Base):
    """A point to see with the DPO on an activity (« Je ne sais pas » in the declaration).

    Open until the DPO closes it; closing is recorded (who, when), never a deletion.
    """

    __tablename__ = "todo"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    activity_id: Mapped[str] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the activity
    question: Mapped[str | None] = mapped_column(String(60))  # a question key, or a field key
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="open")
    created_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """One recorded change; append-only, each entry chained to the previous by its hash."""

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(20), index=True)  # exports are looked up
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    organisation_id: Mapped[str | None] = mapped_column(String(36))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Publication(Base):
    """An official PDF export of one organisation's register, with what it showed.

    ``snapshot`` holds the organisation's fields and each activity in canonical form
    (``registre.publications``), so that what changed since can be listed field by field.
    """

    __tablename__ = "publication"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = _owned_by_organisation()
    exported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    profile: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    file: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


ROW_CLASSES: dict[str, type[ActivityRow]] = {
    "joint_controllers": JointController,
    "controllers_served": ControllerServed,
    "purposes": Purpose,
    "data_subjects": DataSubject,
    "data_categories": DataCategory,
    "recipients": Recipient,
    "transfers": Transfer,
    "security_measures": SecurityMeasure,
}

ENTITY_CLASSES: dict[str, type[Base]] = {
    "organisation": Organisation,
    "activity": Activity,
    "processor": Processor,
    "software": Software,
    "breach": Breach,
    "rights_request": RightsRequest,
    "dpia": Dpia,
    "contract": ProcessorContract,
}

COMPANION_LINKS: dict[tuple[str, str], Table] = {
    ("breach", "activities"): breach_activity,
    ("breach", "software"): breach_software,
    ("rights_request", "activities"): rights_request_activity,
    ("dpia", "activities"): dpia_activity,
    ("contract", "activities"): contract_activity,
}
"""Association table of each reference list of a companion register (entity, field key)."""

# Column types of the fields that have no hand-written column above.
_COLUMN_TYPES: dict[str, Callable[[], Any]] = {
    "text": Text,
    "longtext": Text,
    "email": Text,
    "phone": Text,
    "choice": lambda: String(60),
    "multichoice": JSON,
    "bool": Boolean,
    "date": Date,
    "datetime": DateTime,
    "integer": Integer,
    "siren": lambda: String(9),
}


def _columns_from_schema() -> None:
    """Give every schema field of a plain kind its column, typed by its kind.

    The classes above declare the columns written before this function existed (their SQL
    types are part of existing registers); a field added to ``registre.schema`` afterwards gets
    its column here, so adding one touches the schema and a numbered migration step only.
    References to other records are declared by hand: they need a foreign key or a link table.
    """
    classes: list[tuple[Entity, type[Base]]] = [
        (ENTITIES[name], cls) for name, cls in ENTITY_CLASSES.items()
    ]
    classes += [(ACTIVITY.collection(key).entity, cls) for key, cls in ROW_CLASSES.items()]
    for entity, cls in classes:
        present = {column.key for column in cls.__table__.columns}
        for spec in entity.fields:
            if spec.key in present or spec.kind not in _COLUMN_TYPES:
                continue
            column_type = _COLUMN_TYPES[spec.kind]()
            if spec.kind == "multichoice":
                setattr(cls, spec.key, mapped_column(column_type, default=list))
            else:
                setattr(cls, spec.key, mapped_column(column_type, nullable=True))


_columns_from_schema()


def table_of(mapped: type[Base]) -> Table:
    """The table of a mapped class. Statements naming the table instead of the class need no
    mapper configuration: what an official export runs (reading the audit chain's head and
    the signing identity, recording the export) is written that way, so it configures none."""
    return cast(Table, mapped.__table__)
