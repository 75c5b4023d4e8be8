"""Run the ``registre`` command in a subprocess with the test suite's tiny Argon2 parameters.

Used by tests that need a real separate process (kill -9, resource limits, other users).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from registre.cli import run
from tests.kdf import use_default_policy

if __name__ == "__main__":
    use_default_policy()
    sys.exit(run(sys.argv[1:]))
