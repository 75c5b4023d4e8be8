"""The declaration without Qt: questions, answers as a secretary reads them, the fiche."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from registre import declaration, services, todos
from registre.declaration import (
    QUESTION_BY_KEY,
    QUESTIONS,
    Fiche,
    answer_lines,
    draft_fiche,
    overview_text,
    saved_fiche,
    why_text,
    write_fiche,
)
from registre.storage import Register

NBSP = "\u00a0"


@pytest.fixture
def commune(register: Register) -> str:
    return services.create_organisation(
        register,
        name="Commune de Saint-Test",
        kind="commune",
        address="1 place de la Mairie\n00000 Saint-Test",
        email="mairie@saint-test.fr",
        dpo_name="Centre de gestion",
        dpo_email="dpo@cdg.fr",
    ).id


def test_pourquoi_cette_question_comes_from_the_schema_in_plain_words() -> None:
    """The secretary reads what the law asks, not its article numbers (the DPO's form and
    check cite them)."""
    subjects = why_text(QUESTION_BY_KEY["data_subjects"].why)
    assert subjects.startswith("Le RGPD demande que le registre indique")
    assert "catégories de personnes concernées" in subjects
    data = why_text(QUESTION_BY_KEY["data_categories"].why)
    assert "catégories de données" in data and "délais prévus pour l'effacement" in data
    legal = why_text(QUESTION_BY_KEY["legal_basis"].why)
    assert legal.startswith("Le RGPD (licéité du traitement) : ce qui autorise le traitement ;")
    assert "pays tiers" in why_text(QUESTION_BY_KEY["transfers"].why)
    assert why_text(QUESTION_BY_KEY["data_subjects"].why, "en").startswith(
        "The GDPR asks the record to state"
    )
    for question in QUESTIONS:
        for lang in ("fr", "en"):
            text = why_text(question.why, lang)
            assert text and not re.search(r"\d", text), (question.key, lang, text)


def test_every_question_has_its_english_and_a_unique_key() -> None:
    assert len(QUESTION_BY_KEY) == len(QUESTIONS) == 8
    for question in QUESTIONS:
        assert question.title("en") != question.title("fr")
        assert question.example_text("fr").startswith("Par exemple")
        assert question.example_text("en").startswith("For example")
    assert [q.key for q in QUESTIONS if not q.allow_unknown] == ["name"]


def test_answers_read_in_plain_words_with_the_registers_retention_wording() -> None:
    row = {
        "category": "identity",
        "details": "nom, prénom",
        "retention_value": 5,
        "retention_unit": "years",
        "retention_start": "la fin de la scolarité",
        "final_disposition": "destruction",
    }
    (line,) = answer_lines("data_categories", {"data_categories": [row]})
    assert line.endswith(
        f": nom, prénom — conservées 5{NBSP}ans à compter de la fin de la scolarité, "
        "puis destruction (élimination)"
    )
    one = {"retention_value": 1, "retention_unit": "years", "category": "identity"}
    (line,) = answer_lines("data_categories", {"data_categories": [one]})
    assert line.endswith(f"conservées 1{NBSP}an")
    assert answer_lines("transfers", {"has_transfers": False}) == ["Non"]
    assert answer_lines("transfers", {"has_transfers": None}) == []
    assert answer_lines("name", {"name": "Cantine", "service": "Scolaire"}, "en") == [
        "Cantine",
        "Department: Scolaire",
    ]
    (english,) = answer_lines("data_categories", {"data_categories": [one]}, "en")
    assert english.endswith("kept 1 year")


def test_plurals_of_the_overview() -> None:
    question = QUESTIONS[0]
    one = Fiche("Commune", "Cantine", dt.date(2026, 3, 14), answers=[(question, ["Cantine"])])
    assert overview_text(one) == "1 question sur 1 a une réponse."
    two = Fiche(
        "Commune",
        "Cantine",
        dt.date(2026, 3, 14),
        answers=[(question, ["Cantine"]), (QUESTIONS[1], ["Repas"])],
        todos=["a", "b"],
        missing=["c"],
    )
    assert overview_text(two) == (
        "2 questions sur 2 ont une réponse · 2 questions à voir avec le DPO · "
        "1 point manque encore."
    )


def test_a_draft_fiche_and_the_saved_fiche_agree(register: Register, commune: str) -> None:
    values = {
        "name": "Prêt de vélos",
        "main_purpose": "Prêter des vélos aux habitants",
        "legal_basis": "6.1.e",
        "data_subjects": [{"category": "residents"}],
        "data_categories": [
            {"category": "identity", "retention_value": 3, "retention_unit": "years"}
        ],
        "recipients": [{"recipient_type": "internal_service", "name": "Services techniques"}],
        "has_transfers": False,
    }
    draft = draft_fiche(register, commune, values, ["security_measures"], organisation="X")
    assert draft.todos == ["Comment les données sont-elles protégées ?"]
    assert len(draft.answered) == 7
    audit_before = services.audit_entries(register, limit=1000)
    activity_id = services.create_activity(
        register,
        organisation_id=commune,
        **values,
        todos=declaration.todos_for(["security_measures"]),
    ).id
    audit_before = services.audit_entries(register, limit=1000)
    saved = saved_fiche(register, activity_id)
    assert services.audit_entries(register, limit=1000) == audit_before  # looking never writes
    assert saved.todos == draft.todos
    assert saved.missing == draft.missing
    assert [lines for _q, lines in saved.answers] == [lines for _q, lines in draft.answers]
    assert saved.organisation == "Commune de Saint-Test"
    # once the DPO closes the to-do, the fiche no longer lists it
    (item,) = todos.list_todos(register, activity_id=activity_id)
    todos.close_todo(register, item.id)
    assert saved_fiche(register, activity_id).todos == []
    assert saved_fiche(register, activity_id, "en").status == "draft"


def test_the_fiche_pdf_wraps_long_items_under_their_bullet_across_pages(tmp_path: Path) -> None:
    long_point = " ".join(f"mot{index}" for index in range(1500)) + " fin-du-point"
    fiche = Fiche(
        organisation="Commune",
        name="Cantine",
        prepared_on=dt.date(2026, 3, 14),
        answers=[(QUESTIONS[0], ["Cantine"])],
        missing=[long_point, "Court"],
        todos=["Qui est concerné ?"],
    )
    path = write_fiche(fiche, tmp_path / "fiche.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "fin-du-point" in text and "• Court" in text
    assert "page 1 / 3" in text and "page 3 / 3" in text
    # wrapped lines start under the text, not under the bullet
    first = next(line for line in text.splitlines() if "• mot0 " in line)
    second = text.splitlines()[text.splitlines().index(first) + 1]
    assert second.index("mot") == first.index("mot0")
