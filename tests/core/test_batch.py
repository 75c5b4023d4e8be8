"""Batch work: one signed PDF per organisation on several processes, and bulk edits."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from registre import services
from registre.batch import (
    Cancelled,
    bulk_label,
    bulk_preview,
    bulk_update,
    export_all_organisations,
    file_name,
)
from registre.cli import run
from registre.errors import InvalidValue, RecordNotFound, UsageError
from registre.interchange.json_format import export_document
from registre.publications import changes_since_publication
from registre.signing import verify_pdf
from registre.storage import Register, open_register
from registre.undo import UndoStack
from registre.workspace import register_overview
from tests.conftest import PASSPHRASE


@pytest.fixture
def three(register: Register) -> list[str]:
    ids = []
    for name in ("Commune d'Arles", "Commune de Brest", "CCAS de Brest/Ouest"):
        org = services.create_organisation(register, name=name).id
        services.create_activity(register, organisation_id=org, name="Cantine", reference="T-001")
        services.create_activity(
            register, organisation_id=org, name="État civil", reference="T-002"
        )
        ids.append(org)
    return ids


def test_one_signed_pdf_per_organisation_on_two_processes(
    register: Register, three: list[str], tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    result = export_all_organisations(
        register, tmp_path / "pdf", workers=2, progress=lambda d, t, _n: seen.append((d, t))
    )
    assert not result.failed and not result.cancelled
    names = sorted(path.name for path in (tmp_path / "pdf").iterdir())
    assert names == [
        "Registre - CCAS de Brest Ouest.pdf",  # the slash cannot be in a file name
        "Registre - Commune d Arles.pdf",
        "Registre - Commune de Brest.pdf",
    ]
    for written in result.written:
        verdict = verify_pdf(written.result.path)
        assert verdict.intact and verdict.sha256 == written.result.sha256
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    # Each file is recorded: audit entry with its SHA-256, publication of its organisation.
    recorded = {
        entry["changes"]["sha256"]
        for entry in services.audit_entries(register, limit=100)
        if entry["action"] == "exported"
    }
    assert recorded == {w.result.sha256 for w in result.written}
    assert all(line.last_export is not None for line in register_overview(register).lines)
    assert all(changes.unchanged for changes in changes_since_publication(register))


def test_a_cancelled_batch_sends_nothing_more(
    register: Register, three: list[str], tmp_path: Path
) -> None:
    cancelled = Cancelled()
    cancelled.set()
    result = export_all_organisations(register, tmp_path / "pdf", cancelled=cancelled)
    assert result.cancelled and result.written == []
    assert list((tmp_path / "pdf").iterdir()) == []


def _with_a_worker_killed(*argv: str) -> subprocess.CompletedProcess[str]:
    """``batch_runner.py``: the worker writing « Commune de Brest »'s PDF is killed (SIGKILL)
    half-way through writing its file, each time it tries."""
    return subprocess.run(
        [sys.executable, str(Path(__file__).parent / "batch_runner.py"), *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "REGISTRE_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_a_killed_worker_is_reported_and_the_other_pdfs_are_kept(
    register: Register, three: list[str], tmp_path: Path
) -> None:
    register.close()
    folder = tmp_path / "pdf"
    argv = ["export", str(register.directory), "--format", "pdf", "--all-organisations"]
    done = _with_a_worker_killed("cli", *argv, "--output", str(folder), "--workers", "2")
    assert done.returncode == 7, done.stderr
    assert "2 PDF signés écrits" in done.stderr
    assert "Échec pour « Commune de Brest » :\nErreur : Le processus qui mettait en page" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr and "Erreur interne" not in done.stderr
    # The others written, signed and recorded; nothing half-written left in the folder.
    assert sorted(path.name for path in folder.iterdir()) == [
        "Registre - CCAS de Brest Ouest.pdf",
        "Registre - Commune d Arles.pdf",
    ]
    with open_register(register.directory, PASSPHRASE, read_only=True) as reopened:
        recorded = {
            entry["changes"]["file"]: entry["changes"]["sha256"]
            for entry in services.audit_entries(reopened, limit=100)
            if entry["action"] == "exported"
        }
    assert sorted(recorded) == sorted(path.name for path in folder.iterdir())
    for path in folder.iterdir():
        verdict = verify_pdf(path)
        assert verdict.intact and verdict.sha256 == recorded[path.name]


def test_the_output_must_be_a_folder(register: Register, three: list[str], tmp_path: Path) -> None:
    target = tmp_path / "registre.pdf"
    target.write_bytes(b"x")
    with pytest.raises(UsageError):
        export_all_organisations(register, target)


def test_file_names_keep_only_safe_characters() -> None:
    assert (
        file_name("Commune de Saint-Étienne", "full") == "Registre - Commune de Saint-Étienne.pdf"
    )
    assert file_name("../../etc", "art30") == "Registre - etc - extrait article 30.pdf"


def test_bulk_edit_is_one_undo_step(register: Register, three: list[str]) -> None:
    ids = [a.id for a in services.list_activities(register)]
    stack = UndoStack(register)
    changes = bulk_update(
        register, activity_ids=ids, field_key="general_retention", value="5 ans après la clôture"
    )
    assert len(changes) == 6
    stack.push_group(
        changes,
        label_fr=bulk_label("general_retention", 6),
        label_en=bulk_label("general_retention", 6, "en"),
    )
    assert stack.undo_text() == (
        "Annuler la modification de « Durée de conservation générale » sur 6 traitements"
    )
    stack.undo()
    assert {services.record_of(register, "activity", i)["general_retention"] for i in ids} == {None}
    stack.redo()
    assert {services.record_of(register, "activity", i)["general_retention"] for i in ids} == {
        "5 ans après la clôture"
    }


def test_a_refused_bulk_value_changes_nothing(register: Register, three: list[str]) -> None:
    ids = [a.id for a in services.list_activities(register)]
    entries = len(services.audit_entries(register, limit=1000))
    with pytest.raises(InvalidValue):
        bulk_update(register, activity_ids=ids, field_key="legal_basis", value="n'importe quoi")
    with pytest.raises(UsageError):
        bulk_update(register, activity_ids=ids, field_key="name", value="Même nom")
    assert len(services.audit_entries(register, limit=1000)) == entries


def test_a_bulk_edit_failing_midway_leaves_no_trace(register: Register, three: list[str]) -> None:
    """One transaction: the activities already changed are not changed back by hand (which
    would leave two audit entries each), their change is simply never committed."""
    ids = [a.id for a in services.list_activities(register)]
    head = services.audit_entries(register, limit=1000)
    with pytest.raises(RecordNotFound):
        bulk_update(
            register, activity_ids=[*ids, "pas-un-traitement"], field_key="referent", value="DPO"
        )
    assert services.audit_entries(register, limit=1000) == head
    assert {services.record_of(register, "activity", i)["referent"] for i in ids} == {None}


def test_the_bulk_preview_says_what_changes_and_writes_nothing(
    register: Register, three: list[str]
) -> None:
    ids = [a.id for a in services.list_activities(register)][:2]
    services.update_activity(register, ids[0], legal_basis="6.1.e")
    head = services.audit_entries(register, limit=1000)
    lines = bulk_preview(register, activity_ids=ids, field_key="legal_basis", value="6.1.e")
    assert [line.changes for line in lines] == [False, True]
    assert lines[1].before == "—" and lines[1].after.startswith("Mission d'intérêt public")
    english = bulk_preview(
        register, activity_ids=ids, field_key="legal_basis", value="6.1.e", lang="en"
    )
    assert english[1].after.startswith("Public task")
    with pytest.raises(InvalidValue):
        bulk_preview(register, activity_ids=ids, field_key="legal_basis", value="?")
    assert services.audit_entries(register, limit=1000) == head


def test_export_all_organisations_command(
    register: Register, three: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register.close()
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    out, err = io.StringIO(), io.StringIO()
    argv = ["export", str(register.directory), "--format", "pdf", "--all-organisations"]
    code = run([*argv, "--output", str(tmp_path / "pdf"), "--workers", "2"], out=out, err=err)
    assert code == 0, err.getvalue()
    assert out.getvalue().count("SHA-256") == 3 and "3 PDF signés écrits" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = run(
        [
            "export",
            str(register.directory),
            "--format",
            "csv",
            "--all-organisations",
            "--output",
            str(tmp_path / "csv"),
            "--lang",
            "en",
        ],
        out=out,
        err=err,
    )
    assert code == 2 and "--all-organisations goes with --format pdf" in err.getvalue()


def test_bulk_edit_command(
    register: Register, three: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    register.close()
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    path = str(register.directory)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        [
            "bulk-edit",
            path,
            "--organisation",
            "Commune de Brest",
            "--field",
            "dpia_status",
            "--value",
            "not_needed",
        ],
        out=out,
        err=err,
    )
    assert code == 0, err.getvalue()
    assert "2 traitement(s) modifié(s) sur 2." in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = run(
        [
            "bulk-edit",
            path,
            "--organisation",
            "Commune de Brest",
            "--field",
            "nope",
            "--value",
            "x",
            "--lang",
            "en",
        ],
        out=out,
        err=err,
    )
    assert code == 2 and "no field “nope”" in err.getvalue()


def test_bulk_edit_dry_run_shows_each_change_and_writes_nothing(
    register: Register, three: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = export_document(register)
    before.pop("exported_at")  # the export's own time, not the register's content
    trail = services.audit_entries(register, limit=1000)
    register.close()
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    out, err = io.StringIO(), io.StringIO()
    arguments = ["bulk-edit", str(register.directory), "--organisation", "Commune de Brest"]
    arguments += ["--field", "dpia_status", "--value", "not_needed", "--dry-run"]
    code = run(arguments, out=out, err=err)
    assert code == 0, err.getvalue()
    assert out.getvalue().splitlines() == [
        "T-001 — Cantine : — → Non nécessaire (évaluation faite)",
        "T-002 — État civil : — → Non nécessaire (évaluation faite)",
    ]
    assert "Aperçu : 2 traitement(s) changerai(en)t sur 2 ; rien n'a été écrit." in err.getvalue()
    reopened = open_register(register.directory, PASSPHRASE, context=register.context)
    try:
        after = export_document(reopened)
        after.pop("exported_at")
        assert after == before
        assert services.audit_entries(reopened, limit=1000) == trail
    finally:
        reopened.close()
