"""Reference facts the predicates test against, computed once from the vocabularies.

Some vocabulary terms carry a condition (``infer`` of the CNIL's DPIA list and of the Art. 35(3)
cases, ``applies`` of a sector retention limit): which data subjects, data categories, EDPB
criteria or kinds of organisation make the term apply to an activity. ``Condition`` reads them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from registre.loader import Record
from registre.vocabularies import Term, vocabulary

# Days in a retention unit, rounded up so that "31 days" is not "more than one month".
UNIT_DAYS = {"days": 1, "months": 31, "years": 366}


@dataclass(frozen=True)
class Condition:
    """When a vocabulary term applies to an activity (every part given must hold)."""

    criteria_all: frozenset[str] = frozenset()
    subjects_any: frozenset[str] = frozenset()
    categories_any: frozenset[str] = frozenset()
    organisation_kinds: frozenset[str] = frozenset()

    @classmethod
    def of(cls, spec: Mapping[str, Any], sensitivity: Mapping[str, str]) -> Condition:
        """Read ``{"criteria_all": […], "subjects_any": […], "categories_any": […], …}``.

        ``sensitivity_any`` names sensitivity classes (``art9``, ``art10``) instead of
        categories.
        """
        categories = set(spec.get("categories_any", ()))
        classes = set(spec.get("sensitivity_any", ()))
        categories |= {key for key, kind in sensitivity.items() if kind in classes}
        return cls(
            criteria_all=frozenset(spec.get("criteria_all", ())),
            subjects_any=frozenset(spec.get("subjects_any", ())),
            categories_any=frozenset(categories),
            organisation_kinds=frozenset(spec.get("organisation_kinds", ())),
        )

    def holds(
        self,
        criteria: Collection[str],
        subjects: Collection[str],
        categories: Collection[str],
        organisation_kind: str | None,
    ) -> bool:
        """True when the activity shows every part of the condition."""
        if self.criteria_all and not self.criteria_all.issubset(criteria):
            return False
        if self.subjects_any and self.subjects_any.isdisjoint(subjects):
            return False
        if self.categories_any and self.categories_any.isdisjoint(categories):
            return False
        return not self.organisation_kinds or organisation_kind in self.organisation_kinds


@dataclass(frozen=True)
class RetentionLimit:
    """A maximum retention period set by a text, for some data of some activities."""

    key: str
    max_value: int
    max_unit: str
    categories: frozenset[str]
    condition: Condition
    reference: str
    label: dict[str, str]

    @property
    def max_days(self) -> int:
        """The maximum in days (months and years rounded up)."""
        return self.max_value * UNIT_DAYS[self.max_unit]


@dataclass(frozen=True)
class Facts:
    """What the reference vocabularies say, as sets of keys the predicates test against."""

    art9: frozenset[str]
    art10: frozenset[str]
    sensitive: frozenset[str]  # art. 9, art. 10 and NIR: the EDPB "sensitive data" criterion
    sensitivity: dict[str, str]  # data category -> ordinary, art9, art10 or nir
    vulnerable_subjects: frozenset[str]
    consent_rarely_free: frozenset[str]  # data subjects whose consent is rarely free (rec. 43)
    gdpr_territory: frozenset[str]
    adequacy: dict[str, dict[str, Any]]
    adequacy_as_of: str
    limited_adequacy: frozenset[str]  # countries whose decision covers only some recipients
    adequacy_safeguards: frozenset[str]
    art49_safeguards: frozenset[str]
    documented_safeguards: frozenset[str]  # assessment documented in the record (49.6)
    public_forbidden_safeguards: frozenset[str]
    needs_legal_text: frozenset[str]
    public_forbidden_bases: frozenset[str]
    third_country_recipients: frozenset[str]
    private_kinds: frozenset[str]  # kinds of organisation that are not public bodies (37.1.a)
    large_scale_threshold: int
    mandatory_cases: tuple[tuple[str, Condition], ...]  # Art. 35(3)
    cnil_types: tuple[tuple[str, Condition], ...]  # CNIL list (2018-327) known from content
    exemptions: dict[str, dict[str, Any]]  # CNIL exemption list (2019-118)
    retention_limits: tuple[RetentionLimit, ...]

    @property
    def template_bases(self) -> Mapping[str, str]:
        """Template id -> the legal basis the catalogue gives it (read at the first use)."""
        return _template_bases()


def _keys(terms: Sequence[Term], test: Callable[[dict[str, Any]], bool]) -> frozenset[str]:
    return frozenset(t.key for t in terms if test(t.extra))


def _inferred(name: str, sensitivity: Mapping[str, str]) -> tuple[tuple[str, Condition], ...]:
    return tuple(
        (t.key, Condition.of(t.extra["infer"], sensitivity))
        for t in vocabulary(name).terms
        if t.extra.get("infer")
    )


def _retention_limits(sensitivity: Mapping[str, str]) -> tuple[RetentionLimit, ...]:
    limits = []
    for term in vocabulary("retention_limits").terms:
        applies = term.extra["applies"]
        limits.append(
            RetentionLimit(
                key=term.key,
                max_value=int(term.extra["max_value"]),
                max_unit=str(term.extra["max_unit"]),
                categories=frozenset(applies.get("categories", ())),
                condition=Condition.of(applies, sensitivity),
                reference=str(term.extra["reference"]),
                label={"fr": term.label_fr, "en": term.label_en},
            )
        )
    return tuple(limits)


@cache
def _template_bases() -> dict[str, str]:
    """The catalogue's legal basis of each template, read from its file alone: the catalogue's
    own module (``registre.templates``) brings the services, which a check does not need."""
    path = resources.files("registre_resources") / "templates" / "catalogue.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    return {
        str(template["id"]): str(template["activity"].get("legal_basis") or "")
        for template in document["templates"]
    }


@cache
def facts() -> Facts:
    """The reference facts (computed once from the vocabularies)."""
    categories = vocabulary("data_categories").terms
    countries = vocabulary("countries")
    safeguards = vocabulary("transfer_safeguards").terms
    bases = vocabulary("legal_bases").terms
    sensitivity = {t.key: str(t.extra.get("sensitivity", "ordinary")) for t in categories}
    adequacy = {t.key: t.extra["adequacy"] for t in countries.terms if t.extra.get("adequacy")}
    return Facts(
        art9=_keys(categories, lambda x: x.get("sensitivity") == "art9"),
        art10=_keys(categories, lambda x: x.get("sensitivity") == "art10"),
        sensitive=_keys(categories, lambda x: x.get("sensitivity") != "ordinary"),
        sensitivity=sensitivity,
        vulnerable_subjects=_keys(
            vocabulary("data_subject_categories").terms, lambda x: bool(x.get("vulnerable"))
        ),
        consent_rarely_free=_keys(
            vocabulary("data_subject_categories").terms,
            lambda x: bool(x.get("consent_rarely_free")),
        ),
        gdpr_territory=_keys(countries.terms, lambda x: bool(x.get("gdpr_territory"))),
        adequacy=adequacy,
        adequacy_as_of=str(countries.extra.get("adequacy_as_of", "")),
        limited_adequacy=frozenset(
            key for key, decision in adequacy.items() if decision.get("covers_only_some_recipients")
        ),
        adequacy_safeguards=_keys(safeguards, lambda x: x.get("kind") == "adequacy"),
        art49_safeguards=_keys(safeguards, lambda x: x.get("kind") == "art49"),
        documented_safeguards=_keys(safeguards, lambda x: bool(x.get("documentation_required"))),
        public_forbidden_safeguards=_keys(
            safeguards, lambda x: x.get("public_authority_allowed") is False
        ),
        needs_legal_text=_keys(bases, lambda x: bool(x.get("needs_legal_text"))),
        public_forbidden_bases=_keys(bases, lambda x: x.get("public_authority_allowed") is False),
        third_country_recipients=frozenset({"third_country_recipients"}),
        private_kinds=_keys(
            vocabulary("organisation_kinds").terms, lambda x: x.get("public_body") is False
        ),
        large_scale_threshold=int(vocabulary("dpia_criteria").extra["large_scale_threshold"]),
        mandatory_cases=_inferred("dpia_mandatory_cases", sensitivity),
        cnil_types=_inferred("dpia_cnil_types", sensitivity),
        exemptions={t.key: t.extra for t in vocabulary("dpia_exemptions").terms},
        retention_limits=_retention_limits(sensitivity),
    )


@dataclass
class Context:
    """What predicates may read besides the record: the date, the facts, the organisation."""

    today: dt.date
    facts: Facts
    now: dt.datetime | None = None  # the register's clock (the 72-hour clock of a breach)
    organisation: Record = field(default_factory=dict)  # the organisation being checked
    public_body: bool = True  # the organisation is a public authority or body (37.1.a)
    errors: int = 0  # error findings of the activity being checked so far
    memo: dict[str, Any] = field(default_factory=dict)  # per activity, reset by the checker

    def enter_organisation(self, organisation: Record) -> None:
        """Check ``organisation`` next (its kind says whether it is a public body)."""
        self.organisation = organisation
        self.public_body = organisation.get("kind") not in self.facts.private_kinds

    def enter_activity(self) -> None:
        """Check the next activity: forget what was remembered of the previous one."""
        self.errors = 0
        if self.memo:
            self.memo.clear()
