"""Built-in indicators: tables per region computed from the platform's own data.

Each indicator gives, for a parent region (the province or a kabupaten/kota), one
row per child region. ``services.indicators_refresh`` stores every indicator as a
published dataset with a live-table resource; the region pages chart them.

Indicators read other apps only through functions of their ``selectors`` modules,
imported as any module is, and copy none of their domain knowledge (verdict groups
and topics come from factcheck's selectors). An indicator whose apps are not
installed is not ``available()`` and is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum

from connectivity import selectors as connectivity_selectors
from datahub.tables import DECIMAL, INTEGER, REGION_CODE, TEXT, Cell, Column
from factcheck import selectors as factcheck_selectors
from network import selectors as network_selectors
from newsroom import selectors as newsroom_selectors
from regions.models import Region

Compute = Callable[[Region, list[Region]], dict[str, dict[str, Cell]]]

BASE_COLUMNS = [Column("kode_wilayah", REGION_CODE), Column("nama_wilayah", TEXT)]


def integers(*names: str) -> list[Column]:
    """Whole-number value columns: what most indicators count."""
    return [Column(name, INTEGER) for name in names]


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str  # Indonesian: datasets are content, published as written
    description: str
    chart_title: str
    unit: str
    columns: list[Column]  # the value columns (after kode_wilayah, nama_wilayah)
    compute: Compute  # parent, children → {child code: {column: value}}
    # The office's own field unless the figures are another's (pemerintahan).
    topic: str = "komunikasi-informatika"
    # The column charted: the first value column unless said otherwise.
    value_column: str = ""
    requires: tuple[str, ...] = field(default=())  # app labels it reads
    levels: tuple[str, ...] = ("provinsi", "kabkota")  # of the parent region
    # Charted as stacked bars: (column, label) parts of value_column.
    segments: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.value_column:
            object.__setattr__(self, "value_column", self.columns[0].name)

    def available(self) -> bool:
        return all(_installed(app) for app in self.requires)

    def table(self, parent: Region) -> tuple[list[Column], list[list[Cell]]]:
        children = list(parent.children.order_by("kode"))
        values = self.compute(parent, children)
        columns = [*BASE_COLUMNS, *self.columns]
        rows: list[list[Cell]] = []
        for child in children:
            row: list[Cell] = [child.kode, child.name]
            row += [values.get(child.kode, {}).get(c.name, 0) for c in self.columns]
            rows.append(row)
        return columns, rows


def _installed(app: str) -> bool:
    return apps.is_installed(app)


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    _REGISTRY[indicator.key] = indicator


def registry() -> dict[str, Indicator]:
    return dict(_REGISTRY)


def available() -> list[Indicator]:
    return [i for i in _REGISTRY.values() if i.available()]


def indicator(**described: Any) -> Callable[[Compute], Compute]:
    """Register the function below as the ``compute`` of ``Indicator(**described)``:
    each indicator's description stands over the code that computes it."""

    def decorate(compute: Compute) -> Compute:
        register(Indicator(compute=compute, **described))
        return compute

    return decorate


def _descendant_villages(children: list[Region]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {c.kode: {} for c in children}
    if not children:
        return counts
    depth = len(children[0].kode)
    prefix = children[0].kode.rsplit(".", 1)[0] + "."
    rows = Region.objects.filter(
        level=Region.Level.VILLAGE, kode__startswith=prefix
    ).values("kode", "kind")
    for row in rows:
        child = row["kode"][:depth]
        if child in counts:
            bucket = counts[child]
            bucket[row["kind"]] = bucket.get(row["kind"], 0) + 1
    return counts


@indicator(
    key="desa-kelurahan",
    title="Jumlah desa dan kelurahan",
    description=(
        "Jumlah desa dan kelurahan per wilayah, luas wilayah dan kerapatan desa, "
        "dihitung dari kode wilayah Kemendagri (Kepmendagri 300.2.2-2430/2025)."
    ),
    chart_title="Desa dan kelurahan",
    topic="pemerintahan",
    unit="desa/kelurahan",
    columns=[
        *integers("jumlah_desa_kelurahan", "jumlah_desa", "jumlah_kelurahan"),
        Column("luas_km2", DECIMAL),
        Column("desa_per_100_km2", DECIMAL),
    ],
)
def _villages(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    counts = _descendant_villages(children)
    result: dict[str, dict[str, Cell]] = {}
    for child in children:
        c = counts.get(child.kode, {})
        desa, kelurahan = c.get(Region.Kind.DESA, 0), c.get(Region.Kind.KELURAHAN, 0)
        area = child.area_km2
        result[child.kode] = {
            "jumlah_desa_kelurahan": desa + kelurahan,
            "jumlah_desa": desa,
            "jumlah_kelurahan": kelurahan,
            "luas_km2": round(area, 1) if area else None,
            "desa_per_100_km2": round((desa + kelurahan) / area * 100, 2)
            if area
            else None,
        }
    return result


@indicator(
    key="kecamatan",
    title="Jumlah kecamatan",
    description="Jumlah kecamatan per kabupaten/kota (kode wilayah Kemendagri).",
    chart_title="Kecamatan",
    topic="pemerintahan",
    unit="kecamatan",
    columns=integers("jumlah_kecamatan"),
    levels=("provinsi",),
)
def _districts(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    rows = (
        Region.objects.filter(parent__in=children)
        .values("parent_id")
        .annotate(n=Count("kode"), area=Sum("area_km2"))
    )
    return {row["parent_id"]: {"jumlah_kecamatan": row["n"]} for row in rows}


# --- providers reading other apps through their selectors ----------------------------


@indicator(
    key="kim",
    title="Kelompok Informasi Masyarakat (KIM)",
    description="Jumlah KIM terdaftar dan KIM aktif per wilayah, dari registri KIM "
    "Simpul.",
    chart_title="KIM terdaftar",
    unit="KIM",
    columns=[
        *integers("jumlah_kim", "kim_aktif"),
        Column("persen_aktif", DECIMAL),
    ],
    requires=("network",),
)
def _kims(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    dashboard = network_selectors.region_dashboard(region=parent)
    return {
        row["code"]: {
            "jumlah_kim": row["kims"],
            "kim_aktif": row["active"],
            "persen_aktif": round(100 * row["active"] / row["kims"], 1)
            if row["kims"]
            else None,
        }
        for row in dashboard.by_child
    }


@indicator(
    key="literasi-digital",
    title="Pelatihan literasi digital",
    description="Pelatihan literasi digital, peserta yang mengikuti pre-test dan "
    "post-test, dan rata-rata skor per wilayah, dari kegiatan jaringan KIM.",
    chart_title="Pelatihan literasi digital",
    unit="pelatihan",
    columns=[
        *integers("pelatihan", "peserta_pre_post_test"),
        Column("rata_rata_pre_test", DECIMAL),
        Column("rata_rata_post_test", DECIMAL),
        Column("rata_rata_kenaikan", DECIMAL),
    ],
    requires=("network",),
)
def _literacy(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    return {
        f.region_code: {
            "pelatihan": f.trainings,
            "peserta_pre_post_test": f.participants,
            "rata_rata_pre_test": f.mean_pre,
            "rata_rata_post_test": f.mean_post,
            "rata_rata_kenaikan": f.mean_gain,
        }
        for f in network_selectors.literacy_figures(region=parent)
        if f.region_code != parent.kode
    }


@indicator(
    key="kegiatan",
    title="Kegiatan dan kehadiran",
    description="Kegiatan (FGD, pelatihan, lokakarya, pelantikan, festival KIM) "
    "yang diselenggarakan di tiap wilayah dan jumlah kehadiran luring dan daring, "
    "dari modul jaringan KIM.",
    chart_title="Kegiatan",
    unit="kegiatan",
    columns=integers("kegiatan", "hadir_luring", "hadir_daring"),
    requires=("network",),
)
def _events(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    """Published events held in each child region, with their attendance."""
    rows = (
        network_selectors.event_list(region_code=parent.kode)
        .filter(region__kode__startswith=parent.kode + ".")
        .values_list("region_id", "onsite_count", "online_count")  # type: ignore[misc]
    )
    result: dict[str, dict[str, Cell]] = {}
    depth = len(children[0].kode) if children else 0
    known = {c.kode for c in children}
    for code, onsite, online in rows:
        child = code[:depth]
        if child not in known or not (code == child or code[depth] == "."):
            continue
        row = result.setdefault(
            child, {"kegiatan": 0, "hadir_luring": 0, "hadir_daring": 0}
        )
        row["kegiatan"] = int(row["kegiatan"] or 0) + 1
        row["hadir_luring"] = int(row["hadir_luring"] or 0) + (onsite or 0)
        row["hadir_daring"] = int(row["hadir_daring"] or 0) + (online or 0)
    return result


@indicator(
    key="konektivitas",
    title="Konektivitas desa dan menara",
    description="Desa/kelurahan menurut status sinyal seluler yang teramati "
    "(ada sinyal, blankspot) dan menara per wilayah, dari modul konektivitas.",
    chart_title="Desa/kelurahan blankspot",
    unit="desa/kelurahan",
    columns=integers(
        "desa_kelurahan",
        "status_diketahui",
        "ada_sinyal",
        "blankspot",
        "menara_mengudara",
        "menara_direncanakan",
    ),
    value_column="blankspot",
    requires=("connectivity",),
)
def _connectivity(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    result: dict[str, dict[str, Cell]] = {}
    for p in connectivity_selectors.progress_children(region=parent):
        if p.region is None:
            continue
        result[p.region.kode] = {
            "desa_kelurahan": p.villages,
            "status_diketahui": p.villages_known,
            "ada_sinyal": p.villages_signal,
            "blankspot": p.villages_blankspot,
            "menara_mengudara": p.towers_on_air,
            "menara_direncanakan": p.towers_planned,
        }
    return result


@indicator(
    key="cek-fakta",
    title="Cek fakta per wilayah",
    description="Cek fakta terbit yang menyangkut tiap wilayah, menurut "
    "kelompok putusan (keliru/hoaks, benar).",
    chart_title="Cek fakta",
    unit="cek fakta",
    columns=integers("cek_fakta", "keliru_atau_hoaks", "benar"),
    requires=("factcheck",),
)
def _factchecks(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    """Published fact-checks concerning each child region, by verdict group."""
    counts = factcheck_selectors.verdict_counts(region_codes=[c.kode for c in children])
    return {
        code: {
            "cek_fakta": figures.total,
            "keliru_atau_hoaks": figures.false,
            "benar": figures.true,
        }
        for code, figures in counts.items()
    }


# Factcheck's topics, with their Indonesian labels: the dataset's columns.
FACTCHECK_TOPIC_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    factcheck_selectors.topic_choices()
)


@indicator(
    key="cek-fakta-topik",
    title="Aduan dan cek fakta per topik",
    description="Aduan (pesan yang dikirim warga untuk dicek lewat web, "
    "WhatsApp, Telegram atau aplikasi KIM) dari tiap wilayah dan cek fakta terbit "
    "yang menyangkut wilayah itu, menurut topik (politik dan pemilu, penipuan, "
    "kesehatan, bencana, …). Wilayah aduan adalah desa KIM pengirim atau "
    "kabupaten/kota yang dipilihnya; topik ditetapkan otomatis dari isi pesan "
    "dan dapat dikoreksi pemeriksa fakta.",
    chart_title="Aduan per topik",
    unit="aduan",
    columns=[
        *integers("aduan", "cek_fakta"),
        *[
            Column(f"{kind}_{key}", INTEGER)
            for key, _ in FACTCHECK_TOPIC_COLUMNS
            for kind in ("aduan", "cek_fakta")
        ],
    ],
    requires=("factcheck",),
    segments=tuple((f"aduan_{key}", label) for key, label in FACTCHECK_TOPIC_COLUMNS),
)
def _factcheck_topics(
    parent: Region, children: list[Region]
) -> dict[str, dict[str, Cell]]:
    """Tips sent from each child region and published fact-checks concerning
    it, per topic."""
    counts = factcheck_selectors.topic_counts(region_codes=[c.kode for c in children])
    result: dict[str, dict[str, Cell]] = {}
    for code, figures in counts.items():
        row: dict[str, Cell] = {
            "aduan": sum(figures.tips.values()),
            "cek_fakta": sum(figures.factchecks.values()),
        }
        for kind, per_topic in (
            ("aduan", figures.tips),
            ("cek_fakta", figures.factchecks),
        ):
            for topic, n in per_topic.items():
                column = f"{kind}_{topic}"
                row[column] = int(row.get(column) or 0) + n
        result[code] = row
    return result


@indicator(
    key="publikasi",
    title="Publikasi dan jangkauan",
    description="Artikel terbit per wilayah, tayangan dan dibagikan dalam 30 hari "
    "terakhir, dan pesan sebaran yang terkirim, dari modul redaksi.",
    chart_title="Artikel terbit",
    unit="artikel",
    columns=integers(
        "artikel_terbit",
        "tayangan_30_hari",
        "dibagikan_30_hari",
        "pesan_terkirim",
    ),
    requires=("newsroom",),
)
def _publications(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    result: dict[str, dict[str, Cell]] = {}
    for child in children:
        reach = newsroom_selectors.reach_figures(region_code=child.kode)
        result[child.kode] = {
            "artikel_terbit": newsroom_selectors.article_list_public(
                region_code=child.kode
            ).count(),
            "tayangan_30_hari": reach.views,
            "dibagikan_30_hari": reach.shares,
            "pesan_terkirim": reach.sent,
        }
    return result
