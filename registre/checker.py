"""The Article 30 completeness and consistency checker.

``check_register`` reads a register once (plain rows by driver-level SQL on the session's
connection, in one read session: 10,000 activities are read and checked in about 0.6 s on the
reference machine, where loading them as ORM objects alone takes 3.5 s), runs every rule of
``registre.rules`` and returns a ``CheckReport``: the findings, the scores and the counts by
severity. ``report_text`` and ``report_json`` write it for people and for machines.

The predicate of each rule is declared here, keyed by rule id (``CHECKS``). A predicate takes
the record (a dict of the schema's keys; an activity also holds its rows, processors and
software) and returns ``None`` when the rule does not apply to it, an empty sequence when it
applies and is met, or one ``(row_id, details)`` pair per finding.

Score definition (see also ``docs/rules.md``)::

    activity score     = (activity requirements met + organisation requirements met)
                         / (activity requirements applicable + organisation requirements applicable)
    organisation score = mean of its activities' scores
                         (no activity: organisation requirements met / applicable)

A requirement is a rule with ``counts_for_score``; it is applicable when the rule targets the
activity's role and its predicate does not return ``None``; it is met when the predicate finds
nothing. The organisation's own items (30.1.a / 30.2.a) belong to every activity's record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from sqlalchemy.orm import Session

from registre.errors import RecordNotFound
from registre.model import (
    ROW_CLASSES,
    Activity,
    Organisation,
    Processor,
    Software,
    activity_processor,
    activity_software,
)
from registre.rules import (
    RULES,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    Rule,
    Scope,
    Severity,
    article_sort_key,
    article_title,
)
from registre.schema import ACTIVITY, ORGANISATION, PROCESSOR, SOFTWARE, Entity, Kind, Role
from registre.storage import Register
from registre.vocabularies import vocabulary

Record = dict[str, Any]
Hit = tuple[str | None, dict[str, Any]]
Check = Callable[[Record, "_Context"], Sequence[Hit] | None]

MET: tuple[Hit, ...] = ()

# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule found on one record (and, for a row rule, one row)."""

    rule: Rule
    organisation_id: str
    entity: str  # "organisation", "activity", "processor" or "software"
    record_id: str
    record_name: str
    field: str  # schema key to open, e.g. "data_categories.retention_value"
    row_id: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    article: str = ""  # grouping article, by the activity's role (30.1.e or 30.2.c…)

    @property
    def severity(self) -> Severity:
        """The rule's severity."""
        return self.rule.severity

    def message(self, lang: str = "fr") -> str:
        """The plain message, details filled in."""
        return format_text(self.rule.message(lang), self.details, lang)

    def detail(self, lang: str = "fr") -> str:
        """The precise message for the DPO, details filled in."""
        return format_text(self.rule.detail(lang), self.details, lang)

    def hint(self, lang: str = "fr") -> str:
        """What to do, details filled in."""
        return format_text(self.rule.hint(lang), self.details, lang)


def _percent(ratio: float) -> int:
    """A ratio as a whole percentage rounded down (100 only when everything is met)."""
    return math.floor(ratio * 100 + 1e-9)


@dataclass(frozen=True, slots=True)
class ActivityScore:
    """How much of Article 30 one activity's record meets (organisation items included)."""

    activity_id: str
    organisation_id: str
    name: str
    reference: str | None
    role: str
    met: int
    applicable: int

    @property
    def score(self) -> float:
        """Share of the applicable requirements that are met, from 0 to 1."""
        return self.met / self.applicable if self.applicable else 1.0

    @property
    def percent(self) -> int:
        """The score as a whole percentage, rounded down."""
        return _percent(self.score)


@dataclass(frozen=True, slots=True)
class OrganisationScore:
    """An organisation's score: the mean of its activities' scores."""

    organisation_id: str
    name: str
    met: int  # organisation requirements met
    applicable: int  # organisation requirements applicable
    activities: int
    score: float

    @property
    def percent(self) -> int:
        """The score as a whole percentage, rounded down."""
        return _percent(self.score)


@dataclass(frozen=True)
class CheckReport:
    """Everything a check found, with the scores."""

    checked_on: dt.date
    findings: list[Finding]
    activity_scores: dict[str, ActivityScore]
    organisation_scores: dict[str, OrganisationScore]

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings by severity (every severity present, possibly 0)."""
        counts = {severity.value: 0 for severity in Severity}
        for finding in self.findings:
            counts[finding.rule.severity.value] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        """True when at least one finding is an error (``registre check`` then exits 1)."""
        return any(f.rule.severity is Severity.ERROR for f in self.findings)

    @property
    def rule_ids(self) -> set[str]:
        """Ids of the rules that found something."""
        return {f.rule.id for f in self.findings}

    def findings_for(self, record_id: str) -> list[Finding]:
        """Findings on one record (organisation, activity, processor or software)."""
        return [f for f in self.findings if f.record_id == record_id]

    def activities_of(self, organisation_id: str) -> list[ActivityScore]:
        """Scores of one organisation's activities, in register order."""
        return self._activities_by_organisation.get(organisation_id, [])

    @cached_property
    def _activities_by_organisation(self) -> dict[str, list[ActivityScore]]:
        grouped: dict[str, list[ActivityScore]] = {}
        for score in self.activity_scores.values():
            grouped.setdefault(score.organisation_id, []).append(score)
        return grouped


# --------------------------------------------------------------------------------------------
# Reference facts, computed once from the vocabularies
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    art9: frozenset[str]
    art10: frozenset[str]
    sensitive: frozenset[str]  # art. 9, art. 10 and NIR: the EDPB "sensitive data" criterion
    vulnerable_subjects: frozenset[str]
    gdpr_territory: frozenset[str]
    adequacy: dict[str, dict[str, Any]]
    adequacy_as_of: str
    adequacy_safeguards: frozenset[str]
    art49_safeguards: frozenset[str]
    public_forbidden_safeguards: frozenset[str]
    needs_legal_text: frozenset[str]
    public_forbidden_bases: frozenset[str]
    third_country_recipients: frozenset[str]


@cache
def _facts() -> _Facts:
    categories = vocabulary("data_categories").terms
    countries = vocabulary("countries")
    safeguards = vocabulary("transfer_safeguards").terms
    bases = vocabulary("legal_bases").terms

    def keys(terms: Sequence[Any], test: Callable[[dict[str, Any]], bool]) -> frozenset[str]:
        return frozenset(t.key for t in terms if test(t.extra))

    return _Facts(
        art9=keys(categories, lambda x: x.get("sensitivity") == "art9"),
        art10=keys(categories, lambda x: x.get("sensitivity") == "art10"),
        sensitive=keys(categories, lambda x: x.get("sensitivity") != "ordinary"),
        vulnerable_subjects=keys(
            vocabulary("data_subject_categories").terms, lambda x: bool(x.get("vulnerable"))
        ),
        gdpr_territory=keys(countries.terms, lambda x: bool(x.get("gdpr_territory"))),
        adequacy={t.key: t.extra["adequacy"] for t in countries.terms if t.extra.get("adequacy")},
        adequacy_as_of=str(countries.extra.get("adequacy_as_of", "")),
        adequacy_safeguards=keys(safeguards, lambda x: x.get("kind") == "adequacy"),
        art49_safeguards=keys(safeguards, lambda x: x.get("kind") == "art49"),
        public_forbidden_safeguards=keys(
            safeguards, lambda x: x.get("public_authority_allowed") is False
        ),
        needs_legal_text=keys(bases, lambda x: bool(x.get("needs_legal_text"))),
        public_forbidden_bases=keys(bases, lambda x: x.get("public_authority_allowed") is False),
        third_country_recipients=frozenset({"third_country_recipients"}),
    )


@dataclass
class _Context:
    """What predicates may read besides the record."""

    today: dt.date
    facts: _Facts
    errors: int = 0  # error findings of the activity being checked so far


# --------------------------------------------------------------------------------------------
# Predicates, keyed by rule id
# --------------------------------------------------------------------------------------------

CHECKS: dict[str, Check] = {}


def _check(rule_id: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS[rule_id] = function
        return function

    return register


def _fire(**details: Any) -> list[Hit]:
    return [(None, details)]


def _derived_check(rule: Rule) -> Check:
    """Predicate of a rule derived from the schema: a mandatory item left empty."""
    key = rule.field
    if "." in key:
        collection, name = key.split(".", 1)

        def row_field(record: Record, _ctx: _Context) -> Sequence[Hit] | None:
            rows = record[collection]
            if not rows:
                return None
            return [
                (row["id"], {"position": index})
                for index, row in enumerate(rows, 1)
                if row[name] is None or row[name] == ""
            ]

        return row_field

    if key in ROW_CLASSES:

        def collection_empty(record: Record, _ctx: _Context) -> Sequence[Hit] | None:
            return MET if record[key] else _fire()

        return collection_empty

    def field_empty(record: Record, _ctx: _Context) -> Sequence[Hit] | None:
        value = record[key]
        return _fire() if value is None or value == "" else MET

    return field_empty


for _rule in RULES:
    if _rule.derived:
        CHECKS[_rule.id] = _derived_check(_rule)


# ---- organisation ------------------------------------------------------------------------------


@_check("org-legal-representative-missing")
def _legal_representative(org: Record, _ctx: _Context) -> Sequence[Hit] | None:
    return MET if org["legal_representative_name"] else _fire()


@_check("org-dpo-designation-number-missing")
def _dpo_designation(org: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not org["dpo_name"]:
        return None
    return MET if org["dpo_designation_number"] else _fire()


@_check("org-no-activity")
def _no_activity(org: Record, _ctx: _Context) -> Sequence[Hit] | None:
    return MET if org["activities"] else _fire()


# ---- transfers -----------------------------------------------------------------------------


@_check("transfers-undeclared")
def _transfers_undeclared(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    return _fire() if a["has_transfers"] is None and not a["transfers"] else MET


@_check("transfers-missing")
def _transfers_missing(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if a["has_transfers"] is not True:
        return None
    return MET if a["transfers"] else _fire()


@_check("transfers-contradiction")
def _transfers_contradiction(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if a["has_transfers"] is not False:
        return None
    types = ctx.facts.third_country_recipients
    recipients = sum(1 for r in a["recipients"] if r["recipient_type"] in types)
    if a["transfers"] or recipients:
        return _fire(transfers=len(a["transfers"]), third_country_recipients=recipients)
    return MET


def _transfer_details(row: Record, index: int) -> dict[str, Any]:
    return {
        "position": index,
        "country": row["country"],
        "recipient": row["recipient"],
        "safeguard": row["safeguard"],
    }


def _outside(country: str | None, facts: _Facts) -> bool:
    """A known country outside the area where the GDPR applies."""
    return bool(country) and country not in facts.gdpr_territory


@_check("transfer-no-safeguard")
def _transfer_no_safeguard(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    facts = ctx.facts
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in enumerate(a["transfers"], 1)
        if _outside(row["country"], facts)
        and row["country"] not in facts.adequacy
        and not row["safeguard"]
    ]


@_check("transfer-adequacy-mismatch")
def _transfer_adequacy_mismatch(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    facts = ctx.facts
    return [
        (row["id"], {**_transfer_details(row, index), "adequacy_as_of": facts.adequacy_as_of})
        for index, row in enumerate(a["transfers"], 1)
        if row["safeguard"] in facts.adequacy_safeguards
        and _outside(row["country"], facts)
        and row["country"] not in facts.adequacy
    ]


@_check("transfer-partial-adequacy")
def _transfer_partial_adequacy(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    facts = ctx.facts
    hits: list[Hit] = []
    for index, row in enumerate(a["transfers"], 1):
        decision = facts.adequacy.get(row["country"] or "")
        if (
            decision
            and decision.get("scope") != "full"
            and (not row["safeguard"] or row["safeguard"] in facts.adequacy_safeguards)
            and not row["documentation"]
        ):
            details = _transfer_details(row, index)
            details["scope"] = {"fr": decision.get("scope_fr", ""), "en": decision.get("scope", "")}
            hits.append((row["id"], details))
    return hits


@_check("transfer-art49-documentation")
def _transfer_art49_documentation(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    derogations = ctx.facts.art49_safeguards
    rows = [
        (index, row)
        for index, row in enumerate(a["transfers"], 1)
        if row["safeguard"] in derogations
    ]
    if not rows:
        return None
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in rows
        if not row["documentation"]
    ]


@_check("transfer-art49-public-authority")
def _transfer_art49_public_authority(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    forbidden = ctx.facts.public_forbidden_safeguards
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in enumerate(a["transfers"], 1)
        if row["safeguard"] in forbidden
    ]


@_check("transfer-inside-eu")
def _transfer_inside_eu(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    territory = ctx.facts.gdpr_territory
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in enumerate(a["transfers"], 1)
        if row["country"] in territory
    ]


@_check("software-outside-eu")
def _software_outside_eu(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["software"]:
        return None
    declared = {row["country"] for row in a["transfers"]}
    return [
        (None, {"software": s["name"], "software_id": s["id"], "country": s["hosting_country"]})
        for s in a["software"]
        if _outside(s["hosting_country"], ctx.facts) and s["hosting_country"] not in declared
    ]


@_check("processor-outside-eu")
def _processor_outside_eu(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["processors"]:
        return None
    declared = {row["country"] for row in a["transfers"]}
    return [
        (None, {"processor": p["name"], "processor_id": p["id"], "country": p["country"]})
        for p in a["processors"]
        if _outside(p["country"], ctx.facts) and p["country"] not in declared
    ]


# ---- retention -----------------------------------------------------------------------------


def _has_retention(row: Record) -> bool:
    unit = row["retention_unit"]
    return unit == "unlimited" or (unit is not None and row["retention_value"] is not None)


def _category_hits(a: Record, test: Callable[[Record], bool]) -> list[Hit]:
    return [
        (row["id"], {"position": index, "category": row["category"]})
        for index, row in enumerate(a["data_categories"], 1)
        if test(row)
    ]


def _without_retention(row: Record) -> bool:
    return not _has_retention(row)


@_check("retention-missing")
def _retention_missing(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not a["data_categories"] or a["general_retention"]:
        return None
    return _category_hits(a, _without_retention)


@_check("retention-only-general")
def _retention_only_general(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not a["data_categories"] or not a["general_retention"]:
        return None
    return _category_hits(a, _without_retention)


@_check("retention-unlimited")
def _retention_unlimited(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(a, lambda row: row["retention_unit"] == "unlimited")


@_check("retention-start-missing")
def _retention_start(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(
        a,
        lambda row: (
            _has_retention(row)
            and row["retention_unit"] != "unlimited"
            and not row["retention_start"]
        ),
    )


@_check("retention-disposition-missing")
def _retention_disposition(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(a, lambda row: not row["final_disposition"])


@_check("data-categories-details-missing")
def _category_details(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(a, lambda row: not row["details"])


# ---- security ------------------------------------------------------------------------------


@_check("security-missing")
def _security_missing(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    return MET if a["security_measures"] or a["security_overview"] else _fire()


# ---- lawfulness ----------------------------------------------------------------------------


@_check("legal-basis-missing")
def _legal_basis_missing(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    return MET if a["legal_basis"] else _fire()


@_check("legal-basis-text-missing")
def _legal_basis_text(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if a["legal_basis"] not in ctx.facts.needs_legal_text:
        return None
    return MET if a["legal_basis_text"] else _fire(legal_basis=a["legal_basis"])


@_check("legitimate-interest-public-authority")
def _legitimate_interest(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    # Every organisation of a register is a public body (the product's users).
    if a["legal_basis"] in ctx.facts.public_forbidden_bases:
        return _fire(legal_basis=a["legal_basis"])
    return MET


def _categories_in(a: Record, keys: frozenset[str]) -> list[str]:
    found: list[str] = []
    for row in a["data_categories"]:
        if row["category"] in keys and row["category"] not in found:
            found.append(row["category"])
    return found


@_check("art9-condition-missing")
def _art9_missing(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    sensitive = _categories_in(a, ctx.facts.art9)
    if not sensitive:
        return None
    return MET if a["art9_condition"] else _fire(categories=sensitive)


@_check("art9-condition-unused")
def _art9_unused(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if not a["art9_condition"]:
        return None
    if _categories_in(a, ctx.facts.art9):
        return MET
    return _fire(condition=a["art9_condition"])


@_check("offence-authority-missing")
def _offence_authority(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    offences = _categories_in(a, ctx.facts.art10)
    if not offences:
        return None
    return MET if a["offence_data_authority"] else _fire(categories=offences)


# ---- DPIA ----------------------------------------------------------------------------------


def dpia_criteria(a: Record, facts: _Facts | None = None) -> list[str]:
    """EDPB criteria of an activity: those ticked, plus those its content shows.

    Special-category, offence or NIR data make "sensitive data"; a vulnerable category of data
    subjects (minors, social aid applicants…) makes "vulnerable subjects".
    """
    facts = facts or _facts()
    criteria = list(a["dpia_criteria"] or [])
    if "sensitive_data" not in criteria and any(
        row["category"] in facts.sensitive for row in a["data_categories"]
    ):
        criteria.append("sensitive_data")
    if "vulnerable_subjects" not in criteria and any(
        row["category"] in facts.vulnerable_subjects for row in a["data_subjects"]
    ):
        criteria.append("vulnerable_subjects")
    return criteria


def _dpia_details(a: Record, facts: _Facts) -> tuple[bool, dict[str, Any]]:
    criteria = dpia_criteria(a, facts)
    likely = len(criteria) >= 2 or bool(a["dpia_cnil_type"])
    return likely, {"criteria": criteria, "cnil_type": a["dpia_cnil_type"]}


@_check("dpia-likely-needed")
def _dpia_likely(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if a["dpia_status"]:
        return None
    likely, details = _dpia_details(a, ctx.facts)
    return [(None, details)] if likely else MET


@_check("dpia-not-needed-contradiction")
def _dpia_contradiction(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if a["dpia_status"] != "not_needed":
        return None
    _likely, details = _dpia_details(a, ctx.facts)
    if details["cnil_type"] or (len(details["criteria"]) >= 2 and not a["dpia_conclusion"]):
        return [(None, details)]
    return MET


@_check("dpia-not-assessed")
def _dpia_not_assessed(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    if a["dpia_status"]:
        return None
    likely, _details = _dpia_details(a, ctx.facts)
    return None if likely else _fire()


# ---- follow-up -----------------------------------------------------------------------------


@_check("review-overdue")
def _review_overdue(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    due = a["next_review_on"]
    if due is None:
        return None
    return _fire(date=due.isoformat()) if due < ctx.today else MET


@_check("validated-incomplete")
def _validated_incomplete(a: Record, ctx: _Context) -> Sequence[Hit] | None:
    # Runs last for each activity: ctx.errors counts the errors found on it.
    if a["status"] != "validated":
        return None
    return _fire(count=ctx.errors) if ctx.errors else MET


# ---- processor mode --------------------------------------------------------------------------


@_check("controllers-served-dpo-missing")
def _controller_dpo(a: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if not a["controllers_served"]:
        return None
    return [
        (row["id"], {"position": index, "name": row["name"]})
        for index, row in enumerate(a["controllers_served"], 1)
        if not row["dpo_contact"]
    ]


# ---- processors and software -------------------------------------------------------------------


@_check("processor-art28-contract")
def _art28(p: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if p["has_art28_contract"] is True:
        return MET
    answer = "unknown" if p["has_art28_contract"] is None else "no"
    return _fire(processor=p["name"], answer=answer)


@_check("processor-contract-expired")
def _contract_expired(p: Record, ctx: _Context) -> Sequence[Hit] | None:
    end = p["contract_end"]
    if end is None:
        return None
    return _fire(processor=p["name"], date=end.isoformat()) if end < ctx.today else MET


@_check("software-hosting-country-missing")
def _software_country(s: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if s["hosting"] != "provider":
        return None
    return MET if s["hosting_country"] else _fire(software=s["name"])


@_check("software-provider-missing")
def _software_provider(s: Record, _ctx: _Context) -> Sequence[Hit] | None:
    if s["hosting"] != "provider":
        return None
    return MET if s["processor_id"] else _fire(software=s["name"])


# --------------------------------------------------------------------------------------------
# Loading: plain rows, one read session
# --------------------------------------------------------------------------------------------


def _stored_keys(entity: Entity) -> list[str]:
    return [f.key for f in entity.fields if f.kind != Kind.REFERENCES]


def _to_bool(value: Any) -> bool:
    return bool(value)


def _to_list(value: Any) -> list[Any]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return list(loaded or [])


_CONVERTERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.BOOL: _to_bool,
    Kind.DATE: dt.date.fromisoformat,
    Kind.MULTICHOICE: _to_list,
}


@dataclass(frozen=True)
class _Table:
    """How to read one table as plain dicts: columns in schema order and value converters."""

    name: str
    keys: tuple[str, ...]
    converters: tuple[tuple[str, Callable[[Any], Any]], ...]

    @classmethod
    def of(cls, table: str, entity: Entity, *technical: str) -> _Table:
        fields = [f for f in entity.fields if f.kind != Kind.REFERENCES]
        return cls(
            table,
            (*technical, *(f.key for f in fields)),
            tuple((f.key, _CONVERTERS[f.kind]) for f in fields if f.kind in _CONVERTERS),
        )

    def read(
        self, session: Session, where: str = "", params: tuple[Any, ...] = (), order: str = ""
    ) -> list[Record]:
        # Identifiers come from the schema, never from users; values are bound parameters.
        sql = f"SELECT {', '.join(self.keys)} FROM {self.name}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        keys, converters = self.keys, self.converters
        records = []
        for row in session.connection().exec_driver_sql(sql, params):
            record = dict(zip(keys, row, strict=True))
            for key, convert in converters:
                value = record[key]
                if value is not None:
                    record[key] = convert(value)
            records.append(record)
        return records


@cache
def _tables() -> dict[str, _Table]:
    tables = {
        "organisation": _Table.of(Organisation.__tablename__, ORGANISATION, "id"),
        "processor": _Table.of(Processor.__tablename__, PROCESSOR, "id", "organisation_id"),
        "software": _Table.of(Software.__tablename__, SOFTWARE, "id", "organisation_id"),
        "activity": _Table.of(Activity.__tablename__, ACTIVITY, "id", "organisation_id"),
    }
    for key, cls in ROW_CLASSES.items():
        tables[key] = _Table.of(
            cls.__tablename__, ACTIVITY.collection(key).entity, "id", "activity_id"
        )
    return tables


def load_register(session: Session, organisation_id: str | None = None) -> list[Record]:
    """Organisations (by name) with their activities, processors and software, as plain dicts.

    An activity holds its rows under each collection key (in their order) and the processor and
    software records it uses under ``processors`` and ``software`` (by name). Rows are read
    without the ORM: building 100,000 ORM objects would take seconds.
    """
    tables = _tables()
    only = (organisation_id,) if organisation_id else ()
    organisations = tables["organisation"].read(
        session, "id = ?" if only else "", only, order="name, id"
    )
    if organisation_id and not organisations:
        raise RecordNotFound(entity=ORGANISATION.label_fr, id=organisation_id)
    by_id = {org["id"]: org for org in organisations}
    for org in organisations:
        org["activities"], org["processors"], org["software"] = [], [], []
    owned = "organisation_id = ?" if only else ""

    linked: dict[str, dict[str, Record]] = {"processors": {}, "software": {}}
    for table, key in (("processor", "processors"), ("software", "software")):
        for record in tables[table].read(session, owned, only, order="name, id"):
            linked[key][record["id"]] = record
            by_id[record["organisation_id"]][key].append(record)

    activities: dict[str, Record] = {}
    collections = tuple(ROW_CLASSES)
    for record in tables["activity"].read(session, owned, only, order="reference, name, id"):
        for key in collections:
            record[key] = []
        record["processors"], record["software"] = [], []
        activities[record["id"]] = record
        by_id[record["organisation_id"]]["activities"].append(record)

    in_scope = "activity_id IN (SELECT id FROM activity WHERE organisation_id = ?)" if only else ""
    for key in collections:
        for row in tables[key].read(session, in_scope, only, order="position"):
            owner = activities.get(row["activity_id"])
            if owner is not None:
                owner[key].append(row)
    for link, key, column in (
        (activity_processor, "processors", "processor_id"),
        (activity_software, "software", "software_id"),
    ):
        sql = f"SELECT activity_id, {column} FROM {link.name}"
        if in_scope:
            sql += f" WHERE {in_scope}"
        records = linked[key]
        for activity_id, linked_id in session.connection().exec_driver_sql(sql, only):
            owner = activities.get(activity_id)
            if owner is not None and linked_id in records:
                owner[key].append(records[linked_id])
    for record in activities.values():
        if len(record["processors"]) > 1:
            record["processors"].sort(key=_by_name)
        if len(record["software"]) > 1:
            record["software"].sort(key=_by_name)
    return organisations


def _by_name(record: Record) -> str:
    return str(record["name"])


# --------------------------------------------------------------------------------------------
# Running the rules
# --------------------------------------------------------------------------------------------

LAST_RULES = ("validated-incomplete",)  # read what the other rules found on the activity


def _scope_checks(scope: Scope) -> list[tuple[Rule, Check]]:
    return [(r, CHECKS[r.id]) for r in RULES if r.scope is scope]


@cache
def _activity_checks(role: str) -> list[tuple[Rule, Check]]:
    checks = [(r, c) for r, c in _scope_checks(Scope.ACTIVITY) if role in r.roles]
    return sorted(checks, key=lambda pair: pair[0].id in LAST_RULES)


def check_organisations(organisations: list[Record], today: dt.date) -> CheckReport:
    """Run every rule on loaded organisations (``load_register``) and compute the scores."""
    ctx = _Context(today=today, facts=_facts())
    findings: list[Finding] = []
    activity_scores: dict[str, ActivityScore] = {}
    organisation_scores: dict[str, OrganisationScore] = {}
    org_checks = _scope_checks(Scope.ORGANISATION)
    processor_checks = _scope_checks(Scope.PROCESSOR)
    software_checks = _scope_checks(Scope.SOFTWARE)
    append = findings.append
    error = Severity.ERROR

    for org in organisations:
        org_id = org["id"]
        org_met = org_applicable = 0
        for rule, check in org_checks:
            hits = check(org, ctx)
            if hits is None:
                continue
            if rule.counts_for_score:
                org_applicable += 1
                org_met += not hits
            for row_id, details in hits:
                append(
                    Finding(
                        rule,
                        org_id,
                        "organisation",
                        org_id,
                        org["name"],
                        rule.field,
                        row_id,
                        details,
                        rule.article,
                    )
                )

        ratios: list[float] = []
        for activity in org["activities"]:
            activity_id = activity["id"]
            role = activity["role"]
            met, applicable = org_met, org_applicable
            ctx.errors = 0
            for rule, check in _activity_checks(role):
                hits = check(activity, ctx)
                if hits is None:
                    continue
                if rule.counts_for_score:
                    applicable += 1
                    met += not hits
                if not hits:
                    continue
                if rule.severity is error:
                    ctx.errors += len(hits)
                article = rule.article_for(role)
                for row_id, details in hits:
                    append(
                        Finding(
                            rule,
                            org_id,
                            "activity",
                            activity_id,
                            activity["name"],
                            rule.field,
                            row_id,
                            details,
                            article,
                        )
                    )
            score = ActivityScore(
                activity_id,
                org_id,
                activity["name"],
                activity["reference"],
                role,
                met,
                applicable,
            )
            activity_scores[activity_id] = score
            ratios.append(score.score)

        for records, entity, checks in (
            (org["processors"], "processor", processor_checks),
            (org["software"], "software", software_checks),
        ):
            for record in records:
                for rule, check in checks:
                    for row_id, details in check(record, ctx) or ():
                        append(
                            Finding(
                                rule,
                                org_id,
                                entity,
                                record["id"],
                                record["name"],
                                rule.field,
                                row_id,
                                details,
                                rule.article,
                            )
                        )

        if ratios:
            org_score = sum(ratios) / len(ratios)
        else:
            org_score = org_met / org_applicable if org_applicable else 1.0
        organisation_scores[org_id] = OrganisationScore(
            org_id, org["name"], org_met, org_applicable, len(ratios), org_score
        )
    return CheckReport(today, findings, activity_scores, organisation_scores)


def check_register(
    register: Register, organisation_id: str | None = None, today: dt.date | None = None
) -> CheckReport:
    """Check every organisation of ``register`` (or only ``organisation_id``).

    ``today`` (for review dates and contract ends) defaults to the register's clock.
    Raises ``RecordNotFound`` for an unknown organisation id.
    """
    if today is None:
        today = register.context.clock().date()
    with _collector_paused(), register.read() as session:
        organisations = load_register(session, organisation_id)
        return check_organisations(organisations, today)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic dicts.

    Loading 10,000 activities creates some 100,000 dicts; the collector would otherwise scan
    them again and again (about a quarter of the loading time). Reference counting still frees
    everything; the previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------
# Filling message templates
# --------------------------------------------------------------------------------------------

_VOCABULARY_DETAILS = {
    "country": "countries",
    "category": "data_categories",
    "legal_basis": "legal_bases",
    "condition": "art9_conditions",
    "cnil_type": "dpia_cnil_types",
    "safeguard": "transfer_safeguards",
}
_LIST_DETAILS = {"categories": "data_categories", "criteria": "dpia_criteria"}
_DATE_DETAILS = {"date", "adequacy_as_of"}
_ANSWERS = {"no": ("non", "no"), "unknown": ("sans réponse", "no answer")}
_WITH_KEY = {"legal_basis", "condition"}  # label followed by the article: "Consentement (6.1.a)"


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _date(value: str, lang: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return day.isoformat() if lang == "en" else day.strftime("%d/%m/%Y")


def _label(name: str, value: Any, lang: str) -> str:
    if isinstance(value, dict):  # a text given in both languages
        return str(value.get(lang) or value.get("fr") or "")
    if name in _LIST_DETAILS:
        if not value:
            return _t(lang, "aucun", "none")
        vocab = vocabulary(_LIST_DETAILS[name])
        return ", ".join(vocab.label(str(item), lang) for item in value)
    if value is None or value == "":
        if name == "cnil_type":
            return _t(lang, "aucun", "none")
        return _t(lang, "non précisé", "not given")
    if name in _VOCABULARY_DETAILS:
        vocab = vocabulary(_VOCABULARY_DETAILS[name])
        term = vocab.term(str(value))
        if term is None:
            return str(value)
        if name == "safeguard" and term.extra.get("article"):
            return f"{term.label(lang)} ({_t(lang, 'art.', 'Art.')} {term.extra['article']})"
        if name in _WITH_KEY:
            return f"{term.label(lang)} ({value})"
        return term.label(lang)
    if name in _DATE_DETAILS:
        return _date(str(value), lang)
    if name == "answer" and value in _ANSWERS:
        fr, en = _ANSWERS[value]
        return _t(lang, fr, en)
    return str(value)


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def format_text(template: str, details: dict[str, Any], lang: str = "fr") -> str:
    """``template`` with its ``{placeholders}`` replaced by the labelled ``details``."""
    if "{" not in template:
        return template
    values = _Values({name: _label(name, value, lang) for name, value in details.items()})
    return template.format_map(values)


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def _plural(count: int, lang: str, fr: tuple[str, str], en: tuple[str, str]) -> str:
    singular, plural = en if lang == "en" else fr
    # French uses the singular for 0 and 1 ("0 erreur"), English only for 1.
    one = count == 1 if lang == "en" else count <= 1
    return f"{count} {singular if one else plural}"


def counts_text(counts: dict[str, int], lang: str = "fr") -> str:
    """The counts by severity in words: « 2 erreurs, 1 avertissement, 0 conseil »."""
    return ", ".join(
        (
            _plural(counts["error"], lang, ("erreur", "erreurs"), ("error", "errors")),
            _plural(
                counts["warning"],
                lang,
                ("avertissement", "avertissements"),
                ("warning", "warnings"),
            ),
            _plural(
                counts["info"],
                lang,
                ("conseil", "conseils"),
                ("piece of advice", "pieces of advice"),
            ),
        )
    )


_ROLE_TEXT = {
    Role.CONTROLLER.value: ("responsable de traitement", "controller"),
    Role.PROCESSOR.value: ("sous-traitant", "processor"),
}


def _record_heading(finding: Finding, report: CheckReport, lang: str) -> str:
    name = finding.record_name
    if finding.entity == "organisation":
        return _t(lang, f"Organisme « {name} »", f"Organisation “{name}”")
    if finding.entity == "processor":
        return _t(lang, f"Sous-traitant « {name} »", f"Processor “{name}”")
    if finding.entity == "software":
        return _t(lang, f"Logiciel « {name} »", f"Software “{name}”")
    score = report.activity_scores[finding.record_id]
    fr_role, en_role = _ROLE_TEXT.get(score.role, (score.role, score.role))
    reference = f"{score.reference} " if score.reference else ""
    return _t(
        lang,
        f"Traitement {reference}« {name} » ({fr_role}) — conformité {score.percent} %",
        f"Activity {reference}“{name}” ({en_role}) — compliance {score.percent} %",
    )


def _finding_lines(finding: Finding, lang: str) -> list[str]:
    label_fr, label_en = SEVERITY_LABELS[finding.rule.severity]
    rule = finding.rule
    return [
        f"    [{_t(lang, label_fr, label_en)}] {finding.message(lang)}",
        "      "
        + _t(
            lang,
            f"Pour le DPO ({rule.reference} ; règle {rule.id}) : ",
            f"For the DPO ({rule.reference_en}; rule {rule.id}): ",
        )
        + finding.detail(lang),
        "      " + _t(lang, "À faire : ", "To do: ") + finding.hint(lang),
    ]


def report_text(report: CheckReport, lang: str = "fr") -> str:
    """The human-readable report: by organisation, then record, then article."""
    day = _date(report.checked_on.isoformat(), lang)
    lines = [
        _t(lang, f"Contrôle du registre au {day}", f"Register check as of {day}"),
        counts_text(report.counts, lang),
    ]
    by_org: dict[str, dict[tuple[str, str], list[Finding]]] = {}
    for finding in report.findings:
        records = by_org.setdefault(finding.organisation_id, {})
        records.setdefault((finding.entity, finding.record_id), []).append(finding)

    for org_id, org_score in report.organisation_scores.items():
        records = by_org.get(org_id, {})
        org_activities = report.activities_of(org_id)
        clean = sum(1 for s in org_activities if ("activity", s.activity_id) not in records)
        lines += ["", org_score.name, "=" * min(len(org_score.name), 100)]
        count = _plural(
            org_score.activities, lang, ("traitement", "traitements"), ("activity", "activities")
        )
        lines.append(
            _t(
                lang,
                f"Conformité à l'article 30 : {org_score.percent} % "
                f"({count}, dont {clean} sans remarque)",
                f"Article 30 compliance: {org_score.percent} % ({count}, {clean} without findings)",
            )
        )
        if not records:
            lines.append(_t(lang, "Aucune remarque.", "No findings."))
        for record_findings in records.values():
            lines += ["", _record_heading(record_findings[0], report, lang)]
            by_article: dict[str, list[Finding]] = {}
            for finding in record_findings:
                by_article.setdefault(finding.article, []).append(finding)
            for article in sorted(by_article, key=article_sort_key):
                title = article_title(article, lang)
                heading = f"  {_t(lang, 'Art.', 'Art.')} {article}"
                lines.append(f"{heading} — {title}" if title else heading)
                ordered = sorted(by_article[article], key=lambda f: SEVERITY_ORDER[f.severity])
                for finding in ordered:
                    lines += _finding_lines(finding, lang)
    lines += [
        "",
        _t(
            lang,
            "Erreur : mention obligatoire de l'article 30 absente. Avertissement : mention "
            "demandée « dans la mesure du possible » ou « le cas échéant », ou incohérence. "
            "Conseil : bonne pratique.",
            "Error: a mandatory Article 30 item is missing. Warning: an item asked for “where "
            "possible” or “where applicable”, or an inconsistency. Advice: good practice.",
        ),
    ]
    return "\n".join(lines) + "\n"


def _finding_json(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {
        "rule": rule.id,
        "reference": rule.reference,
        "reference_en": rule.reference_en,
        "article": finding.article,
        "severity": rule.severity.value,
        "scope": rule.scope.value,
        "organisation_id": finding.organisation_id,
        "entity": finding.entity,
        "record_id": finding.record_id,
        "record_name": finding.record_name,
        "row_id": finding.row_id,
        "field": finding.field,
        "counts_for_score": rule.counts_for_score,
        "message": {"fr": finding.message("fr"), "en": finding.message("en")},
        "detail": {"fr": finding.detail("fr"), "en": finding.detail("en")},
        "hint": {"fr": finding.hint("fr"), "en": finding.hint("en")},
        "details": finding.details,
    }


JSON_FORMAT_VERSION = 1


def report_json(report: CheckReport) -> dict[str, Any]:
    """The report as JSON-ready data with stable keys (``json.dumps`` it)."""
    organisations = []
    for org_id, org_score in report.organisation_scores.items():
        activities = [
            {
                "id": s.activity_id,
                "name": s.name,
                "reference": s.reference,
                "role": s.role,
                "score": round(s.score, 4),
                "percent": s.percent,
                "met": s.met,
                "applicable": s.applicable,
            }
            for s in report.activities_of(org_id)
        ]
        organisations.append(
            {
                "id": org_id,
                "name": org_score.name,
                "score": round(org_score.score, 4),
                "percent": org_score.percent,
                "organisation_requirements": {
                    "met": org_score.met,
                    "applicable": org_score.applicable,
                },
                "activities": activities,
            }
        )
    return {
        "format": "registre-check",
        "version": JSON_FORMAT_VERSION,
        "checked_on": report.checked_on.isoformat(),
        "has_errors": report.has_errors,
        "counts": report.counts,
        "organisations": organisations,
        "findings": [_finding_json(f) for f in report.findings],
    }
