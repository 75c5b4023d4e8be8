"""The Article 30 check of the open register, run in a worker thread after each change.

A check of 10,000 activities takes about a second: it never blocks the window. Changes in
quick succession start one check (``schedule`` waits a moment); a change made while a check
runs starts another one once it is done. The table rows of the findings are rendered in the
worker thread too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from registre.checker import CheckReport, check_register
from registre.errors import RegistreError
from registre.storage import Register
from registre_ui.models import TableRow
from registre_ui.tasks import BackgroundTask, hand_over

DEBOUNCE_MS = 250


@dataclass(frozen=True)
class CheckResult:
    """A check report and the rendered rows of its findings."""

    report: CheckReport
    rows: list[TableRow]


class CheckRunner(QObject):
    """Checks ``register()`` in the background; ``finished`` carries a ``CheckResult``."""

    finished = Signal(object)
    failed = Signal(object)  # a RegistreError

    def __init__(
        self,
        register: Callable[[], Register],
        render: Callable[[CheckReport], list[TableRow]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._register = register
        self._render = render
        self._task: BackgroundTask | None = None
        self._again = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        self.last: CheckResult | None = None

    @property
    def busy(self) -> bool:
        """True while a check runs or waits to start."""
        return self._task is not None or self._timer.isActive()

    def schedule(self) -> None:
        """Check again in a moment (changes in quick succession make one check)."""
        self._stopped = False
        self._timer.start()

    def run(self) -> None:
        """Start a check now (or right after the one running)."""
        self._stopped = False
        self._timer.stop()
        if self._task is not None:
            self._again = True
            return
        register = self._register()
        if register.closed:
            return
        render = self._render

        def work() -> CheckResult:
            report = check_register(register)
            return CheckResult(report, render(report))

        task = BackgroundTask(work, self)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.finished.connect(self._task_finished)  # a method: runs in this (GUI) thread
        self._task = task
        task.start()

    def _succeeded(self, result: CheckResult) -> None:
        if self._stopped:
            return
        self.last = result
        self.finished.emit(result)

    def _failed(self, error: RegistreError) -> None:
        if not self._stopped:
            self.failed.emit(error)

    def _task_finished(self) -> None:
        task = self.sender()
        if task is None or task is not self._task:
            return
        task.wait()
        task.deleteLater()
        self._task = None
        self._release()
        if self._again and not self._stopped:
            self._again = False
            self.run()

    def stop(self) -> None:
        """Wait for the running check and forget its result (the register is being closed)."""
        self._stopped = True
        self._again = False
        self._timer.stop()
        task, self._task = self._task, None
        if task is not None:
            task.wait()
            task.deleteLater()
            self._release()
        self.last = None

    def _release(self) -> None:
        """Close the worker thread's database connection (the register must close alone)."""
        register = self._register()
        if not register.closed:
            hand_over(register)
