"""Team register figures on a throwaway PostgreSQL server: 200 organisations × 50 activities.

Targets: open ≤ 1 s, overview (every organisation with its activity count) ≤ 300 ms, check of
every organisation ≤ 2 s, ten writers editing distinct activities at once ≥ 50 edits/s with no
conflict error. The server runs in a temporary folder (as ``tests/team/pgserver.py`` starts it)
with durability settings relaxed for speed, so the write figure is an upper bound for a server
with ``fsync`` on: the script says so next to it.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_core import realistic_activity

from registre import services
from registre.checker import check_register
from registre.concurrency import EditConflict, save_edit, start_edit
from registre.team.register import create_team_register, open_team_register
from tests.team.pgserver import running_server, server_binaries

ORGANISATIONS = 200
PER_ORGANISATION = 50
WRITERS = 10
WRITE_SECONDS = 5.0


def _writer(url: str, activity_ids: list[str], start: Any) -> tuple[int, int]:
    """Edit ``activity_ids`` in turn until time is up; (edits, conflicts)."""
    edits = conflicts = 0
    with open_team_register(url) as register:
        start.wait()
        deadline = time.perf_counter() + WRITE_SECONDS
        while time.perf_counter() < deadline:
            activity_id = activity_ids[edits % len(activity_ids)]
            edition = start_edit(register, "activity", activity_id)
            try:
                save_edit(register, edition, description=f"Révision {edits}")
                edits += 1
            except EditConflict:
                conflicts += 1
    return edits, conflicts


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    if server_binaries() is None:
        print("PostgreSQL (initdb, pg_ctl) absent : banc du registre d'équipe non mesuré")
        return 1
    with running_server() as server:
        server.sql("CREATE ROLE registre_owner LOGIN")
        url = server.create_database("bench", owner="registre_owner")
        started = time.perf_counter()
        with create_team_register(url, name="Banc d'essai") as register:
            organisations = [
                services.create_organisation(register, name=f"Commune n° {n:03d}").id
                for n in range(ORGANISATIONS)
            ]
            for number, organisation in enumerate(organisations):
                services.bulk_create_activities(
                    register, organisation_id=organisation,
                    activities=[realistic_activity(number * PER_ORGANISATION + i)
                                for i in range(PER_ORGANISATION)],
                )
        total = ORGANISATIONS * PER_ORGANISATION
        print(f"création de {ORGANISATIONS} organismes × {PER_ORGANISATION} traitements "
              f"({total}) : {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        register = open_team_register(url, read_only=True)
        opening = time.perf_counter() - started
        print(f"ouverture (connexion, identité, schéma) : {opening * 1000:.0f} ms (cible ≤ 1 s)")
        with register:
            started = time.perf_counter()
            overview = services.list_organisations(register)
            overview_time = time.perf_counter() - started
            assert len(overview) == ORGANISATIONS
            print(f"vue d'ensemble ({len(overview)} organismes et leurs traitements) : "
                  f"{overview_time * 1000:.0f} ms (cible ≤ 300 ms)")
            started = time.perf_counter()
            listing = services.list_activities(register, organisations[0])
            print(f"liste des {len(listing)} traitements d'un organisme : "
                  f"{(time.perf_counter() - started) * 1000:.0f} ms")
            started = time.perf_counter()
            report = check_register(register)
            check_time = time.perf_counter() - started
            print(f"contrôle de tout le registre ({total} traitements, {len(report.findings)} "
                  f"constats) : {check_time:.2f} s (cible ≤ 2 s)")
            ids = [a.id for a in services.list_activities(register)]

        context = multiprocessing.get_context("spawn")
        start = context.Manager().Barrier(WRITERS)
        shares = [ids[w::WRITERS][:50] for w in range(WRITERS)]  # distinct records per writer
        with context.Pool(WRITERS) as pool:
            results = pool.starmap(_writer, [(url, share, start) for share in shares])
        edits = sum(r[0] for r in results)
        conflicts = sum(r[1] for r in results)
        rate = edits / WRITE_SECONDS
        print(f"{WRITERS} rédacteurs simultanés sur des traitements distincts : {rate:.0f} "
              f"modifications/s, {conflicts} conflit(s) (cible ≥ 50/s, 0 conflit ; serveur de "
              "test sans fsync)")
        with open_team_register(url, read_only=True) as register:
            intact = services.verify_audit(register).intact
        print(f"journal après le banc : chaîne {'intègre' if intact else 'ROMPUE'}")
    ok = opening <= 1 and overview_time <= 0.3 and check_time <= 2 and rate >= 50
    ok = ok and conflicts == 0 and intact
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
