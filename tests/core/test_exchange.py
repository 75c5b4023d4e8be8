"""Exchange files between a commune's secretary and the DPO: sealed, previewed, accepted."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from registre import services, todos
from registre.cli import run
from registre.errors import InvalidValue, WeakPassphrase
from registre.exchange import (
    ExchangePreview,
    WrongExchangePassphrase,
    accept_exchange,
    preview_exchange,
    preview_text,
    read_exchange,
    write_exchange,
)
from registre.interchange.errors import InvalidImportFile
from registre.interchange.json_format import export_document
from registre.storage import Context, Register, create_register
from registre.undo import UndoStack
from tests.conftest import PASSPHRASE
from tests.kdf import TEST_POLICY

SHARED = "la phrase convenue entre la mairie et le délégué"


@pytest.fixture
def dpo_register(register: Register) -> tuple[str, str]:
    """The DPO's register: the commune with one activity (as it was last seen)."""
    org = services.create_organisation(register, name="Commune de Brest").id
    cantine = services.create_activity(
        register,
        organisation_id=org,
        name="Cantine scolaire",
        reference="T-001",
        main_purpose="Inscrire les enfants",
        status="validated",
    ).id
    return org, cantine


@pytest.fixture
def secretary_file(tmp_path: Path, context: Context) -> Path:
    """The secretary's own register of the commune, sealed into an exchange file."""
    register, _key = create_register(
        tmp_path / "Mairie.registre",
        PASSPHRASE,
        context=dataclasses.replace(context, actor="secretaire"),
    )
    with register:
        org = services.create_organisation(register, name="Commune de Brest").id
        services.create_activity(
            register,
            organisation_id=org,
            name="Cantine scolaire",
            reference="T-001",
            main_purpose="Inscrire les enfants et suivre les allergies",
            data_subjects=[{"category": "users", "details": "enfants"}],
        )
        services.create_activity(
            register,
            organisation_id=org,
            name="Cimetière",
            todos=[{"text": "Combien de temps garder les concessions ?"}],
        )
        path = tmp_path / "Brest.registre-fiche"
        assert write_exchange(register, path, SHARED, organisation_id=org) == 2
    return path


def test_the_file_is_sealed_and_needs_the_shared_passphrase(secretary_file: Path) -> None:
    raw = secretary_file.read_bytes()
    assert b"Cantine" not in raw and b"allergies" not in raw
    with pytest.raises(WrongExchangePassphrase):
        read_exchange(secretary_file, "une autre phrase de passe bien longue", TEST_POLICY)
    altered = json.loads(raw)
    altered["kdf"]["iterations"] += 1  # the header is authenticated too
    secretary_file.write_text(json.dumps(altered))
    with pytest.raises((WrongExchangePassphrase, InvalidImportFile)):
        read_exchange(secretary_file, SHARED, TEST_POLICY)


def test_a_damaged_or_foreign_file_is_refused(tmp_path: Path) -> None:
    for content in (b"\x00\x01", b'{"format": "autre"}', b"[]"):
        path = tmp_path / "x.registre-fiche"
        path.write_bytes(content)
        with pytest.raises(InvalidImportFile):
            read_exchange(path, SHARED, TEST_POLICY)


def test_a_weak_passphrase_is_refused(
    register: Register, dpo_register: tuple[str, str], tmp_path: Path
) -> None:
    org, _cantine = dpo_register
    with pytest.raises(WeakPassphrase):
        write_exchange(register, tmp_path / "f.registre-fiche", "1234", organisation_id=org)


def test_preview_field_by_field_then_accept_with_the_origin_recorded(
    register: Register, dpo_register: tuple[str, str], secretary_file: Path
) -> None:
    org, cantine = dpo_register
    before = len(services.audit_entries(register, limit=1000))
    exchange = read_exchange(secretary_file, SHARED, TEST_POLICY)
    preview = preview_exchange(register, exchange, org)
    assert len(services.audit_entries(register, limit=1000)) == before  # looking never writes
    kinds = {p.name: p for p in preview.proposals}
    assert kinds["Cimetière"].kind == "new"
    changed = kinds["Cantine scolaire"]
    assert changed.kind == "changed" and changed.target_id == cantine
    assert {f.key for f in changed.fields} >= {"main_purpose", "data_subjects"}
    assert "status" not in {f.key for f in changed.fields}  # the DPO's validation stays his
    text = preview_text(preview)
    assert "Inscrire les enfants → Inscrire les enfants et suivre les allergies" in text
    assert "[nouvelle fiche] Cimetière" in text
    english = preview_text(preview, "en")
    assert "Main purpose: Inscrire les enfants → Inscrire les enfants et suivre" in english
    assert "À voir avec le DPO : Combien de temps garder les concessions ?" in text

    accept_exchange(register, preview, [kinds["Cimetière"].source_id])
    names = {a.name: a for a in services.list_activities(register, org)}
    assert names["Cimetière"].status == "draft"
    [todo] = todos.list_todos(register, activity_id=names["Cimetière"].id, open_only=True)
    assert todo.text == "Combien de temps garder les concessions ?"
    assert (
        services.record_of(register, "activity", cantine)["main_purpose"] == "Inscrire les enfants"
    )
    origin = services.audit_entries(register, limit=1)[0]
    assert origin["action"] == "received" and origin["changes"]["written_by"] == "secretaire"
    assert origin["changes"]["file"] == "Brest.registre-fiche"
    assert services.verify_audit(register).intact


def _organisations(register: Register) -> object:
    return export_document(register)["organisations"]


def test_accepting_is_one_transaction_and_one_undo_step(
    register: Register, dpo_register: tuple[str, str], secretary_file: Path
) -> None:
    org, cantine = dpo_register
    services.add_row(register, activity_id=cantine, collection="data_subjects", category="staff")
    exchange = read_exchange(secretary_file, SHARED, TEST_POLICY)
    preview = preview_exchange(register, exchange, org)
    kinds = {p.name: p for p in preview.proposals}
    before, trail = _organisations(register), services.audit_entries(register, limit=1000)

    # A row the register refuses, met after the first changes: nothing at all is kept.
    changed = kinds["Cantine scolaire"]
    broken = dataclasses.replace(
        changed, values={**changed.values, "data_subjects": [{"category": "pas-une-categorie"}]}
    )
    spoiled = dataclasses.replace(preview, proposals=[kinds["Cimetière"], broken])
    with pytest.raises(InvalidValue):
        accept_exchange(register, spoiled, [p.source_id for p in spoiled.proposals])
    assert _organisations(register) == before
    assert services.audit_entries(register, limit=1000) == trail

    acceptance = accept_exchange(register, preview, [p.source_id for p in preview.proposals])
    after = _organisations(register)
    record = services.record_of(register, "activity", cantine)
    assert record["main_purpose"] == "Inscrire les enfants et suivre les allergies"
    assert [row["category"] for row in record["data_subjects"]] == ["users"]
    stack = UndoStack(register)
    stack.push_group(
        acceptance.changes,
        label_fr=acceptance.label("fr"),
        label_en=acceptance.label("en"),
        snapshots=acceptance.snapshots,
    )
    assert stack.undo_text() == (
        "Annuler la réception de la fiche d'échange « Brest.registre-fiche »"
    )
    stack.undo()  # the new record, the fields and the rows, at once
    assert _organisations(register) == before
    stack.redo()
    assert _organisations(register) == after
    received = [
        e for e in services.audit_entries(register, limit=1000) if e["action"] == "received"
    ]
    assert len(received) == 1 and received[0]["changes"]["records"] == sorted(
        {cantine, *(a.id for a in services.list_activities(register, org) if a.id != cantine)}
    )
    assert services.verify_audit(register).intact


def test_a_group_with_a_deleted_row_needs_its_snapshot(
    register: Register, dpo_register: tuple[str, str]
) -> None:
    _org, cantine = dpo_register
    row = services.add_row(
        register, activity_id=cantine, collection="data_subjects", category="staff"
    )
    deleted = services.delete_row(register, collection="data_subjects", row_id=row.id)
    with pytest.raises(ValueError, match="needs its snapshot"):
        UndoStack(register).push_group([deleted], label_fr="x", label_en="x")


def test_the_fiche_commands(
    register: Register,
    dpo_register: tuple[str, str],
    secretary_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    register.close()
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("REGISTRE_FICHE_PASSPHRASE", SHARED)
    path = str(register.directory)

    def cli(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run(list(argv), out=out, err=err)
        return code, out.getvalue(), err.getvalue()

    code, out, err = cli("fiche-import", path, str(secretary_file))
    assert code == 0, err
    assert "[modifications] T-001 Cantine scolaire" in out and "Aperçu seulement" in err
    code, out, err = cli("fiche-import", path, str(secretary_file), "--accept", "T-001")
    assert code == 0, err
    code, out, err = cli(
        "fiche-export",
        path,
        "--organisation",
        "Commune de Brest",
        "--to-commune",
        "--output",
        str(tmp_path / "retour.registre-fiche"),
    )
    assert code == 0, err
    exchange = read_exchange(tmp_path / "retour.registre-fiche", SHARED, TEST_POLICY)
    assert exchange.direction == "to_commune"
    assert [a["main_purpose"] for a in exchange.activities] == [
        "Inscrire les enfants et suivre les allergies"
    ]
    monkeypatch.setenv("REGISTRE_FICHE_PASSPHRASE", "une autre phrase de passe bien longue")
    code, out, err = cli("fiche-import", path, str(secretary_file), "--lang", "en")
    assert code == 3 and "does not open the exchange file" in err and "Traceback" not in err


# -- Matching: a record of the file changes an activity only when it surely is that one -------

CIVIL = "Tenue des registres de l'état civil"


def _seal(tmp_path: Path, context: Context, *activities: dict[str, object]) -> Path:
    """The secretary's own register (identifiers of its own), its activities sealed in a file."""
    secretary, _key = create_register(
        tmp_path / "Mairie.registre",
        PASSPHRASE,
        context=dataclasses.replace(context, actor="secretaire"),
    )
    with secretary:
        org = services.create_organisation(secretary, name="Commune de Brest").id
        for values in activities:
            services.create_activity(secretary, organisation_id=org, **values)
        path = tmp_path / "Brest.registre-fiche"
        write_exchange(secretary, path, SHARED, organisation_id=org)
    return path


def _receive(register: Register, path: Path, org: str) -> tuple[ExchangePreview, str, str]:
    preview = preview_exchange(register, read_exchange(path, SHARED, TEST_POLICY), org)
    return preview, preview_text(preview), preview_text(preview, "en")


@pytest.fixture
def civil_status(register: Register) -> tuple[str, str]:
    """The DPO's register: the commune's civil status record, validated by the DPO."""
    org = services.create_organisation(register, name="Commune de Brest").id
    record = services.create_activity(
        register,
        organisation_id=org,
        name=CIVIL,
        reference="T-001",
        main_purpose="Tenir les actes de naissance, de mariage et de décès",
        status="validated",
    ).id
    return org, record


def _record(register: Register, activity_id: str) -> dict[str, object]:
    record = services.record_of(register, "activity", activity_id)
    return {key: record[key] for key in ("reference", "name", "status", "main_purpose")}


def test_two_namesakes_from_the_secretary_leave_the_dpo_s_record_alone(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    """The secretary's second record of the same name (« Créer quand même »), numbered in her
    own register: neither is taken for the DPO's T-001."""
    org, t001 = civil_status
    kept = _record(register, t001)
    path = _seal(
        tmp_path,
        context,
        {"name": CIVIL, "reference": "T-003", "main_purpose": "Délivrer les copies d'actes"},
        {"name": CIVIL, "reference": "T-004", "main_purpose": "Numériser les registres anciens"},
        {"name": "Cimetière", "main_purpose": "Gérer les concessions"},
    )
    preview, text, english = _receive(register, path, org)
    assert [p.kind for p in preview.proposals] == ["new", "new", "new"]
    assert (
        f"[nouvelle fiche] T-003 {CIVIL} — non rapprochée de T-001, du même nom : elle porte une "
        "autre référence"
    ) in text
    assert "[nouvelle fiche] Cimetière\n" in text + "\n"  # nothing of that name: plainly new
    assert f"[new record] T-004 {CIVIL} — not matched to T-001, of the same name" in english
    accept_exchange(register, preview, [p.source_id for p in preview.proposals])
    assert _record(register, t001) == kept
    created = [a for a in services.list_activities(register, org) if a.id != t001]
    assert sorted((a.reference or "", a.status) for a in created) == [
        ("", "draft"),
        ("T-003", "draft"),
        ("T-004", "draft"),
    ]


def test_namesakes_without_reference_are_both_new(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    org, t001 = civil_status
    kept = _record(register, t001)
    path = _seal(
        tmp_path,
        context,
        {"name": CIVIL, "main_purpose": "Délivrer les copies d'actes"},
        {"name": CIVIL.upper(), "main_purpose": "Numériser les registres anciens"},
    )
    preview, text, english = _receive(register, path, org)
    assert [p.kind for p in preview.proposals] == ["new", "new"]
    assert text.count("non rapprochée de T-001 : plusieurs fiches reçues portent ce nom") == 2
    assert english.count("not matched to T-001: several records of the file bear this name") == 2
    accept_exchange(register, preview, [p.source_id for p in preview.proposals])
    assert _record(register, t001) == kept
    assert len(services.list_activities(register, org)) == 3


def test_the_dpo_s_reference_matches_and_the_namesake_created_anyway_is_new(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    """The secretary had the DPO's T-001, then created a second record of the same name."""
    org, t001 = civil_status
    path = _seal(
        tmp_path,
        context,
        {"name": CIVIL, "reference": "T-001", "main_purpose": "Délivrer les copies d'actes"},
        {"name": CIVIL, "reference": "T-002", "main_purpose": "Numériser les registres anciens"},
    )
    preview, text, english = _receive(register, path, org)
    first, second = preview.proposals
    assert (first.kind, first.target_id, first.matched_by) == ("changed", t001, "reference")
    assert {f.key for f in first.fields} == {"main_purpose"}  # not the secretary's status
    assert f"[modifications] T-001 {CIVIL} — rapprochée de T-001 par sa référence" in text
    assert second.kind == "new"
    assert (
        f"[nouvelle fiche] T-002 {CIVIL} — non rapprochée de T-001 : une autre fiche reçue y est "
        "déjà rapprochée"
    ) in text
    assert "matched to T-001 by its reference" in english
    accept_exchange(register, preview, [first.source_id, second.source_id])
    assert _record(register, t001) == {
        "reference": "T-001",
        "name": CIVIL,
        "status": "validated",  # validated by the one accepting: the review rule keeps it
        "main_purpose": "Délivrer les copies d'actes",
    }
    [created] = [a for a in services.list_activities(register, org) if a.id != t001]
    assert (created.reference, created.status) == ("T-002", "draft")


def test_a_name_borne_by_two_activities_of_the_organisation_matches_neither(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    org, t001 = civil_status
    t005 = services.create_activity(
        register, organisation_id=org, name=CIVIL, reference="T-005", main_purpose="Archives"
    ).id
    kept = _record(register, t001), _record(register, t005)
    path = _seal(tmp_path, context, {"name": CIVIL, "main_purpose": "Délivrer les copies"})
    preview, text, english = _receive(register, path, org)
    [proposal] = preview.proposals
    assert proposal.kind == "new" and proposal.target_id is None
    assert (
        f"[nouvelle fiche] {CIVIL} — non rapprochée : plusieurs traitements de l'organisme "
        "portent ce nom (T-001, T-005)"
    ) in text
    assert "several activities of the organisation bear this name (T-001, T-005)" in english
    accept_exchange(register, preview, [proposal.source_id])
    assert (_record(register, t001), _record(register, t005)) == kept
    assert len(services.list_activities(register, org)) == 3


def test_a_match_by_name_is_shown_and_keeps_the_reference(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    org, t001 = civil_status
    path = _seal(tmp_path, context, {"name": CIVIL.upper(), "main_purpose": "Délivrer les copies"})
    preview, text, english = _receive(register, path, org)
    [proposal] = preview.proposals
    assert (proposal.kind, proposal.target_id, proposal.matched_by) == ("changed", t001, "name")
    assert f"[modifications] T-001 {CIVIL.upper()} — rapprochée de T-001 par son nom" in text
    assert f"[changes] T-001 {CIVIL.upper()} — matched to T-001 by its name" in english
    assert "Référence" not in text and "État de la fiche" not in text
    accept_exchange(register, preview, [proposal.source_id])
    assert _record(register, t001) == {
        "reference": "T-001",  # the file had none: the DPO's stays
        "name": CIVIL.upper(),
        "status": "validated",
        "main_purpose": "Délivrer les copies",
    }


def test_a_record_validated_by_someone_else_goes_back_to_completed_as_shown(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    """The review rule of any change, said in the preview before it is accepted."""
    org, t001 = civil_status
    register.context = dataclasses.replace(register.context, actor="dpo-suppleant")
    path = _seal(tmp_path, context, {"name": CIVIL, "reference": "T-001", "main_purpose": "Copies"})
    preview, text, english = _receive(register, path, org)
    assert "État de la fiche : Validé par le DPO → Complété" in text
    assert "Record status: Validated by the DPO → Completed" in english
    accept_exchange(register, preview, [p.source_id for p in preview.proposals])
    assert _record(register, t001)["status"] == "completed"


def test_a_match_by_identifier_still_updates_the_record(
    register: Register, civil_status: tuple[str, str], tmp_path: Path
) -> None:
    """A file from a copy of this register (identifiers shared): renamed, renumbered since."""
    org, t001 = civil_status
    services.update_activity(
        register, t001, name="État civil", reference="EC-1", main_purpose="Actes et copies"
    )
    path = tmp_path / "Brest.registre-fiche"
    write_exchange(register, path, SHARED, organisation_id=org)
    services.update_activity(
        register,
        t001,
        name=CIVIL,
        reference="T-001",
        main_purpose="Tenir les actes de naissance, de mariage et de décès",
    )
    preview, text, english = _receive(register, path, org)
    [proposal] = preview.proposals
    assert (proposal.target_id, proposal.matched_by) == (t001, "id")
    assert {f.key for f in proposal.fields} == {"name", "reference", "main_purpose"}
    assert (
        f"[modifications] EC-1 État civil — rapprochée de T-001 « {CIVIL} » par son identifiant"
        in text
    )
    assert f"matched to T-001 “{CIVIL}” by its identifier" in english
    accept_exchange(register, preview, [proposal.source_id])
    assert _record(register, t001) == {
        "reference": "EC-1",
        "name": "État civil",
        "status": "validated",
        "main_purpose": "Actes et copies",
    }
    received = [e for e in services.audit_entries(register, limit=100) if e["action"] == "received"]
    assert received[0]["changes"]["matched"] == {t001: "id"}


def test_a_shared_reference_or_a_record_of_another_organisation_is_not_matched(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    org, t001 = civil_status
    # Two records of the file bear the DPO's reference: neither is taken for T-001.
    path = _seal(
        tmp_path,
        context,
        {"name": CIVIL, "reference": "T-001", "main_purpose": "Délivrer les copies d'actes"},
        {"name": CIVIL, "reference": "T-001", "main_purpose": "Numériser les registres"},
    )
    preview, text, english = _receive(register, path, org)
    assert [p.kind for p in preview.proposals] == ["new", "new"]
    assert (
        text.count(
            f"non rapprochée de T-001 « {CIVIL} » : plusieurs fiches reçues portent cette référence"
        )
        == 2
    )
    assert f"not matched to T-001 “{CIVIL}”: several records of the file bear this" in english
    # A file written from another organisation of this register, received in this one: its
    # record is that organisation's, even though this one has an activity of the same name.
    other = services.create_organisation(register, name="CCAS de Brest").id
    services.create_activity(register, organisation_id=other, name=CIVIL)
    sent = tmp_path / "CCAS.registre-fiche"
    write_exchange(register, sent, SHARED, organisation_id=other)
    preview, text, _english = _receive(register, sent, org)
    [proposal] = preview.proposals
    assert proposal.kind == "new"
    assert "non rapprochée de T-001, du même nom : elle vient d'un traitement d'un autre" in text
    kept = _record(register, t001)
    accept_exchange(register, preview, [proposal.source_id])
    assert _record(register, t001) == kept


def test_the_same_reference_under_another_name_is_another_record(
    register: Register, civil_status: tuple[str, str], tmp_path: Path, context: Context
) -> None:
    """The secretary's wizard numbers her records on its own: her T-001 « Cimetière communal »
    is not the DPO's T-001, and accepting it must not rename the DPO's record."""
    org, t001 = civil_status
    kept = _record(register, t001)
    path = _seal(
        tmp_path, context, {"name": "Cimetière communal", "reference": "T-001", "main_purpose": "x"}
    )
    preview, text, english = _receive(register, path, org)
    [proposal] = preview.proposals
    assert proposal.kind == "new"
    assert (
        f"non rapprochée de T-001 « {CIVIL} », de même référence : elle porte un autre nom" in text
    )
    assert "of the same reference: it bears another name" in english
    accept_exchange(register, preview, [proposal.source_id])
    assert _record(register, t001) == kept
    assert "Cimetière communal" in {a.name for a in services.list_activities(register, org)}
