"""The audit chain's head, kept outside the database so that a shortened trail shows.

The chain links every entry to the previous one, so an entry changed or removed in the middle
breaks it; but removing the last entries leaves a shorter chain that still verifies. After each
commit that adds entries, ``audit-anchor.json`` records the last entry's number and hash, signed
with an HMAC under a key derived from the data key (so only someone who can open the register
can write a valid anchor). The chain must then contain the anchored entry: fewer entries, or a
different hash at that number, means the trail was shortened or rewritten. A chain longer than
its anchor is the trace of a crash between a commit and the anchor's update: the anchor catches
up at the next opening for writing.

What it does not stop — someone who has the passphrase can rewrite the database and sign a
matching anchor, or put back an older database together with its older anchor — is said in
``docs/reliability.md``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from registre.files import storage_failure, write_atomic

ANCHOR_NAME = "audit-anchor.json"
ANCHOR_FORMAT = "registre-audit-anchor"


@dataclass(frozen=True)
class Anchor:
    """The head of the audit chain as last committed: entry number and hash."""

    register_id: str
    seq: int
    hash: str


def _mac_key(data_key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"registre-audit-anchor"
    ).derive(data_key)


def _signed_part(anchor: Anchor) -> bytes:
    return json.dumps(
        {
            "format": ANCHOR_FORMAT,
            "register_id": anchor.register_id,
            "seq": anchor.seq,
            "hash": anchor.hash,
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def anchor_bytes(anchor: Anchor, data_key: bytes) -> bytes:
    """The anchor file's content, signed."""
    mac = hmac.new(_mac_key(data_key), _signed_part(anchor), hashlib.sha256).hexdigest()
    document = json.loads(_signed_part(anchor))
    document["mac"] = mac
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()


def write_anchor(folder: Path, anchor: Anchor, data_key: bytes) -> None:
    """Replace the anchor in ``folder`` atomically."""
    write_atomic(Path(folder) / ANCHOR_NAME, anchor_bytes(anchor, data_key))


class AnchorInvalid(Exception):
    """The anchor file is missing, unreadable, not signed with this register's key or not its."""

    def __init__(self, reason_fr: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_fr = reason_fr
        self.reason_en = reason_en


def read_anchor(path: Path, data_key: bytes, register_id: str) -> Anchor:
    """The anchor at ``path``, its signature and register checked; AnchorInvalid otherwise."""
    try:
        document = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise AnchorInvalid("ancre du journal absente", "audit anchor missing") from None
    except OSError as exc:
        raise storage_failure(path, exc) from exc
    except ValueError:
        raise AnchorInvalid("ancre du journal illisible", "unreadable audit anchor") from None
    try:
        anchor = Anchor(str(document["register_id"]), int(document["seq"]), str(document["hash"]))
        mac = str(document["mac"])
    except (KeyError, TypeError, ValueError):
        raise AnchorInvalid("ancre du journal illisible", "unreadable audit anchor") from None
    expected = hmac.new(_mac_key(data_key), _signed_part(anchor), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected) or document.get("format") != ANCHOR_FORMAT:
        raise AnchorInvalid("ancre du journal non authentique", "audit anchor not authentic")
    if anchor.register_id != register_id:
        raise AnchorInvalid("ancre d'un autre registre", "anchor of another register")
    return anchor
