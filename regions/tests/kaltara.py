"""A second province for tests of multi-province deployments: Kalimantan Utara
(65), a handful of its regions, without geometry (as the national list has them)."""

from __future__ import annotations

from typing import Any

from regions.models import Region

KALTARA = "65"
REGENCY = "65.01"  # Kabupaten Malinau
DISTRICT = "65.01.01"  # Malinau Kota
VILLAGE = "65.01.01.2001"
VILLAGE_2 = "65.01.01.2002"
CITY = "65.71"  # Kota Tarakan
CITY_DISTRICT = "65.71.01"
CITY_VILLAGE = "65.71.01.1001"

_ROWS = [
    (KALTARA, "Kalimantan Utara", Region.Level.PROVINCE, Region.Kind.PROVINCE),
    (REGENCY, "Kabupaten Malinau", Region.Level.REGENCY, Region.Kind.REGENCY),
    (DISTRICT, "Malinau Kota", Region.Level.DISTRICT, Region.Kind.DISTRICT),
    (VILLAGE, "Malinau Hulu", Region.Level.VILLAGE, Region.Kind.DESA),
    (VILLAGE_2, "Malinau Hilir", Region.Level.VILLAGE, Region.Kind.DESA),
    (CITY, "Kota Tarakan", Region.Level.REGENCY, Region.Kind.CITY),
    (CITY_DISTRICT, "Tarakan Barat", Region.Level.DISTRICT, Region.Kind.DISTRICT),
    (CITY_VILLAGE, "Karang Anyar", Region.Level.VILLAGE, Region.Kind.KELURAHAN),
]


def kaltara_create() -> Region:
    """Kaltara's regions (idempotent); returns the province."""
    for kode, name, level, kind in _ROWS:
        parent = kode.rsplit(".", 1)[0] if "." in kode else None
        Region.objects.update_or_create(
            kode=kode,
            defaults={"name": name, "level": level, "kind": kind, "parent_id": parent},
        )
    return Region.objects.get(kode=KALTARA)


# A province the test deployments never serve: Kalimantan Selatan (63), one
# region of each level, whose village's name is found in no served province.
UNSERVED = "63"
UNSERVED_VILLAGE = "63.01.01.2001"
UNSERVED_VILLAGE_NAME = "Desa Kalsel"


def unserved_create() -> Region:
    """Kalimantan Selatan with one regency, district and village; returns the
    village."""
    rows = [
        (UNSERVED, "Kalimantan Selatan", Region.Level.PROVINCE),
        ("63.01", "Tanah Laut", Region.Level.REGENCY),
        ("63.01.01", "Takisung", Region.Level.DISTRICT),
        (UNSERVED_VILLAGE, UNSERVED_VILLAGE_NAME, Region.Level.VILLAGE),
    ]
    for kode, name, level in rows:
        parent = kode.rsplit(".", 1)[0] if "." in kode else None
        Region.objects.update_or_create(
            kode=kode, defaults={"name": name, "level": level, "parent_id": parent}
        )
    return Region.objects.get(kode=UNSERVED_VILLAGE)


def staff_of_each_province(make_user: Any, role: str, title: str) -> dict[str, Any]:
    """One account of ``role`` in each province, by province code: "<title> Kaltim"
    at 64 and "<title> Kaltara" at 65 (``make_user`` is the root conftest's)."""
    return {
        "64": make_user(role, "64", full_name=f"{title} Kaltim"),
        KALTARA: make_user(role, KALTARA, full_name=f"{title} Kaltara"),
    }
