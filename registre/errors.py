"""User-facing errors: each has an exit code (the CLI contract), a message and a fix hint.

Anything else raised inside Registre is a bug. Messages are French first, English complete;
``message(lang)`` picks the language.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

# Exit codes of the command-line contract (DESIGN.md).
EXIT_OK = 0
EXIT_GAPS = 1
EXIT_USAGE = 2
EXIT_WRONG_SECRET = 3
EXIT_DAMAGED = 4
EXIT_LOCKED = 5
EXIT_INVALID_INPUT = 6
EXIT_STORAGE = 7


class RegistreError(Exception):
    """An error the user can understand and act on."""

    exit_code: ClassVar[int] = EXIT_USAGE
    text_fr: ClassVar[str] = "Opération impossible."
    text_en: ClassVar[str] = "Operation not possible."
    hint_fr: ClassVar[str] = ""
    hint_en: ClassVar[str] = ""

    def __init__(self, **details: object) -> None:
        self.details = details
        super().__init__(self.message("en"))

    def message(self, lang: str = "fr") -> str:
        """The message with its details filled in, in ``lang``."""
        text = self.text_en if lang == "en" else self.text_fr
        return text.format(**self.details)

    def hint(self, lang: str = "fr") -> str:
        """What the user can do about it, in ``lang`` (may be empty)."""
        text = self.hint_en if lang == "en" else self.hint_fr
        return text.format(**self.details)


class UsageError(RegistreError):
    """The command or its arguments do not make sense."""

    exit_code = EXIT_USAGE
    text_fr = "{reason}"
    text_en = "{reason_en}"


class EmptySecretOnStdin(UsageError):
    """``--passphrase-stdin`` read an empty line where a secret was expected."""

    text_fr = "{what} lue sur l'entrée standard (--passphrase-stdin) est vide."
    text_en = "{what_en} read from standard input (--passphrase-stdin) is empty."
    hint_fr = (
        "Écrivez-la sur une ligne de l'entrée standard, un secret par ligne, dans l'ordre où la "
        "commande les demande (par exemple : printf '%s\\n' \"$PHRASE\" | registre info "
        "REGISTRE --passphrase-stdin), ou définissez la variable {variable} et retirez "
        "--passphrase-stdin."
    )
    hint_en = (
        "Write it on a line of standard input, one secret per line, in the order the command "
        "asks for them (for example: printf '%s\\n' \"$PASSPHRASE\" | registre info REGISTER "
        "--passphrase-stdin), or set the {variable} variable and leave out --passphrase-stdin."
    )


class EmptySecretTyped(UsageError):
    """Nothing was typed at the prompt asking for a secret."""

    text_fr = "{what} tapée au clavier est vide."
    text_en = "{what_en} typed at the prompt is empty."
    hint_fr = (
        "Tapez-la puis appuyez sur Entrée (rien ne s'affiche pendant la saisie), ou définissez "
        "la variable {variable}."
    )
    hint_en = (
        "Type it, then press Enter (nothing is shown while you type), or set the {variable} "
        "variable."
    )


class EmptySecretVariable(UsageError):
    """The environment variable meant to give a secret is set but empty."""

    text_fr = "la variable {variable} est définie mais vide."
    text_en = "The {variable} variable is set but empty."
    hint_fr = (
        "Donnez-lui {what}, ou retirez-la (unset {variable}) pour que la commande la demande."
    )
    hint_en = "Give it {what_en}, or remove it (unset {variable}) so the command asks for it."


class WrongPassphrase(RegistreError):
    """The passphrase does not open any key slot."""

    exit_code = EXIT_WRONG_SECRET
    text_fr = "Phrase de passe incorrecte pour le registre « {register} »."
    text_en = "Wrong passphrase for register “{register}”."
    hint_fr = (
        "Vérifiez la saisie (majuscules, accents). En cas d'oubli, utilisez la clé de "
        "secours (« Phrase de passe oubliée » dans l'application, ou registre recover)."
    )
    hint_en = (
        "Check what you typed (capitals, accents). If forgotten, use the recovery key "
        "(“Passphrase forgotten” in the application, or registre recover)."
    )


class WrongRecoveryKey(RegistreError):
    """The recovery key is well formed but does not open the recovery slot."""

    exit_code = EXIT_WRONG_SECRET
    text_fr = "Cette clé de secours n'ouvre pas le registre « {register} »."
    text_en = "This recovery key does not open register “{register}”."
    hint_fr = "Vérifiez que la feuille de secours est bien celle de ce registre."
    hint_en = "Check that the recovery sheet belongs to this register."


class MistypedRecoveryKey(RegistreError):
    """The recovery key fails its checksum: a typing mistake."""

    exit_code = EXIT_WRONG_SECRET
    text_fr = "La clé de secours contient une faute de frappe (groupe {group})."
    text_en = "The recovery key contains a typing mistake (group {group})."
    hint_fr = "Relisez ce groupe de caractères sur la feuille de secours."
    hint_en = "Read that group of characters again on the recovery sheet."


class RegisterDamaged(RegistreError):
    """The key opened but the database is unreadable, altered or missing."""

    exit_code = EXIT_DAMAGED
    text_fr = "Le registre « {register} » est endommagé ou a été modifié ({reason})."
    text_en = "Register “{register}” is damaged or has been altered ({reason_en})."
    hint_fr = (
        "Ne le modifiez pas. Restaurez la dernière sauvegarde : "
        "registre restore REGISTRE --from SAUVEGARDE."
    )
    hint_en = (
        "Do not modify it. Restore the latest backup: registre restore REGISTER --from BACKUP."
    )


class NotARegister(RegistreError):
    """The path is not a register directory."""

    exit_code = EXIT_USAGE
    text_fr = "« {path} » n'est pas un registre Registre."
    text_en = "“{path}” is not a Registre register."
    hint_fr = "Indiquez le dossier du registre (il se termine souvent par .registre)."
    hint_en = "Give the register's folder (its name often ends with .registre)."


class RegisterNotFound(NotARegister):
    """The register's folder is not there (a typo in its path, a drive not plugged in)."""

    text_fr = "Le registre « {path} » est introuvable : ce dossier n'existe pas."
    text_en = "Register “{path}” not found: this folder does not exist."
    hint_fr = "Vérifiez le chemin du dossier du registre (il se termine souvent par .registre)."
    hint_en = "Check the path of the register's folder (its name often ends with .registre)."


def missing_register(path: Path | str) -> NotARegister:
    """The error for ``path`` when it is not a folder: not found, or not a register."""
    return RegisterNotFound(path=str(path)) if not Path(path).exists() else NotARegister(
        path=str(path)
    )


class RegisterExists(RegistreError):
    """Creating a register where something already exists."""

    exit_code = EXIT_USAGE
    text_fr = "« {path} » existe déjà et n'est pas un dossier vide."
    text_en = "“{path}” already exists and is not an empty folder."
    hint_fr = "Choisissez un autre nom de dossier."
    hint_en = "Choose another folder name."


class NewerRegister(RegistreError):
    """The register was written by a newer version of Registre."""

    exit_code = EXIT_DAMAGED
    text_fr = (
        "Le registre « {register} » a été créé par une version plus récente de Registre "
        "(schéma {found}, cette version lit jusqu'au schéma {supported})."
    )
    text_en = (
        "Register “{register}” was written by a newer version of Registre "
        "(schema {found}; this version reads up to schema {supported})."
    )
    hint_fr = "Installez la dernière version de Registre. Le registre n'a pas été modifié."
    hint_en = "Install the latest version of Registre. The register was not modified."


class RegisterLocked(RegistreError):
    """Another live process holds the register's write lock."""

    exit_code = EXIT_LOCKED
    text_fr = (
        "Le registre « {register} » est déjà ouvert par {user} sur {host} "
        "(processus {pid}) depuis le {since}."
    )
    text_en = (
        "Register “{register}” is already open by {user} on {host} (process {pid}) since {since}."
    )
    hint_fr = "Fermez-le dans l'autre fenêtre, ou ouvrez-le en lecture seule."
    hint_en = "Close it in the other window, or open it read-only."


class ReadOnlyRegister(RegistreError):
    """A change was asked of a register opened read-only."""

    exit_code = EXIT_STORAGE
    text_fr = "Le registre « {register} » est ouvert en lecture seule : modification refusée."
    text_en = "Register “{register}” is open read-only: change refused."
    hint_fr = "Fermez les autres fenêtres qui l'utilisent, puis rouvrez-le."
    hint_en = "Close the other windows using it, then open it again."


class StorageFailure(RegistreError):
    """The operating system refused a write: disk full, read-only media, permission."""

    exit_code = EXIT_STORAGE
    text_fr = "Écriture impossible dans « {path} » : {reason}."
    text_en = "Cannot write to “{path}”: {reason_en}."
    hint_fr = (
        "Libérez de la place ou choisissez un dossier où vous pouvez écrire. "
        "Le registre n'a pas été modifié."
    )
    hint_en = "Free some space or choose a folder you can write to. The register was not modified."


class InvalidValue(RegistreError):
    """A field received a value it cannot hold."""

    exit_code = EXIT_INVALID_INPUT
    text_fr = "Valeur refusée pour « {field} » : {reason}."
    text_en = "Value refused for “{field_en}”: {reason_en}."


class RecordNotFound(RegistreError):
    """A service function was given an identifier that does not exist."""

    exit_code = EXIT_USAGE
    text_fr = "Aucun élément « {entity} » avec l'identifiant {id}."
    text_en = "No “{entity}” with identifier {id}."


class WeakPassphrase(RegistreError):
    """The new passphrase does not meet the CNIL-based policy."""

    exit_code = EXIT_USAGE
    text_fr = "Phrase de passe refusée : {advice}"
    text_en = "Passphrase refused: {advice_en}"


class InvalidBackup(RegistreError):
    """The file given to restore is not a usable backup of a register."""

    exit_code = EXIT_INVALID_INPUT
    text_fr = "« {path} » n'est pas une sauvegarde utilisable : {reason}."
    text_en = "“{path}” is not a usable backup: {reason_en}."
    hint_fr = "Le registre actuel n'a pas été modifié. Choisissez une autre sauvegarde."
    hint_en = "The current register was not modified. Choose another backup."


class OlderRegister(RegistreError):
    """A register of an older schema cannot be upgraded while opened read-only."""

    exit_code = EXIT_STORAGE
    text_fr = (
        "Le registre « {register} » vient d'une version précédente de Registre (schéma {found}) "
        "et doit être mis à jour (schéma {supported}), ce qui est impossible en lecture seule."
    )
    text_en = (
        "Register “{register}” comes from an earlier version of Registre (schema {found}) and "
        "must be upgraded (schema {supported}), which is impossible read-only."
    )
    hint_fr = "Ouvrez-le une fois en écriture ; une sauvegarde est faite avant la mise à jour."
    hint_en = "Open it once for writing; a backup is taken before the upgrade."


class ReplacementPending(StorageFailure):
    """A committed replacement of the register's files could not be completed right away."""

    hint_fr = (
        "La modification est enregistrée : elle sera achevée à la prochaine ouverture du "
        "registre, une fois la place libérée ou l'accès rétabli."
    )
    hint_en = (
        "The change is recorded: it will be completed the next time the register is opened, "
        "once space is freed or access restored."
    )
