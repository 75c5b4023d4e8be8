"""The key derivation a command starts as soon as it has the passphrase (``crypto.EarlyUnlock``):
one derivation when the slot file is unchanged, the same answers as the ordinary opening
otherwise, and no derivation at all from a slot file whose parameters are out of bounds."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from registre import crypto, services
from registre.errors import NotARegister, RegisterDamaged, WrongPassphrase
from registre.storage import change_passphrase, open_register
from tests.conftest import PASSPHRASE, TEST_POLICY

NEW_PASSPHRASE = "une toute autre phrase de passe pour la mairie"


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the Argon2id derivations (each appends its memory cost)."""
    counted: list[int] = []
    derive: Callable[..., bytes] = crypto.derive_passphrase_key

    def counting(passphrase: str, salt: bytes, params: crypto.KdfParams) -> bytes:
        counted.append(params.memory_kib)
        return derive(passphrase, salt, params)

    monkeypatch.setattr(crypto, "derive_passphrase_key", counting)
    return counted


def _early(directory: Path, passphrase: str) -> crypto.EarlyUnlock:
    return crypto.EarlyUnlock(directory / crypto.SLOT_FILE_NAME, passphrase, TEST_POLICY)


def test_the_early_derivation_opens_the_register_without_a_second_one(
    closed_register: Path, derivations: list[int]
) -> None:
    early = _early(closed_register, PASSPHRASE)
    with open_register(closed_register, PASSPHRASE, early_unlock=early) as register:
        names = [o.name for o in services.list_organisations(register)]
    assert names == ["Commune de Sèvres-Anxaumont"]
    assert len(derivations) == 1


def test_a_wrong_passphrase_is_refused_as_without_it(
    closed_register: Path, derivations: list[int]
) -> None:
    early = _early(closed_register, "pas la bonne phrase")
    with pytest.raises(WrongPassphrase):
        open_register(closed_register, "pas la bonne phrase", early_unlock=early)
    assert len(derivations) == 1


def test_a_key_change_finished_meanwhile_is_followed(
    closed_register: Path, derivations: list[int]
) -> None:
    early = _early(closed_register, PASSPHRASE)
    change_passphrase(closed_register, PASSPHRASE, NEW_PASSPHRASE, keep_data_key=True)
    with pytest.raises(WrongPassphrase):  # the old passphrase no longer opens the new slots
        open_register(closed_register, PASSPHRASE, read_only=True, early_unlock=early)
    early = _early(closed_register, PASSPHRASE)  # started with the old one, opened with the new
    with open_register(
        closed_register, NEW_PASSPHRASE, read_only=True, early_unlock=early
    ) as register:
        assert len(services.list_organisations(register)) == 1


def test_out_of_bounds_parameters_are_never_derived(
    closed_register: Path, derivations: list[int]
) -> None:
    slots = closed_register / crypto.SLOT_FILE_NAME
    document: dict[str, Any] = json.loads(slots.read_bytes())
    document.pop("checksum")
    document["slots"][0]["kdf"]["memory_kib"] = 64 * 1024 * 1024  # 64 GiB
    document["checksum"] = crypto._checksum(document)
    slots.write_bytes(crypto.serialise_slot_document(document))
    early = _early(closed_register, PASSPHRASE)
    with pytest.raises(RegisterDamaged):
        open_register(closed_register, PASSPHRASE, early_unlock=early)
    assert derivations == []


def test_a_missing_register_gives_the_usual_message(tmp_path: Path) -> None:
    early = _early(tmp_path / "Absent.registre", PASSPHRASE)
    with pytest.raises(NotARegister):
        open_register(tmp_path / "Absent.registre", PASSPHRASE, early_unlock=early)


def test_the_command_line_derives_the_key_once_and_says_a_wrong_passphrase_plainly(
    closed_register: Path, tmp_path: Path
) -> None:
    """In a fresh interpreter, as a user runs it: one derivation for ``registre check``, and a
    wrong passphrase gets its French message and exit code 3, no traceback."""
    script = (
        "import sys; from registre import crypto; from tests.kdf import use_default_policy; "
        "use_default_policy(); derive = crypto.derive_passphrase_key; count = []; "
        "crypto.derive_passphrase_key = lambda *a: count.append(1) or derive(*a); "
        "from registre.cli import run; code = run(sys.argv[1:]); "
        "print('derivations', len(count), file=sys.stderr); sys.exit(code)"
    )
    root = Path(__file__).resolve().parents[2]

    def check(passphrase: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, "check", str(closed_register)],
            capture_output=True,
            text=True,
            cwd=root,
            env={
                "PATH": "/usr/bin:/bin",
                "REGISTRE_PASSPHRASE": passphrase,
                "REGISTRE_DATA_DIR": str(tmp_path / "data"),
                "LANG": "fr_FR.UTF-8",
            },
            check=False,
        )

    found = check(PASSPHRASE)
    assert found.returncode in (0, 1) and "derivations 1" in found.stderr
    wrong = check("pas la bonne phrase")
    assert wrong.returncode == 3
    assert "phrase de passe" in wrong.stderr.lower() and "Traceback" not in wrong.stderr
    assert "derivations 1" in wrong.stderr


def test_derivations_in_two_threads_at_once_both_finish() -> None:
    """The early derivation runs in a thread while another may start (a key change, a second
    register): both finish with the right key, one after the other."""
    params = crypto.KdfParams(64, 1, 4)
    expected = crypto.derive_passphrase_key(PASSPHRASE, bytes(16), params)
    results: list[bytes] = []

    def derive_many() -> None:
        for _ in range(20):
            results.append(crypto.derive_passphrase_key(PASSPHRASE, bytes(16), params))

    threads = [threading.Thread(target=derive_many, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert results == [expected] * 40
