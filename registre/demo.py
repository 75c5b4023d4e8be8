"""The demo register: a fictional commune and its CCAS, loaded from ``resources/demo``.

The companion registers of the demo (breaches, rights requests, impact assessments, processor
contracts) give their recent dates relative to the register's clock — ``{"days_ago": 41}``,
``{"hours_ago": 20}``, ``{"days_ago": 54, "at": "07:45"}`` (UTC) — so that, whenever the demo
is created, one breach is still inside its 72 hours and one rights request is overdue.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

from registre import services
from registre.schema import COMPANION_KEYS
from registre.signing import ensure_signing_identity
from registre.storage import Context, Register, create_register

# Shown on the unlock screen of the demo register only (its key-slot file is marked "demo").
DEMO_PASSPHRASE = "demo-saint-exemple-sur-loire"  # noqa: S105 - public by design
DEMO_FOLDER_NAME = "Commune-de-Saint-Exemple-demo.registre"


def demo_data() -> dict[str, Any]:
    """The demo content: organisations, each with processors, software and activities."""
    path = resources.files("registre_resources") / "demo" / "saint-exemple.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def populate(register: Register, data: dict[str, Any] | None = None) -> None:
    """Create the demo organisations and their records through the service functions.

    Processors, software and activities refer to each other by the ``key`` given in the data.
    """
    data = data or demo_data()
    for organisation in data["organisations"]:
        fields = {
            k: v
            for k, v in organisation.items()
            if k not in ("processors", "software", "activities", "companions")
        }
        org_id = services.create_organisation(register, **fields).id
        processor_ids: dict[str, str] = {}
        for processor in organisation.get("processors", []):
            values = {k: v for k, v in processor.items() if k != "key"}
            processor_ids[processor["key"]] = services.create_processor(
                register, organisation_id=org_id, **values
            ).id
        software_ids: dict[str, str] = {}
        for software in organisation.get("software", []):
            values = {k: v for k, v in software.items() if k not in ("key", "processor")}
            if software.get("processor"):
                values["processor_id"] = processor_ids[software["processor"]]
            software_ids[software["key"]] = services.create_software(
                register, organisation_id=org_id, **values
            ).id
        activities = []
        for activity in organisation.get("activities", []):
            values = dict(activity)
            values["processors"] = [processor_ids[k] for k in activity.get("processors", [])]
            values["software"] = [software_ids[k] for k in activity.get("software", [])]
            activities.append(values)
        services.bulk_create_activities(register, organisation_id=org_id, activities=activities)
        references = {
            a.reference: a.id for a in services.list_activities(register, org_id) if a.reference
        }
        companions = organisation.get("companions", {})
        now = register.context.clock()
        for entity, key in COMPANION_KEYS.items():
            for record in companions.get(key, []):
                values = {k: _when(v, now) for k, v in record.items() if k != "processor"}
                if "activities" in values:
                    values["activities"] = [references[r] for r in values["activities"]]
                if "software" in values:
                    values["software"] = [software_ids[k] for k in values["software"]]
                if "processor" in record:
                    values["processor_id"] = processor_ids[record["processor"]]
                services.create_record(register, entity, organisation_id=org_id, **values)


def _when(value: Any, now: dt.datetime) -> Any:
    """A demo value, with a date given relative to ``now`` turned into a date or a moment."""
    if not isinstance(value, dict):
        return value
    if "hours_ago" in value:
        return (now - dt.timedelta(hours=value["hours_ago"])).replace(second=0, microsecond=0)
    day = now.date() - dt.timedelta(days=value["days_ago"])
    if "at" not in value:
        return day
    return dt.datetime.combine(day, dt.time.fromisoformat(value["at"]), tzinfo=dt.UTC)


def create_demo_register(
    directory: Path, passphrase: str = DEMO_PASSPHRASE, *, context: Context | None = None
) -> tuple[Register, str]:
    """Create and fill the demo register; returns it open and its recovery key."""
    register, recovery_key = create_register(directory, passphrase, context=context, demo=True)
    try:
        populate(register)
        ensure_signing_identity(register)
    except BaseException:
        register.close()
        raise
    return register, recovery_key
