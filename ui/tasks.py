"""Slow core calls (Argon2 key derivation, register creation) run outside the GUI thread."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from registre.errors import RegistreError


class BackgroundTask(QThread):
    """Runs one function in its own thread and reports its result or its user-facing error.

    ``succeeded`` carries the result and ``failed`` a ``RegistreError``; any other exception is
    a bug and goes to ``sys.excepthook`` (the crash dialog) in the GUI thread.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    _crashed = Signal(object)

    def __init__(self, function: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._function = function
        self._crashed.connect(self._report_crash)

    def run(self) -> None:
        """Call the function (in the worker thread)."""
        try:
            result = self._function()
        except RegistreError as error:
            self.failed.emit(error)
        except Exception as bug:  # reported in the GUI thread, never swallowed
            self._crashed.emit(bug)
        else:
            self.succeeded.emit(result)

    @staticmethod
    def _report_crash(bug: BaseException) -> None:
        sys.excepthook(type(bug), bug, bug.__traceback__)
