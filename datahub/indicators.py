"""Built-in indicators: tables per region computed from the platform's own data.

Each indicator gives, for a parent region (the province or a kabupaten/kota), one
row per child region. ``services.indicators_refresh`` stores every indicator as a
published dataset with a live-table resource; the region pages chart them.

Indicators read other apps only through their selectors, and only where those apps
are installed and have the selector functions (they may not exist yet): a provider
that is not ``available()`` is skipped.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum

from datahub.tables import DECIMAL, INTEGER, REGION_CODE, TEXT, Cell, Column
from regions.models import Region

Compute = Callable[[Region, list[Region]], dict[str, dict[str, Cell]]]

BASE_COLUMNS = [Column("kode_wilayah", REGION_CODE), Column("nama_wilayah", TEXT)]


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str  # Indonesian: datasets are content, published as written
    description: str
    chart_title: str
    topic: str
    unit: str
    columns: list[Column]  # the value columns (after kode_wilayah, nama_wilayah)
    value_column: str
    compute: Compute  # parent, children → {child code: {column: value}}
    requires: tuple[str, ...] = field(default=())  # "app.selectors:function"
    levels: tuple[str, ...] = ("provinsi", "kabkota")  # of the parent region
    # Charted as stacked bars: (column, label) parts of value_column.
    segments: tuple[tuple[str, str], ...] = field(default=())

    def available(self) -> bool:
        return all(_function(requirement) is not None for requirement in self.requires)

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


def _function(requirement: str) -> Callable[..., Any] | None:
    """``"network.selectors:kim_counts"`` when the app is installed and has it."""
    module_name, _, name = requirement.partition(":")
    app = module_name.split(".")[0]
    if not apps.is_installed(app):
        return None
    try:
        if importlib.util.find_spec(module_name) is None:
            return None
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None


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


def _districts(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    rows = (
        Region.objects.filter(parent__in=children)
        .values("parent_id")
        .annotate(n=Count("kode"), area=Sum("area_km2"))
    )
    return {row["parent_id"]: {"jumlah_kecamatan": row["n"]} for row in rows}


def _call(requirement: str, **kwargs: Any) -> Any:
    function = _function(requirement)
    if function is None:  # checked by available(); the app went away meanwhile
        raise LookupError(requirement)
    return function(**kwargs)


# --- providers reading other apps through their selectors ----------------------------

KIMS = "network.selectors:region_dashboard"
LITERACY = "network.selectors:literacy_figures"
EVENTS = "network.selectors:event_list"
CONNECTIVITY = "connectivity.selectors:progress_children"
FACTCHECKS = "factcheck.selectors:factcheck_public_list"
FACTCHECK_TOPICS = "factcheck.selectors:topic_counts"
ARTICLES = "newsroom.selectors:article_list_public"
REACH = "newsroom.selectors:reach_figures"


def _kims(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    dashboard = _call(KIMS, region=parent)
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


def _literacy(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    return {
        f.region_code: {
            "pelatihan": f.trainings,
            "peserta_pre_post_test": f.participants,
            "rata_rata_pre_test": f.mean_pre,
            "rata_rata_post_test": f.mean_post,
            "rata_rata_kenaikan": f.mean_gain,
        }
        for f in _call(LITERACY, region=parent)
        if f.region_code != parent.kode
    }


def _events(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    """Published events held in each child region, with their attendance."""
    rows = (
        _call(EVENTS, region_code=parent.kode)
        .filter(region__kode__startswith=parent.kode + ".")
        .values_list("region_id", "onsite_count", "online_count")
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


def _connectivity(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    result: dict[str, dict[str, Cell]] = {}
    for p in _call(CONNECTIVITY, region=parent):
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


_TRUE_VERDICTS = {"benar"}
_OPEN_VERDICTS = {"sebagian_benar", "belum_terbukti", "satire"}


def _factchecks(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    """Published fact-checks concerning each child region, by verdict group."""
    rows = _call(FACTCHECKS).values_list("pk", "verdict", "regions__kode")
    counted: dict[str, dict[str, set[int]]] = {
        c.kode: {"total": set(), "false": set(), "true": set()} for c in children
    }
    depth = len(children[0].kode) if children else 0
    for pk, verdict, code in rows:
        if not code or len(code) < depth:
            continue
        bucket = counted.get(code[:depth])
        if bucket is None or not (code == code[:depth] or code[depth] == "."):
            continue
        bucket["total"].add(pk)
        if verdict in _TRUE_VERDICTS:
            bucket["true"].add(pk)
        elif verdict not in _OPEN_VERDICTS:
            bucket["false"].add(pk)
    return {
        code: {
            "cek_fakta": len(b["total"]),
            "keliru_atau_hoaks": len(b["false"]),
            "benar": len(b["true"]),
        }
        for code, b in counted.items()
    }


# The topics of factcheck.models.Topic (tips and fact-checks), as the dataset's
# columns name them; a topic the app adds later counts under "lainnya" until it
# is listed here.
FACTCHECK_TOPIC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("politik", "Politik dan pemilu"),
    ("pemerintahan", "Pemerintahan dan layanan publik"),
    ("kesehatan", "Kesehatan"),
    ("penipuan", "Penipuan"),
    ("bencana", "Bencana dan cuaca"),
    ("ekonomi", "Ekonomi dan harga"),
    ("sara", "SARA"),
    ("kriminal", "Kriminalitas dan keamanan"),
    ("teknologi", "Teknologi dan internet"),
    ("lainnya", "Lainnya"),
)


def _factcheck_topics(
    parent: Region, children: list[Region]
) -> dict[str, dict[str, Cell]]:
    """Tips sent from each child region and published fact-checks concerning
    it, per topic."""
    counts = _call(FACTCHECK_TOPICS, region_codes=[c.kode for c in children])
    known = {key for key, _ in FACTCHECK_TOPIC_COLUMNS}
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
                column = f"{kind}_{topic if topic in known else 'lainnya'}"
                row[column] = int(row.get(column) or 0) + n
        result[code] = row
    return result


def _publications(parent: Region, children: list[Region]) -> dict[str, dict[str, Cell]]:
    result: dict[str, dict[str, Cell]] = {}
    for child in children:
        reach = _call(REACH, region_code=child.kode)
        result[child.kode] = {
            "artikel_terbit": _call(ARTICLES, region_code=child.kode).count(),
            "tayangan_30_hari": reach.views,
            "dibagikan_30_hari": reach.shares,
            "pesan_terkirim": reach.sent,
        }
    return result


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    _REGISTRY[indicator.key] = indicator


def registry() -> dict[str, Indicator]:
    return dict(_REGISTRY)


def available() -> list[Indicator]:
    return [i for i in _REGISTRY.values() if i.available()]


register(
    Indicator(
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
            Column("jumlah_desa_kelurahan", INTEGER),
            Column("jumlah_desa", INTEGER),
            Column("jumlah_kelurahan", INTEGER),
            Column("luas_km2", DECIMAL),
            Column("desa_per_100_km2", DECIMAL),
        ],
        value_column="jumlah_desa_kelurahan",
        compute=_villages,
    )
)
register(
    Indicator(
        key="kecamatan",
        title="Jumlah kecamatan",
        description="Jumlah kecamatan per kabupaten/kota (kode wilayah Kemendagri).",
        chart_title="Kecamatan",
        topic="pemerintahan",
        unit="kecamatan",
        columns=[Column("jumlah_kecamatan", INTEGER)],
        value_column="jumlah_kecamatan",
        compute=_districts,
        levels=("provinsi",),
    )
)
register(
    Indicator(
        key="kim",
        title="Kelompok Informasi Masyarakat (KIM)",
        description="Jumlah KIM terdaftar dan KIM aktif per wilayah, dari registri KIM "
        "Simpul.",
        chart_title="KIM terdaftar",
        topic="komunikasi-informatika",
        unit="KIM",
        columns=[
            Column("jumlah_kim", INTEGER),
            Column("kim_aktif", INTEGER),
            Column("persen_aktif", DECIMAL),
        ],
        value_column="jumlah_kim",
        compute=_kims,
        requires=(KIMS,),
    )
)
register(
    Indicator(
        key="literasi-digital",
        title="Pelatihan literasi digital",
        description="Pelatihan literasi digital, peserta yang mengikuti pre-test dan "
        "post-test, dan rata-rata skor per wilayah, dari kegiatan jaringan KIM.",
        chart_title="Pelatihan literasi digital",
        topic="komunikasi-informatika",
        unit="pelatihan",
        columns=[
            Column("pelatihan", INTEGER),
            Column("peserta_pre_post_test", INTEGER),
            Column("rata_rata_pre_test", DECIMAL),
            Column("rata_rata_post_test", DECIMAL),
            Column("rata_rata_kenaikan", DECIMAL),
        ],
        value_column="pelatihan",
        compute=_literacy,
        requires=(LITERACY,),
    )
)
register(
    Indicator(
        key="kegiatan",
        title="Kegiatan dan kehadiran",
        description="Kegiatan (FGD, pelatihan, lokakarya, pelantikan, festival KIM) "
        "yang diselenggarakan di tiap wilayah dan jumlah kehadiran luring dan daring, "
        "dari modul jaringan KIM.",
        chart_title="Kegiatan",
        topic="komunikasi-informatika",
        unit="kegiatan",
        columns=[
            Column("kegiatan", INTEGER),
            Column("hadir_luring", INTEGER),
            Column("hadir_daring", INTEGER),
        ],
        value_column="kegiatan",
        compute=_events,
        requires=(EVENTS,),
    )
)
register(
    Indicator(
        key="konektivitas",
        title="Konektivitas desa dan menara",
        description="Desa/kelurahan menurut status sinyal seluler yang teramati "
        "(ada sinyal, blankspot) dan menara per wilayah, dari modul konektivitas.",
        chart_title="Desa/kelurahan blankspot",
        topic="komunikasi-informatika",
        unit="desa/kelurahan",
        columns=[
            Column("desa_kelurahan", INTEGER),
            Column("status_diketahui", INTEGER),
            Column("ada_sinyal", INTEGER),
            Column("blankspot", INTEGER),
            Column("menara_mengudara", INTEGER),
            Column("menara_direncanakan", INTEGER),
        ],
        value_column="blankspot",
        compute=_connectivity,
        requires=(CONNECTIVITY,),
    )
)
register(
    Indicator(
        key="cek-fakta",
        title="Cek fakta per wilayah",
        description="Cek fakta terbit yang menyangkut tiap wilayah, menurut "
        "kelompok putusan (keliru/hoaks, benar).",
        chart_title="Cek fakta",
        topic="komunikasi-informatika",
        unit="cek fakta",
        columns=[
            Column("cek_fakta", INTEGER),
            Column("keliru_atau_hoaks", INTEGER),
            Column("benar", INTEGER),
        ],
        value_column="cek_fakta",
        compute=_factchecks,
        requires=(FACTCHECKS,),
    )
)
register(
    Indicator(
        key="cek-fakta-topik",
        title="Aduan dan cek fakta per topik",
        description="Aduan (pesan yang dikirim warga untuk dicek lewat web, "
        "WhatsApp, Telegram atau aplikasi KIM) dari tiap wilayah dan cek fakta terbit "
        "yang menyangkut wilayah itu, menurut topik (politik dan pemilu, penipuan, "
        "kesehatan, bencana, …). Wilayah aduan adalah desa KIM pengirim atau "
        "kabupaten/kota yang dipilihnya; topik ditetapkan otomatis dari isi pesan "
        "dan dapat dikoreksi pemeriksa fakta.",
        chart_title="Aduan per topik",
        topic="komunikasi-informatika",
        unit="aduan",
        columns=[
            Column("aduan", INTEGER),
            Column("cek_fakta", INTEGER),
            *[
                Column(f"{kind}_{key}", INTEGER)
                for key, _ in FACTCHECK_TOPIC_COLUMNS
                for kind in ("aduan", "cek_fakta")
            ],
        ],
        value_column="aduan",
        compute=_factcheck_topics,
        requires=(FACTCHECK_TOPICS,),
        segments=tuple(
            (f"aduan_{key}", label) for key, label in FACTCHECK_TOPIC_COLUMNS
        ),
    )
)
register(
    Indicator(
        key="publikasi",
        title="Publikasi dan jangkauan",
        description="Artikel terbit per wilayah, tayangan dan dibagikan dalam 30 hari "
        "terakhir, dan pesan sebaran yang terkirim, dari modul redaksi.",
        chart_title="Artikel terbit",
        topic="komunikasi-informatika",
        unit="artikel",
        columns=[
            Column("artikel_terbit", INTEGER),
            Column("tayangan_30_hari", INTEGER),
            Column("dibagikan_30_hari", INTEGER),
            Column("pesan_terkirim", INTEGER),
        ],
        value_column="artikel_terbit",
        compute=_publications,
        requires=(ARTICLES, REACH),
    )
)
