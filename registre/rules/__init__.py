"""The Article 30 completeness and consistency rules, declared as data next to the field schema.

Each rule (``registre.rules.base.Rule``) says what it checks, what to tell a secretary and the
DPO, what to do about it and which field to open; its predicate is declared right under it, in
the module of its theme. Rules that only say "a mandatory item of the schema is empty" are
derived from ``registre.schema`` (``registre.rules.derived``).

Severities:

- ``error``: a mandatory Article 30 item is missing (including an item required "le cas
  échéant" once its condition is met, such as a transfer that is announced but not described);
- ``warning``: an item Article 30 asks for "dans la mesure du possible", or an inconsistency
  (with another article of the GDPR or within the record);
- ``info``: good practice.
"""

from __future__ import annotations

from registre.rules import (
    companions,
    derived,
    dpia,
    follow_up,
    lawfulness,
    open_points,
    organisation,
    processors,
    retention,
    security,
    transfers,
)
from registre.rules.base import (
    ARTICLE_ITEMS,
    ARTICLE_TITLES,
    SCOPE_LABELS,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    Rule,
    Scope,
    Severity,
    article_sort_key,
    article_title,
    format_text,
)
from registre.rules.derived import NOT_DERIVED
from registre.rules.score import SCORE_DEFINITION_EN, SCORE_DEFINITION_FR

DERIVED_RULES: tuple[Rule, ...] = derived.RULES

RULES: tuple[Rule, ...] = DERIVED_RULES + tuple(
    rule
    for theme in (
        organisation,
        transfers,
        retention,
        security,
        lawfulness,
        dpia,
        open_points,
        follow_up,
        processors,
        companions,
    )
    for rule in theme.RULES.rules
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    """The rule called ``rule_id``; KeyError when there is none."""
    return RULES_BY_ID[rule_id]


__all__ = [
    "ARTICLE_ITEMS",
    "ARTICLE_TITLES",
    "DERIVED_RULES",
    "NOT_DERIVED",
    "RULES",
    "RULES_BY_ID",
    "SCOPE_LABELS",
    "SCORE_DEFINITION_EN",
    "SCORE_DEFINITION_FR",
    "SEVERITY_LABELS",
    "SEVERITY_ORDER",
    "Rule",
    "Scope",
    "Severity",
    "article_sort_key",
    "article_title",
    "format_text",
    "rule",
]
