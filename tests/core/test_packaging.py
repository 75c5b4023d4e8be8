"""What a release ships: licence and notices, lock file and audit, wheel and sdist, desktop
integration files, Windows installer inputs."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import audit  # noqa: E402
import check_lock  # noqa: E402

LINUX = ROOT / "packaging" / "linux"


def test_the_licence_is_the_full_eupl() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in text and "Compatible Licences" in text
    assert len(text) > 12_000


def test_the_third_party_notices_are_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "notices.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    notices = (ROOT / "packaging" / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    for component in ("PySide6_Essentials", "GNU LESSER GENERAL PUBLIC LICENSE",
                      "GNU GENERAL PUBLIC LICENSE", "ZETETIC LLC", "PYTHON SOFTWARE FOUNDATION",
                      "SQLAlchemy", "reportlab", "pyHanko", "lxml", "pillow", "cryptography"):
        assert component in notices, component


def test_the_lock_pins_every_requirement_of_the_project() -> None:
    assert check_lock.disagreements() == []
    pins = check_lock.pins()
    assert "pyinstaller" in pins and "pyside6-essentials" in pins
    lock = check_lock.LOCK.read_text(encoding="utf-8")
    assert "--hash=sha256:" in lock and "sys_platform == 'win32'" in lock  # hashed, universal


def test_a_new_or_raised_dependency_is_reported(tmp_path: Path) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    changed = pyproject.replace('"argcomplete>=3.5",', '"argcomplete>=99", "keyring>=25.0",')
    assert changed != pyproject
    (tmp_path / "pyproject.toml").write_text(changed, encoding="utf-8")
    problems = check_lock.disagreements(pyproject=tmp_path / "pyproject.toml")
    assert len(problems) == 2
    assert any("keyring>=25.0 is not in the lock" in p for p in problems)
    assert any(p.startswith("argcomplete>=99 but the lock pins argcomplete==") for p in problems)


def test_an_audit_that_could_not_check_is_no_all_clear() -> None:
    unreachable = {"dependencies": [
        {"name": "yarl", "version": "1.25.1",
         "skip_reason": "Dependency not found on PyPI and could not be audited"},
        {"name": "attrs", "version": "26.1.0", "vulns": []},
    ], "fixes": []}
    code, lines = audit.verdict(unreachable, "pypi")
    assert code == 1 and "no verdict" in lines[-1]
    vulnerable = {"dependencies": [{"name": "x", "version": "1", "vulns": [{"id": "GHSA-1"}]}]}
    assert audit.verdict(vulnerable, "osv") == (1, ["audit: x 1: GHSA-1"])
    clean = {"dependencies": [{"name": "x", "version": "1", "vulns": []}]}
    assert audit.verdict(clean, "osv")[0] == 0


def test_the_desktop_entry_is_valid_and_offers_registre_for_backups_only() -> None:
    desktop = LINUX / "fr.registre.Registre.desktop"
    done = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and done.stdout == "", done.stdout
    entry = desktop.read_text(encoding="utf-8")
    assert "MimeType=application/x-registre-backup;\n" in entry
    assert "inode/directory" not in entry
    assert "StartupWMClass=Registre\n" in entry  # the class Qt gives the windows


def test_the_mime_definition_is_understood_by_shared_mime_info(tmp_path: Path) -> None:
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    (packages / "fr.registre.Registre.xml").write_bytes(
        (LINUX / "fr.registre.Registre.xml").read_bytes()
    )
    subprocess.run(["update-mime-database", str(tmp_path / "mime")], check=True,
                   capture_output=True)
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert "60:application/x-registre-backup:*.registre-backup" in globs
    assert (tmp_path / "mime" / "application" / "x-registre-backup.xml").is_file()


def test_the_windows_icon_holds_every_size() -> None:
    with Image.open(ROOT / "resources" / "icons" / "registre.ico") as icon:
        sizes = sorted(icon.ico.sizes())  # type: ignore[attr-defined]
    assert sizes == [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]


def test_the_installer_takes_its_version_from_the_package() -> None:
    init = (ROOT / "registre" / "__init__.py").read_text(encoding="utf-8")
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+"$', init, re.MULTILINE)
    script = (ROOT / "packaging" / "windows" / "registre.iss").read_text(encoding="utf-8")
    assert "registre\\__init__.py" in script and "AppVersion={#AppVersion}" in script
    assert not re.search(r'define AppVersion "\d', script)
    assert 'System.ItemName:""*.registre"""' in script
    assert 'Registre.Backup\\shell\\open\\command"; ValueType: string; ValueName: ""; ' \
        'ValueData: """{app}\\registre-app.exe"" ""%1"""' in script
    assert "LicenseFile=..\\..\\LICENSE" in script


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(output), str(ROOT)],
        check=True, capture_output=True,
    )
    return next(output.glob("registre-*.whl"))


def test_the_wheel_carries_compiled_translations_man_pages_and_licences(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "registre_resources/translations/registre_en.qm" in names
    data = [n for n in names if ".data/data/share/man/" in n]
    assert sorted(n.split("/share/man/")[1] for n in data) == [
        "fr/man1/registre-app.1", "fr/man1/registre.1", "man1/registre-app.1", "man1/registre.1"
    ]
    licences = [n.split("/licenses/")[1] for n in names if "/licenses/" in n]
    assert sorted(licences) == ["LICENSE", "packaging/THIRD-PARTY-NOTICES.txt"]
    assert not [n for n in names if n.startswith(("tests/", "packaging/", "bench/"))]


def test_the_wheel_installs_only_names_no_other_project_uses(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.startswith("registre-")}
    assert top == {"registre", "registre_ui", "registre_resources"}
    assert "registre_ui/launcher.py" in names and "registre_resources/icons/registre.svg" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "registre-app = registre_ui.launcher:main" in zipfile.ZipFile(wheel).read(
        entry_points
    ).decode()


OLD_NAMES = re.compile(
    r"^\s*(from ui[. ]|import ui\b)|-m ui\.|files\(\"resources\"\)|^\s*import resources\b",
    re.MULTILINE,
)


def test_the_code_uses_the_installed_names() -> None:
    """The checkout's folders ui/ and resources/ are imported as registre_ui and
    registre_resources, as the wheel installs them (fix: replace « from ui. » by
    « from registre_ui. » and files("resources") by files("registre_resources"))."""
    sources = [*ROOT.glob("registre/**/*.py"), *ROOT.glob("ui/*.py"),
               *ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/*.py"),
               *ROOT.glob("packaging/launch*.py"), ROOT / "packaging" / "registre.spec",
               ROOT / "Makefile"]
    offenders = [str(path.relative_to(ROOT)) for path in sources
                 if path != Path(__file__) and OLD_NAMES.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_sdist_holds_tests_and_docs_and_builds_the_wheel(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", f"import hatchling.build as b; b.build_sdist({str(tmp_path)!r})"],
        check=True, capture_output=True, cwd=ROOT,
    )
    sdist = next(tmp_path.glob("registre-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        archive.extractall(tmp_path, filter="data")
    for expected in ("LICENSE", "Makefile", "tests/conftest.py", "tests/core/test_cli.py",
                     "tests/fixtures/schema-v1.registre/keyslots.json", "docs/rules.md",
                     "packaging/requirements.lock", "packaging/THIRD-PARTY-NOTICES.txt",
                     "resources/translations/registre_en.ts"):
        assert expected in names, expected
    assert not [n for n in names if n.endswith(".qm") or n.startswith(".venv")]
    unpacked = next(p for p in tmp_path.iterdir() if p.is_dir())
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "wheel"), str(unpacked)],
        check=True, capture_output=True,
    )
    built = next((tmp_path / "wheel").glob("registre-*.whl"))
    assert "registre_resources/translations/registre_en.qm" in zipfile.ZipFile(built).namelist()


def test_the_bundled_entry_points_let_worker_processes_start_first() -> None:
    """A batch export's workers start the frozen executable again: each entry point calls
    multiprocessing.freeze_support() before it imports or runs anything of Registre."""
    import ast

    for launcher in sorted(ROOT.glob("packaging/launch*.py")):
        body = ast.parse(launcher.read_text(encoding="utf-8")).body
        docstring, first_import, first = body[:3]
        assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
        assert ast.unparse(first_import) == "import multiprocessing", launcher.name
        assert isinstance(first, ast.Expr) and ast.unparse(first) == (
            "multiprocessing.freeze_support()"
        ), launcher.name
