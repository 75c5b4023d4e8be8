"""docs/rules.md is generated from the rule declarations and cannot drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from registre import rules_doc
from registre.rules import RULES, SCORE_DEFINITION_FR

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_committed_reference_matches_the_rules() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == rules_doc.render(), (
        "docs/rules.md is out of date: run python -m registre.rules_doc"
    )


def test_reference_lists_every_rule_and_the_score_definition() -> None:
    text = rules_doc.render()
    for rule in RULES:
        assert f"| `{rule.id}` | {rule.reference} |" in text
    assert SCORE_DEFINITION_FR.strip() in text
    assert "## Définition du score" in text


def test_check_mode_and_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "docs" / "rules.md"
    assert rules_doc.main(["--check", "--output", str(target)]) == 1  # missing
    assert "n'est pas à jour" in capsys.readouterr().err
    assert rules_doc.main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == rules_doc.render()
    assert rules_doc.main(["--check", "--output", str(target)]) == 0
    target.write_text(rules_doc.render().replace("erreur", "faute", 1), encoding="utf-8")
    assert rules_doc.main(["--check", "--output", str(target)]) == 1
