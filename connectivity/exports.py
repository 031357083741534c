"""CSV, GeoJSON and PDF out; CSV and GeoJSON places in."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils import timezone, translation

from connectivity import selectors
from connectivity.models import (
    DEMO_SOURCE,
    SOURCE_LABELS,
    Place,
    Technology,
    VillageStatus,
)
from core.exports import CSV_TYPE, attachment, csv_text
from core.pdf import a4_document, stylesheet, table_style
from regions.models import Region

VILLAGE_COLUMNS = [
    "kode",
    "nama",
    "kecamatan",
    "status",
    "kantor_bersinyal",
    "teknologi_terbaik",
    "bobot_permukiman",
    "bobot_permukiman_bersinyal",
    "pusat_ekonomi",
    "pusat_ekonomi_bersinyal",
    "bobot_prediksi_terjangkau",
    "observasi_terakhir",
]
# tempat.csv: Indonesian headers and values; ``parse_places`` reads them back
# (and the English names of the API and of older files). Header: field.
PLACE_KEYS = {
    "id": "id",
    "kode_desa": "region",
    "jenis": "kind",
    "nama": "name",
    "lat": "lat",
    "lng": "lng",
    "rumah_tangga": "households",
    "penduduk": "population",
    "bobot": "weight",
    "sumber": "source",
    "sinyal_teramati": "observed_tech",
    "prediksi_terjangkau": "predicted_covered",
}
PLACE_COLUMNS = list(PLACE_KEYS)


def choice_word(choices: type[models.TextChoices], value: str) -> str:
    """A choice as an Indonesian sheet shows it (its label in Indonesian)."""
    if not value:
        return ""
    with translation.override("id"):
        return str(choices(value).label)


def choice_from_word(choices: type[models.TextChoices], text: Any) -> str:
    """The stored value of a choice written as its value or label (Indonesian or
    English, any case); the text itself when it is none of them."""
    word = str(text or "").strip()
    wanted = word.lower()
    for language in ("id", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                if wanted in (str(value).lower(), str(label).lower()):
                    return str(value)
    return word


def _yn(value: bool | None) -> str:
    return "" if value is None else ("ya" if value else "tidak")


def villages_csv(*, region: Region) -> str:
    statuses = {s.region_id: s for s in selectors.village_statuses(region=region)}
    return csv_text(VILLAGE_COLUMNS, _village_rows(region, statuses))


def _village_rows(
    region: Region, statuses: dict[str, VillageStatus]
) -> Iterator[list[Any]]:
    for v in selectors.villages_in(region=region).select_related("parent"):
        s = statuses.get(v.kode)
        yield (
            [
                v.kode,
                v.name,
                v.parent.name if v.parent else "",
                choice_word(
                    VillageStatus.Status,
                    s.status if s else VillageStatus.Status.UNKNOWN,
                ),
                _yn(s.office_signal) if s else "",
                choice_word(Technology, s.best_tech) if s else "",
                round(s.settlement_weight, 2) if s else "",
                round(s.settlement_weight_signal, 2) if s else "",
                s.economic_total if s else "",
                s.economic_signal if s else "",
                round(s.predicted_weight, 2) if s else "",
                s.last_observed_at if s else "",
            ]
        )


def villages_csv_response(*, region: Region) -> HttpResponse:
    return attachment(
        villages_csv(region=region),
        filename=f"sinyal-desa-{region.kode}.csv",
        content_type=CSV_TYPE,
    )


def geojson(*, region: Region) -> dict[str, Any]:
    """One FeatureCollection with every layer; ``layer`` tells them apart."""
    layers = selectors.map_layers(region=region)
    features: list[dict[str, Any]] = []
    for name in ("villages", "places", "towers", "coverage", "planned_sites"):
        fc = layers.get(name)
        if not fc:
            continue
        for f in fc["features"]:
            features.append({**f, "properties": {**f["properties"], "layer": name}})
    return {
        "type": "FeatureCollection",
        "features": features,
        "coverage_note": layers["coverage"]["note"],
    }


def geojson_response(*, region: Region) -> HttpResponse:
    return attachment(
        json.dumps(geojson(region=region), ensure_ascii=False),
        filename=f"sinyal-{region.kode}.geojson",
        content_type="application/geo+json",
    )


def places_csv(*, region: Region) -> str:
    return csv_text(
        PLACE_COLUMNS,
        (
            [
                p.pk,
                p.region_id,
                choice_word(Place.Kind, p.kind),
                p.name,
                p.lat,
                p.lng,
                p.households or "",
                p.population or "",
                p.weight,
                p.source,
                choice_word(Technology, p.observed_tech),
                _yn(p.predicted_covered),
            ]
            for p in selectors.places_list(region=region)
        ),
    )


def places_csv_response(*, region: Region) -> HttpResponse:
    return attachment(
        places_csv(region=region),
        filename=f"tempat-prioritas-{region.kode}.csv",
        content_type=CSV_TYPE,
    )


class ImportFormatError(ValueError):
    pass


def parse_places(data: bytes, filename: str) -> list[dict[str, Any]]:
    """Rows from a CSV (columns as in the export) or a GeoJSON FeatureCollection
    (Point or Polygon features; properties ``region``, ``kind``, ``name``…)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError("File harus berupa teks UTF-8.") from None
    stripped = text.lstrip()
    if filename.lower().endswith((".geojson", ".json")) or stripped.startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"GeoJSON tidak valid: {exc}") from None
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            raise ImportFormatError("GeoJSON harus berupa FeatureCollection.")
        rows = []
        for n, feature in enumerate(doc.get("features") or [], start=1):
            props = dict(feature.get("properties") or {})
            geometry = feature.get("geometry") or {}
            row = {**props, "_line": f"fitur {n}"}
            if geometry.get("type") == "Point":
                lng, lat = geometry["coordinates"][:2]
                row.update(lat=lat, lng=lng)
            elif geometry.get("type") in ("Polygon", "MultiPolygon"):
                from connectivity.geo import geometry_centroid

                centre = geometry_centroid(geometry)
                row["geometry"] = geometry
                if centre and row.get("lat") in (None, ""):
                    row.update(lat=centre[0], lng=centre[1])
            rows.append(row)
        return rows
    reader = csv.reader(io.StringIO(text))
    header = [PLACE_KEYS.get(h.strip(), h.strip()) for h in next(reader, [])]
    if not {"lat", "lng"} <= set(header):
        raise ImportFormatError(
            "CSV harus punya kolom kode_desa, jenis, nama, lat, lng (seperti ekspor)."
        )
    rows = []
    for n, values in enumerate(reader, start=2):
        cells: dict[str, Any] = dict(zip(header, values, strict=False))
        if cells.get("kind"):
            cells["kind"] = choice_from_word(Place.Kind, cells["kind"])
        rows.append({**cells, "_line": f"baris {n}"})
    return rows


def pdf_report(*, region: Region) -> bytes:
    """A printable progress report of a region (reportlab, A4)."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer

    styles = stylesheet()
    buffer = io.BytesIO()
    doc = a4_document(buffer, title=f"Laporan sinyal {region.name}")
    p = selectors.progress(region=region)
    with translation.override("id"):
        demo_label = str(SOURCE_LABELS[DEMO_SOURCE])

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.0f}%"

    story: list[Any] = [
        Paragraph(f"Laporan sinyal seluler: {region.name}", styles["Title"]),
        Paragraph(
            f"Kode {region.kode} · dibuat {timezone.localtime():%d-%m-%Y %H:%M} WITA "
            "· Simpul",
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
        Paragraph("Ringkasan (teramati)", styles["Heading2"]),
    ]
    summary: list[list[Any]] = [
        ["", "Bersinyal", "Diketahui", "Total", "Porsi"],
        [
            "Desa/kelurahan",
            p.villages_signal,
            p.villages_known,
            p.villages,
            pct(p.villages_share),
        ],
        [
            "Kantor desa",
            p.offices_signal,
            p.offices_known,
            p.offices,
            pct(p.offices_share),
        ],
        [
            "Bobot permukiman",
            f"{p.settlement_weight_signal:.1f}",
            f"{p.settlement_weight_known:.1f}",
            f"{p.settlement_weight:.1f}",
            pct(p.settlement_share),
        ],
        [
            "Pusat layanan ekonomi",
            p.economic_signal,
            p.economic_known,
            p.economic,
            pct(p.economic_share),
        ],
    ]
    story.append(_table(summary))
    story += [
        Spacer(1, 0.3 * cm),
        Paragraph(
            f"Prediksi model (terpisah dari pengamatan): {pct(p.predicted_share)} "
            f"bobot tempat prioritas terjangkau oleh {p.towers_on_air} menara yang "
            f"mengudara; {p.towers_planned} menara dalam rencana/pembangunan.",
            styles["Normal"],
        ),
        Paragraph("Per wilayah", styles["Heading2"]),
    ]
    rows: list[list[Any]] = [
        ["Wilayah", "Desa bersinyal", "Blankspot", "Kantor", "Permukiman"]
    ]
    for c in selectors.progress_children(region=region):
        rows.append(
            [
                c.region.name if c.region else "",
                f"{c.villages_signal}/{c.villages_known}",
                c.villages_blankspot,
                f"{c.offices_signal}/{c.offices_known}",
                pct(c.settlement_share),
            ]
        )
    story.append(_table(rows))
    blank = selectors.village_statuses(region=region, status="blankspot")
    if blank.exists():
        story.append(Paragraph("Desa blankspot", styles["Heading2"]))
        rows = [["Kode", "Desa", "Kecamatan", "Pengamatan terakhir"]]
        for s in blank[:300]:
            rows.append(
                [
                    s.region_id,
                    s.region.name,
                    s.region.parent.name if s.region.parent else "",
                    f"{s.last_observed_at:%d-%m-%Y}" if s.last_observed_at else "",
                ]
            )
        story.append(_table(rows))
    story.append(Spacer(1, 0.4 * cm))
    story.append(
        Paragraph(
            "Status desa diturunkan dari pengamatan terkonfirmasi; laporan warga "
            "belum dihitung sampai dikonfirmasi petugas. Data bersumber "
            f"“{demo_label}” adalah contoh.",
            styles["Italic"],
        )
    )
    doc.build(story)
    return buffer.getvalue()


def _table(rows: list[list[Any]]) -> Any:
    from reportlab.platypus import Table

    table = Table(rows, repeatRows=1)
    table.setStyle(table_style())
    return table


def place_kind_values() -> list[str]:
    return list(Place.Kind.values)
