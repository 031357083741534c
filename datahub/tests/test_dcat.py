"""The DCAT catalogue: one graph served as Turtle, RDF/XML and JSON-LD (by URL and
by content negotiation), parsed back with rdflib, with DCAT-AP typing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from datahub import dcat

pytestmark = pytest.mark.django_db

TYPES = {
    "ttl": ("text/turtle", "turtle"),
    "rdf": ("application/rdf+xml", "xml"),
    "jsonld": ("application/ld+json", "json-ld"),
}
EU = "http://publications.europa.eu/resource/authority/"


def _graph(client: Client, url: str, rdflib_format: str, **headers: str) -> Graph:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return Graph().parse(data=response.content, format=rdflib_format)


def test_three_serialisations_hold_the_same_graph(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    graphs = {}
    for ext, (content_type, rdflib_format) in TYPES.items():
        for url in (f"/catalog.{ext}", f"/data/katalog.{ext}"):
            response = client.get(url)
            assert response["Content-Type"] == f"{content_type}; charset=utf-8"
            assert response["Access-Control-Allow-Origin"] == "*"
        graphs[ext] = _graph(client, f"/catalog.{ext}", rdflib_format)
    # The Hydra links name the URL asked for; the rest must agree triple for triple.
    for graph in graphs.values():
        for view in list(graph.subjects(ns.RDF.type, dcat.HYDRA.PartialCollectionView)):
            graph.remove((view, None, None))
            graph.remove((None, None, view))
    assert len(graphs["ttl"]) > 50
    assert isomorphic(graphs["ttl"], graphs["rdf"])
    assert isomorphic(graphs["ttl"], graphs["jsonld"])
    assert client.get("/catalog.csv").status_code == 404


def test_content_negotiation(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    for content_type, rdflib_format in TYPES.values():
        response = client.get("/catalog", headers={"accept": content_type})
        assert response["Content-Type"].startswith(content_type)
        assert "Accept" in response["Vary"]
        assert len(Graph().parse(data=response.content, format=rdflib_format)) > 50
    weighted = client.get(
        "/data/katalog",
        headers={"accept": "application/ld+json;q=0.5, text/turtle"},
    )
    assert weighted["Content-Type"].startswith("text/turtle")
    assert client.get("/catalog")["Content-Type"].startswith("application/ld+json")
    refused = client.get("/catalog", headers={"accept": "image/png"})
    assert refused.status_code == 406


def test_dcat_ap_typing(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    published.period_start = datetime.date(2025, 1, 1)
    published.period_end = datetime.date(2025, 12, 31)
    published.save()
    graph = _graph(client, "/catalog.ttl", "turtle")
    (catalog,) = graph.subjects(ns.RDF.type, ns.DCAT.Catalog)
    (dataset,) = graph.objects(catalog, ns.DCAT.dataset)
    assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
    assert graph.value(dataset, ns.DCTERMS.identifier) == Literal(str(published.id))
    title = graph.value(dataset, ns.DCTERMS.title)
    assert title == Literal(published.title, lang="id")
    assert graph.value(dataset, ns.DCTERMS.description).language == "id"
    assert graph.value(catalog, ns.DCTERMS.title).language == "id"
    for subject in (catalog, dataset):
        assert graph.value(subject, ns.DCTERMS.language) == URIRef(f"{EU}language/IND")
    issued = graph.value(dataset, ns.DCTERMS.issued)
    assert issued.datatype == ns.XSD.dateTime
    assert issued.toPython() == published.published_at
    assert graph.value(dataset, ns.DCTERMS.modified).datatype == ns.XSD.dateTime
    period = graph.value(dataset, ns.DCTERMS.temporal)
    start = graph.value(period, ns.DCAT.startDate)
    assert start.datatype == ns.XSD.date
    assert start.toPython() == datetime.date(2025, 1, 1)
    assert graph.value(dataset, ns.DCTERMS.accrualPeriodicity) == URIRef(
        f"{EU}frequency/ANNUAL"
    )
    publisher = graph.value(dataset, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in graph
    assert str(graph.value(publisher, ns.FOAF.name)) == "Kecamatan Tenggarong"
    assert (
        graph.value(catalog, ns.DCTERMS.publisher),
        ns.RDF.type,
        ns.FOAF.Agent,
    ) in graph
    distributions = list(graph.objects(dataset, ns.DCAT.distribution))
    assert len(distributions) == 3
    assert all((d, ns.RDF.type, ns.DCAT.Distribution) in graph for d in distributions)
    media = {graph.value(d, ns.DCAT.mediaType) for d in distributions}
    assert URIRef("http://www.iana.org/assignments/media-types/text/csv") in media
    assert (
        URIRef("http://www.iana.org/assignments/media-types/application/json") in media
    )
    formats = {graph.value(d, ns.DCTERMS.format) for d in distributions}
    assert URIRef(f"{EU}file-type/CSV") in formats
    csv = next(d for d in distributions if str(d).endswith(".csv"))
    assert client.get(str(csv)).status_code == 200
    assert graph.value(csv, ns.DCAT.downloadURL) == csv
    assert graph.value(csv, ns.DCTERMS.modified).datatype == ns.XSD.dateTime
    (view,) = graph.objects(catalog, dcat.HYDRA.view)
    assert (view, ns.RDF.type, dcat.HYDRA.PartialCollectionView) in graph
    assert graph.value(view, dcat.HYDRA.totalItems).toPython() == 1
    assert str(graph.value(view, dcat.HYDRA.first)).endswith("/catalog.ttl?page=1")
