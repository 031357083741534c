"""What the connectivity app adds to other apps' pages, and its demo data."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.permissions import can
from connectivity.models import DEMO_SOURCE
from regions.models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"
BLANKSPOT_CSV = DATA_DIR / "kukar_blankspot_2022.csv"

DEMO_SEED = 20220712


def region_section(request: HttpRequest, region: Region) -> str:
    """Blankspot status of the region's villages on its public page."""
    from connectivity import selectors

    if region.level == Region.Level.VILLAGE:
        status = selectors.village_status_get(region=region)
        return render_to_string(
            "connectivity/_region_section.html",
            {"region": region, "is_village": True, "village_status": status},
            request=request,
        )
    progress = selectors.progress(region=region)
    if not progress.villages_known and not progress.towers_on_air:
        return ""
    return render_to_string(
        "connectivity/_region_section.html",
        {"region": region, "progress": progress},
        request=request,
    )


def dashboard_panel(request: HttpRequest) -> str:
    from accounts.models import User
    from connectivity import selectors

    user = request.user
    if not isinstance(user, User) or user.region is None:
        return ""
    may_confirm = can(user, "confirm", "connectivity.observation")
    may_add = can(user, "add", "connectivity.place")
    if not (may_confirm or may_add):
        return ""
    pending = selectors.reports_pending(actor=user).count() if may_confirm else 0
    return render_to_string(
        "connectivity/_dashboard_panel.html",
        {
            "region": user.region,
            "pending": pending,
            "may_confirm": may_confirm,
            "may_plan": can(user, "add", "connectivity.plan"),
        },
        request=request,
    )


def blankspot_rows(path: Path = BLANKSPOT_CSV) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def demo() -> list[str]:
    """Kukar's 19 listed blankspots and demo places, towers and a programme.

    Everything not from the public list is generated with a fixed seed and marked
    ``source="demo/estimate"``. Idempotent.
    """
    from connectivity import services
    from connectivity.models import Observation, Place, Programme, Tower

    kukar = Region.objects.filter(kode="64.02").first()
    if kukar is None:
        return []
    rows = blankspot_rows()
    services.blankspots_import(rows=rows)
    services.village_offices_ensure(region=kukar)
    if Place.objects.filter(source=DEMO_SOURCE).exists():
        return []
    rng = random.Random(DEMO_SEED)
    blank = [r["kode"] for r in rows]
    villages = list(
        Region.objects.filter(kode__startswith="64.02.", level=Region.Level.VILLAGE)
    )
    others = [v for v in villages if v.kode not in blank]
    chosen = [v for v in villages if v.kode in blank] + rng.sample(others, 40)
    Place.objects.bulk_create(
        [place for village in chosen for place in _demo_places(village, rng)]
    )
    # Existing sites: one per kecamatan capital area, away from the listed villages.
    blank_regions = [v for v in villages if v.kode in blank]
    for kec in Region.objects.filter(parent=kukar).order_by("kode"):
        lat, lng = kec.point
        from connectivity.geo import haversine_km

        if any(haversine_km(lat, lng, *b.point) < 14 for b in blank_regions):
            continue
        home = services.village_for_point(lat=lat, lng=lng)
        if home is None:
            continue
        services.tower_create(
            actor=None,
            region=home,
            name=f"BTS {kec.name} (demo)",
            lat=lat,
            lng=lng,
            owner=Tower.Owner.OPERATOR,
            operator="telkomsel",
            status=Tower.Status.ON_AIR,
            height_m=52,
            power=Tower.Power.GRID,
            backhaul=Tower.Backhaul.FIBRE,
            source=DEMO_SOURCE,
        )
    # The listed villages' own sites move through the programme's stages.
    programme = Programme.objects.get(slug=services.KUKAR_PROGRAMME)
    stages = ["proposed", "surveyed", "land_ready", "construction"]
    for n, row in enumerate(rows):
        village = next(v for v in blank_regions if v.kode == row["kode"])
        repeater = row["program"].upper() != "BAKTI"
        tower = services.tower_create(
            actor=None,
            region=village,
            name=("Repeater " if repeater else "BTS BAKTI ") + village.name,
            lat=village.point[0] + rng.uniform(-0.01, 0.01),
            lng=village.point[1] + rng.uniform(-0.01, 0.01),
            owner=Tower.Owner.REPEATER if repeater else Tower.Owner.BAKTI,
            programme=programme,
            height_m=32 if repeater else rng.choice([42, 52, 62, 72]),
            power=Tower.Power.SOLAR if not repeater else Tower.Power.GRID,
            backhaul=Tower.Backhaul.VSAT,
            source=DEMO_SOURCE,
        )
        stage = stages[n % len(stages)]
        for status in stages[1 : stages.index(stage) + 1]:
            services.tower_status_set(actor=None, tower=tower, status=status)
        if stage in ("land_ready", "construction"):
            services.tower_dossier_update(
                actor=None,
                tower=tower,
                land_status="offered",
                land_owner=f"Pemerintah Desa {village.name}",
                land_letter="Surat Kepala Desa (demo)",
                access="river" if "Muara" in village.name else "track",
                power_available="solar",
            )
    # Three repeaters went on air in 2024 and a survey confirmed the signal.
    on_air = [r for r in rows if r["program"].upper() != "BAKTI"][:3]
    for row in on_air:
        tower = Tower.objects.get(region_id=row["kode"], programme=programme)
        services.tower_status_set(actor=None, tower=tower, status="on_air")
        Tower.objects.filter(pk=tower.pk).update(on_air_at=dt.date(2024, 8, 17))
        region = Region.objects.get(kode=row["kode"])
        services.observation_create(
            actor=None,
            region=region,
            technology="4g",
            operator="telkomsel",
            method=Observation.Method.SURVEY,
            observed_at=timezone.make_aware(dt.datetime(2024, 9, 2, 10)),
            source=DEMO_SOURCE,
            idempotency_key=f"demo:survey:{region.kode}",
        )
    services.programme_save(
        actor=None,
        slug="ujicoba-40-desa-2022",
        name="Uji coba 40 desa bebas blankspot (Pemprov Kaltim 2022)",
        region=Region.objects.get(kode=settings.HOME_REGION),
        kind=Programme.Kind.TRIAL,
        owner="Diskominfo Provinsi Kalimantan Timur",
        year=2022,
        target_villages=40,
        description=(
            "Uji coba provinsi di 40 desa, 12 di antaranya di Kutai Kartanegara. "
            "Daftar desanya belum tersedia di sini."
        ),
        source="FGD KIM 2022, Tenggarong, 12 Juli 2022 (berita publik)",
    )
    services.coverage_refresh(region=kukar)
    for village in chosen:
        services.village_status_refresh(region=village)
    services.progress_snapshot_take(region=kukar)
    return [
        "Connectivity: Kukar's 19 listed blankspot villages, demo places and towers "
        f"({DEMO_SOURCE})."
    ]


def _demo_places(village: Region, rng: random.Random) -> list[Any]:
    """Generated settlements and service centres of a village (not yet saved)."""
    from connectivity import services
    from connectivity.geo import geometry_contains
    from connectivity.models import Place
    from regions.models import RegionBoundary

    boundary = (
        RegionBoundary.objects.filter(region=village)
        .values_list("geometry", flat=True)
        .first()
    )

    def near(spread_km: float) -> tuple[float, float]:
        for _ in range(30):
            lat = village.point[0] + rng.uniform(-spread_km, spread_km) / 111.0
            lng = village.point[1] + rng.uniform(-spread_km, spread_km) / 111.0
            if boundary is None or geometry_contains(boundary, lat, lng):
                return round(lat, 5), round(lng, 5)
        return village.point

    places = []
    for n in range(rng.randint(1, 3)):
        lat, lng = near(3.0)
        households = rng.randint(30, 250)
        places.append(
            Place(
                region=village,
                kind="settlement",
                name=f"RT {n + 1:02d} {village.name}",
                lat=lat,
                lng=lng,
                households=households,
                weight=services.place_default_weight(
                    kind="settlement", households=households
                ),
                source=DEMO_SOURCE,
            )
        )
    kinds = ["school", "health", *rng.sample(["market", "port", "other"], 1)]
    labels = {
        "school": "SD Negeri",
        "health": "Puskesmas Pembantu",
        "market": "Pasar",
        "port": "Dermaga",
        "other": "BUMDes",
    }
    for kind in kinds[: rng.randint(1, 3)]:
        lat, lng = near(1.5)
        places.append(
            Place(
                region=village,
                kind=kind,
                name=f"{labels[kind]} {village.name}",
                lat=lat,
                lng=lng,
                weight=services.place_default_weight(kind=kind),
                source=DEMO_SOURCE,
            )
        )
    for place in places:
        place.clean_fields()
    return places


def register() -> None:
    from datetime import timedelta

    from accounts.dashboard import register_panel
    from accounts.models import Role
    from accounts.permissions import STAFF_ROLES, register_rules
    from connectivity.tasks import plans_stale_fail_task, progress_snapshots_task
    from core.demo import register_demo
    from core.schedule import register_periodic
    from regions.pages import register_section

    kim = {Role.KIM_COORDINATOR, Role.KIM_MEMBER}
    # Regency admins and district operators edit in their area; KIM members add
    # and correct places and file reports in theirs; the public only reports.
    register_rules(
        "connectivity.place",
        {
            "add": STAFF_ROLES | kim,
            "change": STAFF_ROLES | kim,
            "delete": STAFF_ROLES,
        },
    )
    register_rules(
        "connectivity.observation",
        {"add": STAFF_ROLES | kim, "confirm": STAFF_ROLES},
    )
    register_rules("connectivity.tower", {"change": STAFF_ROLES})
    register_rules("connectivity.plan", {"add": STAFF_ROLES, "view": STAFF_ROLES})
    register_rules(
        "connectivity.programme",
        {"change": {Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN}},
    )
    register_rules("connectivity.dem", {"change": {Role.PROVINCE_ADMIN}})

    register_section("connectivity", region_section, order=40)
    register_panel("connectivity", dashboard_panel, order=40)
    register_demo("connectivity", demo, order=40)
    register_periodic(
        "connectivity.progress_snapshots",
        progress_snapshots_task,
        every=timedelta(days=1),
    )
    register_periodic(
        "connectivity.plans_stale",
        plans_stale_fail_task,
        every=timedelta(minutes=5),
    )
