"""The breach register PDF (``registre export --format pdf --profile breaches``), read back with
poppler's tools as an auditor would."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from registre import services
from registre.demo import create_demo_register
from registre.official_export import export_pdf
from registre.presentation import long_datetime, short_datetime
from registre.storage import Context, Register


@pytest.fixture
def demo(tmp_path: Path, context: Context) -> Register:
    register, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    yield register
    register.close()


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_the_breach_register_lists_every_breach_with_its_72_hour_clock(
    demo: Register, tmp_path: Path
) -> None:
    result = export_pdf(demo, tmp_path / "violations.pdf", profile="breaches")
    text = _run("pdftotext", "-layout", str(result.path), "-")
    assert "Registre des violations de données" in " ".join(text.split())
    for title in (
        "Compte du portail famille utilisé par un tiers",
        "Ordinateur portable de la police municipale volé",
        "Notification d'aide envoyée à une autre famille",
    ):
        assert title in " ".join(text.split()), title
    assert "Délai de 72 heures" in text
    assert "Reste 2 j" in text  # the breach discovered 20 hours before the demo's clock
    # A clock still running names its deadline: the reader sees it later than the export.
    reading = " ".join(_run("pdftotext", str(result.path), "-").split())  # in reading order
    (running,) = [
        breach
        for organisation in services.list_organisations(demo)
        for breach in services.list_records(demo, "breach", organisation.id)
        if breach["title"] == "Compte du portail famille utilisé par un tiers"
    ]
    deadline = running["discovered_at"] + dt.timedelta(hours=72)
    in_words = " ".join(long_datetime(deadline).split())  # no-break spaces read as spaces
    assert f"Échéance de notification : {in_words}. À l'export : Reste 2 j" in reading
    assert f"Échéance {short_datetime(deadline)} — à l'export : reste 2 j" in reading
    assert "Découverte (heure de Paris)" in reading  # the summary's times say their zone
    # The cover names the register once, then the profile (not the same words twice).
    assert "Registre des violations de données Registre des violations" not in reading
    assert "Registre des violations de données Registre complet des violations" in reading
    assert "Notification CNIL n° 2026-004512" in text
    assert "Motif de la non-notification" in text
    assert "Fiches des traitements" not in text  # activities are not part of this register
    info = _run("pdfinfo", str(result.path))
    assert "Title:           Registre des violations de données" in info
    fonts = _run("pdffonts", str(result.path)).splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts), fonts
    assert not any("Helvetica" in line for line in fonts)
    _run(
        "pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "2", str(result.path), str(tmp_path / "p")
    )
    assert len(list(tmp_path.glob("p-*.png"))) == 2


def test_an_organisation_without_breaches_says_so(register: Register, tmp_path: Path) -> None:
    from registre import services

    services.create_organisation(register, name="Commune de Trébeurden")
    result = export_pdf(register, tmp_path / "violations.pdf", profile="breaches")
    text = " ".join(_run("pdftotext", str(result.path), "-").split())
    assert "Violations consignées : 0" in text or "Violations consignées 0" in text
    assert "Aucune violation consignée." in text


def test_the_command_line_exports_the_breach_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from registre.cli import run
    from registre.demo import DEMO_PASSPHRASE

    folder = tmp_path / "Demo.registre"
    assert run(["demo", str(folder)], out=io.StringIO(), err=io.StringIO()) == 0
    monkeypatch.setenv("REGISTRE_PASSPHRASE", DEMO_PASSPHRASE)
    output = tmp_path / "violations.pdf"
    out, err = io.StringIO(), io.StringIO()
    command = ["export", str(folder), "--format", "pdf", "--profile", "breaches"]
    assert run([*command, "--output", str(output)], out=out, err=err) == 0
    assert "Registre des violations" in _run("pdftotext", str(output), "-")
    assert run(["verify", str(output)], out=io.StringIO(), err=io.StringIO()) == 0
    info = io.StringIO()
    assert run(["info", str(folder)], out=info, err=io.StringIO()) == 0
    assert "Violations de données : 4 · Demandes d'exercice de droits : 5" in info.getvalue()
