"""The shared DPO's workspace: figures for 50 organisations × 40 activities.

Target on the reference 2-core machine: the overview (one read of the register, every
organisation checked, reviews, last exports, companion registers) ≤ 200 ms. Also prints the
changes since the last publication, the duplication of one activity to 49 organisations and
its undo, a bulk edit of one field on 40 activities (preview, apply, undo), and the batch
export of one signed PDF per organisation.

``python bench/bench_workspace.py [--only overview]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_checker import realistic_activity
from bench_core import tiny_kdf_by_default

from registre import services
from registre.storage import Register, create_register, open_register

ORGANISATIONS = 50
ACTIVITIES = 40
OVERVIEW_TARGET_SECONDS = 0.2
RUNS = 7
PASSPHRASE = "banc d'essai de l'espace du délégué mutualisé"


def build_workspace(
    directory: Path,
    passphrase: str = PASSPHRASE,
    organisations: int = ORGANISATIONS,
    activities: int = ACTIVITIES,
) -> Register:
    """A register of ``organisations`` communes of ``activities`` activities each (open)."""
    register, _ = create_register(directory, passphrase)
    for number in range(organisations):
        org = services.create_organisation(
            register,
            name=f"Commune n° {number + 1:02d}",
            kind="commune",
            address=f"{number + 1} place de la Mairie",
            email=f"mairie{number + 1}@exemple.fr",
            dpo_name="Délégué mutualisé du centre de gestion",
            dpo_email="dpo@cdg.fr",
        ).id
        processors = [
            services.create_processor(
                register, organisation_id=org, name=f"Prestataire {n}", country="FR"
            ).id
            for n in range(2)
        ]
        software = [
            services.create_software(register, organisation_id=org, name=f"Logiciel {n}").id
            for n in range(2)
        ]
        records = []
        for index in range(activities):
            record = realistic_activity(number * activities + index, processors, software)
            record["reference"] = f"T-{index + 1:03d}"
            if (number + index) % 6 == 0:
                record["status"] = "draft"
            records.append(record)
        services.bulk_create_activities(register, organisation_id=org, activities=records)
        if number % 5 == 0:
            services.create_record(
                register,
                "breach",
                organisation_id=org,
                title="Courriel envoyé au mauvais destinataire",
                discovered_at=dt.datetime(2026, 1, 5, 9, 0),
                nature=["confidentiality"],
            )
        if number % 7 == 0:
            services.create_record(
                register,
                "rights_request",
                organisation_id=org,
                requester="Un administré",
                received_on=dt.date(2026, 1, 2),
                rights=["access"],
            )
    return register


def _timed(action: object, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def bench_overview(register: Register) -> None:
    from registre.workspace import register_overview

    register_overview(register)  # warm the schema caches
    median, best = _timed(lambda: register_overview(register))
    verdict = "OK" if median <= OVERVIEW_TARGET_SECONDS else "TOO SLOW"
    print(
        f"overview, {ORGANISATIONS} organisations × {ACTIVITIES} activities: "
        f"median {median * 1000:.0f} ms, best {best * 1000:.0f} ms "
        f"(target ≤ {OVERVIEW_TARGET_SECONDS * 1000:.0f} ms) {verdict}"
    )


def bench_changes(register: Register) -> None:
    from registre.publications import changes_since_publication

    median, best = _timed(lambda: changes_since_publication(register), runs=3)
    print(
        f"changes since the last publication, every organisation: median {median * 1000:.0f} ms, "
        f"best {best * 1000:.0f} ms"
    )


def bench_duplication(register: Register) -> None:
    from registre import services
    from registre.duplication import duplicate_records
    from registre.undo import UndoStack

    organisations = services.list_organisations(register)
    source = organisations[0].id
    activity = services.list_activities(register, source)[0].id
    targets = [org.id for org in organisations[1:]]
    stack = UndoStack(register)
    start = time.perf_counter()
    result = duplicate_records(
        register, entity="activity", record_ids=[activity], to_organisations=targets
    )
    duplicated = time.perf_counter() - start
    stack.push_group(result.changes, label_fr="duplication", label_en="duplication")
    start = time.perf_counter()
    stack.undo()
    undone = time.perf_counter() - start
    print(
        f"duplication of one activity to {len(targets)} organisations: {duplicated:.2f} s "
        f"({len(result.changes)} records created); undo as one step: {undone:.2f} s"
    )


def bench_bulk_edit(register: Register) -> None:
    from registre import services
    from registre.batch import bulk_label, bulk_preview, bulk_update
    from registre.undo import UndoStack

    organisation = services.list_organisations(register)[0].id
    ids = [activity.id for activity in services.list_activities(register, organisation)]
    value = "Postes verrouillés, sauvegardes chiffrées chaque nuit hors de la mairie"
    start = time.perf_counter()
    bulk_preview(register, activity_ids=ids, field_key="security_overview", value=value)
    previewed = time.perf_counter() - start
    stack = UndoStack(register)
    start = time.perf_counter()
    changes = bulk_update(register, activity_ids=ids, field_key="security_overview", value=value)
    edited = time.perf_counter() - start
    label = bulk_label("security_overview", len(changes))
    stack.push_group(changes, label_fr=label, label_en=label)
    start = time.perf_counter()
    stack.undo()
    undone = time.perf_counter() - start
    print(
        f"bulk edit of one field on {len(ids)} activities: preview {previewed * 1000:.0f} ms, "
        f"apply {edited:.2f} s (one transaction), undo as one step {undone:.2f} s"
    )


def bench_batch_export(register: Register, folder: Path) -> None:
    from registre.batch import default_workers, export_all_organisations

    for workers in sorted({1, default_workers()}):
        start = time.perf_counter()
        result = export_all_organisations(register, folder / f"pdf-{workers}", workers=workers)
        elapsed = time.perf_counter() - start
        print(
            f"batch export, one signed PDF per organisation ({len(result.written)} files), "
            f"{workers} process(es): {elapsed:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only",
        choices=("overview", "bulk", "duplication", "batch"),
        help="measure only this figure (the overview is always measured)",
    )
    args = parser.parse_args()
    tiny_kdf_by_default()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        build_workspace(Path(folder) / "Mutualise.registre").close()
        print(f"built {ORGANISATIONS} × {ACTIVITIES} in {time.perf_counter() - start:.1f} s")
        with open_register(Path(folder) / "Mutualise.registre", PASSPHRASE) as register:
            bench_overview(register)
            if args.only in (None, "overview"):
                bench_changes(register)
            if args.only in (None, "bulk"):
                bench_bulk_edit(register)
            if args.only in (None, "duplication"):
                bench_duplication(register)
            if args.only in (None, "batch"):
                bench_batch_export(register, Path(folder))


if __name__ == "__main__":
    sys.exit(main())
