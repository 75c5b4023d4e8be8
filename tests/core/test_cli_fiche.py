"""``registre export REG --activity REF --format pdf``: one activity's fiche, read only."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from registre import declaration, services
from registre.storage import Context, create_register
from tests.conftest import PASSPHRASE
from tests.core.test_cli import cli
from tests.core.test_pdf import subset_tags

TRANSFERS = "Les données sortent-elles de l'Union européenne ?"


@pytest.fixture
def register_dir(tmp_path: Path, context: Context, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    directory = tmp_path / "Commune.registre"
    register, _key = create_register(directory, PASSPHRASE, context=context)
    with register:
        org = services.create_organisation(register, name="Commune de <Saint-Test>").id
        services.create_activity(
            register,
            organisation_id=org,
            name='Cantine <img src="file:///etc/passwd">',
            reference="T-001",
            main_purpose="Inscrire les enfants\net facturer les repas",
            data_categories=[
                {"category": "identity", "retention_value": 1, "retention_unit": "years"}
            ],
            todos=declaration.todos_for(["transfers"]),
        )
    return directory


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir()}


def _tool(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def test_the_fiche_of_one_activity_is_written_and_the_register_is_untouched(
    register_dir: Path, tmp_path: Path
) -> None:
    before = _digest(register_dir)
    output = tmp_path / "fiche.pdf"
    code, out, err = cli(
        "export",
        str(register_dir),
        "--activity",
        "T-001",
        "--format",
        "pdf",
        "--output",
        str(output),
    )
    assert code == 0, err
    assert out.strip() == str(output) and "Fiche écrite" in err
    assert _digest(register_dir) == before  # looking never writes
    text = _tool("pdftotext", "-layout", str(output), "-")
    assert "Fiche de traitement" in text
    assert 'Cantine <img src="file:///etc/passwd">' in text  # plain text, never markup
    assert "Organisme : Commune de <Saint-Test>" in text
    assert TRANSFERS in text  # the open to-do
    assert "conservées 1\u00a0an" in text or "conservées 1 an" in text
    assert "page 1 / 1" in text
    fonts = _tool("pdffonts", str(output))
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts
    assert all(len(programs) == 1 for programs in subset_tags(output).values())  # one per subset
    info = _tool("pdfinfo", str(output))
    assert "Title:           Fiche de traitement" in info
    assert "Cantine" not in info  # nothing of the content in the metadata
    pages = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(output), str(pages)], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 1000


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--activity", "T-999", "--format", "pdf"], 2, "T-999"),
        (["--activity", "T-001", "--format", "csv"], 2, "--format pdf"),
    ],
)
def test_a_wrong_activity_or_format_is_a_usage_error(
    register_dir: Path, tmp_path: Path, argv: list[str], code: int, message: str
) -> None:
    output = tmp_path / "fiche.pdf"
    result, _out, err = cli("export", str(register_dir), *argv, "--output", str(output))
    assert result == code and message in err and "Traceback" not in err
    assert not output.exists()


def test_a_wrong_passphrase_writes_nothing(
    register_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", "pas la bonne phrase de passe du tout")
    output = tmp_path / "fiche.pdf"
    code, _out, err = cli(
        "export",
        str(register_dir),
        "--activity",
        "T-001",
        "--format",
        "pdf",
        "--output",
        str(output),
    )
    assert code == 3 and "Phrase de passe incorrecte" in err
    assert not output.exists()


def test_verify_says_a_fiche_is_unsigned_not_altered(register_dir: Path, tmp_path: Path) -> None:
    """A fiche is a working paper: ``verify`` must not tell an auditor it was altered."""
    output = tmp_path / "fiche.pdf"
    argv = ["--activity", "T-001", "--format", "pdf", "--output", str(output)]
    code, _out, err = cli("export", str(register_dir), *argv)
    assert code == 0, err
    code, out, _err = cli("verify", str(output))
    assert code == 4  # not a verified official register (the CLI contract)
    assert "NON vérifiable : le fichier n'est pas signé" in out and "intègre" not in out
    code, out, _err = cli("--lang", "en", "verify", str(output))
    assert code == 4 and "NOT verifiable: the file is not signed" in out and "intact:" not in out
    code, out, _err = cli("verify", str(output), "--json")
    assert json.loads(out)["signed"] is False and json.loads(out)["intact"] is False
