"""Rules on lawfulness: legal basis (Art. 6), special categories (Art. 9), offences (Art. 10)."""

from __future__ import annotations

from collections.abc import Sequence

from registre.loader import Record
from registre.rules.base import (
    ACT,
    INFO,
    MET,
    WARNING,
    Hit,
    Rule,
    RuleSet,
    fire,
)
from registre.rules.derived import field_hint
from registre.rules.facts import Context
from registre.schema import ACTIVITY, CONTROLLER_ONLY

RULES = RuleSet()


def _categories_in(a: Record, keys: frozenset[str]) -> list[str]:
    found: list[str] = []
    for row in a["data_categories"]:
        if row["category"] in keys and row["category"] not in found:
            found.append(row["category"])
    return found


@RULES.check(
    Rule(
        id="legal-basis-missing",
        reference="RGPD 6.1, 5.2",
        article="6.1",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="La base légale n'est pas indiquée.",
        message_en="The legal basis is not given.",
        detail_fr=(
            "Tout traitement repose sur l'une des bases de l'article 6.1 et l'organisme doit "
            "pouvoir le démontrer (RGPD 5.2) ; l'article 30 ne l'exige pas, mais le modèle de "
            "registre de la CNIL la prévoit."
        ),
        detail_en=(
            "Every processing relies on one of the bases of Article 6(1) and the organisation "
            "must be able to show it (GDPR 5.2); Article 30 does not require it, but the CNIL's "
            "model register includes it."
        ),
        hint_fr=field_hint(ACTIVITY.field("legal_basis"), "fr"),
        hint_en=field_hint(ACTIVITY.field("legal_basis"), "en"),
        field="legal_basis",
    )
)
def _legal_basis_missing(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    return MET if a["legal_basis"] else fire()


@RULES.check(
    Rule(
        id="legal-basis-text-missing",
        reference="RGPD 6.3",
        article="6.3",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Le texte qui fonde le traitement n'est pas cité.",
        message_en="The legal text the processing relies on is not cited.",
        detail_fr=(
            "La base « {legal_basis} » doit être définie par le droit de l'Union ou le droit "
            "français (RGPD 6.3) : citez l'article de loi ou de code."
        ),
        detail_en=(
            "The basis “{legal_basis}” must be laid down by Union or French law (GDPR 6.3): cite "
            "the statute or code article."
        ),
        hint_fr=field_hint(ACTIVITY.field("legal_basis_text"), "fr"),
        hint_en=field_hint(ACTIVITY.field("legal_basis_text"), "en"),
        field="legal_basis_text",
    )
)
def _legal_basis_text(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if a["legal_basis"] not in ctx.facts.needs_legal_text:
        return None
    return MET if a["legal_basis_text"] else fire(legal_basis=a["legal_basis"])


@RULES.check(
    Rule(
        id="legitimate-interest-public-authority",
        reference="RGPD 6.1 (dernier alinéa)",
        article="6.1",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="L'intérêt légitime ne convient pas à un organisme public.",
        message_en="Legitimate interests do not suit a public body.",
        detail_fr=(
            "L'intérêt légitime (6.1.f) ne s'applique pas aux traitements effectués par les "
            "autorités publiques dans l'exécution de leurs missions (RGPD 6.1, dernier alinéa) ; "
            "une commune s'appuie en général sur une obligation légale (6.1.c) ou une mission "
            "d'intérêt public (6.1.e)."
        ),
        detail_en=(
            "Legitimate interests (6.1.f) do not apply to processing carried out by public "
            "authorities in the performance of their tasks (GDPR 6(1), last subparagraph); a "
            "municipality usually relies on a legal obligation (6.1.c) or a public task (6.1.e)."
        ),
        hint_fr="Choisissez une autre « Base légale » et citez le texte correspondant.",
        hint_en="Choose another “Legal basis” and cite the corresponding text.",
        field="legal_basis",
    )
)
def _legitimate_interest(a: Record, ctx: Context) -> Sequence[Hit] | None:
    # Every organisation of a register is a public body (the product's users).
    if a["legal_basis"] in ctx.facts.public_forbidden_bases:
        return fire(legal_basis=a["legal_basis"])
    return MET


@RULES.check(
    Rule(
        id="art9-condition-missing",
        reference="RGPD 9.1, 9.2",
        article="9.2",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Données sensibles sans exception de l'article 9.2.",
        message_en="Special-category data without an Article 9(2) condition.",
        detail_fr=(
            "La fiche déclare des données sensibles ({categories}) ; leur traitement est "
            "interdit (RGPD 9.1) sauf si l'une des exceptions de l'article 9.2 s'applique, et "
            "aucune n'est indiquée."
        ),
        detail_en=(
            "The record declares special-category data ({categories}); processing them is "
            "prohibited (GDPR 9(1)) unless one of the conditions of Article 9(2) applies, and "
            "none is given."
        ),
        hint_fr=(
            "Choisissez l'« Exception pour données sensibles », par exemple 9.2.b (protection "
            "sociale) ou 9.2.g (intérêt public important)."
        ),
        hint_en=(
            "Choose the “Condition for special categories”, for example 9.2.b (social "
            "protection) or 9.2.g (substantial public interest)."
        ),
        field="art9_condition",
    )
)
def _art9_missing(a: Record, ctx: Context) -> Sequence[Hit] | None:
    sensitive = _categories_in(a, ctx.facts.art9)
    if not sensitive:
        return None
    return MET if a["art9_condition"] else fire(categories=sensitive)


@RULES.check(
    Rule(
        id="art9-condition-unused",
        reference="RGPD 9.2",
        article="9.2",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Une exception de l'article 9.2 est indiquée, mais aucune donnée sensible.",
        message_en="An Article 9(2) condition is given, but no special-category data.",
        detail_fr=(
            "« {condition} » est indiquée mais aucune catégorie de données de l'article 9 n'est "
            "déclarée : une catégorie manque peut-être (santé, opinions…)."
        ),
        detail_en=(
            "“{condition}” is given but no Article 9 data category is declared: a category may "
            "be missing (health, opinions…)."
        ),
        hint_fr="Ajoutez la catégorie de données sensibles concernée, ou retirez l'exception.",
        hint_en="Add the special category concerned, or remove the condition.",
        field="art9_condition",
    )
)
def _art9_unused(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["art9_condition"]:
        return None
    if _categories_in(a, ctx.facts.art9):
        return MET
    return fire(condition=a["art9_condition"])


@RULES.check(
    Rule(
        id="offence-authority-missing",
        reference="RGPD 10 ; loi 78-17, art. 46",
        article="10",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Données d'infraction sans texte qui l'autorise.",
        message_en="Criminal offence data without the text authorising it.",
        detail_fr=(
            "Les données relatives aux condamnations pénales et aux infractions ne peuvent être "
            "traitées que sous le contrôle de l'autorité publique ou si le droit l'autorise "
            "(RGPD 10, loi 78-17 art. 46) ; « Autorisation pour les données d'infraction » est "
            "vide."
        ),
        detail_en=(
            "Personal data relating to criminal convictions and offences may be processed only "
            "under the control of official authority or when authorised by law (GDPR 10, French "
            "law 78-17 Art. 46); “Authority for offence data” is empty."
        ),
        hint_fr="Citez le texte (loi, code, décret) qui autorise ce traitement.",
        hint_en="Cite the text (statute, code, decree) that authorises this processing.",
        field="offence_data_authority",
    )
)
def _offence_authority(a: Record, ctx: Context) -> Sequence[Hit] | None:
    offences = _categories_in(a, ctx.facts.art10)
    if not offences:
        return None
    return MET if a["offence_data_authority"] else fire(categories=offences)
