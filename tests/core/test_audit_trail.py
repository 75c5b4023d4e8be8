"""The audit trail means something: a broken, shortened or rewritten trail is damage (exit 4),
and ``info --deep`` names the first record the trail does not account for."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from registre import services
from registre.anchor import ANCHOR_NAME
from registre.audit import compute_hash
from registre.cli import run
from registre.interchange import apply_import, export_register, plan_import
from registre.storage import Context, create_register, open_cipher_connection, open_register
from registre.templates import create_from_template
from registre.undo import UndoStack
from tests.conftest import PASSPHRASE


def _info(path: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["info", str(path), *extra], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def directory(tmp_path: Path, context: Context) -> Path:
    """A register with a few changes (six audit entries)."""
    path = tmp_path / "Mairie.registre"
    register, _ = create_register(path, PASSPHRASE, context=context)
    with register:
        org = services.create_organisation(register, name="Commune de Quimperlé").id
        activity = services.create_activity(register, organisation_id=org, name="État civil").id
        services.update_activity(register, activity, description="Actes et mentions")
        services.create_processor(register, organisation_id=org, name="Éditeur")
        services.create_software(register, organisation_id=org, name="Logiciel")
        services.update_organisation(register, org, siren="217500016")
    return path


@pytest.fixture
def raw_sql(directory: Path) -> Iterator[object]:
    """Run SQL on the closed database with its key, as someone holding the passphrase could
    with any SQLCipher tool (no Registre code involved)."""
    from registre.keys import unlock_key

    connection = open_cipher_connection(
        directory / "registre.db", unlock_key(directory, PASSPHRASE), "rw"
    )
    yield connection
    connection.commit()
    connection.close()


def test_intact_register_reports_a_matching_head(directory: Path) -> None:
    code, out, err = _info(directory)
    assert code == 0, err
    assert "chaîne intègre" in out and "Tête du journal (ancrée hors de la base) : conforme" in out


def test_broken_chain_is_exit_4(directory: Path, raw_sql: object) -> None:
    raw_sql.execute(  # type: ignore[attr-defined]
        'UPDATE audit_entry SET changes = \'{"name": [null, "Autre"]}\' WHERE seq = 2'
    )
    raw_sql.commit()  # type: ignore[attr-defined]
    code, out, err = _info(directory)
    assert code == 4, err
    assert "ROMPUE à l'entrée 2" in out
    assert "endommagé ou a été modifié" in err and "chaîne rompue à l'entrée 2" in err
    code, out, _err = _info(directory, "--json")
    assert code == 4 and json.loads(out)["integrity"]["audit_chain"] == "broken"


def test_deleting_the_last_entries_is_caught(directory: Path, raw_sql: object) -> None:
    raw_sql.execute("DELETE FROM audit_entry WHERE seq > 4")  # type: ignore[attr-defined]
    raw_sql.commit()  # type: ignore[attr-defined]
    code, out, err = _info(directory)
    assert code == 4, err
    assert "chaîne intègre" in out  # what remains still verifies…
    assert "il manque les 2 dernières entrées du journal (après l'entrée 4)" in err  # …but


def test_rewriting_the_last_entry_with_a_valid_hash_is_caught(
    directory: Path, raw_sql: object
) -> None:
    """The chain is recomputed by someone who knows the format: still not the anchored one."""
    row = raw_sql.execute(  # type: ignore[attr-defined]
        "SELECT seq, at, actor, action, entity, entity_id, organisation_id, prev_hash"
        " FROM audit_entry ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    seq, at, actor, action, entity, entity_id, organisation_id, prev_hash = row
    import datetime as dt

    changes = {"siren": [None, "000000000"]}
    digest = compute_hash(
        prev_hash=prev_hash,
        seq=seq,
        at=dt.datetime.fromisoformat(at),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        organisation_id=organisation_id,
        changes=changes,
    )
    raw_sql.execute(  # type: ignore[attr-defined]
        "UPDATE audit_entry SET changes = ?, hash = ? WHERE seq = ?",
        (json.dumps(changes), digest, seq),
    )
    raw_sql.commit()  # type: ignore[attr-defined]
    code, out, err = _info(directory)
    assert code == 4, err
    assert "chaîne intègre" in out
    assert f"l'entrée {seq} du journal a été réécrite" in err


@pytest.mark.parametrize("damage", ["missing", "forged", "other-register"])
def test_a_missing_or_foreign_anchor_is_damage(
    directory: Path, tmp_path: Path, context: Context, damage: str
) -> None:
    anchor = directory / ANCHOR_NAME
    if damage == "missing":
        anchor.unlink()
    elif damage == "forged":
        document = json.loads(anchor.read_bytes())
        document["seq"] = 2
        anchor.write_text(json.dumps(document), encoding="utf-8")
    else:
        other, _ = create_register(tmp_path / "Autre.registre", PASSPHRASE)
        other.close()
        shutil.copy(tmp_path / "Autre.registre" / ANCHOR_NAME, anchor)
    code, _out, err = _info(directory)
    assert code == 4, err
    assert "ancre" in err


def test_a_crash_between_commit_and_anchor_is_not_damage_and_catches_up(
    directory: Path,
) -> None:
    anchor = directory / ANCHOR_NAME
    stale = anchor.read_bytes()
    with open_register(directory, PASSPHRASE) as register:
        org = services.list_organisations(register)[0].id
        services.create_processor(register, organisation_id=org, name="Second éditeur")
    anchor.write_bytes(stale)  # as if killed right after the commit
    assert _info(directory)[0] == 0
    with open_register(directory, PASSPHRASE):
        pass
    assert json.loads(anchor.read_bytes())["seq"] == 7


def test_the_anchor_is_not_moved_back_over_a_shortened_chain(
    directory: Path, raw_sql: object
) -> None:
    raw_sql.execute("DELETE FROM audit_entry WHERE seq > 4")  # type: ignore[attr-defined]
    raw_sql.commit()  # type: ignore[attr-defined]
    with open_register(directory, PASSPHRASE) as register:  # used as usual afterwards
        org = services.list_organisations(register)[0].id
        services.create_processor(register, organisation_id=org, name="Après")
    code, _out, err = _info(directory)
    assert code == 4 and "il manque la dernière entrée du journal" in err  # still caught


# --- replaying the trail against the records ---------------------------------------------------


def _busy_register(path: Path, tmp_path: Path, context: Context) -> None:
    """Every kind of change a user makes: forms, rows, links, deletions, undo, import, template."""
    register, _ = create_register(path, PASSPHRASE, context=context)
    with register:
        org = services.create_organisation(register, name="Commune de Lunel").id
        processor = services.create_processor(register, organisation_id=org, name="Éditeur").id
        software = services.create_software(
            register, organisation_id=org, name="Logiciel", processor_id=processor
        ).id
        activity = services.create_activity(
            register,
            organisation_id=org,
            name="Cantine",
            processors=[processor],
            software=[software],
            purposes=[{"description": "Inscriptions"}, {"description": "Facturation"}],
            data_subjects=[{"category": "users"}],
        ).id
        services.update_activity(register, activity, legal_basis="6.1.e", description="Repas")
        row = services.add_row(
            register, activity_id=activity, collection="purposes", description="Menus"
        ).id
        services.update_row(
            register, collection="purposes", row_id=row, description="Menus adaptés"
        )
        first = services.record_of(register, "activity", activity)["purposes"][0]["id"]
        services.delete_row(register, collection="purposes", row_id=first)
        services.delete_processor(register, processor)  # links disappear with it
        create_from_template(register, organisation_id=org, template_id="etat-civil")
        undo = UndoStack(register)
        undo.push(services.update_organisation(register, org, siren="217500016"))
        undo.undo()
        gone = services.create_activity(register, organisation_id=org, name="Supprimé")
        undo.delete("activity", gone.id)
        undo.undo()  # re-created with its identifier
        breach = services.create_record(
            register,
            "breach",
            organisation_id=org,
            title="Courriel mal adressé",
            data_categories=["identity"],
        ).id
        services.update_record(register, "breach", breach, data_categories=["identity", "health"])
        ccas = services.create_organisation(register, name="CCAS").id
        services.create_activity(register, organisation_id=ccas, name="Aide sociale")
        services.delete_organisation(register, ccas)
        other, _ = create_register(tmp_path / "Source.registre", PASSPHRASE)
        with other:
            source = services.create_organisation(other, name="SIVU").id
            services.create_activity(other, organisation_id=source, name="Transport scolaire")
            export_register(other, tmp_path / "source.json", "json")
        apply_import(register, plan_import(register, tmp_path / "source.json"))


def test_deep_replay_of_a_busy_register_finds_no_difference(
    tmp_path: Path, context: Context
) -> None:
    path = tmp_path / "Lunel.registre"
    _busy_register(path, tmp_path, context)
    code, out, err = _info(path, "--deep")
    assert code == 0, err + out
    assert "Rejeu du journal sur les fiches : conforme" in out


def test_deep_replay_of_the_demo_register_finds_no_difference(tmp_path: Path) -> None:
    assert run(["demo", str(tmp_path / "Demo.registre")], out=io.StringIO(), err=io.StringIO()) == 0
    code, out, err = _info(tmp_path / "Demo.registre", "--deep")
    assert code == 0, err + out


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        (
            "UPDATE activity SET name = 'Cantine (modifiée)' WHERE name = 'Cantine'",
            "« Nom du traitement »",
        ),
        (
            "UPDATE purpose SET description = 'Autre chose' WHERE description = 'Menus adaptés'",
            "'Autre chose' dans la base, 'Menus adaptés' d'après le journal",
        ),
        (
            "INSERT INTO processor (id, organisation_id, name) SELECT"
            " 'aaaaaaaa-0000-0000-0000-000000000000', id, 'Ajouté' FROM organisation LIMIT 1",
            "présent dans la base, sa création n'est pas au journal",
        ),
        ("DELETE FROM software", "absent de la base"),
    ],
    ids=["field", "row", "record-added", "record-removed"],
)
def test_deep_replay_names_the_first_difference(
    tmp_path: Path, context: Context, sql: str, named: str
) -> None:
    from registre.keys import unlock_key

    path = tmp_path / "Lunel.registre"
    _busy_register(path, tmp_path, context)
    connection = open_cipher_connection(path / "registre.db", unlock_key(path, PASSPHRASE), "rw")
    connection.execute(sql)
    connection.commit()
    connection.close()
    assert _info(path)[0] == 0  # the chain itself is intact: only the replay can tell
    code, out, err = _info(path, "--deep")
    assert code == 4, out
    assert "DIFFÉRENCE" in out and named in out, out
    assert "endommagé ou a été modifié" in err
