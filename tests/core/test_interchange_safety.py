"""Import safety: damaged, truncated, protected, oversized or foreign files give exit 6 and leave
the register unchanged; every import is all or nothing; fuzzed files never raise anything else."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from registre import services
from registre.demo import create_demo_register
from registre.errors import EXIT_INVALID_INPUT, EXIT_USAGE
from registre.interchange import (
    InvalidImportFile,
    OrganisationRequired,
    UnsupportedFormat,
    apply_import,
    export_bytes,
    export_register,
    importer,
    plan_import,
    spreadsheets,
)
from registre.storage import Context, Register, create_register
from tests.conftest import PASSPHRASE

TEMPLATE = (
    Path(__file__).parents[1]
    / "fixtures"
    / "interchange"
    / "cnil-registre-traitement-simplifie.ods"
)


def _state(register: Register) -> tuple[Any, ...]:
    organisations = services.list_organisations(register)
    processors = [services.list_records(register, "processor", o.id) for o in organisations]
    return (
        services.list_activities(register),
        organisations,
        processors,
        services.verify_audit(register).entries,
    )


@pytest.fixture
def target(tmp_path: Path, context: Context) -> Any:
    register, _recovery = create_register(tmp_path / "Target.registre", PASSPHRASE, context=context)
    services.create_organisation(register, name="Commune de Test")
    yield register
    register.close()


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One small valid file of each format (the demo CCAS), made once for the module."""
    from tests.kdf import default_policy

    directory = tmp_path_factory.mktemp("valid")
    with default_policy():
        demo, _recovery = create_demo_register(directory / "Demo.registre")
        ccas = next(o for o in services.list_organisations(demo) if o.kind == "ccas")
        files = {
            fmt: export_bytes(demo, fmt, organisation_id=ccas.id)
            for fmt in ("json", "csv", "xlsx", "ods")
        }
        demo.close()
    files["template"] = TEMPLATE.read_bytes()
    return files


def _attempt(register: Register, path: Path) -> str:
    """Import ``path``: success, or InvalidImportFile with the register untouched."""
    before = _state(register)
    try:
        plan = plan_import(register, path)
        report = apply_import(register, plan)
    except InvalidImportFile as exc:
        assert exc.exit_code == EXIT_INVALID_INPUT
        assert exc.message("fr") and exc.message("en")
        assert _state(register) == before
        return "refused"
    created = sum(1 for c in report.changes if c.entity == "activity" and c.action == "created")
    assert len(services.list_activities(register)) == len(before[0]) + created
    assert services.verify_audit(register).intact
    return "imported"


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "ods", "template"])
def test_truncated_and_fuzzed_files_are_refused_or_imported_never_half(
    target: Register, tmp_path: Path, valid_files: dict[str, bytes], fmt: str
) -> None:
    data = valid_files[fmt]
    rng = random.Random(f"fuzz-{fmt}")
    variants = [data[:cut] for cut in (1, 7, 100, len(data) // 3, len(data) // 2, len(data) - 3)]
    for _ in range(14):
        mutant = bytearray(data)
        for _flip in range(rng.choice((1, 3, 30))):
            mutant[rng.randrange(len(mutant))] = rng.randrange(256)
        variants.append(bytes(mutant))
    start = rng.randrange(len(data) // 2)
    variants.append(data[:start] + bytes(rng.randrange(256) for _ in range(500)) + data[start:])
    outcomes = []
    for index, variant in enumerate(variants):
        path = tmp_path / f"variant-{index}.{fmt}"
        path.write_bytes(variant)
        outcomes.append(_attempt(target, path))
    assert "refused" in outcomes


@pytest.mark.parametrize("prefix", [b"", b"PK\x03\x04", b"{", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_random_bytes_are_refused_cleanly(target: Register, tmp_path: Path, prefix: bytes) -> None:
    rng = random.Random(prefix)
    for size in (0, 1, 50, 3000):
        path = tmp_path / f"random-{size}.bin"
        path.write_bytes(prefix + bytes(rng.randrange(256) for _ in range(size)))
        assert _attempt(target, path) == "refused"


def _refusal(register: Register, path: Path) -> str:
    before = _state(register)
    with pytest.raises(InvalidImportFile) as raised:
        plan_import(register, path)
    assert _state(register) == before
    assert raised.value.exit_code == EXIT_INVALID_INPUT
    return raised.value.message("fr")


def test_a_password_protected_workbook_gets_a_clear_message(
    target: Register, tmp_path: Path
) -> None:
    protected = tmp_path / "protege.xlsx"
    protected.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
    )
    assert "protégé par mot de passe" in _refusal(target, protected)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest><manifest:encryption-data manifest:checksum="x"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", bytes(range(256)))
    encrypted = tmp_path / "protege.ods"
    encrypted.write_bytes(buffer.getvalue())
    assert "protégé par mot de passe" in _refusal(target, encrypted)


def test_a_zip_bomb_is_refused_before_parsing(
    target: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED", 2 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (8 * 1024 * 1024))
    bomb = tmp_path / "bombe.xlsx"
    bomb.write_bytes(buffer.getvalue())
    assert bomb.stat().st_size < 100_000
    assert "trop volumineux" in _refusal(target, bomb)


def test_a_sheet_with_absurd_dimensions_is_refused(target: Register, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Nom du traitement"
    sheet.cell(row=1_048_576, column=16_384, value="fin")
    path = tmp_path / "immense.xlsx"
    workbook.save(path)
    assert "trop grande" in _refusal(target, path)


def test_repeated_cells_of_an_ods_are_counted_before_parsing(
    target: Register, tmp_path: Path
) -> None:
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="Bombe">'
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    path = tmp_path / "repete.ods"
    path.write_bytes(buffer.getvalue())
    assert "« Bombe » trop grande" in _refusal(target, path)


def test_an_oversized_file_is_refused_without_reading_it(
    target: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "gros.csv"
    path.write_text("Nom du traitement\n" + "Traitement\n" * 200, encoding="utf-8")
    assert "trop volumineux" in _refusal(target, path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        ("ancien.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".xls"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        ("vide.csv", b"", "vide"),
        ("espaces.json", b"  \n ", "vide"),
        ("liste.json", b"[1, 2, 3]", "pas un export de Registre"),
        ("profond.json", b"[" * 100_000, "JSON"),
        ("tronque.json", b'{"format": "registre", "organ', "tronqué"),
    ],
)
def test_foreign_and_broken_files_are_named_clearly(
    target: Register, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert message in _refusal(target, path)


def test_a_word_document_is_not_a_workbook(target: Register, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    path = tmp_path / "lettre.xlsx"
    path.write_bytes(buffer.getvalue())
    assert "n'est pas un classeur" in _refusal(target, path)


@pytest.mark.parametrize("name", ["registre.xlsx", "REGISTRE.XLSX", "registre.ods"])
def test_a_file_named_as_a_workbook_that_is_not_one_is_refused_not_read_as_text(
    target: Register, tmp_path: Path, name: str
) -> None:
    """Text that a CSV reader would take (a name column, a row) but named .xlsx or .ods."""
    path = tmp_path / name
    path.write_bytes("Nom du traitement;Finalité\nCantine;Repas des élèves\n".encode())
    suffix = path.suffix.lower()
    before = _state(target)
    with pytest.raises(InvalidImportFile) as raised:
        importer.read_import(path)
    assert raised.value.exit_code == EXIT_INVALID_INPUT
    assert f"porte l'extension {suffix} mais ce n'est pas un vrai classeur" in (
        raised.value.message("fr")
    )
    assert "archive ZIP" in raised.value.message("fr")
    assert f"is named {suffix} but is not a real spreadsheet" in raised.value.message("en")
    assert "Rien n'a été importé" in raised.value.hint("fr")
    assert f"porte l'extension {suffix}" in _refusal(target, path)
    assert _state(target) == before  # nothing written
    path.with_suffix(".csv").write_bytes(path.read_bytes())  # the same text as CSV: imported
    assert _attempt(target, path.with_suffix(".csv")) == "imported"


def test_a_missing_file_or_a_folder_is_refused(target: Register, tmp_path: Path) -> None:
    assert "introuvable" in _refusal(target, tmp_path / "absent.csv")
    assert "introuvable" in _refusal(target, tmp_path)


def test_a_failure_while_writing_leaves_nothing_behind(
    target: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "registre.csv"
    path.write_text(
        "Nom du traitement;Sous-traitants;Logiciels utilisés\n"
        "Paie;Paie Services;Logipaie\nCantine;Saveurs;\n",
        encoding="utf-8",
    )
    plan = plan_import(target, path)
    assert {entry.entity for entry in plan.created} == {"activity", "processor", "software"}
    before = _state(target)

    def broken(self: Any) -> None:
        raise OSError(28, "No space left on device")

    from registre.interchange.writer import ActivityWriter

    monkeypatch.setattr(ActivityWriter, "flush", broken)
    with pytest.raises(Exception) as raised:
        apply_import(target, plan)
    assert getattr(raised.value, "exit_code", None) == 7
    assert _state(target) == before
    monkeypatch.undo()
    apply_import(target, plan)
    assert len(services.list_activities(target)) == 2


def test_a_plan_applied_after_the_register_changed_is_matched_again(
    target: Register, tmp_path: Path
) -> None:
    path = tmp_path / "registre.csv"
    path.write_text("Nom du traitement\nPaie\nCantine\n", encoding="utf-8")
    plan = plan_import(target, path)
    organisation_id = services.list_organisations(target)[0].id
    services.create_activity(target, organisation_id=organisation_id, name="Paie")
    report = apply_import(target, plan)
    assert [c.fields["name"][1] for c in report.changes] == ["Cantine"]
    assert sorted(a.name for a in services.list_activities(target)) == ["Cantine", "Paie"]


def test_several_organisations_need_one_to_be_named(target: Register, tmp_path: Path) -> None:
    second = services.create_organisation(target, name="CCAS de Test").id
    path = tmp_path / "registre.csv"
    path.write_text("Nom du traitement\nAide sociale\n", encoding="utf-8")
    with pytest.raises(OrganisationRequired) as raised:
        plan_import(target, path)
    assert raised.value.exit_code == EXIT_USAGE
    assert "CCAS de Test" in raised.value.message("fr")
    apply_import(target, plan_import(target, path, organisation_id=second))
    assert [a.name for a in services.list_activities(target, second)] == ["Aide sociale"]
    with pytest.raises(OrganisationRequired):
        export_bytes(target, "xlsx")
    assert export_bytes(target, "csv", organisation_id=second).startswith(b"\xef\xbb\xbf")


def test_exports_refuse_unknown_formats_and_write_atomically(
    target: Register, tmp_path: Path
) -> None:
    with pytest.raises(UnsupportedFormat) as raised:
        export_register(target, tmp_path / "registre.pdf", "pdf")
    assert raised.value.exit_code == EXIT_USAGE
    output = tmp_path / "registre.json"
    output.write_text("ancien", encoding="utf-8")
    assert export_register(target, output, "json") == output
    assert output.read_bytes().startswith(b"{")
    assert oct(output.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_broken_csv_is_explained_in_french_with_its_line(
    target: Register, tmp_path: Path
) -> None:
    """A quote left open: the French message says which line and what to look for, with no
    English from the csv module in it."""
    path = tmp_path / "traitements.csv"
    path.write_text(
        'Nom du traitement;Finalité principale\nCantine;"Inscrire les enfants\n',
        encoding="utf-8",
    )
    message = _refusal(target, path)
    assert "CSV malformé ou tronqué, ligne 2 : le fichier s'arrête dans une cellule entre " in (
        message
    )
    assert "guillemet non refermé" in message
    assert "unexpected" not in message
