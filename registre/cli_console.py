"""How the command line talks: messages in the user's language on stderr, data on stdout,
secrets from the environment, standard input or a prompt (never from argv); its argument
parser turns mistakes into usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from registre.cli_help import (
    PASSPHRASE_ENV,
    HelpFormatter,
)
from registre.errors import (
    EmptySecretOnStdin,
    EmptySecretTyped,
    EmptySecretVariable,
    RegistreError,
    UsageError,
)

if TYPE_CHECKING:
    from registre.crypto import EarlyUnlock


def detect_language(argv: Sequence[str]) -> str:
    """``--lang`` if given, else English for an English locale, else French."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return "en" if argv[index + 1] == "en" else "fr"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "fr"
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "en" if value.startswith("en") else "fr"
    return "fr"


class Console:
    """Bilingual messages on stderr, data on stdout, secrets from standard input on request."""

    def __init__(
        self, lang: str, out: TextIO, err: TextIO, secrets_in: TextIO | None = None
    ) -> None:
        self.lang = lang
        self.out = out
        self.err = err
        self.secrets_in = secrets_in  # set by --passphrase-stdin
        self.passphrase: str | None = None  # the register's passphrase, once read
        # Its key derivation, started as soon as it was read (taken by the opening)
        self.early_unlock: EarlyUnlock | None = None

    def next_secret(
        self,
        what_fr: str = "la phrase de passe",
        what_en: str = "The passphrase",
        variable: str = PASSPHRASE_ENV,
    ) -> str:
        """The next line of standard input (``--passphrase-stdin``), without its line end;
        ``what_fr``/``what_en`` name the secret and ``variable`` its environment variable in
        the message refusing an empty line."""
        assert self.secrets_in is not None
        line = self.secrets_in.readline()
        if not line:
            raise UsageError(
                reason="l'entrée standard ne contient pas le secret attendu (--passphrase-stdin)",
                reason_en="standard input does not hold the expected secret (--passphrase-stdin)",
            )
        secret = line.removesuffix("\n").removesuffix("\r")
        if not secret:
            raise EmptySecretOnStdin(what=what_fr, what_en=what_en, variable=variable)
        return secret

    def t(self, fr: str, en: str) -> str:
        """The text for the current language."""
        return en if self.lang == "en" else fr

    def say(self, fr: str, en: str) -> None:
        """A message for the user (stderr)."""
        print(self.t(fr, en), file=self.err)

    def data(self, text: str) -> None:
        """Output meant for stdout (results, JSON)."""
        print(text, file=self.out)

    def fail(self, error: RegistreError) -> int:
        """Print a user-facing error with its hint; return its exit code."""
        print(self.t("Erreur : ", "Error: ") + error.message(self.lang), file=self.err)
        hint = error.hint(self.lang)
        if hint:
            print(hint, file=self.err)
        return error.exit_code

    def date(self, value: dt.datetime | None) -> str:
        """A timestamp (stored as naive UTC) in local time, French or English style."""
        if value is None:
            return self.t("jamais", "never")
        local = value.replace(tzinfo=dt.UTC).astimezone() if value.tzinfo is None else value
        return local.strftime("%d/%m/%Y à %H:%M" if self.lang == "fr" else "%Y-%m-%d %H:%M")


def _lower_first(text: str) -> str:
    """``text`` with its first letter in lower case (« Clé de secours » → « clé de secours »)."""
    return text[:1].lower() + text[1:]


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors become UsageError (exit 2, bilingual); keeps line breaks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(
            reason=f"commande invalide : {message}", reason_en=f"invalid command: {message}"
        )


def read_passphrase(console: Console, *, confirm: bool = False) -> str:
    """The register's passphrase (read once per command, never from argv)."""
    if console.passphrase is None:
        console.passphrase = read_secret(
            console, PASSPHRASE_ENV, "Phrase de passe : ", "Passphrase: ", confirm=confirm
        )
    return console.passphrase


def read_secret(
    console: Console, variable: str, prompt_fr: str, prompt_en: str, *, confirm: bool = False
) -> str:
    """A secret from standard input with ``--passphrase-stdin``, else from ``variable``, else
    typed at a prompt (twice with ``confirm``). An empty one is refused, saying which secret
    was empty and how to give it (exit 2)."""
    what_fr = "la " + _lower_first(prompt_fr.rstrip(" :"))  # « la clé de secours »
    what_en = "The " + _lower_first(prompt_en.rstrip(" :"))
    if console.secrets_in is not None:
        return console.next_secret(what_fr, what_en, variable)
    from_env = os.environ.get(variable)
    if from_env == "":  # set but empty: never a passphrase nor a key, so not « wrong »
        raise EmptySecretVariable(
            what=_lower_first(what_fr), what_en=_lower_first(what_en), variable=variable
        )
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise UsageError(
            reason=f"définissez {variable}, utilisez --passphrase-stdin ou lancez la commande "
            "dans un terminal",
            reason_en=f"set {variable}, use --passphrase-stdin or run the command in a terminal",
        )
    secret = getpass.getpass(console.t(prompt_fr, prompt_en))
    if confirm and getpass.getpass(console.t("Confirmez : ", "Confirm: ")) != secret:
        raise UsageError(reason="les deux saisies diffèrent", reason_en="the two entries differ")
    if not secret:
        raise EmptySecretTyped(what=what_fr, what_en=what_en, variable=variable)
    return secret
