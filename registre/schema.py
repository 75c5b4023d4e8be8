"""The one declaration of every register field.

Forms, the completeness checker, the PDF layout, spreadsheet columns and JSON keys all iterate
these declarations. A field is declared once here; the ORM column of the same key lives in
``registre.model`` and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


class Kind(StrEnum):
    """How a value is typed, stored and edited."""

    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # several lines
    CHOICE = "choice"  # one key of a vocabulary or enumeration
    MULTICHOICE = "multichoice"  # several keys of a vocabulary
    BOOL = "bool"  # yes / no / unknown (None)
    DATE = "date"
    DATETIME = "datetime"  # a moment, stored in UTC (the 72-hour clock of a breach)
    INTEGER = "integer"
    EMAIL = "email"
    PHONE = "phone"
    SIREN = "siren"
    REFERENCE = "reference"  # identifier of another entity (processor…)
    REFERENCES = "references"  # several identifiers of other entities


class Requirement(StrEnum):
    """How strongly Article 30 (or good practice) asks for a field."""

    MANDATORY = "mandatory"  # Article 30 requires it
    CONDITIONAL = "conditional"  # required "where applicable" (le cas échéant)
    RECOMMENDED = "recommended"  # "where possible" or good practice


class Role(StrEnum):
    """Whether the organisation acts as controller (30.1) or processor (30.2)."""

    CONTROLLER = "controller"
    PROCESSOR = "processor"


BOTH_ROLES: frozenset[Role] = frozenset(Role)
CONTROLLER_ONLY: frozenset[Role] = frozenset({Role.CONTROLLER})
PROCESSOR_ONLY: frozenset[Role] = frozenset({Role.PROCESSOR})


@dataclass(frozen=True)
class Choice:
    """One value of a closed list declared in the schema itself."""

    key: str
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class Field:
    """One register field: what it means, how it is edited and what Article 30 asks of it."""

    key: str
    label_fr: str
    label_en: str
    help_fr: str
    help_en: str
    kind: Kind = Kind.TEXT
    requirement: Requirement = Requirement.RECOMMENDED
    article: str = ""  # e.g. "30.1.b"; empty when the field serves no Article 30 item
    section: str = "general"
    vocabulary: str = ""  # resources/vocabularies/<name>.json for CHOICE / MULTICHOICE
    choices: tuple[Choice, ...] = ()  # closed list declared here instead of a vocabulary
    target: str = ""  # entity name for REFERENCE / REFERENCES
    roles: frozenset[Role] = BOTH_ROLES  # activity roles the field applies to
    personal: bool = False  # names or direct contacts of agents, masked in communicable exports
    max_length: int = 0  # 0: no limit beyond the kind's
    short_fr: str = ""  # a list column's title when the label is too long for it
    short_en: str = ""
    short_choices: tuple[Choice, ...] = ()  # short list labels of some choices (« Contrat »)
    internal: bool = False  # the application's bookkeeping, not the register's content
    # A row's value given only when it differs from its activity's (a sub-purpose's basis): a
    # document's table has the column only when a row fills it, never a column of « — »
    only_when_differs: bool = False
    # The help as the secretary's guided declaration shows it, when ``help_fr`` cites articles
    # for the DPO: the same advice without article numbers
    plain_fr: str = ""
    plain_en: str = ""

    def label(self, lang: str = "fr") -> str:
        """Label in ``lang`` ("fr" or "en")."""
        return self.label_en if lang == "en" else self.label_fr

    def help(self, lang: str = "fr") -> str:
        """Plain-language help in ``lang``."""
        return self.help_en if lang == "en" else self.help_fr

    def plain_help(self, lang: str = "fr") -> str:
        """The help without article numbers, for the secretary (``help`` when it cites none)."""
        plain = self.plain_en if lang == "en" else self.plain_fr
        return plain or self.help(lang)

    def short_label(self, lang: str = "fr") -> str:
        """The title of a list column of the field (its label when no shorter one is declared)."""
        short = self.short_en if lang == "en" else self.short_fr
        return short or self.label(lang)

    def choice_label(self, key: str, lang: str = "fr") -> str:
        """Label of one of the field's own choices (vocabulary labels live in vocabularies)."""
        for choice in self.choices:
            if choice.key == key:
                return choice.label_en if lang == "en" else choice.label_fr
        return key


@dataclass(frozen=True)
class Section:
    """A group of fields shown together, in Article 30 order."""

    key: str
    label_fr: str
    label_en: str
    article: str = ""


@dataclass(frozen=True)
class Composite:
    """Fields of a row read as one value (« 5 ans à compter de la clôture du dossier »).

    Lists and documents show them in one cell, titled by the first field's label; the text
    is written by ``registre.presentation.composite_text``.
    """

    key: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    """A kind of record: its fields and the child collections it owns."""

    name: str
    label_fr: str
    label_en: str
    plural_fr: str
    plural_en: str
    fields: tuple[Field, ...]
    sections: tuple[Section, ...] = ()
    collections: tuple[Collection, ...] = ()
    title_field: str = "name"
    list_columns: tuple[str, ...] = ()  # field keys of the application's list of records
    composites: tuple[Composite, ...] = ()

    def field(self, key: str) -> Field:
        """The field called ``key``; KeyError when the entity has none."""
        for candidate in self.fields:
            if candidate.key == key:
                return candidate
        raise KeyError(f"{self.name}.{key}")

    def collection(self, key: str) -> Collection:
        """The child collection called ``key``; KeyError when the entity has none."""
        for candidate in self.collections:
            if candidate.key == key:
                return candidate
        raise KeyError(f"{self.name}.{key}")

    def label(self, lang: str = "fr") -> str:
        """Singular label in ``lang``."""
        return self.label_en if lang == "en" else self.label_fr

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Keys of every field, in declaration order."""
        return tuple(f.key for f in self.fields)


@dataclass(frozen=True)
class Collection:
    """Rows owned by a parent record (purposes, data categories…), each row an entity."""

    key: str
    entity: Entity
    requirement: Requirement = Requirement.RECOMMENDED
    article: str = ""
    section: str = "general"
    roles: frozenset[Role] = BOTH_ROLES
    help_fr: str = ""
    help_en: str = ""

    def label(self, lang: str = "fr") -> str:
        """Plural label in ``lang``."""
        return self.entity.plural_en if lang == "en" else self.entity.plural_fr


# --------------------------------------------------------------------------------------------
# Closed lists that belong to the application rather than to a reference vocabulary
# --------------------------------------------------------------------------------------------

ROLE_CHOICES = (
    Choice(Role.CONTROLLER, "Responsable de traitement (art. 30.1)", "Controller (Art. 30.1)"),
    Choice(Role.PROCESSOR, "Sous-traitant (art. 30.2)", "Processor (Art. 30.2)"),
)

STATUS_CHOICES = (
    Choice("draft", "Brouillon", "Draft"),
    Choice("completed", "Complété", "Completed"),
    Choice("validated", "Validé par le DPO", "Validated by the DPO"),
)

DPIA_CHOICES = (
    Choice("not_needed", "Non nécessaire (évaluation faite)", "Not needed (assessed)"),
    Choice("planned", "Nécessaire, à réaliser", "Needed, to be carried out"),
    Choice("in_progress", "En cours", "In progress"),
    Choice("done", "Réalisée", "Carried out"),
)

RETENTION_UNIT_CHOICES = (
    Choice("days", "jours", "days"),
    Choice("months", "mois", "months"),
    Choice("years", "ans", "years"),
    Choice("unlimited", "sans limite", "unlimited"),
)

REGIME_CHOICES = (
    Choice("gdpr", "RGPD (règlement général)", "GDPR (general regulation)"),
    Choice(
        "police_justice",
        "Police-justice (directive 2016/680, loi Informatique et libertés, titre III)",
        "Law enforcement (Directive 2016/680, French Data Protection Act, Title III)",
    ),
)

LAW_ENFORCEMENT = "police_justice"
LAW_ENFORCEMENT_BASIS = Choice(
    LAW_ENFORCEMENT,
    "Directive (UE) 2016/680, art. 8 (police-justice)",
    "Directive (EU) 2016/680, Art. 8 (law enforcement)",
)
"""What the « Base légale » column shows for a law-enforcement activity, which has no Article 6
basis: the lawfulness of Directive 2016/680 (a task of a competent authority laid down by law,
art. 8; loi 78-17, art. 87), its text in « Texte fondant le traitement ». An import reads it
back as no Article 6 basis."""
LAW_ENFORCEMENT_BASIS_SHORT = Choice(LAW_ENFORCEMENT, "Directive 2016/680", "Directive 2016/680")
"""The same in a list cell (the whole text in its tooltip)."""

PROCESSOR_ARTICLES = {"30.1.a": "30.2.a", "30.1.e": "30.2.c", "30.1.g": "30.2.d"}
"""Article 30.2 counterpart of a 30.1 item when the activity is kept as processor."""

LAW_ENFORCEMENT_ARTICLES = {
    "30.1.a": "24.1.a",  # controller, joint controller, data protection officer
    "30.1.b": "24.1.b",  # purposes
    "30.1.c": "24.1.d",  # categories of data subjects and of personal data
    "30.1.d": "24.1.c",  # recipients
    "30.1.e": "24.1.f",  # transfers
    "30.1.f": "24.1.h",  # time limits for erasure
    "30.1.g": "24.1.i",  # security measures
    "30.2": "24.2",
    "30.2.a": "24.2.a",
    "30.2.c": "24.2.c",
    "30.2.d": "24.2.d",
    "35": "27",  # data protection impact assessment
}
"""Article 24 of Directive 2016/680 (loi 78-17, titre III) counterpart of an Article 30 item:
the record of a law-enforcement activity, which the GDPR does not govern."""

def activity_article(article: str, role: str | None, regime: str | None) -> str:
    """The article an item or a section of an activity's record answers: ``article`` (an
    Article 30.1 item), its 30.2 counterpart for an activity kept as processor
    (``PROCESSOR_ARTICLES``), its Directive 2016/680, art. 24 counterpart for a law-enforcement
    one (``LAW_ENFORCEMENT_ARTICLES``). The PDF's sheets and the application's forms cite it."""
    if role == Role.PROCESSOR:
        article = PROCESSOR_ARTICLES.get(article, article)
    if regime == LAW_ENFORCEMENT:
        article = LAW_ENFORCEMENT_ARTICLES.get(article, article)
    return article


ADEQUACY_HELP_FR = (
    "Pour un pays dont la décision d'adéquation a une portée limitée : États-Unis, "
    "l'organisme figure sur la liste du cadre de protection des données UE–États-Unis "
    "(Data Privacy Framework) ; Canada, organisation commerciale soumise à la loi PIPEDA ; "
    "Japon, entreprise du secteur privé ; Corée du Sud, organisme soumis à la loi PIPA."
)
ADEQUACY_HELP_EN = (
    "For a country whose adequacy decision has a limited scope: United States, the body is on "
    "the EU–US Data Privacy Framework list; Canada, a commercial organisation subject to "
    "PIPEDA; Japan, a private-sector business; South Korea, a body subject to PIPA."
)

HOSTING_CHOICES = (
    Choice("on_premises", "Dans les locaux de l'organisme", "On the organisation's premises"),
    Choice("provider", "Chez un prestataire (SaaS, hébergeur)", "At a provider (SaaS, hosting)"),
    Choice("workstation", "Sur un poste de travail", "On a workstation"),
)

# --------------------------------------------------------------------------------------------
# Sections, in Article 30 order
# --------------------------------------------------------------------------------------------

ACTIVITY_SECTIONS = (
    Section("identification", "Identification du traitement", "Identification"),
    Section("actors", "Acteurs", "Actors", "30.1.a"),
    Section("purposes", "Finalités et base légale", "Purposes and legal basis", "30.1.b"),
    Section("subjects_data", "Personnes et données concernées", "Data subjects and data", "30.1.c"),
    Section("recipients", "Destinataires", "Recipients", "30.1.d"),
    Section("transfers", "Transferts hors de l'UE", "Transfers outside the EU", "30.1.e"),
    Section("retention", "Durées de conservation", "Retention periods", "30.1.f"),
    Section("security", "Mesures de sécurité", "Security measures", "30.1.g"),
    Section("processor", "Traitement en tant que sous-traitant", "Processing as processor", "30.2"),
    Section("dpia", "Analyse d'impact (AIPD)", "Data protection impact assessment", "35"),
    Section("follow_up", "Suivi", "Follow-up"),
)

ORGANISATION_SECTIONS = (
    Section("identity", "Organisme", "Organisation", "30.1.a"),
    Section("legal_representative", "Représentant légal", "Legal representative", "30.1.a"),
    Section("dpo", "Délégué à la protection des données", "Data protection officer", "30.1.a"),
    Section("eu_representative", "Représentant dans l'UE", "Representative in the EU", "30.1.a"),
)


def _f(key: str, fr: str, en: str, help_fr: str, help_en: str, **options: object) -> Field:
    """Shorthand for a Field declaration."""
    return Field(key, fr, en, help_fr, help_en, **options)  # type: ignore[arg-type]


M = Requirement.MANDATORY
C = Requirement.CONDITIONAL
R = Requirement.RECOMMENDED

# --------------------------------------------------------------------------------------------
# Organisation
# --------------------------------------------------------------------------------------------

ORGANISATION = Entity(
    name="organisation",
    label_fr="Organisme",
    label_en="Organisation",
    plural_fr="Organismes",
    plural_en="Organisations",
    sections=ORGANISATION_SECTIONS,
    fields=(
        _f(
            "name",
            "Nom de l'organisme",
            "Organisation name",
            "Le nom officiel, par exemple « Commune de Saint-Martin ».",
            "The official name, for example “Commune de Saint-Martin”.",
            requirement=M,
            article="30.1.a",
            section="identity",
            max_length=200,
        ),
        _f(
            "kind",
            "Type d'organisme",
            "Type of organisation",
            "Commune, CCAS, EPCI, syndicat…",
            "Municipality, social action centre, EPCI…",
            kind=Kind.CHOICE,
            vocabulary="organisation_kinds",
            section="identity",
        ),
        _f(
            "siren",
            "Numéro SIREN",
            "SIREN number",
            "Les 9 chiffres qui identifient l'organisme (sur un avis de situation INSEE).",
            "The 9-digit number identifying the organisation (INSEE register).",
            kind=Kind.SIREN,
            section="identity",
        ),
        _f(
            "staff_count",
            "Nombre d'agents",
            "Number of staff",
            "L'effectif de l'organisme (titulaires, contractuels). Une analyse d'impact n'est "
            "pas requise pour la gestion du personnel d'un organisme de moins de 250 personnes "
            "(CNIL, délibération n° 2019-118).",
            "The organisation's headcount. No impact assessment is required for the staff "
            "management of a body of fewer than 250 people (CNIL, deliberation 2019-118).",
            kind=Kind.INTEGER,
            section="identity",
        ),
        _f(
            "address",
            "Adresse",
            "Address",
            "L'adresse postale de la mairie ou du siège.",
            "Postal address of the town hall or head office.",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="30.1.a",
            section="identity",
        ),
        _f(
            "email",
            "Courriel",
            "Email",
            "L'adresse de contact générale de l'organisme.",
            "The organisation's general contact address.",
            kind=Kind.EMAIL,
            requirement=M,
            article="30.1.a",
            section="identity",
        ),
        _f(
            "phone",
            "Téléphone",
            "Telephone",
            "Le standard de l'organisme.",
            "The organisation's switchboard.",
            kind=Kind.PHONE,
            article="30.1.a",
            section="identity",
        ),
        _f(
            "legal_representative_name",
            "Représentant légal",
            "Legal representative",
            "La personne qui engage l'organisme, en général le maire ou le président.",
            "The person who represents the organisation, usually the mayor or chair.",
            requirement=R,
            article="30.1.a",
            section="legal_representative",
            personal=True,
        ),
        _f(
            "legal_representative_title",
            "Qualité du représentant légal",
            "Legal representative's title",
            "Par exemple « Maire ».",
            "For example “Mayor”.",
            section="legal_representative",
        ),
        _f(
            "dpo_name",
            "Nom du délégué (DPO)",
            "DPO name",
            "La personne désignée auprès de la CNIL comme délégué à la protection des données. "
            "Une autorité publique doit en désigner un (art. 37).",
            "The person designated to the CNIL as data protection officer. "
            "A public authority must designate one (Art. 37).",
            requirement=M,
            article="30.1.a",
            section="dpo",
            personal=True,
        ),
        _f(
            "dpo_organisation",
            "Organisme du délégué",
            "DPO's organisation",
            "Si le délégué est externe ou mutualisé : le centre de gestion, le syndicat…",
            "If the DPO is external or shared: the management centre, syndicate…",
            requirement=C,
            article="30.1.a",
            section="dpo",
        ),
        _f(
            "dpo_email",
            "Courriel du délégué",
            "DPO email",
            "L'adresse à laquelle les personnes peuvent écrire au délégué.",
            "The address at which people can write to the DPO.",
            kind=Kind.EMAIL,
            requirement=M,
            article="30.1.a",
            section="dpo",
        ),
        _f(
            "dpo_phone",
            "Téléphone du délégué",
            "DPO telephone",
            "",
            "",
            kind=Kind.PHONE,
            article="30.1.a",
            section="dpo",
        ),
        _f(
            "dpo_address",
            "Adresse du délégué",
            "DPO address",
            "",
            "",
            kind=Kind.LONGTEXT,
            article="30.1.a",
            section="dpo",
        ),
        _f(
            "dpo_designation_number",
            "Numéro de désignation CNIL",
            "CNIL designation number",
            "Le numéro figurant sur l'accusé de réception de la désignation du délégué.",
            "The number on the CNIL's acknowledgement of the DPO designation.",
            section="dpo",
        ),
        _f(
            "next_review_on",
            "Prochaine revue du registre",
            "Next review of the register",
            "Quand le délégué revoit l'ensemble du registre de l'organisme. Sans date : un an "
            "après le dernier export officiel.",
            "When the DPO reviews the organisation's whole register. Without a date: a year "
            "after the last official export.",
            kind=Kind.DATE,
            section="dpo",
        ),
        _f(
            "eu_representative",
            "Représentant dans l'Union",
            "Representative in the Union",
            "Seulement si l'organisme est établi hors de l'Union européenne (art. 27). "
            "Une commune n'est pas concernée.",
            "Only if the organisation is established outside the European Union (Art. 27).",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="30.1.a",
            section="eu_representative",
        ),
    ),
)

# --------------------------------------------------------------------------------------------
# Child rows of an activity
# --------------------------------------------------------------------------------------------

PURPOSE = Entity(
    name="purpose",
    label_fr="Sous-finalité",
    label_en="Sub-purpose",
    plural_fr="Sous-finalités",
    plural_en="Sub-purposes",
    title_field="description",
    fields=(
        _f(
            "description",
            "Sous-finalité",
            "Sub-purpose",
            "Un objectif plus précis, par exemple « calcul des rémunérations ».",
            "A more precise objective, for example “salary calculation”.",
            requirement=M,
            article="30.1.b",
        ),
        _f(
            "legal_basis",
            "Base légale de cette finalité",
            "Legal basis of this purpose",
            "Seulement si elle diffère de celle du traitement, par exemple le consentement pour "
            "la lettre d'information d'un site dont la publication relève d'une mission d'intérêt "
            "public.",
            "Only if it differs from the activity's, for example consent for the newsletter of "
            "a website whose publication is a public task.",
            kind=Kind.CHOICE,
            vocabulary="legal_bases",
            article="6.1",
            only_when_differs=True,
        ),
    ),
)

DATA_SUBJECT = Entity(
    name="data_subject",
    label_fr="Catégorie de personnes",
    label_en="Data subject category",
    plural_fr="Catégories de personnes",
    plural_en="Data subject categories",
    title_field="category",
    fields=(
        _f(
            "category",
            "Catégorie de personnes",
            "Category of data subjects",
            "Qui sont les personnes dont on traite les données ?",
            "Whose data are processed?",
            kind=Kind.CHOICE,
            vocabulary="data_subject_categories",
            requirement=M,
            article="30.1.c",
        ),
        _f(
            "details",
            "Précisions",
            "Details",
            "Par exemple « enfants inscrits à la cantine ».",
            "For example “children registered for school meals”.",
        ),
    ),
)

DATA_CATEGORY = Entity(
    name="data_category",
    label_fr="Catégorie de données",
    label_en="Personal data category",
    plural_fr="Catégories de données",
    plural_en="Personal data categories",
    title_field="category",
    composites=(Composite("retention", ("retention_value", "retention_unit", "retention_start")),),
    fields=(
        _f(
            "category",
            "Catégorie de données",
            "Data category",
            "Le type de données, selon la liste de la CNIL.",
            "The type of data, from the CNIL's list.",
            kind=Kind.CHOICE,
            vocabulary="data_categories",
            requirement=M,
            article="30.1.c",
        ),
        _f(
            "details",
            "Données collectées",
            "Data collected",
            "Les données exactes, par exemple « nom, prénom, adresse ».",
            "The exact data, for example “surname, first name, address”.",
            kind=Kind.LONGTEXT,
            requirement=R,
            article="30.1.c",
        ),
        _f(
            "retention_value",
            "Durée de conservation",
            "Retention period",
            "Combien de temps ces données sont gardées (le nombre).",
            "How long these data are kept (the number).",
            kind=Kind.INTEGER,
            requirement=R,
            article="30.1.f",
            section="retention",
        ),
        _f(
            "retention_unit",
            "Unité de durée",
            "Retention unit",
            "Jours, mois ou ans.",
            "Days, months or years.",
            kind=Kind.CHOICE,
            choices=RETENTION_UNIT_CHOICES,
            requirement=R,
            article="30.1.f",
            section="retention",
        ),
        _f(
            "retention_start",
            "Point de départ",
            "Starting from",
            "À partir de quand la durée court, par exemple « la fin de la scolarité ».",
            "When the period starts, for example “the end of schooling”.",
            requirement=R,
            article="30.1.f",
            section="retention",
        ),
        _f(
            "final_disposition",
            "Sort final",
            "Final disposition",
            "Ce qui arrive ensuite : destruction, versement aux archives ou tri.",
            "What happens afterwards: destruction, transfer to archives or sorting.",
            kind=Kind.CHOICE,
            vocabulary="final_dispositions",
            requirement=R,
            article="30.1.f",
            section="retention",
        ),
        _f(
            "retention_source",
            "Référence de la durée",
            "Retention reference",
            "Le texte ou la circulaire qui fixe la durée (instruction de tri des archives…).",
            "The text or circular setting the period (archives sorting instruction…).",
            section="retention",
        ),
    ),
)

RECIPIENT = Entity(
    name="recipient",
    label_fr="Destinataire",
    label_en="Recipient",
    plural_fr="Destinataires",
    plural_en="Recipients",
    title_field="name",
    fields=(
        _f(
            "recipient_type",
            "Type de destinataire",
            "Type of recipient",
            "Service interne, autre administration, sous-traitant…",
            "Internal department, other administration, processor…",
            kind=Kind.CHOICE,
            vocabulary="recipient_types",
            requirement=M,
            article="30.1.d",
        ),
        _f(
            "name",
            "Destinataire",
            "Recipient",
            "Qui reçoit ou consulte les données, par exemple « service comptabilité », « CAF ».",
            "Who receives or accesses the data, for example “accounts department”.",
            requirement=M,
            article="30.1.d",
        ),
        _f(
            "details",
            "Précisions",
            "Details",
            "Quelles données, dans quel but.",
            "Which data, for what purpose.",
        ),
    ),
)

JOINT_CONTROLLER = Entity(
    name="joint_controller",
    label_fr="Responsable conjoint",
    label_en="Joint controller",
    plural_fr="Responsables conjoints",
    plural_en="Joint controllers",
    fields=(
        _f(
            "name",
            "Nom",
            "Name",
            "L'organisme qui décide avec vous des finalités et des moyens.",
            "The body deciding the purposes and means together with you.",
            requirement=M,
            article="30.1.a",
        ),
        _f(
            "contact",
            "Coordonnées",
            "Contact details",
            "Adresse, courriel, téléphone.",
            "Address, email, telephone.",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="30.1.a",
            personal=True,
        ),
        _f(
            "responsibilities",
            "Répartition des obligations",
            "Allocation of responsibilities",
            "Qui fait quoi (art. 26).",
            "Who does what (Art. 26).",
            kind=Kind.LONGTEXT,
        ),
    ),
)

CONTROLLER_SERVED = Entity(
    name="controller_served",
    label_fr="Responsable pour le compte duquel l'organisme agit",
    label_en="Controller on whose behalf the organisation acts",
    plural_fr="Responsables de traitement servis",
    plural_en="Controllers served",
    fields=(
        _f(
            "name",
            "Responsable de traitement",
            "Controller",
            "L'organisme pour lequel vous traitez les données (art. 30.2.a).",
            "The body for which you process the data (Art. 30.2.a).",
            requirement=M,
            article="30.2.a",
        ),
        _f(
            "contact",
            "Coordonnées",
            "Contact details",
            "Adresse, courriel, téléphone.",
            "Address, email, telephone.",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="30.2.a",
            personal=True,
        ),
        _f(
            "representative",
            "Représentant",
            "Representative",
            "Seulement si ce responsable est établi hors de l'UE.",
            "Only if this controller is established outside the EU.",
            requirement=C,
            article="30.2.a",
        ),
        _f(
            "dpo_contact",
            "Délégué du responsable",
            "Controller's DPO",
            "Les coordonnées de son délégué à la protection des données.",
            "Contact details of its data protection officer.",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="30.2.a",
            personal=True,
        ),
    ),
)

TRANSFER = Entity(
    name="transfer",
    label_fr="Transfert hors UE",
    label_en="Transfer outside the EU",
    plural_fr="Transferts hors UE",
    plural_en="Transfers outside the EU",
    title_field="recipient",
    fields=(
        _f(
            "recipient",
            "Organisme destinataire",
            "Recipient organisation",
            "Qui reçoit les données hors de l'Union européenne.",
            "Who receives the data outside the European Union.",
            requirement=M,
            article="30.1.e",
        ),
        _f(
            "country",
            "Pays",
            "Country",
            "Le pays où les données sont envoyées ou hébergées.",
            "The country the data are sent to or hosted in.",
            kind=Kind.CHOICE,
            vocabulary="countries",
            requirement=C,
            article="30.1.e",
        ),
        _f(
            "international_organisation",
            "Organisation internationale",
            "International organisation",
            "Si les données vont à une organisation internationale (ONU, OCDE, OMS…) : son nom. "
            "Un transfert vise un pays ou une organisation internationale (art. 30.1.e).",
            "If the data go to an international organisation (UN, OECD, WHO…): its name. A "
            "transfer goes to a country or an international organisation (Art. 30.1.e).",
            requirement=C,
            article="30.1.e",
            max_length=200,
        ),
        _f(
            "safeguard",
            "Garantie",
            "Safeguard",
            "Ce qui protège les données là-bas : décision d'adéquation, clauses types…",
            "What protects the data there: adequacy decision, standard clauses…",
            kind=Kind.CHOICE,
            vocabulary="transfer_safeguards",
            requirement=C,
            article="30.1.e",
        ),
        _f(
            "documentation",
            "Documentation des garanties",
            "Safeguard documentation",
            "Où trouver le document (contrat, clauses signées…). Pour un transfert fondé sur "
            "les intérêts légitimes impérieux (second alinéa de l'art. 49.1), l'évaluation et "
            "les garanties sont obligatoirement documentées ici (art. 30.1.e et 49.6).",
            "Where the document is kept (contract, signed clauses…). For a transfer based on "
            "compelling legitimate interests (second subparagraph of Art. 49(1)), the assessment "
            "and the safeguards must be documented here (Art. 30(1)(e) and 49(6)).",
            plain_fr="Où trouver le document (contrat, clauses signées…). Pour un transfert "
            "fondé sur des intérêts légitimes impérieux, l'évaluation et les garanties sont "
            "obligatoirement décrites ici.",
            plain_en="Where the document is kept (contract, signed clauses…). For a transfer "
            "based on compelling legitimate interests, the assessment and the safeguards must "
            "be described here.",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="30.1.e",
        ),
        _f(
            "adequacy_covered",
            "Destinataire couvert par la décision d'adéquation",
            "Recipient covered by the adequacy decision",
            ADEQUACY_HELP_FR,
            ADEQUACY_HELP_EN,
            kind=Kind.BOOL,
            article="45",
        ),
    ),
)

SECURITY_MEASURE = Entity(
    name="security_measure",
    label_fr="Mesure de sécurité",
    label_en="Security measure",
    plural_fr="Mesures de sécurité",
    plural_en="Security measures",
    title_field="measure_type",
    fields=(
        _f(
            "measure_type",
            "Type de mesure",
            "Type of measure",
            "Par exemple « contrôle d'accès des utilisateurs », « sauvegarde ».",
            "For example “user access control”, “backup”.",
            kind=Kind.CHOICE,
            vocabulary="security_measures",
            requirement=M,
            article="30.1.g",
        ),
        _f(
            "details",
            "Précisions",
            "Details",
            "Comment la mesure est mise en œuvre.",
            "How the measure is implemented.",
            kind=Kind.LONGTEXT,
        ),
    ),
)

# --------------------------------------------------------------------------------------------
# Processing activity
# --------------------------------------------------------------------------------------------

ACTIVITY = Entity(
    name="activity",
    label_fr="Traitement",
    label_en="Processing activity",
    plural_fr="Traitements",
    plural_en="Processing activities",
    sections=ACTIVITY_SECTIONS,
    list_columns=("reference", "name", "service", "role", "legal_basis", "status", "updated_on"),
    fields=(
        _f(
            "name",
            "Nom du traitement",
            "Name of the processing",
            "Un nom court et clair, par exemple « Inscriptions scolaires ».",
            "A short, clear name, for example “School enrolment”.",
            short_fr="Nom",
            short_en="Name",
            requirement=M,
            article="30.1.b",
            section="identification",
            max_length=300,
        ),
        _f(
            "reference",
            "Référence",
            "Reference",
            "Un numéro interne, par exemple « T-012 ».",
            "An internal number, for example “T-012”.",
            section="identification",
            max_length=50,
        ),
        _f(
            "role",
            "Rôle de l'organisme",
            "Role of the organisation",
            "Responsable : la commune décide pourquoi et comment. Sous-traitant : elle traite "
            "pour le compte d'un autre organisme.",
            "Controller: the organisation decides why and how. Processor: it processes on "
            "behalf of another body.",
            kind=Kind.CHOICE,
            choices=ROLE_CHOICES,
            short_fr="Rôle",
            short_en="Role",
            short_choices=(
                Choice(Role.CONTROLLER, "Responsable", "Controller"),
                Choice(Role.PROCESSOR, "Sous-traitant", "Processor"),
            ),
            requirement=M,
            section="identification",
        ),
        _f(
            "regime",
            "Régime juridique",
            "Legal regime",
            "RGPD le plus souvent. « Police-justice » pour un traitement dont la finalité est "
            "la prévention ou la constatation des infractions (police municipale, vidéoprotection "
            "de la voie publique contre les atteintes aux personnes et aux biens) : il relève de "
            "la directive 2016/680 et du titre III de la loi Informatique et libertés.",
            "GDPR in most cases. “Law enforcement” for processing whose purpose is the prevention "
            "or detection of criminal offences (municipal police, street video protection against "
            "offences): it falls under Directive 2016/680 and Title III of the French Act.",
            kind=Kind.CHOICE,
            choices=REGIME_CHOICES,
            section="identification",
        ),
        _f(
            "service",
            "Service concerné",
            "Department",
            "Le service qui met en œuvre le traitement, par exemple « État civil ».",
            "The department running the processing, for example “Civil registry”.",
            short_fr="Service",
            short_en="Department",
            section="identification",
        ),
        _f(
            "referent",
            "Agent référent",
            "Contact person in the department",
            "L'agent du service à qui s'adresser pour ce traitement : nom, fonction, téléphone "
            "ou courriel. Le délégué le consulte pour tenir la fiche à jour et lui transmet "
            "les demandes d'exercice des droits.",
            "The member of staff to ask about this processing: name, position, phone or email. "
            "The DPO asks them to keep the record up to date and forwards rights requests.",
            kind=Kind.LONGTEXT,
            section="identification",
            personal=True,
        ),
        _f(
            "description",
            "Description",
            "Description",
            "En quelques phrases, ce que fait le service avec ces données.",
            "In a few sentences, what the department does with these data.",
            kind=Kind.LONGTEXT,
            section="identification",
        ),
        _f(
            "status",
            "État de la fiche",
            "Record status",
            "Brouillon, complétée, ou validée par le délégué.",
            "Draft, completed, or validated by the DPO.",
            kind=Kind.CHOICE,
            choices=STATUS_CHOICES,
            short_fr="État",
            short_en="Status",
            short_choices=(Choice("validated", "Validé DPO", "DPO-validated"),),
            section="identification",
        ),
        _f(
            "main_purpose",
            "Finalité principale",
            "Main purpose",
            "Pourquoi ces données sont traitées, en une phrase.",
            "Why these data are processed, in one sentence.",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="30.1.b",
            section="purposes",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "legal_basis",
            "Base légale",
            "Legal basis",
            "Ce qui autorise le traitement (art. 6) ; pour une commune, le plus souvent une "
            "obligation légale ou une mission de service public.",
            "What makes the processing lawful (Art. 6); for a municipality usually a legal "
            "obligation or a public task.",
            plain_fr="Ce qui autorise le traitement ; pour une commune, le plus souvent une "
            "obligation légale ou une mission de service public.",
            plain_en="What makes the processing lawful; for a municipality usually a legal "
            "obligation or a public task.",
            kind=Kind.CHOICE,
            vocabulary="legal_bases",
            short_choices=(
                Choice("6.1.a", "Consentement", "Consent"),
                Choice("6.1.b", "Contrat", "Contract"),
                Choice("6.1.c", "Obligation légale", "Legal obligation"),
                Choice("6.1.d", "Intérêts vitaux", "Vital interests"),
                Choice("6.1.e", "Mission publique", "Public task"),
                Choice("6.1.f", "Intérêts légitimes", "Legitimate interests"),
            ),
            requirement=R,
            article="6.1",
            section="purposes",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "legal_basis_text",
            "Texte fondant le traitement",
            "Legal text",
            "L'article de loi ou de code qui prévoit le traitement, par exemple "
            "« Code civil, art. 34 à 54 ».",
            "The statute or code article providing for the processing.",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="6.3",
            section="purposes",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "art9_condition",
            "Exception pour données sensibles",
            "Condition for special categories",
            "Si des données sensibles sont traitées : l'exception de l'article 9.2 qui le permet.",
            "If special categories are processed: the Art. 9.2 exception that allows it.",
            kind=Kind.CHOICE,
            vocabulary="art9_conditions",
            requirement=C,
            article="9.2",
            section="purposes",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "offence_data_authority",
            "Autorisation pour les données d'infraction",
            "Authority for offence data",
            "Si des données d'infraction ou de condamnation sont traitées : le texte qui "
            "l'autorise (art. 10).",
            "If criminal offence data are processed: the text authorising it (Art. 10).",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="10",
            section="purposes",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "nir_authority",
            "Texte autorisant l'usage du NIR",
            "Text authorising the use of the NIR",
            "Si le numéro de sécurité sociale (NIR) est traité : le texte qui l'autorise pour "
            "cette finalité, le plus souvent le décret n° 2019-341 du 19 avril 2019 (« décret "
            "cadre NIR ») et la catégorie de son annexe.",
            "If the social security number (NIR) is processed: the text authorising it for this "
            "purpose, usually decree 2019-341 of 19 April 2019 and the category of its annex.",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="87",
            section="purposes",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "uses_profiling",
            "Recours au profilage",
            "Use of profiling",
            "Le traitement évalue-t-il automatiquement des aspects personnels (comportement, "
            "situation…) ? À indiquer notamment pour un traitement police-justice (directive "
            "2016/680, art. 24).",
            "Does the processing automatically evaluate personal aspects (behaviour, situation…)? "
            "To be stated in particular for law-enforcement processing (Directive 2016/680, "
            "Art. 24).",
            kind=Kind.BOOL,
            section="purposes",
        ),
        _f(
            "data_source",
            "Origine des données",
            "Source of the data",
            "D'où viennent les données : la personne elle-même, une autre administration…",
            "Where the data come from: the person, another administration…",
            kind=Kind.CHOICE,
            vocabulary="data_sources",
            section="subjects_data",
        ),
        _f(
            "collection_method",
            "Mode de collecte",
            "Collection method",
            "Formulaire papier, guichet, téléservice…",
            "Paper form, counter, online service…",
            kind=Kind.LONGTEXT,
            section="subjects_data",
        ),
        _f(
            "data_subjects_count",
            "Nombre de personnes concernées",
            "Number of data subjects",
            "Un ordre de grandeur, par exemple le nombre d'habitants ou d'enfants inscrits : il "
            "aide à apprécier si le traitement est « à grande échelle ».",
            "An order of magnitude, for example the number of residents or enrolled children: it "
            "helps to judge whether the processing is “large scale”.",
            kind=Kind.INTEGER,
            section="subjects_data",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "has_transfers",
            "Données transférées hors de l'UE",
            "Data transferred outside the EU",
            "Des données sont-elles envoyées ou hébergées hors de l'Union européenne ?",
            "Are any data sent to or hosted outside the European Union?",
            kind=Kind.BOOL,
            requirement=M,
            article="30.1.e",
            section="transfers",
        ),
        _f(
            "general_retention",
            "Durée de conservation générale",
            "General retention period",
            "Une durée pour l'ensemble du traitement, si elle est la même pour toutes les "
            "données. Précisez-la aussi pour chaque catégorie de données.",
            "One period for the whole processing, if the same for all data. Also give it per "
            "data category.",
            kind=Kind.LONGTEXT,
            article="30.1.f",
            section="retention",
            roles=CONTROLLER_ONLY,
        ),
        _f(
            "security_overview",
            "Description générale de la sécurité",
            "General description of security",
            "En quelques mots, comment les données sont protégées.",
            "In a few words, how the data are protected.",
            kind=Kind.LONGTEXT,
            requirement=R,
            article="30.1.g",
            section="security",
        ),
        _f(
            "processing_categories",
            "Catégories de traitements effectués",
            "Categories of processing carried out",
            "Ce que l'organisme fait pour le compte du responsable : hébergement, paie, saisie…",
            "What the organisation does on the controller's behalf: hosting, payroll, data entry…",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="30.2.b",
            section="processor",
            roles=PROCESSOR_ONLY,
        ),
        _f(
            "dpia_status",
            "Analyse d'impact",
            "Impact assessment",
            "A-t-on vérifié si une analyse d'impact (AIPD) est nécessaire, et est-elle faite ?",
            "Was the need for a DPIA assessed, and has it been carried out?",
            kind=Kind.CHOICE,
            choices=DPIA_CHOICES,
            article="35",
            section="dpia",
        ),
        _f(
            "dpia_criteria",
            "Critères de risque",
            "Risk criteria",
            "Les critères du CEPD présents (deux ou plus rendent souvent une AIPD nécessaire).",
            "The EDPB criteria met (two or more often make a DPIA necessary).",
            kind=Kind.MULTICHOICE,
            vocabulary="dpia_criteria",
            article="35",
            section="dpia",
        ),
        _f(
            "dpia_cnil_type",
            "Type de la liste CNIL",
            "Type on the CNIL list",
            "Si le traitement figure sur la liste des traitements pour lesquels la CNIL exige "
            "une AIPD.",
            "If the processing is on the CNIL's list of operations requiring a DPIA.",
            kind=Kind.CHOICE,
            vocabulary="dpia_cnil_types",
            article="35.4",
            section="dpia",
        ),
        _f(
            "dpia_exemption",
            "Exemption de la liste CNIL",
            "Exemption on the CNIL list",
            "Si le traitement figure sur la liste des traitements pour lesquels la CNIL "
            "n'exige pas d'AIPD (délibération n° 2019-118 du 12 septembre 2019).",
            "If the processing is on the CNIL's list of operations for which no DPIA is required "
            "(deliberation 2019-118 of 12 September 2019).",
            kind=Kind.CHOICE,
            vocabulary="dpia_exemptions",
            article="35.5",
            section="dpia",
        ),
        _f(
            "dpia_date",
            "Date de l'analyse",
            "Assessment date",
            "",
            "",
            kind=Kind.DATE,
            article="35",
            section="dpia",
        ),
        _f(
            "dpia_conclusion",
            "Conclusion de l'analyse",
            "Assessment conclusion",
            "",
            "",
            kind=Kind.LONGTEXT,
            article="35",
            section="dpia",
        ),
        _f(
            "created_on",
            "Date de création de la fiche",
            "Record created on",
            "",
            "",
            kind=Kind.DATE,
            section="follow_up",
        ),
        _f(
            "updated_on",
            "Dernière mise à jour",
            "Last updated",
            "",
            "",
            short_fr="Mis à jour",
            short_en="Updated",
            kind=Kind.DATE,
            section="follow_up",
        ),
        _f(
            "next_review_on",
            "Prochaine revue",
            "Next review",
            "Quand le délégué doit revoir la fiche.",
            "When the DPO should review the record.",
            kind=Kind.DATE,
            section="follow_up",
        ),
        _f(
            "legacy_notes",
            "Informations reprises de l'ancien registre",
            "Information carried over from the former register",
            "Ce qu'un import n'a pu ranger dans aucun champ, une ligne « Titre de colonne : "
            "valeur » par cellule. Reportez ce qui compte dans les bons champs, puis effacez "
            "ces lignes.",
            "What an import could not put into any field, one line “Column title: value” per "
            "cell. Move what matters into the right fields, then delete these lines.",
            kind=Kind.LONGTEXT,
            section="follow_up",
        ),
        _f(
            "template_id",
            "Modèle d'origine",
            "Source template",
            "Le modèle du catalogue à partir duquel la fiche a été créée.",
            "The catalogue template the record was created from.",
            section="follow_up",
            max_length=80,
            internal=True,
        ),
        _f(
            "template_version",
            "Version du modèle",
            "Template version",
            "La version du modèle au moment de la création.",
            "The template's version when the record was created.",
            section="follow_up",
            max_length=20,
            internal=True,
        ),
        _f(
            "processors",
            "Sous-traitants",
            "Processors",
            "Les prestataires qui traitent les données pour le compte de l'organisme.",
            "The providers processing the data on the organisation's behalf.",
            kind=Kind.REFERENCES,
            target="processor",
            article="30.1.d",
            section="recipients",
        ),
        _f(
            "software",
            "Logiciels utilisés",
            "Software used",
            "Les logiciels avec lesquels le traitement est réalisé.",
            "The software used for the processing.",
            kind=Kind.REFERENCES,
            target="software",
            section="security",
        ),
    ),
    collections=(
        Collection(
            "joint_controllers",
            JOINT_CONTROLLER,
            C,
            "30.1.a",
            "actors",
            CONTROLLER_ONLY,
            "Seulement si un autre organisme décide avec vous (art. 26).",
            "Only if another body decides together with you (Art. 26).",
        ),
        Collection(
            "controllers_served", CONTROLLER_SERVED, M, "30.2.a", "processor", PROCESSOR_ONLY
        ),
        Collection("purposes", PURPOSE, R, "30.1.b", "purposes", CONTROLLER_ONLY),
        Collection("data_subjects", DATA_SUBJECT, M, "30.1.c", "subjects_data", CONTROLLER_ONLY),
        Collection("data_categories", DATA_CATEGORY, M, "30.1.c", "subjects_data", CONTROLLER_ONLY),
        Collection("recipients", RECIPIENT, M, "30.1.d", "recipients", CONTROLLER_ONLY),
        Collection("transfers", TRANSFER, C, "30.1.e", "transfers"),
        Collection("security_measures", SECURITY_MEASURE, R, "30.1.g", "security"),
    ),
)

# --------------------------------------------------------------------------------------------
# Processors and software inventory
# --------------------------------------------------------------------------------------------

PROCESSOR = Entity(
    name="processor",
    label_fr="Sous-traitant",
    label_en="Processor",
    plural_fr="Sous-traitants",
    plural_en="Processors",
    list_columns=("name", "country", "has_art28_contract", "contract_end", "email"),
    fields=(
        _f(
            "name",
            "Nom du sous-traitant",
            "Processor name",
            "La société ou l'organisme prestataire.",
            "The provider company or body.",
            requirement=M,
            article="30.1.d",
        ),
        _f("siren", "SIREN", "SIREN", "", "", kind=Kind.SIREN),
        _f("address", "Adresse", "Address", "", "", kind=Kind.LONGTEXT),
        _f(
            "country",
            "Pays d'établissement",
            "Country of establishment",
            "",
            "",
            kind=Kind.CHOICE,
            vocabulary="countries",
        ),
        _f(
            "adequacy_covered",
            "Couvert par la décision d'adéquation",
            "Covered by the adequacy decision",
            ADEQUACY_HELP_FR,
            ADEQUACY_HELP_EN,
            kind=Kind.BOOL,
            article="45",
        ),
        _f(
            "contact_name",
            "Contact",
            "Contact person",
            "La personne à joindre chez le prestataire.",
            "The person to contact.",
            personal=True,
        ),
        _f("email", "Courriel", "Email", "", "", kind=Kind.EMAIL, personal=True),
        _f("phone", "Téléphone", "Telephone", "", "", kind=Kind.PHONE, personal=True),
        _f(
            "dpo_contact",
            "Délégué du sous-traitant",
            "Processor's DPO",
            "",
            "",
            kind=Kind.LONGTEXT,
            personal=True,
        ),
        _f(
            "has_art28_contract",
            "Contrat conforme à l'article 28",
            "Art. 28 contract",
            "Le contrat contient-il les clauses de protection des données de l'article 28 ?",
            "Does the contract include the data protection clauses of Art. 28?",
            kind=Kind.BOOL,
            requirement=M,
            article="28.3",
        ),
        _f("contract_reference", "Référence du contrat", "Contract reference", "", ""),
        _f("contract_end", "Fin du contrat", "Contract end", "", "", kind=Kind.DATE),
        _f("notes", "Notes", "Notes", "", "", kind=Kind.LONGTEXT),
    ),
)

SOFTWARE = Entity(
    name="software",
    label_fr="Logiciel",
    label_en="Software",
    plural_fr="Logiciels",
    plural_en="Software",
    list_columns=(
        "name",
        "publisher",
        "hosting",
        "hosting_country",
        "processor_id",
        "free_licence",
    ),
    fields=(
        _f(
            "name",
            "Nom du logiciel",
            "Software name",
            "Le nom sous lequel le logiciel est connu dans les services.",
            "The name under which the software is known in the departments.",
            requirement=M,
        ),
        _f("publisher", "Éditeur", "Publisher", "", ""),
        _f("version", "Version", "Version", "", ""),
        _f(
            "hosting",
            "Hébergement",
            "Hosting",
            "Où tournent le logiciel et ses données.",
            "Where the software and its data run.",
            kind=Kind.CHOICE,
            choices=HOSTING_CHOICES,
        ),
        _f(
            "hosting_country",
            "Pays d'hébergement",
            "Hosting country",
            "Le pays des serveurs qui hébergent les données.",
            "The country of the servers holding the data.",
            kind=Kind.CHOICE,
            vocabulary="countries",
        ),
        _f(
            "adequacy_covered",
            "Hébergeur couvert par la décision d'adéquation",
            "Host covered by the adequacy decision",
            ADEQUACY_HELP_FR,
            ADEQUACY_HELP_EN,
            kind=Kind.BOOL,
            article="45",
        ),
        _f(
            "free_licence",
            "Logiciel libre",
            "Free software",
            "Le logiciel est-il sous licence libre ?",
            "Is the software under a free licence?",
            kind=Kind.BOOL,
        ),
        _f("licence", "Licence", "Licence", "", ""),
        _f(
            "processor_id",
            "Prestataire",
            "Provider",
            "Le sous-traitant qui fournit ou héberge le logiciel.",
            "The processor providing or hosting the software.",
            kind=Kind.REFERENCE,
            target="processor",
        ),
        _f("notes", "Notes", "Notes", "", "", kind=Kind.LONGTEXT),
    ),
)

# --------------------------------------------------------------------------------------------
# Companion registers: breaches (Art. 33(5), 34), rights requests (Art. 12, 15–22),
# impact assessments (Art. 35, 36) and processor contracts (Art. 28)
# --------------------------------------------------------------------------------------------

BREACH_NATURE_CHOICES = (
    Choice(
        "confidentiality",
        "Confidentialité (divulgation, accès non autorisé)",
        "Confidentiality (disclosure, unauthorised access)",
    ),
    Choice(
        "integrity", "Intégrité (modification non autorisée)", "Integrity (unauthorised change)"
    ),
    Choice(
        "availability",
        "Disponibilité (perte, destruction, indisponibilité)",
        "Availability (loss, destruction, unavailability)",
    ),
)

BREACH_CAUSE_CHOICES = (
    Choice(
        "human_error",
        "Erreur humaine (envoi au mauvais destinataire…)",
        "Human error (sent to the wrong recipient…)",
    ),
    Choice(
        "malicious",
        "Acte malveillant (piratage, rançongiciel, hameçonnage)",
        "Malicious act (hacking, ransomware, phishing)",
    ),
    Choice(
        "loss_theft",
        "Perte ou vol (ordinateur, clé USB, dossier)",
        "Loss or theft (computer, USB stick, file)",
    ),
    Choice("technical", "Défaillance technique", "Technical failure"),
    Choice("other", "Autre", "Other"),
)

BREACH_RISK_CHOICES = (
    Choice("unlikely", "Risque peu probable pour les personnes", "Risk to people unlikely"),
    Choice("risk", "Risque pour les personnes", "Risk to people"),
    Choice("high", "Risque élevé pour les personnes", "High risk to people"),
)

NOTIFICATION_CHOICES = (
    Choice("notify", "Notification à la CNIL", "Notified to the CNIL"),
    Choice(
        "not_required",
        "Pas de notification (risque peu probable)",
        "No notification (risk unlikely)",
    ),
)

COMMUNICATION_CHOICES = (
    Choice("done", "Personnes informées", "People informed"),
    Choice("not_required", "Non requise (pas de risque élevé)", "Not required (no high risk)"),
    Choice(
        "exempt_34_3_a",
        "Non requise : données rendues incompréhensibles (34.3.a)",
        "Not required: data made unintelligible (34.3.a)",
    ),
    Choice(
        "exempt_34_3_b",
        "Non requise : mesures ultérieures supprimant le risque (34.3.b)",
        "Not required: subsequent measures removed the risk (34.3.b)",
    ),
    Choice(
        "public_34_3_c",
        "Communication publique (efforts disproportionnés, 34.3.c)",
        "Public communication (disproportionate effort, 34.3.c)",
    ),
)

OPEN_CLOSED_CHOICES = (
    Choice("open", "En cours de traitement", "Being handled"),
    Choice("closed", "Clôturée", "Closed"),
)

RIGHT_CHOICES = (
    Choice("access", "Accès (art. 15)", "Access (Art. 15)"),
    Choice("rectification", "Rectification (art. 16)", "Rectification (Art. 16)"),
    Choice("erasure", "Effacement (art. 17)", "Erasure (Art. 17)"),
    Choice("restriction", "Limitation (art. 18)", "Restriction (Art. 18)"),
    Choice("portability", "Portabilité (art. 20)", "Portability (Art. 20)"),
    Choice("objection", "Opposition (art. 21)", "Objection (Art. 21)"),
    Choice(
        "consent_withdrawal",
        "Retrait du consentement (art. 7.3)",
        "Withdrawal of consent (Art. 7(3))",
    ),
    Choice("automated_decision", "Décision automatisée (art. 22)", "Automated decision (Art. 22)"),
)

CHANNEL_CHOICES = (
    Choice("letter", "Courrier", "Letter"),
    Choice("email", "Courriel", "Email"),
    Choice("counter", "Au guichet", "At the counter"),
    Choice("online_form", "Formulaire en ligne", "Online form"),
    Choice("phone", "Téléphone", "Telephone"),
    Choice("other", "Autre", "Other"),
)

IDENTITY_CHECK_CHOICES = (
    Choice("not_needed", "Non nécessaire (personne connue)", "Not needed (person known)"),
    Choice("requested", "Justificatif demandé", "Proof requested"),
    Choice("verified", "Identité vérifiée", "Identity verified"),
)

REQUEST_OUTCOME_CHOICES = (
    Choice("granted", "Demande satisfaite", "Request granted"),
    Choice("partial", "Satisfaite en partie", "Partly granted"),
    Choice("refused", "Refusée (motif donné)", "Refused (reason given)"),
    Choice("no_data", "Aucune donnée détenue", "No data held"),
)

REQUEST_STATUS_CHOICES = (
    Choice("open", "En cours", "Open"),
    Choice("answered", "Répondue", "Answered"),
    Choice("withdrawn", "Abandonnée par le demandeur", "Withdrawn by the requester"),
)

DPIA_RECORD_STATUS_CHOICES = (
    Choice("planned", "À réaliser", "Planned"),
    Choice("in_progress", "En cours", "In progress"),
    Choice("completed", "Terminée", "Completed"),
    Choice(
        "exempt",
        "Exemptée (liste CNIL des traitements dispensés)",
        "Exempt (CNIL list of exempt processing)",
    ),
)

DPIA_METHOD_CHOICES = (
    Choice("cnil_pia", "Méthode et logiciel PIA de la CNIL", "CNIL PIA method and software"),
    Choice("iso_29134", "ISO/IEC 29134", "ISO/IEC 29134"),
    Choice("other", "Autre méthode", "Other method"),
)

RESIDUAL_RISK_CHOICES = (
    Choice("negligible", "Négligeable", "Negligible"),
    Choice("limited", "Limité", "Limited"),
    Choice("significant", "Important", "Significant"),
    Choice("maximum", "Maximal", "Maximum"),
)

PRIOR_CONSULTATION_CHOICES = (
    Choice(
        "not_needed",
        "Non nécessaire (risque résiduel acceptable)",
        "Not needed (residual risk acceptable)",
    ),
    Choice("requested", "Demandée, en attente de l'avis", "Requested, awaiting the opinion"),
    Choice("done", "Avis de la CNIL reçu", "CNIL opinion received"),
)

SUBPROCESSING_CHOICES = (
    Choice("forbidden", "Interdite", "Forbidden"),
    Choice("specific", "Autorisation écrite spécifique", "Specific written authorisation"),
    Choice(
        "general",
        "Autorisation écrite générale (information préalable)",
        "General written authorisation (prior information)",
    ),
)

COMPANION_REGISTERS = ("breach", "rights_request", "dpia", "contract")
"""Entity names of the companion registers, in the order they are shown and exported."""

COMPANION_KEYS: dict[str, str] = {
    "breach": "breaches",
    "rights_request": "rights_requests",
    "dpia": "dpias",
    "contract": "contracts",
}
"""JSON key (per organisation) of each companion register."""

CONTRACT_CLAUSES = tuple(f"clause_{letter}" for letter in "abcdefgh")
"""Keys of the checklist of Article 28(3)(a)–(h), in the article's order."""


def _clause(letter: str, fr: str, en: str, help_fr: str, help_en: str) -> Field:
    return _f(
        f"clause_{letter}",
        f"28.3.{letter} — {fr}",
        f"28(3)({letter}) — {en}",
        help_fr,
        help_en,
        kind=Kind.BOOL,
        requirement=M,
        article=f"28.3.{letter}",
        section="clauses",
    )


BREACH = Entity(
    name="breach",
    label_fr="Violation de données",
    label_en="Personal data breach",
    plural_fr="Violations de données",
    plural_en="Personal data breaches",
    title_field="title",
    list_columns=("reference", "title", "discovered_at"),
    sections=(
        Section("facts", "Les faits", "The facts", "33.5"),
        Section("scope", "Personnes et données touchées", "People and data affected", "33.3"),
        Section("effects", "Conséquences et mesures", "Effects and remedial action", "33.5"),
        Section("notification", "Notification à la CNIL", "Notification to the CNIL", "33"),
        Section("communication", "Information des personnes", "Communication to people", "34"),
        Section("follow_up", "Suivi", "Follow-up"),
    ),
    fields=(
        _f(
            "reference",
            "Référence",
            "Reference",
            "Un numéro interne, par exemple « V-2025-01 ».",
            "An internal number, for example “V-2025-01”.",
            section="facts",
            max_length=50,
        ),
        _f(
            "title",
            "Intitulé",
            "Title",
            "En quelques mots, ce qui s'est passé : « courriel envoyé au mauvais destinataire ».",
            "In a few words, what happened: “email sent to the wrong recipient”.",
            requirement=M,
            article="33.5",
            section="facts",
            max_length=300,
        ),
        _f(
            "discovered_at",
            "Découverte (date et heure)",
            "Discovered (date and time)",
            "Quand l'organisme a eu connaissance de la violation : le délai de 72 heures pour "
            "notifier la CNIL court à partir de ce moment (art. 33.1).",
            "When the organisation became aware of the breach: the 72-hour period to notify "
            "the CNIL runs from then (Art. 33(1)).",
            kind=Kind.DATETIME,
            requirement=M,
            article="33.1",
            section="facts",
        ),
        _f(
            "occurred_at",
            "Survenue (date et heure)",
            "Occurred (date and time)",
            "Quand la violation a eu lieu ou a commencé, même approximativement.",
            "When the breach happened or started, even approximately.",
            kind=Kind.DATETIME,
            article="33.3.a",
            section="facts",
        ),
        _f(
            "nature",
            "Nature de la violation",
            "Nature of the breach",
            "Confidentialité, intégrité et/ou disponibilité des données.",
            "Confidentiality, integrity and/or availability of the data.",
            kind=Kind.MULTICHOICE,
            choices=BREACH_NATURE_CHOICES,
            requirement=M,
            article="33.3.a",
            section="facts",
        ),
        _f(
            "cause",
            "Origine",
            "Cause",
            "Ce qui a provoqué la violation.",
            "What caused the breach.",
            kind=Kind.CHOICE,
            choices=BREACH_CAUSE_CHOICES,
            section="facts",
        ),
        _f(
            "description",
            "Description des faits",
            "Description of the facts",
            "Ce qui s'est passé, comment on l'a découvert (art. 33.5 : « les faits »).",
            "What happened and how it was found (Art. 33(5): “the facts”).",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="33.5",
            section="facts",
        ),
        _f(
            "subject_categories",
            "Catégories de personnes concernées",
            "Categories of people concerned",
            "Quelles personnes sont touchées.",
            "Which people are affected.",
            kind=Kind.MULTICHOICE,
            vocabulary="data_subject_categories",
            requirement=M,
            article="33.3.a",
            section="scope",
        ),
        _f(
            "subjects_count",
            "Nombre approximatif de personnes",
            "Approximate number of people",
            "Une estimation suffit (art. 33.3.a).",
            "An estimate is enough (Art. 33(3)(a)).",
            kind=Kind.INTEGER,
            requirement=M,
            article="33.3.a",
            section="scope",
        ),
        _f(
            "records_count",
            "Nombre approximatif d'enregistrements",
            "Approximate number of records",
            "Fichiers, fiches ou lignes concernés.",
            "Files, records or lines concerned.",
            kind=Kind.INTEGER,
            article="33.3.a",
            section="scope",
        ),
        _f(
            "data_categories",
            "Catégories de données concernées",
            "Categories of data concerned",
            "Selon la liste de la CNIL.",
            "From the CNIL's list.",
            kind=Kind.MULTICHOICE,
            vocabulary="data_categories",
            requirement=M,
            article="33.3.a",
            section="scope",
        ),
        _f(
            "activities",
            "Traitements concernés",
            "Processing activities concerned",
            "Les fiches du registre touchées par la violation.",
            "The register records affected by the breach.",
            kind=Kind.REFERENCES,
            target="activity",
            section="scope",
        ),
        _f(
            "software",
            "Logiciels concernés",
            "Software concerned",
            "",
            "",
            kind=Kind.REFERENCES,
            target="software",
            section="scope",
        ),
        _f(
            "consequences",
            "Conséquences probables",
            "Likely consequences",
            "Ce que la violation peut entraîner pour les personnes (art. 33.3.c).",
            "What the breach may lead to for the people (Art. 33(3)(c)).",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="33.3.c",
            section="effects",
        ),
        _f(
            "risk_level",
            "Niveau de risque pour les personnes",
            "Risk to people",
            "Peu probable : pas de notification. Risque : notification à la CNIL. Risque élevé : "
            "notification et information des personnes.",
            "Unlikely: no notification. Risk: notify the CNIL. High risk: notify and inform "
            "the people.",
            kind=Kind.CHOICE,
            choices=BREACH_RISK_CHOICES,
            requirement=M,
            article="33.1",
            section="effects",
        ),
        _f(
            "measures_taken",
            "Mesures prises",
            "Measures taken",
            "Ce qui a été fait pour remédier à la violation et en limiter les effets.",
            "What was done to address the breach and limit its effects.",
            kind=Kind.LONGTEXT,
            requirement=M,
            article="33.3.d",
            section="effects",
        ),
        _f(
            "measures_planned",
            "Mesures prévues",
            "Measures planned",
            "Ce qui reste à faire pour éviter qu'elle se reproduise.",
            "What remains to be done so that it does not happen again.",
            kind=Kind.LONGTEXT,
            article="33.3.d",
            section="effects",
        ),
        _f(
            "notification",
            "Décision de notification",
            "Notification decision",
            "Notifier la CNIL, ou décider (et justifier) qu'il n'y a pas lieu de le faire.",
            "Notify the CNIL, or decide (with reasons) that there is no need to.",
            kind=Kind.CHOICE,
            choices=NOTIFICATION_CHOICES,
            requirement=C,
            article="33.1",
            section="notification",
        ),
        _f(
            "decided_at",
            "Décision prise le (date et heure)",
            "Decision taken (date and time)",
            "Quand la décision de ne pas notifier a été prise et consignée.",
            "When the decision not to notify was taken and recorded.",
            kind=Kind.DATETIME,
            requirement=C,
            article="33.5",
            section="notification",
        ),
        _f(
            "no_notification_reason",
            "Motif de la non-notification",
            "Reason for not notifying",
            "Pourquoi la violation n'est pas susceptible d'engendrer un risque (art. 33.1).",
            "Why the breach is unlikely to result in a risk (Art. 33(1)).",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="33.5",
            section="notification",
        ),
        _f(
            "notified_at",
            "Notifiée le (date et heure)",
            "Notified (date and time)",
            "La date et l'heure de la notification sur le téléservice de la CNIL.",
            "Date and time of the notification on the CNIL's online service.",
            kind=Kind.DATETIME,
            requirement=C,
            article="33.1",
            section="notification",
        ),
        _f(
            "notification_reference",
            "Numéro de notification",
            "Notification number",
            "Le numéro donné par la CNIL.",
            "The number given by the CNIL.",
            requirement=C,
            article="33.1",
            section="notification",
            max_length=100,
        ),
        _f(
            "late_reason",
            "Motifs du retard",
            "Reasons for the delay",
            "Obligatoires si la notification est faite plus de 72 heures après la découverte.",
            "Required when the notification is made more than 72 hours after discovery.",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="33.1",
            section="notification",
        ),
        _f(
            "communication",
            "Information des personnes",
            "Communication to people",
            "Obligatoire en cas de risque élevé, sauf exceptions de l'article 34.3.",
            "Required in case of high risk, except under Art. 34(3).",
            kind=Kind.CHOICE,
            choices=COMMUNICATION_CHOICES,
            requirement=C,
            article="34",
            section="communication",
        ),
        _f(
            "communicated_on",
            "Personnes informées le",
            "People informed on",
            "",
            "",
            kind=Kind.DATE,
            article="34",
            section="communication",
        ),
        _f(
            "communication_details",
            "Modalités de l'information",
            "How people were informed",
            "Courrier, courriel, affichage… et ce qui leur a été dit.",
            "Letter, email, notice… and what they were told.",
            kind=Kind.LONGTEXT,
            article="34.2",
            section="communication",
        ),
        _f(
            "handled_by",
            "Suivie par",
            "Handled by",
            "Qui a géré la violation.",
            "Who handled the breach.",
            section="follow_up",
            personal=True,
        ),
        _f(
            "status",
            "État",
            "Status",
            "",
            "",
            kind=Kind.CHOICE,
            choices=OPEN_CLOSED_CHOICES,
            section="follow_up",
        ),
        _f("closed_on", "Clôturée le", "Closed on", "", "", kind=Kind.DATE, section="follow_up"),
    ),
)

RIGHTS_REQUEST = Entity(
    name="rights_request",
    label_fr="Demande d'exercice de droits",
    label_en="Rights request",
    plural_fr="Demandes d'exercice de droits",
    plural_en="Rights requests",
    title_field="requester",
    list_columns=("reference", "requester", "received_on", "rights"),
    sections=(
        Section("request", "La demande", "The request", "12"),
        Section("time_limit", "Délai de réponse", "Time limit", "12.3"),
        Section("answer", "La réponse", "The answer", "12"),
    ),
    fields=(
        _f(
            "reference",
            "Référence",
            "Reference",
            "Un numéro interne, par exemple « D-2025-04 ».",
            "An internal number, for example “D-2025-04”.",
            section="request",
            max_length=50,
        ),
        _f(
            "requester",
            "Demandeur",
            "Requester",
            "Le nom de la personne qui exerce ses droits.",
            "The name of the person exercising their rights.",
            requirement=M,
            article="12",
            section="request",
            personal=True,
            max_length=200,
        ),
        _f(
            "received_on",
            "Reçue le",
            "Received on",
            "Le délai d'un mois court à partir de la réception (art. 12.3).",
            "The one-month period runs from receipt (Art. 12(3)).",
            kind=Kind.DATE,
            requirement=M,
            article="12.3",
            section="request",
        ),
        _f(
            "rights",
            "Droits exercés",
            "Rights exercised",
            "Un ou plusieurs droits.",
            "One or more rights.",
            kind=Kind.MULTICHOICE,
            choices=RIGHT_CHOICES,
            requirement=M,
            article="12",
            section="request",
        ),
        _f(
            "channel",
            "Canal",
            "Channel",
            "Comment la demande est arrivée.",
            "How the request arrived.",
            kind=Kind.CHOICE,
            choices=CHANNEL_CHOICES,
            section="request",
        ),
        _f(
            "details",
            "Objet de la demande",
            "What is asked",
            "",
            "",
            kind=Kind.LONGTEXT,
            section="request",
        ),
        _f(
            "activities",
            "Traitements concernés",
            "Processing activities concerned",
            "",
            "",
            kind=Kind.REFERENCES,
            target="activity",
            section="request",
        ),
        _f(
            "identity_check",
            "Vérification d'identité",
            "Identity check",
            "Un justificatif ne se demande qu'en cas de doute raisonnable (art. 12.6).",
            "Proof may only be asked for in case of reasonable doubt (Art. 12(6)).",
            kind=Kind.CHOICE,
            choices=IDENTITY_CHECK_CHOICES,
            section="request",
        ),
        _f(
            "identity_confirmed_on",
            "Identité confirmée le",
            "Identity confirmed on",
            "Si un justificatif a été demandé : le délai court à partir de sa réception.",
            "If proof was requested: the period runs from its receipt.",
            kind=Kind.DATE,
            section="time_limit",
        ),
        _f(
            "extended",
            "Délai prolongé de deux mois",
            "Period extended by two months",
            "Possible si la demande est complexe ou si les demandes sont nombreuses (art. 12.3).",
            "Possible when the request is complex or requests are numerous (Art. 12(3)).",
            kind=Kind.BOOL,
            article="12.3",
            section="time_limit",
        ),
        _f(
            "extension_reason",
            "Motif de la prolongation",
            "Reason for the extension",
            "Obligatoire en cas de prolongation.",
            "Required when the period is extended.",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="12.3",
            section="time_limit",
        ),
        _f(
            "extension_informed_on",
            "Demandeur informé de la prolongation le",
            "Requester informed of the extension on",
            "La personne doit en être informée, avec les motifs, dans le premier mois.",
            "The person must be told, with the reasons, within the first month.",
            kind=Kind.DATE,
            requirement=C,
            article="12.3",
            section="time_limit",
        ),
        _f(
            "answered_on",
            "Réponse envoyée le",
            "Answered on",
            "",
            "",
            kind=Kind.DATE,
            article="12.3",
            section="answer",
        ),
        _f(
            "outcome",
            "Suite donnée",
            "Outcome",
            "",
            "",
            kind=Kind.CHOICE,
            choices=REQUEST_OUTCOME_CHOICES,
            section="answer",
        ),
        _f(
            "answer",
            "Réponse",
            "Answer",
            "Ce qui a été répondu ; en cas de refus, le motif et les voies de recours (art. 12.4).",
            "What was answered; if refused, the reason and the remedies (Art. 12(4)).",
            kind=Kind.LONGTEXT,
            section="answer",
        ),
        _f("handled_by", "Suivie par", "Handled by", "", "", section="answer", personal=True),
        _f(
            "status",
            "État",
            "Status",
            "",
            "",
            kind=Kind.CHOICE,
            choices=REQUEST_STATUS_CHOICES,
            section="answer",
        ),
    ),
)

DPIA = Entity(
    name="dpia",
    label_fr="Analyse d'impact (AIPD)",
    label_en="Data protection impact assessment",
    plural_fr="Analyses d'impact",
    plural_en="Impact assessments",
    title_field="title",
    list_columns=("title", "activities", "next_review_on"),
    sections=(
        Section("assessment", "L'analyse", "The assessment", "35"),
        Section("dpo_advice", "Avis du délégué", "DPO's advice", "35.2"),
        Section("risk", "Risque résiduel et consultation", "Residual risk and consultation", "36"),
        Section("follow_up", "Suivi", "Follow-up"),
    ),
    fields=(
        _f(
            "title",
            "Intitulé",
            "Title",
            "Par exemple « AIPD vidéoprotection ».",
            "For example “CCTV DPIA”.",
            requirement=M,
            article="35",
            section="assessment",
            max_length=300,
        ),
        _f(
            "activities",
            "Traitements couverts",
            "Processing activities covered",
            "Une même analyse peut couvrir plusieurs traitements semblables (art. 35.1).",
            "One assessment may cover several similar operations (Art. 35(1)).",
            kind=Kind.REFERENCES,
            target="activity",
            requirement=M,
            article="35.1",
            section="assessment",
        ),
        _f(
            "status",
            "État",
            "Status",
            "« Exemptée » : le traitement figure sur la liste CNIL des traitements dispensés "
            "d'analyse d'impact (art. 35.5).",
            "“Exempt”: the processing is on the CNIL's list of operations exempt from a DPIA "
            "(Art. 35(5)).",
            kind=Kind.CHOICE,
            choices=DPIA_RECORD_STATUS_CHOICES,
            requirement=M,
            article="35",
            section="assessment",
        ),
        _f(
            "exemption_reference",
            "Référence de l'exemption",
            "Exemption reference",
            "Le point de la liste CNIL des traitements dispensés (délibération n° 2019-118 du "
            "12 septembre 2019), par exemple « point 6 : listes électorales ».",
            "The item of the CNIL's exempt list (deliberation 2019-118 of 12 September 2019).",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="35.5",
            section="assessment",
        ),
        _f(
            "method",
            "Méthode",
            "Method",
            "",
            "",
            kind=Kind.CHOICE,
            choices=DPIA_METHOD_CHOICES,
            article="35.7",
            section="assessment",
        ),
        _f(
            "completed_on",
            "Terminée le",
            "Completed on",
            "",
            "",
            kind=Kind.DATE,
            article="35",
            section="assessment",
        ),
        _f(
            "conclusion",
            "Conclusion",
            "Conclusion",
            "Les mesures retenues pour traiter les risques (art. 35.7.d).",
            "The measures chosen to address the risks (Art. 35(7)(d)).",
            kind=Kind.LONGTEXT,
            article="35.7.d",
            section="assessment",
        ),
        _f(
            "dpo_advice",
            "Avis du délégué",
            "DPO's advice",
            "Le responsable demande conseil au délégué (art. 35.2).",
            "The controller seeks the DPO's advice (Art. 35(2)).",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="35.2",
            section="dpo_advice",
        ),
        _f(
            "dpo_advice_on",
            "Avis rendu le",
            "Advice given on",
            "",
            "",
            kind=Kind.DATE,
            article="35.2",
            section="dpo_advice",
        ),
        _f(
            "dpo_advice_followed",
            "Avis suivi",
            "Advice followed",
            "",
            "",
            kind=Kind.BOOL,
            article="35.2",
            section="dpo_advice",
        ),
        _f(
            "dpo_advice_departure",
            "Raisons de ne pas suivre l'avis",
            "Reasons for not following the advice",
            "Si l'avis n'est pas suivi, les raisons en sont documentées.",
            "If the advice is not followed, the reasons are documented.",
            kind=Kind.LONGTEXT,
            requirement=C,
            article="35.2",
            section="dpo_advice",
        ),
        _f(
            "residual_risk",
            "Risque résiduel",
            "Residual risk",
            "Le niveau de risque qui subsiste après les mesures (échelle de la CNIL).",
            "The risk left after the measures (CNIL scale).",
            kind=Kind.CHOICE,
            choices=RESIDUAL_RISK_CHOICES,
            requirement=C,
            article="36.1",
            section="risk",
        ),
        _f(
            "prior_consultation",
            "Consultation préalable de la CNIL",
            "Prior consultation of the CNIL",
            "Obligatoire si le risque résiduel reste élevé (art. 36).",
            "Required when the residual risk stays high (Art. 36).",
            kind=Kind.CHOICE,
            choices=PRIOR_CONSULTATION_CHOICES,
            requirement=C,
            article="36.1",
            section="risk",
        ),
        _f(
            "prior_consultation_on",
            "Consultation demandée le",
            "Consultation requested on",
            "",
            "",
            kind=Kind.DATE,
            article="36.1",
            section="risk",
        ),
        _f(
            "prior_consultation_outcome",
            "Avis de la CNIL",
            "CNIL's opinion",
            "",
            "",
            kind=Kind.LONGTEXT,
            article="36.2",
            section="risk",
        ),
        _f(
            "next_review_on",
            "Prochaine revue",
            "Next review",
            "L'analyse est revue quand le risque change (art. 35.11).",
            "The assessment is reviewed when the risk changes (Art. 35(11)).",
            kind=Kind.DATE,
            article="35.11",
            section="follow_up",
        ),
        _f(
            "document_location",
            "Où trouver le document",
            "Where the document is kept",
            "",
            "",
            section="follow_up",
        ),
    ),
)

CONTRACT = Entity(
    name="contract",
    label_fr="Contrat de sous-traitance",
    label_en="Processor contract",
    plural_fr="Contrats de sous-traitance",
    plural_en="Processor contracts",
    title_field="title",
    list_columns=("title", "processor_id", "ends_on"),
    sections=(
        Section("contract", "Le contrat", "The contract", "28.3"),
        Section("clauses", "Clauses obligatoires", "Mandatory clauses", "28.3"),
        Section("subprocessing", "Sous-traitance ultérieure", "Sub-processing", "28.2"),
        Section("location", "Lieu des traitements", "Where the data are processed", "44"),
    ),
    fields=(
        _f(
            "title",
            "Intitulé du contrat",
            "Contract title",
            "Par exemple « Contrat de services en ligne n° LM-2021-0457 ».",
            "For example “Online services contract LM-2021-0457”.",
            requirement=M,
            article="28.3",
            section="contract",
            max_length=300,
        ),
        _f(
            "processor_id",
            "Sous-traitant",
            "Processor",
            "Le prestataire qui traite les données pour le compte de l'organisme.",
            "The provider processing the data on the organisation's behalf.",
            kind=Kind.REFERENCE,
            target="processor",
            requirement=M,
            article="28.3",
            section="contract",
        ),
        _f(
            "activities",
            "Traitements couverts",
            "Processing activities covered",
            "Laisser vide si le contrat couvre tous les traitements confiés à ce sous-traitant.",
            "Leave empty when the contract covers every activity entrusted to this processor.",
            kind=Kind.REFERENCES,
            target="activity",
            section="contract",
        ),
        _f("signed_on", "Signé le", "Signed on", "", "", kind=Kind.DATE, section="contract"),
        _f("starts_on", "Début", "Start", "", "", kind=Kind.DATE, section="contract"),
        _f("ends_on", "Fin", "End", "", "", kind=Kind.DATE, section="contract"),
        _f(
            "document_location",
            "Où trouver le contrat",
            "Where the contract is kept",
            "",
            "",
            section="contract",
        ),
        _clause(
            "a",
            "instructions documentées",
            "documented instructions",
            "Le sous-traitant ne traite les données que sur instruction documentée.",
            "The processor acts only on documented instructions.",
        ),
        _clause(
            "b",
            "confidentialité",
            "confidentiality",
            "Les personnes autorisées sont tenues à la confidentialité.",
            "Authorised persons are bound by confidentiality.",
        ),
        _clause(
            "c",
            "sécurité (art. 32)",
            "security (Art. 32)",
            "Le sous-traitant prend les mesures de sécurité de l'article 32.",
            "The processor takes the security measures of Art. 32.",
        ),
        _clause(
            "d",
            "conditions de sous-traitance ultérieure",
            "conditions for sub-processing",
            "Il ne recrute un autre sous-traitant qu'avec autorisation (art. 28.2 et 28.4).",
            "It engages another processor only with authorisation (Art. 28(2) and (4)).",
        ),
        _clause(
            "e",
            "aide pour les droits des personnes",
            "assistance with data subjects' rights",
            "Il aide l'organisme à répondre aux demandes d'exercice des droits.",
            "It helps the organisation answer rights requests.",
        ),
        _clause(
            "f",
            "aide pour les articles 32 à 36",
            "assistance with Articles 32 to 36",
            "Sécurité, violations, analyses d'impact et consultation préalable.",
            "Security, breaches, impact assessments and prior consultation.",
        ),
        _clause(
            "g",
            "suppression ou restitution en fin de contrat",
            "deletion or return at the end",
            "Au terme du contrat, les données sont supprimées ou restituées.",
            "At the end of the contract, the data are deleted or returned.",
        ),
        _clause(
            "h",
            "information et audits",
            "information and audits",
            "Il met à disposition les informations et permet les audits.",
            "It makes information available and allows audits.",
        ),
        _f(
            "subprocessing",
            "Sous-traitance ultérieure",
            "Sub-processing",
            "Ce que le contrat permet (art. 28.2).",
            "What the contract allows (Art. 28(2)).",
            kind=Kind.CHOICE,
            choices=SUBPROCESSING_CHOICES,
            article="28.2",
            section="subprocessing",
        ),
        _f(
            "subprocessors",
            "Sous-traitants ultérieurs",
            "Sub-processors",
            "Un par ligne : nom, prestation, pays.",
            "One per line: name, service, country.",
            kind=Kind.LONGTEXT,
            article="28.4",
            section="subprocessing",
        ),
        _f(
            "processing_countries",
            "Pays des traitements",
            "Countries of processing",
            "Où les données sont hébergées ou consultées, sous-traitants ultérieurs compris.",
            "Where the data are hosted or accessed, sub-processors included.",
            kind=Kind.MULTICHOICE,
            vocabulary="countries",
            requirement=R,
            article="30.1.e",
            section="location",
        ),
        _f(
            "dpf_certified",
            "Certifié Data Privacy Framework",
            "Data Privacy Framework certified",
            "Pour un traitement aux États-Unis : l'organisme figure-t-il sur la liste du Data "
            "Privacy Framework ?",
            "For processing in the United States: is the organisation on the Data Privacy "
            "Framework list?",
            kind=Kind.BOOL,
            requirement=C,
            article="45",
            section="location",
        ),
        _f("notes", "Notes", "Notes", "", "", kind=Kind.LONGTEXT, section="location"),
    ),
)

ENTITIES: dict[str, Entity] = {
    entity.name: entity
    for entity in (
        ORGANISATION,
        ACTIVITY,
        PROCESSOR,
        SOFTWARE,
        *(c.entity for c in ACTIVITY.collections),
        BREACH,
        RIGHTS_REQUEST,
        DPIA,
        CONTRACT,
    )
}


def vocabularies_used() -> set[str]:
    """Names of every vocabulary a field refers to."""
    return {f.vocabulary for e in ENTITIES.values() for f in e.fields if f.vocabulary}
