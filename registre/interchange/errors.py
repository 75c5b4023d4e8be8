"""User-facing errors of imports and exports (exit codes of the command-line contract)."""

from __future__ import annotations

from registre.errors import EXIT_INVALID_INPUT, EXIT_USAGE, RegistreError


class InvalidImportFile(RegistreError):
    """The file cannot be imported: damaged, truncated, protected, too large or of a wrong type.

    Raised before anything is written, so the register is left exactly as it was.
    """

    exit_code = EXIT_INVALID_INPUT
    text_fr = "Import impossible de « {path} » : {reason}."
    text_en = "Cannot import “{path}”: {reason_en}."
    hint_fr = (
        "Rien n'a été importé, le registre n'a pas été modifié. Vérifiez le fichier "
        "(formats acceptés : export JSON de Registre, modèle CNIL en ODS ou XLSX, CSV)."
    )
    hint_en = (
        "Nothing was imported; the register was not modified. Check the file (accepted: "
        "Registre JSON export, CNIL template as ODS or XLSX, CSV)."
    )


class OrganisationRequired(RegistreError):
    """The register holds several organisations (or none) and the command did not say which."""

    exit_code = EXIT_USAGE
    text_fr = "Précisez l'organisme concerné ({reason})."
    text_en = "Say which organisation is concerned ({reason_en})."
    hint_fr = "Indiquez son identifiant avec --organisation (voir registre info)."
    hint_en = "Give its identifier with --organisation (see registre info)."


class UnsupportedFormat(RegistreError):
    """An export format that Registre does not write."""

    exit_code = EXIT_USAGE
    text_fr = "Format d'export inconnu « {format} » (formats : {choices})."
    text_en = "Unknown export format “{format}” (formats: {choices})."


def invalid(path: object, reason: str, reason_en: str) -> InvalidImportFile:
    """Shorthand for an InvalidImportFile about ``path``."""
    return InvalidImportFile(path=str(path), reason=reason, reason_en=reason_en)
