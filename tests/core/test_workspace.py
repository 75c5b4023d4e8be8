"""The shared DPO's workspace: overview, publications and the changes since, on real registers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from registre import services
from registre.cli import run
from registre.official_export import export_pdf
from registre.publications import changes_since_publication, changes_text
from registre.review import review_due_on
from registre.storage import Context, Register, open_register
from registre.workspace import overview_text, register_overview
from tests.conftest import PASSPHRASE

TODAY = dt.date(2026, 3, 14)  # the fixed test clock


def _complete_activity(**extra: object) -> dict[str, object]:
    values: dict[str, object] = {
        "main_purpose": "Inscrire les enfants à la cantine",
        "legal_basis": "6.1.e",
        "status": "completed",
        "next_review_on": dt.date(2027, 1, 1),
        "data_subjects": [{"category": "users"}],
    }
    values.update(extra)
    return values


@pytest.fixture
def two_communes(register: Register) -> tuple[str, str]:
    """Two organisations: one tidy-ish, one behind (draft, overdue review, open breach)."""
    first = services.create_organisation(register, name="Commune d'Arles").id
    second = services.create_organisation(register, name="Commune de Brest").id
    services.create_activity(
        register, organisation_id=first, name="Cantine", reference="T-001", **_complete_activity()
    )
    services.create_activity(
        register,
        organisation_id=second,
        name="État civil",
        reference="T-001",
        **_complete_activity(next_review_on=dt.date(2025, 6, 30)),
    )
    services.create_activity(
        register, organisation_id=second, name="Urbanisme", reference="T-002", status="draft"
    )
    services.create_record(
        register,
        "breach",
        organisation_id=second,
        title="Courriel au mauvais destinataire",
        discovered_at=dt.datetime(2026, 3, 1, 10, 0),
        nature=["confidentiality"],
    )
    services.create_record(
        register,
        "rights_request",
        organisation_id=second,
        requester="M. Dupont",
        received_on=dt.date(2026, 1, 5),
        rights=["access"],
    )
    return first, second


def _state(register: Register) -> tuple[str, int]:
    """The database file's digest and the audit trail's length: looking must change neither."""
    digest = hashlib.sha256((register.directory / "registre.db").read_bytes()).hexdigest()
    return digest, len(services.audit_entries(register, limit=10_000))


# --------------------------------------------------------------------------------------------
# Overview
# --------------------------------------------------------------------------------------------


def test_overview_shows_which_commune_is_behind(
    register: Register, two_communes: tuple[str, str]
) -> None:
    first, second = two_communes
    overview = register_overview(register)
    lines = {line.id: line for line in overview.lines}
    arles, brest = lines[first], lines[second]
    assert [line.name for line in overview.lines] == ["Commune d'Arles", "Commune de Brest"]
    assert (arles.activities, brest.activities) == (1, 2)
    assert (arles.drafts, brest.drafts) == (0, 1)
    assert (arles.overdue_reviews, brest.overdue_reviews) == (0, 1)
    assert brest.errors > 0 and brest.completeness < 100
    assert (arles.open_breaches, brest.open_breaches) == (0, 1)
    assert brest.breaches_to_notify == 1  # discovered 13 days ago, never notified
    assert (arles.overdue_requests, brest.overdue_requests) == (0, 1)
    assert arles.last_export is None and brest.last_export is None
    assert [(item.organisation, item.name) for item in overview.to_review] == [
        ("Commune de Brest", "État civil")
    ]


def test_overview_only_looks(register: Register, two_communes: tuple[str, str]) -> None:
    before = _state(register)
    register_overview(register)
    changes_since_publication(register)
    assert _state(register) == before


def test_a_record_without_review_date_is_due_a_year_after_its_last_change() -> None:
    assert review_due_on({"updated_on": dt.date(2025, 2, 28)}) == dt.date(2026, 2, 28)
    assert review_due_on({"created_on": dt.date(2024, 2, 29)}) == dt.date(2025, 2, 28)
    planned = {"next_review_on": dt.date(2030, 1, 1), "updated_on": dt.date(2020, 1, 1)}
    assert review_due_on(planned) == dt.date(2030, 1, 1)
    assert review_due_on({}) is None


def test_overview_text_is_a_table_with_the_review_list(
    register: Register, two_communes: tuple[str, str]
) -> None:
    text = overview_text(register_overview(register), "fr")
    assert "Vue d'ensemble au 14/03/2026" in text
    assert "Dernier export officiel" in text and "jamais" in text
    assert "30/06/2025  Commune de Brest — T-001 État civil" in text
    english = overview_text(register_overview(register), "en")
    assert "Overview as of 2026-03-14" in english and "never" in english


# --------------------------------------------------------------------------------------------
# Publications and changes since
# --------------------------------------------------------------------------------------------


def test_an_official_export_records_what_it_published_per_organisation(
    register: Register, two_communes: tuple[str, str], tmp_path: Path
) -> None:
    result = export_pdf(register, tmp_path / "registre.pdf")
    overview = register_overview(register)
    for line in overview.lines:
        assert line.last_export is not None
        assert line.last_export.sha256 == result.sha256
        assert line.last_export.fingerprint == result.fingerprint
        assert line.last_export.profile == "full"
    results = changes_since_publication(register)
    assert all(changes.unchanged for changes in results)
    assert "Aucun changement." in changes_text(results)


def test_the_breach_register_is_not_a_publication_of_the_article_30_register(
    register: Register, two_communes: tuple[str, str], tmp_path: Path
) -> None:
    export_pdf(register, tmp_path / "violations.pdf", profile="breaches")
    assert all(line.last_export is None for line in register_overview(register).lines)


def test_changes_since_the_last_export_are_listed_field_by_field(
    register: Register, two_communes: tuple[str, str], tmp_path: Path
) -> None:
    first, second = two_communes
    export_pdf(register, tmp_path / "brest.pdf", organisation_id=second, profile="art30")
    activities = {a.name: a.id for a in services.list_activities(register, second)}
    services.update_activity(register, activities["État civil"], main_purpose="Tenir l'état civil")
    services.add_row(
        register,
        collection="data_subjects",
        activity_id=activities["État civil"],
        category="staff",
    )
    services.delete_activity(register, activities["Urbanisme"])
    services.create_activity(register, organisation_id=second, name="Cimetière", reference="T-003")
    services.update_organisation(register, second, dpo_name="Mme Le Goff")

    [brest] = changes_since_publication(register, second)
    assert brest.publication is not None and brest.publication.profile == "art30"
    assert [a.name for a in brest.added] == ["Cimetière"]
    assert [a.name for a in brest.removed] == ["Urbanisme"]
    [changed] = brest.changed
    by_key = {f.key: f for f in changed.fields}
    assert set(by_key) == {"main_purpose", "data_subjects"}
    assert by_key["main_purpose"].before == "Inscrire les enfants à la cantine"
    assert by_key["main_purpose"].after == "Tenir l'état civil"
    assert by_key["data_subjects"].added_rows and not by_key["data_subjects"].removed_rows
    assert [f.key for f in brest.organisation_fields] == ["dpo_name"]
    text = changes_text([brest])
    assert "1 traitement ajouté, 1 modifié, 1 supprimé" in text
    assert "Finalité principale" in text and "→ Tenir l'état civil" in text
    # Arles was never exported: everything is new there.
    [arles] = changes_since_publication(register, first)
    assert arles.publication is None and [a.name for a in arles.added] == ["Cantine"]


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def cli(*argv: str, context: Context | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err, context=context)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def closed(
    register: Register, two_communes: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    register.close()
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    return register.directory


def test_overview_command_in_french_english_and_json(closed: Path) -> None:
    code, out, _err = cli("overview", str(closed))
    assert code == 0 and "Commune de Brest" in out and "À revoir (1 fiche) :" in out
    code, out, _err = cli("overview", str(closed), "--lang", "en")
    assert code == 0 and "To review (1 record):" in out
    code, out, _err = cli("overview", str(closed), "--json")
    document = json.loads(out)
    assert document["format"] == "registre-overview"
    brest = document["organisations"][1]
    assert brest["name"] == "Commune de Brest" and brest["drafts"] == 1
    assert brest["overdue_requests"] == 1 and brest["last_export"] is None


def test_changes_command_after_an_export(closed: Path, tmp_path: Path) -> None:
    code, _out, err = cli(
        "export", str(closed), "--format", "pdf", "--output", str(tmp_path / "r.pdf")
    )
    assert code == 0, err
    code, out, _err = cli("changes", str(closed), "--since-last-export", "--json")
    assert code == 0
    assert all(not org["activities"] for org in json.loads(out)["organisations"])
    code, out, _err = cli("changes", str(closed), "--since-last-export", "--lang", "en")
    assert code == 0 and "No change." in out and "Since the publication of" in out


def test_changes_speak_the_reader_s_language(closed: Path, tmp_path: Path) -> None:
    code, _out, err = cli(
        "export", str(closed), "--format", "pdf", "--output", str(tmp_path / "r.pdf")
    )
    assert code == 0, err
    register = open_register(closed, PASSPHRASE)
    try:
        [cantine] = services.list_activities(register, services.list_organisations(register)[0].id)
        services.update_activity(register, cantine.id, legal_basis="6.1.c", uses_profiling=False)
        services.add_row(
            register, collection="data_subjects", activity_id=cantine.id, category="staff"
        )
    finally:
        register.close()
    code, out, _err = cli("changes", str(closed), "--since-last-export", "--lang", "en")
    assert code == 0
    assert "Legal basis:" in out and "Public task" in out and "Legal obligation" in out
    assert "Mission d'intérêt public" not in out and "Obligation légale" not in out
    assert "+ Staff (civil servants and contract staff)" in out and "Agents (" not in out
    code, out, _err = cli("changes", str(closed), "--since-last-export")
    assert "Base légale :" in out and "Obligation légale" in out and "Legal obligation" not in out
    assert "+ Agents (fonctionnaires et contractuels)" in out
    code, out, _err = cli("changes", str(closed), "--since-last-export", "--json", "--lang", "en")
    [arles] = [org for org in json.loads(out)["organisations"] if org["activities"]]
    fields = {f["field"]: f for f in arles["activities"][0]["fields"]}
    assert fields["legal_basis"]["after"].startswith("Legal obligation")
    assert fields["legal_basis"]["label"] == {"fr": "Base légale", "en": "Legal basis"}


def test_only_the_latest_publication_keeps_its_snapshot(
    register: Register, two_communes: tuple[str, str], tmp_path: Path
) -> None:
    first, second = two_communes
    export_pdf(register, tmp_path / "1.pdf")
    export_pdf(register, tmp_path / "2.pdf", organisation_id=second, profile="art30")
    services.update_activity(
        register, services.list_activities(register, second)[0].id, main_purpose="Autre chose"
    )
    with register.read() as session:
        rows = session.execute(
            text(
                "SELECT organisation_id, profile, snapshot FROM publication "
                "ORDER BY exported_at, id"
            )
        ).all()

    def snapshot(value: object) -> dict[str, object]:
        return json.loads(value) if isinstance(value, str) else dict(value)

    by_org = {
        org: [(profile, snapshot(value)) for o, profile, value in rows if o == org]
        for org in (first, second)
    }
    # Arles: published once, its snapshot kept. Brest: the first export's snapshot emptied, its
    # date and profile kept; the latest one (art30) complete.
    assert [profile for profile, _s in by_org[first]] == ["full"]
    assert by_org[first][0][1]["activities"]
    assert [profile for profile, _s in by_org[second]] == ["full", "art30"]
    assert by_org[second][0][1] == {}
    assert len(by_org[second][1][1]["activities"]) == 2
    [brest] = changes_since_publication(register, second)
    assert brest.publication is not None and brest.publication.profile == "art30"
    assert [a.name for a in brest.changed] == ["État civil"]
    overview = {line.id: line for line in register_overview(register).lines}
    assert overview[second].last_export is not None
    assert overview[second].last_export.profile == "art30"


def test_workspace_commands_refuse_a_wrong_passphrase_and_an_unknown_organisation(
    closed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = cli("changes", str(closed), "--since-last-export", "--organisation", "x")
    assert code == 2 and "identifiant x" in err
    code, _out, err = cli("changes", str(closed))
    assert code == 2 and "--since-last-export" in err
    monkeypatch.setenv("REGISTRE_PASSPHRASE", "pas la bonne phrase de passe du tout")
    code, out, err = cli("overview", str(closed))
    assert code == 3 and out == "" and "Traceback" not in err


def test_the_next_cover_can_sum_up_the_changes(
    register: Register, two_communes: tuple[str, str], tmp_path: Path
) -> None:
    import subprocess

    _first, second = two_communes
    export_pdf(register, tmp_path / "avant.pdf", organisation_id=second)
    [etat_civil] = [a for a in services.list_activities(register, second) if a.name == "État civil"]
    services.update_activity(register, etat_civil.id, main_purpose="Tenir l'état civil")
    export_pdf(register, tmp_path / "apres.pdf", organisation_id=second, with_changes=True)
    cover = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "apres.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(cover.split())
    assert "Changements depuis la dernière publication" in flat
    assert "0 traitement ajouté, 1 modifié, 0 supprimé" in flat
    assert "Modifiés : T-001 État civil (Finalité principale)" in flat
    # Without the option the cover says nothing of it.
    export_pdf(register, tmp_path / "sans.pdf", organisation_id=second)
    plain = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "sans.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Changements depuis" not in plain
