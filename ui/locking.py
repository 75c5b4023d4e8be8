"""The automatic lock: a register window locks itself after a while without keyboard or mouse.

``InactivityWatcher`` watches the user's input across the whole application and reports when
none came for the delay set in the preferences (10 minutes by default).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from registre_ui.widgets import NOTICE_STYLE, heading_label, plain_label

USER_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.ShortcutOverride,
    }
)


class InactivityWatcher(QObject):
    """Emits ``timed_out`` when no user input came for ``delay_ms`` milliseconds."""

    timed_out = Signal()

    def __init__(self, delay_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.timed_out)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def delay_ms(self) -> int:
        """The delay, in milliseconds."""
        return self._timer.interval()

    def set_delay(self, delay_ms: int) -> None:
        """Change the delay (counting starts again)."""
        self._timer.setInterval(delay_ms)
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        """Start counting."""
        self._timer.start()

    def stop(self) -> None:
        """Stop counting (the register is locked)."""
        self._timer.stop()

    @property
    def active(self) -> bool:
        """True while counting."""
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any keyboard or mouse input starts the count again."""
        if event.type() in USER_INPUT and self._timer.isActive():
            self._timer.start()
        return False


class LockedPage(QWidget):
    """What a locked register window shows: why its content is hidden, unlock or close."""

    def __init__(self, register_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        title = heading_label(translate("RegisterWindow", "Registre verrouillé"), scale=1.5)
        self.message = plain_label(
            translate(
                "RegisterWindow",
                "Le registre « {name} » est verrouillé : son contenu est masqué et sa clé a été "
                "effacée de la mémoire. Saisissez la phrase de passe pour continuer.",
            ).format(name=register_name)
        )
        self.message.setStyleSheet(NOTICE_STYLE)
        self.unlock_button = QPushButton(translate("RegisterWindow", "&Déverrouiller…"))
        self.close_button = QPushButton(translate("RegisterWindow", "&Fermer le registre"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(title)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch(2)
