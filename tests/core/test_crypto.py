"""Key slots, Argon2id bounds and the printable recovery key."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from registre import crypto
from registre.crypto import (
    PRODUCTION_POLICY,
    KdfParams,
    RecoveryKeyTypo,
    SlotFile,
    SlotFileInvalid,
    format_recovery_key,
    parse_recovery_key,
)
from tests.conftest import TEST_POLICY

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def test_production_parameters_are_the_defaults() -> None:
    code = (
        "from registre import crypto; from registre.context import Context; "
        "p = Context().kdf_policy; "
        "print(p is crypto.PRODUCTION_POLICY, p.min_memory_kib, p.calibrate, p.target_seconds)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    same, memory, calibrate, target = result.stdout.split()
    assert same == "True"
    assert int(memory) >= 64 * 1024  # at least 64 MiB, as designed
    assert calibrate == "True"
    assert 0.5 <= float(target) <= 1.0


def test_recovery_key_round_trips_and_reads_like_groups() -> None:
    raw = os.urandom(20)
    key = format_recovery_key(raw)
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    assert parse_recovery_key(key) == raw
    assert parse_recovery_key(key.lower().replace("-", " ")) == raw


def test_confusable_letters_are_read_as_digits() -> None:
    raw = bytes(20)  # all zeros: every data character is "0"
    key = format_recovery_key(raw)
    assert parse_recovery_key(key.replace("0", "O")) == raw


def test_every_single_character_substitution_is_detected() -> None:
    key = format_recovery_key(bytes(range(20))).replace("-", "")
    for position, original in enumerate(key):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            typed = key[:position] + replacement + key[position + 1 :]
            with pytest.raises(RecoveryKeyTypo) as caught:
                parse_recovery_key(typed)
            assert caught.value.group == position // 5 + 1


def test_wrong_length_is_a_typo_not_a_crash() -> None:
    with pytest.raises(RecoveryKeyTypo):
        parse_recovery_key("ABCD")


def _slot_file(params: KdfParams) -> SlotFile:
    data_key = os.urandom(32)
    base = SlotFile("12345678-1234-1234-1234-123456789012", os.urandom(16), ())
    slot = crypto.new_passphrase_slot("phrase", data_key, base, params)
    return SlotFile(base.register_id, base.db_salt, (slot,))


def _tamper(document: bytes, **kdf: object) -> bytes:
    """Change the parameters and recompute the checksum, as a deliberate attacker would."""
    data = json.loads(document)
    data["slots"][0]["kdf"].update(kdf)
    return crypto.serialise_slot_document(data)


@pytest.mark.parametrize(
    "kdf",
    [
        {"memory_kib": 1024},
        {"memory_kib": 64 * 1024 * 1024},
        {"iterations": 0},
        {"iterations": 10_000},
        {"lanes": 0},
        {"memory_kib": "65536"},
    ],
    ids=[
        "lowered-memory",
        "absurd-memory",
        "no-iterations",
        "absurd-iterations",
        "no-lanes",
        "text-memory",
    ],
)
def test_out_of_bounds_parameters_are_refused_before_any_derivation(
    kdf: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _slot_file(KdfParams(64 * 1024, 3, 4)).to_json()

    def forbidden(*_args: object) -> bytes:
        raise AssertionError("key derivation ran on an invalid slot file")

    monkeypatch.setattr(crypto, "derive_passphrase_key", forbidden)
    with pytest.raises(SlotFileInvalid):
        SlotFile.from_json(_tamper(document, **kdf), PRODUCTION_POLICY)


def test_parameters_lowered_within_bounds_do_not_open_the_slot() -> None:
    slot_file = _slot_file(KdfParams(128, 2, 1))
    tampered = SlotFile.from_json(_tamper(slot_file.to_json(), memory_kib=64), TEST_POLICY)
    with pytest.raises(crypto.SlotLocked):
        crypto.open_with_passphrase(tampered, "phrase")
    assert crypto.open_with_passphrase(
        SlotFile.from_json(slot_file.to_json(), TEST_POLICY), "phrase"
    )


@pytest.mark.parametrize(
    "payload", [b"", b"{", b"[]", b'{"format": "other"}', "é".encode("latin-1")]
)
def test_malformed_slot_files_are_refused(payload: bytes) -> None:
    with pytest.raises(SlotFileInvalid):
        SlotFile.from_json(payload, TEST_POLICY)


def test_passphrase_is_normalised_so_accents_typed_either_way_match() -> None:
    composed = "Clé de l'été"
    decomposed = "Cle\u0301 de l'e\u0301te\u0301"
    params = KdfParams(64, 1, 1)
    salt = os.urandom(16)
    assert crypto.derive_passphrase_key(composed, salt, params) == crypto.derive_passphrase_key(
        decomposed, salt, params
    )
