"""User-facing errors (``RegistreError``) shown as their message and what to do about it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from registre.errors import RegisterLocked, RegistreError
from registre_ui.i18n import language
from registre_ui.values import format_moment


def error_message(error: RegistreError) -> str:
    """The error's message in the interface language, moments in local time.

    A register open elsewhere says who has it, on which computer and since when
    (« le 2 décembre 2026 à 14 h 05 »), without the technical process number.
    """
    if isinstance(error, RegisterLocked) and error.details.get("user") not in (None, "?"):
        return QCoreApplication.translate(
            "messages", "Le registre « {register} » est déjà ouvert par {user} sur {host} {since}."
        ).format(
            register=error.details.get("register", ""),
            user=error.details.get("user", ""),
            host=error.details.get("host", ""),
            since=QCoreApplication.translate("messages", "depuis {moment}").format(
                moment=format_moment(str(error.details.get("since", "")))
            ),
        )
    return error.message(language())


def error_text(error: RegistreError) -> str:
    """The error's message followed by its hint, in the interface language."""
    hint = error.hint(language())
    message = error_message(error)
    return f"{message}\n{hint}" if hint else message


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str = "",
) -> QMessageBox:
    """A window-modal message box, deleted once closed, showing plain text (never markup)."""
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setInformativeText(details)
    return box


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    details: str,
    go: str,
    stay: str,
    on_go: Callable[[], object],
) -> QMessageBox:
    """Ask before going on (without blocking): ``stay`` is the default and Escape's answer,
    ``on_go`` runs only when ``go`` is chosen."""
    box = message_box(parent, QMessageBox.Icon.Warning, title, text, details)
    go_button = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    stay_button = box.addButton(stay, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay_button)
    box.setEscapeButton(stay_button)
    go_button.clicked.connect(on_go)
    box.open()
    return box


def show_error(parent: QWidget | None, error: RegistreError) -> QMessageBox:
    """Open a warning box with the error's message and hint (never a traceback)."""
    box = message_box(
        parent,
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("messages", "Opération impossible"),
        error_message(error),
        error.hint(language()),
    )
    box.open()
    return box
