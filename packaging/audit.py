"""Known vulnerabilities of the locked dependencies (pip-audit), without a false all-clear.

    python packaging/audit.py                 # exit 0 only when every package was checked
    python packaging/audit.py --if-reachable  # CI: skip, saying so, when the database is offline

pip-audit reports « No known vulnerabilities found » and exits 0 even when its database did not
answer (each package is then only « skipped »). Here the database is probed first (the PyPI
JSON API, else OSV), and a run that skipped any package is a failure: no verdict is not a pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "packaging" / "requirements.lock"


def probes(name: str, version: str) -> dict[str, urllib.request.Request]:
    """The request each service answers for one locked package, as pip-audit will ask it."""
    osv = {"package": {"name": name, "ecosystem": "PyPI"}, "version": version}
    return {
        "pypi": urllib.request.Request(f"https://pypi.org/pypi/{name}/{version}/json"),
        "osv": urllib.request.Request(
            "https://api.osv.dev/v1/query", data=json.dumps(osv).encode(),
            headers={"Content-Type": "application/json"},
        ),
    }


def reachable_service(timeout: float = 10.0) -> str | None:
    """The first vulnerability service that answers for a locked package, or None."""
    sys.path.insert(0, str(Path(__file__).parent))
    from check_lock import pins

    name, version = next(iter(pins().items()))
    for service, request in probes(name, str(version)).items():
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                json.load(answer)
            return service
        except (OSError, ValueError, urllib.error.URLError):
            continue
    return None


def audit(service: str) -> int:
    """Run pip-audit on the lock with ``service``; 0 only for a complete, clean verdict."""
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--requirement", str(LOCK), "--require-hashes",
         "--disable-pip", "--vulnerability-service", service, "--format", "json",
         "--progress-spinner", "off"],
        capture_output=True, text=True, check=False,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        print(done.stderr, file=sys.stderr)
        print("audit: pip-audit gave no report: no verdict", file=sys.stderr)
        return 1
    code, lines = verdict(report, service)
    for line in lines:
        print(line, file=sys.stderr if code else sys.stdout)
    return code


def verdict(report: dict[str, Any], service: str) -> tuple[int, list[str]]:
    """Exit code and lines for a pip-audit JSON report: a skipped package is no verdict."""
    dependencies = report["dependencies"]
    skipped = [d["name"] for d in dependencies if d.get("skip_reason")]
    lines = [f"audit: {d['name']} {d['version']}: {v['id']}" for d in dependencies
             for v in d.get("vulns", [])]
    if skipped:
        lines.append(f"audit: {len(skipped)} of {len(dependencies)} packages could not be "
                     f"checked ({', '.join(skipped[:6])}…): no verdict")
        return 1, lines
    if lines:
        return 1, lines
    return 0, [f"audit: {len(dependencies)} locked packages checked with {service}: no known "
               "vulnerability"]


def main(argv: list[str]) -> int:
    """Probe, then audit (or skip with a message under ``--if-reachable``)."""
    service = reachable_service()
    if service is None:
        message = ("audit: no vulnerability database answers from this machine (PyPI JSON API, "
                   "OSV): no verdict")
        if "--if-reachable" in argv:
            print(f"{message}; skipped here, run `make audit` on a connected machine")
            return 0
        print(message, file=sys.stderr)
        return 1
    return audit(service)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
