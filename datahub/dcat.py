"""The catalogue as DCAT (W3C Data Catalog Vocabulary) with DCAT-AP typing, paged
as a Hydra collection like ckanext-dcat's ``/catalog.{ttl,rdf,jsonld}``.

One rdflib graph is built per page and serialised to Turtle, RDF/XML and JSON-LD,
so the three always hold the same triples. Dates are ``xsd:date`` /
``xsd:dateTime`` literals, media types IANA IRIs, file types and frequencies the
EU vocabularies' IRIs, titles and descriptions tagged ``@id`` (Indonesian)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from datahub.ckan import FORMATS
from datahub.models import Dataset

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "xsd": XSD,
    "hydra": HYDRA,
    "adms": ADMS,
}
# The JSON-LD output is compacted with these prefixes.
CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

# (name in the URL, rdflib format, content type)
SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}

LANG = "id"
_EU = "http://publications.europa.eu/resource/authority/"
LANGUAGE = URIRef(f"{_EU}language/IND")
IANA = "http://www.iana.org/assignments/media-types/"
FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "continuous": "UPDATE_CONT",
}
LICENCE_URIS = {
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
}
PAGE_SIZE = 100


def _text(graph: Graph, subject: URIRef | BNode, predicate: URIRef, text: str) -> None:
    if text:
        graph.add((subject, predicate, Literal(text, lang=LANG)))


def _time(graph: Graph, subject: URIRef, predicate: URIRef, value: Any) -> None:
    if isinstance(value, datetime):
        graph.add((subject, predicate, Literal(value, datatype=XSD.dateTime)))


def _licence(graph: Graph, subject: URIRef, dataset: Dataset) -> None:
    licence = LICENCE_URIS.get(dataset.licence)
    if licence:
        graph.add((subject, DCTERMS.license, URIRef(licence)))
        graph.add((URIRef(licence), RDF.type, DCTERMS.LicenseDocument))


def add_dataset(graph: Graph, request: HttpRequest, dataset: Dataset) -> URIRef:
    page = URIRef(request.build_absolute_uri(dataset.get_absolute_url()))
    catalogue_url = request.build_absolute_uri(reverse("datahub:catalogue"))
    graph.add((page, RDF.type, DCAT.Dataset))
    graph.add((page, DCTERMS.identifier, Literal(str(dataset.id))))
    _text(graph, page, DCTERMS.title, dataset.title)
    _text(graph, page, DCTERMS.description, dataset.description)
    for word in dataset.keywords:
        _text(graph, page, DCAT.keyword, word)
    theme = URIRef(f"{catalogue_url}?topik={dataset.topic.slug}")
    graph.add((page, DCAT.theme, theme))
    graph.add((theme, RDF.type, SKOS.Concept))
    _text(graph, theme, SKOS.prefLabel, dataset.topic.title)

    office = dataset.office
    publisher = URIRef(f"{catalogue_url}?kantor={office.slug}")
    graph.add((page, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(office.name)))
    contact = BNode()
    graph.add((page, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(office.name)))
    if office.email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{office.email}")))

    _time(graph, page, DCTERMS.issued, dataset.published_at)
    _time(graph, page, DCTERMS.modified, dataset.updated_at)
    frequency = FREQUENCIES.get(dataset.frequency, "UNKNOWN")
    graph.add((page, DCTERMS.accrualPeriodicity, URIRef(f"{_EU}frequency/{frequency}")))
    region = URIRef(request.build_absolute_uri(dataset.region.get_absolute_url()))
    graph.add((page, DCTERMS.spatial, region))
    graph.add((region, RDF.type, DCTERMS.Location))
    graph.add((region, DCTERMS.identifier, Literal(dataset.region_id)))
    _text(graph, region, SKOS.prefLabel, dataset.region.name)
    graph.add((page, DCTERMS.language, LANGUAGE))
    graph.add((page, DCAT.landingPage, page))
    if dataset.period_start or dataset.period_end:
        period = BNode()
        graph.add((page, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.period_start:
            graph.add((period, DCAT.startDate, Literal(dataset.period_start)))
        if dataset.period_end:
            graph.add((period, DCAT.endDate, Literal(dataset.period_end)))
    _licence(graph, page, dataset)
    if dataset.unit:
        _text(graph, page, ADMS.versionNotes, f"Satuan: {dataset.unit}")

    for resource in dataset.resources.all():
        current = resource.current
        if current is None:
            continue
        for fmt, ext, mimetype in FORMATS:
            url = URIRef(
                request.build_absolute_uri(
                    reverse(
                        "datahub:download",
                        kwargs={
                            "slug": dataset.slug,
                            "resource": resource.id,
                            "fmt": ext,
                        },
                    )
                )
            )
            graph.add((page, DCAT.distribution, url))
            graph.add((url, RDF.type, DCAT.Distribution))
            graph.add((url, DCTERMS.identifier, Literal(f"{resource.id}/{ext}")))
            _text(graph, url, DCTERMS.title, f"{resource.name} ({fmt})")
            _text(graph, url, DCTERMS.description, resource.description)
            graph.add((url, DCAT.accessURL, page))
            graph.add((url, DCAT.downloadURL, url))
            graph.add((url, DCAT.mediaType, URIRef(IANA + mimetype)))
            graph.add((url, DCTERMS.format, URIRef(f"{_EU}file-type/{fmt}")))
            _time(graph, url, DCTERMS.issued, resource.created_at)
            _time(graph, url, DCTERMS.modified, current.created_at)
            _licence(graph, url, dataset)
    return page


def catalogue_graph(request: HttpRequest, datasets: Any, page: int) -> Graph:
    """One page (``PAGE_SIZE`` datasets) of the catalogue, with Hydra links to the
    other pages at the same URL (so in the same serialisation)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    total = datasets.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    items = datasets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

    catalog = URIRef(request.build_absolute_uri(reverse("datahub:catalogue")))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _text(graph, catalog, DCTERMS.title, "Simpul: katalog data Kalimantan Timur")
    _text(
        graph,
        catalog,
        DCTERMS.description,
        "Data terbuka kecamatan, kabupaten/kota dan provinsi Kalimantan Timur, "
        "termasuk indikator bawaan yang dihitung oleh Simpul.",
    )
    graph.add((catalog, DCTERMS.language, LANGUAGE))
    graph.add((catalog, FOAF.homepage, URIRef(request.build_absolute_uri("/"))))
    publisher = BNode()
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal("Diskominfo Provinsi Kalimantan Timur")))
    _time(
        graph, catalog, DCTERMS.modified, datasets.aggregate(m=Max("updated_at"))["m"]
    )
    for dataset in items:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, request, dataset)))

    base = request.build_absolute_uri(request.path)
    view = URIRef(f"{base}?page={page}")
    graph.add((catalog, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.totalItems, Literal(total)))
    graph.add((view, HYDRA.itemsPerPage, Literal(PAGE_SIZE)))
    graph.add((view, HYDRA.first, URIRef(f"{base}?page=1")))
    graph.add((view, HYDRA.last, URIRef(f"{base}?page={pages}")))
    if page < pages:
        graph.add((view, HYDRA.next, URIRef(f"{base}?page={page + 1}")))
    if page > 1:
        graph.add((view, HYDRA.previous, URIRef(f"{base}?page={page - 1}")))
    return graph


def serialise(graph: Graph, name: str) -> str:
    """The graph as ``ttl``, ``rdf`` or ``jsonld``."""
    rdflib_format, _ = SERIALISATIONS[name]
    if rdflib_format == "json-ld":
        return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    return graph.serialize(format=rdflib_format)
