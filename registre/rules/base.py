"""What every rule is made of: severities, scopes, the ``Rule`` record and its predicate type.

A rule says what it checks (legal reference, severity, scope, roles), what to tell a secretary
(``message``), what to tell the DPO (``detail``), what to do about it (``hint``), which field to
open, and how to find it (``check``, its predicate). A predicate takes the record (a dict of the
schema's keys, as ``registre.loader`` reads it; an activity also holds its rows, processors and
software) and the check's ``Context``, and returns ``None`` when the rule does not apply to the
record, an empty sequence when it applies and is met, or one ``(row_id, details)`` pair per
finding. Predicates only read the record: an export hands the same loaded data to the checker
and to its renderer.

Messages may contain ``{placeholders}`` filled from the finding's details by ``format_text``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from registre.loader import Record
from registre.presentation import short_date
from registre.rules.facts import Context
from registre.schema import Role
from registre.vocabularies import vocabulary

Hit = tuple[str | None, dict[str, Any]]
Check = Callable[[Record, Context], Sequence[Hit] | None]

MET: tuple[Hit, ...] = ()


def fire(**details: Any) -> list[Hit]:
    """One finding on the record itself (no row), with ``details`` for the message."""
    return [(None, details)]


_REFERENCE_WORDS = (
    ("RGPD", "GDPR"),
    ("bonne pratique", "good practice"),
    ("dernier alinéa", "last subparagraph"),
    ("code du patrimoine", "French Heritage Code"),
    ("loi 78-17", "French law 78-17"),
    ("(UE)", "(EU)"),
    (", art. ", ", Art. "),
    ("titre III", "Title III"),
    (" ; ", "; "),
)


def english_reference(reference: str) -> str:
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
    BREACH = "breach"
    RIGHTS_REQUEST = "rights_request"
    DPIA = "dpia"
    CONTRACT = "contract"


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
    Scope.BREACH: ("violation de données", "data breach"),
    Scope.RIGHTS_REQUEST: ("demande d'exercice de droits", "rights request"),
    Scope.DPIA: ("analyse d'impact", "impact assessment"),
    Scope.CONTRACT: ("contrat de sous-traitance", "processor contract"),
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
    check: Check | None = dataclasses.field(default=None, compare=False, repr=False)
    # A key of the record that must be non-empty for the rule to apply at all: the checker
    # skips the predicate otherwise (it would return None). "transfers", "data_categories"…
    needs: str = ""

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
        return english_reference(self.reference)

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
    "12": ("Exercice des droits", "Exercise of rights"),
    "33": ("Violations de données : notification", "Breaches: notification"),
    "33.5": ("Violations de données : documentation", "Breaches: documentation"),
    "34": ("Violations de données : information des personnes", "Breaches: communication"),
    "36": ("Consultation préalable", "Prior consultation"),
    "28": ("Sous-traitance", "Processors"),
    "35": ("Analyse d'impact", "Impact assessment"),
    "37": ("Délégué à la protection des données", "Data protection officer"),
    "44": ("Transferts hors de l'UE", "Transfers outside the EU"),
    "45": ("Décisions d'adéquation", "Adequacy decisions"),
    "87": ("Numéro de sécurité sociale (NIR)", "Social security number (NIR)"),
    "24 (directive 2016/680)": (
        "Registre des traitements police-justice",
        "Law-enforcement record",
    ),
    "22 (directive 2016/680)": (
        "Sous-traitance (directive 2016/680)",
        "Processors (Directive 2016/680)",
    ),
    "27 (directive 2016/680)": (
        "Analyse d'impact (directive 2016/680)",
        "Impact assessment (Directive 2016/680)",
    ),
    "24.1": (
        "Registre police-justice du responsable de traitement (directive 2016/680)",
        "Law-enforcement controller's record (Directive 2016/680)",
    ),
    "24.2": (
        "Registre police-justice du sous-traitant (directive 2016/680)",
        "Law-enforcement processor's record (Directive 2016/680)",
    ),
}


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


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
ORG, ACT, PROC, SOFT = Scope.ORGANISATION, Scope.ACTIVITY, Scope.PROCESSOR, Scope.SOFTWARE


class RuleSet:
    """The rules of one theme, in declaration order; ``check`` pairs a rule with its predicate.

    ::

        RULES = RuleSet()

        @RULES.check(Rule(id="…", …))
        def _predicate(record: Record, ctx: Context) -> Sequence[Hit] | None: …
    """

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def add(self, rule: Rule) -> None:
        """Add a rule that already carries its predicate."""
        if rule.check is None:
            raise ValueError(f"rule {rule.id} has no predicate")
        self.rules.append(rule)

    def check(self, rule: Rule) -> Callable[[Check], Check]:
        """Decorator: ``rule`` is found by the decorated predicate."""

        def register(predicate: Check) -> Check:
            self.add(dataclasses.replace(rule, check=predicate))
            return predicate

        return register


# --------------------------------------------------------------------------------------------
# Filling message templates
# --------------------------------------------------------------------------------------------

_VOCABULARY_DETAILS = {
    "country": "countries",
    "category": "data_categories",
    "legal_basis": "legal_bases",
    "condition": "art9_conditions",
    "cnil_type": "dpia_cnil_types",
    "exemption": "dpia_exemptions",
    "safeguard": "transfer_safeguards",
}
_LIST_DETAILS = {"categories": "data_categories", "criteria": "dpia_criteria"}
_DATE_DETAILS = {"date", "adequacy_as_of"}
_ANSWERS = {"no": ("non", "no"), "unknown": ("sans réponse", "no answer")}
_WITH_KEY = {"legal_basis", "condition"}  # label followed by the article: "Consentement (6.1.a)"


def in_lang(lang: str, fr: str, en: str) -> str:
    """``en`` for English, ``fr`` otherwise."""
    return en if lang == "en" else fr


def display_date(value: Any, lang: str) -> str:
    """A day (or its ISO text) as the reader of ``lang`` writes it: 14/03/2026 or 2026-03-14
    (``presentation.short_date``); a text that is no date is kept as it is."""
    try:
        return short_date(value, lang)
    except (TypeError, ValueError):
        return str(value)


def _label(name: str, value: Any, lang: str) -> str:
    if isinstance(value, dict):  # a text given in both languages
        return str(value.get(lang) or value.get("fr") or "")
    if name in _LIST_DETAILS:
        if not value:
            return in_lang(lang, "aucun", "none")
        vocab = vocabulary(_LIST_DETAILS[name])
        return ", ".join(vocab.label(str(item), lang) for item in value)
    if value is None or value == "":
        if name == "cnil_type":
            return in_lang(lang, "aucun", "none")
        return in_lang(lang, "non précisé", "not given")
    if name in _VOCABULARY_DETAILS:
        vocab = vocabulary(_VOCABULARY_DETAILS[name])
        term = vocab.term(str(value))
        if term is None:
            return str(value)
        if name == "safeguard" and term.extra.get("article"):
            return f"{term.label(lang)} ({in_lang(lang, 'art.', 'Art.')} {term.extra['article']})"
        if name in _WITH_KEY:
            return f"{term.label(lang)} ({value})"
        return term.label(lang)
    if name in _DATE_DETAILS:
        return display_date(value, lang)
    if name == "answer" and value in _ANSWERS:
        fr, en = _ANSWERS[value]
        return in_lang(lang, fr, en)
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
