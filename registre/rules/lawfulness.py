"""Rules on lawfulness: legal basis (Art. 6), special categories (Art. 9), offences (Art. 10)."""

from __future__ import annotations

from collections.abc import Sequence

from registre.loader import Record
from registre.rules.base import (
    ACT,
    ERROR,
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


POLICE = "police_justice"
CONSENT, EXPLICIT_CONSENT = "6.1.a", "9.2.a"
COMPULSORY_BASES = ("6.1.c", "6.1.e")  # a legal obligation or a public task


def under_gdpr(a: Record) -> bool:
    """The activity falls under the GDPR (not the law-enforcement regime)."""
    return bool(a["regime"] != POLICE)


def purpose_bases(a: Record) -> list[str]:
    """The legal bases given per purpose (sub-purposes), in order, without repeats."""
    bases: list[str] = []
    for row in a["purposes"]:
        basis = row["legal_basis"]
        if basis and basis not in bases:
            bases.append(basis)
    return bases


def _bases(a: Record) -> list[str]:
    """Every legal basis the record relies on: the activity's and those of its purposes."""
    bases = purpose_bases(a)
    if a["legal_basis"] and a["legal_basis"] not in bases:
        bases.insert(0, a["legal_basis"])
    return bases


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
    if not under_gdpr(a):
        return None  # the law-enforcement regime has no Article 6 basis
    return MET if a["legal_basis"] or purpose_bases(a) else fire()


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
    if not under_gdpr(a):
        return None  # the law-enforcement regime has its own rule (police-legal-text-missing)
    needing = [basis for basis in _bases(a) if basis in ctx.facts.needs_legal_text]
    if not needing:
        return None
    return MET if a["legal_basis_text"] else fire(legal_basis=needing[0])


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
    if not ctx.public_body or not under_gdpr(a):
        return None
    forbidden = [basis for basis in _bases(a) if basis in ctx.facts.public_forbidden_bases]
    return fire(legal_basis=forbidden[0]) if forbidden else MET


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
        needs="data_categories",
    )
)
def _art9_missing(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not under_gdpr(a):
        return None
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
        needs="art9_condition",
    )
)
def _art9_unused(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["art9_condition"] or not under_gdpr(a):
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
        needs="data_categories",
    )
)
def _offence_authority(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not under_gdpr(a):
        return None  # processing offence data is what the law-enforcement regime is for
    offences = _categories_in(a, ctx.facts.art10)
    if not offences:
        return None
    return MET if a["offence_data_authority"] else fire(categories=offences)



@RULES.check(
    Rule(
        id="purpose-legal-basis-missing",
        reference="RGPD 6.1, 5.1.b, 5.2",
        article="6.1",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Base légale non indiquée pour la finalité « {purpose} ».",
        message_en="No legal basis for the purpose “{purpose}”.",
        detail_fr=(
            "Les finalités de ce traitement reposent sur des bases différentes, indiquées "
            "finalité par finalité, et le traitement n'a pas de base commune : chaque finalité "
            "a besoin de la sienne (RGPD 6.1, 5.2) ; la ligne {position} n'en a pas."
        ),
        detail_en=(
            "The purposes of this activity rely on different bases, given purpose by purpose, "
            "and the activity has no common basis: each purpose needs its own (GDPR 6(1), 5(2)); "
            "row {position} has none."
        ),
        hint_fr=field_hint(ACTIVITY.collection("purposes").entity.field("legal_basis"), "fr"),
        hint_en=field_hint(ACTIVITY.collection("purposes").entity.field("legal_basis"), "en"),
        field="purposes.legal_basis",
        needs="purposes",
    )
)
def _purpose_basis_missing(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not under_gdpr(a) or a["legal_basis"] or not purpose_bases(a):
        return None
    return [
        (row["id"], {"position": index, "purpose": row["description"]})
        for index, row in enumerate(a["purposes"], 1)
        if not row["legal_basis"]
    ]


@RULES.check(
    Rule(
        id="consent-public-authority",
        reference="RGPD 6.1.a, 7.4, considérant 43 ; CEPD, lignes directrices 05/2020, § 16-17",
        article="6.1",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Le consentement convient mal à une mission obligatoire d'un organisme public.",
        message_en="Consent hardly suits a compulsory task of a public body.",
        detail_fr=(
            "La fiche repose sur le consentement ({legal_basis}) alors qu'elle vient d'un modèle "
            "fondé sur une obligation légale ou une mission d'intérêt public, ou qu'elle vise "
            "des personnes dont le consentement est rarement libre (agents et candidats face à "
            "l'employeur, usagers d'une procédure imposée) : entre une autorité publique et les "
            "personnes, le consentement n'est en général pas libre (considérant 43 ; CEPD, "
            "lignes directrices 05/2020 sur le consentement, § 16 à 22) et ne peut fonder une "
            "mission que la personne ne peut refuser sans conséquence."
        ),
        detail_en=(
            "The record relies on consent ({legal_basis}) although it comes from a template "
            "based on a legal obligation or a public task, or concerns people whose consent is "
            "rarely free (staff and applicants towards the employer, users of a compulsory "
            "procedure): between a public authority and people, consent is usually not freely "
            "given (recital 43; EDPB guidelines 05/2020 on consent, § 16-22) and cannot found a "
            "task people cannot refuse without consequence."
        ),
        hint_fr=(
            "Choisissez l'obligation légale (6.1.c) ou la mission d'intérêt public (6.1.e) et "
            "citez le texte ; gardez le consentement pour ce qui est vraiment facultatif (lettre "
            "d'information, photographies), finalité par finalité."
        ),
        hint_en=(
            "Choose the legal obligation (6.1.c) or the public task (6.1.e) and cite the text; "
            "keep consent for what is truly optional (newsletter, photographs), purpose by "
            "purpose."
        ),
        field="legal_basis",
    )
)
def _consent_public_authority(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not ctx.public_body or not under_gdpr(a):
        return None
    if a["legal_basis"] == CONSENT:
        basis = CONSENT
    elif a["art9_condition"] == EXPLICIT_CONSENT:
        basis = EXPLICIT_CONSENT
    else:
        return None
    template_basis = ctx.facts.template_bases.get(a["template_id"] or "")
    switched = basis == CONSENT and template_basis in COMPULSORY_BASES
    unfree = any(row["category"] in ctx.facts.consent_rarely_free for row in a["data_subjects"])
    return fire(legal_basis=basis) if switched or unfree else MET


@RULES.check(
    Rule(
        id="nir-authority-missing",
        reference="RGPD 87 ; loi 78-17, art. 30 ; décret n° 2019-341",
        article="87",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Numéro de sécurité sociale (NIR) sans texte qui en autorise l'usage.",
        message_en="Social security number (NIR) without the text authorising its use.",
        detail_fr=(
            "Le NIR ne peut être traité que dans les cas prévus par un texte : loi "
            "Informatique et libertés, article 30, et décret n° 2019-341 du 19 avril 2019 "
            "(« décret cadre NIR »), dont l'annexe liste les responsables et les finalités "
            "autorisés ; « Texte autorisant l'usage du NIR » est vide."
        ),
        detail_en=(
            "The NIR may be processed only where a text provides for it: French Data Protection "
            "Act, Article 30, and decree 2019-341 of 19 April 2019, whose annex lists the "
            "authorised controllers and purposes; “Text authorising the use of the NIR” is empty."
        ),
        hint_fr=field_hint(ACTIVITY.field("nir_authority"), "fr"),
        hint_en=field_hint(ACTIVITY.field("nir_authority"), "en"),
        field="nir_authority",
        needs="data_categories",
    )
)
def _nir_authority(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not any(row["category"] == "nir" for row in a["data_categories"]):
        return None
    return MET if a["nir_authority"] else fire()


# ---- The law-enforcement regime (Directive 2016/680; French Act, Title III) -------------------

POLICE_REF = "Directive (UE) 2016/680, art. 24.1 ; loi 78-17, titre III"
POLICE_ARTICLE = "24 (directive 2016/680)"  # the law-enforcement register, as a report heading


@RULES.check(
    Rule(
        id="police-legal-text-missing",
        reference=POLICE_REF,
        article=POLICE_ARTICLE,
        severity=ERROR,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Traitement police-justice : le texte qui le fonde n'est pas cité.",
        message_en="Law-enforcement processing: the legal text founding it is not cited.",
        detail_fr=(
            "Le registre d'un traitement relevant de la directive 2016/680 (titre III de la loi "
            "Informatique et libertés) indique sa base juridique (art. 24.1 g de la directive) ; "
            "aucune base de l'article 6 du RGPD n'est demandée, mais « Texte fondant le "
            "traitement » est vide."
        ),
        detail_en=(
            "The record of processing under Directive 2016/680 (Title III of the French Act) "
            "gives its legal basis (Art. 24(1)(g) of the Directive); no GDPR Article 6 basis is "
            "asked for, but “Legal text” is empty."
        ),
        hint_fr=(
            "Citez le texte : code de procédure pénale, code de la sécurité intérieure "
            "(vidéoprotection : art. L251-2), code général des collectivités territoriales…"
        ),
        hint_en=(
            "Cite the text: Code of Criminal Procedure, Internal Security Code (video "
            "protection: Art. L251-2), General Local Authorities Code…"
        ),
        field="legal_basis_text",
        counts_for_score=True,
        needs="regime",
    )
)
def _police_legal_text(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if under_gdpr(a):
        return None
    return MET if a["legal_basis_text"] else fire()


@RULES.check(
    Rule(
        id="police-profiling-unanswered",
        reference=POLICE_REF,
        article=POLICE_ARTICLE,
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Traitement police-justice : dites s'il a recours au profilage.",
        message_en="Law-enforcement processing: state whether it uses profiling.",
        detail_fr=(
            "Le registre d'un traitement relevant de la directive 2016/680 indique, le cas "
            "échéant, le recours au profilage (art. 24.1 e de la directive) ; « Recours au "
            "profilage » est sans réponse."
        ),
        detail_en=(
            "The record of processing under Directive 2016/680 states, where applicable, the "
            "use of profiling (Art. 24(1)(e) of the Directive); “Use of profiling” is "
            "unanswered."
        ),
        hint_fr="Répondez oui ou non à « Recours au profilage ».",
        hint_en="Answer yes or no to “Use of profiling”.",
        field="uses_profiling",
        counts_for_score=True,
        needs="regime",
    )
)
def _police_profiling(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if under_gdpr(a):
        return None
    return MET if a["uses_profiling"] is not None else fire()


@RULES.check(
    Rule(
        id="police-regime-suggested",
        reference="Directive (UE) 2016/680, art. 1 et 2 ; loi 78-17, art. 87",
        article=POLICE_ARTICLE,
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Ce traitement relève peut-être du régime police-justice.",
        message_en="This activity may fall under the law-enforcement regime.",
        detail_fr=(
            "La fiche traite des données d'infraction de contrevenants ou de personnes mises "
            "en cause : si sa finalité est la prévention, la recherche ou la constatation des "
            "infractions par une autorité compétente (police municipale), elle relève de la "
            "directive 2016/680 et du titre III de la loi Informatique et libertés, et non du "
            "RGPD."
        ),
        detail_en=(
            "The record processes offence data of offenders or suspects: if its purpose is the "
            "prevention, investigation or detection of offences by a competent authority "
            "(municipal police), it falls under Directive 2016/680 and Title III of the French "
            "Act, not the GDPR."
        ),
        hint_fr=(
            "Vérifiez la finalité et, le cas échéant, choisissez « Police-justice » dans "
            "« Régime juridique »."
        ),
        hint_en="Check the purpose and, if so, choose “Law enforcement” as “Legal regime”.",
        field="regime",
        needs="data_categories",
    )
)
def _police_regime_suggested(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not under_gdpr(a) or not ctx.public_body:
        return None
    if not any(row["category"] == "offenders" for row in a["data_subjects"]):
        return MET
    return fire() if _categories_in(a, ctx.facts.art10) else MET
