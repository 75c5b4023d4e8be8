"""Slow core calls (Argon2 key derivation, register creation) run outside the GUI thread."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication

from registre.errors import RegistreError
from registre.storage import Register


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

    def _report_crash(self, bug: BaseException) -> None:
        """Hand a bug of the worker thread to the crash handler (runs in the GUI thread)."""
        sys.excepthook(type(bug), bug, bug.__traceback__)


class TaskRunner(QObject):
    """Runs one background task at a time for a dialog, under a wait cursor.

    ``busy_changed`` tells the dialog when to disable its inputs; the callbacks run in the GUI
    thread once the worker thread has ended.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: BackgroundTask | None = None
        self._on_success: Callable[[Any], None] = _ignore
        self._on_failure: Callable[[RegistreError], None] = _ignore

    @property
    def busy(self) -> bool:
        """True while a task runs."""
        return self._task is not None

    def start(
        self,
        function: Callable[[], object],
        on_success: Callable[[Any], None],
        on_failure: Callable[[RegistreError], None],
    ) -> None:
        """Run ``function`` in a worker thread unless a task already runs."""
        if self._task is not None:
            return
        self._on_success, self._on_failure = on_success, on_failure
        self._task = BackgroundTask(function, self)
        self._task.succeeded.connect(self._succeeded)
        self._task.failed.connect(self._failed)
        self._task.finished.connect(self._end)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.busy_changed.emit(True)
        self._task.start()

    def _succeeded(self, result: object) -> None:
        self._end()
        self._on_success(result)

    def _failed(self, error: RegistreError) -> None:
        self._end()
        self._on_failure(error)

    def _end(self) -> None:
        """Let the worker thread finish, then leave the busy state (once per task)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.wait()
        task.deleteLater()
        QApplication.restoreOverrideCursor()
        self.busy_changed.emit(False)


def _ignore(_value: object) -> None:
    """Default callback: nothing to do."""


def hand_over(register: Register) -> Register:
    """Release the worker thread's database connections, so the GUI thread can own ``register``.

    The register's engine keeps one connection per thread; a connection left behind by a worker
    thread would keep the database busy and make ``close()`` fail with « database is locked ».
    """
    register.engine.dispose()
    return register
