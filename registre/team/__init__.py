"""The team register: the same register, models, services, checks and exports, kept on a
PostgreSQL server so that several people of a DPO service use it at once.

A location is either a register folder (the local encrypted register, the default) or a
``postgresql://`` URL; ``is_team_location`` tells them apart, and ``storage.open_register``
hands URLs to ``registre.team.register``. Nothing here is imported unless a URL is used.
"""

from __future__ import annotations

from pathlib import Path

URL_SCHEMES = ("postgresql://", "postgres://")


def is_team_location(location: object) -> bool:
    """True when ``location`` names a team register (a PostgreSQL URL), not a folder."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def register_location(text: str) -> Path | str:
    """A command-line REGISTER argument: a URL stays text, anything else is a folder path."""
    return text if is_team_location(text) else Path(text)
