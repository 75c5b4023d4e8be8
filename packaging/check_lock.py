"""Does ``packaging/requirements.lock`` still answer ``pyproject.toml``?

    python packaging/check_lock.py     # exit 1, saying what differs, when it does not

Every requirement of the project (dependencies and every extra) must be pinned in the lock, at
a version its specifier accepts. ``make lock`` regenerates the lock (uv, universal, hashed),
keeping the pins that still fit.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "packaging" / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: Path = LOCK) -> dict[str, Version]:
    """name → pinned version, as written in the lock."""
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match[1])] = Version(match[2])
    return found


def requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """The project's dependencies and those of all its extras."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    return [Requirement(line) for line in lines]


def disagreements(lock: Path = LOCK, pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """What the lock lacks or pins outside the project's bounds, one line each."""
    pinned = pins(lock)
    problems = []
    for requirement in requirements(pyproject):
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} but the lock pins {requirement.name}=={version}")
    return problems


def main() -> int:
    """Print the disagreements and how to fix them."""
    problems = disagreements()
    if problems:
        print(f"{LOCK.relative_to(ROOT)} does not agree with pyproject.toml:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print("Regenerate it with: make lock (then commit it)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
