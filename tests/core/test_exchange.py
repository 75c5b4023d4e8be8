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
    assert {f.key for f in changed.fields} >= {"main_purpose", "data_subjects", "status"}
    text = preview_text(preview)
    assert "Inscrire les enfants → Inscrire les enfants et suivre les allergies" in text
    assert "[nouvelle fiche] Cimetière" in text
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
