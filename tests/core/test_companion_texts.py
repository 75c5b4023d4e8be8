"""What the companion registers and the activities they touch say to their readers: the demo's
fiche, the state of a contract, dates in messages, the legal basis of a law-enforcement
activity."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from registre import companion, services
from registre.checker import check_register
from registre.demo import DEMO_PASSPHRASE, create_demo_register
from registre.interchange import export_register
from registre.official_export import export_pdf
from registre.schema import CONTRACT_CLAUSES
from registre.storage import Context, Register
from tests.core.test_cli import cli

DPIA_POINT = (
    "À voir avec le DPO : faut-il étudier plus en détail les risques pour les personnes "
    "(analyse d'impact) ?"
)


@pytest.fixture
def demo(tmp_path: Path, context: Context) -> Iterator[Register]:
    register, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    yield register
    register.close()


def _activity(register: Register, reference: str) -> str:
    return next(
        a.id
        for o in services.list_organisations(register)
        for a in services.list_activities(register, o.id)
        if a.reference == reference
    )


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# --------------------------------------------------------------------------------------------
# The fiche: one point per thing to see with the DPO
# --------------------------------------------------------------------------------------------


def test_the_demo_fiche_names_the_impact_assessment_once_and_the_dpo_keeps_both_findings(
    demo: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = check_register(demo)
    rules = {f.rule.id for f in report.findings_for(_activity(demo, "T-005"))}
    # Two distinct findings for the DPO: no completed assessment in the register of
    # assessments, and « not needed » ticked without its reasons.
    assert {"dpia-record-missing", "dpia-not-needed-contradiction"} <= rules
    directory = demo.directory
    demo.close()
    monkeypatch.setenv("REGISTRE_PASSPHRASE", DEMO_PASSPHRASE)
    output = tmp_path / "T-005.pdf"
    code, _out, err = cli(
        "export", str(directory), "--activity", "T-005", "--format", "pdf", "--output", str(output)
    )
    assert code == 0, err
    text = " ".join(_pdf_text(output).split())
    assert text.count(DPIA_POINT) == 1
    assert "À voir avec le DPO : le contrat avec le prestataire." in text
    assert "2 points manquent encore" in text


# --------------------------------------------------------------------------------------------
# A contract whose clauses are all ticked, without its dates
# --------------------------------------------------------------------------------------------


def test_a_contract_with_every_clause_but_no_date_is_not_shown_complete(
    register: Register,
) -> None:
    organisation = services.create_organisation(register, name="Commune de Trébeurden").id
    processor = services.create_processor(register, organisation_id=organisation, name="Presta")
    contract = services.create_record(
        register,
        "contract",
        organisation_id=organisation,
        title="Contrat n° 2025-3",
        processor_id=processor.id,
        **dict.fromkeys(CONTRACT_CLAUSES, True),
    ).id
    now = register.context.clock()

    def seen(lang: str) -> tuple[tuple[str, bool], list[str]]:
        record = services.record_of(register, "contract", contract)
        findings = [
            f.message(lang)
            for f in check_register(register).findings
            if f.rule.id == "contract-dates-missing"
        ]
        return companion.record_status("contract", record, now, lang), findings

    assert seen("fr") == (
        ("Clauses de l'art. 28.3 complètes ; dates de signature et de fin à renseigner", True),
        ["Contrat sans date : dates de signature et de fin à renseigner."],
    )
    assert seen("en") == (
        ("Art. 28(3) clauses complete; signature and end dates to be filled in", True),
        ["Undated contract: signature and end dates to be filled in."],
    )
    services.update_record(register, "contract", contract, ends_on=dt.date(2028, 12, 31))
    assert seen("fr") == (
        ("Clauses de l'art. 28.3 complètes ; date de signature à renseigner", True),
        ["Contrat sans date : date de signature à renseigner."],
    )
    # Signed, open-ended: complete.
    services.update_record(
        register, "contract", contract, signed_on=dt.date(2025, 1, 10), ends_on=None
    )
    assert seen("fr") == (("Clauses de l'art. 28.3 complètes", False), [])


# --------------------------------------------------------------------------------------------
# Days in messages: « 14/03/2026 » in French, 2026-03-14 in English
# --------------------------------------------------------------------------------------------

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
FRENCH_DAY = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def test_every_finding_names_its_days_as_its_reader_writes_them(demo: Register) -> None:
    report = check_register(demo, today=dt.date(2027, 6, 1))  # reviews and contracts past due
    dated = [f for f in report.findings if FRENCH_DAY.search(f.message("fr") + f.detail("fr"))]
    assert {"dpia-record-review-overdue", "contract-ended", "review-overdue"} <= {
        f.rule.id for f in dated
    }
    for finding in report.findings:
        french = " ".join((finding.message("fr"), finding.detail("fr"), finding.hint("fr")))
        english = " ".join((finding.message("en"), finding.detail("en"), finding.hint("en")))
        assert not ISO_DAY.search(french), (finding.rule.id, french)
        assert not FRENCH_DAY.search(english), (finding.rule.id, english)
    review = next(f for f in dated if f.rule.id == "dpia-record-review-overdue")
    day = FRENCH_DAY.search(review.message("fr"))
    assert day is not None
    iso = "-".join(reversed(day.group().split("/")))
    assert review.message("fr") == (
        f"La revue de l'analyse d'impact prévue le {day.group()} n'a pas été faite."
    )
    assert review.message("en") == (
        f"The review of the impact assessment due on {iso} has not been done."
    )


def test_the_state_of_a_request_or_an_assessment_names_its_day_for_its_reader() -> None:
    now = dt.datetime(2026, 3, 20, 9, 0)
    dpia = {"status": "completed", "next_review_on": dt.date(2026, 3, 14)}
    assert companion.record_status("dpia", dpia, now) == ("Revue dépassée (14/03/2026)", True)
    assert companion.record_status("dpia", dpia, now, "en") == (
        "Review overdue (2026-03-14)",
        True,
    )
    request = {"received_on": dt.date(2026, 3, 2)}
    assert companion.record_status("rights_request", request, now)[0] == (
        "Réponse due le 02/04/2026 (dans 13 j)"
    )
    assert companion.record_status("rights_request", request, now, "en")[0] == (
        "Answer due 2026-04-02 (in 13 d)"
    )


# --------------------------------------------------------------------------------------------
# The legal basis of a law-enforcement activity
# --------------------------------------------------------------------------------------------

LAW_ENFORCEMENT_FR = "Directive (UE) 2016/680, art. 8 (police-justice)"


def test_a_law_enforcement_activity_shows_its_basis_in_the_pdf_and_the_csv(
    demo: Register, tmp_path: Path
) -> None:
    commune = next(o for o in services.list_organisations(demo) if o.kind == "commune")
    record = services.record_of(demo, "activity", _activity(demo, "T-010"))
    assert record["regime"] == "police_justice" and record["legal_basis"] is None
    pdf = export_pdf(demo, tmp_path / "registre.pdf", organisation_id=commune.id).path
    cells = subprocess.run(  # the summary table's cells, one after the other
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    row = " ".join(cells[cells.index("\nT-010\n") : cells.index("\nT-011\n")].split())
    assert row == (
        "T-010 Police municipale : main courante et contraventions Police municipale "
        f"{LAW_ENFORCEMENT_FR} Oui Validé par le DPO 100 %"
    )
    exported = export_register(demo, tmp_path / "registre.csv", "csv", organisation_id=commune.id)
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig")), delimiter=";"))
    column = rows[0].index("Base légale")
    cells = {row[1]: row[column] for row in rows[1:]}
    assert cells["T-010"] == cells["T-011"] == LAW_ENFORCEMENT_FR
    assert cells["T-005"] == "Mission d'intérêt public ou exercice de l'autorité publique"
    assert cells["T-032"] == ""  # a GDPR activity without a basis stays empty: to complete


def test_a_sub_purpose_s_basis_column_appears_only_when_one_differs(
    demo: Register, tmp_path: Path
) -> None:
    """A sub-purpose's legal basis is given only when it differs from the activity's, and a
    law-enforcement activity has none: a column of « — » would read as « no basis »."""
    commune = next(o for o in services.list_organisations(demo) if o.kind == "commune")

    def sheet(reference: str, name: str) -> str:
        pdf = export_pdf(demo, tmp_path / name, organisation_id=commune.id).path
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        start = text.index(f"\n{reference} — ")
        return text[start : text.index("30.1.c · ", start)]

    police = sheet("T-010", "avant.pdf")
    assert "Main courante des interventions" in police
    assert "Base légale de cette finalité" not in police and "—" not in police.split("Sous-")[-1]
    gdpr = _activity(demo, "T-005")
    purposes = services.record_of(demo, "activity", gdpr)["purposes"]
    assert purposes and not any(p["legal_basis"] for p in purposes)
    assert "Base légale de cette finalité" not in sheet("T-005", "avant-bis.pdf")

    services.update_row(demo, collection="purposes", row_id=purposes[0]["id"], legal_basis="6.1.a")
    after = " ".join(sheet("T-005", "apres.pdf").split())
    assert "Base légale de cette finalité" in after
    assert f"{purposes[0]['description']} Consentement" in after


def test_a_law_enforcement_sheet_cites_the_directive_s_article_24(
    demo: Register, tmp_path: Path
) -> None:
    """The record of a police-justice activity answers Directive 2016/680, art. 24, not
    Article 30 of the GDPR, which does not govern it: its sheet says so, section by section."""
    commune = next(o for o in services.list_organisations(demo) if o.kind == "commune")
    pdf = export_pdf(demo, tmp_path / "registre.pdf", organisation_id=commune.id).path
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

    def sheet(reference: str) -> list[str]:
        start = text.index(f"\n{reference} — ")
        end = text.index("\nT-0", start + 1)
        return [" ".join(line.split()) for line in text[start:end].splitlines()]

    police = sheet("T-010")
    assert "Responsable de traitement (directive 2016/680, art. 24.1)" in " ".join(police[:4])
    headings = [line for line in police if " · " in line and line[:2].isdigit()]
    assert headings == [
        "24.1.a · Acteurs",
        "24.1.b · Finalités et base légale",
        "24.1.d · Personnes et données concernées",
        "24.1.c · Destinataires",
        "24.1.f · Transferts hors de l'UE",
        "24.1.h · Durées de conservation",
        "24.1.i · Mesures de sécurité",
        "27 · Analyse d'impact (AIPD)",
    ]
    gdpr = sheet("T-005")
    assert "Responsable de traitement (art. 30.1)" in " ".join(gdpr[:4])
    assert "30.1.b · Finalités et base légale" in gdpr
    assert not any(line.startswith("24.") for line in gdpr)
