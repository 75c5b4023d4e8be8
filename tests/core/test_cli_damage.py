"""What `registre info` says about a damaged register: a few lines a person can read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from registre.cli import run
from registre.demo import create_demo_register
from registre.layout import DB_NAME
from tests.conftest import PASSPHRASE

PAGE = 4096


def test_a_damaged_page_is_reported_in_a_few_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One damaged page makes SQLite list a hundred internal lines: the command shows five
    under « Détails techniques », counts the rest, and ends with the French message and its
    hint (exit 4)."""
    directory = tmp_path / "Commune.registre"
    register, _ = create_demo_register(directory, PASSPHRASE)
    register.close()
    database = directory / DB_NAME
    data = bytearray(database.read_bytes())
    page = len(data) // PAGE // 2
    data[page * PAGE + 100 : page * PAGE + 164] = b"\x13" * 64
    database.write_bytes(bytes(data))
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    out, err = io.StringIO(), io.StringIO()
    assert run(["info", str(directory)], out=out, err=err) == 4
    lines = err.getvalue().splitlines()
    assert lines[0] == "Détails techniques :"
    assert f"HMAC verification failed for page {page + 1}" in lines[1]
    assert lines[6].startswith("  … et ") and lines[6].endswith(" autres lignes")
    assert lines[7:] == [
        "Erreur : Le registre « Commune » est endommagé ou a été modifié "
        "(contrôle d'intégrité échoué).",
        "Ne le modifiez pas. Restaurez la dernière sauvegarde : "
        "registre restore REGISTRE --from SAUVEGARDE.",
    ]
    assert out.getvalue() == ""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_mistyped_register_path_is_said_before_the_passphrase_is_read(
    tmp_path: Path, lang: str
) -> None:
    """A register folder that does not exist is named as not found, and the passphrase waiting
    on standard input is never read (at a terminal: never asked for)."""
    secrets = io.StringIO(PASSPHRASE + "\n")
    out, err = io.StringIO(), io.StringIO()
    missing = tmp_path / "Comune.registre"
    code = run(
        ["info", str(missing), "--passphrase-stdin", "--lang", lang],
        out=out,
        err=err,
        stdin=secrets,
    )
    assert code == 2
    assert secrets.tell() == 0
    expected = {
        "fr": f"Erreur : Le registre « {missing} » est introuvable : ce dossier n'existe pas.\n"
        "Vérifiez le chemin du dossier du registre (il se termine souvent par .registre).\n",
        "en": f"Error: Register “{missing}” not found: this folder does not exist.\n"
        "Check the path of the register's folder (its name often ends with .registre).\n",
    }
    assert err.getvalue() == expected[lang]
