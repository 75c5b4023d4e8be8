"""Is a register intact? Database pages, audit chain and its anchor, key file, backups.

``registre info`` and the application show this report; any problem in it means « damaged or
altered » (exit 4), except a failed automatic backup, which is a warning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from registre import crypto, journal
from registre.audit import ChainReport, Difference, replay_differences
from registre.backup import BackupStatus, backup_status
from registre.layout import SLOTS_NAME
from registre.storage import Register, integrity_problems


@dataclass(frozen=True)
class KeyFileState:
    """What the key-slot file holds, checked beyond its checksum."""

    version: int
    recovery: str  # "sealed", "first-version" (renewed at the next passphrase change), "missing"

    @property
    def sound(self) -> bool:
        """True when the register can still be recovered with its recovery key."""
        return self.recovery != "missing"


@dataclass(frozen=True)
class Health:
    """The integrity report of one open register."""

    database_problems: list[str]
    chain: ChainReport
    anchor_problem: tuple[str, str] | None
    key_file: KeyFileState
    backups: BackupStatus
    differences: list[Difference] | None = None  # None when the replay was not asked for
    notes: list[str] = field(default_factory=list)

    def problems(self, lang: str = "fr") -> list[str]:
        """Every finding that makes the register « damaged or altered », in ``lang``."""
        found = list(self.database_problems)
        if not self.chain.intact:
            found.append(
                f"chain broken at entry {self.chain.first_broken_seq}"
                if lang == "en"
                else f"chaîne rompue à l'entrée {self.chain.first_broken_seq}"
            )
        if self.anchor_problem is not None:
            found.append(self.anchor_problem[1 if lang == "en" else 0])
        if not self.key_file.sound:
            found.append(
                "no recovery slot in the key file"
                if lang == "en"
                else "aucune clé de secours dans le fichier de clés"
            )
        if self.differences:
            found.append(self.differences[0].message(lang))
        return found


def key_file_state(register: Register) -> KeyFileState:
    """Version of the key file and structure of its recovery slot (already parsed and checked:
    the register is open)."""
    path = journal.committed_path(register.directory, SLOTS_NAME)
    data = path.read_bytes()
    slot_file = crypto.SlotFile.from_json(data, register.context.kdf_policy)
    version = int(json.loads(data)["version"])
    recoveries = [slot for slot in slot_file.slots if slot.kind == "recovery"]
    if len(recoveries) != 1:
        return KeyFileState(version, "missing")
    return KeyFileState(version, "sealed" if recoveries[0].public_key else "first-version")


def register_health(register: Register, *, deep: bool = False) -> Health:
    """Check everything that can be checked without the recovery key; ``deep`` also replays
    the audit trail against the records."""
    from registre.services import verify_audit  # services builds on storage, like this module

    problems = integrity_problems(register)
    chain = verify_audit(register)
    differences = None
    if deep and not problems:
        with register.read() as session:
            differences = replay_differences(session)
    return Health(
        database_problems=problems,
        chain=chain,
        anchor_problem=None if problems else register.anchor_problem(),
        key_file=key_file_state(register),
        backups=backup_status(register.directory),
        differences=differences,
    )
