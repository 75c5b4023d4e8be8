"""The demo register: realistic content, and not one plaintext byte of it on disk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from registre import services
from registre.backup import create_backup
from registre.checker import check_register
from registre.cli import run
from registre.demo import DEMO_PASSPHRASE, create_demo_register, demo_data
from registre.rules import RULES_BY_ID, SEVERITY_LABELS
from registre.storage import Context, open_register, read_slot_file
from tests.conftest import TEST_POLICY


@pytest.fixture(scope="module")
def sensitive_strings() -> list[bytes]:
    data = demo_data()
    texts = [org["name"] for org in data["organisations"]]
    texts += [a["name"] for org in data["organisations"] for a in org["activities"]]
    texts += [org.get("dpo_name", "") for org in data["organisations"] if org.get("dpo_name")]
    return [t.encode("utf-8") for t in texts] + [t.encode("utf-16-le") for t in texts[:3]]


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_demo_command_creates_a_realistic_register(tmp_path: Path) -> None:
    path = tmp_path / "Demo.registre"
    assert run(["demo", str(path)]) == 0
    assert read_slot_file(path, TEST_POLICY).demo
    with open_register(path, DEMO_PASSPHRASE, read_only=True) as register:
        organisations = services.list_organisations(register)
        commune = next(o for o in organisations if o.name.startswith("Commune"))
        assert commune.activities >= 25
        names = [a.name for a in services.list_activities(register, commune.id)]
        assert any("état civil" in n.lower() for n in names)
        assert services.list_records(register, "software", commune.id)
        assert services.list_records(register, "processor", commune.id)
        assert services.verify_audit(register).intact


def test_no_plaintext_on_disk_closed_open_and_in_backups(
    tmp_path: Path, sensitive_strings: list[bytes]
) -> None:
    path = tmp_path / "Demo.registre"
    assert run(["demo", str(path)]) == 0

    def assert_no_plaintext() -> None:
        for file in _files(path):
            content = file.read_bytes()
            for text in sensitive_strings:
                assert text not in content, f"{text!r} in {file.name}"

    assert_no_plaintext()
    register = open_register(path, DEMO_PASSPHRASE)  # WAL mode while open
    try:
        organisation = services.list_organisations(register)[0].id
        services.create_activity(
            register,
            organisation_id=organisation,
            name="Commune de Saint-Exemple-sur-Loire — nouveau",
        )
        create_backup(register)
        assert (path / "registre.db-wal").exists()
        assert_no_plaintext()
    finally:
        register.close()
    assert_no_plaintext()


DEMO_DOC = Path(__file__).resolve().parents[2] / "docs" / "demo.md"


def _documented_gaps() -> list[tuple[str, str]]:
    """(record, rule id) of each row of the table in docs/demo.md (its severity checked)."""
    gaps = []
    for line in DEMO_DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2].startswith("`"):
            record = re.sub(r" \((sous-traitant|violation|demande|contrat)\)$", "", cells[0])
            rule_id = cells[2].strip("`")
            assert SEVERITY_LABELS[RULES_BY_ID[rule_id].severity][0] == cells[3], line
            gaps.append((record, rule_id))
    return gaps


def test_the_demo_deliberate_gaps_are_documented_with_the_rule_catching_each(
    tmp_path: Path, context: Context
) -> None:
    register, _ = create_demo_register(tmp_path / "Demo.registre", context=context)
    with register:
        report = check_register(register)  # the fixed clock: 14 March 2026
    found = sorted({(f.record_name, f.rule.id) for f in report.findings})
    assert found == sorted(set(_documented_gaps()))
    # every lawful activity of the demo is complete
    flagged = {f.record_id for f in report.findings}
    lawful = [s for s in report.activity_scores.values() if s.activity_id not in flagged]
    assert len(lawful) > 25 and all(s.percent == 100 for s in lawful)
