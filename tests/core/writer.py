"""A process that writes activities one by one and acknowledges each commit on stdout."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from registre import services
from registre.storage import Context, open_register
from tests.conftest import PASSPHRASE, TEST_POLICY

if __name__ == "__main__":
    register = open_register(Path(sys.argv[1]), PASSPHRASE, context=Context(policy=TEST_POLICY))
    organisation = services.list_organisations(register)[0].id
    index = int(sys.argv[2])
    while True:
        services.create_activity(
            register,
            organisation_id=organisation,
            name=f"Écrit n° {index}",
            purposes=[{"description": "x" * 2000}],
        )
        print(index, flush=True)
        index += 1
