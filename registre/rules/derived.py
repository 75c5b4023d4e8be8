"""Rules derived from the field schema: a mandatory item left empty.

They are not written by hand: every field or collection that ``registre.schema`` marks
mandatory gets its rule, whose labels and help texts are the schema's own. Adding a mandatory
field to the schema adds its rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import cache

from registre.loader import Record
from registre.model import ROW_CLASSES
from registre.presentation import lower_first
from registre.rules.base import (
    ARTICLE_ITEMS,
    MET,
    Check,
    Hit,
    Rule,
    Scope,
    Severity,
    english_reference,
    fire,
)
from registre.rules.directive import directive_rule
from registre.rules.facts import Context
from registre.schema import (
    ACTIVITY,
    BOTH_ROLES,
    LAW_ENFORCEMENT_ARTICLES,
    ORGANISATION,
    PROCESSOR_ARTICLES,
    Collection,
    Entity,
    Field,
    Requirement,
    Role,
)

# Mandatory schema items checked by hand-written rules (or guaranteed at entry) instead.
NOT_DERIVED = {
    "organisation.name",  # the service functions refuse an empty name
    "activity.name",
    "activity.role",  # always set (controller by default)
    "activity.has_transfers",  # the 30.1.e nuances: transfers-undeclared, transfers-missing
}

# Extra precision for some derived rules: rule id -> (reference, detail_fr, detail_en).
_DERIVED_DETAILS: dict[str, tuple[str, str, str]] = {
    "org-dpo-name-missing": (
        "RGPD 37.1.a, 30.1.a",
        "Une autorité ou un organisme public doit désigner un délégué à la protection des "
        "données (RGPD 37.1.a), dont le nom et les coordonnées figurent au registre (30.1.a) ; "
        "le champ « {label} » est vide.",
        "A public authority or body must designate a data protection officer (GDPR 37.1.a), "
        "whose name and contact details appear in the record (30.1.a); the field “{label}” is "
        "empty.",
    ),
    "org-dpo-email-missing": (
        "RGPD 37.1.a, 30.1.a, 37.7",
        "Le délégué qu'une autorité ou un organisme public doit désigner (RGPD 37.1.a) a ses "
        "coordonnées au registre (30.1.a), publiées (37.7) ; le champ « {label} » est vide.",
        "The DPO a public authority or body must designate (GDPR 37.1.a) has its contact "
        "details in the record (30.1.a), published (37.7); the field “{label}” is empty.",
    ),
}

# Derived rules that apply only to some records: rule id -> condition on (record, context).
# A DPO is required of public authorities and bodies (37.1.a), not of private-law bodies.
_ONLY_WHEN: dict[str, Callable[[Record, Context], bool]] = {
    "org-dpo-name-missing": lambda _org, ctx: ctx.public_body,
    "org-dpo-email-missing": lambda _org, ctx: ctx.public_body,
}


def _slug(key: str) -> str:
    return key.replace("_", "-")


def _reference(article: str, roles: frozenset[Role]) -> tuple[str, str]:
    """Printed reference and processor-side article of an Article 30 item."""
    processor_article = PROCESSOR_ARTICLES.get(article, "") if Role.PROCESSOR in roles else ""
    if Role.CONTROLLER not in roles or not processor_article:
        return f"RGPD {article}", ""
    return f"RGPD {article}, {processor_article}", processor_article


def _item(article: str, lang: str) -> str:
    fr, en = ARTICLE_ITEMS.get(article, ("", ""))
    return en if lang == "en" else fr


def field_hint(spec: Field, lang: str) -> str:
    """« Renseignez <label> : <help> », from the field's declaration in the schema."""
    label = spec.label(lang)
    help_text = lower_first(spec.help(lang))
    if lang == "en":
        return f"Fill in “{label}”: {help_text}" if help_text else f"Fill in “{label}”."
    return f"Renseignez « {label} » : {help_text}" if help_text else f"Renseignez « {label} »."


def _field_rule(entity: Entity, spec: Field, prefix: str, scope: Scope) -> Rule:
    """A top-level mandatory field left empty."""
    rule_id = f"{prefix}-{_slug(spec.key)}-missing"
    roles = spec.roles if scope is Scope.ACTIVITY else BOTH_ROLES
    reference, processor_article = _reference(spec.article, roles)
    detail_fr = (
        f"Le registre doit comporter {_item(spec.article, 'fr')} ({reference}) ; "
        "le champ « {label} » est vide."
    )
    detail_en = (
        f"The record must contain {_item(spec.article, 'en')} "
        f"({english_reference(reference)}); "
        "the field “{label}” is empty."
    )
    if rule_id in _DERIVED_DETAILS:
        reference, detail_fr, detail_en = _DERIVED_DETAILS[rule_id]
    return Rule(
        id=rule_id,
        reference=reference,
        article=spec.article,
        severity=Severity.ERROR,
        scope=scope,
        roles=roles,
        message_fr=f"À compléter : « {spec.label_fr} ».",
        message_en=f"Missing: “{spec.label_en}”.",
        detail_fr=detail_fr.replace("{label}", spec.label_fr),
        detail_en=detail_en.replace("{label}", spec.label_en),
        hint_fr=field_hint(spec, "fr"),
        hint_en=field_hint(spec, "en"),
        field=spec.key,
        counts_for_score=spec.article.startswith("30."),
        article_processor=processor_article,
        derived=True,
    )


def _collection_rule(collection: Collection) -> Rule:
    """A mandatory collection with no row at all."""
    reference, processor_article = _reference(collection.article, collection.roles)
    plural_fr, plural_en = collection.label("fr"), collection.label("en")
    return Rule(
        id=f"activity-{_slug(collection.key)}-missing",
        reference=reference,
        article=collection.article,
        severity=Severity.ERROR,
        scope=Scope.ACTIVITY,
        roles=collection.roles,
        message_fr=f"À compléter : « {plural_fr} » (rien n'est indiqué).",
        message_en=f"Missing: “{plural_en}” (none given).",
        detail_fr=(
            f"Le registre doit comporter {_item(collection.article, 'fr')} ({reference}) ; "
            f"aucune ligne dans « {plural_fr} »."
        ),
        detail_en=(
            f"The record must contain {_item(collection.article, 'en')} "
            f"({english_reference(reference)}); "
            f"no row in “{plural_en}”."
        ),
        hint_fr=collection.help_fr or f"Ajoutez au moins une ligne dans « {plural_fr} ».",
        hint_en=collection.help_en or f"Add at least one row to “{plural_en}”.",
        field=collection.key,
        counts_for_score=collection.article.startswith("30."),
        article_processor=processor_article,
        derived=True,
    )


def _row_rule(collection: Collection, spec: Field) -> Rule:
    """A mandatory field of a row left empty (the row exists, so the item applies)."""
    reference, processor_article = _reference(spec.article, collection.roles)
    plural_fr, plural_en = collection.label("fr"), collection.label("en")
    # A row of an optional collection ("where possible") is a warning, not an error.
    severity = (
        Severity.WARNING if collection.requirement is Requirement.RECOMMENDED else Severity.ERROR
    )
    return Rule(
        id=f"{_slug(collection.key)}-{_slug(spec.key)}-missing",
        reference=reference,
        article=spec.article,
        severity=severity,
        scope=Scope.ACTIVITY,
        roles=collection.roles,
        message_fr=f"À compléter : « {spec.label_fr} », ligne {{position}} de « {plural_fr} ».",
        message_en=f"Missing: “{spec.label_en}”, row {{position}} of “{plural_en}”.",
        detail_fr=(
            f"Le registre doit comporter {_item(spec.article, 'fr')} ({reference}) ; "
            f"le champ « {spec.label_fr} » de la ligne {{position}} de « {plural_fr} » est vide."
        ),
        detail_en=(
            f"The record must contain {_item(spec.article, 'en')} "
            f"({english_reference(reference)}); "
            f"the field “{spec.label_en}” of row {{position}} of “{plural_en}” is empty."
        ),
        hint_fr=field_hint(spec, "fr"),
        hint_en=field_hint(spec, "en"),
        field=f"{collection.key}.{spec.key}",
        counts_for_score=spec.article.startswith("30."),
        article_processor=processor_article,
        derived=True,
        needs=collection.key,
    )


def _derived_rules() -> tuple[Rule, ...]:
    """One rule per mandatory item of the schema (fields, collections, fields of rows)."""
    rules: list[Rule] = []
    for spec in ORGANISATION.fields:
        if spec.requirement is Requirement.MANDATORY and f"organisation.{spec.key}" not in (
            NOT_DERIVED
        ):
            rules.append(_field_rule(ORGANISATION, spec, "org", Scope.ORGANISATION))
    for spec in ACTIVITY.fields:
        if spec.requirement is Requirement.MANDATORY and f"activity.{spec.key}" not in (
            NOT_DERIVED
        ):
            rules.append(_field_rule(ACTIVITY, spec, "activity", Scope.ACTIVITY))
    for collection in ACTIVITY.collections:
        if collection.requirement is Requirement.MANDATORY:
            rules.append(_collection_rule(collection))
    for collection in ACTIVITY.collections:
        for spec in collection.entity.fields:
            if spec.requirement is Requirement.MANDATORY:
                rules.append(_row_rule(collection, spec))
    return tuple(dataclasses.replace(rule, check=_derived_check(rule)) for rule in rules)


def _derived_check(rule: Rule) -> Check:
    """Predicate of a rule derived from the schema: a mandatory item left empty."""
    key = rule.field
    if "." in key:
        collection, name = key.split(".", 1)

        def row_field(record: Record, _ctx: Context) -> Sequence[Hit] | None:
            rows = record[collection]
            if not rows:
                return None
            for row in rows:  # usually all filled: no list is built
                if row[name] is None or row[name] == "":
                    break
            else:
                return MET
            return [
                (row["id"], {"position": index})
                for index, row in enumerate(rows, 1)
                if row[name] is None or row[name] == ""
            ]

        return row_field

    if key in ROW_CLASSES:

        def collection_empty(record: Record, _ctx: Context) -> Sequence[Hit] | None:
            return MET if record[key] else fire()

        return collection_empty

    def field_empty(record: Record, _ctx: Context) -> Sequence[Hit] | None:
        value = record[key]
        return fire() if value is None or value == "" else MET

    condition = _ONLY_WHEN.get(rule.id)
    if condition is None:
        return field_empty

    def field_empty_when(record: Record, ctx: Context) -> Sequence[Hit] | None:
        return field_empty(record, ctx) if condition(record, ctx) else None

    return field_empty_when


RULES: tuple[Rule, ...] = _derived_rules()


@cache
def law_enforcement_rule(rule: Rule) -> Rule:
    """``rule`` as it reads on a law-enforcement activity: a rule derived from an Article 30
    item cites its counterpart in Directive 2016/680, art. 24 (``schema.LAW_ENFORCEMENT_
    ARTICLES``), which governs that activity's record; a rule written by hand cites the
    directive's counterparts of the GDPR articles it names (``rules.directive``). The check is
    the same."""
    if not rule.derived:
        return directive_rule(rule)
    article = LAW_ENFORCEMENT_ARTICLES.get(rule.article)
    if article is None:
        return rule
    processor_article = LAW_ENFORCEMENT_ARTICLES.get(rule.article_processor, "")
    items = ", ".join(a for a in (article, processor_article) if a)
    reference = f"Directive (UE) 2016/680, art. {items}"
    return dataclasses.replace(
        rule,
        reference=reference,
        article=article,
        article_processor=processor_article,
        detail_fr=rule.detail_fr.replace(f"({rule.reference})", f"({reference})"),
        detail_en=rule.detail_en.replace(
            f"({rule.reference_en})", f"({english_reference(reference)})"
        ),
    )
