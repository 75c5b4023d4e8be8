"""What can go wrong with a team register, said to its user (French first, English complete)."""

from __future__ import annotations

from registre.errors import (
    EXIT_DAMAGED,
    EXIT_STORAGE,
    EXIT_USAGE,
    EXIT_WRONG_SECRET,
    RegistreError,
)


class PasswordInUrl(RegistreError):
    """A password written in the URL would end up in the shell history and process list."""

    exit_code = EXIT_USAGE
    text_fr = "L'adresse du registre d'équipe ne doit pas contenir de mot de passe."
    text_en = "The team register's address must not contain a password."
    hint_fr = (
        "Retirez-le de l'adresse : il est lu dans PGPASSWORD, dans le fichier .pgpass ou "
        "demandé à l'ouverture."
    )
    hint_en = (
        "Remove it from the address: it is read from PGPASSWORD, from the .pgpass file or "
        "asked for when opening."
    )


class InvalidServerAddress(RegistreError):
    """The URL cannot be understood by libpq."""

    exit_code = EXIT_USAGE
    text_fr = "Adresse de serveur invalide : {reason}."
    text_en = "Invalid server address: {reason}."
    hint_fr = "Forme attendue : postgresql://utilisateur@serveur/base?sslmode=verify-full"
    hint_en = "Expected form: postgresql://user@server/database?sslmode=verify-full"


class ServerLoginRefused(RegistreError):
    """The server refused the role's password (or none was given)."""

    exit_code = EXIT_WRONG_SECRET
    text_fr = "Le serveur « {server} » refuse la connexion de « {user} » : {reason}."
    text_en = "Server “{server}” refuses the connection of “{user}”: {reason}."
    hint_fr = (
        "Vérifiez le mot de passe (PGPASSWORD, fichier .pgpass ou saisie) ; votre service "
        "informatique peut le réinitialiser."
    )
    hint_en = (
        "Check the password (PGPASSWORD, .pgpass file or prompt); your IT department can "
        "reset it."
    )


class ServerUnreachable(RegistreError):
    """The server cannot be reached, or the connection was lost."""

    exit_code = EXIT_STORAGE
    text_fr = "Le serveur du registre d'équipe « {server} » ne répond pas : {reason}."
    text_en = "The team register's server “{server}” does not answer: {reason}."
    hint_fr = (
        "Vérifiez le réseau et l'adresse, ou contactez votre service informatique. Rien n'a "
        "été modifié."
    )
    hint_en = "Check the network and the address, or contact your IT department. Nothing changed."


class ServerRefused(RegistreError):
    """The server refused an operation (missing right, row-level security)."""

    exit_code = EXIT_STORAGE
    text_fr = "Le serveur « {server} » refuse l'opération : {reason}."
    text_en = "Server “{server}” refuses the operation: {reason}."
    hint_fr = "Votre rôle ne le permet pas : demandez au DPO ou au service informatique."
    hint_en = "Your role does not allow it: ask the DPO or the IT department."


class NotATeamRegister(RegistreError):
    """The database holds no team register (or not a complete one)."""

    exit_code = EXIT_USAGE
    text_fr = "La base « {server} » ne contient pas de registre d'équipe."
    text_en = "Database “{server}” holds no team register."
    hint_fr = "Créez-le d'abord : registre server init ADRESSE --name NOM."
    hint_en = "Create it first: registre server init ADDRESS --name NAME."


class TeamRegisterExists(RegistreError):
    """``server init`` on a database that already holds tables."""

    exit_code = EXIT_USAGE
    text_fr = "La base « {server} » n'est pas vide : aucun registre n'a été créé."
    text_en = "Database “{server}” is not empty: no register was created."
    hint_fr = "Utilisez une base vide, créée pour Registre par votre service informatique."
    hint_en = "Use an empty database created for Registre by your IT department."


class TeamRegisterDamaged(RegistreError):
    """The team register's contents are inconsistent (identity, schema)."""

    exit_code = EXIT_DAMAGED
    text_fr = "Le registre d'équipe « {server} » est incohérent ({reason})."
    text_en = "Team register “{server}” is inconsistent ({reason_en})."
    hint_fr = "Restaurez la dernière sauvegarde : registre restore ADRESSE --from SAUVEGARDE."
    hint_en = "Restore the latest backup: registre restore ADDRESS --from BACKUP."


class NotForTeamRegister(RegistreError):
    """A command that only makes sense for a register folder was given a URL."""

    exit_code = EXIT_USAGE
    text_fr = "« registre {command} » ne s'applique pas à un registre d'équipe : {reason}"
    text_en = "“registre {command}” does not apply to a team register: {reason_en}"
