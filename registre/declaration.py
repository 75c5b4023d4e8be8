"""The guided declaration of a processing activity, without Qt: questions, answers, fiche.

A commune secretary declares an activity by answering eight questions in plain French
(``QUESTIONS``). This module holds what the wizard asks and how it reads the answers back:

- each ``Question``: its text and example (French and English), the schema keys it fills and
  the schema keys whose Article 30 item explains it (``why_text``);
- ``answer_lines``: the answer to one question, one plain line each, from a page's answers or
  from a stored activity;
- the checker's findings as a secretary reads them (``finding_text``, ``open_points``) and the
  findings of a declaration not saved yet (``preview_findings``);
- the ``Fiche``: what the declaration says, what it misses and what the DPO must look at, for
  the wizard's summary, the secretary window and the printed fiche (``registre.pdf.fiche``).

The Qt wizard (``ui/wizard.py``, ``ui/wizard_pages.py``) only shows these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registre import checker, services, templates, todos
from registre.checker import Finding
from registre.errors import RecordNotFound, RegistreError, UsageError
from registre.files import storage_failure, write_atomic
from registre.presentation import DOCUMENT, LIST, lower_first, retention_text
from registre.rules import ARTICLE_ITEMS, Severity, article_title
from registre.schema import ACTIVITY, ORGANISATION, Kind
from registre.storage import Register
from registre.vocabularies import vocabulary


def _t(lang: str, french: str, english: str) -> str:
    return english if lang == "en" else french


# --------------------------------------------------------------------------------------------
# The questions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question of the declaration: its text, an example and the schema keys it fills."""

    key: str
    text: str  # French: asked on screen and kept in a to-do
    text_en: str
    example: str
    example_en: str
    keys: tuple[str, ...]  # activity fields and collections the question fills
    why: tuple[str, ...]  # schema keys whose Article 30 item explains the question
    allow_unknown: bool = True  # « Je ne sais pas » is offered

    def title(self, lang: str = "fr") -> str:
        """The question in ``lang``."""
        return _t(lang, self.text, self.text_en)

    def example_text(self, lang: str = "fr") -> str:
        """The example in ``lang``."""
        return _t(lang, self.example, self.example_en)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "name",
        "Comment s'appelle ce traitement ?",
        "What is this processing activity called?",
        "Par exemple : « Inscriptions à la cantine », géré par le service « Affaires scolaires ».",
        "For example: “School meal enrolment”, run by the “School affairs” department.",
        ("name", "service"),
        ("name",),
        allow_unknown=False,
    ),
    Question(
        "purposes",
        "À quoi servent ces données ?",
        "What are these data used for?",
        "Par exemple : « Inscrire les enfants à la cantine et facturer les repas aux familles ».",
        "For example: “Enrol the children for school meals and invoice the meals to the families”.",
        ("main_purpose", "purposes"),
        ("main_purpose",),
    ),
    Question(
        "legal_basis",
        "Sur quoi repose le traitement ?",
        "What makes the processing lawful?",
        "Par exemple : l'état civil est une obligation légale (le Code civil l'impose) ; la "
        "cantine est une mission de service public.",
        "For example: the civil registry is a legal obligation (the Civil Code requires it); "
        "the school canteen is a public service task.",
        ("legal_basis", "legal_basis_text"),
        ("legal_basis",),
    ),
    Question(
        "data_subjects",
        "Qui est concerné ?",
        "Who is concerned?",
        "Par exemple : les enfants inscrits à la cantine et leurs parents.",
        "For example: the children enrolled for school meals and their parents.",
        ("data_subjects",),
        ("data_subjects",),
    ),
    Question(
        "data_categories",
        "Quelles données, et combien de temps les garder ?",
        "Which data, and how long to keep them?",
        "Par exemple : nom, prénom et adresse des parents, gardés 5 ans après le départ de "
        "l'enfant, puis détruits.",
        "For example: the parents' surname, first name and address, kept 5 years after the "
        "child leaves, then destroyed.",
        ("data_categories",),
        ("data_categories", "data_categories.retention_value"),
    ),
    Question(
        "recipients",
        "Qui reçoit les données ?",
        "Who receives the data?",
        "Par exemple : le service scolaire, le Trésor public pour les factures, l'éditeur du "
        "logiciel.",
        "For example: the school department, the public treasury for the invoices, the "
        "software's publisher.",
        ("recipients",),
        ("recipients",),
    ),
    Question(
        "transfers",
        "Les données sortent-elles de l'Union européenne ?",
        "Do the data leave the European Union?",
        "Par exemple : un logiciel en ligne hébergé aux États-Unis, ou des fichiers envoyés à "
        "un prestataire au Maroc.",
        "For example: online software hosted in the United States, or files sent to a "
        "provider in Morocco.",
        ("has_transfers", "transfers"),
        ("has_transfers",),
    ),
    Question(
        "security_measures",
        "Comment les données sont-elles protégées ?",
        "How are the data protected?",
        "Par exemple : un mot de passe personnel pour chaque agent, des sauvegardes, des "
        "armoires fermées à clé.",
        "For example: a personal password for each agent, backups, locked cabinets.",
        ("security_measures",),
        ("security_measures",),
    ),
)

QUESTION_BY_KEY: dict[str, Question] = {question.key: question for question in QUESTIONS}


def question_for_text(text: str) -> Question | None:
    """The question whose French text is ``text`` (how a to-do line of the description is
    read back)."""
    for question in QUESTIONS:
        if question.text == text:
            return question
    return None


def question_of_field(field_key: str) -> Question | None:
    """The question that fills ``field_key`` (``"data_categories.retention_value"``…)."""
    root = field_key.partition(".")[0]
    for question in QUESTIONS:
        if root in question.keys:
            return question
    return None


def empty_value(key: str) -> Any:
    """What an unanswered field or collection holds."""
    if key in {c.key for c in ACTIVITY.collections}:
        return []
    return [] if ACTIVITY.field(key).kind in (Kind.MULTICHOICE, Kind.REFERENCES) else None


# --------------------------------------------------------------------------------------------
# « Pourquoi cette question ? », from the schema
# --------------------------------------------------------------------------------------------


def schema_spec(key: str, lang: str = "fr") -> tuple[str, str]:
    """(article, help) the schema gives ``key``: a field, a collection or ``collection.field``;
    the help as the secretary reads it (``Field.plain_help``: no article numbers)."""
    collection_key, _dot, field_key = key.partition(".")
    if field_key:
        spec = ACTIVITY.collection(collection_key).entity.field(field_key)
        return spec.article, spec.plain_help(lang)
    if collection_key in {c.key for c in ACTIVITY.collections}:
        collection = ACTIVITY.collection(collection_key)
        return collection.article, _t(lang, collection.help_fr, collection.help_en)
    spec = ACTIVITY.field(collection_key)
    return spec.article, spec.plain_help(lang)


def why_text(keys: Iterable[str], lang: str = "fr") -> str:
    """One sentence per article behind ``keys``, in the secretary's words: « Le RGPD demande
    que le registre indique… », without the article's number (the DPO's form cites it)."""
    sentences: list[str] = []
    seen: set[str] = set()
    for key in keys:
        article, help_text = schema_spec(key, lang)
        if not article or article in seen:
            continue
        seen.add(article)
        if article in ARTICLE_ITEMS:
            item_fr, item_en = ARTICLE_ITEMS[article]
            sentences.append(
                _t(
                    lang,
                    f"{'Il demande aussi' if sentences else 'Le RGPD demande'} que le registre "
                    f"indique {item_fr}.",
                    f"{'It also asks' if sentences else 'The GDPR asks'} the record to state "
                    f"{item_en}.",
                )
            )
        else:
            title = lower_first(article_title(article, lang))
            sentences.append(
                _t(
                    lang,
                    f"Le RGPD ({title}) : {lower_first(help_text)}",
                    f"The GDPR ({title}): {lower_first(help_text)}",
                )
            )
    return " ".join(sentences)


# --------------------------------------------------------------------------------------------
# Answers as the secretary reads them
# --------------------------------------------------------------------------------------------


def _term_label(vocabulary_name: str, key: Any, lang: str) -> str:
    return vocabulary(vocabulary_name).label(str(key), lang) if key else "—"


def retention_line(row: Mapping[str, Any], lang: str = "fr") -> str:
    """« 5 ans à compter de la fin de la scolarité, puis destruction »: the register's own
    retention wording (``presentation.retention_text``, typeset as in the PDF for French)
    followed by the final disposition."""
    style = LIST if lang == "en" else DOCUMENT
    text = retention_text(row, lang, style=style) or _t(
        lang, "durée non indiquée", "period not given"
    )
    if row.get("final_disposition"):
        disposition = lower_first(_term_label("final_dispositions", row["final_disposition"], lang))
        text = _t(lang, f"{text}, puis {disposition}", f"{text}, then {disposition}")
    return text


def _with_details(label: str, details: Any, lang: str) -> str:
    if not details:
        return label
    return _t(lang, f"{label} : {details}", f"{label}: {details}")


def _collection_lines(key: str, rows: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    lines = []
    for row in rows:
        if key == "data_subjects":
            label = _term_label("data_subject_categories", row.get("category"), lang)
            lines.append(_with_details(label, row.get("details"), lang))
        elif key == "data_categories":
            label = _with_details(
                _term_label("data_categories", row.get("category"), lang), row.get("details"), lang
            )
            period = lower_first(retention_line(row, lang))
            lines.append(_t(lang, f"{label} — conservées {period}", f"{label} — kept {period}"))
        elif key == "recipients":
            kind = lower_first(_term_label("recipient_types", row.get("recipient_type"), lang))
            lines.append(f"{row.get('name') or '—'} ({kind})")
        elif key == "security_measures":
            lines.append(_term_label("security_measures", row.get("measure_type"), lang))
        elif key == "transfers":
            safeguard = (
                _term_label("transfer_safeguards", row["safeguard"], lang)
                if row.get("safeguard")
                else _t(lang, "garantie non indiquée", "safeguard not given")
            )
            country = _term_label("countries", row.get("country"), lang)
            recipient = row.get("recipient") or "—"
            lines.append(_with_details(f"{recipient} ({country})", safeguard, lang))
    return lines


def answer_lines(question_key: str, values: Mapping[str, Any], lang: str = "fr") -> list[str]:
    """The answer to one question held in ``values`` (schema keys), one line each.

    Empty when the question has no answer. ``values`` may be a page's answers or a stored
    activity record.
    """
    if question_key == "name":
        lines = [str(values["name"])] if values.get("name") else []
        if values.get("service"):
            service = values["service"]
            lines.append(_t(lang, f"Service : {service}", f"Department: {service}"))
        return lines
    if question_key == "purposes":
        if not values.get("main_purpose"):
            return []
        subs = [str(row.get("description") or "") for row in values.get("purposes") or []]
        return [str(values["main_purpose"]), *(f"– {sub}" for sub in subs if sub)]
    if question_key == "legal_basis":
        if not values.get("legal_basis"):
            return []
        lines = [_term_label("legal_bases", values["legal_basis"], lang)]
        if values.get("legal_basis_text"):
            lines.append(str(values["legal_basis_text"]))
        return lines
    if question_key == "transfers":
        answer = values.get("has_transfers")
        if answer is None:
            return []
        if not answer:
            return [_t(lang, "Non", "No")]
        return [
            _t(lang, "Oui", "Yes"),
            *_collection_lines("transfers", values.get("transfers") or [], lang),
        ]
    return _collection_lines(question_key, values.get(question_key) or [], lang)


# --------------------------------------------------------------------------------------------
# Findings as a secretary reads them
# --------------------------------------------------------------------------------------------

# What a secretary can answer: the contents of the declaration (Article 30 items she knows).
SECRETARY_ARTICLES = ("30.1.b", "30.1.c", "30.1.d", "30.1.f", "30.1.g")
SECRETARY_RULES = frozenset(
    {
        "legal-basis-missing",
        "transfers-missing",
        "transfers-undeclared",
        "transfers-country-missing",
        "transfers-recipient-missing",
        "legal-basis-text-missing",
    }
)
SECRETARY_SEVERITIES = (Severity.ERROR, Severity.WARNING)
TODOS_RULE = "todos-open"


def secretary_can_answer(finding: Finding) -> bool:
    """True for a gap in the declaration itself, answered by one of the questions."""
    article = finding.article or finding.rule.article
    answerable = article in SECRETARY_ARTICLES or finding.rule.id in SECRETARY_RULES
    return answerable and question_of_field(finding.field) is not None


def for_the_dpo(finding: Finding, lang: str = "fr") -> str:
    """What the DPO has to look at, in words a secretary understands (no article numbers)."""
    article = finding.article or finding.rule.article
    rule_id = finding.rule.id
    if rule_id == "review-overdue":
        return _t(
            lang,
            "relire la fiche (la date prévue est passée).",
            "review the record (the planned date has passed).",
        )
    if rule_id == "validated-incomplete":
        return _t(
            lang,
            "la fiche validée n'est plus complète.",
            "the validated record is no longer complete.",
        )
    if article.startswith("9"):
        return _t(
            lang,
            "des données sensibles (santé, opinions, religion…) semblent concernées.",
            "sensitive data (health, opinions, religion…) seem to be involved.",
        )
    if article.startswith("10"):
        return _t(
            lang,
            "des données sur des infractions ou des condamnations semblent concernées.",
            "data about offences or convictions seem to be involved.",
        )
    if article.startswith("35"):
        return _t(
            lang,
            "faut-il étudier plus en détail les risques pour les personnes (analyse d'impact) ?",
            "should the risks for the people concerned be studied in more depth (impact "
            "assessment)?",
        )
    if article.startswith("28"):
        return _t(lang, "le contrat avec le prestataire.", "the contract with the provider.")
    if article.startswith("4") or article == "30.1.e":
        return _t(
            lang,
            "des données semblent envoyées hors de l'Union européenne.",
            "data seem to be sent outside the European Union.",
        )
    if article.startswith("6"):
        return _t(
            lang,
            "ce qui autorise le traitement (base légale).",
            "what allows the processing (legal basis).",
        )
    return lower_first(finding.message(lang))


def finding_text(finding: Finding, lang: str = "fr") -> str:
    """A finding as a secretary reads it: the plain question she can answer, with what is
    missing, or « À voir avec le DPO : … » in everyday words."""
    question = question_of_field(finding.field)
    if question is not None and secretary_can_answer(finding):
        return f"{question.title(lang)} — {finding.message(lang)}"
    point = for_the_dpo(finding, lang)
    return _t(lang, f"À voir avec le DPO : {point}", f"To see with the DPO: {point}")


def covered_keys(question_keys: Iterable[str]) -> set[str]:
    """Schema keys filled by the questions ``question_keys`` (those noted for the DPO)."""
    keys: set[str] = set()
    for key in question_keys:
        question = QUESTION_BY_KEY.get(key)
        if question is not None:
            keys.update(question.keys)
    return keys


def open_points(findings: Iterable[Finding], todo_questions: Iterable[str]) -> list[Finding]:
    """Errors and warnings on an activity a secretary can act on, minus those noted for the DPO.

    A finding on a field whose question (a key of ``QUESTIONS``) was answered « Je ne sais
    pas » is already a to-do: it is not counted twice. Findings a secretary reads as the same
    point are one point: the rules on the need for an impact assessment (none in the register
    of assessments; « not needed » without reasons) all read « À voir avec le DPO : faut-il
    étudier… les risques ? ». The DPO's check keeps each of them.
    """
    covered = covered_keys(todo_questions)
    points: dict[str, Finding] = {}
    for finding in findings:
        if (
            finding.entity == ACTIVITY.name
            and finding.rule.id != TODOS_RULE  # the to-dos are listed themselves
            and finding.severity in SECRETARY_SEVERITIES
            and finding.field.partition(".")[0] not in covered
        ):
            points.setdefault(finding_text(finding), finding)
    return list(points.values())


# --------------------------------------------------------------------------------------------
# Checking a declaration before it is saved
# --------------------------------------------------------------------------------------------

PREVIEW_ID = "declaration-en-cours"


def _row(entity_fields: Iterable[Any], row: Mapping[str, Any], row_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row_id, "activity_id": PREVIEW_ID}
    for spec in entity_fields:
        data[spec.key] = services.coerce(spec, row.get(spec.key))
    return data


def preview_findings(
    register: Register, organisation_id: str, values: Mapping[str, Any]
) -> list[Finding]:
    """What the checker would find on an activity holding ``values``, without saving it.

    ``values`` are every value the activity would receive (schema keys; collections as lists
    of rows). The organisation's own record is read from the register so that rules comparing
    both hold. InvalidValue when a value would be refused.
    """
    organisation = services.record_of(register, ORGANISATION.name, organisation_id)
    today = register.context.clock().date()
    defaults: dict[str, Any] = {
        "role": "controller",
        "status": "draft",
        "created_on": today,
        "updated_on": today,
    }
    activity: dict[str, Any] = {"id": PREVIEW_ID, "organisation_id": organisation_id}
    for spec in ACTIVITY.fields:
        if spec.kind == Kind.REFERENCES:
            continue
        activity[spec.key] = services.coerce(spec, values.get(spec.key, defaults.get(spec.key)))
    for collection in ACTIVITY.collections:
        activity[collection.key] = [
            _row(collection.entity.fields, row, f"{collection.key}-{index}")
            for index, row in enumerate(values.get(collection.key) or [])
        ]
    activity["processors"], activity["software"] = [], []
    record = {**organisation, "activities": [activity], "processors": [], "software": []}
    report = checker.check_organisations([record], today)
    return [finding for finding in report.findings if finding.record_id == PREVIEW_ID]


# --------------------------------------------------------------------------------------------
# The fiche
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fiche:
    """What a declaration says, what it misses and what the DPO must look at.

    ``todos`` are the questions noted « À voir avec le DPO », as the reader sees them (the
    question in the reading language, or the stored text when it is no question of ours).
    """

    organisation: str
    name: str
    prepared_on: dt.date
    template_name: str = ""
    status: str = "draft"  # a key of the schema's status choices
    reference: str = ""
    answers: list[tuple[Question, list[str]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # plain messages
    todos: list[str] = field(default_factory=list)

    @property
    def answered(self) -> list[tuple[Question, list[str]]]:
        """The questions that have an answer, with it."""
        return [(question, lines) for question, lines in self.answers if lines]


def todo_text(question_key: str | None, text: str, lang: str = "fr") -> str:
    """A to-do as the reader sees it: its question in ``lang`` when it is one of ours."""
    question = QUESTION_BY_KEY.get(question_key or "") or question_for_text(text)
    return question.title(lang) if question is not None else text


def template_name(template_id: str | None, lang: str = "fr") -> str:
    """The name of the catalogue template ``template_id`` (its id when it is no longer there)."""
    if not template_id:
        return ""
    template = templates.load_catalogue().find(template_id)
    return template.name(lang) if template else template_id


def fiche_of_record(
    record: Mapping[str, Any],
    organisation: str,
    findings: Iterable[Finding],
    today: dt.date,
    todos: Sequence[tuple[str | None, str]] = (),
    lang: str = "fr",
) -> Fiche:
    """The fiche of a saved activity (``services.record_of``), its checker findings and its
    open to-dos as (question key, text) pairs."""
    missing = [
        finding_text(finding, lang)
        for finding in open_points(findings, [key for key, _text in todos if key])
    ]
    return Fiche(
        organisation=organisation,
        name=str(record.get("name") or ""),
        prepared_on=today,
        template_name=template_name(record.get("template_id"), lang),
        status=str(record.get("status") or "draft"),
        reference=str(record.get("reference") or ""),
        answers=[(question, answer_lines(question.key, record, lang)) for question in QUESTIONS],
        missing=missing,
        todos=[todo_text(key, text, lang) for key, text in todos],
    )


def status_text(status: str, lang: str = "fr") -> str:
    """« État : Brouillon (à valider par le DPO) », « État : Validé par le DPO »…"""
    label = ACTIVITY.field("status").choice_label(status, lang)
    if status == "draft":
        return _t(
            lang,
            f"État : {label} (à valider par le DPO)",
            f"Status: {label} (to be validated by the DPO)",
        )
    return _t(lang, f"État : {label}", f"Status: {label}")


def overview_text(fiche: Fiche, lang: str = "fr") -> str:
    """« 7 questions sur 8 ont une réponse · 1 question à voir avec le DPO · 2 points… »."""
    answered, total = len(fiche.answered), len(fiche.answers)
    if answered <= 1:
        summary = _t(
            lang,
            f"{answered} question sur {total} a une réponse",
            f"{answered} question out of {total} has an answer",
        )
    else:
        summary = _t(
            lang,
            f"{answered} questions sur {total} ont une réponse",
            f"{answered} of {total} questions have an answer",
        )
    parts = [summary]
    todos, missing = len(fiche.todos), len(fiche.missing)
    if todos == 1:
        parts.append(_t(lang, "1 question à voir avec le DPO", "1 question to check with the DPO"))
    elif todos:
        parts.append(
            _t(
                lang,
                f"{todos} questions à voir avec le DPO",
                f"{todos} questions to check with the DPO",
            )
        )
    if missing == 1:
        parts.append(_t(lang, "1 point manque encore", "1 item is still missing"))
    elif missing:
        parts.append(
            _t(lang, f"{missing} points manquent encore", f"{missing} items are still missing")
        )
    return " · ".join(parts) + "."


@dataclass(frozen=True)
class FicheTexts:
    """The fixed wording of a fiche's sections (the screen summary and the PDF share it)."""

    title: str
    todos_heading: str
    todos_intro: str
    no_todo: str
    missing_heading: str
    missing_note: str
    nothing_missing: str
    answers_heading: str
    no_answer: str


def fiche_texts(lang: str = "fr") -> FicheTexts:
    """The section headings and fixed sentences of a fiche in ``lang``."""
    if lang == "en":
        return FicheTexts(
            "Processing activity record",
            "To check with the DPO",
            "You answered “I don't know” to these questions; the DPO will answer them:",
            "No open question.",
            "What is still missing",
            "If you don't know how to complete these items, the DPO will help you.",
            "Nothing: the items Article 30 asks for are there.",
            "What is filled in",
            "No answer yet.",
        )
    return FicheTexts(
        "Fiche de traitement",
        "À voir avec le DPO",
        "Vous avez répondu « Je ne sais pas » à ces questions ; le DPO y répondra :",
        "Aucune question en suspens.",
        "Ce qui manque encore",
        "Si vous ne savez pas compléter ces points, le DPO vous aidera.",
        "Rien : les points demandés par l'article 30 sont là.",
        "Ce qui est rempli",
        "Aucune réponse pour l'instant.",
    )


def fiche_facts(fiche: Fiche, lang: str = "fr") -> list[str]:
    """The lines under a printed fiche's title: organisation, template, date, status."""
    facts = [_t(lang, f"Organisme : {fiche.organisation}", f"Organisation: {fiche.organisation}")]
    if fiche.reference:
        facts.append(_t(lang, f"Référence : {fiche.reference}", f"Reference: {fiche.reference}"))
    if fiche.template_name:
        facts.append(
            _t(
                lang,
                f"Modèle de départ : {fiche.template_name}",
                f"Starting template: {fiche.template_name}",
            )
        )
    day = fiche.prepared_on.strftime("%d/%m/%Y")
    facts.append(_t(lang, f"Fiche préparée le {day}", f"Record prepared on {day}"))
    facts.append(status_text(fiche.status, lang))
    return facts


def draft_fiche(
    register: Register,
    organisation_id: str,
    values: Mapping[str, Any],
    unknown: Iterable[str],
    *,
    organisation: str = "",
    template_id: str | None = None,
    lang: str = "fr",
) -> Fiche:
    """The fiche of a declaration not saved yet, checked by the register's rules.

    ``values`` are every value the activity would hold; ``unknown`` the keys of the questions
    answered « Je ne sais pas ».
    """
    unknown = set(unknown)
    try:
        findings = preview_findings(register, organisation_id, values)
    except RegistreError as error:
        missing = [error.message(lang)]
    else:
        missing = [finding_text(finding, lang) for finding in open_points(findings, unknown)]
        reported = {finding.field.partition(".")[0] for finding in findings}
        for question in QUESTIONS:
            silent = not answer_lines(question.key, values, lang)
            if question.key not in unknown and silent and not set(question.keys) & reported:
                title = question.title(lang)
                missing.append(_t(lang, f"Sans réponse : {title}", f"No answer: {title}"))
    return Fiche(
        organisation=organisation,
        name=str(values.get("name") or ""),
        prepared_on=register.context.clock().date(),
        template_name=template_name(template_id, lang),
        answers=[
            (question, [] if question.key in unknown else answer_lines(question.key, values, lang))
            for question in QUESTIONS
        ],
        missing=missing,
        todos=[question.title(lang) for question in QUESTIONS if question.key in unknown],
    )


def todos_for(unknown: Iterable[str]) -> list[dict[str, str]]:
    """The to-dos a declaration leaves for the DPO: one per question answered « Je ne sais
    pas », in the order of the questions (their French text: register data)."""
    keys = set(unknown)
    return [
        {"question": question.key, "text": question.text}
        for question in QUESTIONS
        if question.key in keys
    ]


def open_todos(register: Register, activity_id: str) -> list[tuple[str | None, str]]:
    """(question key, text) of the activity's open to-dos."""
    return [
        (item.question, item.text)
        for item in todos.list_todos(register, activity_id=activity_id, open_only=True)
    ]


def saved_fiche(register: Register, activity_id: str, lang: str = "fr") -> Fiche:
    """The fiche of a saved activity: its answers, its open to-dos and what the checker still
    finds missing (reads only)."""
    record = services.record_of(register, ACTIVITY.name, activity_id)
    organisation_id = str(record["organisation_id"])
    organisation = services.record_of(register, ORGANISATION.name, organisation_id)
    report = checker.check_register(register, organisation_id)
    return fiche_of_record(
        record,
        str(organisation.get("name") or ""),
        report.findings_for(activity_id),
        register.context.clock().date(),
        open_todos(register, activity_id),
        lang,
    )


# --------------------------------------------------------------------------------------------
# The fiche as a PDF file (the application's « fiche » buttons and ``export --activity``)
# --------------------------------------------------------------------------------------------


def find_activity(register: Register, activity: str, organisation_id: str | None = None) -> str:
    """The id of the activity whose reference (or id) is ``activity``.

    RecordNotFound when there is none; UsageError when several organisations use the same
    reference and ``organisation_id`` does not say which.
    """
    wanted = activity.strip()
    matches = [
        summary
        for summary in services.list_activities(register, organisation_id)
        if wanted in (summary.reference, summary.id)
    ]
    if not matches:
        raise RecordNotFound(entity=ACTIVITY.label_fr, id=wanted)
    if len(matches) > 1:
        raise UsageError(
            reason=f"plusieurs organismes ont un traitement « {wanted} » : précisez --organisation",
            reason_en=f"several organisations have an activity “{wanted}”: give --organisation",
        )
    return matches[0].id


def write_fiche(fiche: Fiche, path: Path, lang: str = "fr") -> Path:
    """Write ``fiche`` to ``path`` as a PDF (the register's engine), privately and atomically.

    StorageFailure when the file cannot be written.
    """
    from registre.pdf.fiche import fiche_pdf

    data = fiche_pdf(fiche, lang)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise storage_failure(path.parent, exc) from exc
    return path


def write_fiche_pdf(register: Register, activity_id: str, path: Path, lang: str = "fr") -> Path:
    """Write the fiche of a saved activity to ``path`` (reads only: the register is left as it
    was)."""
    return write_fiche(saved_fiche(register, activity_id, lang), path, lang)
