"""Fault injection for the batch export: the worker process writing one organisation's PDF
dies (SIGKILL, as the system's out-of-memory killer does), half-way through writing its file.

Never imported by the test process itself: ``batch_runner.py`` names it in the forkserver's
preload, so that only the worker processes forked from that server carry it. The worker that
exports the organisation ``STOPPING`` writes half of its PDF into the temporary file the real
``write_atomic`` would use, then kills itself; every other export runs unchanged.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from registre import official_export

STOPPING = "Commune de Brest"
_write_atomic = official_export.write_atomic


def _dying_write_atomic(path: Path, data: bytes) -> None:
    if path.name.startswith(f"Registre - {STOPPING}"):
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    _write_atomic(path, data)


official_export.write_atomic = _dying_write_atomic
