"""Article 30 checker figures: checking 10,000 activities.

Targets on the reference 2-core machine, for 10,000 activities: running every rule on the
loaded records (``check_organisations``) ≤ 0.5 s, and ``check_register`` as a whole (reading
the encrypted register with ``registre.loader`` included) ≤ 1 s. An export reads the register
once and hands the same records to the checker, so the rules' own time is what a check adds to
it. Also prints the time to write the text and JSON reports, which the command line adds on top.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_core import tiny_kdf_by_default

from registre import services
from registre.check_report import report_json, report_text
from registre.checker import check_organisations, check_register
from registre.loader import collector_paused, read_register
from registre.schema import CONTRACT_CLAUSES
from registre.storage import create_register, open_register

ACTIVITIES = 10_000
TARGET_SECONDS = 1.0  # reading and checking
RULES_TARGET_SECONDS = 0.5  # the rules alone, on loaded records
RUNS = 5
PASSPHRASE = "banc d'essai du vérificateur de l'article 30"
TODAY = dt.date(2026, 3, 14)
# Tiny Argon2 parameters, as in the tests: unlocking is measured by bench_core.py.


def realistic_activity(index: int, processor_ids: list[str], software_ids: list[str]) -> dict:
    """A commune activity; some have the gaps a real register has."""
    categories: list[dict[str, object]] = [
        {
            "category": "identity",
            "details": "nom, prénom, adresse",
            "retention_value": 5,
            "retention_unit": "years",
            "retention_start": "la clôture du dossier",
            "final_disposition": "destruction",
        },
        {
            "category": "personal_life",
            "details": "situation familiale",
            "retention_value": 2,
            "retention_unit": "years",
            "retention_start": "la clôture du dossier",
            "final_disposition": "destruction",
        },
    ]
    activity: dict[str, object] = {
        "name": f"Traitement n° {index} — gestion des dossiers",
        "reference": f"T-{index:05d}",
        "service": ["État civil", "Scolaire", "Urbanisme", "Ressources humaines"][index % 4],
        "main_purpose": "Instruire les demandes des usagers et en assurer le suivi.",
        "legal_basis": "6.1.e",
        "legal_basis_text": "Code général des collectivités territoriales, art. L2121-29",
        "has_transfers": False,
        "status": "validated" if index % 3 else "completed",
        "dpia_status": "not_needed",
        "next_review_on": dt.date(2027, 1, 1) if index % 9 else dt.date(2025, 6, 30),
        "purposes": [{"description": "Instruction des demandes"}, {"description": "Statistiques"}],
        "data_subjects": [{"category": "users"}],
        "data_categories": categories,
        "recipients": [{"recipient_type": "internal_service", "name": "Service instructeur"}],
        "security_measures": [{"measure_type": "user_access_control"}],
        "processors": [processor_ids[index % len(processor_ids)]],
        "software": [software_ids[index % len(software_ids)]],
    }
    if index % 5 == 0:  # retention given for the whole activity only
        activity["general_retention"] = "5 ans"
        for row in categories:
            del row["retention_value"], row["retention_unit"]
    if index % 7 == 0:  # health data without an Art. 9.2 condition
        categories.append({"category": "health", "details": "allergies"})
    if index % 11 == 0:  # a transfer without safeguard
        activity["has_transfers"] = True
        activity["transfers"] = [{"recipient": "Prestataire", "country": "IN"}]
    if index % 13 == 0:
        del activity["main_purpose"]
    if index % 17 == 0:  # staff pay: NIR under its text, the CNIL's HR exemption
        activity["data_subjects"] = [{"category": "staff"}]
        categories.append({"category": "nir", "details": "NIR", "retention_value": 5})
        categories[-1].update(retention_unit="years", final_disposition="destruction")
        activity["nir_authority"] = "Décret n° 2019-341"
        activity["dpia_exemption"] = "hr_under_250"
    if index % 19 == 0:  # municipal police: the law-enforcement regime
        activity["regime"] = "police_justice"
        activity["uses_profiling"] = False
        del activity["legal_basis"]
    if index % 23 == 0:  # a US transfer on the adequacy decision, recipient not shown covered
        activity["has_transfers"] = True
        activity["transfers"] = [{"recipient": "Editeur", "country": "US", "safeguard": "adequacy"}]
    return activity


def build(directory: Path) -> str:
    """A register with one commune of ACTIVITIES activities; returns the organisation id."""
    register, _ = create_register(directory, PASSPHRASE)
    with register:
        org = services.create_organisation(
            register,
            name="Commune de Banc-d'Essai",
            kind="commune",
            address="1 place de la Mairie",
            email="mairie@banc-essai.fr",
            dpo_name="Délégué mutualisé",
            dpo_email="dpo@cdg.fr",
        ).id
        processors = [
            services.create_processor(
                register,
                organisation_id=org,
                name=f"Prestataire {n}",
                country="FR" if n else "US",
                has_art28_contract=bool(n % 2),
            ).id
            for n in range(4)
        ]
        for n, processor in enumerate(processors):
            if n % 2:  # the processors with an Art. 28 contract have it in the contracts register
                services.create_record(
                    register,
                    "contract",
                    organisation_id=org,
                    title=f"Contrat du prestataire {n}",
                    processor_id=processor,
                    processing_countries=["FR"],
                    subprocessing="forbidden",
                    **dict.fromkeys(CONTRACT_CLAUSES, True),
                )
        software = [
            services.create_software(
                register,
                organisation_id=org,
                name=f"Logiciel {n}",
                hosting="provider",
                hosting_country="FR",
                processor_id=processors[n % 4],
            ).id
            for n in range(6)
        ]
        started = time.perf_counter()
        services.bulk_create_activities(
            register,
            organisation_id=org,
            activities=(realistic_activity(i, processors, software) for i in range(ACTIVITIES)),
        )
        print(f"création de {ACTIVITIES} traitements : {time.perf_counter() - started:.1f} s")
    return org


def measure(directory: Path) -> str:
    """Check the register once and time it; run by a fresh interpreter so nothing is warm."""
    register = open_register(directory, PASSPHRASE)
    with register:
        started = time.perf_counter()
        check_register(register, today=TODAY)
        return f"{time.perf_counter() - started:.3f}"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    tiny_kdf_by_default()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "Bench-check.registre"
        build(directory)
        fresh = float(
            subprocess.run(
                [sys.executable, __file__, "--measure", str(directory)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        register = open_register(directory, PASSPHRASE)
        with register:
            reading: list[float] = []
            rules: list[float] = []
            rules_cpu: list[float] = []
            whole: list[float] = []
            for _ in range(RUNS):
                started = time.perf_counter()
                organisations = read_register(register)
                reading.append(time.perf_counter() - started)
                started, cpu = time.perf_counter(), time.process_time()
                with collector_paused():
                    report = check_organisations(organisations, TODAY)
                rules.append(time.perf_counter() - started)
                rules_cpu.append(time.process_time() - cpu)
                del organisations, report
                started = time.perf_counter()
                report = check_register(register, today=TODAY)
                whole.append(time.perf_counter() - started)
                if len(whole) < RUNS:
                    del report  # freeing a report is not part of the next check
            started = time.perf_counter()
            text = report_text(report)
            text_time = time.perf_counter() - started
            started = time.perf_counter()
            document = json.dumps(report_json(report), ensure_ascii=False)
            json_time = time.perf_counter() - started

    count = len(report.activity_scores)
    print(
        f"règles sur {count} traitements chargés : médiane {_median(rules):.3f} s "
        f"(processeur {_median(rules_cpu):.3f} s), meilleur {min(rules):.3f} s "
        f"(cible ≤ {RULES_TARGET_SECONDS} s)"
    )
    print(
        f"lecture du registre chiffré : médiane {_median(reading):.3f} s ; contrôle complet "
        f"(lecture comprise) : {fresh:.3f} s dans un processus neuf, médiane "
        f"{_median(whole):.3f} s, meilleur {min(whole):.3f} s sur {RUNS} passes "
        f"(cible ≤ {TARGET_SECONDS:.0f} s)"
    )
    counts = report.counts
    print(
        f"  {len(report.findings)} constats ({counts['error']} erreurs, {counts['warning']} "
        f"avertissements, {counts['info']} conseils), {len(report.rule_ids)} règles différentes"
    )
    print(
        f"rapport texte : {text_time:.3f} s ({len(text) // 1024} Ko) ; "
        f"rapport JSON : {json_time:.3f} s ({len(document) // 1024} Ko)"
    )
    ok = (
        _median(rules) <= RULES_TARGET_SECONDS
        and fresh <= TARGET_SECONDS
        and _median(whole) <= TARGET_SECONDS
    )
    print("objectifs atteints" if ok else "OBJECTIF MANQUÉ")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        tiny_kdf_by_default()
        print(measure(Path(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
