"""The Article 30 completeness and consistency checker.

``check_register`` reads a register once (``registre.loader``), runs every rule of
``registre.rules`` (each rule carries its predicate) and returns a ``CheckReport``: the
findings, the scores and the counts by severity. ``check_organisations`` checks records already
loaded, so an export reads the register once for its checks and its pages.
``registre.check_report`` writes a report for people and for machines.

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

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, NamedTuple

from registre.check_report import counts_text, report_json, report_text
from registre.loader import Record, collector_paused, read_register
from registre.rules import RULES, Rule, Scope, Severity, format_text
from registre.rules.base import Check
from registre.rules.derived import law_enforcement_rule
from registre.rules.facts import Context, facts
from registre.schema import COMPANION_KEYS, ENTITIES, LAW_ENFORCEMENT
from registre.storage import Register

# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


class Finding(NamedTuple):
    """One thing a rule found on one record (and, for a row rule, one row).

    A named tuple: a check of 10,000 activities makes tens of thousands of them.
    """

    rule: Rule
    organisation_id: str
    entity: str  # "organisation", "activity", "processor", "software" or a companion register
    record_id: str
    record_name: str
    field: str  # schema key to open, e.g. "data_categories.retention_value"
    row_id: str | None
    details: dict[str, Any]
    article: str  # grouping article, by the activity's role (30.1.e or 30.2.c…)

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
# Running the rules
# --------------------------------------------------------------------------------------------

LAST_RULES = ("validated-incomplete",)  # read what the other rules found on the activity


def _scope_checks(scope: Scope, information: bool = True) -> list[tuple[Rule, Check]]:
    return [
        (r, r.check)
        for r in RULES
        if r.scope is scope and r.check is not None and (information or _counted(r))
    ]


def _counted(rule: Rule) -> bool:
    """The rule's findings count in a tally of errors, warnings and scores (not information)."""
    return rule.severity is not Severity.INFO or rule.counts_for_score


# One rule as the checker runs it on an activity of a given role: the rule, its predicate, the
# record key that must be non-empty for it to apply, whether it counts, whether it is an error,
# and the article its findings are grouped under.
_Step = tuple[Rule, Check, str, bool, bool, str]


@cache
def _activity_steps(
    role: str, information: bool = True, law_enforcement: bool = False
) -> tuple[_Step, ...]:
    rules = [
        law_enforcement_rule(r) if law_enforcement else r
        for r, _c in _scope_checks(Scope.ACTIVITY, information)
        if role in r.roles
    ]
    steps = [
        (r, r.check, r.needs, r.counts_for_score, r.severity is Severity.ERROR, r.article_for(role))
        for r in rules
        if r.check is not None
    ]
    return tuple(sorted(steps, key=lambda step: step[0].id in LAST_RULES))


def check_organisations(
    organisations: list[Record],
    today: dt.date,
    now: dt.datetime | None = None,
    *,
    information: bool = True,
) -> CheckReport:
    """Run every rule on loaded organisations (``registre.loader``) and compute the scores.

    ``now`` (the register's clock) times the 72-hour clock of breaches; without it, the end of
    ``today``. Without ``information``, rules that only inform (no error, no warning, no part
    in the score) are not run: the scores and the errors and warnings are the same.
    """
    ctx = Context(today=today, facts=facts(), now=now)
    findings: list[Finding] = []
    activity_scores: dict[str, ActivityScore] = {}
    organisation_scores: dict[str, OrganisationScore] = {}
    org_checks = _scope_checks(Scope.ORGANISATION, information)
    processor_checks = _scope_checks(Scope.PROCESSOR, information)
    software_checks = _scope_checks(Scope.SOFTWARE, information)
    companion_checks = [
        (key, name, _scope_checks(Scope(name), information)) for name, key in COMPANION_KEYS.items()
    ]
    append = findings.append

    for org in organisations:
        org_id = org["id"]
        ctx.enter_organisation(org)
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
            ctx.enter_activity()
            name = activity["name"]
            steps = _activity_steps(role, information, activity["regime"] == LAW_ENFORCEMENT)
            for rule, check, needs, counts, is_error, article in steps:
                if needs and not activity[needs]:
                    continue  # the rule does not apply (its predicate would say None)
                hits = check(activity, ctx)
                if hits is None:
                    continue
                if counts:
                    applicable += 1
                    met += not hits
                if not hits:
                    continue
                if is_error:
                    ctx.errors += len(hits)
                for row_id, details in hits:
                    append(
                        Finding(
                            rule,
                            org_id,
                            "activity",
                            activity_id,
                            name,
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

        for key, entity, checks in companion_checks:
            for record in org.get(key, ()):
                name = _companion_name(entity, record)
                for rule, check in checks:
                    for row_id, details in check(record, ctx) or ():
                        append(
                            Finding(
                                rule,
                                org_id,
                                entity,
                                record["id"],
                                name,
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


def _companion_name(entity: str, record: Record) -> str:
    """How a companion record is named in a report: its reference and its title."""
    title = str(record[ENTITIES[entity].title_field])
    return f"{record['reference']} — {title}" if record.get("reference") else title


def check_register(
    register: Register, organisation_id: str | None = None, today: dt.date | None = None
) -> CheckReport:
    """Check every organisation of ``register`` (or only ``organisation_id``).

    ``today`` (for review dates and contract ends) defaults to the register's clock.
    Raises ``RecordNotFound`` for an unknown organisation id.
    """
    now = register.context.clock() if today is None else None
    if today is None:
        assert now is not None
        today = now.date()
    with collector_paused():  # the findings are many small objects too
        return check_organisations(read_register(register, organisation_id), today, now)


__all__ = [
    "ActivityScore",
    "CheckReport",
    "Finding",
    "OrganisationScore",
    "check_organisations",
    "check_register",
    "counts_text",  # the report's words, from registre.check_report
    "report_json",
    "report_text",
]
