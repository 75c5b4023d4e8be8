"""A field declared in ``registre.schema`` alone reaches every place a user meets it.

A fresh process adds a synthetic field to the activity's declaration before anything else reads
the schema (no other file knows it), then looks for it where a user would: the form, the list,
the JSON export, the CSV export, the PDF (read back with pdftotext) and the check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import json, subprocess, sys
    from pathlib import Path

    from registre import schema

    PROBE = schema.Field(
        key="synthetic_probe",
        label_fr="Sonde synthétique",
        label_en="Synthetic probe",
        help_fr="Un champ que seul le schéma déclare.",
        help_en="A field only the schema declares.",
        requirement=schema.Requirement.MANDATORY,
        article="30.1.b",
        section="identification",
    )
    activity = schema.ACTIVITY
    object.__setattr__(activity, "fields", (*activity.fields, PROBE))
    object.__setattr__(activity, "list_columns", (*activity.list_columns, PROBE.key))

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from registre import checker, services
    from registre.interchange import export_register
    from registre.official_export import export_pdf
    from registre.storage import create_register
    from registre_ui.editing import ChangeRecorder
    from registre_ui.editor import RecordEditor
    from registre_ui.models import ActivityTableModel
    from tests.kdf import TEST_POLICY, default_policy

    folder = Path(sys.argv[1])
    found = {}
    app = QApplication([])
    with default_policy(TEST_POLICY):
        register, _key = create_register(folder / "Probe.registre", "une phrase de passe sûre")
    organisation = services.create_organisation(register, name="Commune de Sonde").id
    filled = services.create_activity(
        register, organisation_id=organisation, name="Rempli", synthetic_probe="Valeur 4817"
    ).id
    empty = services.create_activity(register, organisation_id=organisation, name="Vide").id

    editor = RecordEditor(activity, ChangeRecorder(register))
    editor.load(services.record_of(register, "activity", filled))
    probe_input = editor.inputs.get("synthetic_probe")
    found["form"] = None if probe_input is None else probe_input.value()

    model = ActivityTableModel()
    model.set_activities(services.list_activities(register, organisation))
    column = model.columnCount() - 2  # the last field column, before « Complétude »
    found["list_title"] = model.headerData(column, Qt.Orientation.Horizontal)
    found["list_cells"] = sorted(
        str(model.index(row, column).data() or "") for row in range(model.rowCount())
    )

    document = json.loads(export_register(register, folder / "r.json", "json").read_text("utf-8"))
    activities = document["organisations"][0]["activities"]
    found["json"] = sorted(str(a.get("synthetic_probe")) for a in activities)
    found["csv"] = "Valeur 4817" in export_register(register, folder / "r.csv", "csv").read_text(
        "utf-8-sig"
    )

    export_pdf(register, folder / "r.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(folder / "r.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    found["pdf"] = ["Sonde synthétique" in text, "Valeur 4817" in text]

    report = checker.check_register(register)
    found["check"] = sorted(
        ("filled" if f.record_id == filled else "empty" if f.record_id == empty else "?")
        for f in report.findings
        if f.field == "synthetic_probe"
    )
    register.close()
    print(json.dumps(found, ensure_ascii=False))
    """
)


def test_a_field_declared_in_the_schema_only_reaches_form_list_exports_and_check(
    tmp_path: Path,
) -> None:
    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    environment["REGISTRE_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        check=False,
        text=True,
        env=environment,
        cwd=root,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["form"] == "Valeur 4817"
    assert found["list_title"] == "Sonde synthétique"
    assert found["list_cells"] == ["", "Valeur 4817"]
    assert found["json"] == ["None", "Valeur 4817"]
    assert found["csv"] is True
    assert found["pdf"] == [True, True]
    assert found["check"] == ["empty"]  # a mandatory item missing on one record, not the other
