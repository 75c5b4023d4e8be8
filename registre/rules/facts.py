"""Reference facts the predicates test against, computed once from the vocabularies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from registre.vocabularies import vocabulary


@dataclass(frozen=True)
class Facts:
    """What the reference vocabularies say, as sets of keys the predicates test against."""

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
def facts() -> Facts:
    """The reference facts (computed once from the vocabularies)."""
    categories = vocabulary("data_categories").terms
    countries = vocabulary("countries")
    safeguards = vocabulary("transfer_safeguards").terms
    bases = vocabulary("legal_bases").terms

    def keys(terms: Sequence[Any], test: Callable[[dict[str, Any]], bool]) -> frozenset[str]:
        return frozenset(t.key for t in terms if test(t.extra))

    return Facts(
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
class Context:
    """What predicates may read besides the record."""

    today: dt.date
    facts: Facts
    now: dt.datetime | None = None  # the register's clock (the 72-hour clock of a breach)
    errors: int = 0  # error findings of the activity being checked so far
