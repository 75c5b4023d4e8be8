"""W3C Data Privacy Vocabulary export: JSON-LD with an embedded context, read back with rdflib."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import RDF, XSD, Literal, Namespace, URIRef

from registre import services
from registre.demo import create_demo_register
from registre.interchange import export_bytes, export_register
from registre.storage import Context, Register

# rdflib 7's JSON-LD parser builds a ConjunctiveGraph internally and warns about it.
pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning:rdflib"
)

DPV = Namespace("https://w3id.org/dpv#")
GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
PD = Namespace("https://w3id.org/dpv/pd#")
LOC = Namespace("https://w3id.org/dpv/loc#")
DCT = Namespace("http://purl.org/dc/terms/")


@pytest.fixture
def demo(tmp_path: Path, context: Context) -> Any:
    register, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    yield register
    register.close()


@pytest.fixture
def graph(demo: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> rdflib.Graph:
    exported = export_register(demo, tmp_path / "registre.jsonld", "dpv")
    document = json.loads(exported.read_bytes())
    assert isinstance(document["@context"], dict)

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the JSON-LD context must not be fetched")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    return rdflib.Graph().parse(data=exported.read_bytes(), format="json-ld")


def _process(graph: rdflib.Graph, reference: str) -> Any:
    for process in graph.subjects(RDF.type, DPV.Process):
        if graph.value(process, DCT.identifier) == Literal(reference, datatype=XSD.string):
            return process
    raise AssertionError(reference)


def test_the_register_is_a_ropa_of_processes_and_controllers(
    demo: Register, graph: rdflib.Graph
) -> None:
    [ropa] = list(graph.subjects(RDF.type, DPV.ROPA))
    processes = set(graph.subjects(RDF.type, DPV.Process))
    assert len(processes) == 40
    assert set(graph.objects(ropa, DPV.hasProcess)) == processes
    controllers = set(graph.objects(ropa, DPV.hasDataController))
    assert {URIRef(f"urn:uuid:{o.id}") for o in services.list_organisations(demo)} == controllers
    for controller in controllers:
        assert (controller, RDF.type, DPV.DataController) in graph
        dpo = graph.value(controller, DPV.hasDataProtectionOfficer)
        assert (dpo, RDF.type, DPV.DataProtectionOfficer) in graph
        assert graph.value(dpo, DPV.hasName) is not None


def test_a_process_carries_purposes_legal_bases_data_subjects_and_recipients(
    graph: rdflib.Graph,
) -> None:
    civil = _process(graph, "T-001")
    assert (civil, DPV.hasLegalBasis, GDPR["A6-1-c"]) in graph
    purposes = list(graph.objects(civil, DPV.hasPurpose))
    assert len(purposes) == 5
    assert all((purpose, RDF.type, DPV.Purpose) in graph for purpose in purposes)
    data = list(graph.objects(civil, DPV.hasPersonalData))
    assert {graph.value(item, RDF.type) for item in data} == {PD.Identifying, PD.Social}
    durations = {
        str(
            graph.value(
                graph.value(graph.value(item, DPV.hasStorageCondition), DPV.hasDuration), RDF.value
            )
        )
        for item in data
    }
    assert durations == {"P100Y", "P50Y"}
    subjects = list(graph.objects(civil, DPV.hasDataSubject))
    assert {graph.value(s, RDF.type) for s in subjects} == {DPV.Citizen, DPV.User}
    recipients = list(graph.objects(civil, DPV.hasRecipient))
    assert len(recipients) == 4
    measures = list(graph.objects(civil, DPV.hasTechnicalOrganisationalMeasure))
    assert (measures[0], RDF.type, None) in graph
    assert list(graph.objects(civil, DPV.hasDataProcessor))


def test_transfers_name_their_third_country_and_safeguard(graph: rdflib.Graph) -> None:
    transfers = [
        process
        for process in graph.subjects(RDF.type, DPV.Process)
        if (process, DPV.hasThirdCountry, LOC.US) in graph
    ]
    assert len(transfers) == 2
    safeguards = {
        graph.value(importer, DPV.hasLegalBasis)
        for process in transfers
        for importer in graph.objects(process, DPV.hasDataImporter)
    }
    assert GDPR["A46-2-c"] in safeguards


def test_one_organisation_can_be_exported_alone(demo: Register) -> None:
    ccas = next(o for o in services.list_organisations(demo) if o.kind == "ccas")
    document = json.loads(export_bytes(demo, "dpv", organisation_id=ccas.id))
    processes = [node for node in document["@graph"] if node.get("@type") == "dpv:Process"]
    assert len(processes) == ccas.activities
