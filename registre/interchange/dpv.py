"""The register as JSON-LD in the W3C Data Privacy Vocabulary (DPV 2) and its GDPR extension.

One ``dpv:ROPA`` node names the controllers (``dpv:DataController`` with their
``dpv:DataProtectionOfficer``) and the processes (``dpv:Process``); each process carries its
purposes, legal bases (``eu-gdpr:A6-1-c``, ``eu-gdpr:A9-2-b``…), personal data (``pd:`` concepts)
with their storage durations, data subjects, recipients, processors, third countries and
transfer safeguards (``eu-gdpr:A46-2-c``…) and technical and organisational measures.

The JSON-LD context is embedded in the document (``resources/dpv/context.json``): nothing is
fetched from the network to read it. The mapping from Registre's vocabularies to DPV concepts is
data (``resources/dpv/mapping.json``); every node also keeps its Registre key and French label.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from registre.interchange.json_format import load_organisations
from registre.interchange.text import render_retention
from registre.presentation import choice_label
from registre.schema import (
    ACTIVITY,
    DATA_CATEGORY,
    DATA_SUBJECT,
    RECIPIENT,
    SECURITY_MEASURE,
    Field,
)
from registre.storage import Register
from registre.vocabularies import vocabulary


@cache
def context() -> dict[str, Any]:
    """The embedded JSON-LD context (prefixes of DPV, its extensions, Dublin Core…)."""
    path = resources.files("registre_resources") / "dpv" / "context.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return dict(document["@context"])


@cache
def mapping() -> dict[str, Any]:
    """Registre vocabulary keys → DPV concepts."""
    path = resources.files("registre_resources") / "dpv" / "mapping.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _iri(record_id: str) -> str:
    return f"urn:uuid:{record_id}"


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def _plain(value: str) -> dict[str, str]:
    """A literal without language (identifiers, addresses of mail, codes)."""
    return {"@value": value, "@type": "xsd:string"}


def _date(value: str | None) -> dict[str, str] | None:
    return {"@value": value, "@type": "xsd:date"} if value else None


def _concept(table: str, key: str | None) -> str:
    concepts: dict[str, str] = mapping()[table]
    return concepts.get(key or "", concepts[""])


def _term_node(
    row: dict[str, Any], spec: Field, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A row keyed by a vocabulary term, as a DPV concept with its label and details."""
    key = row[spec.key]
    return _compact(
        {
            "@id": _iri(row["id"]),
            "@type": _concept(spec.vocabulary, key),
            **(extra or {}),
            "rdfs:label": choice_label(spec, key) if key else None,
            "registre:key": key,
            "dct:description": row["details"],
        }
    )


def _compact(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` without empty values."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def _contacts(*values: Any) -> list[dict[str, str]]:
    return [_plain(str(value)) for value in values if value]


def _country(code: str | None) -> dict[str, str] | None:
    return _ref(f"loc:{code}") if code else None


def _third_country(code: str | None) -> bool:
    if not code:
        return False
    term = vocabulary("countries").term(code)
    return bool(term and not term.extra.get("eea") and not term.extra.get("gdpr_territory"))


def _organisation(organisation: dict[str, Any]) -> dict[str, Any]:
    iri = _iri(organisation["id"])
    dpo = _compact(
        {
            "@id": f"{iri}#dpo",
            "@type": "dpv:DataProtectionOfficer",
            "dpv:hasName": organisation["dpo_name"],
            "dpv:hasAddress": organisation["dpo_address"],
            "dpv:hasContact": _contacts(organisation["dpo_email"], organisation["dpo_phone"]),
            "registre:organisation": organisation["dpo_organisation"],
            "dct:identifier": _plain(organisation["dpo_designation_number"])
            if organisation["dpo_designation_number"]
            else None,
        }
    )
    representative = (
        {
            "@id": f"{iri}#representative",
            "@type": "dpv:Representative",
            "dpv:hasName": organisation["eu_representative"],
        }
        if organisation["eu_representative"]
        else None
    )
    return _compact(
        {
            "@id": iri,
            "@type": ["dpv:DataController", "dpv:LegalEntity"],
            "dpv:hasName": organisation["name"],
            "dpv:hasAddress": organisation["address"],
            "dpv:hasContact": _contacts(organisation["email"], organisation["phone"]),
            "dct:identifier": _plain(organisation["siren"]) if organisation["siren"] else None,
            "registre:kind": organisation["kind"],
            "registre:legalRepresentative": organisation["legal_representative_name"],
            "registre:legalRepresentativeTitle": organisation["legal_representative_title"],
            "dpv:hasDataProtectionOfficer": dpo if len(dpo) > 2 else None,
            "dpv:hasRepresentative": representative,
        }
    )


def _processor(processor: dict[str, Any]) -> dict[str, Any]:
    return _compact(
        {
            "@id": _iri(processor["id"]),
            "@type": "dpv:DataProcessor",
            "dpv:hasName": processor["name"],
            "dpv:hasAddress": processor["address"],
            "dpv:hasCountry": _country(processor["country"]),
            "dpv:hasContact": _contacts(processor["email"], processor["phone"]),
            "dct:identifier": _plain(processor["siren"]) if processor["siren"] else None,
            "registre:art28Contract": processor["has_art28_contract"],
            "registre:contractReference": processor["contract_reference"],
        }
    )


def _duration(row: dict[str, Any]) -> dict[str, Any] | None:
    sentence = render_retention(row)
    if not sentence:
        return None
    unit, value = row.get("retention_unit"), row.get("retention_value")
    duration: dict[str, Any] | None = None
    if unit == "unlimited":
        duration = {"@type": "dpv:EndlessDuration"}
    elif unit and value is not None:
        letter = mapping()["retention_units"][unit]
        duration = {
            "@type": "dpv:TemporalDuration",
            "rdf:value": {"@value": f"P{value}{letter}", "@type": "xsd:duration"},
        }
    return _compact(
        {
            "@type": "dpv:StorageDuration",
            "dpv:hasDuration": duration,
            "dct:description": sentence,
            "registre:finalDisposition": row.get("final_disposition"),
        }
    )


def _process(activity: dict[str, Any], organisation_iri: str) -> dict[str, Any]:
    main = activity["main_purpose"]
    purposes = (
        [
            _compact(
                {
                    "@type": "dpv:Purpose",
                    "rdfs:label": "Finalité principale",
                    "dct:description": main,
                }
            )
        ]
        if main
        else []
    )
    purposes += [
        {"@id": _iri(row["id"]), "@type": "dpv:Purpose", "dct:description": row["description"]}
        for row in activity["purposes"]
        if row["description"]
    ]
    legal_bases = []
    if activity["legal_basis"]:
        legal_bases.append(_ref(mapping()["legal_bases"][activity["legal_basis"]]))
    if activity["art9_condition"]:
        legal_bases.append(_ref(mapping()["art9_conditions"][activity["art9_condition"]]))
    personal_data = [
        _term_node(
            row, DATA_CATEGORY.field("category"), {"dpv:hasStorageCondition": _duration(row)}
        )
        for row in activity["data_categories"]
    ]
    subjects = [
        _term_node(row, DATA_SUBJECT.field("category")) for row in activity["data_subjects"]
    ]
    recipients = [
        _term_node(row, RECIPIENT.field("recipient_type"), {"dpv:hasName": row["name"]})
        for row in activity["recipients"]
    ]
    importers = [
        _compact(
            {
                "@id": _iri(row["id"]),
                "@type": "dpv:DataImporter",
                "dpv:hasName": row["recipient"],
                "dpv:hasCountry": _country(row["country"]),
                "dpv:hasLegalBasis": _ref(mapping()["transfer_safeguards"][row["safeguard"]])
                if row["safeguard"]
                else None,
                "dct:description": row["documentation"],
            }
        )
        for row in activity["transfers"]
    ]
    third_countries = sorted(
        {row["country"] for row in activity["transfers"] if _third_country(row["country"])}
    )
    measures = [
        _term_node(row, SECURITY_MEASURE.field("measure_type"))
        for row in activity["security_measures"]
    ]
    if activity["security_overview"]:
        measures.append(
            {
                "@type": "dpv:TechnicalOrganisationalMeasure",
                "rdfs:label": ACTIVITY.field("security_overview").label_fr,
                "dct:description": activity["security_overview"],
            }
        )
    if activity["dpia_status"] in ("done", "in_progress"):
        measures.append(
            _compact(
                {
                    "@type": "dpv:DPIA",
                    "registre:status": activity["dpia_status"],
                    "dct:date": _date(activity["dpia_date"]),
                    "dct:description": activity["dpia_conclusion"],
                }
            )
        )
    joint = [
        _compact(
            {
                "@id": _iri(row["id"]),
                "@type": "dpv:DataController",
                "dpv:hasName": row["name"],
                "dpv:hasContact": _contacts(row["contact"]),
                "dct:description": row["responsibilities"],
            }
        )
        for row in activity["joint_controllers"]
    ]
    served = [
        _compact(
            {
                "@id": _iri(row["id"]),
                "@type": "dpv:DataController",
                "dpv:hasName": row["name"],
                "dpv:hasContact": _contacts(row["contact"]),
                "dpv:hasRepresentative": row["representative"],
            }
        )
        for row in activity["controllers_served"]
    ]
    as_processor = activity["role"] == "processor"
    processors = [_ref(_iri(record_id)) for record_id in activity["processors"]]
    if as_processor:
        processors.append(_ref(organisation_iri))
    general = (
        {"@type": "dpv:StorageDuration", "dct:description": activity["general_retention"]}
        if activity["general_retention"]
        else None
    )
    return _compact(
        {
            "@id": _iri(activity["id"]),
            "@type": "dpv:Process",
            "dct:title": activity["name"],
            "dct:identifier": _plain(activity["reference"]) if activity["reference"] else None,
            "dct:description": activity["description"],
            "dct:created": _date(activity["created_on"]),
            "dct:modified": _date(activity["updated_on"]),
            "registre:role": activity["role"],
            "registre:status": activity["status"],
            "registre:service": activity["service"],
            "dpv:hasDataController": served if as_processor else _ref(organisation_iri),
            "dpv:hasJointDataControllers": {
                "@type": "dpv:JointDataControllers",
                "dpv:hasDataController": [_ref(organisation_iri), *joint],
            }
            if joint
            else None,
            "dpv:hasDataProcessor": processors,
            "dpv:hasPurpose": purposes,
            "dpv:hasLegalBasis": legal_bases,
            "registre:legalBasisText": activity["legal_basis_text"],
            "dpv:hasPersonalData": personal_data,
            "dpv:hasDataSubject": subjects,
            "dpv:hasRecipient": recipients,
            "dpv:hasDataImporter": importers,
            "dpv:hasThirdCountry": [_ref(f"loc:{code}") for code in third_countries],
            "dpv:hasStorageCondition": general,
            "dpv:hasTechnicalOrganisationalMeasure": measures,
        }
    )


def dpv_document(register: Register, organisation_id: str | None = None) -> dict[str, Any]:
    """The register (or one organisation) as a JSON-LD document with an embedded context."""
    organisations = load_organisations(register, organisation_id, iso=True)
    graph: list[dict[str, Any]] = []
    processes: list[dict[str, str]] = []
    for organisation in organisations:
        iri = _iri(organisation["id"])
        graph.append(_organisation(organisation))
        graph.extend(_processor(processor) for processor in organisation["processors"])
        for activity in organisation["activities"]:
            graph.append(_process(activity, iri))
            processes.append(_ref(_iri(activity["id"])))
    ropa = _compact(
        {
            "@id": _iri(register.register_id),
            "@type": "dpv:ROPA",
            "dct:title": "Registre des activités de traitement",
            "dct:issued": {
                "@value": register.context.clock().isoformat(timespec="seconds"),
                "@type": "xsd:dateTime",
            },
            "dpv:hasDataController": [_ref(_iri(o["id"])) for o in organisations],
            "dpv:hasProcess": processes,
        }
    )
    return {"@context": context(), "@graph": [ropa, *graph]}


def dpv_bytes(register: Register, organisation_id: str | None = None) -> bytes:
    """``dpv_document`` as UTF-8 JSON-LD."""
    document = dpv_document(register, organisation_id)
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
