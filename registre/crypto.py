"""Key slots: the random data key of a register, wrapped under a passphrase and a recovery key.

The data key opens the SQLCipher database. It is wrapped with AES-256-GCM under a key derived
from the passphrase with Argon2id (parameters stored in the slot, bounds-checked before use) and
sealed to the public half of an X25519 key pair derived from a printable recovery key (160
random bits): a new data key can be sealed for the recovery key without knowing it, so changing
the passphrase renews the data key and the printed recovery key stays valid. The associated
data binds every slot to its register and to its own parameters, so a slot cannot be moved or
its cost lowered silently; a SHA-256 checksum over the whole file, which must also be in its
canonical form, tells a damaged file (any changed byte) from a wrong passphrase.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SLOT_FILE_NAME = "keyslots.json"  # in the register's directory
SLOT_FILE_FORMAT = "registre-keyslots"
SLOT_FILE_VERSION = 2  # 1: no checksum, symmetric recovery slot (still read, upgraded)
LEGACY_SLOT_FILE_VERSION = 1
ASSOCIATED_DATA_VERSION = 1  # part of every slot's associated data: never changes
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
WRAPPED_KEY_BYTES = DATA_KEY_BYTES + 16  # GCM tag
X25519_BYTES = 32
SEALED_RECOVERY = "x25519-hkdf-sha256"
LEGACY_RECOVERY = "hkdf-sha256"

CALIBRATION_MEMORY_CAP_KIB = 256 * 1024

RandomBytes = Callable[[int], bytes]


class SlotFileInvalid(Exception):
    """The key-slot file is malformed or holds parameters outside the accepted bounds."""


class SlotLocked(Exception):
    """No slot of the requested type could be opened with the given secret."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters (memory in KiB)."""

    memory_kib: int
    iterations: int
    lanes: int


@dataclass(frozen=True)
class KdfPolicy:
    """Bounds every stored Argon2id parameter must respect, and the creation target."""

    min_memory_kib: int = 64 * 1024
    max_memory_kib: int = 2 * 1024 * 1024
    min_iterations: int = 2
    max_iterations: int = 16
    max_lanes: int = 16
    target_seconds: float = 0.75
    calibrate: bool = True

    def check(self, params: KdfParams) -> None:
        """Refuse parameters outside the bounds (before any derivation runs)."""
        if not self.min_memory_kib <= params.memory_kib <= self.max_memory_kib:
            raise SlotFileInvalid("memory cost out of bounds")
        if not self.min_iterations <= params.iterations <= self.max_iterations:
            raise SlotFileInvalid("iteration count out of bounds")
        if not 1 <= params.lanes <= self.max_lanes:
            raise SlotFileInvalid("lane count out of bounds")


PRODUCTION_POLICY = KdfPolicy()
"""The default of every ``Context``: the bounds and creation target Registre ships with."""


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalised UTF-8 bytes, so « é » typed on any system derives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


# Argon2id derivations of one process run one at a time: two at once in different threads can
# fail for want of memory or never return (cryptography 50 on OpenSSL 4, its lanes in threads).
_derivation_lock = threading.Lock()


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The 32-byte key-encryption key for ``passphrase``."""
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    with _derivation_lock:
        return kdf.derive(normalise_passphrase(passphrase))


def calibrate(policy: KdfPolicy, clock: Callable[[], float] = time.perf_counter) -> KdfParams:
    """Parameters whose derivation takes about ``policy.target_seconds`` on this machine.

    Memory grows first (up to 256 MiB, which keeps a desktop responsive), then iterations;
    every candidate is measured, since the cost is not linear in memory.
    """
    params = KdfParams(policy.min_memory_kib, max(3, policy.min_iterations), 4)
    if not policy.calibrate:
        return params
    memory_cap = max(policy.min_memory_kib, min(CALIBRATION_MEMORY_CAP_KIB, policy.max_memory_kib))
    for _attempt in range(6):
        started = clock()
        derive_passphrase_key("calibration", b"\0" * SALT_BYTES, params)
        elapsed = max(clock() - started, 1e-3)
        ratio = policy.target_seconds / elapsed
        if 0.85 <= ratio <= 1.2:
            break
        if ratio > 1 and params.memory_kib < memory_cap:
            memory = min(memory_cap, int(params.memory_kib * min(ratio, 4.0)) // 1024 * 1024)
            params = KdfParams(memory, params.iterations, params.lanes)
        else:
            iterations = round(params.iterations * ratio)
            iterations = max(policy.min_iterations, min(policy.max_iterations, iterations))
            if iterations == params.iterations:
                break
            params = KdfParams(params.memory_kib, iterations, params.lanes)
    return params


# --------------------------------------------------------------------------------------------
# Recovery key: 8 groups of 4 Crockford base32 characters, each followed by a check character
# --------------------------------------------------------------------------------------------

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32, no I L O U
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
RECOVERY_BYTES = 20
RECOVERY_GROUPS = 8
GROUP_DATA = 4


class RecoveryKeyTypo(ValueError):
    """The recovery key does not pass its checksum; ``group`` is 1-based (0: wrong length)."""

    def __init__(self, group: int) -> None:
        super().__init__(f"recovery key typo in group {group}")
        self.group = group


def _check_char(group_index: int, chars: str) -> str:
    """Luhn mod 32 check character over the group number and its characters.

    Luhn mod N detects every single-character substitution within the group.
    """
    codes = [group_index % 32] + [_ALPHABET.index(c) for c in chars]
    total = 0
    factor = 2
    for code in reversed(codes):
        addend = factor * code
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return _ALPHABET[(32 - total % 32) % 32]


def format_recovery_key(raw: bytes) -> str:
    """Printable form of a 20-byte recovery secret, e.g. ``ABCD7-…``."""
    if len(raw) != RECOVERY_BYTES:
        raise ValueError("recovery secret must be 20 bytes")
    body = (
        base64.b32encode(raw)
        .decode("ascii")
        .translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET))
    )
    groups = []
    for index in range(RECOVERY_GROUPS):
        chars = body[index * GROUP_DATA : (index + 1) * GROUP_DATA]
        groups.append(chars + _check_char(index, chars))
    return "-".join(groups)


def parse_recovery_key(text: str) -> bytes:
    """The 20-byte secret of a typed recovery key; RecoveryKeyTypo names the faulty group."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLES)
    group_len = GROUP_DATA + 1
    if len(cleaned) != RECOVERY_GROUPS * group_len or any(c not in _ALPHABET for c in cleaned):
        raise RecoveryKeyTypo(0)
    body = []
    for index in range(RECOVERY_GROUPS):
        group = cleaned[index * group_len : (index + 1) * group_len]
        if _check_char(index, group[:GROUP_DATA]) != group[GROUP_DATA]:
            raise RecoveryKeyTypo(index + 1)
        body.append(group[:GROUP_DATA])
    standard = "".join(body).translate(str.maketrans(_ALPHABET, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
    return base64.b32decode(standard)


def derive_recovery_key(raw: bytes, salt: bytes) -> bytes:
    """Key-encryption key of a legacy recovery slot (160 random bits need no slow KDF)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"registre-recovery").derive(
        raw
    )


def recovery_private_key(raw: bytes, salt: bytes) -> X25519PrivateKey:
    """The X25519 private key that the recovery secret stands for (never stored)."""
    seed = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"registre-recovery-x25519"
    ).derive(raw)
    return X25519PrivateKey.from_private_bytes(seed)


def _public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes_raw()


def _seal_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral + public,
        info=b"registre-recovery-seal",
    ).derive(shared)


# --------------------------------------------------------------------------------------------
# Slot file
# --------------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, length: int) -> bytes:
    if not isinstance(text, str):
        raise SlotFileInvalid("expected base64 text")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SlotFileInvalid("invalid base64") from exc
    if len(data) != length:
        raise SlotFileInvalid("unexpected length")
    return data


@dataclass(frozen=True)
class Slot:
    """One wrapped copy of the data key."""

    kind: str  # "passphrase" or "recovery"
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    params: KdfParams | None = None  # Argon2id parameters for passphrase slots
    public_key: bytes | None = None  # sealed recovery slot: the recovery key's public half
    ephemeral_key: bytes | None = None  # sealed recovery slot: the sender's one-time key

    @property
    def kdf_name(self) -> str:
        """How the key-encryption key is obtained."""
        if self.kind == "passphrase":
            return "argon2id"
        return SEALED_RECOVERY if self.public_key is not None else LEGACY_RECOVERY

    def header(self) -> dict[str, Any]:
        """The slot's public description (also part of its associated data)."""
        kdf: dict[str, Any] = {"name": self.kdf_name, "salt": _b64(self.salt)}
        if self.params is not None:
            kdf.update(
                memory_kib=self.params.memory_kib,
                iterations=self.params.iterations,
                lanes=self.params.lanes,
            )
        if self.public_key is not None and self.ephemeral_key is not None:
            kdf.update(public_key=_b64(self.public_key), ephemeral_key=_b64(self.ephemeral_key))
        return {"type": self.kind, "kdf": kdf}


@dataclass(frozen=True)
class SlotFile:
    """The key slots of one register, bound to its identifier and database salt."""

    register_id: str
    db_salt: bytes
    slots: tuple[Slot, ...]
    demo: bool = False

    def associated_data(self, slot: Slot) -> bytes:
        """What the AEAD authenticates besides the key: register, database salt, parameters."""
        bound = {
            "format": SLOT_FILE_FORMAT,
            "version": ASSOCIATED_DATA_VERSION,
            "register_id": self.register_id,
            "db_salt": self.db_salt.hex(),
            "slot": slot.header(),
        }
        return json.dumps(bound, sort_keys=True, separators=(",", ":")).encode()

    def document(self) -> dict[str, Any]:
        """The file's content, without its checksum."""
        return {
            "format": SLOT_FILE_FORMAT,
            "version": SLOT_FILE_VERSION,
            "register_id": self.register_id,
            "db_salt": self.db_salt.hex(),
            "demo": self.demo,
            "slots": [
                {**slot.header(), "nonce": _b64(slot.nonce), "wrapped_key": _b64(slot.wrapped_key)}
                for slot in self.slots
            ],
        }

    def to_json(self) -> bytes:
        """Serialised form written to ``keyslots.json``, checksum included."""
        return serialise_slot_document(self.document())

    @property
    def recovery_slot(self) -> Slot | None:
        """The recovery slot, when there is one."""
        return next((slot for slot in self.slots if slot.kind == "recovery"), None)

    @classmethod
    def from_json(cls, data: bytes, policy: KdfPolicy) -> SlotFile:
        """Parse and validate every field, bound and the checksum; raises SlotFileInvalid."""
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SlotFileInvalid("not JSON") from exc
        if not isinstance(document, dict) or document.get("format") != SLOT_FILE_FORMAT:
            raise SlotFileInvalid("not a key-slot file")
        version = document.get("version")
        if version == SLOT_FILE_VERSION:
            checksum = document.pop("checksum", None)
            if data != serialise_slot_document(document) or checksum != _checksum(document):
                raise SlotFileInvalid("checksum mismatch")
            if set(document) != _DOCUMENT_KEYS:
                raise SlotFileInvalid("unexpected fields")
        elif version != LEGACY_SLOT_FILE_VERSION or isinstance(version, bool):
            raise SlotFileInvalid("unsupported key-slot version")
        elif "checksum" in document:
            raise SlotFileInvalid("checksum in a file of the first version")
        register_id = document.get("register_id")
        db_salt_hex = document.get("db_salt")
        raw_slots = document.get("slots")
        if not isinstance(register_id, str) or len(register_id) != 36:
            raise SlotFileInvalid("bad register id")
        if not isinstance(db_salt_hex, str) or len(db_salt_hex) != 2 * SALT_BYTES:
            raise SlotFileInvalid("bad database salt")
        try:
            db_salt = bytes.fromhex(db_salt_hex)
        except ValueError as exc:
            raise SlotFileInvalid("bad database salt") from exc
        if not isinstance(raw_slots, list) or not raw_slots or len(raw_slots) > 16:
            raise SlotFileInvalid("bad slot list")
        slots = tuple(_parse_slot(raw, policy) for raw in raw_slots)
        if version == LEGACY_SLOT_FILE_VERSION and any(s.public_key for s in slots):
            raise SlotFileInvalid("sealed recovery slot in a file of the first version")
        return cls(register_id, db_salt, slots, bool(document.get("demo", False)))

    @staticmethod
    def is_legacy(data: bytes) -> bool:
        """True for a file written before checksums and sealed recovery slots."""
        try:
            return bool(json.loads(data).get("version") == LEGACY_SLOT_FILE_VERSION)
        except (ValueError, AttributeError):
            return False


_DOCUMENT_KEYS = {"format", "version", "register_id", "db_salt", "demo", "slots"}


def _canonical(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()


def _checksum(document: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(_canonical(document)).hexdigest()


def serialise_slot_document(document: dict[str, Any]) -> bytes:
    """The canonical bytes of a slot-file document, with its checksum."""
    body = {key: value for key, value in document.items() if key != "checksum"}
    return _canonical({**body, "checksum": _checksum(body)})


def _parse_slot(raw: object, policy: KdfPolicy) -> Slot:
    if not isinstance(raw, dict) or not isinstance(raw.get("kdf"), dict):
        raise SlotFileInvalid("bad slot")
    kind = raw.get("type")
    kdf = raw["kdf"]
    salt = _unb64(kdf.get("salt"), SALT_BYTES)
    nonce = _unb64(raw.get("nonce"), NONCE_BYTES)
    wrapped = _unb64(raw.get("wrapped_key"), WRAPPED_KEY_BYTES)
    if kind == "passphrase" and kdf.get("name") == "argon2id":
        values = [kdf.get("memory_kib"), kdf.get("iterations"), kdf.get("lanes")]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise SlotFileInvalid("bad Argon2id parameters")
        params = KdfParams(*values)
        policy.check(params)
        return Slot(kind, salt, nonce, wrapped, params)
    if kind == "recovery" and kdf.get("name") == LEGACY_RECOVERY:
        return Slot(kind, salt, nonce, wrapped)
    if kind == "recovery" and kdf.get("name") == SEALED_RECOVERY:
        public = _unb64(kdf.get("public_key"), X25519_BYTES)
        ephemeral = _unb64(kdf.get("ephemeral_key"), X25519_BYTES)
        try:
            X25519PublicKey.from_public_bytes(public)
            X25519PublicKey.from_public_bytes(ephemeral)
        except ValueError as exc:
            raise SlotFileInvalid("bad recovery public key") from exc
        return Slot(kind, salt, nonce, wrapped, public_key=public, ephemeral_key=ephemeral)
    raise SlotFileInvalid("unknown slot type")


def wrap(
    kek: bytes, data_key: bytes, slot_file: SlotFile, template: Slot, random_bytes: RandomBytes
) -> Slot:
    """A new slot holding ``data_key`` encrypted under ``kek``."""
    nonce = random_bytes(NONCE_BYTES)
    draft = replace(template, nonce=nonce, wrapped_key=b"\0" * WRAPPED_KEY_BYTES)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, slot_file.associated_data(draft))
    return replace(draft, wrapped_key=wrapped)


def unwrap(kek: bytes, slot: Slot, slot_file: SlotFile) -> bytes:
    """The data key in ``slot``; SlotLocked when ``kek`` is not the right key."""
    try:
        return AESGCM(kek).decrypt(slot.nonce, slot.wrapped_key, slot_file.associated_data(slot))
    except InvalidTag as exc:
        raise SlotLocked from exc


def new_passphrase_slot(
    passphrase: str,
    data_key: bytes,
    slot_file: SlotFile,
    params: KdfParams,
    random_bytes: RandomBytes = os.urandom,
) -> Slot:
    """Wrap ``data_key`` under ``passphrase`` with fresh salt and nonce."""
    template = Slot("passphrase", random_bytes(SALT_BYTES), b"", b"", params)
    kek = derive_passphrase_key(passphrase, template.salt, params)
    return wrap(kek, data_key, slot_file, template, random_bytes)


def new_recovery_slot(
    recovery_secret: bytes,
    data_key: bytes,
    slot_file: SlotFile,
    random_bytes: RandomBytes = os.urandom,
) -> Slot:
    """Seal ``data_key`` for the recovery key ``recovery_secret`` stands for."""
    salt = random_bytes(SALT_BYTES)
    public = _public_bytes(recovery_private_key(recovery_secret, salt).public_key())
    return seal_for_recovery(public, salt, data_key, slot_file, random_bytes)


def seal_for_recovery(
    public: bytes,
    salt: bytes,
    data_key: bytes,
    slot_file: SlotFile,
    random_bytes: RandomBytes = os.urandom,
) -> Slot:
    """A recovery slot holding ``data_key``, made with the recovery key's public half only."""
    ephemeral = X25519PrivateKey.from_private_bytes(random_bytes(X25519_BYTES))
    ephemeral_public = _public_bytes(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    template = Slot("recovery", salt, b"", b"", public_key=public, ephemeral_key=ephemeral_public)
    kek = _seal_key(shared, ephemeral_public, public)
    return wrap(kek, data_key, slot_file, template, random_bytes)


def reseal_recovery_slot(
    current: SlotFile,
    data_key: bytes,
    bound_to: SlotFile,
    random_bytes: RandomBytes = os.urandom,
) -> Slot | None:
    """``current``'s recovery slot sealed anew around ``data_key`` for ``bound_to`` (None for a
    slot of the first version, which cannot be renewed without the recovery key)."""
    slot = current.recovery_slot
    if slot is None or slot.public_key is None:
        return None
    return seal_for_recovery(slot.public_key, slot.salt, data_key, bound_to, random_bytes)


def recovery_key_encryption_key(slot: Slot, recovery_secret: bytes) -> bytes:
    """The key that opens ``slot`` if ``recovery_secret`` is the right one."""
    if slot.public_key is None or slot.ephemeral_key is None:
        return derive_recovery_key(recovery_secret, slot.salt)
    private = recovery_private_key(recovery_secret, slot.salt)
    if _public_bytes(private.public_key()) != slot.public_key:
        raise SlotLocked
    shared = private.exchange(X25519PublicKey.from_public_bytes(slot.ephemeral_key))
    return _seal_key(shared, slot.ephemeral_key, slot.public_key)


def open_with_passphrase(slot_file: SlotFile, passphrase: str) -> bytes:
    """The data key, from the first passphrase slot ``passphrase`` opens."""
    for slot in slot_file.slots:
        if slot.kind == "passphrase" and slot.params is not None:
            kek = derive_passphrase_key(passphrase, slot.salt, slot.params)
            try:
                return unwrap(kek, slot, slot_file)
            except SlotLocked:
                continue
    raise SlotLocked


class EarlyUnlock:
    """A register's data key derived in a background thread from the moment the passphrase is
    known, while the caller loads what it needs meanwhile (Argon2id leaves the interpreter free
    as it runs). The slot file is read at the start, as it is then; ``data_key`` gives the
    result only for that same slot file and passphrase, and derives again otherwise (a key
    change finished in between, a file replaced). Any failure of the early reading is left to
    the caller's own reading, which reports it."""

    def __init__(self, slot_path: Path, passphrase: str, policy: KdfPolicy) -> None:
        self._passphrase = normalise_passphrase(passphrase)
        self._slot_file: SlotFile | None = None
        self._key: bytes | None = None
        self._thread = threading.Thread(
            target=self._derive,
            args=(slot_path, passphrase, policy),
            daemon=True,
            name="registre-unlock",
        )
        self._thread.start()

    def _derive(self, slot_path: Path, passphrase: str, policy: KdfPolicy) -> None:
        try:
            slot_file = SlotFile.from_json(slot_path.read_bytes(), policy)
            self._key = open_with_passphrase(slot_file, passphrase)
        except SlotLocked:
            pass  # no key: ``data_key`` says so for this slot file
        except Exception:  # the caller reads the file again and reports the failure
            return
        self._slot_file = slot_file

    def data_key(self, slot_file: SlotFile, passphrase: str) -> bytes:
        """The data key ``passphrase`` opens in ``slot_file`` (SlotLocked when none), given
        once: it is forgotten here as it is handed over."""
        self._thread.join()
        derived, key, same_passphrase = (
            self._slot_file,
            self._key,
            hmac.compare_digest(self._passphrase, normalise_passphrase(passphrase)),
        )
        self._slot_file, self._key, self._passphrase = None, None, b""
        if derived is None or derived != slot_file or not same_passphrase:
            return open_with_passphrase(slot_file, passphrase)
        if key is None:
            raise SlotLocked
        return key


def open_with_recovery(slot_file: SlotFile, recovery_secret: bytes) -> bytes:
    """The data key, from the recovery slot."""
    for slot in slot_file.slots:
        if slot.kind == "recovery":
            try:
                return unwrap(recovery_key_encryption_key(slot, recovery_secret), slot, slot_file)
            except SlotLocked:
                continue
    raise SlotLocked
