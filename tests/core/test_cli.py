"""The ``registre`` command line: exit codes, messages, data on stdout."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from registre import services
from registre.cli import run
from registre.crypto import parse_recovery_key
from registre.storage import SCHEMA_VERSION, Context, open_register
from tests.conftest import PASSPHRASE


def cli(*argv: str, context: Context | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err, context=context)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def initialised(tmp_path: Path, passphrase_env: None) -> Path:
    path = tmp_path / "Commune-de-Lunel.registre"
    code, _out, err = cli("init", str(path), "--organisation", "Commune de Lunel")
    assert code == 0, err
    return path


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir()}


def test_init_prints_the_recovery_key_once_on_stdout(tmp_path: Path, passphrase_env: None) -> None:
    code, out, err = cli("init", str(tmp_path / "X.registre"), "--organisation", "Commune de X")
    assert code == 0
    assert parse_recovery_key(out.strip())
    assert "Clé de secours" in err and "Registre créé" in err


def test_init_writes_the_recovery_key_file_privately(tmp_path: Path, passphrase_env: None) -> None:
    key_file = tmp_path / "cle-de-secours.txt"
    code, out, _err = cli(
        "init",
        str(tmp_path / "X.registre"),
        "--organisation",
        "X",
        "--recovery-key-file",
        str(key_file),
    )
    assert code == 0 and out == ""
    assert parse_recovery_key(key_file.read_text(encoding="ascii"))
    assert key_file.stat().st_mode & 0o077 == 0


def test_info_reports_organisations_counts_and_integrity(initialised: Path) -> None:
    code, out, _err = cli("info", str(initialised))
    assert code == 0
    assert "Commune de Lunel" in out
    assert "Intégrité de la base : intacte" in out
    assert "chaîne intègre" in out


def test_info_json_is_machine_readable(initialised: Path) -> None:
    code, out, _err = cli("info", str(initialised), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["organisations"][0]["name"] == "Commune de Lunel"
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["integrity"] == {
        "database": "ok",
        "audit_chain": "ok",
        "audit_entries": 2,  # the organisation, then the signing key
        "audit_first_broken_entry": None,
        "audit_anchor": "ok",
        "audit_anchor_problem": None,
        "audit_replay": "not_run",
        "audit_replay_first_difference": None,
        "key_file_version": 2,
        "recovery_slot": "sealed",
    }
    assert document["backups"]["automatic_backup_failure"] is None


def test_info_in_english(initialised: Path) -> None:
    code, out, _err = cli("--lang", "en", "info", str(initialised))
    assert code == 0 and "Database integrity: intact" in out


def test_wrong_passphrase_exits_3_and_changes_nothing(
    initialised: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _digest(initialised)
    monkeypatch.setenv("REGISTRE_PASSPHRASE", "mauvaise phrase")
    code, out, err = cli("info", str(initialised))
    assert code == 3 and out == ""
    assert "Phrase de passe incorrecte" in err and "Traceback" not in err
    assert _digest(initialised) == before
    code, _out, err = cli("--lang", "en", "info", str(initialised))
    assert code == 3 and "Wrong passphrase" in err


def test_damaged_register_exits_4_with_the_restore_hint(initialised: Path) -> None:
    db = initialised / "registre.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0x01
    db.write_bytes(bytes(data))
    code, _out, err = cli("info", str(initialised))
    assert code == 4
    assert "endommagé" in err and "registre restore" in err and "Traceback" not in err


def test_not_a_register_is_a_usage_error(tmp_path: Path, passphrase_env: None) -> None:
    code, _out, err = cli("info", str(tmp_path))
    assert code == 2 and "n'est pas un registre" in err


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["info"], ["init", "X.registre"]])
def test_usage_errors_exit_2_in_french(argv: list[str]) -> None:
    code, _out, err = cli(*argv)
    assert code == 2 and err.startswith("Erreur : ")


def test_without_passphrase_and_terminal_the_user_is_told_what_to_do(
    initialised: Path, monkeypatch
) -> None:
    monkeypatch.delenv("REGISTRE_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = cli("info", str(initialised))
    assert code == 2 and "REGISTRE_PASSPHRASE" in err


def test_registre_imports_without_qt() -> None:
    code = (
        "import sys, registre, registre.cli, registre.services, registre.storage, registre.demo; "
        "print(any(m.startswith(('PySide6', 'shiboken6', 'ui')) for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_console_script_reports_its_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "registre.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("registre ")


def test_check_reports_gaps_by_article_and_exits_1(initialised: Path) -> None:
    code, out, _err = cli("check", str(initialised))
    assert code == 1
    assert "Commune de Lunel" in out and "[erreur]" in out


def test_check_json_and_unknown_organisation(initialised: Path) -> None:
    code, out, _err = cli("check", str(initialised), "--json")
    assert code == 1
    document = json.loads(out)
    assert any(f["severity"] == "error" for f in document["findings"])
    code, _out, err = cli("check", str(initialised), "--organisation", "inconnu")
    assert code == 2 and "inconnu" in err


def test_check_of_the_demo_register_exits_1_with_findings(
    tmp_path: Path, passphrase_env: None
) -> None:
    path = tmp_path / "Demo.registre"
    assert cli("demo", str(path))[0] == 0
    code, out, _err = cli("--lang", "en", "check", str(path))
    assert code == 1 and "Restauration scolaire" in out


def test_templates_lists_the_catalogue() -> None:
    code, out, _err = cli("templates", "--json")
    assert code == 0
    document = json.loads(out)
    assert len(document["templates"]) >= 40
    assert {"id", "name", "version"} <= set(document["templates"][0])
    code, out, _err = cli("templates")
    assert code == 0 and "etat-civil" in out


def test_new_creates_an_activity_from_a_template(initialised: Path) -> None:
    code, out, err = cli("new", str(initialised), "--template", "etat-civil")
    assert code == 0, err
    assert "créé à partir du modèle etat-civil" in err
    with open_register(initialised, PASSPHRASE, read_only=True) as register:
        record = services.record_of(register, "activity", out.strip())
    assert record["template_id"] == "etat-civil" and record["template_version"]
    assert record["data_categories"] and record["legal_basis"]
    code, _out, err = cli("new", str(initialised), "--template", "inexistant")
    assert code == 2 and "inexistant" in err


def test_export_pdf_then_verify_intact_and_altered(initialised: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "registre.pdf"
    code, out, err = cli("export", str(initialised), "--format", "pdf", "--output", str(pdf))
    assert code == 0, err
    assert out.splitlines()[0] == str(pdf) and "SHA-256" in out
    code, out, _err = cli("verify", str(pdf))
    assert code == 0 and out.startswith("Intact")
    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 0x20
    pdf.write_bytes(bytes(data))
    code, out, _err = cli("--lang", "en", "verify", str(pdf))
    assert code == 4 and "NOT intact" in out


def test_export_json_and_import_it_into_another_register(
    initialised: Path, tmp_path: Path, passphrase_env: None
) -> None:
    exported = tmp_path / "registre.json"
    assert cli("export", str(initialised), "--format", "json", "--output", str(exported))[0] == 0
    other = tmp_path / "Autre.registre"
    assert cli("init", str(other), "--organisation", "Autre commune")[0] == 0
    code, out, _err = cli("import", str(other), str(exported), "--dry-run")
    assert code == 0 and "À créer : 1 organisme" in out
    code, out, _err = cli("import", str(other), str(exported))
    assert code == 0 and "terminé" in out
    broken = tmp_path / "tronque.json"
    broken.write_bytes(exported.read_bytes()[:40])
    code, _out, err = cli("import", str(other), str(broken))
    assert code == 6 and "Rien n'a été importé" in err


def test_init_can_write_the_printable_recovery_sheet(tmp_path: Path, passphrase_env: None) -> None:
    sheet = tmp_path / "feuille-de-secours.pdf"
    code, out, err = cli(
        "init",
        str(tmp_path / "X.registre"),
        "--organisation",
        "Commune de X",
        "--recovery-sheet",
        str(sheet),
    )
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", str(sheet), "-"], capture_output=True, text=True, check=True
    ).stdout
    groups = out.strip().split("-")
    assert "Feuille de secours" in text and "Commune de X" in text
    assert all(group in text.split() for group in groups), text
    fonts = subprocess.run(
        ["pdffonts", str(sheet)], capture_output=True, text=True, check=True
    ).stdout
    assert "Helvetica" not in fonts and all(
        line.split()[-5] == "yes" for line in fonts.splitlines()[2:]
    )
    assert sheet.stat().st_mode & 0o077 == 0


def test_init_creates_the_signing_identity_named_after_the_organisation(
    initialised: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "registre.pdf"
    assert cli("export", str(initialised), "--format", "pdf", "--output", str(pdf))[0] == 0
    code, out, _err = cli("verify", str(pdf))
    assert code == 0 and "Registre — Commune de Lunel" in out


def test_verify_json_and_expected_fingerprint_and_info_show_the_signer(
    initialised: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "registre.pdf"
    assert cli("export", str(initialised), "--format", "pdf", "--output", str(pdf))[0] == 0
    code, out, _err = cli("info", str(initialised), "--json")
    fingerprint = json.loads(out)["signing_certificate"]["fingerprint"]
    assert code == 0 and re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    code, out, _err = cli("verify", str(pdf), "--json")
    report = json.loads(out)
    assert code == 0 and report["intact"] and not report["trusted"]
    assert report["fingerprint"] == report["printed_fingerprint"] == fingerprint
    assert report["signer"] == "Registre — Commune de Lunel"
    code, out, _err = cli("verify", str(pdf), "--expect-fingerprint", fingerprint.upper())
    assert code == 0 and "Signataire vérifié" in out
    code, out, _err = cli("verify", str(pdf), "--json", "--expect-fingerprint", "ab" * 32)
    assert code == 4 and json.loads(out)["intact"] is False
    code, _out, err = cli("verify", str(pdf), "--expect-fingerprint", "1234")
    assert code == 2 and "64" in err
