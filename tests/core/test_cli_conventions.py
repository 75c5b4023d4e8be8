"""Command-line conventions: fast start, French help end to end, secrets from standard input,
JSON imports, shell completion and the manual pages."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from registre.cli import COMMANDS, EXPORT_CHOICES, run
from registre.interchange import EXPORT_FORMATS
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "reportlab", "pyhanko", "PySide6", "cryptography", "sqlcipher3")
ARGPARSE_ENGLISH = (
    "usage:",
    "positional arguments",
    "show this help message",
    "options:",
    "the following arguments",
    "invalid choice",
    "unrecognized arguments",
)


def cli(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(
        list(argv), out=out, err=err, stdin=io.StringIO(stdin) if stdin is not None else None
    )
    return code, out.getvalue(), err.getvalue()


def _modules_loaded_by(argv: list[str]) -> list[str]:
    script = (
        "import sys, io\n"
        "from registre.cli import run\n"
        f"run({argv!r}, out=io.StringIO(), err=io.StringIO())\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout.replace("'", '"'))


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["info", "--help"], ["completion", "bash"]]
)
def test_light_commands_load_no_heavy_library(argv: list[str]) -> None:
    assert _modules_loaded_by(argv) == []


def test_help_is_french_end_to_end_and_documents_exit_codes_and_environment() -> None:
    code, out, _err = cli("--help")
    assert code == 0
    assert out.startswith("utilisation : registre")
    for english in ARGPARSE_ENGLISH:
        assert english not in out
    for text in (
        "REGISTRE_PASSPHRASE",
        "REGISTRE_NEW_PASSPHRASE",
        "REGISTRE_RECOVERY_KEY",
        "REGISTRE_DATA_DIR",
        "REGISTRE_SIGNING_PASSPHRASE",
        "--passphrase-stdin",
        "codes de sortie :",
        "3   phrase de passe ou clé de secours fausse",
        "5   registre ouvert par un autre programme",
        "7   erreur d'écriture",
    ):
        assert text in out


def test_every_command_help_is_french() -> None:
    _code, summary, _err = cli("--help")
    for command in COMMANDS:
        assert f"    {command} " in summary
        code, out, _err = cli(command, "--help")
        assert code == 0, command
        assert out.startswith(f"utilisation : registre {command}")
        assert f"registre {command} : " in out or command == "completion"
        for english in ARGPARSE_ENGLISH:
            assert english not in out, (command, english)


def test_help_in_english_with_lang_after_the_command() -> None:
    code, out, _err = cli("info", "--help", "--lang", "en")
    assert code == 0
    assert out.startswith("usage: registre info")
    assert "show this help message and exit" in out


@pytest.mark.parametrize(
    ("argv", "french", "english"),
    [
        (["info"], "arguments obligatoires manquants : REGISTRE", "the following arguments"),
        (["export", "x", "--format", "doc", "--output", "y"], "choix invalide : 'doc'",
         "invalid choice"),
        (["info", "x", "--colour"], "arguments non reconnus : --colour", "unrecognized"),
    ],
)
def test_usage_errors_are_french(argv: list[str], french: str, english: str) -> None:
    code, _out, err = cli(*argv)
    assert code == 2
    assert french in err and english not in err


def test_export_choices_follow_the_interchange_formats() -> None:
    assert ("pdf", *EXPORT_FORMATS) == EXPORT_CHOICES


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "Mairie.registre"
    code, _out, err = cli(
        "init", str(path), "--organisation", "Mairie", "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert code == 0, err
    return path


def test_passphrase_from_standard_input(register: Path) -> None:
    code, out, _err = cli("info", str(register), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0 and "Mairie" in out
    code, _out, err = cli("info", str(register), "--passphrase-stdin", stdin="pas la bonne\n")
    assert code == 3 and "Phrase de passe incorrecte" in err
    code, _out, err = cli("info", str(register), "--passphrase-stdin", stdin="")
    assert code == 2 and "--passphrase-stdin" in err


def test_an_empty_passphrase_on_standard_input_says_so_and_how_to_give_it(
    register: Path,
) -> None:
    code, _out, err = cli("info", str(register), "--passphrase-stdin", stdin="\n")
    assert code == 2  # a usage error, per the contract
    assert "saisie vide" not in err
    message, hint = err.splitlines()
    assert message == (
        "Erreur : la phrase de passe lue sur l'entrée standard (--passphrase-stdin) est vide."
    )
    assert "un secret par ligne" in hint and "REGISTRE_PASSPHRASE" in hint
    code, _out, err = cli(
        "info", str(register), "--passphrase-stdin", "--lang", "en", stdin="\n"
    )
    assert code == 2
    assert err.splitlines()[0] == (
        "Error: The passphrase read from standard input (--passphrase-stdin) is empty."
    )
    assert "one secret per line" in err and "REGISTRE_PASSPHRASE" in err
    # the second secret of passwd is named, with its own variable
    code, _out, err = cli(
        "passwd", str(register), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n\n"
    )
    assert code == 2
    assert err.startswith("Erreur : la nouvelle phrase de passe lue sur l'entrée standard")
    assert "REGISTRE_NEW_PASSPHRASE" in err



def test_an_empty_passphrase_variable_says_so_not_wrong_passphrase(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REGISTRE_PASSPHRASE set but empty (a script's unset shell variable) is not a wrong
    passphrase: the command says the variable is empty (usage error), never exit 3."""
    monkeypatch.setenv("REGISTRE_PASSPHRASE", "")
    code, _out, err = cli("info", str(register))
    assert code == 2
    message, hint = err.splitlines()
    assert message == "Erreur : la variable REGISTRE_PASSPHRASE est définie mais vide."
    assert "unset REGISTRE_PASSPHRASE" in hint and "la phrase de passe" in hint
    code, _out, err = cli("--lang", "en", "info", str(register))
    assert code == 2
    assert err.splitlines()[0] == "Error: The REGISTRE_PASSPHRASE variable is set but empty."
    assert "incorrect" not in err.lower()


def test_standard_input_wins_over_the_environment(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", "pas la bonne")
    code, _out, _err = cli("info", str(register), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0


def test_passwd_reads_the_current_then_the_new_passphrase(register: Path) -> None:
    new = "une toute nouvelle phrase de passe pour la mairie"
    code, _out, err = cli(
        "passwd", str(register), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n{new}\n"
    )
    assert code == 0, err
    assert cli("info", str(register), "--passphrase-stdin", stdin=new + "\n")[0] == 0
    assert cli("info", str(register), "--passphrase-stdin", stdin=PASSPHRASE + "\n")[0] == 3


def test_import_json_gives_the_plan_then_what_was_written(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    demo = tmp_path / "Demo.registre"
    assert cli("demo", str(demo))[0] == 0
    exported = tmp_path / "demo.json"
    assert cli("export", str(demo), "--format", "json", "--output", str(exported))[0] == 0
    before = (register / "registre.db").read_bytes()
    code, out, err = cli("import", str(register), str(exported), "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["dry_run"] is True and plan["format"] == "json"
    created = plan["plan"]["counts"]["create"]
    assert created["activity"] > 5
    assert {entry["action"] for entry in plan["plan"]["entries"]} >= {"create"}
    assert (register / "registre.db").read_bytes() == before  # a dry run writes nothing
    code, out, err = cli("import", str(register), str(exported), "--json")
    assert code == 0, err
    done = json.loads(out)
    assert done["dry_run"] is False
    assert done["written"]["counts"]["created"]["activity"] == created["activity"]
    assert all(record["id"] for record in done["written"]["records"])


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_scripts(shell: str) -> None:
    code, out, _err = cli("completion", shell)
    assert code == 0
    assert "registre" in out and "_ARGCOMPLETE" in out


def test_completion_answers_from_the_parser(tmp_path: Path) -> None:
    answer = tmp_path / "completions"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_SHELL": "bash",
        "COMP_LINE": "registre exp",
        "COMP_POINT": "12",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
        "_ARGCOMPLETE_IFS": "\n",
    }
    subprocess.run([sys.executable, "-m", "registre.cli"], env=env, cwd=ROOT, timeout=30,
                   check=False)
    assert answer.read_text().split() == ["export"]
    env["COMP_LINE"] = env["COMP_LINE"] = "registre export X --format "
    env["COMP_POINT"] = str(len(env["COMP_LINE"]))
    subprocess.run([sys.executable, "-m", "registre.cli"], env=env, cwd=ROOT, timeout=30,
                   check=False)
    assert set(answer.read_text().split()) == set(EXPORT_CHOICES)


def test_manual_pages_are_generated_from_the_parsers(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "manpage.py"), str(tmp_path)], check=True,
        capture_output=True,
    )
    french = (tmp_path / "fr" / "man1" / "registre.1").read_text(encoding="utf-8")
    english = (tmp_path / "man1" / "registre.1").read_text(encoding="utf-8")
    assert french.startswith(".TH REGISTRE 1")
    for section in (".SH NOM", ".SH COMMANDES", ".SH VARIABLES D'ENVIRONNEMENT",
                    ".SH CODES DE SORTIE", ".SS registre passwd"):
        assert section in french
    assert ".SH EXIT CODES" in english and "REGISTRE_PASSPHRASE" in english
    assert "\\-\\-passphrase\\-stdin" in french
    app = (tmp_path / "fr" / "man1" / "registre-app.1").read_text(encoding="utf-8")
    assert ".TH REGISTRE-APP 1" in app and "\\-\\-data\\-dir" in app
