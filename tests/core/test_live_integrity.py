"""The page-level integrity check of a register another process is writing: a page a checkpoint
is copying into the file at that moment (its current version in the WAL) is no damage; a
damaged page outside the WAL still is."""

from __future__ import annotations

import shutil
from pathlib import Path

from registre import services
from registre.layout import DB_NAME, pages_in_wal
from registre.storage import Context, create_register, integrity_problems, open_register
from tests.conftest import PASSPHRASE

PAGE_SIZE = 4096


def _copy_while_written(tmp_path: Path, context: Context) -> tuple[Path, set[int], int]:
    """A copy of a register taken while its writer still has changes in the WAL, with the
    pages the WAL holds and the number of pages of the database file."""
    path = tmp_path / "Mairie.registre"
    register, _ = create_register(path, PASSPHRASE, context=context)
    with register:
        organisation = services.create_organisation(register, name="Commune de Quimperlé").id
        for index in range(40):
            services.create_activity(
                register,
                organisation_id=organisation,
                name=f"Activité {index}",
                purposes=[{"description": "x" * 2000}],
            )
        copy = tmp_path / "Copie.registre"
        shutil.copytree(path, copy)
    in_wal = pages_in_wal(copy / DB_NAME)
    file_pages = (copy / DB_NAME).stat().st_size // PAGE_SIZE
    return copy, in_wal, file_pages


def _blank_page(db_path: Path, number: int) -> None:
    """Zeros over one page, as a checkpoint that has grown the file but not yet written it."""
    with db_path.open("r+b") as file:
        file.seek((number - 1) * PAGE_SIZE)
        file.write(bytes(PAGE_SIZE))


def _problems(copy: Path, context: Context) -> list[str]:
    with open_register(copy, PASSPHRASE, read_only=True, context=context) as register:
        return integrity_problems(register)


def test_a_page_being_copied_from_the_wal_is_not_damage(tmp_path: Path, context: Context) -> None:
    copy, in_wal, file_pages = _copy_while_written(tmp_path, context)
    being_copied = max(page for page in in_wal if 1 < page <= file_pages)
    _blank_page(copy / DB_NAME, being_copied)
    assert _problems(copy, context) == []
    with open_register(copy, PASSPHRASE, read_only=True, context=context) as register:
        assert len(services.list_activities(register)) == 40


def test_a_damaged_page_outside_the_wal_is_still_reported(
    tmp_path: Path, context: Context
) -> None:
    copy, in_wal, file_pages = _copy_while_written(tmp_path, context)
    damaged = max(page for page in range(2, file_pages + 1) if page not in in_wal)
    _blank_page(copy / DB_NAME, damaged)
    problems = _problems(copy, context)
    assert any(f"page {damaged}" in problem for problem in problems), problems
