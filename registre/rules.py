"""The Article 30 completeness and consistency rules, declared as data next to the field schema.

Each rule says what it checks (legal reference, severity, scope, roles), what to tell a
secretary (``message``), what to tell the DPO (``detail``), what to do about it (``hint``) and
which field to open. The predicates live in ``registre.checker``, keyed by rule id; a test keeps
both in step.

Rules that only say "a mandatory item of the schema is empty" are not written by hand: they are
derived from ``registre.schema`` (every field or collection marked mandatory), so their labels
and help texts are the schema's own. Adding a mandatory field to the schema adds its rule.

Messages may contain ``{placeholders}`` filled from the finding's details when a report is
written (``registre.checker.format_text``).

Severities:

- ``error``: a mandatory Article 30 item is missing (including an item required "le cas
  échéant" once its condition is met, such as a transfer that is announced but not described);
- ``warning``: an item Article 30 asks for "dans la mesure du possible", or an inconsistency
  (with another article of the GDPR or within the record);
- ``info``: good practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from registre.schema import (
    ACTIVITY,
    BOTH_ROLES,
    CONTROLLER_ONLY,
    ORGANISATION,
    PROCESSOR_ONLY,
    Collection,
    Entity,
    Field,
    Requirement,
    Role,
)

_REFERENCE_WORDS = (
    ("RGPD", "GDPR"),
    ("bonne pratique", "good practice"),
    ("dernier alinéa", "last subparagraph"),
    ("code du patrimoine", "French Heritage Code"),
    ("loi 78-17", "French law 78-17"),
    (" ; ", "; "),
)


def _english(reference: str) -> str:
    """A printed reference in English: "RGPD 30.1.c" -> "GDPR 30.1.c"."""
    for fr, en in _REFERENCE_WORDS:
        reference = reference.replace(fr, en)
    return reference


class Severity(StrEnum):
    """How serious a finding is; only ``error`` makes ``registre check`` exit with 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Scope(StrEnum):
    """Which kind of record a rule looks at."""

    ORGANISATION = "organisation"
    ACTIVITY = "activity"
    PROCESSOR = "processor"
    SOFTWARE = "software"


SEVERITY_ORDER: dict[Severity, int] = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

SEVERITY_LABELS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("erreur", "error"),
    Severity.WARNING: ("avertissement", "warning"),
    Severity.INFO: ("conseil", "advice"),
}

SCOPE_LABELS: dict[Scope, tuple[str, str]] = {
    Scope.ORGANISATION: ("organisme", "organisation"),
    Scope.ACTIVITY: ("traitement", "activity"),
    Scope.PROCESSOR: ("sous-traitant", "processor"),
    Scope.SOFTWARE: ("logiciel", "software"),
}


@dataclass(frozen=True)
class Rule:
    """One check of the register, described for every reader of the report."""

    id: str
    reference: str  # as printed: "RGPD 30.1.c"
    article: str  # grouping key in reports: "30.1.c" (for an activity kept as controller)
    severity: Severity
    scope: Scope
    roles: frozenset[Role]  # activity roles the rule applies to (organisation rules: both)
    message_fr: str  # plain, for a secretary
    message_en: str
    detail_fr: str  # precise, for the DPO
    detail_en: str
    hint_fr: str  # what to do
    hint_en: str
    field: str  # schema key to open: "main_purpose", "data_categories.retention_value"…
    counts_for_score: bool = False  # an Article 30 requirement counted in the scores
    article_processor: str = ""  # grouping key when the activity is kept as processor (30.2)
    derived: bool = False  # generated from the field schema (a mandatory item left empty)

    def message(self, lang: str = "fr") -> str:
        """The plain message template in ``lang``."""
        return self.message_en if lang == "en" else self.message_fr

    def detail(self, lang: str = "fr") -> str:
        """The precise message template in ``lang``."""
        return self.detail_en if lang == "en" else self.detail_fr

    def hint(self, lang: str = "fr") -> str:
        """The fix hint template in ``lang``."""
        return self.hint_en if lang == "en" else self.hint_fr

    @property
    def reference_en(self) -> str:
        """The reference in English."""
        return _english(self.reference)

    def article_for(self, role: str | None) -> str:
        """The article a finding is grouped under, for an activity of ``role``."""
        if role == Role.PROCESSOR and self.article_processor:
            return self.article_processor
        return self.article


# --------------------------------------------------------------------------------------------
# Article 30 items, paraphrased for the precise messages and the report headings
# --------------------------------------------------------------------------------------------

ARTICLE_ITEMS: dict[str, tuple[str, str]] = {
    "30.1.a": (
        "le nom et les coordonnées du responsable du traitement et, le cas échéant, du "
        "responsable conjoint, du représentant et du délégué à la protection des données",
        "the name and contact details of the controller and, where applicable, of the joint "
        "controller, the representative and the data protection officer",
    ),
    "30.1.b": ("les finalités du traitement", "the purposes of the processing"),
    "30.1.c": (
        "une description des catégories de personnes concernées et des catégories de données "
        "à caractère personnel",
        "a description of the categories of data subjects and of the categories of personal data",
    ),
    "30.1.d": (
        "les catégories de destinataires auxquels les données ont été ou seront communiquées",
        "the categories of recipients to whom the data have been or will be disclosed",
    ),
    "30.1.e": (
        "le cas échéant, les transferts vers un pays tiers, avec l'identification de ce pays",
        "where applicable, transfers to a third country, including the identification of that "
        "country",
    ),
    "30.1.f": (
        "dans la mesure du possible, les délais prévus pour l'effacement des différentes "
        "catégories de données",
        "where possible, the envisaged time limits for erasure of the different categories of data",
    ),
    "30.1.g": (
        "dans la mesure du possible, une description générale des mesures de sécurité "
        "techniques et organisationnelles",
        "where possible, a general description of the technical and organisational security "
        "measures",
    ),
    "30.2.a": (
        "le nom et les coordonnées du sous-traitant et de chaque responsable du traitement pour "
        "le compte duquel il agit et, le cas échéant, de leurs représentants et délégués",
        "the name and contact details of the processor and of each controller on whose behalf "
        "it acts and, where applicable, of their representatives and data protection officers",
    ),
    "30.2.b": (
        "les catégories de traitements effectués pour le compte de chaque responsable",
        "the categories of processing carried out on behalf of each controller",
    ),
}

ARTICLE_TITLES: dict[str, tuple[str, str]] = {
    "30": ("Tenue du registre", "Keeping the record"),
    "30.1": ("Registre du responsable de traitement", "Controller's record"),
    "30.1.a": ("Responsable, délégué et coordonnées", "Controller, DPO and contact details"),
    "30.1.b": ("Finalités", "Purposes"),
    "30.1.c": ("Personnes et données concernées", "Data subjects and personal data"),
    "30.1.d": ("Destinataires", "Recipients"),
    "30.1.e": ("Transferts hors de l'UE", "Transfers outside the EU"),
    "30.1.f": ("Durées de conservation", "Retention periods"),
    "30.1.g": ("Mesures de sécurité", "Security measures"),
    "30.2.a": ("Sous-traitant et responsables servis", "Processor and controllers served"),
    "30.2.b": ("Catégories de traitements effectués", "Categories of processing"),
    "30.2.c": ("Transferts hors de l'UE", "Transfers outside the EU"),
    "30.2.d": ("Mesures de sécurité", "Security measures"),
    "6": ("Licéité du traitement", "Lawfulness of processing"),
    "9": ("Données sensibles", "Special categories of data"),
    "10": ("Données d'infraction", "Criminal offence data"),
    "28": ("Sous-traitance", "Processors"),
    "35": ("Analyse d'impact", "Impact assessment"),
    "37": ("Délégué à la protection des données", "Data protection officer"),
    "44": ("Transferts hors de l'UE", "Transfers outside the EU"),
}

PROCESSOR_ARTICLES = {"30.1.a": "30.2.a", "30.1.e": "30.2.c", "30.1.g": "30.2.d"}


def article_title(article: str, lang: str = "fr") -> str:
    """Heading of ``article`` in a report (the closest known parent's title)."""
    key = article
    while key:
        if key in ARTICLE_TITLES:
            fr, en = ARTICLE_TITLES[key]
            return en if lang == "en" else fr
        key = key.rpartition(".")[0]
    return ""


def article_sort_key(article: str) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    """Article 30 first, then the other articles in numeric order."""
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in article.split("."))
    return (0 if article.startswith("30") else 1, parts)


# --------------------------------------------------------------------------------------------
# Rules derived from the field schema: a mandatory item left empty
# --------------------------------------------------------------------------------------------

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
        "RGPD 30.1.a, 37.7",
        "Les coordonnées du délégué figurent au registre (RGPD 30.1.a) et sont publiées "
        "(37.7) ; le champ « {label} » est vide.",
        "The DPO's contact details appear in the record (GDPR 30.1.a) and are published "
        "(37.7); the field “{label}” is empty.",
    ),
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


def _lower_first(text: str) -> str:
    """Lower-case the first letter, after a colon (acronyms such as "CNIL" are kept)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _hint(spec: Field, lang: str) -> str:
    label = spec.label(lang)
    help_text = _lower_first(spec.help(lang))
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
        f"The record must contain {_item(spec.article, 'en')} ({_english(reference)}); "
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
        hint_fr=_hint(spec, "fr"),
        hint_en=_hint(spec, "en"),
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
            f"The record must contain {_item(collection.article, 'en')} ({_english(reference)}); "
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
            f"The record must contain {_item(spec.article, 'en')} ({_english(reference)}); "
            f"the field “{spec.label_en}” of row {{position}} of “{plural_en}” is empty."
        ),
        hint_fr=_hint(spec, "fr"),
        hint_en=_hint(spec, "en"),
        field=f"{collection.key}.{spec.key}",
        counts_for_score=spec.article.startswith("30."),
        article_processor=processor_article,
        derived=True,
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
    return tuple(rules)


# --------------------------------------------------------------------------------------------
# Hand-written rules: the Article 30 nuances and the consistency checks
# --------------------------------------------------------------------------------------------

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
ORG, ACT, PROC, SOFT = Scope.ORGANISATION, Scope.ACTIVITY, Scope.PROCESSOR, Scope.SOFTWARE
TRANSFERS_REF = "RGPD 30.1.e, 30.2.c"
_DC = ACTIVITY.collection("data_categories").entity

_RULES: tuple[Rule, ...] = (
    # ---- Organisation ------------------------------------------------------------------------
    Rule(
        id="org-legal-representative-missing",
        reference="RGPD 30.1.a (bonne pratique)",
        article="30.1.a",
        severity=INFO,
        scope=ORG,
        roles=BOTH_ROLES,
        message_fr="Le représentant légal (maire, président) n'est pas indiqué.",
        message_en="The legal representative (mayor, chair) is not given.",
        detail_fr=(
            "L'article 30 ne l'exige pas, mais le modèle de registre de la CNIL mentionne le "
            "représentant légal, qui engage la responsabilité de l'organisme (RGPD 24)."
        ),
        detail_en=(
            "Article 30 does not require it, but the CNIL's model register names the legal "
            "representative, who is accountable for the organisation (GDPR 24)."
        ),
        hint_fr="Renseignez « Représentant légal » et sa qualité, par exemple « Maire ».",
        hint_en="Fill in “Legal representative” and their title, for example “Mayor”.",
        field="legal_representative_name",
    ),
    Rule(
        id="org-dpo-designation-number-missing",
        reference="RGPD 37.7",
        article="37.7",
        severity=INFO,
        scope=ORG,
        roles=BOTH_ROLES,
        message_fr="Le numéro de désignation du délégué auprès de la CNIL n'est pas indiqué.",
        message_en="The CNIL designation number of the DPO is not given.",
        detail_fr=(
            "La désignation du délégué est communiquée à la CNIL (RGPD 37.7) ; noter le numéro "
            "de l'accusé de réception prouve qu'elle a été faite."
        ),
        detail_en=(
            "The DPO's designation is notified to the CNIL (GDPR 37.7); recording the "
            "acknowledgement number proves it was done."
        ),
        hint_fr=(
            "Reportez le numéro de l'accusé de réception de la CNIL dans « Numéro de "
            "désignation CNIL »."
        ),
        hint_en="Copy the number of the CNIL's acknowledgement into “CNIL designation number”.",
        field="dpo_designation_number",
    ),
    Rule(
        id="org-no-activity",
        reference="RGPD 30.1",
        article="30.1",
        severity=INFO,
        scope=ORG,
        roles=BOTH_ROLES,
        message_fr="Aucun traitement n'est encore déclaré pour cet organisme.",
        message_en="No processing activity is recorded for this organisation yet.",
        detail_fr=(
            "Le registre recense toutes les activités de traitement (RGPD 30.1) ; un organisme "
            "public en compte en général plusieurs dizaines."
        ),
        detail_en=(
            "The record lists every processing activity (GDPR 30.1); a public body usually has "
            "several dozen."
        ),
        hint_fr="Ajoutez les traitements des services, par exemple à partir des modèles.",
        hint_en="Add the departments' processing activities, for example from the templates.",
        field="activities",
    ),
    # ---- 30.1.e / 30.2.c transfers ------------------------------------------------------------
    Rule(
        id="transfers-undeclared",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Indiquez si des données sont envoyées ou hébergées hors de l'Union européenne.",
        message_en="State whether any data are sent to or hosted outside the European Union.",
        detail_fr=(
            "Le registre mentionne, le cas échéant, les transferts vers un pays tiers "
            "(RGPD 30.1.e, 30.2.c) ; la question « Transferts hors de l'UE » est sans réponse : "
            "on ne peut pas savoir si la mention manque."
        ),
        detail_en=(
            "The record lists, where applicable, transfers to a third country (GDPR 30.1.e, "
            "30.2.c); “Transfers outside the EU” is unanswered, so nobody can tell whether the "
            "item is missing."
        ),
        hint_fr=(
            "Répondez oui ou non à « Transferts hors de l'UE » ; pensez aux logiciels en ligne "
            "et à leurs hébergeurs."
        ),
        hint_en=(
            "Answer yes or no to “Transfers outside the EU”; think of online software and its "
            "hosting providers."
        ),
        field="has_transfers",
        counts_for_score=True,
    ),
    Rule(
        id="transfers-missing",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=E,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Des transferts hors de l'UE sont annoncés, mais aucun n'est décrit.",
        message_en="Transfers outside the EU are announced, but none is described.",
        detail_fr=(
            "« Transferts hors de l'UE » vaut oui, mais aucune ligne n'identifie le pays tiers "
            "ou l'organisation internationale destinataire (RGPD 30.1.e, 30.2.c)."
        ),
        detail_en=(
            "“Transfers outside the EU” is yes, but no row identifies the third country or "
            "international organisation (GDPR 30.1.e, 30.2.c)."
        ),
        hint_fr=(
            "Ajoutez une ligne par transfert (destinataire, pays, garantie), ou répondez non si "
            "aucune donnée ne quitte l'UE."
        ),
        hint_en=(
            "Add one row per transfer (recipient, country, safeguard), or answer no if no data "
            "leave the EU."
        ),
        field="transfers",
        counts_for_score=True,
    ),
    Rule(
        id="transfers-contradiction",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="La réponse « pas de transfert hors de l'UE » contredit le reste de la fiche.",
        message_en="The answer “no transfer outside the EU” contradicts the rest of the record.",
        detail_fr=(
            "« Transferts hors de l'UE » vaut non, alors que la fiche compte {transfers} "
            "ligne(s) de transfert et {third_country_recipients} destinataire(s) dans un pays "
            "tiers (RGPD 30.1.e, 30.2.c)."
        ),
        detail_en=(
            "“Transfers outside the EU” is no, yet the record has {transfers} transfer row(s) "
            "and {third_country_recipients} recipient(s) in a third country (GDPR 30.1.e, "
            "30.2.c)."
        ),
        hint_fr="Répondez oui à « Transferts hors de l'UE », ou retirez les lignes en trop.",
        hint_en="Answer yes to “Transfers outside the EU”, or remove the stray rows.",
        field="has_transfers",
    ),
    Rule(
        id="transfer-no-safeguard",
        reference="RGPD 44, 46",
        article="44",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Transfert hors UE ({country}) sans garantie indiquée.",
        message_en="Transfer outside the EU ({country}) with no safeguard given.",
        detail_fr=(
            "Le pays « {country} » ne bénéficie d'aucune décision d'adéquation (RGPD 45) : le "
            "transfert à "
            "« {recipient} » n'est licite qu'avec une garantie appropriée (art. 46) ou, à titre "
            "exceptionnel, une dérogation de l'art. 49."
        ),
        detail_en=(
            "The country “{country}” has no adequacy decision (GDPR 45): the transfer to "
            "“{recipient}” is "
            "lawful only with an appropriate safeguard (Art. 46) or, exceptionally, an Art. 49 "
            "derogation."
        ),
        hint_fr=(
            "Choisissez la « Garantie » (le plus souvent les clauses contractuelles types) et "
            "indiquez où trouver le document signé."
        ),
        hint_en=(
            "Choose the “Safeguard” (usually the standard contractual clauses) and say where "
            "the signed document is kept."
        ),
        field="transfers.safeguard",
    ),
    Rule(
        id="transfer-adequacy-mismatch",
        reference="RGPD 45",
        article="44",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="La garantie « décision d'adéquation » ne vaut pas pour « {country} ».",
        message_en="The “adequacy decision” safeguard does not apply to “{country}”.",
        detail_fr=(
            "Aucune décision d'adéquation de la Commission européenne ne couvre « {country} » "
            "(liste au {adequacy_as_of}) : la garantie indiquée pour le transfert à "
            "« {recipient} » est sans effet (RGPD 45)."
        ),
        detail_en=(
            "No adequacy decision of the European Commission covers “{country}” (list as of "
            "{adequacy_as_of}): the safeguard given for the transfer to “{recipient}” has no "
            "effect (GDPR 45)."
        ),
        hint_fr="Vérifiez le pays, ou choisissez une garantie de l'article 46.",
        hint_en="Check the country, or choose an Article 46 safeguard.",
        field="transfers.safeguard",
    ),
    Rule(
        id="transfer-partial-adequacy",
        reference="RGPD 45",
        article="44",
        severity=INFO,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Décision d'adéquation à portée limitée ({country}) : vérifiez le destinataire.",
        message_en="Adequacy decision of limited scope ({country}): check the recipient.",
        detail_fr=(
            "La décision d'adéquation visant « {country} » a une portée limitée ({scope}) : "
            "vérifiez que « {recipient} » en relève, sinon une garantie de l'article 46 est "
            "nécessaire."
        ),
        detail_en=(
            "The adequacy decision for “{country}” has a limited scope ({scope}): check that "
            "“{recipient}” is covered, otherwise an Article 46 safeguard is needed."
        ),
        hint_fr=(
            "Conservez la preuve que le destinataire est couvert (par exemple sa certification), "
            "et citez-la dans « Documentation des garanties »."
        ),
        hint_en=(
            "Keep proof that the recipient is covered (for example its certification) and cite "
            "it in “Safeguard documentation”."
        ),
        field="transfers.documentation",
    ),
    Rule(
        id="transfer-art49-documentation",
        reference="RGPD 30.1.e, 49.6",
        article="30.1.e",
        article_processor="30.2.c",
        severity=E,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Dérogation de l'article 49 sans documentation (transfert : {country}).",
        message_en="Article 49 derogation without documentation (transfer: {country}).",
        detail_fr=(
            "Un transfert fondé sur une dérogation ({safeguard}) est documenté dans le registre "
            "(RGPD 30.1.e, 49.6) ; « Documentation des garanties » est vide pour le transfert à "
            "« {recipient} »."
        ),
        detail_en=(
            "A transfer based on a derogation ({safeguard}) is documented in the record "
            "(GDPR 30.1.e, 49.6); “Safeguard documentation” is empty for the transfer to "
            "“{recipient}”."
        ),
        hint_fr=(
            "Expliquez dans « Documentation des garanties » pourquoi la dérogation s'applique "
            "et où se trouvent les pièces."
        ),
        hint_en=(
            "Explain in “Safeguard documentation” why the derogation applies and where the "
            "evidence is kept."
        ),
        field="transfers.documentation",
        counts_for_score=True,
    ),
    Rule(
        id="transfer-art49-public-authority",
        reference="RGPD 49.3",
        article="44",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Cette dérogation de l'article 49 n'est pas ouverte à un organisme public.",
        message_en="This Article 49 derogation is not available to a public body.",
        detail_fr=(
            "Les dérogations du 49.1 a), b), c) et du second alinéa ne s'appliquent pas aux "
            "autorités publiques dans l'exercice de leurs prérogatives (RGPD 49.3) ; "
            "« {safeguard} » est choisie pour le transfert à « {recipient} »."
        ),
        detail_en=(
            "The derogations of 49.1(a), (b), (c) and of the second subparagraph do not apply "
            "to public authorities exercising their public powers (GDPR 49.3); “{safeguard}” "
            "is given for the transfer to “{recipient}”."
        ),
        hint_fr=(
            "Fondez le transfert sur une garantie de l'article 46 (instrument entre autorités "
            "publiques, clauses types) ou sur un motif important d'intérêt public (49.1.d)."
        ),
        hint_en=(
            "Base the transfer on an Article 46 safeguard (instrument between public "
            "authorities, standard clauses) or on important reasons of public interest (49.1.d)."
        ),
        field="transfers.safeguard",
    ),
    Rule(
        id="transfer-inside-eu",
        reference="RGPD 44",
        article="44",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="« {country} » relève du RGPD : ce n'est pas un transfert hors UE.",
        message_en="“{country}” is under the GDPR: this is not a transfer outside the EU.",
        detail_fr=(
            "« {country} » fait partie du territoire où le RGPD s'applique (EEE ou région "
            "ultrapériphérique) : la ligne vers « {recipient} » n'est pas un transfert au sens "
            "du chapitre V."
        ),
        detail_en=(
            "“{country}” is part of the territory where the GDPR applies (EEA or outermost "
            "region): the row to “{recipient}” is not a transfer under Chapter V."
        ),
        hint_fr=(
            "Retirez cette ligne des transferts ; le destinataire figure (ou doit figurer) dans "
            "« Destinataires »."
        ),
        hint_en=("Remove this row from the transfers; the recipient belongs in “Recipients”."),
        field="transfers.country",
    ),
    Rule(
        id="software-outside-eu",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr=(
            "Le logiciel « {software} » est hébergé hors de l'UE ({country}), sans transfert "
            "déclaré."
        ),
        message_en=(
            "The software “{software}” is hosted outside the EU ({country}), with no transfer "
            "declared."
        ),
        detail_fr=(
            "Le logiciel « {software} » est hébergé en dehors de l'EEE ({country}) ; le "
            "traitement l'utilise mais ne déclare aucun transfert vers ce pays (RGPD 30.1.e, "
            "30.2.c, chapitre V)."
        ),
        detail_en=(
            "The software “{software}” is hosted outside the EEA ({country}); the activity uses "
            "it but declares no transfer to that country (GDPR 30.1.e, 30.2.c, Chapter V)."
        ),
        hint_fr=(
            "Si les données y sont hébergées, déclarez le transfert (pays, garantie) ; sinon "
            "corrigez le pays d'hébergement du logiciel."
        ),
        hint_en=(
            "If the data are hosted there, declare the transfer (country, safeguard); "
            "otherwise correct the software's hosting country."
        ),
        field="transfers",
    ),
    Rule(
        id="processor-outside-eu",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr=(
            "Le sous-traitant « {processor} » est établi hors de l'UE ({country}), sans "
            "transfert déclaré."
        ),
        message_en=(
            "The processor “{processor}” is established outside the EU ({country}), with no "
            "transfer declared."
        ),
        detail_fr=(
            "Le sous-traitant « {processor} » est établi en dehors de l'EEE ({country}) ; un "
            "accès aux données depuis ce pays est un transfert, mais le traitement n'en déclare "
            "aucun vers ce pays (RGPD 30.1.e, 30.2.c, chapitre V)."
        ),
        detail_en=(
            "The processor “{processor}” is established outside the EEA ({country}); access to "
            "the data from that country is a transfer, yet the activity declares none to that "
            "country (GDPR 30.1.e, 30.2.c, Chapter V)."
        ),
        hint_fr=(
            "Demandez au sous-traitant où les données sont traitées et déclarez le transfert, "
            "ou corrigez son pays d'établissement."
        ),
        hint_en=(
            "Ask the processor where the data are processed and declare the transfer, or "
            "correct its country of establishment."
        ),
        field="transfers",
    ),
    # ---- 30.1.f retention ------------------------------------------------------------------
    Rule(
        id="retention-missing",
        reference="RGPD 30.1.f",
        article="30.1.f",
        severity=W,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Durée de conservation non indiquée pour « {category} ».",
        message_en="No retention period for “{category}”.",
        detail_fr=(
            "Le registre indique, dans la mesure du possible, les délais d'effacement des "
            "différentes catégories de données (RGPD 30.1.f) ; la ligne {position} "
            "(« {category} ») n'a pas de durée complète (nombre et unité)."
        ),
        detail_en=(
            "The record gives, where possible, the time limits for erasure of the different "
            "categories of data (GDPR 30.1.f); row {position} (“{category}”) has no complete "
            "period (number and unit)."
        ),
        hint_fr=(
            "Indiquez la durée (nombre et unité) et son point de départ ; les instructions de "
            "tri des Archives de France donnent les durées d'utilité administrative."
        ),
        hint_en=(
            "Give the period (number and unit) and when it starts; the French archives' sorting "
            "instructions give the administrative retention periods."
        ),
        field="data_categories.retention_value",
        counts_for_score=True,
    ),
    Rule(
        id="retention-only-general",
        reference="RGPD 30.1.f",
        article="30.1.f",
        severity=W,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Durée générale indiquée, mais pas pour « {category} ».",
        message_en="A general period is given, but not one for “{category}”.",
        detail_fr=(
            "L'article 30.1.f demande les délais d'effacement des différentes catégories de "
            "données : la durée générale du traitement ne suffit pas pour la ligne {position} "
            "(« {category} »)."
        ),
        detail_en=(
            "Article 30.1.f asks for the time limits of the different categories of data: the "
            "activity's general period is not enough for row {position} (“{category}”)."
        ),
        hint_fr=(
            "Reportez la durée dans la ligne de cette catégorie, même si elle est identique à la "
            "durée générale."
        ),
        hint_en="Give the period in this category's row, even if it equals the general one.",
        field="data_categories.retention_value",
        counts_for_score=True,
    ),
    Rule(
        id="retention-unlimited",
        reference="RGPD 30.1.f, 5.1.e",
        article="30.1.f",
        severity=W,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Conservation sans limite pour « {category} ».",
        message_en="Unlimited retention for “{category}”.",
        detail_fr=(
            "Une durée illimitée n'est pas un délai d'effacement (RGPD 30.1.f, limitation de la "
            "conservation 5.1.e) ; pour des archives publiques, indiquez la durée d'utilité "
            "administrative puis le sort final « versement aux archives »."
        ),
        detail_en=(
            "An unlimited period is not a time limit for erasure (GDPR 30.1.f, storage "
            "limitation 5.1.e); for public records, give the administrative retention period "
            "and then the final disposition “transfer to archives”."
        ),
        hint_fr=(
            "Remplacez « sans limite » par la durée d'utilité administrative et choisissez le "
            "« Sort final »."
        ),
        hint_en=(
            "Replace “unlimited” with the administrative retention period and choose the "
            "“Final disposition”."
        ),
        field="data_categories.retention_unit",
        counts_for_score=True,
    ),
    Rule(
        id="retention-start-missing",
        reference="RGPD 30.1.f (bonne pratique)",
        article="30.1.f",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Point de départ de la durée non indiqué pour « {category} ».",
        message_en="No starting point for the period of “{category}”.",
        detail_fr=(
            "Une durée sans point de départ (« à compter de la clôture du dossier »…) ne "
            "permet pas de dater l'effacement (RGPD 30.1.f, 5.1.e)."
        ),
        detail_en=(
            "A period without a starting point (“from the closing of the file”…) does not "
            "date the erasure (GDPR 30.1.f, 5.1.e)."
        ),
        hint_fr=_hint(_DC.field("retention_start"), "fr"),
        hint_en=_hint(_DC.field("retention_start"), "en"),
        field="data_categories.retention_start",
    ),
    Rule(
        id="retention-disposition-missing",
        reference="RGPD 30.1.f ; code du patrimoine, art. L212-2",
        article="30.1.f",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Sort final non indiqué pour « {category} ».",
        message_en="No final disposition for “{category}”.",
        detail_fr=(
            "À l'issue de la durée d'utilité administrative, une archive publique est détruite "
            "(avec le visa des Archives départementales), triée ou versée aux archives (code du "
            "patrimoine, art. L212-2 et suivants) : le registre le précise."
        ),
        detail_en=(
            "When the administrative retention period ends, a public record is destroyed (with "
            "the approval of the departmental archives), sorted or transferred to the archives "
            "(French Heritage Code, Art. L212-2 ff.): the record says which."
        ),
        hint_fr=_hint(_DC.field("final_disposition"), "fr"),
        hint_en=_hint(_DC.field("final_disposition"), "en"),
        field="data_categories.final_disposition",
    ),
    Rule(
        id="data-categories-details-missing",
        reference="RGPD 30.1.c (bonne pratique)",
        article="30.1.c",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Données précises non indiquées pour « {category} ».",
        message_en="The exact data are not listed for “{category}”.",
        detail_fr=(
            "Lister les données réellement collectées, comme le fait le modèle de registre de "
            "la CNIL, précise la description exigée par l'article 30.1.c et permet de contrôler "
            "la minimisation (RGPD 5.1.c)."
        ),
        detail_en=(
            "Listing the data actually collected, as the CNIL's model register does, makes the "
            "description required by Article 30.1.c precise and allows checking data "
            "minimisation (GDPR 5.1.c)."
        ),
        hint_fr=_hint(_DC.field("details"), "fr"),
        hint_en=_hint(_DC.field("details"), "en"),
        field="data_categories.details",
    ),
    # ---- 30.1.g / 30.2.d security --------------------------------------------------------------
    Rule(
        id="security-missing",
        reference="RGPD 30.1.g, 30.2.d",
        article="30.1.g",
        article_processor="30.2.d",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Aucune mesure de sécurité n'est décrite.",
        message_en="No security measure is described.",
        detail_fr=(
            "Le registre comporte, dans la mesure du possible, une description générale des "
            "mesures de sécurité techniques et organisationnelles (RGPD 30.1.g, 30.2.d, 32.1) ; "
            "ni « Mesures de sécurité » ni « Description générale de la sécurité » ne sont "
            "remplis."
        ),
        detail_en=(
            "The record gives, where possible, a general description of the technical and "
            "organisational security measures (GDPR 30.1.g, 30.2.d, 32.1); neither “Security "
            "measures” nor “General description of security” is filled in."
        ),
        hint_fr=(
            "Ajoutez les mesures en place (contrôle d'accès, sauvegarde…) ou décrivez-les en "
            "quelques mots."
        ),
        hint_en="Add the measures in place (access control, backup…) or describe them briefly.",
        field="security_measures",
        counts_for_score=True,
    ),
    # ---- Lawfulness (Art. 6, 9, 10) ----------------------------------------------------------
    Rule(
        id="legal-basis-missing",
        reference="RGPD 6.1, 5.2",
        article="6.1",
        severity=W,
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
        hint_fr=_hint(ACTIVITY.field("legal_basis"), "fr"),
        hint_en=_hint(ACTIVITY.field("legal_basis"), "en"),
        field="legal_basis",
    ),
    Rule(
        id="legal-basis-text-missing",
        reference="RGPD 6.3",
        article="6.3",
        severity=W,
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
        hint_fr=_hint(ACTIVITY.field("legal_basis_text"), "fr"),
        hint_en=_hint(ACTIVITY.field("legal_basis_text"), "en"),
        field="legal_basis_text",
    ),
    Rule(
        id="legitimate-interest-public-authority",
        reference="RGPD 6.1 (dernier alinéa)",
        article="6.1",
        severity=W,
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
    ),
    Rule(
        id="art9-condition-missing",
        reference="RGPD 9.1, 9.2",
        article="9.2",
        severity=W,
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
    ),
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
    ),
    Rule(
        id="offence-authority-missing",
        reference="RGPD 10 ; loi 78-17, art. 46",
        article="10",
        severity=W,
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
    ),
    # ---- DPIA (Art. 35) ------------------------------------------------------------------------
    Rule(
        id="dpia-likely-needed",
        reference="RGPD 35.1, 35.4",
        article="35",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Une analyse d'impact (AIPD) est probablement nécessaire.",
        message_en="A data protection impact assessment (DPIA) is probably required.",
        detail_fr=(
            "Critères du CEPD relevés : {criteria} ; type de la liste de la CNIL : {cnil_type}. "
            "Deux critères ou plus, ou un type de la liste de la CNIL (RGPD 35.4), rendent en "
            "principe une AIPD obligatoire ; aucune évaluation n'est enregistrée."
        ),
        detail_en=(
            "EDPB criteria met: {criteria}; type on the CNIL's list: {cnil_type}. Two criteria "
            "or more, or a type on the CNIL's list (GDPR 35.4), normally make a DPIA mandatory; "
            "no assessment is recorded."
        ),
        hint_fr=(
            "Renseignez « Analyse d'impact » : réalisée, en cours, à réaliser, ou non nécessaire "
            "avec la justification dans « Conclusion de l'analyse »."
        ),
        hint_en=(
            "Fill in “Impact assessment”: carried out, in progress, to be done, or not needed "
            "with the reasons in “Assessment conclusion”."
        ),
        field="dpia_status",
    ),
    Rule(
        id="dpia-not-needed-contradiction",
        reference="RGPD 35.1, 35.4",
        article="35",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="L'analyse d'impact est jugée inutile malgré des critères de risque.",
        message_en="The impact assessment is deemed unnecessary despite risk criteria.",
        detail_fr=(
            "Critères du CEPD relevés : {criteria} ; type de la liste de la CNIL : {cnil_type}. "
            "Un type de la liste de la CNIL rend l'AIPD obligatoire ; avec deux critères ou "
            "plus, l'écarter demande une justification écrite, absente de « Conclusion de "
            "l'analyse »."
        ),
        detail_en=(
            "EDPB criteria met: {criteria}; type on the CNIL's list: {cnil_type}. A type on the "
            "CNIL's list makes a DPIA mandatory; with two criteria or more, ruling it out needs "
            "written reasons, missing from “Assessment conclusion”."
        ),
        hint_fr=(
            "Réalisez l'AIPD, ou justifiez dans « Conclusion de l'analyse » pourquoi elle n'est "
            "pas nécessaire."
        ),
        hint_en="Carry out the DPIA, or explain in “Assessment conclusion” why it is not needed.",
        field="dpia_status",
    ),
    Rule(
        id="dpia-not-assessed",
        reference="RGPD 35, 5.2",
        article="35",
        severity=INFO,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Le besoin d'une analyse d'impact n'a pas été évalué.",
        message_en="The need for an impact assessment has not been assessed.",
        detail_fr=(
            "Rien n'indique un risque élevé, mais noter l'évaluation (même « non nécessaire ») "
            "montre qu'elle a été faite (RGPD 35, 5.2)."
        ),
        detail_en=(
            "Nothing points to a high risk, but recording the assessment (even “not needed”) "
            "shows it was made (GDPR 35, 5.2)."
        ),
        hint_fr="Renseignez « Analyse d'impact » et, le cas échéant, « Critères de risque ».",
        hint_en="Fill in “Impact assessment” and, where relevant, “Risk criteria”.",
        field="dpia_status",
    ),
    # ---- Follow-up ---------------------------------------------------------------------------
    Rule(
        id="review-overdue",
        reference="RGPD 24.1, 5.2",
        article="30",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="La date de revue de la fiche est dépassée ({date}).",
        message_en="The record's review date has passed ({date}).",
        detail_fr=(
            "Prochaine revue prévue le {date} : les mesures sont réexaminées et actualisées si "
            "nécessaire (RGPD 24.1), et le registre doit rester exact."
        ),
        detail_en=(
            "Next review planned on {date}: measures are reviewed and updated where necessary "
            "(GDPR 24(1)), and the record must stay accurate."
        ),
        hint_fr="Relisez la fiche avec le service, puis fixez une nouvelle « Prochaine revue ».",
        hint_en="Review the record with the department, then set a new “Next review”.",
        field="next_review_on",
    ),
    Rule(
        id="validated-incomplete",
        reference="RGPD 30, 5.2",
        article="30",
        severity=W,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Fiche validée alors que des mentions obligatoires manquent.",
        message_en="Record validated although mandatory items are missing.",
        detail_fr=(
            "La fiche est « validée par le DPO » mais {count} mention(s) obligatoire(s) de "
            "l'article 30 manquent : la validation ne correspond plus au contenu."
        ),
        detail_en=(
            "The record is “validated by the DPO” but {count} mandatory Article 30 item(s) are "
            "missing: the validation no longer matches the content."
        ),
        hint_fr="Complétez les mentions en erreur, puis faites valider à nouveau la fiche.",
        hint_en="Complete the items in error, then have the record validated again.",
        field="status",
    ),
    # ---- Processor mode (30.2) -----------------------------------------------------------------
    Rule(
        id="controllers-served-dpo-missing",
        reference="RGPD 30.2.a",
        article="30.2.a",
        severity=INFO,
        scope=ACT,
        roles=PROCESSOR_ONLY,
        message_fr="Délégué non indiqué pour le responsable « {name} ».",
        message_en="No DPO given for the controller “{name}”.",
        detail_fr=(
            "Le registre du sous-traitant indique, le cas échéant, les coordonnées du délégué "
            "de chaque responsable pour lequel il agit (RGPD 30.2.a) ; un organisme public en a "
            "toujours un (37.1.a)."
        ),
        detail_en=(
            "The processor's record gives, where applicable, the contact details of the DPO of "
            "each controller it acts for (GDPR 30.2.a); a public body always has one (37.1.a)."
        ),
        hint_fr="Renseignez « Délégué du responsable » dans la ligne de ce responsable.",
        hint_en="Fill in “Controller's DPO” in this controller's row.",
        field="controllers_served.dpo_contact",
    ),
    # ---- Processors and software -----------------------------------------------------------------
    Rule(
        id="processor-art28-contract",
        reference="RGPD 28.3",
        article="28",
        severity=W,
        scope=PROC,
        roles=BOTH_ROLES,
        message_fr="Contrat de sous-traitance (article 28) non confirmé pour « {processor} ».",
        message_en="Processing contract (Article 28) not confirmed for “{processor}”.",
        detail_fr=(
            "Le traitement par un sous-traitant est régi par un contrat comportant les clauses "
            "de l'article 28.3 du RGPD ; « Contrat conforme à l'article 28 » : {answer}."
        ),
        detail_en=(
            "Processing by a processor is governed by a contract with the clauses of "
            "Article 28(3) GDPR; “Art. 28 contract”: {answer}."
        ),
        hint_fr=(
            "Vérifiez le contrat (ou faites signer un avenant reprenant l'article 28), puis "
            "répondez oui."
        ),
        hint_en="Check the contract (or have an Article 28 amendment signed), then answer yes.",
        field="has_art28_contract",
    ),
    Rule(
        id="processor-contract-expired",
        reference="RGPD 28.3",
        article="28",
        severity=W,
        scope=PROC,
        roles=BOTH_ROLES,
        message_fr="Le contrat avec « {processor} » a pris fin le {date}.",
        message_en="The contract with “{processor}” ended on {date}.",
        detail_fr=(
            "Le contrat de sous-traitance a pris fin le {date} ; si le prestataire traite encore "
            "des données, il le fait sans le contrat exigé par l'article 28.3."
        ),
        detail_en=(
            "The processing contract ended on {date}; if the provider still processes data, it "
            "does so without the contract required by Article 28(3)."
        ),
        hint_fr=(
            "Renouvelez le contrat et mettez à jour « Fin du contrat », ou retirez ce "
            "sous-traitant des traitements."
        ),
        hint_en=(
            "Renew the contract and update “Contract end”, or remove this processor from the "
            "activities."
        ),
        field="contract_end",
    ),
    Rule(
        id="software-hosting-country-missing",
        reference="RGPD 30.1.e (bonne pratique)",
        article="44",
        severity=INFO,
        scope=SOFT,
        roles=BOTH_ROLES,
        message_fr="Pays d'hébergement non indiqué pour le logiciel « {software} ».",
        message_en="No hosting country for the software “{software}”.",
        detail_fr=(
            "Le logiciel est hébergé chez un prestataire : sans le pays d'hébergement, on ne "
            "peut pas vérifier qu'aucune donnée ne quitte l'UE (RGPD 30.1.e, chapitre V)."
        ),
        detail_en=(
            "The software is hosted by a provider: without the hosting country, nobody can "
            "check that no data leave the EU (GDPR 30.1.e, Chapter V)."
        ),
        hint_fr="Renseignez « Pays d'hébergement » (demandez-le au prestataire).",
        hint_en="Fill in “Hosting country” (ask the provider).",
        field="hosting_country",
    ),
    Rule(
        id="software-provider-missing",
        reference="RGPD 28, 30.1.d",
        article="28",
        severity=INFO,
        scope=SOFT,
        roles=BOTH_ROLES,
        message_fr="Prestataire non indiqué pour le logiciel « {software} ».",
        message_en="No provider given for the software “{software}”.",
        detail_fr=(
            "Un logiciel hébergé chez un prestataire implique un sous-traitant (RGPD 28), qui "
            "figure parmi les destinataires des traitements qui l'utilisent (30.1.d)."
        ),
        detail_en=(
            "Software hosted by a provider implies a processor (GDPR 28), which is among the "
            "recipients of the activities using it (30.1.d)."
        ),
        hint_fr="Créez le sous-traitant si besoin et choisissez-le dans « Prestataire ».",
        hint_en="Create the processor if needed and choose it in “Provider”.",
        field="processor_id",
    ),
)

DERIVED_RULES: tuple[Rule, ...] = _derived_rules()

RULES: tuple[Rule, ...] = DERIVED_RULES + _RULES

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    """The rule called ``rule_id``; KeyError when there is none."""
    return RULES_BY_ID[rule_id]


# --------------------------------------------------------------------------------------------
# Score definition (shown in docs/rules.md and applied by registre.checker)
# --------------------------------------------------------------------------------------------

SCORE_DEFINITION_FR = """\
Le score mesure la part des exigences de l'article 30 **applicables** qui sont **satisfaites** ;
ce n'est pas un décompte de champs remplis.

- Une exigence est une règle marquée « compte dans le score » (les mentions de l'article 30.1 a)
  à g) et 30.2 a) à d)). Elle est **applicable** à un traitement quand elle vise son rôle
  (responsable ou sous-traitant) et que sa condition est remplie : par exemple « transferts
  décrits » ne s'applique que si la fiche annonce des transferts, « documentation d'une
  dérogation » que si un transfert repose sur l'article 49, « durée par catégorie » que si des
  catégories de données sont déclarées. Elle est **satisfaite** quand la règle ne relève aucun
  point sur ce traitement (sur aucune de ses lignes).
- Les mentions de l'organisme (nom et coordonnées, délégué : 30.1.a et 30.2.a) font partie de la
  fiche de chaque traitement : elles comptent dans le score de chaque traitement.
- **Score d'un traitement** = (exigences du traitement satisfaites + exigences de l'organisme
  satisfaites) ÷ (exigences du traitement applicables + exigences de l'organisme applicables).
- **Score d'un organisme** = moyenne des scores de ses traitements ; sans traitement, part des
  exigences de l'organisme satisfaites.
- Les avertissements de cohérence et les conseils ne comptent pas dans le score ; 100 % est
  atteint quand aucune règle comptée ne relève de point. Les pourcentages affichés sont
  arrondis à l'entier inférieur : 100 % signifie que tout est satisfait.
"""

SCORE_DEFINITION_EN = """\
The score is the share of the **applicable** Article 30 requirements that are **met**; it is not
a count of filled fields.

- A requirement is a rule marked "counts for the score" (the items of Article 30(1)(a)–(g) and
  30(2)(a)–(d)). It is **applicable** to an activity when it targets the activity's role
  (controller or processor) and its condition holds: for example "transfers described" applies
  only when the record announces transfers, "derogation documented" only when a transfer relies
  on Article 49, "period per category" only when data categories are declared. It is **met**
  when the rule finds nothing on that activity (on none of its rows).
- The organisation's items (name and contact details, DPO: 30.1.a and 30.2.a) are part of every
  activity's record: they count in the score of every activity.
- **Activity score** = (activity requirements met + organisation requirements met) ÷ (activity
  requirements applicable + organisation requirements applicable).
- **Organisation score** = mean of its activities' scores; with no activity, the share of the
  organisation requirements met.
- Consistency warnings and advice do not count; 100 % is reached when no counted rule finds
  anything. Percentages are rounded down: 100 % means everything is met.
"""
