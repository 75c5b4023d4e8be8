"""Backup and restore of a 10,000-activity register (targets: backup ≤ 2 s, restore ≤ 3 s),
and what a passphrase change costs with and without renewing the data key (printed, no target).

Restore includes what a user waits for: reading the backup, unlocking it (Argon2id, production
parameters), verifying it (integrity_check, cipher_integrity_check) and swapping it in. A
passphrase change unlocks with the old passphrase and derives the new slot (Argon2id twice);
renewing the data key also copies the database under the new key and verifies the copy.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench_core import ACTIVITIES, PASSPHRASE, realistic_activity

from registre import services
from registre.backup import create_backup, restore_backup
from registre.storage import change_passphrase, create_register, open_register

OTHER_PASSPHRASE = "Une-autre-phrase-de-passe-2026"
THIRD_PASSPHRASE = "Encore-une-phrase-de-passe-2027"


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "Sauvegarde.registre"
        register, _ = create_register(directory, PASSPHRASE)
        org = services.create_organisation(register, name="Commune de Banc-d'Essai").id
        services.bulk_create_activities(
            register, organisation_id=org,
            activities=(realistic_activity(i) for i in range(ACTIVITIES)),
        )
        register.close()
        target = Path(tmp) / "copie.registre-backup"
        with open_register(directory, PASSPHRASE, read_only=True) as register:
            started = time.perf_counter()
            create_backup(register, target)
            backup = time.perf_counter() - started
        size_mb = target.stat().st_size / 1e6
        print(f"sauvegarde vérifiée de {ACTIVITIES} traitements ({size_mb:.1f} Mo) : "
              f"{backup:.2f} s (cible ≤ 2 s)")
        started = time.perf_counter()
        restore_backup(directory, target, PASSPHRASE)
        restore = time.perf_counter() - started
        print(f"restauration (lecture, déverrouillage, vérification, échange) : {restore:.2f} s "
              "(cible ≤ 3 s)")
        timings = {}
        for keep, old, new in ((False, PASSPHRASE, OTHER_PASSPHRASE),
                               (True, OTHER_PASSPHRASE, THIRD_PASSPHRASE)):
            started = time.perf_counter()
            change_passphrase(directory, old, new, keep_data_key=keep)
            timings[keep] = time.perf_counter() - started
        size_mb = (directory / "registre.db").stat().st_size / 1e6
        print(f"changement de phrase de passe ({size_mb:.1f} Mo) : nouvelle clé de données "
              f"{timings[False]:.2f} s, clé conservée (--keep-data-key) {timings[True]:.2f} s")
    ok = backup <= 2 and restore <= 3
    print("objectifs atteints" if ok else "OBJECTIF MANQUÉ")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
